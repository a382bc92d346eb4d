"""Encoders: how the model runs (PyTorch, ONNX Runtime fp32 or int8), recorded per index.

Most tests use hashing models under different names (an encoder is, to an index, a model name);
those marked `model` run the packaged all-MiniLM-L6-v2 through each encoder.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

import embeddings.models as models
import embeddings.onnx as onnx
from assistant import Assistant
from assistant.build import build_index
from assistant.index import IndexMismatchError, built_with, live_version
from assistant.passages import chunk_transcript, embedding_text
from assistant.transcripts import parse_transcript
from embeddings import ENCODERS, ModelUnavailableError, default_encoder, load_model, model_name
from tests.conftest import SEED_CORPUS, CountingModel


class OtherEncoder(CountingModel):
    """The hashing model under another name: to an index, another encoder's vectors."""

    name = "hashing-384/other"
    encoder = "other"


def manifest_of(index_dir: Path) -> dict:
    version = live_version(index_dir)
    assert version is not None
    return json.loads((version / "manifest.json").read_text())


# ----------------------------------------------------------------------------- index records
def test_manifest_records_the_encoder(small_corpus: Path, tmp_path: Path, counting_model) -> None:
    """The manifest names the model and the encoder that built the index."""
    build_index(small_corpus, tmp_path / "idx", counting_model)
    model = manifest_of(tmp_path / "idx")["model"]
    assert model == {"name": "hashing-384", "encoder": "hashing", "dimension": 384}
    assert built_with(tmp_path / "idx") == "hashing-384"


def test_another_encoder_re_embeds_every_passage(
    small_corpus: Path, tmp_path: Path, counting_model
) -> None:
    """Re-indexing with another encoder embeds everything again: its hashes differ."""
    index = tmp_path / "idx"
    first = build_index(small_corpus, index, counting_model)
    hashes_before = json.loads((live_version(index) / "hashes.json").read_text())
    other = OtherEncoder()
    report = build_index(small_corpus, index, other)
    assert not report.up_to_date
    assert report.embedded == first.passages and report.reused == 0
    assert other.encoded == first.passages
    hashes_after = json.loads((live_version(index) / "hashes.json").read_text())
    assert not set(hashes_before) & set(hashes_after)
    assert manifest_of(index)["model"]["encoder"] == "other"


def test_asking_with_another_encoder_is_refused(small_corpus: Path, tmp_path: Path) -> None:
    """An index is never asked with another encoder's vectors: a clear error names both."""
    Assistant.build(small_corpus, tmp_path / "idx", model=models.HashingModel())
    with pytest.raises(IndexMismatchError, match=r"built with the embedding model 'hashing-384'"):
        Assistant.load(tmp_path / "idx", encoder="onnx-int8")
    with pytest.raises(IndexMismatchError, match="do not mix"):
        Assistant.load(tmp_path / "idx", model=OtherEncoder())


def test_loading_uses_the_index_encoder(small_corpus: Path, tmp_path: Path) -> None:
    """Without a model or encoder, `Assistant.load` encodes questions as the index was built."""
    Assistant.build(small_corpus, tmp_path / "idx", model=models.HashingModel())
    qa = Assistant.load(tmp_path / "idx")
    assert qa.model.name == "hashing-384"
    assert qa.ask("Why did the Committee raise rates?").answered


def test_rebuild_without_an_encoder_keeps_the_index_encoder(
    small_corpus: Path, tmp_path: Path
) -> None:
    """Re-indexing without naming an encoder keeps the index's: nothing is re-embedded."""
    Assistant.build(small_corpus, tmp_path / "idx", model=models.HashingModel())
    again = Assistant.build(small_corpus, tmp_path / "idx")
    assert again.model.name == "hashing-384"
    assert again.report is not None and again.report.up_to_date


def test_model_and_encoder_together_are_refused(small_corpus: Path, tmp_path: Path) -> None:
    """A model and an encoder at once is ambiguous: refused before anything is built."""
    with pytest.raises(ValueError, match="not both"):
        Assistant.build(small_corpus, tmp_path / "idx", model="hashing-384", encoder="torch")
    assert not (tmp_path / "idx").exists()


def test_unknown_encoder_is_a_clear_error() -> None:
    """An encoder that does not exist names the ones that do."""
    with pytest.raises(ModelUnavailableError, match="onnx-int8"):
        model_name("tensorrt")
    with pytest.raises(ModelUnavailableError, match="unknown embedding model"):
        load_model("all-MiniLM-L6-v2/tensorrt")


def test_encoders_have_distinct_model_names() -> None:
    """Each encoder's vectors carry their own name; torch keeps the name older indexes have."""
    names = [model_name(e) for e in ENCODERS]
    assert len(set(names)) == len(ENCODERS)
    assert model_name("torch") == "all-MiniLM-L6-v2"


def test_cli_index_offers_the_encoders() -> None:
    """`verbatim index --encoder` accepts exactly the known encoders."""
    from assistant.cli import build_parser

    args = build_parser().parse_args(["index", "corpus", "--encoder", "onnx-int8"])
    assert args.encoder == "onnx-int8" and args.batch_size is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["index", "corpus", "--encoder", "fast"])


# ----------------------------------------------------------------------------- CPU or GPU
def test_default_encoder_cpu_gpu_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """int8 ONNX on a CPU-only machine, PyTorch (fp16 CUDA) where torch sees a GPU;
    $VERBATIM_ENCODER wins over both."""
    import torch

    monkeypatch.delenv("VERBATIM_ENCODER", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert default_encoder() == "onnx-int8"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert default_encoder() == "torch"
    monkeypatch.setenv("VERBATIM_ENCODER", "onnx")
    assert default_encoder() == "onnx"


def test_torch_encoder_uses_cuda_fp16_and_big_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a GPU the PyTorch encoder loads on CUDA, halves the weights and batches 256; on the
    CPU it stays fp32 with batches of 32."""
    import sentence_transformers

    made: list[dict] = []

    class FakeST:
        max_seq_length = 256

        def __init__(self, path: str, device: str) -> None:
            self.record = {"device": device, "half": False}
            made.append(self.record)

        def half(self) -> FakeST:
            self.record["half"] = True
            return self

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", FakeST)
    monkeypatch.setattr(models, "torch_device", lambda: "cuda")
    gpu = models.SentenceTransformerModel()
    monkeypatch.setattr(models, "torch_device", lambda: "cpu")
    cpu = models.SentenceTransformerModel()
    assert made == [{"device": "cuda", "half": True}, {"device": "cpu", "half": False}]
    assert (gpu.preferred_batch_size, cpu.preferred_batch_size) == (256, 32)


def test_build_uses_the_model_batch_size(small_corpus: Path, tmp_path: Path) -> None:
    """Indexing batches as the model prefers (256 on a GPU) unless a batch size is given."""
    seen: list[int] = []

    class Big(CountingModel):
        preferred_batch_size = 256

        def encode(self, texts, *, batch_size: int = 32, show_progress: bool = False):
            seen.append(batch_size)
            return super().encode(texts, batch_size=batch_size)

    build_index(small_corpus, tmp_path / "a", Big())
    build_index(small_corpus, tmp_path / "b", Big(), batch_size=8)
    assert seen == [256, 8]


# ----------------------------------------------------------------------------- the export
def test_export_runs_once_and_is_reused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two callers at once export once (the other waits for the lock, then reuses the folder);
    a later call never exports again."""
    calls: list[Path] = []

    def fake_export(source: Path, target: Path) -> None:
        calls.append(target)
        target.mkdir(parents=True)
        for name in (onnx.FP32_FILE, onnx.INT8_FILE, onnx.COMPLETE):
            (target / name).write_bytes(b"x")

    monkeypatch.setattr(onnx, "_export", fake_export)
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(onnx.exported_model(root=tmp_path)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(results)) == 1
    assert results[0].parent == tmp_path / "onnx"

    def no_export(source: Path, target: Path) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx, "_export", no_export)
    assert onnx.exported_model(root=tmp_path) == results[0]


def test_a_half_written_export_is_redone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A folder without its completion mark (a crash mid-export) is exported again."""
    target = onnx.export_folder(tmp_path)
    target.mkdir(parents=True)
    (target / onnx.FP32_FILE).write_bytes(b"half")
    redone: list[Path] = []

    def fake_export(source: Path, folder: Path) -> None:
        redone.append(folder)
        for name in (onnx.FP32_FILE, onnx.INT8_FILE, onnx.COMPLETE):
            (folder / name).write_bytes(b"x")

    monkeypatch.setattr(onnx, "_export", fake_export)
    assert onnx.exported_model(root=tmp_path) == target and redone == [target]


def test_cache_folder_follows_verbatim_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """$VERBATIM_CACHE chooses the cache folder; never site-packages."""
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path / "c"))
    assert onnx.export_folder().is_relative_to(tmp_path / "c" / "onnx")
    monkeypatch.delenv("VERBATIM_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert onnx.cache_root() == tmp_path / "x" / "verbatim"


def test_sessions_follow_omp_num_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ray actor given one of two cores runs one ONNX session, not one per core of the
    machine; unset or nonsense, the cores this process may use decide."""
    monkeypatch.setattr(onnx.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert onnx.default_workers() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "16")
    assert onnx.default_workers() == 4
    for value in ("", "0", "two"):
        monkeypatch.setenv("OMP_NUM_THREADS", value)
        assert onnx.default_workers() == 4
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert onnx.default_workers() == 4


def test_an_unwritable_cache_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Where the cache cannot be written the error says so and how to choose another."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(onnx.ExportError, match="VERBATIM_CACHE"):
        onnx.exported_model(root=blocker)


def test_mean_pool_ignores_padding() -> None:
    """Padding tokens do not move a text's vector; vectors are unit length."""
    hidden = np.array([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert np.allclose(onnx.mean_pool(hidden, mask), [[1.0, 0.0]])


# ----------------------------------------------------------------------------- real model
def seed_texts() -> list[str]:
    texts = []
    for path in sorted((SEED_CORPUS / "seed").glob("*.txt")):
        transcript = parse_transcript(path.read_text(encoding="utf-8"))
        texts += [embedding_text(c, transcript) for c in chunk_transcript(transcript)]
    return texts


@pytest.mark.model
@pytest.mark.parametrize("encoder", ["onnx", "onnx-int8"])
def test_onnx_agrees_with_pytorch(encoder: str) -> None:
    """Every seed passage's vector (and a question's) is within cosine 0.98 of PyTorch's."""
    texts = [*seed_texts(), "What did the spokesperson say about trade cooperation?"]
    reference = load_model("torch").encode(texts)
    vectors = load_model(encoder).encode(texts)
    assert vectors.shape == reference.shape
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() >= (0.9999 if encoder == "onnx" else 0.98), cosines.min()
    # one question alone (the one-thread session) encodes as it does within a batch
    alone = load_model(encoder).encode(texts[-1:])
    assert float(alone[0] @ vectors[-1]) > 0.9999


@pytest.mark.model
def test_real_export_is_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second load finds the exported files and does not export again."""
    load_model("onnx-int8")  # exported on first use (or earlier in this cache)
    monkeypatch.setattr(onnx, "_export", lambda *a: pytest.fail("exported again"))
    again = onnx.OnnxModel(quantized=True)
    assert again.path.is_file() and again.path.is_relative_to(onnx.cache_root())
    assert again.encode(["inflation"]).shape == (1, 384)
