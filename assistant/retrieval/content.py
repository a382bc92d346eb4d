"""What a passage says beyond fillers: "Right.", "Yes uh right.", "{vocalsound} Okay .", "We
can decide." and "Thank you, Mr. Clement." answer no question, however well their speaker's
label matches it.

A passage's content words are its words less function words (as coverage reads a question:
`relevance.FUNCTION_WORDS`), conversational fillers and transcription markup (`{vocalsound}`,
`[laughter]`). Passages with fewer than `RetrievalConfig.min_content_words` of them rank below
every passage with more (`demote_empty`): they show only when nothing else is there.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.retrieval.relevance import FUNCTION_WORDS
from assistant.retrieval.view import CorpusView
from assistant.tokens import has_cjk, split

# markup ({vocalsound}, [laughter]), or a word as `tokens.split` reads text (a run of Chinese
# or Japanese is one match, read as its character pairs)
_WORD_OR_MARKUP = re.compile(r"(?u)\{[^{}]{0,40}\}|\[[^\[\]]{0,40}\]|\b\w\w+\b")
_FILLER_WORDS = (
    "uh um umm hmm mm mhm huh ah oh eh er erm yeah yes yep yup no nope okay ok right alright "
    "well so like sure fine good great cool thanks thank hi hello bye"
    # forms of address: "Thank you, Mr. Clement." says no more than "Thank you, Steve."
    " mr mrs ms dr sir madam gentlemen ladies"
)
FILLERS = frozenset(_FILLER_WORDS.split())
_EMPTY = FUNCTION_WORDS | FILLERS


def content_count(text: str, enough: int | None = None) -> int:
    """How many of `text`'s words carry content: less function words, fillers and markup. A
    run of Chinese or Japanese counts its character pairs, as BM25 reads it. With `enough`,
    counting stops there (all a threshold needs to know: most passages reach two in their
    first words)."""
    count = 0
    for m in _WORD_OR_MARKUP.finditer(text):
        word = m.group(0)
        if word[0] in "{[":
            continue
        if has_cjk(word):
            count += len(split(word.lower()))
        elif word.lower() not in _EMPTY:
            count += 1
        if enough is not None and count >= enough:
            break
    return count


class Empty:
    """Which passages of an index say nothing (fewer than `least` content words), read once
    a passage and kept: a question reads only its candidates, the next one reuses them.
    Thread-safe: two threads reading the same passage store the same answer."""

    def __init__(self, view: CorpusView, least: int) -> None:
        self.view, self.least = view, least
        self._known = np.full(len(view.chunk_doc), -1, dtype=np.int8)  # -1: not read yet

    def __call__(self, row: int) -> bool:
        known = self._known[row]
        if known < 0:
            text = self.view.index.chunks[row].text
            known = self._known[row] = content_count(text, self.least) < self.least
        return bool(known)

    def among(self, rows: np.ndarray) -> np.ndarray:
        """Which of `rows` say nothing, one boolean each (those not read yet are read now)."""
        known = self._known[rows]
        for n in np.flatnonzero(known < 0).tolist():
            known[n] = self(int(rows[n]))
        return known == 1


def demote_empty(fused: dict[int, float], empty: Empty | None) -> None:
    """In place: passages that say nothing (`empty`; None: the rule is off) score below the
    lowest of the others, in the order they had among themselves."""
    if empty is None or not fused:
        return
    rows = np.fromiter(fused, dtype=np.int64, count=len(fused))
    nothing = empty.among(rows)
    if nothing.all() or not nothing.any():
        return
    scores = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
    floor, top = float(scores[~nothing].min()), float(scores[nothing].max()) or 1.0
    for i in rows[nothing].tolist():
        fused[i] = 0.5 * floor * fused[i] / top
