"""Fusing the dense and lexical rankings into one score per candidate."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.config import RetrievalConfig


def fuse(
    ids: np.ndarray,
    dense_rank: dict[int, int],
    dense_of: dict[int, float],
    lexical_rank: dict[int, int],
    lexical_of: dict[int, float],
    cfg: RetrievalConfig,
    sentence_rank: dict[int, int] | None = None,
) -> dict[int, float]:
    """One score per candidate from its dense and lexical ranks (RRF) or scores (convex).

    Raw BM25 and cosine scores are not comparable, so RRF uses ranks only; the convex mode
    scales BM25 by the query's best BM25 score first. With `sentence_rank` (the candidates'
    ranks by their best sentence, `retrieval/sentences.py`), RRF gives it
    `cfg.sentence_share` of the dense vote and the passages' own vectors the rest; the convex
    mode does not read it."""
    if cfg.fusion == "rrf":
        sentences = (sentence_rank or {}) if cfg.use_dense else {}
        share = cfg.sentence_share if sentences else 0.0
        fused = {}
        for i in ids:
            i = int(i)
            score = 0.0
            if cfg.use_dense and i in dense_rank:
                score += (1.0 - share) / (cfg.rrf_k + dense_rank[i] + 1)
            if share and i in sentences:
                score += share / (cfg.rrf_k + sentences[i] + 1)
            if cfg.use_lexical and i in lexical_rank:
                score += 1.0 / (cfg.rrf_k + lexical_rank[i] + 1)
            fused[i] = score
        return fused
    dense = np.array([dense_of.get(int(i), 0.0) for i in ids])
    lexical = np.array([lexical_of.get(int(i), 0.0) for i in ids])
    top_lexical = lexical.max() if len(lexical) and lexical.max() > 0 else 1.0
    w = cfg.dense_weight if (cfg.use_lexical and lexical_of) else 1.0
    w = w if cfg.use_dense else 0.0
    score = w * dense + (1 - w) * (lexical / top_lexical)
    return {int(i): float(s) for i, s in zip(ids, score, strict=True)}
