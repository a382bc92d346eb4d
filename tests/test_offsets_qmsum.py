"""The offsets invariant on QMSum's validation meetings (../shared/bench/qmsum-val): every
passage indexed, and every passage a question returns, is the exact span of its file that its
citation names. The hashing model; skipped where the shared data is absent."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant
from embeddings import HashingModel

from .conftest import SHARED, assert_passages_match_files

QMSUM = SHARED / "bench" / "qmsum-val"


@pytest.fixture(scope="module")
def qmsum_index(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    if not (QMSUM / "corpus").is_dir():
        pytest.skip(f"needs the shared data beside the checkout ({QMSUM} is absent)")
    return Assistant.build(
        QMSUM / "corpus", tmp_path_factory.mktemp("qmsum-index"), model=HashingModel()
    )


def test_every_indexed_meeting_passage_matches_its_file(qmsum_index: Assistant) -> None:
    """Every passage of every QMSum meeting, as stored, equals the file's text at its offsets."""
    files = assert_passages_match_files(qmsum_index)
    assert files == len(list(qmsum_index.corpus_root.glob("*.txt")))


def test_meeting_answers_cite_their_files_exactly(qmsum_index: Assistant) -> None:
    """QMSum questions asked of their own meeting (`document=`) and of all meetings return
    passages whose citations index the file exactly, in the meeting asked about."""
    root = qmsum_index.corpus_root
    lines = (QMSUM / "questions_meta.jsonl").read_text(encoding="utf-8").splitlines()[::8]
    seen = 0
    for line in lines:
        record = json.loads(line)
        for document in (record["doc"], None):
            answer = qmsum_index.ask(record["question"], k=5, document=document)
            for p in answer.passages:
                c = p.citation
                assert (root / c.document).read_text(encoding="utf-8")[c.start : c.end] == p.text
                assert document is None or c.document == document
                seen += 1
    assert seen > 100
