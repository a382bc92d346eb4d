"""The vector index chosen by size: exact below the threshold, approximate above it, with its
parameters recorded in the manifest; and the approximate index's recall on real embeddings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.build import build_index
from assistant.index import CorpusIndex, live_version, read_manifest
from embeddings import CompactIndex, HashingModel, VectorIndex
from embeddings import vectors as vectors_module
from tests.conftest import memory_mapped

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_small_collections_are_searched_exactly():
    """At or below the limit the index is flat: the search is exact."""
    vectors = _unit(np.random.default_rng(0).normal(size=(50, 16)))
    index = VectorIndex.build(vectors, exact_limit=50)
    assert index.kind == "flat"
    scores, ids = index.search(vectors[7], 1)
    assert ids[0][0] == 7 and scores[0][0] == pytest.approx(1.0, abs=1e-5)


def test_above_the_limit_the_index_is_approximate_with_recorded_parameters():
    """One vector over the limit switches to the ANN index; its parameters are kept."""
    vectors = _unit(np.random.default_rng(1).normal(size=(51, 16)))
    index = VectorIndex.build(vectors, exact_limit=50)
    assert index.kind == vectors_module.ANN_KIND
    assert index.params["exact_limit"] == 50
    assert index.params["count"] == 51
    for name in vectors_module.ANN_PARAMS[vectors_module.ANN_KIND]:
        assert name in index.params


def test_shipped_threshold_is_positive_and_below_a_million():
    """The shipped limit keeps a million passages approximate and small corpora exact."""
    assert 10_000 <= vectors_module.EXACT_LIMIT < 1_000_000


def test_index_build_switches_over_and_records_the_ann_in_the_manifest(tmp_path):
    """A build with a small exact_limit writes an ANN index, records it in the manifest, and the
    loaded assistant searches with it and finds a passage by its own words (shown whole, or
    inside the quote joining it to its paragraph's next window)."""
    index_dir = tmp_path / "index"
    build_index(SEED_CORPUS / "seed", index_dir, HashingModel(), exact_limit=2)
    manifest = read_manifest(index_dir)
    assert manifest is not None
    params = manifest["vector_index"]
    assert params["kind"] == vectors_module.ANN_KIND and params["exact_limit"] == 2
    for name in vectors_module.ANN_PARAMS[vectors_module.ANN_KIND]:
        assert name in params
    on_disk = json.loads((live_version(index_dir) / vectors_module.PARAMS_FILE).read_text())
    assert on_disk == params
    index = CorpusIndex.load(index_dir)
    assert index.vectors.kind == vectors_module.ANN_KIND
    qa = Assistant.load(index_dir, model=HashingModel())
    passage = index.chunks[3].text
    answer = qa.ask(passage, k=3)
    assert answer.answered
    assert any(passage in p.text for p in answer.passages)


def test_ann_and_flat_indexes_give_the_same_top_result_on_exact_copies():
    """Each stored vector, searched for, comes back first from the ANN index too."""
    vectors = _unit(np.random.default_rng(2).normal(size=(400, 32)))
    index = VectorIndex.build(vectors, exact_limit=10)
    _, ids = index.search(vectors, 1)
    assert (ids[:, 0] == np.arange(400)).mean() >= 0.99


def test_filtered_search_on_the_ann_index_stays_inside_the_filter():
    """A restricted search (speaker, date, document filters) returns only allowed rows."""
    vectors = _unit(np.random.default_rng(3).normal(size=(300, 16)))
    index = VectorIndex.build(vectors, exact_limit=10)
    allowed = np.arange(0, 300, 3)
    _, ids = index.search(vectors[1], 10, allowed)
    assert set(ids[0][ids[0] >= 0]) <= set(allowed)


def test_saved_ann_index_loads_with_the_same_results(tmp_path):
    """Save then load (memory-mapped) gives the same neighbours as the index built in memory."""
    vectors = _unit(np.random.default_rng(4).normal(size=(500, 24)))
    index = VectorIndex.build(vectors, exact_limit=10)
    index.save(tmp_path)
    loaded = VectorIndex.load(tmp_path)
    assert loaded.params == index.params
    assert memory_mapped(loaded.vectors)
    a = index.search(vectors[:20], 5)[1]
    b = loaded.search(vectors[:20], 5)[1]
    assert (a == b).all()


def test_ann_hits_carry_exact_cosines_in_order(tmp_path):
    """The IVF lists hold float16 codes, but every returned score is the exact cosine from
    vectors.npy and the hits come best first, filtered or not, before and after a reload."""
    vectors = _unit(np.random.default_rng(5).normal(size=(800, 24)))
    index = VectorIndex.build(vectors, exact_limit=10)
    assert index.params["codes"] == "fp16"
    index.save(tmp_path)
    allowed = np.arange(0, 800, 3)
    for searched in (index, VectorIndex.load(tmp_path)):
        for rows in (None, allowed):
            scores, ids = searched.search(vectors[:10] + 0.01, 20, rows)
            for query, row_scores, row_ids in zip(vectors[:10] + 0.01, scores, ids, strict=True):
                exact = vectors[row_ids] @ query
                assert np.allclose(row_scores, exact, atol=1e-6)
                assert (np.diff(row_scores) <= 0).all()


@pytest.mark.model
@pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(), reason=f"needs the shared corpus at {SHARED_CORPUS}"
)
def test_ann_recall_on_real_passage_embeddings():
    """On real all-MiniLM-L6-v2 embeddings of real passages, with the real dev questions as
    queries, the ANN index with the shipped parameters finds >= 95% of the exact top 10."""
    from assistant.corpus import find_sources, read_document
    from assistant.evaluation import load_questions
    from assistant.passages import chunk_transcript, embedding_text
    from embeddings import load_model

    texts = []
    for source in find_sources(SHARED_CORPUS / "fomc")[0]:
        transcript = read_document(source).transcript
        texts += [embedding_text(c, transcript) for c in chunk_transcript(transcript)]
    texts = texts[:: max(1, len(texts) // 600)][:600]
    model = load_model()
    vectors = model.encode(texts)
    queries = model.encode([q.question for q in load_questions(DEV)][:40])
    exact = VectorIndex.build(vectors, exact_limit=len(vectors))
    ann = VectorIndex.build(vectors, exact_limit=0)
    assert exact.kind == "flat" and ann.kind == vectors_module.ANN_KIND
    _, exact_ids = exact.search(queries, 10)
    _, ann_ids = ann.search(queries, 10)
    found = sum(len(set(e) & set(a)) for e, a in zip(exact_ids, ann_ids, strict=True))
    assert found / exact_ids.size >= 0.95


def test_filtered_ann_search_over_a_large_subset_stays_inside_and_finds_the_best(monkeypatch):
    """A filter too large for the exact subset path goes through the ANN index with a bitmap
    selector: only allowed rows come back, and an allowed row searched for comes back first."""
    monkeypatch.setattr(vectors_module, "SUBSET_EXACT_LIMIT", 0)
    vectors = _unit(np.random.default_rng(5).normal(size=(2000, 16)))
    index = VectorIndex.build(vectors, exact_limit=10)
    allowed = np.arange(1, 2000, 2)
    scores, ids = index.search(vectors[7], 10, allowed)
    assert set(ids[0][ids[0] >= 0]) <= set(allowed)
    assert ids[0][0] == 7 and scores[0][0] == pytest.approx(1.0, abs=1e-5)


def test_filtered_search_over_whole_documents_is_exact():
    """A filter of long runs of rows (whole documents), scored run by run, finds what a brute
    force over the allowed rows finds, as does a filter of scattered rows."""
    vectors = _unit(np.random.default_rng(6).normal(size=(3000, 16)))
    index = VectorIndex.build(vectors)
    runs = np.concatenate([np.arange(100, 400), np.arange(1000, 1200), np.arange(2900, 3000)])
    scattered = np.arange(0, 3000, 7)
    for allowed in (runs, scattered):
        queries = vectors[[3, 150, 1100]] + 0.05
        scores, ids = index.search(queries, 10, allowed)
        brute = queries @ vectors[allowed].T
        for row in range(len(queries)):
            best = allowed[np.argsort(-brute[row])[:10]]
            assert ids[row].tolist() == best.tolist()
            assert np.allclose(scores[row], vectors[best] @ queries[row], atol=1e-6)


def test_the_compact_index_ranks_as_the_exact_one_within_a_subset_too() -> None:
    """Float16 codes alone rank random unit vectors as exact float32 search does, over all rows
    and within allowed rows (as ids or as a boolean mask), and hold half a float32 copy's
    bytes."""
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    compact = CompactIndex.build(vectors.astype(np.float16), batch=700)
    exact = VectorIndex.build(vectors)
    query = vectors[42] + 0.1 * rng.standard_normal(64).astype(np.float32)
    _, want = exact.search(query, 10)
    _, got = compact.search(query, 10)
    assert list(got[0]) == list(want[0])
    allowed = np.arange(1000, 2000)
    _, want = exact.search(query, 5, allowed)
    _, got = compact.search(query, 5, allowed)
    assert list(got[0]) == list(want[0]) and all(1000 <= i < 2000 for i in got[0])
    mask = np.zeros(3000, dtype=bool)
    mask[allowed] = True  # the same rows as a boolean mask
    assert list(compact.search(query, 5, mask)[1][0]) == list(want[0])
    assert len(compact) == 3000 and compact.index.code_size == 64 * 2
