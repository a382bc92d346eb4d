"""Finding a phrase in transcript text the way the quote check does: folded (case, quote glyphs,
dashes, white space, soft hyphens, words broken across lines; `assistant.folding`), matched as
whole words. A query of one word also matches its inflected forms ("tariff" finds "tariffs",
"hike" finds "hiked" and "hiking"), from lemminflect's English tables. Pure functions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.folding import _BROKEN_WORD, _QUOTES, _SOFT_HYPHEN, CJK, Folded, fold, words

# a letter or digit: what a match may not touch on either side (CJK scripts excepted, where
# every character is a word of its own)
_WORD_CHAR = r"[^\W_]"
_CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass(frozen=True)
class Phrase:
    """A phrase to count: its folded words and the folded forms any match must take."""

    query: str
    words: tuple[str, ...]
    forms: tuple[str, ...]  # folded texts that count (the phrase, or one word's inflections)
    pattern: re.Pattern[str]  # matches in folded text
    spaced: re.Pattern[str]  # the same, any run of white space between words: matches in text
    # folded character for character (see `_aligned`), whose offsets are the text's own

    def count(self, text: str) -> int:
        """Occurrences in `text`, as matched in its folded form."""
        aligned = _aligned(text)
        if aligned is not None:
            return len(self.spaced.findall(aligned))
        return len(self.pattern.findall(folded_text(text)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) offsets into `text` of each occurrence."""
        aligned = _aligned(text)
        if aligned is not None:
            return [m.span() for m in self.spaced.finditer(aligned)]
        folded = fold_with_offsets(text)
        return [folded.span(m.start(), m.end()) for m in self.pattern.finditer(folded.text)]


def phrase(query: str) -> Phrase:
    """The phrase `query` asks to count; ValueError when it holds no word. Surrounding quote
    marks are dropped ("\u201ctransitory\u201d" counts transitory)."""
    if not isinstance(query, str):
        raise ValueError(f"the phrase must be text, got {type(query).__name__}")
    found = tuple(w.text for w in words(query))
    if not found:
        raise ValueError(f"the phrase {query!r} has no words to count")
    folded = fold(query).text.strip("\"' ")
    forms = inflections(found[0]) if len(found) == 1 else (folded,)
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    before = "" if _CJK_CHAR.match(folded[:1]) else f"(?<!{_WORD_CHAR})"
    after = "" if _CJK_CHAR.match(folded[-1:]) else f"(?!{_WORD_CHAR})"
    exact = "|".join(re.escape(f) for f in ordered)
    spaced = "|".join(r"\s+".join(re.escape(part) for part in f.split(" ")) for f in ordered)
    return Phrase(
        query,
        found,
        forms,
        re.compile(f"{before}(?:{exact}){after}"),
        re.compile(f"{before}(?:{spaced}){after}"),
    )


@functools.lru_cache(maxsize=4096)
def inflections(word: str) -> tuple[str, ...]:
    """`word` and the inflected forms of its lemmas (plurals, tenses, comparatives), folded;
    only `word` itself when lemminflect does not know it (a name, another language)."""
    import lemminflect

    forms = {word}
    if not word.isascii() or not word.isalpha():
        return (word,)
    for lemmas in lemminflect.getAllLemmas(word).values():
        for lemma in lemmas:
            forms.add(lemma)
            for inflected in lemminflect.getAllInflections(lemma).values():
                forms.update(inflected)
    return tuple(sorted(f.casefold() for f in forms))


_NON_SPACE = re.compile(r"\S+")
# the quote glyphs and dashes folding replaces, one character for one
_REPLACEMENTS = [(chr(code), glyph) for code, glyph in _QUOTES.items()]


def _glyphs(text: str) -> str:
    """`text.translate(_QUOTES)`: a few C scans (str.translate goes character by character)."""
    for char, glyph in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, glyph)
    return text


def folded_text(text: str) -> str:
    """`fold(text).text` without the offsets, in a few C-speed passes (counting reads every
    paragraph that may hold the phrase; the offsets are needed only for the quotes shown)."""
    if "\n" in text:
        text = _BROKEN_WORD.sub("", text)
    if _SOFT_HYPHEN in text:
        text = text.replace(_SOFT_HYPHEN, "")
    return _glyphs(" ".join(text.split())).casefold()


_PLAIN_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def word_count(text: str) -> int:
    """`len(words(text))`, at C speed where the text has no CJK characters (then a word is a
    run of letters and digits, apostrophes inside it included)."""
    folded = folded_text(text)
    if _CJK_CHAR.search(folded):
        return len(words(text))
    return len(_PLAIN_WORD.findall(folded))


def _aligned(text: str) -> str | None:
    """`text` with quote glyphs, dashes and case folded character for character (so offsets
    stay the text's own), or None where folding would join or drop characters (soft hyphens,
    a word broken across lines, a character casefolding to several)."""
    if _SOFT_HYPHEN in text or ("\n" in text and _BROKEN_WORD.search(text)):
        return None
    aligned = _glyphs(text).casefold()
    return aligned if len(aligned) == len(text) else None


def fold_with_offsets(text: str) -> Folded:
    """`fold(text)`, a word at a time instead of a character at a time (texts with soft hyphens
    or words broken across lines go through `fold` itself)."""
    if _SOFT_HYPHEN in text or ("\n" in text and _BROKEN_WORD.search(text)):
        return fold(text)
    text = _glyphs(text)  # one character for one: offsets unchanged
    out: list[str] = []
    offsets: list[int] = []
    previous_end = None
    for m in _NON_SPACE.finditer(text):
        if previous_end is not None:
            out.append(" ")
            offsets.append(previous_end)  # the first white space character of the run
        word = m.group(0)
        low = word.casefold()
        out.append(low)
        if len(low) == len(word):
            offsets.extend(range(m.start(), m.end()))
        else:  # a character folding to several ("ß" -> "ss")
            for j, char in enumerate(word):
                offsets.extend([m.start() + j] * len(char.casefold()))
        previous_end = m.end()
    return Folded("".join(out), tuple(offsets))
