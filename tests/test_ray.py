"""Builds and serving on Ray (the `ray` extra): a real two-node `ray.cluster_utils.Cluster` on
this machine, CPU only, the hashing model. A Ray build writes the same index as a local build;
a worker node killed in the middle of a build does not lose or duplicate a passage; replicas
answer as the index does."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason='Ray is an optional extra: pip install -e ".[ray]"')

from assistant import Assistant  # noqa: E402
from assistant.build import build_index  # noqa: E402
from assistant.cluster import loopback_nodes, ray_processes_env  # noqa: E402
from assistant.index import CorpusIndex  # noqa: E402
from assistant.ray_build import build_on_ray, ray_encoder, ray_reader  # noqa: E402
from embeddings import HashingModel  # noqa: E402

from .conftest import SMALL_CORPUS, write_corpus  # noqa: E402

QUESTIONS = [
    "Why did the Committee raise rates by three quarters of a point?",
    "Does the President support a quarantine of health workers?",
    "How do local governments expand trade cooperation?",
    "What about the housing market?",
]


@pytest.fixture(scope="module")
def cluster():
    """A head node and one worker node, one CPU each, bound to 127.0.0.1."""
    from ray.cluster_utils import Cluster

    node = {"num_cpus": 1, "include_dashboard": False, "node_ip_address": "127.0.0.1"}
    with ray_processes_env(), loopback_nodes():
        c = Cluster(initialize_head=True, head_node_args=node)
        worker = c.add_node(**node)
        c.wait_for_nodes()
        c.connect()
    c.node_args = node
    c.first_worker = worker
    yield c
    ray.shutdown()
    c.shutdown()


def corpus_of(root: Path, copies: int = 1) -> Path:
    files = {}
    for n in range(copies):
        for name, text in SMALL_CORPUS.items():
            files[f"c{n:02d}/{name}"] = text.replace("Good afternoon", f"Good afternoon ({n})")
    return write_corpus(root, files)


def test_every_core_process_listens_on_loopback_only(cluster):
    """Ray started by Verbatim advertises 127.0.0.1: nothing of it is reachable from outside."""
    assert {n["NodeManagerAddress"] for n in ray.nodes() if n["Alive"]} == {"127.0.0.1"}


def test_joining_a_cluster_on_loopback_by_its_address(cluster):
    """`--ray 127.0.0.1:PORT` joins a cluster kept on loopback at once (Ray on its own looks
    for it on the machine's outward address, and waits minutes for nothing)."""
    from assistant.cluster import connect

    ray.shutdown()
    began = time.monotonic()
    assert connect(cluster.address).startswith("joined")
    assert time.monotonic() - began < 60
    assert ray.cluster_resources().get("CPU") == 2


def test_ray_processes_find_the_callers_model_cache(monkeypatch, tmp_path):
    """Ray processes started here get Verbatim's HOME but the caller's model cache, so their
    actors reuse the exported ONNX model instead of exporting one of their own."""
    import embeddings.onnx as onnx

    monkeypatch.delenv("VERBATIM_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("VERBATIM_RAY_HOME", str(tmp_path / "ray-home"))
    with ray_processes_env():
        assert os.environ["HOME"] == str(tmp_path / "ray-home")
        assert onnx.cache_root() == tmp_path / "cache" / "verbatim"
    assert "VERBATIM_CACHE" not in os.environ


def test_a_ray_build_is_the_local_build(cluster, tmp_path):
    """Same passages, citations, BM25 and vectors (within float tolerance), same answers."""
    corpus = corpus_of(tmp_path / "corpus", copies=3)
    model = HashingModel()
    local = Assistant.build(corpus, tmp_path / "local", model=model)
    report = build_on_ray(corpus, tmp_path / "ray", model, address=cluster.address)
    assert report.embedded == local.report.embedded > 0
    distributed = Assistant.load(tmp_path / "ray", model=model)
    a, b = local.index, distributed.index
    assert list(a.chunks) == list(b.chunks)
    assert dict(a.documents) == dict(b.documents)
    np.testing.assert_allclose(
        np.asarray(a.vectors.vectors), np.asarray(b.vectors.vectors), atol=1e-6
    )
    assert a.tokenizer.get_vocab_dict() == b.tokenizer.get_vocab_dict()
    for q in QUESTIONS:
        assert local.ask(q).to_dict() == distributed.ask(q).to_dict()


def test_unchanged_passages_are_never_sent_to_a_worker(cluster, tmp_path):
    """The content-hash cache holds on Ray too: a rebuild after one edit embeds that file's
    changed passages only."""
    corpus = corpus_of(tmp_path / "corpus", copies=2)
    model = HashingModel()
    build_on_ray(corpus, tmp_path / "index", model, address=cluster.address)
    edited = corpus / "c00/seed/briefing.txt"
    edited.write_text(edited.read_text() + "\nLi Wei:\n\nA new paragraph about ports.\n")
    sent: list[int] = []
    encode = ray_encoder(model.name, model.dimension)

    def counting(texts):
        sent.append(len(texts))
        return encode(texts)

    report = build_index(corpus, tmp_path / "index", model, reader=ray_reader, encoder=counting)
    assert report.embedded == 1 and sent == [1]


class SlowHashingModel(HashingModel):
    """The hashing model, slowed down and leaving a mark per batch, so a test can kill a node
    while batches are in flight."""

    marks: Path

    def encode(self, texts, *, batch_size=32, show_progress=False):
        time.sleep(0.25)
        (self.marks / f"{time.monotonic_ns()}").touch()
        return super().encode(texts, batch_size=batch_size, show_progress=show_progress)


def slow_loader(marks: Path):
    def load(name: str) -> HashingModel:
        model = SlowHashingModel()
        model.marks = marks
        return model

    return load


def test_a_worker_node_killed_mid_build_loses_nothing(cluster, tmp_path):
    """Kill the node running half the embedding while batches are in flight: Ray retries on
    the node left, and the index holds every passage once, equal to a local build."""
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with ray_processes_env(), loopback_nodes():
        victim = cluster.add_node(**cluster.node_args)
        cluster.wait_for_nodes()
    corpus = corpus_of(tmp_path / "corpus", copies=12)
    marks = tmp_path / "marks"
    marks.mkdir()
    model = HashingModel()
    encoder = ray_encoder(model.name, model.dimension, batch_size=4, load=slow_loader(marks))
    result: dict = {}

    def run() -> None:
        try:
            result["report"] = build_index(
                corpus, tmp_path / "ray", model, reader=ray_reader, encoder=encoder
            )
        except BaseException as error:  # surfaced by the assertion below
            result["error"] = error

    builder = threading.Thread(target=run)
    builder.start()
    deadline = time.monotonic() + 120
    while len(list(marks.iterdir())) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert builder.is_alive(), "the build ended before the node could be killed"
    cluster.remove_node(victim, allow_graceful=False)
    builder.join(timeout=240)
    assert not builder.is_alive() and "error" not in result, result.get("error")
    local = build_index(corpus, tmp_path / "local", model)
    assert result["report"].passages == local.passages
    a = CorpusIndex.load(tmp_path / "local")
    b = CorpusIndex.load(tmp_path / "ray")
    assert list(a.chunks) == list(b.chunks)
    np.testing.assert_allclose(
        np.asarray(a.vectors.vectors), np.asarray(b.vectors.vectors), atol=1e-6
    )


def test_replicas_answer_as_the_index_does(cluster, tmp_path):
    """`serve --replicas 2`: questions answered through Ray Serve replicas equal the local
    answers; a bad filter is the same ValueError."""
    from assistant.replicas import ReplicatedAssistant, start_replicas, stop_replicas

    corpus = corpus_of(tmp_path / "corpus")
    local = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    handle = start_replicas(tmp_path / "index", 2, address=cluster.address)
    try:
        front = ReplicatedAssistant(local, handle)
        for q in QUESTIONS:
            assert front.ask(q, k=3).to_dict() == local.ask(q, k=3).to_dict()
        with pytest.raises(ValueError, match="no speaker matching"):
            front.ask(QUESTIONS[0], speaker="Nobody At All")
    finally:
        stop_replicas()
