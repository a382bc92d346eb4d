"""What a passage says beyond fillers: "Right.", "Yes uh right.", "{vocalsound} Okay ." and "We
can decide." answer no question, however well their speaker's label matches it.

A passage's content words are its words less function words (as coverage reads a question:
`relevance.FUNCTION_WORDS`), conversational fillers and transcription markup (`{vocalsound}`,
`[laughter]`). Passages with
fewer than `RetrievalConfig.min_content_words` of them rank below every passage with more
(`demote_empty`): they show only when nothing else is there.
"""

from __future__ import annotations

import re

from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.relevance import FUNCTION_WORDS
from assistant.retrieval.view import CorpusView
from assistant.tokens import split

_MARKUP = re.compile(r"\{[^{}]{0,40}\}|\[[^\[\]]{0,40}\]")
_FILLER_WORDS = (
    "uh um umm hmm mm mhm huh ah oh eh er erm yeah yes yep yup no nope okay ok right alright "
    "well so like sure fine good great cool thanks thank hi hello bye"
)
FILLERS = frozenset(_FILLER_WORDS.split())
_EMPTY = FUNCTION_WORDS | FILLERS


def content_words(text: str) -> int:
    """How many of `text`'s words carry content: less function words, fillers and markup."""
    return sum(1 for w in split(_MARKUP.sub(" ", text).lower()) if w not in _EMPTY)


def demote_empty(view: CorpusView, fused: dict[int, float], cfg: RetrievalConfig) -> None:
    """In place: passages with fewer than `min_content_words` content words score below the
    lowest of the others, in the order they had among themselves."""
    if cfg.min_content_words <= 0 or not fused:
        return
    chunks = view.index.chunks
    empty = {i for i in fused if content_words(chunks[i].text) < cfg.min_content_words}
    full = [s for i, s in fused.items() if i not in empty]
    if not empty or not full:
        return
    floor, top = min(full), max(fused[i] for i in empty) or 1.0
    for i in empty:
        fused[i] = 0.5 * floor * fused[i] / top
