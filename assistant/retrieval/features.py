"""What the learned ranking reads of each candidate: the signals ranking already computes, as one
row of numbers per passage (numpy, for a few hundred candidates in well under a millisecond).

Every feature is comparable across questions and corpora: cosines as they are, BM25 scaled by
the question's best BM25 score, ranks as reciprocal ranks.
"""

from __future__ import annotations

import numpy as np

from assistant.retrieval.candidates import Candidates
from assistant.retrieval.links import Links
from assistant.retrieval.view import CorpusView
from assistant.transcripts import ANSWER, QUESTION

FEATURES = (
    "dense",  # cosine of the question to the passage (as embedded: with its context)
    "dense_rank",  # 1 / (20 + rank) among the dense candidates, 0 when not among them
    "bm25",  # BM25 score / the question's best BM25 score
    "bm25_rank",  # 1 / (20 + rank) among the BM25 candidates
    "asked_dense",  # answers: cosine of the question to the reporter's question answered
    "asked_bm25",  # answers: BM25 of the reporter's question answered, scaled
    "before_dense",  # cosine of the question to the passage before (same document)
    "after_dense",  # ... and to the passage after
    "nearby_bm25",  # the best scaled BM25 of the two passages before and the two after
    "answer",  # role: 1 for an answer to a question
    "question",  # role: 1 for a question
    "length",  # log of the characters, scaled so 700 (about a full 120-word window) is 1
    "document_dense",  # the best dense cosine among the candidates of the same document
    "document_share",  # share of all candidates that lie in the same document
    "dense_gap",  # cosine minus the best cosine of all candidates (0 for the best)
)
RANK_K = 20.0


def feature_matrix(
    view: CorpusView,
    links: Links,
    vector: np.ndarray,
    found: Candidates,
    ids: np.ndarray,
    cosines_of: dict[int, float] | None = None,
) -> np.ndarray:
    """One row of `FEATURES` per passage row in `ids` (float32). `cosines_of` replaces the
    cosines of some passages (training: texts with a sentence held out); BM25 scores are read
    from `found.lexical_all`."""
    index = view.index
    ids = np.asarray(ids, dtype=np.int64)
    n = len(ids)
    out = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    asked, before, after = links.asked[ids], links.before[ids], links.after[ids]
    # one pass over the vectors for every row a feature reads
    wanted = np.concatenate([ids, asked, before, after])
    valid = wanted >= 0
    cosines = np.zeros(len(wanted), dtype=np.float32)
    if valid.any():
        cosines[valid] = index.vectors.scores(vector, wanted[valid])
    cosines[~valid] = 0.0
    if cosines_of:
        rows = np.fromiter(cosines_of, dtype=np.int64, count=len(cosines_of))
        values = np.fromiter(cosines_of.values(), dtype=np.float32, count=len(cosines_of))
        order = np.argsort(rows)
        at = np.clip(np.searchsorted(rows[order], wanted), 0, len(rows) - 1)
        hit = rows[order][at] == wanted
        cosines[hit] = values[order][at][hit]
    dense, asked_dense, before_dense, after_dense = np.split(cosines, 4)

    lexical = found.lexical_all
    top_bm25 = float(max(found.lexical_of.values(), default=0.0)) or 1.0

    def bm25_of(rows: np.ndarray) -> np.ndarray:
        if lexical is None:
            return np.zeros(len(rows), dtype=np.float32)
        return np.where(rows >= 0, lexical[np.maximum(rows, 0)], 0.0) / top_bm25

    nearby = np.zeros(n, dtype=np.float32)
    for step in (links.before, links.after):
        row = ids
        for _ in range(2):
            row = np.where(row >= 0, step[np.maximum(row, 0)], -1)
            nearby = np.maximum(nearby, bm25_of(row))

    out[:, 0] = dense
    out[:, 1] = [_rr(found.dense_rank.get(int(i))) for i in ids]
    out[:, 2] = bm25_of(ids)
    out[:, 3] = [_rr(found.lexical_rank.get(int(i))) for i in ids]
    out[:, 4] = np.where(asked >= 0, asked_dense, 0.0)
    out[:, 5] = bm25_of(asked)
    out[:, 6] = before_dense
    out[:, 7] = after_dense
    out[:, 8] = nearby
    role = view.chunk_role[ids]
    out[:, 9] = role == ANSWER
    out[:, 10] = role == QUESTION
    out[:, 11] = np.log1p(links.chars[ids]) / np.log1p(700.0)
    documents = view.chunk_doc[ids]
    codes, inverse, counts = np.unique(documents, return_inverse=True, return_counts=True)
    best = np.full(len(codes), -1.0, dtype=np.float32)
    np.maximum.at(best, inverse, dense)
    out[:, 12] = best[inverse]
    out[:, 13] = counts[inverse] / n
    out[:, 14] = dense - dense.max()
    return out


def _rr(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (RANK_K + rank + 1)
