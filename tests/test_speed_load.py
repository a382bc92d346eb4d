"""Fast start: loading an index reads neither the corpus nor the model's passages again, maps
the vectors instead of reading them, and skips re-hashing big files only while untouched."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import assistant.index as index_module
from assistant.api import Assistant
from assistant.build import build_index
from assistant.index import IndexCorruptError, live_version
from embeddings import HashingModel, load_model
from tests.conftest import memory_mapped

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"


class CountingModel(HashingModel):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        self.texts += len(texts)
        return super().encode(texts, batch_size=batch_size, show_progress=show_progress)


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS / "seed", corpus / "seed")  # the seed only, not the archive
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, HashingModel())
    return corpus, index_dir


def test_load_needs_neither_the_corpus_nor_passage_embeddings(built):
    """With the corpus folder gone, the index loads and answers; the model encodes only the
    question."""
    corpus, index_dir = built
    shutil.rmtree(corpus)
    model = CountingModel()
    qa = Assistant.load(index_dir, model=model)
    assert model.texts == 0
    answer = qa.ask(qa.index.chunks[3].text)
    assert answer.answered
    assert model.texts == 1


def test_vectors_are_memory_mapped(built):
    """The vector matrix is a read-only map of vectors.npy, not a copy in memory."""
    _, index_dir = built
    qa = Assistant.load(index_dir, model=HashingModel())
    assert memory_mapped(qa.index.vectors.vectors)


def test_the_model_is_loaded_once_per_process():
    """load_model returns the same object for the same name."""
    assert load_model("hashing-384") is load_model("hashing-384")


def test_untouched_big_files_are_not_rehashed(built, monkeypatch):
    """Files over the size threshold whose stat matches the build's are trusted on load."""
    _, index_dir = built
    monkeypatch.setattr(index_module, "TRUST_STAT_BYTES", 0)
    hashed = []
    real = index_module.file_sha256
    monkeypatch.setattr(index_module, "file_sha256", lambda p: hashed.append(p) or real(p))
    Assistant.load(index_dir, model=HashingModel())
    assert hashed == []


def test_an_edited_big_file_is_still_hashed_and_caught(built, monkeypatch):
    """A byte flipped in a trusted-size file changes its ctime: it is hashed and rejected."""
    _, index_dir = built
    monkeypatch.setattr(index_module, "TRUST_STAT_BYTES", 0)
    path = live_version(index_dir) / "vectors.npy"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="checksum"):
        Assistant.load(index_dir, model=HashingModel())
