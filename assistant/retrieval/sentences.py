"""Each passage's sentences embedded on their own, searched as a third voter beside the passages'
vectors and BM25 (`fusion.fuse`: it takes `RetrievalConfig.sentence_share` of the dense vote).

A passage's vector is the mean of its words: a 150-word answer that settles the question in one
sentence and spends the rest on another topic lies far from the question, below shorter
passages that only touch it. Its best sentence does not. Each sentence is read with its
speaker's label, as the passage is (not the transcript's title: a sentence is short, and the
title would outweigh it).

`verbatim tune` embeds them once per index version (`build_sentences`: `sentences.npy` float16,
`sentence_rows.npy` the passage row of each); an index without them ranks as before. Above
`MAX_PASSAGES` passages none are embedded (the sentences of a million passages would take hours
to embed on a CPU and gigabytes to hold).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from assistant.index import CorpusIndex
from assistant.tokens import count_words
from embeddings import CompactIndex, EmbeddingModel

SENTENCES_FILE = "sentences.npy"
SENTENCE_ROWS_FILE = "sentence_rows.npy"
MAX_PASSAGES = 100_000  # about 330,000 sentences: 250 MB of float16 codes in memory
MIN_WORDS = 4  # shorter sentences ("Yes.", "Thank you.") are read as part of their passage only
POOL = 4  # sentences searched per passage wanted: a passage's sentences often rank together
# after ". ", "? ", "! " (an abbreviation's full stop splits too: harmless, both halves are
# read), or after a Chinese or Japanese full stop
_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def sentences_of(text: str) -> list[str]:
    """The sentences of `text` of at least `MIN_WORDS` words, in order; the whole text when it
    has none (a one-line turn "Right, the disks." is its own sentence)."""
    parts = [p.strip() for p in _END.split(text)]
    kept = [p for p in parts if p and count_words(p) >= MIN_WORDS]
    return kept or [text.strip()]


def sentence_texts(index: CorpusIndex) -> tuple[list[str], np.ndarray]:
    """What the model reads for each sentence of each passage ("Chair Powell: <sentence>"),
    and the passage row of each, in row order."""
    texts: list[str] = []
    rows: list[int] = []
    chunks = index.chunks
    for row in range(len(chunks)):
        chunk = chunks[row]
        label = f"{chunk.speaker}: " if chunk.speaker else ""
        for sentence in sentences_of(chunk.text):
            texts.append(label + sentence)
            rows.append(row)
    return texts, np.asarray(rows, dtype=np.int32)


def has_sentences(index: CorpusIndex) -> bool:
    """Whether this index version holds its sentences' vectors (or is too large to)."""
    version = Path(index.path)
    return len(index.chunks) > MAX_PASSAGES or (
        (version / SENTENCES_FILE).is_file() and (version / SENTENCE_ROWS_FILE).is_file()
    )


def build_sentences(
    index: CorpusIndex, model: EmbeddingModel, *, show_progress: bool = False
) -> int:
    """Embed the sentences of every passage and write them beside the version; returns how many
    (0 above `MAX_PASSAGES` passages, where none are written)."""
    version = Path(index.path)
    if len(index.chunks) > MAX_PASSAGES:
        return 0
    texts, rows = sentence_texts(index)
    vectors = (
        model.encode(texts, batch_size=128, show_progress=show_progress)
        if texts
        else np.zeros((0, model.dimension), dtype=np.float32)
    )
    for name, array in (
        (SENTENCE_ROWS_FILE, rows),
        (SENTENCES_FILE, np.asarray(vectors, dtype=np.float16)),
    ):  # the vectors last: `has_sentences` is true only once both are whole
        tmp = version / f".{name}.tmp-{os.getpid()}.npy"
        np.save(tmp, array)
        os.replace(tmp, version / name)
    return len(texts)


class Sentences:
    """The sentences' vectors of one index and the passage row of each; `ranks` searches
    them."""

    def __init__(self, vectors: CompactIndex, rows: np.ndarray) -> None:
        self.vectors = vectors
        self.rows = rows

    @classmethod
    def load(cls, index: CorpusIndex) -> Sentences | None:
        """The index's sentences, or None when it has none (not tuned, or too large)."""
        version = Path(index.path)
        try:
            rows = np.load(version / SENTENCE_ROWS_FILE)
            vectors = np.load(version / SENTENCES_FILE, mmap_mode="r")
        except (OSError, ValueError):
            return None
        if len(rows) != len(vectors) or not len(rows) or int(rows.max()) >= len(index.chunks):
            return None
        return cls(CompactIndex.build(vectors), rows)

    def ranks(self, vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> dict[int, int]:
        """The `k` passages (within `mask`) whose best sentence is nearest `vector`, as
        {passage row: 0-based rank}."""
        allowed = None if mask is None else mask[self.rows]  # the sentences of those passages
        if allowed is not None and not allowed.any():
            return {}
        _, ids = self.vectors.search(vector, POOL * k, allowed)
        ranks: dict[int, int] = {}
        for i in ids[0]:
            if i < 0:
                continue
            row = int(self.rows[i])
            if row not in ranks:
                ranks[row] = len(ranks)
                if len(ranks) == k:
                    break
        return ranks
