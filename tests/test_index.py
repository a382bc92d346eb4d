"""The on-disk index: round trip, content-hash reuse, incremental updates, damage, staleness."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.build import build_index
from assistant.index import (
    FORMAT_VERSION,
    MANIFEST,
    CorpusIndex,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    live_version,
)
from assistant.passages import chunk_transcript
from assistant.transcripts import parse_transcript

from .conftest import FOMC_LIKE, SMALL_CORPUS, CountingModel

QUESTIONS = [
    "Why did the Committee raise rates by three quarters of a point?",
    "Does the President support a quarantine of health workers returning from West Africa?",
    "How do local governments expand trade cooperation?",
]


def answers(qa: Assistant) -> list[dict]:
    return [qa.ask(q).to_dict() for q in QUESTIONS]


def expected_passages(corpus: Path) -> set[tuple[str, int, int, str]]:
    """What an index of `corpus` must hold, computed from the files as they are now."""
    out = set()
    for path in sorted(corpus.rglob("*.txt")):
        document = path.relative_to(corpus).as_posix()
        t = parse_transcript(path.read_text(encoding="utf-8"), document)
        out |= {(c.document, c.start, c.end, c.text) for c in chunk_transcript(t)}
    return out


def assert_index_is_exactly(index: CorpusIndex, corpus: Path) -> None:
    """No duplicates, no stale or deleted passages, offsets valid against the files now."""
    held = [(c.document, c.start, c.end, c.text) for c in index.chunks]
    assert len(held) == len(set(held)), "duplicate passages"
    assert set(held) == expected_passages(corpus)
    assert len(index.vectors) == len(index.chunks)
    for document, start, end, text in held:
        assert (corpus / document).read_text(encoding="utf-8")[start:end] == text


# ------------------------------------------------------------------ round trip
def test_save_load_round_trip(small_corpus, tmp_path, counting_model):
    """A loaded index holds the same documents, passages and vectors, and answers the same."""
    built = Assistant.build(small_corpus, tmp_path / "index", model=counting_model)
    loaded = Assistant.load(tmp_path / "index")
    assert loaded.index.chunks == built.index.chunks
    assert loaded.index.documents == built.index.documents
    assert np.array_equal(np.asarray(loaded.index.vectors.vectors), built.index.vectors.vectors)
    assert loaded.corpus_root == small_corpus.resolve()
    assert loaded.index.model_name == "hashing-384"
    assert answers(loaded) == answers(built)
    assert loaded.documents() == built.documents()


def test_stored_passages_and_paragraphs_are_those_parsed(small_corpus, tmp_path, hashing_model):
    """Every field of every passage and paragraph survives the columnar store: the loaded
    chunks and records equal what the parser and chunker make from the files."""
    build_index(small_corpus, tmp_path / "index", hashing_model)
    index = CorpusIndex.load(tmp_path / "index")
    expected_chunks, expected_paragraphs = [], {}
    for document in sorted(index.documents):
        t = parse_transcript((small_corpus / document).read_text(encoding="utf-8"), document)
        expected_paragraphs[document] = t.paragraphs
        expected_chunks += chunk_transcript(t)
    key = lambda c: (c.document, c.start, c.end)  # noqa: E731
    assert sorted(index.chunks, key=key) == sorted(expected_chunks, key=key)
    assert any(c.question for c in index.chunks) and any(c.speaker is None for c in index.chunks)
    for document, paragraphs in expected_paragraphs.items():
        record = index.documents[document]
        assert record.paragraphs == paragraphs
        assert record.text == (small_corpus / document).read_text(encoding="utf-8")
        assert index.documents.date(document) == record.date
        assert index.documents.sha256(document) == record.sha256


def test_passages_behave_as_a_read_only_sequence(small_corpus, tmp_path, hashing_model):
    """Negative indexes, slices, iteration and bounds act as on a list of the same chunks."""
    build_index(small_corpus, tmp_path / "index", hashing_model)
    chunks = CorpusIndex.load(tmp_path / "index").chunks
    as_list = list(chunks)
    assert len(as_list) == len(chunks) > 3
    assert chunks[-1] == as_list[-1] and chunks[1:3] == as_list[1:3]
    assert chunks[::-2] == as_list[::-2]
    assert chunks == as_list
    with pytest.raises(IndexError):
        chunks[len(chunks)]


def test_answers_to_matches_the_passages(small_corpus, tmp_path, hashing_model):
    """The Retriever's (document, question paragraph) -> answering passages lookup equals the
    grouping done passage by passage."""
    from assistant.retrieval import Retriever
    from assistant.transcripts import ANSWER

    build_index(small_corpus, tmp_path / "index", hashing_model)
    index = CorpusIndex.load(tmp_path / "index")
    expected: dict[tuple[str, int], list[int]] = {}
    for i, c in enumerate(index.chunks):
        if c.role == ANSWER and c.question:
            expected.setdefault((c.document, c.question), []).append(i)
    assert expected
    retriever = Retriever(index, hashing_model)
    for key, rows in expected.items():
        assert retriever.view.answers_to.get(key, []) == rows
    for c in index.chunks:
        if (c.document, c.paragraph) not in expected:
            assert retriever.view.answers_to.get((c.document, c.paragraph), []) == []
    assert retriever.view.answers_to.get(("no such document", 1), []) == []
    assert list(retriever.view.chunk_role) == [c.role for c in index.chunks]
    speakers = [c.speaker if c.speaker else None for c in index.chunks]
    assert [
        retriever.speakers[s] if s >= 0 else None for s in retriever.view.chunk_speaker
    ] == speakers


def test_manifest_records_format_model_files_and_counts(small_corpus, tmp_path, hashing_model):
    build_index(small_corpus, tmp_path / "index", hashing_model)
    manifest = json.loads((live_version(tmp_path / "index") / MANIFEST).read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model"] == {"name": "hashing-384", "encoder": "hashing", "dimension": 384}
    assert set(manifest["files"]) == set(SMALL_CORPUS)
    assert manifest["counts"]["documents"] == 3
    assert manifest["counts"]["passages"] == sum(f["passages"] for f in manifest["files"].values())
    stored = {"vectors.npy", "tables.json", "texts.bin", "passages/start.npy", "paragraphs/end.npy"}
    assert stored <= set(manifest["checksums"])


def test_loading_where_there_is_no_index(tmp_path):
    with pytest.raises(IndexNotFoundError, match="verbatim index CORPUS_DIR --index"):
        Assistant.load(tmp_path / "nothing-here")


# ------------------------------------------------------------------ reuse
def test_unchanged_reindex_embeds_nothing(small_corpus, tmp_path, counting_model):
    """Re-indexing an unchanged corpus embeds nothing and reports it is up to date."""
    first = build_index(small_corpus, tmp_path / "index", counting_model)
    assert counting_model.encoded == first.passages > 0
    counting_model.reset()
    again = build_index(small_corpus, tmp_path / "index", counting_model)
    assert counting_model.encoded == 0
    assert again.up_to_date


def test_touched_but_identical_files_embed_nothing(small_corpus, tmp_path, counting_model):
    """A new modification time alone is not a change."""
    build_index(small_corpus, tmp_path / "index", counting_model)
    counting_model.reset()
    for path in small_corpus.rglob("*.txt"):
        os.utime(path, ns=(10**18, 10**18))
    build_index(small_corpus, tmp_path / "index", counting_model)
    assert counting_model.encoded == 0
    assert Assistant.load(tmp_path / "index").stale_documents() == []


def test_one_changed_file_reembeds_only_its_passages(small_corpus, tmp_path, counting_model):
    """Retitling one transcript changes the embedded text of all its passages, and only those."""
    build_index(small_corpus, tmp_path / "index", counting_model)
    counting_model.reset()
    document = "fomc/fomc_2022-06-15.txt"
    (small_corpus / document).write_text(
        FOMC_LIKE.replace("Press Conference", "Press Briefing"), encoding="utf-8"
    )
    report = build_index(small_corpus, tmp_path / "index", counting_model)
    index = CorpusIndex.load(tmp_path / "index")
    own = sum(1 for c in index.chunks if c.document == document)
    assert counting_model.encoded == report.embedded == own
    assert report.reused == len(index.chunks) - own
    assert report.changed == [document]


def test_an_added_paragraph_embeds_one_passage(small_corpus, tmp_path, counting_model):
    build_index(small_corpus, tmp_path / "index", counting_model)
    counting_model.reset()
    path = small_corpus / "whitehouse/wh_2014-10-29.txt"
    path.write_text(
        path.read_text() + "\nMR. EARNEST: One more thing about the weather today.\n",
        encoding="utf-8",
    )
    build_index(small_corpus, tmp_path / "index", counting_model)
    assert counting_model.encoded == 1


def test_a_removed_file_removes_its_passages(small_corpus, tmp_path, counting_model):
    """Deleting a transcript removes its passages and its document, embedding nothing."""
    build_index(small_corpus, tmp_path / "index", counting_model)
    counting_model.reset()
    (small_corpus / "seed/briefing.txt").unlink()
    report = build_index(small_corpus, tmp_path / "index", counting_model)
    assert report.removed == ["seed/briefing.txt"]
    assert counting_model.encoded == 0
    qa = Assistant.load(tmp_path / "index")
    assert "seed/briefing.txt" not in qa.index.documents
    assert all(c.document != "seed/briefing.txt" for c in qa.index.chunks)
    assert_index_is_exactly(qa.index, small_corpus)
    with pytest.raises(ValueError, match="no document matching"):
        qa.ask("trade cooperation", document="seed/briefing.txt")


def test_add_change_rename_delete_gives_exactly_the_current_corpus(small_corpus, tmp_path):
    """After adding, changing, renaming and deleting files and re-indexing, the index holds
    exactly the current corpus."""
    model = CountingModel()
    build_index(small_corpus, tmp_path / "index", model)
    # add
    (small_corpus / "new").mkdir()
    (small_corpus / "new/added.txt").write_text(
        "Added briefing, 2021-02-03\n\nMS. PSAKI: Vaccines are shipping to every state today.\n",
        encoding="utf-8",
    )
    # change one paragraph
    path = small_corpus / "fomc/fomc_2022-06-15.txt"
    path.write_text(
        path.read_text().replace("softening as mortgage rates", "cooling as mortgage rates"),
        encoding="utf-8",
    )
    # rename
    (small_corpus / "whitehouse/wh_2014-10-29.txt").rename(small_corpus / "whitehouse/moved.txt")
    # delete
    (small_corpus / "seed/briefing.txt").unlink()
    model.reset()
    report = build_index(small_corpus, tmp_path / "index", model)
    assert sorted(report.added) == ["new/added.txt", "whitehouse/moved.txt"]
    assert report.changed == ["fomc/fomc_2022-06-15.txt"]
    assert sorted(report.removed) == ["seed/briefing.txt", "whitehouse/wh_2014-10-29.txt"]
    # a renamed file's passages keep their vectors (same text); only new text is embedded
    assert model.encoded == 2
    index = CorpusIndex.load(tmp_path / "index")
    assert set(index.documents) == {
        "fomc/fomc_2022-06-15.txt",
        "new/added.txt",
        "whitehouse/moved.txt",
    }
    assert_index_is_exactly(index, small_corpus)
    assert not any("softening" in c.text for c in index.chunks)


def test_repeated_updates_never_duplicate(small_corpus, tmp_path, hashing_model):
    """Five rounds of edits and re-indexing: always exactly the current corpus."""
    path = small_corpus / "whitehouse/wh_2014-10-29.txt"
    for n in range(5):
        path.write_text(
            path.read_text() + f"\nQ Question number {n} about the schedule?\n", encoding="utf-8"
        )
        build_index(small_corpus, tmp_path / "index", hashing_model)
        assert_index_is_exactly(CorpusIndex.load(tmp_path / "index"), small_corpus)
    assert len(list((tmp_path / "index").glob("v-*"))) == 1  # old versions are removed


# ------------------------------------------------------------------ mismatches
def test_model_mismatch_names_the_command(small_corpus, tmp_path, hashing_model):
    """An index built with another model fails to load with a message saying what to run."""
    build_index(small_corpus, tmp_path / "index", hashing_model)
    with pytest.raises(IndexMismatchError) as caught:
        Assistant.load(tmp_path / "index", model="all-MiniLM-L6-v2")
    message = str(caught.value)
    assert "'hashing-384'" in message and "'all-MiniLM-L6-v2'" in message
    assert f"verbatim index {small_corpus.resolve()} --index {tmp_path / 'index'}" in message


def test_format_version_mismatch_names_the_command(small_corpus, tmp_path, hashing_model):
    """An index of another format version fails to load with a message saying what to run."""
    build_index(small_corpus, tmp_path / "index", hashing_model)
    manifest_path = live_version(tmp_path / "index") / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = FORMAT_VERSION + 1
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError) as caught:
        Assistant.load(tmp_path / "index")
    message = str(caught.value)
    assert f"format version {FORMAT_VERSION + 1}" in message
    assert f"reads version {FORMAT_VERSION}" in message
    assert f"verbatim index {small_corpus.resolve()} --index" in message


def test_reindex_after_model_change_embeds_everything(small_corpus, tmp_path, hashing_model):
    """Vectors of another model are never reused."""
    build_index(small_corpus, tmp_path / "index", hashing_model)

    class OtherModel(CountingModel):
        name = "other-model"

    other = OtherModel()
    report = build_index(small_corpus, tmp_path / "index", other)
    assert other.encoded == report.passages
    assert CorpusIndex.load(tmp_path / "index").model_name == "other-model"


# ------------------------------------------------------------------ damage
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_offsets(path: Path) -> None:
    """Same length, other offsets: a silent wrong citation if it went unnoticed."""
    column = np.load(path)
    column[0] += 1
    size = path.stat().st_size
    np.save(path, column)
    assert path.stat().st_size == size


def _edit_text(path: Path) -> None:
    """Same length, one letter changed: a quote the transcript never held."""
    data = path.read_bytes()
    path.write_bytes(data.replace(b"inflation", b"Inflation", 1))


DAMAGE = {
    "truncated-vectors": ("vectors.npy", _truncate),
    "flipped-byte-in-vectors": ("vectors.npy", _flip_byte),
    "edited-passage-offsets": ("passages/start.npy", _edit_offsets),
    "edited-paragraph-offsets": ("paragraphs/end.npy", _edit_offsets),
    "edited-texts": ("texts.bin", _edit_text),
    "missing-tables-json": ("tables.json", Path.unlink),
    "missing-bm25-file": ("bm25/params.index.json", Path.unlink),
    "invalid-manifest": ("manifest.json", lambda p: p.write_text("{not json")),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_is_detected_on_load(small_corpus, tmp_path, hashing_model, damage):
    """A damaged file is named in the error, with the command that rebuilds the index."""
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, hashing_model)
    name, harm = DAMAGE[damage]
    path = live_version(index_dir) / name
    assert path.exists(), f"the index has no {name}"
    harm(path)
    with pytest.raises(IndexCorruptError) as caught:
        Assistant.load(index_dir)
    message = str(caught.value)
    assert str(path) in message
    # the corpus folder is named when the manifest can still say it
    corpus = "CORPUS_DIR" if name == MANIFEST else str(small_corpus.resolve())
    assert f"rebuild it with: verbatim index {corpus} --index {index_dir}" in message


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_reindex_repairs_a_damaged_index(small_corpus, tmp_path, hashing_model, damage):
    """`verbatim index` (build_index) on a damaged index rebuilds it rather than calling it
    up to date, and never reuses vectors from the damaged file."""
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, hashing_model)
    reference = answers(Assistant.load(index_dir))
    name, harm = DAMAGE[damage]
    harm(live_version(index_dir) / name)
    model = CountingModel()
    report = build_index(small_corpus, index_dir, model)
    assert not report.up_to_date
    if name == "vectors.npy":
        assert model.encoded == report.passages
    assert answers(Assistant.load(index_dir)) == reference


def test_current_pointing_at_nothing_is_reported(small_corpus, tmp_path, hashing_model):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, hashing_model)
    shutil.rmtree(live_version(index_dir))
    with pytest.raises(IndexCorruptError, match=r"manifest\.json is missing.*verbatim index"):
        Assistant.load(index_dir)


def test_garbage_current_pointer_is_reported(small_corpus, tmp_path, hashing_model):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, hashing_model)
    (index_dir / "CURRENT").write_text("../../etc\n")
    with pytest.raises(IndexCorruptError, match=r"CURRENT does not name a version folder"):
        Assistant.load(index_dir)
    build_index(small_corpus, index_dir, hashing_model)  # and the index command repairs it
    assert len(Assistant.load(index_dir).index.chunks) > 0


# ------------------------------------------------------------------ stale files
def test_file_changed_after_indexing_is_detected(small_corpus, tmp_path, hashing_model):
    """An edited transcript is reported stale, and a deleted one too; the rest is fresh."""
    qa = Assistant.build(small_corpus, tmp_path / "index", model=hashing_model)
    assert qa.stale_documents() == []
    path = small_corpus / "fomc/fomc_2022-06-15.txt"
    path.write_text(path.read_text().replace("three quarters", "half"), encoding="utf-8")
    (small_corpus / "seed/briefing.txt").unlink()
    assert qa.stale_documents() == ["fomc/fomc_2022-06-15.txt", "seed/briefing.txt"]
    assert Assistant.load(tmp_path / "index").stale_documents() == qa.stale_documents()


def test_answers_never_show_text_no_longer_in_the_file(small_corpus, tmp_path, hashing_model):
    """Passages of an edited transcript are left out, and the answer says to re-index."""
    qa = Assistant.build(small_corpus, tmp_path / "index", model=hashing_model)
    question = "Why did the Committee raise rates by three quarters of a point?"
    before = qa.ask(question, k=3)
    assert before.answered
    assert before.passages[0].citation.document == "fomc/fomc_2022-06-15.txt"
    path = small_corpus / "fomc/fomc_2022-06-15.txt"
    path.write_text("Moved elsewhere\n\n" + path.read_text(), encoding="utf-8")  # offsets shift
    after = qa.ask(question, k=3)
    assert all(p.citation.document != "fomc/fomc_2022-06-15.txt" for p in after.passages)
    assert after.filters["stale_documents"] == ["fomc/fomc_2022-06-15.txt"]
    for p in after.passages:
        c = p.citation
        assert (small_corpus / c.document).read_text(encoding="utf-8")[c.start : c.end] == p.text
    if not after.answered:
        assert "fomc/fomc_2022-06-15.txt" in after.reason
        assert "indexed again" in after.reason


def test_only_stale_answers_decline_with_the_reindex_command(small_corpus, tmp_path, caplog):
    """When every answering passage is stale, the answer declines naming the documents relative
    to the corpus; the command, with the server's folders, goes to the operator's log only."""
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    for path in small_corpus.rglob("*.txt"):
        path.write_text(path.read_text() + "\nQ Another question?\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="assistant.api"):
        answer = qa.ask("Why did the Committee raise rates by three quarters of a point?")
    assert not answer.answered and answer.passages == []
    assert "fomc/fomc_2022-06-15.txt" in answer.reason
    assert str(tmp_path) not in answer.to_json()
    command = f"verbatim index {small_corpus.resolve()} --index {tmp_path / 'index'}"
    assert command in caplog.text and command in qa.reindex_command()
    # after re-indexing everything is fresh again, and citations match the files
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    answer = qa.ask("Why did the Committee raise rates by three quarters of a point?")
    assert answer.answered and "stale_documents" not in answer.filters


# ------------------------------------------------------------------ whole shared corpus
def test_every_indexed_passage_matches_its_file(shared_index):
    """Offsets invariant through the index: every passage of ../shared/corpus, as stored,
    equals `(corpus_root / document).read_text(encoding="utf-8")[start:end]`."""
    from .conftest import assert_passages_match_files

    files = assert_passages_match_files(shared_index)
    assert files == len(list(shared_index.corpus_root.rglob("*.txt")))


def test_returned_passages_cite_their_files_exactly(shared_index):
    """For questions of the dev set, every returned passage's citation matches the file."""
    from .conftest import SHARED

    lines = (SHARED / "eval/dev.jsonl").read_text(encoding="utf-8").splitlines()[:25]
    root = shared_index.corpus_root
    seen = 0
    for line in lines:
        record = json.loads(line)
        answer = shared_index.ask(record["question"], k=5)
        for p in answer.passages:
            c = p.citation
            assert (root / c.document).read_text(encoding="utf-8")[c.start : c.end] == p.text
            record_ = shared_index.index.documents[c.document]
            assert (c.title, c.date) == (record_.title, record_.date)
            assert record_.paragraphs[c.paragraph - 1].start <= c.start
            seen += 1
    assert seen > 20


def test_an_index_read_by_an_older_reader_is_read_again(small_corpus, tmp_path, counting_model):
    """Same files, but the index was built before the reader last changed (no or an older
    `reading_version`): not "up to date"; the files are read again, unchanged vectors reused."""
    from assistant.build import READING_VERSION
    from assistant.index import MANIFEST, live_version

    build_index(small_corpus, tmp_path / "index", counting_model)
    manifest_path = live_version(tmp_path / "index") / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    assert manifest["reading_version"] == READING_VERSION
    del manifest["reading_version"]
    manifest_path.write_text(json.dumps(manifest))
    counting_model.reset()
    again = build_index(small_corpus, tmp_path / "index", counting_model)
    assert not again.up_to_date
    assert counting_model.encoded == 0 and again.reused == again.passages
