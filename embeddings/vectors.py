"""A FAISS index over unit vectors, chosen by size: exact below a threshold, IVF above.

Vectors live in a plain `vectors.npy` (memory-mapped on load); the approximate index, when there
is one, in `ivf.faiss` (or `hnsw.faiss` for indexes built with HNSW). Scores are inner products,
i.e. cosine similarities for unit vectors.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

# Up to this many vectors, exact search is used: perfect, and a flat scan of 50k vectors costs
# about as much as the query encode (~5 ms); beyond it the flat scan grows linearly (~150 ms at
# 1M) while IVF stays at a few ms. Measured by benchmarks/speed.py (docs/performance.md).
EXACT_LIMIT = 50_000
# The approximate index: IVF, because HNSW at 1M x 384 takes over 20 minutes to build on
# 2 cores (M=32) while IVF trains and fills in about a minute (docs/performance.md).
ANN_KIND = "ivf"
# IVF lists hold each vector in float16 (half of vectors.npy, which stays the exact copy): a
# probe reads half the bytes and the file is small enough to hold in memory, where a memory-
# mapped IVF-Flat paid a page fault per 4 KB of every list a question first touched (17 ms
# against 4.8 ms per search at 1M, 159 probes, docs/performance.md). Recall@10 is unchanged
# (0.985 at 1M), and the returned candidates are re-scored exactly from vectors.npy.
IVF_CODES = "fp16"
ANN_PARAMS = {
    "ivf": ("nlist", "nprobe", "train_size"),
    "hnsw": ("M", "efConstruction", "efSearch"),
}
IVF_LISTS_PER_SQRT = 4  # nlist = 4 * sqrt(n): the usual balance of centroid scan vs list scan
IVF_MIN_POINTS_PER_LIST = 39  # k-means needs at least this many training points per centroid
IVF_TRAIN_PER_LIST = 64  # training sample per list (capped at n)
# lists probed = 2.5 sqrt(nlist): recall@10 on real embeddings was ~0.98 both at 100k (nlist
# 1265: 80 probes 0.978, 120 0.988) and at 1M (nlist 4000: 100 probes 0.976, 150 0.983)
IVF_PROBE_SQRT = 2.5
IVF_MIN_PROBE = 16
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# Searches of at most this many queries run on one thread (see _one_openmp_thread).
SMALL_QUERY_BATCH = 4
# A filtered search over at most this many vectors is done exactly on the subset.
SUBSET_EXACT_LIMIT = EXACT_LIMIT

VECTORS_FILE = "vectors.npy"
ANN_FILES = {"ivf": "ivf.faiss", "hnsw": "hnsw.faiss"}
HNSW_FILE = ANN_FILES["hnsw"]
PARAMS_FILE = "vector_index.json"
# Approximate indexes are memory-mapped where faiss can (read-only; pages come in on demand).
LOAD_FLAGS = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY


def ivf_params(count: int) -> dict:
    """nlist, nprobe and training sample size for `count` vectors."""
    nlist = max(
        1, min(round(IVF_LISTS_PER_SQRT * math.sqrt(count)), count // IVF_MIN_POINTS_PER_LIST)
    )
    nprobe = min(nlist, max(IVF_MIN_PROBE, math.ceil(IVF_PROBE_SQRT * math.sqrt(nlist))))
    return {"nlist": nlist, "nprobe": nprobe, "train_size": min(count, IVF_TRAIN_PER_LIST * nlist)}


class VectorIndex:
    """Search `vectors` (n x d, float32, unit rows) by inner product."""

    def __init__(self, vectors: np.ndarray, index: faiss.Index, params: dict) -> None:
        self.vectors = vectors
        self.index = index
        self.params = params

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
        ann: str = ANN_KIND,
        hnsw_m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
        seed: int = 1234,
    ) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-d array, got shape {vectors.shape}")
        dimension = vectors.shape[1]
        if len(vectors) <= exact_limit or len(vectors) == 0:
            index = faiss.IndexFlatIP(dimension)
            params: dict = {"kind": "flat", "exact_limit": exact_limit}
            index.add(vectors)
        elif ann == "ivf":
            params = {"kind": "ivf", "exact_limit": exact_limit, **ivf_params(len(vectors))}
            params["codes"] = IVF_CODES
            quantizer = faiss.IndexFlatIP(dimension)
            index = faiss.IndexIVFScalarQuantizer(
                quantizer,
                dimension,
                params["nlist"],
                faiss.ScalarQuantizer.QT_fp16,
                faiss.METRIC_INNER_PRODUCT,
            )
            index.cp.seed = seed
            sample = vectors
            if params["train_size"] < len(vectors):
                rows = np.random.default_rng(seed).choice(
                    len(vectors), params["train_size"], replace=False
                )
                sample = vectors[np.sort(rows)]
            index.train(sample)
            index.add(vectors)
            index.nprobe = params["nprobe"]
        elif ann == "hnsw":
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
            index.add(vectors)
        else:
            raise ValueError(f"unknown approximate index {ann!r}; known: {sorted(ANN_FILES)}")
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
        if len(queries) <= SMALL_QUERY_BATCH:
            with _one_openmp_thread():
                return self._search(queries, k, allowed)
        return self._search(queries, k, allowed)

    def _search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if len(allowed) == 0:
                return (
                    np.full((len(queries), k), -np.inf, dtype=np.float32),
                    np.full((len(queries), k), -1, dtype=np.int64),
                )
            if len(allowed) <= SUBSET_EXACT_LIMIT or self.kind == "flat":
                return _exact_subset(self.vectors, allowed, queries, k)
            selector, _packed = _bitmap_selector(len(self), allowed)  # _packed: the bits
            if self.kind == "ivf":
                # probe more lists the narrower the filter, so about as many allowed vectors
                # are scanned as an unfiltered search scans
                share = len(allowed) / max(len(self), 1)
                nprobe = min(self.params["nlist"], math.ceil(self.params["nprobe"] / share))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            else:
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=self.params["efSearch"])
            return self._exact_order(queries, *self.index.search(queries, k, params=params))
        if len(self) == 0:
            return (
                np.full((len(queries), k), -np.inf, dtype=np.float32),
                np.full((len(queries), k), -1, dtype=np.int64),
            )
        return self._exact_order(queries, *self.index.search(queries, k))

    def _exact_order(
        self, queries: np.ndarray, scores: np.ndarray, ids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Quantised codes' hits re-scored from the exact vectors and re-sorted; other
        indexes' scores are exact already."""
        if "codes" not in self.params:
            return scores, ids
        for row, (query, found) in enumerate(zip(queries, ids, strict=True)):
            real = found >= 0
            exact = np.full(len(found), -np.inf, dtype=np.float32)
            exact[real] = self.vectors[found[real]] @ query
            order = np.argsort(-exact, kind="stable")
            scores[row], ids[row] = exact[order], found[order]
        return scores, ids

    def scores(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact inner products of one query with the rows `ids`."""
        return self.vectors[np.asarray(ids, dtype=np.int64)] @ np.asarray(query, dtype=np.float32)

    def save(self, directory: Path) -> list[str]:
        """Write the index files into `directory`; returns their names."""
        directory = Path(directory)
        np.save(directory / VECTORS_FILE, self.vectors)
        names = [VECTORS_FILE, PARAMS_FILE]
        if self.kind in ANN_FILES:
            faiss.write_index(self.index, str(directory / ANN_FILES[self.kind]))
            names.append(ANN_FILES[self.kind])
        (directory / PARAMS_FILE).write_text(json.dumps(self.params, indent=2), encoding="utf-8")
        return names

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> VectorIndex:
        directory = Path(directory)
        params = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
        # np.asarray: still backed by the mapped file, without np.memmap's slow Python-level
        # __getitem__ (rows are gathered for every question's candidates)
        vectors = np.asarray(np.load(directory / VECTORS_FILE, mmap_mode="r" if mmap else None))
        if vectors.ndim != 2 or vectors.shape != (params["count"], params["dimension"]):
            raise ValueError(
                f"{directory / VECTORS_FILE} holds shape {vectors.shape}, expected "
                f"({params['count']}, {params['dimension']})"
            )
        if params["kind"] == "ivf":
            # quantised lists are read into memory (see IVF_CODES); an older IVF-Flat file, as
            # large as vectors.npy, stays memory-mapped
            flags = 0 if "codes" in params else LOAD_FLAGS
            index = faiss.read_index(str(directory / ANN_FILES["ivf"]), flags)
            index.nprobe = params["nprobe"]
        elif params["kind"] == "hnsw":
            index = faiss.read_index(str(directory / HNSW_FILE), LOAD_FLAGS)
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


class CompactIndex:
    """Exact inner-product search over float16 codes alone: half the memory of one float32
    copy and a quarter of `VectorIndex`'s two (its vectors and FAISS's), at scores good to
    about three decimals. For a second index whose scores only rank (a passage's sentences),
    too large to hold twice."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def build(cls, vectors: np.ndarray, *, batch: int = 8192) -> CompactIndex:
        """From float32 or float16 rows (converted `batch` rows at a time: a memory-mapped
        float16 file is never copied whole as float32)."""
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-d array, got shape {vectors.shape}")
        index = faiss.IndexScalarQuantizer(
            vectors.shape[1], faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        )
        for start in range(0, len(vectors), batch):
            index.add(np.ascontiguousarray(vectors[start : start + batch], dtype=np.float32))
        return cls(index)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) for one query row, within the rows `allowed` when given (row
        ids, or a boolean mask of every row); ids are -1 where fewer than k exist."""
        queries = np.ascontiguousarray(np.atleast_2d(query), dtype=np.float32)
        k = max(1, min(int(k), len(self) or 1))
        if allowed is None:
            with _one_openmp_thread():
                return self.index.search(queries, k)
        selector, _packed = _bitmap_selector(len(self), allowed)  # _packed: the bits
        with _one_openmp_thread():
            return self.index.search(queries, k, params=faiss.SearchParameters(sel=selector))


def _bitmap_selector(count: int, allowed: np.ndarray) -> tuple[faiss.IDSelector, np.ndarray]:
    """A FAISS selector of the rows `allowed` among `count` (row ids, or a boolean mask of all
    `count` rows), and the packed bits it reads (keep them alive while searching). A bitmap,
    not IDSelectorBatch: hashing 300k allowed ids took ~40 ms per query."""
    allowed = np.asarray(allowed)
    if allowed.dtype == np.bool_ and len(allowed) == count:
        bits = allowed
    else:
        bits = np.zeros(count, dtype=bool)
        bits[allowed.astype(np.int64, copy=False)] = True
    packed = np.packbits(bits, bitorder="little")
    return faiss.IDSelectorBitmap(count, faiss.swig_ptr(packed)), packed


@contextmanager
def _one_openmp_thread():
    """Run a small search on the calling thread alone. A single query is too little work to
    share: with the machine busy, faiss's spinning OpenMP workers turned a 0.6 ms flat search
    of 10k vectors into 24 ms (docs/performance.md). OpenMP keeps this setting per calling
    thread, so concurrent askers do not disturb each other."""
    before = faiss.omp_get_max_threads()
    if before == 1:
        yield
        return
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


# A subset whose rows come in runs at least this long on average (whole documents: a date,
# a speaker's conferences) is scored run by run, on views of the vectors; gathering its rows
# into one copy first took three times as long at a million passages.
RUN_ROWS = 64


def _exact_subset(
    vectors: np.ndarray, allowed: np.ndarray, queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k among the rows `allowed`."""
    breaks = np.flatnonzero(np.diff(allowed) != 1) + 1
    if len(allowed) >= RUN_ROWS * (len(breaks) + 1):
        starts = allowed[np.r_[0, breaks]]
        ends = allowed[np.r_[breaks - 1, len(allowed) - 1]] + 1
        sims = np.concatenate(
            [queries @ vectors[a:b].T for a, b in zip(starts, ends, strict=True)], axis=1
        )
    else:
        sims = queries @ vectors[allowed].T
    k = min(k, len(allowed))
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(sims, top, axis=1)
    order = np.argsort(-top_scores, axis=1)
    return (
        np.take_along_axis(top_scores, order, axis=1).astype(np.float32),
        allowed[np.take_along_axis(top, order, axis=1)],
    )
