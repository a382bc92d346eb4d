"""Finding the quotes in a text, and who the text says said them. Pure functions, no I/O.

A text is one quote, or a longer text (an article, a chatbot's answer, notes) whose quoted
strings are the quotes: “…”, "…", „…“, «…», and '…' or ‘…’ where it is clearly a quotation (it
opens after a space and closes before one, and holds at least three words, so apostrophes and
scare quotes are not taken for quotes). The attribution written next to a quote ("Powell said",
"said the press secretary", "— Josh Earnest", "according to Powell", "Powell told reporters:")
is its claimed speaker; "he said" carries the speaker of the quote before it. A date written
beside it as a time ("on May 4, 2022", "at his March 2025 press conference") is when the text
says it was said.

An elision ("...", ". . .", "…", "[...]", "[…]") splits a quote into fragments that are looked
for in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.dates import DateRange, date_range_in
from assistant.folding import word_columns, words
from assistant.quotes.align import Words

MAX_TEXT_CHARS = 200_000  # a long article is ~60,000 characters
MAX_QUOTE_CHARS = 2_000
MAX_QUOTES = 200
MIN_WORDS = 2  # a single quoted word is a scare quote or a title, not a quotation
MIN_SINGLE_QUOTE_WORDS = 3

# Quoted strings, left to right; a quote never runs over a blank line (a new paragraph).
_LINE = r"(?:[^\n{close}]|\n(?![ \t]*\n))"
_DOUBLE = re.compile(
    "|".join(
        [
            "“(?P<curly>" + _LINE.format(close="“”") + "*+)[”“]",
            "„(?P<low>" + _LINE.format(close="„“”") + "*+)[“”]",
            "«(?P<angle>" + _LINE.format(close="«»") + "*+)»",
            '"(?P<straight>' + _LINE.format(close='"') + '*+)"',
            "”(?P<closing>" + _LINE.format(close="”“") + "*+)”",
        ]
    )
)
# '…' or ‘…’: opens after a non-word, closes before a non-word; apostrophes inside words
# ("don't", "Powell’s") do not close it.
_SINGLE = re.compile(r"(?<![\w'’‘])['‘](?P<single>(?:[^'‘’\n]|(?<=\w)['’](?=\w))+?)['’](?![\w'’‘])")
_ELISION = re.compile(
    r"\[\s*(?:\.\s*){2,}\.?\s*\]|\[\s*…\s*\]|\(\s*(?:\.\s*){2,}\.?\s*\)|\(\s*…\s*\)"
    r"|\.(?:\s?\.){2,}|…"
)
_QUOTE_MARKS = "\"'“”„‟«»‹›‘’‚‛"

# --------------------------------------------------------------------------- attribution
_VERBS = (
    r"said|says|say|added|adds|told|tells|explained|explains|noted|notes|stated|states|"
    r"remarked|warned|warns|insisted|insists|replied|replies|answered|answers|asked|asks|"
    r"wrote|writes|argued|argues|declared|declares|claimed|claims|responded|responds|"
    r"continued|continues|recalled|acknowledged|acknowledges|conceded|concedes|cautioned|"
    r"emphasized|emphasised|stressed|stresses|observed|observes|announced|announces|"
    r"commented|comments|quipped|maintained|maintains|predicted|predicts|suggested|suggests|"
    r"admitted|admits|concluded|concludes|pointed out|points out|went on|put it|puts it|"
    r"testified|testifies|repeated|repeats|reiterated|reiterates|joked|jokes"
)
_ROLES = (
    r"press\s+secretary|deputy\s+press\s+secretary|secretary|spokes(?:man|woman|person)|"
    r"chair(?:man|woman)?|vice\s+chair|governor|president|vice\s+president|official|"
    r"officials|reporter|reporters|journalist|correspondent|questioner|minister|director|"
    r"commissioner|senator|representative|ambassador|economist|aide|adviser|advisor|"
    r"spokesperson|leader|speaker|moderator|host|mayor|chief"
)
_CAP = r"[A-Z][\w.'’\-]*"
# a name or a role: "Powell", "Josh Earnest", "Fed Chair Jerome H. Powell", "the press secretary"
_NAME = (
    rf"(?:(?i:the|a|an|one)\s+)?(?:(?:{_CAP}|(?i:{_ROLES}|white|house|fed|federal|reserve|"
    rf"deputy|senior|former|chief|top|state|press))\s+){{0,5}}(?:{_CAP}|(?i:{_ROLES}))"
)
_PRONOUN = r"(?i:he|she|they)"
_AFTER = [
    re.compile(rf"^\W{{0,3}}?\s*[—–―]+\s*(?P<name>{_NAME})"),  # "…" — Josh Earnest
    re.compile(rf"^\W{{0,3}}?\s+-{{1,2}}\s*(?P<name>{_NAME})"),  # "…" - Josh Earnest
    re.compile(rf"^[\s,;]*(?i:according\s+to)\s+(?P<name>{_NAME})"),
    re.compile(rf"^[\s,;]*(?i:{_VERBS})\s+(?P<name>{_NAME})"),  # "…," said Powell
    re.compile(rf"^[\s,;]*(?P<name>{_NAME}|{_PRONOUN})\s+(?:has\s+|had\s+)?(?:{_VERBS})\b"),
    re.compile(rf"^\s*\((?P<name>{_NAME})\)"),  # "…" (Powell)
]
_BEFORE = [
    re.compile(rf"(?i:according\s+to)\s+(?P<name>{_NAME})\s*,?\s*$"),
    re.compile(rf"\b(?i:as)\s+(?P<name>{_NAME}|{_PRONOUN})\s+(?:{_VERBS})\s*,?\s*$"),
    re.compile(
        rf"(?:^|(?<=[\s(]))(?P<name>{_NAME}|{_PRONOUN})\s+(?:has\s+|had\s+|later\s+|also\s+)?"
        rf"(?:{_VERBS})\b(?:\s+[\w’'\-]+){{0,6}}?(?:\s+that)?\s*[:,]?\s*$"
    ),
    re.compile(rf"(?:^|(?<=\s))(?P<name>{_NAME})\s*:\s*$"),  # Powell: "…"
]
# a sentence ends at . ! ? before a space, except after a title or an initial ("Mr. Earnest")
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bGen)(?<!\bSt)"
    r"(?<!\bJr)(?<!\bSr)(?<!\b[A-Z])[.!?](?=\s)|\n[ \t]*\n"
)
_PRONOUNS = {"he", "she", "they"}
# an aside between a name and its verb: "Josh Earnest, the White House press secretary, told
# reporters", "Powell, who became chair in 2018, said"
_ASIDE = re.compile(r",\s+(?i:who|whose|the|a|an|his|her|their|its)\s[^,;:“”\"«»]{1,100},")
_SAYING = re.compile(rf"\b(?i:{_VERBS})\b")
# a date written as when something was said: "on", "in", "at", "during" (and a determiner)
# opening a clause or right after a verb of saying or an occasion ("said on May 4, 2022", "In
# June 2022, the chair warned", "told reporters in March 2025", "at a press conference in
# 2021"), not inside what was said ("said a cut in 2025 is likely"); or a date right before an
# occasion ("at his June 2022 press conference")
_OCCASIONS = (
    r"press\s+conference|news\s+conference|briefing|hearing|meeting|testimony|interview|"
    r"remarks|speech|statement|appearance"
)
_WHEN_BEFORE = re.compile(
    rf"(?:^|[,;(]|\b(?:{_VERBS}|{_OCCASIONS}|speaking|testifying|appearing)"
    r"(?:\s+(?:reporters|journalists|lawmakers|senators|congress|legislators|the\s+committee|"
    r"the\s+press|us|me|him|her|them))?)\s*(?:on|in|at|during)\s+"
    r"(?:(?:his|her|their|its|the|a|an|that|this)\s+)?$",
    re.IGNORECASE,
)
_WHEN_AFTER = re.compile(rf"\s*(?:{_OCCASIONS})\b", re.IGNORECASE)
_WINDOW = 160


@dataclass(frozen=True)
class FoundQuote:
    """A quote of the checked text: `text` as written (without its quotation marks) is
    `source[start:end]`; `speaker` is the attribution written next to it, as written."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    when: DateRange | None = None  # when the text says it was said (`claimed_when`)


def elision_fragments(quote: str) -> list[tuple[int, int]]:
    """(start, end) spans of the parts of `quote` between elision marks, with words in them."""
    spans, cursor = [], 0
    for m in _ELISION.finditer(quote):
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, len(quote)))
    return [(s, e) for s, e in spans if words(quote[s:e])]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space, quote marks and a trailing comma."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_MARKS + ","):
        end -= 1
    return start, end


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted strings' contents, in order: double quotes, then single quotes outside."""
    spans = []
    for m in _DOUBLE.finditer(text):
        group = next(
            g for g in ("curly", "low", "angle", "straight", "closing") if m.group(g) is not None
        )
        s, e = m.span(group)
        if len(words(text[s:e])) >= MIN_WORDS:
            spans.append((s, e))
    taken = [(m.start(), m.end()) for m in _DOUBLE.finditer(text)]
    for m in _SINGLE.finditer(text):
        s, e = m.span("single")
        if any(a <= s < b for a, b in taken):
            continue  # a quote inside a quote is part of it
        if len(words(text[s:e])) >= MIN_SINGLE_QUOTE_WORDS and not text[s].isspace():
            spans.append((s, e))
    return sorted(spans)


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;:.'’")
    return name


@dataclass(frozen=True)
class Around:
    """What the text says right after a quote (past its closing mark, up to the next sentence
    or quote) and right before it (back to the previous sentence or quote), asides between a
    name and its verb left out, and whether the quote ends its sentence with a full stop: what
    `attribution` and `claimed_when` read."""

    after: str
    before: str
    ended: bool


def around(text: str, start: int, end: int, previous_end: int, next_start: int) -> Around:
    """The text around the quote text[start:end] (see `Around`), read once per quote."""
    close = end  # past the closing mark and the punctuation around it
    while close < min(len(text), end + 4) and text[close] in _QUOTE_MARKS + ",.!?;:…":
        close += 1
    after = text[close : max(close, min(next_start, close + _WINDOW))]
    stop = _SENTENCE_END.search(after)
    after = after[: stop.start()] if stop else after
    ended = "." in text[max(start, end - 2) : close]
    open_ = start
    while open_ > 0 and text[open_ - 1] in _QUOTE_MARKS and start - open_ < 3:
        open_ -= 1
    low = max(previous_end, open_ - _WINDOW)
    before = text[low:open_]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    return Around(_without_asides(after), _without_asides(before), ended)


def _without_asides(part: str) -> str:
    """`part` without the asides between a name and its verb ("Josh Earnest, the White House
    press secretary, told reporters" reads "Josh Earnest told reporters"); an aside that holds
    a verb of saying is the attribution itself ("In June, the chair said, ...") and stays."""
    return _ASIDE.sub(lambda m: m.group(0) if _SAYING.search(m.group(0)) else "", part)


def attribution(text: Around) -> str | None:
    """The speaker the text around a quote credits it to, as written, or None. The attribution
    is looked for after the quote's closing mark up to the next sentence or quote, then before
    its opening mark back to the previous sentence or quote."""
    # a quote ending its sentence with a full stop ("… transitory.” He said …) is credited
    # after it only by a dash or a parenthesis; "…,” Powell said" and "…?” he asked" read on
    for pattern in _AFTER[:2] + _AFTER[-1:] if text.ended else _AFTER:
        m = pattern.search(text.after)
        if m:
            return _clean_name(m.group("name"))
    for pattern in _BEFORE:
        m = pattern.search(text.before)
        if m:
            return _clean_name(m.group("name"))
    return None


def claimed_when(text: Around) -> DateRange | None:
    """When the text around a quote says it was said, or None: a day, month, part of a year or
    year (`dates.date_range_in`) in its sentence, outside the quote, written as a time ("on
    May 4, 2022", "in March 2025", "at his June 2022 press conference", "during the 2021
    hearing"), not any date the sentence holds ("a rate cut in 2025 is likely," is a
    forecast's date, not the quote's)."""
    for part in (text.after, text.before):
        when = date_range_in(part)
        if when is None:
            continue
        at = part.find(when.text)
        if _WHEN_BEFORE.search(part[:at]) or _WHEN_AFTER.match(part[at + len(when.text) :]):
            return when
    return None


def find_quotes(text: str) -> list[FoundQuote]:
    """The quoted strings of `text` in order, each with its attribution (None when the text
    gives none; "he said" takes the speaker of the quote before)."""
    spans = _quoted_spans(text)
    found: list[FoundQuote] = []
    previous_speaker: str | None = None
    previous_when: DateRange | None = None
    for n, (s, e) in enumerate(spans):
        previous_end = found[-1].end if found else 0
        next_start = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        said = around(text, s, e, previous_end, next_start)
        speaker, when = attribution(said), claimed_when(said)
        if speaker and speaker.lower() in _PRONOUNS:
            # "he added" goes on with the quote before: its speaker, and its time unless given
            speaker, when = previous_speaker, when or previous_when
        s2, e2 = _strip_span(text, s, e)
        found.append(FoundQuote(text[s2:e2], s2, e2, speaker, when))
        if speaker:
            previous_speaker = speaker
        previous_when = when
    return found


def quotes_to_check(text: str) -> list[FoundQuote]:
    """The quotes of `text`: its quoted strings, or when it has none, the whole text as one
    quote. Raises ValueError, saying why, for an empty text, a text without words, one longer
    than MAX_TEXT_CHARS, or a quote longer than MAX_QUOTE_CHARS."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError('the text is empty; paste a quote, e.g. "Inflation is much too high."')
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            f"the text is {len(text):,} characters long; quotes are checked in texts of up to "
            f"{MAX_TEXT_CHARS:,} characters (a long article): paste the part with the quotes"
        )
    found = find_quotes(text)
    if not found:
        s, e = _strip_span(text, 0, len(text))
        if not words(text[s:e]):
            raise ValueError(
                "the text has no words to check; paste a quote or a text with quotes in it"
            )
        found = [FoundQuote(text[s:e], s, e, None)]
    if len(found) > MAX_QUOTES:
        raise ValueError(
            f"the text holds {len(found)} quotes; at most {MAX_QUOTES} are checked at once: "
            "paste a shorter part of it"
        )
    for q in found:
        if len(q.text) > MAX_QUOTE_CHARS:
            where = "the text" if len(found) == 1 else f"the quote at character {q.start}"
            raise ValueError(
                f"{where} is {len(q.text):,} characters long, more than a quote "
                f"({MAX_QUOTE_CHARS:,} characters at most); put the quotes to check in "
                "quotation marks, or check a shorter part"
            )
    return found


@dataclass(frozen=True)
class QuoteWords:
    """A quote as it is matched: its folded words over all its fragments (offsets into
    `text`), and the word index where each fragment starts, then the total."""

    text: str
    fragments: tuple[tuple[int, int], ...]  # character spans between elisions
    words: Words
    cuts: tuple[int, ...]

    def search_text(self) -> str:
        """The quote without its elision marks, for the searches."""
        return " ".join(self.text[s:e] for s, e in self.fragments)


def quote_words(text: str) -> QuoteWords:
    spans = elision_fragments(text)
    folded: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cuts = [0]
    for s, e in spans:
        w, a, b = word_columns(text[s:e])
        folded += w
        starts += [x + s for x in a]
        ends += [x + s for x in b]
        cuts.append(len(folded))
    return QuoteWords(
        text, tuple(spans), Words(tuple(folded), tuple(starts), tuple(ends)), tuple(cuts)
    )
