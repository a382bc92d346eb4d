"""A training pair's asking sentence held out of the corpus: what ranking would read of the
question paragraph and its answers had the reporter not said it.

The question paragraph keeps only its preamble; each answer is embedded and BM25-scored with the
preamble as the question it answers (the index embeds an answer with its question, and BM25
reads it beside its answer). The texts are built by the same functions the index is built with
(`assistant.passages.embedding_text` / `lexical_text`), so the only difference from the live
index is the held-out sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from assistant.passages import embedding_text, lexical_text
from assistant.retrieval.supervision import Pair
from assistant.retrieval.view import CorpusView


@dataclass(frozen=True)
class HeldOut:
    """For one pair: the passages whose texts change, their embedded texts and BM25 words
    without the asking sentence (None: the passage no longer exists, an empty preamble)."""

    rows: np.ndarray
    embed_texts: tuple[str | None, ...]
    lexical_tokens: tuple[tuple[str, ...] | None, ...]


def hold_out(view: CorpusView, pair: Pair) -> HeldOut:
    index = view.index
    record = index.documents[pair.document]
    transcript = record.transcript()
    paragraphs = list(transcript.paragraphs)
    asked = paragraphs[pair.paragraph - 1]
    preamble = pair.preamble.strip()
    paragraphs[pair.paragraph - 1] = replace(asked, text=preamble)
    without = replace(transcript, paragraphs=tuple(paragraphs))
    rows, embed, lexical = [], [], []
    for row in pair.question_rows:
        rows.append(row)
        if not preamble:
            embed.append(None)
            lexical.append(None)
            continue
        chunk = replace(index.chunks[row], text=preamble)
        embed.append(embedding_text(chunk, without))
        lexical.append(tuple(view.tokens(lexical_text(chunk, without))))
    for row in pair.answers:
        chunk = index.chunks[row]
        if not preamble:
            chunk = replace(chunk, question=None)
        rows.append(row)
        embed.append(embedding_text(chunk, without))
        lexical.append(tuple(view.tokens(lexical_text(chunk, without))))
    return HeldOut(np.asarray(rows, dtype=np.int64), tuple(embed), tuple(lexical))


class Bm25:
    """BM25 of a query against texts outside the index, as bm25s scores the indexed ones
    (Lucene's formula; the index's IDF, k1 and b; the average length estimated from a sample of
    the indexed passages)."""

    def __init__(self, view: CorpusView, sample: int = 2000, seed: int = 0) -> None:
        self.view = view
        bm25 = view.index.bm25
        self.k1 = float(getattr(bm25, "k1", 1.5))
        self.b = float(getattr(bm25, "b", 0.75))
        chunks = view.index.chunks
        n = len(chunks)
        rows = np.random.default_rng(seed).choice(n, size=min(sample, n), replace=False)
        lengths = []
        for row in rows.tolist():
            chunk = chunks[row]
            length = len(view.tokens(f"{chunk.speaker or ''} {chunk.text}"))
            if chunk.question:
                record = view.index.documents[chunk.document]
                length += len(view.tokens(record.paragraphs[chunk.question - 1].text))
            lengths.append(length)
        self.average = max(float(np.mean(lengths)) if lengths else 1.0, 1.0)

    def score(self, query: list[str], tokens: tuple[str, ...] | None) -> float:
        if not tokens:
            return 0.0
        counts = Counter(tokens)
        norm = self.k1 * ((1 - self.b) + self.b * len(tokens) / self.average)
        total = 0.0
        vocab, idf = self.view.vocab, self.view.idf
        for t in query:
            tf = counts.get(t, 0)
            if tf and t in vocab:
                total += float(idf[vocab[t]]) * tf / (norm + tf)
        return total
