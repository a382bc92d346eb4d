"""Words of a question that the best passages say in other words: near-synonyms by embedding,
so that coverage does not decline a question for asking in its words what a transcript says
in its own ("... ship out its enriched uranium?" answered by a passage on the "nuclear" talks,
"Why did the Industrial Designer disagree ... cost" by one on what is "expensive").

Only a question's common words are read this way. A name or an acronym ("Obama", "IRS") is a
key term: the passages must hold it under a name the corpus uses for it (`aliases`); its
nearest word by embedding is a related thing ("Obama" / "president": cosine 0.74 with
all-MiniLM-L6-v2), often another event, and a question about it stays declined when the
passages lack it.

Word vectors are embedded when first needed and kept (`WordVectors`): coverage reads synonyms
only for a question its passages do not cover word for word, the rarer path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np

from assistant.retrieval.relevance import FUNCTION_WORDS
from assistant.retrieval.view import WORD, CorpusView
from assistant.tokens import has_cjk, is_acronym
from embeddings import EmbeddingModel

MAX_CACHED_WORDS = 200_000  # ~150 MB of float32 vectors; the cache starts over past it


class WordVectors:
    """Single words' embeddings by `model`, each embedded once (thread-safe). `meaningful` is
    False for a model whose single-word cosines say nothing of meaning (the tests' hashing
    fake, `word_similarity = False`): nothing is read as a synonym then."""

    def __init__(self, model: EmbeddingModel) -> None:
        self.model = model
        self.meaningful = bool(getattr(model, "word_similarity", True))
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def of(self, words: list[str]) -> np.ndarray:
        """One unit vector per word, in order (rows of a `len(words)` x dimension array)."""
        wanted = set(words)
        with self._lock:
            known = {w: self._vectors[w] for w in wanted if w in self._vectors}
        todo = sorted(wanted - known.keys())
        if todo:
            encoded = np.asarray(self.model.encode(todo, batch_size=256), dtype=np.float32)
            fresh = dict(zip(todo, encoded, strict=True))
            known.update(fresh)
            with self._lock:
                if len(self._vectors) + len(fresh) > MAX_CACHED_WORDS:
                    self._vectors.clear()
                self._vectors.update(fresh)
        if not words:
            return np.zeros((0, self.model.dimension), dtype=np.float32)
        return np.stack([known[w] for w in words])


def common_words(view: CorpusView, question: str, stems: Iterable[str]) -> dict[str, str]:
    """For each of `stems` (a question's content stems) that a common word of the question
    stands for, that word as the question says it (lower-cased). Names and acronyms (a
    capitalised word, the first one too: "Ebola quarantine"; two capitals or more) are left
    out, and so are runs of Chinese or Japanese characters (clauses: their character pairs are
    matched as they are). A function word opening a question ("Is", "What") is no content
    anyway."""
    wanted = set(stems)
    out: dict[str, str] = {}
    for m in WORD.finditer(question):
        raw = m.group(0)
        if raw[:1].isupper() or is_acronym(raw):
            continue
        word = raw.lower()
        if has_cjk(word):  # a run of unspaced characters is a clause, not a word
            continue
        for stem in view.tokens(word):
            if stem in wanted:
                out.setdefault(stem, word)
    return out


def content_words(texts: Iterable[str]) -> list[str]:
    """The distinct words of `texts` that can carry meaning (no function words or numbers, no
    runs of Chinese or Japanese characters, which are clauses), sorted. A word the texts write
    only capitalised ("Japanese", "Iraq") is a name, left out as a question's names are: a
    common word of the question said otherwise is said in common words ("yen" is not
    "Japanese")."""
    lower: set[str] = set()
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group(0)
            if word != word.lower() or len(word) < 2 or word.isdigit() or has_cjk(word):
                continue  # a name, or no word
            if word not in FUNCTION_WORDS:
                lower.add(word)
    return sorted(lower)


def said_otherwise(
    asked: dict[str, str], words: list[str], vectors: WordVectors, cosine: float
) -> dict[str, str]:
    """The stems of `asked` (stem -> the question's word) whose word has a near-synonym among
    `words` (a passage's): one at `cosine` or closer by embedding, with that nearest word."""
    if not asked or not words or not vectors.meaningful:
        return {}
    stems = list(asked)
    sims = vectors.of([asked[s] for s in stems]) @ vectors.of(words).T
    best = sims.argmax(axis=1)
    return {
        s: words[int(j)]
        for n, (s, j) in enumerate(zip(stems, best, strict=True))
        if sims[n, j] >= cosine
    }
