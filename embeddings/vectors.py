"""A FAISS index over unit vectors, chosen by size: exact below a threshold, HNSW above.

Vectors live in a plain `vectors.npy` (memory-mapped on load); the HNSW graph, when there is one,
in `hnsw.faiss`. Scores are inner products, i.e. cosine similarities for unit vectors.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import faiss
import numpy as np

# Below this many vectors exact search is both fast (< 15 ms) and perfect; above it HNSW.
# Measured by benchmarks/speed.py (docs/performance.md).
EXACT_LIMIT = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# A filtered search over at most this many vectors is done exactly on the subset.
SUBSET_EXACT_LIMIT = 100_000

VECTORS_FILE = "vectors.npy"
HNSW_FILE = "hnsw.faiss"
PARAMS_FILE = "vector_index.json"


class VectorIndex:
    """Search `vectors` (n x d, float32, unit rows) by inner product."""

    def __init__(self, vectors: np.ndarray, index: faiss.Index, params: dict) -> None:
        self.vectors = vectors
        self.index = index
        self.params = params
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self.params["kind"]

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        exact_limit: int = EXACT_LIMIT,
        hnsw_m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
    ) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-d array, got shape {vectors.shape}")
        dimension = vectors.shape[1]
        if len(vectors) <= exact_limit:
            index = faiss.IndexFlatIP(dimension)
            params = {"kind": "flat", "exact_limit": exact_limit}
        else:
            index = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = ef_search
            params = {
                "kind": "hnsw",
                "exact_limit": exact_limit,
                "M": hnsw_m,
                "efConstruction": ef_construction,
                "efSearch": ef_search,
            }
        if len(vectors):
            index.add(vectors)
        params["dimension"] = dimension
        params["count"] = len(vectors)
        return cls(vectors, index, params)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query row; ids are -1 where fewer than k exist.

        `allowed` restricts the search to those row ids (filters by speaker, date, document).
        """
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(int(k), len(self) or 1))
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if len(allowed) == 0:
                return (
                    np.full((len(queries), k), -np.inf, dtype=np.float32),
                    np.full((len(queries), k), -1, dtype=np.int64),
                )
            if len(allowed) <= SUBSET_EXACT_LIMIT or self.kind == "flat":
                return _exact_subset(self.vectors, allowed, queries, k)
            params = faiss.SearchParametersHNSW(
                sel=faiss.IDSelectorBatch(allowed), efSearch=self.params["efSearch"]
            )
            return self.index.search(queries, k, params=params)
        if len(self) == 0:
            return (
                np.full((len(queries), k), -np.inf, dtype=np.float32),
                np.full((len(queries), k), -1, dtype=np.int64),
            )
        return self.index.search(queries, k)

    def scores(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact inner products of one query with the rows `ids`."""
        return self.vectors[np.asarray(ids, dtype=np.int64)] @ np.asarray(query, dtype=np.float32)

    def save(self, directory: Path) -> list[str]:
        """Write the index files into `directory`; returns their names."""
        directory = Path(directory)
        np.save(directory / VECTORS_FILE, self.vectors)
        names = [VECTORS_FILE, PARAMS_FILE]
        if self.kind == "hnsw":
            faiss.write_index(self.index, str(directory / HNSW_FILE))
            names.append(HNSW_FILE)
        (directory / PARAMS_FILE).write_text(json.dumps(self.params, indent=2), encoding="utf-8")
        return names

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> VectorIndex:
        directory = Path(directory)
        params = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
        vectors = np.load(directory / VECTORS_FILE, mmap_mode="r" if mmap else None)
        if vectors.ndim != 2 or vectors.shape != (params["count"], params["dimension"]):
            raise ValueError(
                f"{directory / VECTORS_FILE} holds shape {vectors.shape}, expected "
                f"({params['count']}, {params['dimension']})"
            )
        if params["kind"] == "hnsw":
            index = faiss.read_index(str(directory / HNSW_FILE))
            index.hnsw.efSearch = params["efSearch"]
        else:
            index = faiss.IndexFlatIP(params["dimension"])
            if len(vectors):
                index.add(np.ascontiguousarray(vectors))
        if index.ntotal != params["count"]:
            raise ValueError(
                f"{directory} index holds {index.ntotal} vectors, expected {params['count']}"
            )
        return cls(vectors, index, params)


def _exact_subset(
    vectors: np.ndarray, allowed: np.ndarray, queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    sims = queries @ vectors[allowed].T
    k = min(k, len(allowed))
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(sims, top, axis=1)
    order = np.argsort(-top_scores, axis=1)
    return (
        np.take_along_axis(top_scores, order, axis=1).astype(np.float32),
        allowed[np.take_along_axis(top, order, axis=1)],
    )
