"""Dropping passages that overlap or nearly repeat a better-ranked one."""

from __future__ import annotations

import numpy as np

from assistant.index import CorpusIndex


def diversify(
    index: CorpusIndex, ranked: list[tuple[int, float]], k: int, duplicate_cosine: float
) -> list[tuple[int, float]]:
    """Best first, skipping passages that overlap or nearly repeat a better one.

    Each passage chosen rules out, in one vectorised step, the later ones that overlap it in
    the same document or whose cosine to it exceeds `duplicate_cosine`."""
    if not ranked or k < 1:
        return []
    rows = np.fromiter((i for i, _ in ranked), dtype=np.int64, count=len(ranked))
    chunks = index.chunks
    document = np.asarray(chunks.column("document"))[rows]
    start = np.asarray(chunks.column("start"))[rows]
    end = np.asarray(chunks.column("end"))[rows]
    vectors = np.asarray(index.vectors.vectors[np.sort(rows)])[np.argsort(np.argsort(rows))]
    ruled_out = np.zeros(len(rows), dtype=bool)
    chosen: list[tuple[int, float]] = []
    for n in range(len(rows)):
        if ruled_out[n]:
            continue
        chosen.append(ranked[n])
        if len(chosen) == k:
            break
        later = slice(n + 1, None)
        ruled_out[later] |= (
            (document[later] == document[n]) & (start[later] < end[n]) & (start[n] < end[later])
        )
        ruled_out[later] |= vectors[later] @ vectors[n] > duplicate_cosine
    return chosen
