"""Finding speakers by name: in a question ("What did Grad B say about ..."), and for a filter
(`speaker="powell"`), over look-ups built once per index, so that a question over 100,000
speakers costs about what it costs over ten, and a million speakers take a few hundred bytes
each (not the kilobytes of a set per name).

A question names a speaker by their whole name as written (`Grad B`, `Project Manager`, `the
Chair`), or by a distinctive part of it (`Powell`: three letters or more, not a title like `Mr`
or `Chair`, and shared by at most `MAX_FILTER_MATCHES` speakers). A filter matches a name
whole (any case), then names holding its words in order (`grad b`, `bruce stanton`, `b`), then,
for three characters or more, names holding it anywhere (`pow`). A filter matching more than
`MAX_FILTER_MATCHES` speakers, or one or two letters found only inside names (`a`), is refused
with a message saying so: narrowing to 27,000 speakers is not what someone typing `a` meant.
Filters are found by scanning every name at once with `str.find` (one case-folded string, one
name a line, and one of their words between spaces), milliseconds even over a million names.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from assistant.labels import OFFICE_WORDS as _OFFICE_WORDS
from assistant.labels import caseless as _caseless
from assistant.labels import split_paren

MAX_FILTER_MATCHES = 50
_NAME_WORD = re.compile(r"[\w'’-]+")
_TITLE_WORDS = {
    "mr", "ms", "mrs", "dr", "chair", "chairman", "secretary", "governor", "president",
    "senator", "vice", "the", "hon", "right", "acting", "of",
}  # fmt: skip
# Words of a name that need no capital where a question writes it (`the Chair`).
_LOWER_OK = {"the", "of", "and", "de", "la", "le", "van", "von", "der", "da", "di", "del"}
# "What did the industrial designer recommend", "what did marketing say": a role (or name)
# written in lower case is still the one named where it is the subject of the question's verb,
# right after one of these (with or without `the`) ...
_SUBJECT_AFTER = {"did", "does", "do", "has", "have", "had", "would", "will", "could", "should"}
# ... or after one of these and `the` when written as a possessive ("What was the project
# manager's view?"); "What was the marketing strategy?" asks about a topic.
_COPULAS = {"was", "were", "is", "are"}
# An office a parenthetical gives a speaker names them on its own where it holds an office word
# (`assistant.labels.OFFICE_WORDS`):
# "Deputy Prime Minister and Minister of Intergovernmental Affairs" is also "the Deputy Prime
# Minister" and "the Minister of Intergovernmental Affairs"; "Minister of Small Business,
# Export Promotion and International Trade" is not "International Trade".

Codes = int | list[int]  # one speaker's code, or several sharing a key


class AmbiguousSpeaker(ValueError):
    """A speaker filter that matches too many speakers to be what was meant."""


def _add(table: dict[str, Codes], key: str, code: int) -> None:
    old = table.get(key)
    if old is None:
        table[key] = code
    elif isinstance(old, int):
        if old != code:
            table[key] = [old, code]
    elif old[-1] != code:
        old.append(code)


def _codes(value: Codes | None) -> list[int]:
    return [] if value is None else [value] if isinstance(value, int) else value


class SpeakerNames:
    """Look-ups over the speakers of an index (`names`, sorted and unique)."""

    def __init__(
        self,
        names: Iterable[str],
        titles: Mapping[str, Iterable[str]] | None = None,
        proper: Callable[[str], bool] | None = None,
    ) -> None:
        """`titles`: other names of some speakers, as their labels' parentheticals gave them
        (`{"Hon. Deb Schulte": ["Minister of Seniors"]}`: `Transcript.titles`); a question
        naming one whole names the speaker. `proper`: whether a (case-folded) word is a name
        where the transcripts write it (`ProperWords`), so that "what did paul ryan say", all
        in lower case, is not Paul Kiernan; None: no word is known to be one."""
        self._proper = proper or (lambda word: False)
        names = list(names)
        unique = all(a < b for a, b in itertools.pairwise(names))
        self.names: list[str] = names if unique else sorted(set(names))
        self._whole: dict[str, Codes] = {}  # a name's words (and its short form's), joined
        self._parts: dict[str, Codes] = {}  # distinctive words, as a question names them
        self._unspaced: dict[str, Codes] = {}  # names of scripts without capitals, by 2 chars
        self._letters: dict[str, Codes] = {}  # a code's letter: `Professor C`, `Grad B`
        folded = [" ".join(name.split()).casefold() for name in self.names]
        spaced = []  # each name's words between single spaces: ` hon bill morneau `
        self._offices: dict[int, list[str]] = {}  # each speaker's offices, as written
        for code, low in enumerate(folded):
            words = _NAME_WORD.findall(low)
            spaced.append(f" {' '.join(words)} ")
            if words:
                _add(self._whole, " ".join(words), code)
            short, paren = split_paren(low)
            if paren:  # its short form too: `The Chair (Hon. Anthony Rota)`, and what the
                # parenthetical says, whole and each office it joins with "and":
                # `Hon. Bill Morneau (Minister of Finance)`
                self._add_offices(code, [paren.strip("()")])
                key = " ".join(_NAME_WORD.findall(short))
                if key:
                    _add(self._whole, key, code)
            for word in _part_words(short, paren, words):
                _add(self._parts, word, code)
            if len(words) >= 2 and len(words[-1]) == 1 and words[-1].isalpha():
                _add(self._letters, words[-1], code)
            if low and _caseless(low[0]) and len(low) >= 2:  # `沈蓓莉` inside a question
                _add(self._unspaced, low[:2], code)
        position = {name: code for code, name in enumerate(self.names)}
        for name, said in (titles or {}).items():
            if name not in position:
                continue
            code = position[name]
            self._add_offices(code, list(said))
            if not _distinctive(_NAME_WORD.findall(name.casefold())):  # a role: `The Chair`
                for title in said:  # ... (Hon. Anthony Rota (Nipissing, Lib.)): "Rota" too
                    own, _ = split_paren(title.casefold())
                    for word in _distinctive(_NAME_WORD.findall(own)):
                        _add(self._parts, word, code)
        offices = {key for said in self._offices.values() for key in _office_keys(said)}
        for key in offices:  # "the White House press secretary" names every press secretary
            for shorter in _shorter_forms(key):
                for code in _codes(self._whole.get(shorter)):
                    _add(self._whole, key, code)
        self._longest = max((key.count(" ") + 1 for key in self._whole), default=0)
        # every name, case-folded, one a line (and its words alone): filters scan these
        self._joined, self._starts = _lines(folded)
        self._spaced, self._spaced_starts = _lines(spaced)

    def _add_offices(self, code: int, said: list[str]) -> None:
        """Speaker `code` holds the offices `said` (a parenthetical's, a transcript title's):
        each is kept as written and named by its keys (`_office_keys`)."""
        self._offices.setdefault(code, []).extend(said)
        for key in _office_keys(said):
            _add(self._whole, key, code)

    def __len__(self) -> int:
        return len(self.names)

    def codes(self, names: Iterable[str]) -> set[int]:
        """The codes (positions in `names`) of these speakers."""
        out = set()
        for name in names:
            i = bisect.bisect_left(self.names, name)
            if i < len(self.names) and self.names[i] == name:
                out.add(i)
        return out

    def naming_words(self, names: Iterable[str]) -> str:
        """The words that name these speakers: their names and their offices ("Mr. Gibbs White
        House Press Secretary"), which a question naming them holds as names, not as its
        topic."""
        words = []
        for name in names:
            words.append(name)
            for code in self.codes([name]):
                words += self._offices.get(code, [])
        return " ".join(words)

    # ------------------------------------------------------------ in a question
    def named_in(self, text: str) -> tuple[str, ...]:
        """Speakers a question names: whole names as written (`Grad B`, `the Chair`), and
        speakers sharing a distinctive capitalised part (`Powell`) outside those."""
        found = list(_NAME_WORD.finditer(text))
        words = [_bare(m.group(0)) for m in found]
        named: set[int] = set()
        covered = [False] * len(found)
        i = 0
        while i < len(found):
            for n in range(min(self._longest, len(found) - i), 0, -1):
                key = words[i : i + n]
                codes = self._whole.get(" ".join(key))
                if codes is not None and (
                    _written_as_name(found[i : i + n], key) or _is_subject(words, i, found, n)
                ):
                    named.update(_codes(codes))
                    covered[i : i + n] = [True] * n
                    i += n - 1
                    break
            i += 1
        if self._unspaced:  # written without spaces: the name inside a longer run of text
            low = text.casefold()
            for i in range(len(low) - 1):
                for code in _codes(self._unspaced.get(low[i : i + 2])):
                    if low.startswith(self.names[code].casefold(), i):
                        named.add(code)
        run: list[list[int]] = []  # the part matches of adjacent words, one list a word
        headline = _title_cased(found)
        for n, (m, word, inside) in enumerate(zip(found, words, covered, strict=True)):
            codes = []
            first_named = self._after_first_name(words, n, found)
            if not inside and (
                m.group(0)[0].isupper() or _is_subject(words, n, found) or first_named
            ):
                codes = _codes(self._parts.get(word))
                if len(codes) > MAX_FILTER_MATCHES:  # shared by thousands: names no one
                    codes = []
                elif codes and first_named:  # "did josh earnest say", all in lower case
                    codes = self._given_first_name(words, n, codes)
                elif codes and not headline:  # "Edward Snowden" is not Edward Lawrence
                    codes = self._beside_other_name(text, found, words, n, codes)
                if codes and self._before_other_surname(text, found, n, codes):
                    codes = []  # "did paul ryan say", in lower case: not Paul Kiernan
            if (
                not codes
                and not inside
                and _lone_letter(m.group(0))
                and _is_subject(words, n, found)
            ):
                codes = _codes(self._letters.get(word))  # "What did C think": Professor C
            if codes:
                run.append(codes)
            else:
                named.update(_best_matched(run))
                run = []
        named.update(_best_matched(run))
        return tuple(sorted(self.names[c] for c in named))

    def _beside_other_name(
        self,
        text: str,
        found: Sequence[re.Match[str]],
        words: Sequence[str],
        n: int,
        codes: list[int],
    ) -> list[int]:
        """Of the speakers word `n` of a question names by part (`codes`), those it still names
        beside the capitalised words next to it (spaces only between; titles and words in
        capitals, such as suffixes "Williams AM" and acronyms, change nothing):
        - a word after it that is no part of any speaker's name, nor a shortened word of one
          it names ("Industrial Design" for the Industrial Designer), makes it part of someone
          else's name: "Edward Snowden" is not Edward Lawrence, "Paul Ryan" not Paul Kiernan;
        - a word before it (not the question's first) leaves only the speakers whose label gives
          that first name, or none: "the Dow Jones" is not Claire Jones, while "Jay Carney" is
          still Mr. Carney, labelled by the surname alone."""
        if _capitalised_beside(text, found, n, n + 1) and self._names_no_one(words[n + 1], codes):
            return []
        if n < 2 or not _capitalised_beside(text, found, n, n - 1):
            return codes
        return self._given_first_name(words, n, codes)

    def _names_no_one(self, word: str, codes: list[int]) -> bool:
        """Whether `word` (case-folded) is no part of any speaker's name, nor a shortened word
        of a name of the speakers `codes` ("Industrial Design" for the Industrial Designer)."""
        if word in self._parts or word in self._whole:
            return False
        names = (_NAME_WORD.findall(self.names[code].casefold()) for code in codes)
        return not any(w.startswith(word[:4]) for each in names for w in each)

    def _before_other_surname(
        self, text: str, found: Sequence[re.Match[str]], n: int, codes: list[int]
    ) -> bool:
        """Whether word `n`, written in lower case, is followed (spaces only between, also in
        lower case) by a word that names no one (`_names_no_one`) but is a name where the
        transcripts write it (`proper`): the first name of someone else, "paul ryan"."""
        if n + 1 >= len(found) or not found[n].group(0)[:1].islower():
            return False
        after = found[n + 1].group(0)
        if text[found[n].end() : found[n + 1].start()].strip() or not after[:1].islower():
            return False
        word = _bare(after)
        return self._names_no_one(word, codes) and self._proper(word)

    def _after_first_name(
        self, words: Sequence[str], n: int, found: Sequence[re.Match[str]]
    ) -> bool:
        """Whether word `n` follows, in lower case, a subject's first word that names no
        speaker itself: "did josh earnest say", "does jerome powell think" (a first name the
        labels do not give: "MR. EARNEST", "CHAIR POWELL"), where `_is_subject` reads only the
        first name as the subject."""
        if n < 1 or found[n].group(0)[0].isupper() or found[n - 1].group(0)[0].isupper():
            return False
        before = words[n - 1]
        return (
            _is_subject(words, n - 1, found)
            and before not in self._parts
            and before not in self._whole
            and before != "the"
        )

    def _given_first_name(self, words: Sequence[str], n: int, codes: list[int]) -> list[int]:
        """Of the speakers word `n` names by part (`codes`), those the word before it still
        names as a first name: whose label gives that first name, or gives no first name at all
        ("Jay Carney" is Mr. Carney; "Paul Ryan" is not Ryan Smith)."""
        return [
            code
            for code in codes
            if words[n - 1] in (each := _NAME_WORD.findall(self.names[code].casefold()))
            or len(_distinctive(each)) < 2
        ]

    # ------------------------------------------------------------ as a filter
    def match(self, name: str) -> list[str]:
        """Speakers a filter `name` means: the whole name (any case), else names holding its
        words in order, else (three characters or more) names holding it. Raises
        AmbiguousSpeaker past MAX_FILTER_MATCHES, or for one or two letters found only inside
        names."""
        low = " ".join(name.split()).casefold()
        if not low or "\n" in low:
            return []
        exact = self._rows(f"\n{low}\n", shift=1)
        if exact:
            return [self.names[c] for c in exact]
        words = _NAME_WORD.findall(low)
        found: list[int] = []
        if words:
            found = self._rows(f" {' '.join(words)} ", by_words=True)
        if not found:
            found = self._rows(low)
            if found and len(low) < 3 and not _caseless(low[0]):
                raise AmbiguousSpeaker(
                    f"speaker {name!r} is no whole word of a name, only part of names like "
                    f"{', '.join(self.names[c] for c in found[:3])}; give more of the name"
                )
        if len(found) > MAX_FILTER_MATCHES:
            raise AmbiguousSpeaker(
                f"speaker {name!r} matches more than {MAX_FILTER_MATCHES} speakers ("
                + ", ".join(self.names[c] for c in found[:5])
                + ", …); give more of the name"
            )
        return [self.names[c] for c in found]

    def _rows(self, literal: str, shift: int = 0, by_words: bool = False) -> list[int]:
        """Codes of the first MAX_FILTER_MATCHES + 1 names holding `literal` (in the names, or
        in their words each between spaces)."""
        text, starts = (
            (self._spaced, self._spaced_starts) if by_words else (self._joined, self._starts)
        )
        out: list[int] = []
        for pos in _positions(literal, text):
            row = int(np.searchsorted(starts, pos + shift, side="right")) - 1
            if not out or out[-1] != row:
                out.append(row)
                if len(out) > MAX_FILTER_MATCHES:
                    break
        return out


def _positions(literal: str, text: str) -> Iterator[int]:
    """Where `literal` starts in `text`, overlapping (`\nb\n` must find each of two one-letter
    names in a row): `str.find`, the fastest scan there is."""
    pos = 0
    while (pos := text.find(literal, pos)) >= 0:
        yield pos
        pos += 1


def _lines(lines: list[str]) -> tuple[str, np.ndarray]:
    """`lines` as one string, one a line between newlines, and where each starts in it."""
    lengths = np.fromiter((len(x) + 1 for x in lines), dtype=np.int64, count=len(lines))
    starts = np.concatenate([[1], 1 + np.cumsum(lengths)])[: len(lines)]
    return "\n" + "\n".join(lines) + "\n", starts


def _distinctive(words: Iterable[str]) -> list[str]:
    return [w for w in words if len(w) >= 3 and w not in _TITLE_WORDS]


def _part_words(short: str, paren: str, words: list[str]) -> list[str]:
    """The words of a (case-folded) name that name its speaker alone in a question: not titles,
    and not the words of a parenthetical after a name, which tell where the speaker sits or
    what they hold ("Ms. Sonia Sidhu (Brampton South, Lib.)", "Hon. Navdeep Bains (Minister of
    Innovation, Science and Industry)"): "South" or "Science" in a question is not them (the
    parenthetical whole still is: "the Minister of Finance"). A parenthetical after a role is
    the name ("The Chair (Hon. Anthony Rota)"). `short` and `paren` are the name split by
    `split_paren`, `words` all of its words."""
    if paren:
        outside = _distinctive(_NAME_WORD.findall(short))
        if outside:
            return outside
    return _distinctive(words)


def _office_keys(titles: Iterable[str]) -> list[str]:
    """The look-up keys of what parentheticals (or a transcript's title) said of a speaker: each
    whole, each office it joins with "and" that holds an office word (`_OFFICE_WORDS`), and the
    shorter forms of each (`_shorter_forms`: the White House Press Secretary is "the press
    secretary")."""
    keys = []
    for title in titles:
        words = _NAME_WORD.findall(title.casefold())
        pieces = [words]
        if "and" in words:
            pieces += [
                piece
                for piece in (p.split() for p in " ".join(words).split(" and "))
                if _OFFICE_WORDS & set(piece)
            ]
        for piece in pieces:
            if piece:
                keys += [" ".join(piece), *_shorter_forms(" ".join(piece))]
    return list(dict.fromkeys(keys))


def _shorter_forms(office: str) -> list[str]:
    """An office less its leading words that hold no office word, while two words or more and
    an office word are left: "white house press secretary" is also "house press secretary" and
    "press secretary"; "deputy prime minister" is not "prime minister" (the deputy is an office
    of its own), nor "minister of seniors" "of seniors"."""
    words = office.split()
    forms = []
    for j in range(1, len(words) - 1):
        if _OFFICE_WORDS & set(words[:j]):
            break
        rest = words[j:]
        if _OFFICE_WORDS & set(rest):
            forms.append(" ".join(rest))
    return forms


def _best_matched(run: list[list[int]]) -> list[int]:
    """Of the speakers that adjacent words of a question name by parts, those named by the most
    of them: "Julie Morgan" names Julie Morgan AM (both words), not Eluned Morgan AM too (one)."""
    counts: dict[int, int] = {}
    for codes in run:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    most = max(counts.values(), default=0)
    return [code for code, count in counts.items() if count == most]


def _bare(word: str) -> str:
    """A question's word as names are looked up: case-folded, without a possessive
    ("Powell's", "Williams'")."""
    low = word.casefold()
    for suffix in ("'s", "’s", "'", "’"):
        low = low.removesuffix(suffix)
    return low


def _capitalised_beside(text: str, found: Sequence[re.Match[str]], n: int, other: int) -> bool:
    """Whether word `other` of a question stands right beside word `n` (spaces only between),
    capitalised, and is neither a title nor written in capitals."""
    if not 0 <= other < len(found):
        return False
    low, high = sorted((n, other))
    if text[found[low].end() : found[high].start()].strip():
        return False
    word = found[other].group(0)
    return (
        word[:1].isupper()
        and word[:1].isalpha()
        and not word.isupper()
        and _bare(word) not in _TITLE_WORDS
    )


def _title_cased(found: Sequence[re.Match[str]]) -> bool:
    """Whether a question is written in title case ("What Did Powell Say About Rates?"), where a
    capital tells nothing of a name: most of its words after the first are capitalised."""
    letters = [m.group(0) for m in found[1:] if m.group(0)[:1].isalpha()]
    return bool(letters) and sum(w[0].isupper() for w in letters) * 2 > len(letters)


def _written_as_name(found: Sequence[re.Match[str]], key: Sequence[str]) -> bool:
    """A run of question words written as a name: capitalised (numbers as they are), but for
    `the`, `of`, ..."""
    if all(w in _LOWER_OK for w in key):
        return False
    return all(
        m.group(0)[0].isupper() or not m.group(0)[0].isalpha() or w in _LOWER_OK
        for m, w in zip(found, key, strict=True)
    )


def _lone_letter(word: str) -> bool:
    """Whether a question's word is one capital letter (possessive or not), as a speaker's
    code is written ("What did C think", "did B's team"); not "I", which is the asker."""
    bare = _bare(word)
    return len(bare) == 1 and word[:1].isupper() and bare != "i"


def _is_subject(words: Sequence[str], i: int, found: Sequence[re.Match[str]], n: int = 1) -> bool:
    """Whether the question's words `i` to `i + n` are the subject of its verb, which names a
    speaker even in lower case: right after `did`, `does`, ... (`did the professor think`, `did
    marketing say`), or after `was the`, `is the`, ... as a possessive (`was the project
    manager's view`). `words` are case-folded, possessives removed; `found` the matches."""
    before = words[i - 1] if i >= 1 else ""
    if before in _SUBJECT_AFTER:
        return True
    if before != "the" or i < 2:
        return False
    if words[i - 2] in _SUBJECT_AFTER:
        return True
    last = found[i + n - 1].group(0).casefold()
    return words[i - 2] in _COPULAS and last.endswith(("'s", "’s"))


class ProperWords:
    """Whether a word is a name where the transcripts write it: capitalised in at least
    `PROPER_SHARE` of its uses inside a sentence (after a lower-case word or a comma, not at a
    sentence's start). Each word's answer is read from the texts once, on its first asking, over
    at most `PROPER_SCAN_CHARS` characters of them or until `PROPER_ENOUGH_USES` of its uses
    (enough to know how a word is written)."""

    def __init__(self, texts: Callable[[], Iterable[str]]) -> None:
        self._texts = texts
        self._known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._read(word)
        return known

    def _read(self, word: str) -> bool:
        capital = word[:1].upper() + word[1:]
        capitalised = lower = read = 0
        for text in self._texts():
            lower += sum(1 for _ in _whole_word_at(text, word))
            for start in _whole_word_at(text, capital):
                capitalised += _inside_sentence(text, start)
            read += len(text)
            if read >= PROPER_SCAN_CHARS or capitalised + lower >= PROPER_ENOUGH_USES:
                break
        return capitalised > 0 and capitalised >= PROPER_SHARE * (capitalised + lower)


PROPER_SHARE = 0.9
PROPER_SCAN_CHARS = 20_000_000
PROPER_ENOUGH_USES = 50  # ... or until this many uses of it are read


def _whole_word_at(text: str, word: str) -> Iterator[int]:
    """Where `word` stands in `text` as a whole word (`str.find`: a regular expression over
    megabytes of transcripts took many times longer)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not (start and _word_char(text[start - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            yield start
        start = text.find(word, end)


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "'’-"


def _inside_sentence(text: str, start: int) -> bool:
    """Whether position `start` of `text` follows a word or a comma on its line: not a
    sentence's, a line's or a label's first word."""
    before = text[max(0, start - 3) : start].rstrip(" ")
    return bool(before) and (before[-1].isalnum() or before[-1] == ",")
