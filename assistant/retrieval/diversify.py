"""Dropping passages that overlap or nearly repeat a better-ranked one."""

from __future__ import annotations

import numpy as np

from assistant.index import CorpusIndex


def diversify(
    index: CorpusIndex, ranked: list[tuple[int, float]], k: int, duplicate_cosine: float
) -> list[tuple[int, float]]:
    """Best first, skipping passages that overlap or nearly repeat a better one."""
    chosen: list[tuple[int, float]] = []
    chosen_vectors: list[np.ndarray] = []
    vectors = index.vectors.vectors
    for i, score in ranked:
        chunk = index.chunks[i]
        if any(
            (other := index.chunks[j]).document == chunk.document
            and other.start < chunk.end
            and chunk.start < other.end
            for j, _ in chosen
        ):
            continue
        v = np.asarray(vectors[i])
        if any(float(v @ u) > duplicate_cosine for u in chosen_vectors):
            continue
        chosen.append((i, score))
        chosen_vectors.append(v)
        if len(chosen) == k:
            break
    return chosen
