"""Folding text for matching quotes and phrases: what a transcript has no opinion about.

Case, curly or straight quotes and apostrophes, the kind of dash, runs of white space, soft
hyphens and a word hyphenated across a line or page break ("infla-\\ntion") do not make two
texts say different things. `fold` returns the folded text with, for every folded character,
the offset of the original character it came from, so a match in folded text maps back to the
exact source span. `words` cuts folded text into words (punctuation dropped, apostrophes inside
words kept) with their original offsets. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u02bc": "'",  # ʼ
        "\u2032": "'",  # ′
        "\u0060": "'",  # `
        "\u00b4": "'",  # ´
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2039": "'",  # ‹
        "\u203a": "'",  # ›
        "\u2010": "-",  # ‐ hyphen
        "\u2011": "-",  # ‑ non-breaking hyphen
        "\u2012": "-",  # ‒ figure dash
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
        "\u2015": "-",  # ― horizontal bar
        "\u2212": "-",  # − minus
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_SOFT_HYPHEN = "\u00ad"
# A hyphen ending a line between two letters: the word was broken by the layout.
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010\u2011]+[ \t]*\r?\n\s*(?=[^\W\d_])")
# Scripts written without spaces between words: each character is a word of its own.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_LETTERS = rf"(?:(?![{CJK}])[^\W_])+"
_WORD = re.compile(rf"[{CJK}]|{_LETTERS}(?:'{_LETTERS})*")


@dataclass(frozen=True)
class Folded:
    """Folded text and, per character of it, the offset of its source character."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of folded text[start:end] (end exclusive, start < end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Word:
    text: str  # folded
    start: int  # source offsets
    end: int


def fold(text: str) -> Folded:
    """`text` folded for matching, with the source offset of every folded character."""
    joined = set()
    for m in _BROKEN_WORD.finditer(text):
        joined.update(range(m.start(), m.end()))
    out: list[str] = []
    offsets: list[int] = []
    space = True  # drop leading white space
    for i, ch in enumerate(text):
        if i in joined or ch == _SOFT_HYPHEN:
            continue
        if ch.isspace():
            if not space:
                out.append(" ")
                offsets.append(i)
                space = True
            continue
        space = False
        for piece in ch.translate(_QUOTES).casefold():
            out.append(piece)
            offsets.append(i)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Folded("".join(out), tuple(offsets))


def words(text: str) -> list[Word]:
    """The words of `text`, folded, with their source spans; punctuation and dashes separate
        words, an apostrophe inside a word does not ("don’t" is one word, "don't"); in Chinese,
    Japanese and Korean text every character is a word."""
    folded = fold(text)
    return [Word(m.group(0), *folded.span(m.start(), m.end())) for m in _WORD.finditer(folded.text)]


_PLAIN_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_HAS_CJK = re.compile(f"[{CJK}]")
# the characters `fold` turns into an apostrophe: the only ones of _QUOTES that can sit inside
# a word (the other quote marks and the dashes separate words whether folded or not)
_APOSTROPHES = re.compile("[" + "".join(chr(k) for k, v in _QUOTES.items() if v == "'") + "]")


def word_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """`words(text)` as three lists (folded words, source starts, source ends), computed without
    the per-character walk when nothing in `text` needs it (no soft hyphen, no word broken
    across a line, case folding that keeps every character one character): several times
    faster, for matching a quote against many passages. Always equal to `words(text)`."""
    if _SOFT_HYPHEN not in text and ("\n" not in text or not _BROKEN_WORD.search(text)):
        folded = _APOSTROPHES.sub("'", text).casefold()
        if len(folded) == len(text):  # each character folded to one: offsets are the same
            pattern = _WORD if _HAS_CJK.search(folded) else _PLAIN_WORD
            spans = [m.span() for m in pattern.finditer(folded)]
            return [folded[s:e] for s, e in spans], [s for s, _ in spans], [e for _, e in spans]
    slow = words(text)
    return [w.text for w in slow], [w.start for w in slow], [w.end for w in slow]


def fold_case(text: str) -> str:
    """`text` case-folded with apostrophes as `fold` writes them: every word of `words(text)`
    is a substring of it, unless a soft hyphen or a word broken across a line joined it. A
    quick test of which texts can hold a phrase, before cutting them into words."""
    return _APOSTROPHES.sub("'", text).casefold()
