"""Careless use that used to lose work or end in a traceback: a file saved while it was being
indexed, a hand-edited manifest, a malformed questions file or port, odd date filters, an index
on a read-only or full disk. Each ends in a one-line error or does the right thing.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import assistant.build as build_module
from assistant import Assistant
from assistant.build import build_index
from assistant.cli import main
from assistant.index import MANIFEST, CorpusIndex, IndexCorruptError, IndexWriteError, live_version

from .conftest import SMALL_CORPUS, CountingModel, write_corpus

QUESTION = "Why did the Committee raise rates by three quarters of a point?"
FOMC = "fomc/fomc_2022-06-15.txt"


def index_args(corpus: Path, index_dir: Path, *extra: str) -> list[str]:
    return ["index", str(corpus), "--index", str(index_dir), "--model", "hashing-384", *extra]


# ============================================================ a file saved while being indexed
@pytest.mark.parametrize("caught", ["half", "empty"])
def test_a_file_caught_half_written_is_read_again_once_saved(tmp_path, monkeypatch, caught):
    """The corpus is hashed, then an editor starts saving a file (truncated to half, or to
    nothing) before it is read. The index records the hash of what it read, so once the save
    finishes the next `verbatim index` reads the whole file (before: "up to date" with half the
    file, or the file skipped as empty, until its content changed again)."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    path = corpus / FOMC
    whole = path.read_bytes()
    real_find_sources = build_module.find_sources

    def find_then_save_begins(*args, **kwargs):
        found = real_find_sources(*args, **kwargs)
        path.write_bytes(whole[: len(whole) // 2] if caught == "half" else b"")
        return found

    monkeypatch.setattr(build_module, "find_sources", find_then_save_begins)
    build_index(corpus, tmp_path / "index", CountingModel())
    monkeypatch.undo()
    path.write_bytes(whole)  # the save completes
    report = build_index(corpus, tmp_path / "index", CountingModel())
    assert not report.up_to_date
    qa = Assistant.load(tmp_path / "index")
    assert qa.document_text(FOMC) == whole.decode()
    assert qa.stale_documents() == []
    assert "housing market is softening" in " ".join(p.text for p in qa.index.chunks)


def test_a_file_that_keeps_changing_is_skipped_for_this_run_only(tmp_path, monkeypatch):
    """A file written on every read is skipped with a reason saying so, and not remembered as
    unreadable: the next run reads it."""
    import assistant.corpus as corpus_module

    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    path = corpus / FOMC
    real_read = corpus_module.read_document

    def read_while_written(source):
        read = real_read(source)
        if source.document == FOMC:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\nCHAIR POWELL: One more sentence.\n")
        return read

    monkeypatch.setattr(corpus_module, "read_document", read_while_written)
    report = build_index(corpus, tmp_path / "index", CountingModel())
    (skipped,) = report.skipped
    assert skipped.document == FOMC and "kept changing while it was read" in skipped.reason
    monkeypatch.undo()
    report = build_index(corpus, tmp_path / "index", CountingModel())
    assert FOMC in report.added


# ============================================================ a hand-edited manifest
DAMAGE = {
    "empty-list": lambda m: [],
    "null": lambda m: None,
    "string": lambda m: "manifest",
    "model-null": lambda m: {**m, "model": None},
    "model-string": lambda m: {**m, "model": "all-MiniLM-L6-v2"},
    "model-name-number": lambda m: {**m, "model": {"name": 42, "dimension": 384}},
    "files-list": lambda m: {**m, "files": []},
    "file-entry-string": lambda m: {**m, "files": {FOMC: "abc"}},
    "checksum-entry-string": lambda m: {
        **m,
        "checksums": {name: "x" for name in m["checksums"]},
    },
    "checksum-size-string": lambda m: {
        **m,
        "checksums": {n: {**c, "size": "12"} for n, c in m["checksums"].items()},
    },
}


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    assert main(index_args(corpus, tmp_path / "index", "--quiet")) == 0
    return corpus, tmp_path / "index"


def edit_manifest(index_dir: Path, change) -> None:
    path = live_version(index_dir) / MANIFEST
    path.write_text(json.dumps(change(json.loads(path.read_text()))), encoding="utf-8")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_manifest_is_one_line_and_verbatim_index_repairs_it(indexed, capsys, damage):
    """`verbatim ask` says the manifest is damaged and what to run, in one line; the repair
    command `verbatim index` rebuilds instead of crashing; then questions are answered."""
    corpus, index_dir = indexed
    capsys.readouterr()
    edit_manifest(index_dir, DAMAGE[damage])
    assert main(["ask", QUESTION, "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verbatim: error: index file ") and "verbatim index" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with pytest.raises(IndexCorruptError, match="damaged"):
        CorpusIndex.load(index_dir)
    assert main(index_args(corpus, index_dir)) == 0
    assert "indexed 3 documents" in capsys.readouterr().out
    assert Assistant.load(index_dir).ask(QUESTION).answered


def test_a_manifest_naming_an_unknown_model_is_one_line_and_repairable(indexed, capsys):
    """A model name this Verbatim does not know: one line naming it and the known ones; the
    next `verbatim index` rebuilds with the model asked for."""
    corpus, index_dir = indexed
    capsys.readouterr()
    edit_manifest(index_dir, lambda m: {**m, "model": {"name": "no-such-model", "dimension": 3}})
    assert main(["ask", QUESTION, "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert "unknown embedding model 'no-such-model'" in err and len(err.splitlines()) == 1
    assert main(index_args(corpus, index_dir)) == 0
    assert Assistant.load(index_dir).ask(QUESTION).answered


def test_plain_verbatim_index_over_an_unknown_model_rebuilds_with_the_default(indexed, monkeypatch):
    """Without `--model`, a build keeps the index's model, unless the manifest names one this
    Verbatim does not know: then the default model, and a rebuild (not a dead end)."""
    import assistant.api as api_module

    _, index_dir = indexed
    monkeypatch.setattr(api_module, "load_model", lambda name=None: name)  # the name asked for
    assert api_module.resolve_model(index_dir, None, None) == "hashing-384"
    edit_manifest(index_dir, lambda m: {**m, "model": {"name": "no-such-model", "dimension": 3}})
    assert api_module.resolve_model(index_dir, None, None) is None  # load_model's default


@pytest.mark.parametrize(
    "line",
    ['["What did Powell say?"]', '"a question"', "42", '{"question": 42}', "null"],
    ids=["array", "string", "number", "question-number", "null"],
)
def test_eval_line_that_is_not_a_question_object(indexed, tmp_path, capsys, line):
    """A questions-file line that is JSON but not a question object: one line naming the file
    and line number, exit 2."""
    _, index_dir = indexed
    questions = tmp_path / "questions.jsonl"
    good = {"question": QUESTION, "answers": [{"doc": FOMC, "quote": "three quarters"}]}
    questions.write_text(json.dumps(good) + "\n" + line + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", str(questions), "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert f"{questions}:2: not a question record" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("port", ["70000", "0", "-1", "http"])
def test_serve_with_a_port_out_of_range_says_so(indexed, capsys, port):
    """`verbatim serve --port 70000`: a usage error naming the range, no traceback."""
    _, index_dir = indexed
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--index", str(index_dir), "--port", port])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port:" in err and "Traceback" not in err
    assert "1 to 65535" in err or "not a port number" in err


def test_an_unexpected_error_is_still_one_line(indexed, capsys, monkeypatch):
    """A bug inside Verbatim prints one line with its type and how to see the traceback."""
    _, index_dir = indexed
    capsys.readouterr()

    def broken(*args, **kwargs):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(Assistant, "ask", broken)
    assert main(["ask", QUESTION, "--index", str(index_dir)]) == 1
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: something inside broke" in err and "VERBATIM_DEBUG" in err
    assert len(err.strip().splitlines()) == 1


# ============================================================ date filters
@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = write_corpus(tmp_path_factory.mktemp("dates") / "corpus", SMALL_CORPUS)
    return Assistant.build(corpus, tmp_path_factory.mktemp("dates-index"), model=CountingModel())


def test_full_width_digits_in_a_date_filter_are_read_as_digits(qa):
    """`２０２２-０６-１５` (full-width, as typed with a CJK input method) is 2022-06-15; before,
    it failed quoting an internal `9999-99-99`."""
    answer = qa.ask(QUESTION, date_from="２０２２－０６－１５")
    assert answer.filters["date_from"] == "2022-06-15"
    assert answer.passages and answer.passages[0].citation.document == FOMC
    answer = qa.ask(QUESTION, date_to="２０２２-０６-１５")
    assert answer.filters["date_to"] == "2022-06-15"


@pytest.mark.parametrize("value", ["0000-00-00", "2022-02-30", "2022-13-01", "2023-02-29"])
def test_impossible_calendar_dates_are_refused_quoting_them(qa, value):
    """Dates that are not days (accepted silently before) are refused, quoting the value."""
    with pytest.raises(ValueError, match=f"date_from '{value}' is not a calendar date") as error:
        qa.ask(QUESTION, date_from=value)
    assert "9999" not in str(error.value) and "0000-00-00" not in str(error.value).replace(
        value, ""
    )


def test_an_open_ended_range_never_shows_an_internal_bound(qa):
    """Errors about a date name only what the user typed."""
    for kwargs in ({"date_to": "２０２２/06/15"}, {"date_from": "٢٠٢٢-٠٦-١٥x"}):
        with pytest.raises(ValueError) as error:
            qa.ask(QUESTION, **kwargs)
        assert "9999-99-99" not in str(error.value) and "0000-00-00" not in str(error.value)


# ============================================================ read-only and full disks
@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at `folder` (skips the test where mounting is not allowed)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0 or not os.path.ismount(folder):
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_an_up_to_date_index_on_a_read_only_disk_is_up_to_date(tmp_path, capsys):
    """`verbatim index` over an unchanged corpus whose index is on a read-only disk (a real
    read-only tmpfs) says "up to date" (it failed with "not writable" before); a changed corpus
    fails with one line saying the index cannot be written."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    with tmpfs(tmp_path / "disk", "16m") as disk:
        assert main(index_args(corpus, disk / "index", "--quiet")) == 0
        remount = subprocess.run(
            ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True
        )
        assert remount.returncode == 0, remount.stderr
        capsys.readouterr()
        assert main(index_args(corpus, disk / "index")) == 0
        assert "is up to date" in capsys.readouterr().out
        assert Assistant.load(disk / "index").ask(QUESTION).answered
        (corpus / "more.txt").write_text(SMALL_CORPUS["seed/briefing.txt"], encoding="utf-8")
        assert main(index_args(corpus, disk / "index")) == 2
        assert "is not writable" in capsys.readouterr().err


def test_read_only_index_folder_simulated(tmp_path, monkeypatch):
    """The same without a mount (tests may run where mounting is refused): the lock file and
    the folder cannot be written, the unchanged corpus is still up to date."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, CountingModel())
    real_open, real_access = os.open, os.access

    def read_only_open(path, flags, *args, **kwargs):
        if str(path).startswith(str(index_dir)) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    def access(path, mode, *args, **kwargs):
        if str(path).startswith(str(index_dir)) and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_open)
    monkeypatch.setattr(os, "access", access)
    assert build_index(corpus, index_dir, CountingModel()).up_to_date


def test_a_full_disk_says_no_space_left_on_device(tmp_path):
    """Indexing onto a real full disk (a 2 MB tmpfs) fails with "No space left on device", not
    numpy's "(1536000 requested and 355296 written)", and leaves nothing half-written."""
    files = {
        f"t{i}.txt": f"Briefing {i}\n\n"
        + "\n\n".join(f"MR. A{i}: word{j} about topic {j} and more words." for j in range(200))
        for i in range(20)
    }
    corpus = write_corpus(tmp_path / "corpus", files)
    with tmpfs(tmp_path / "disk", "2m") as disk:
        with pytest.raises(IndexWriteError, match=r"No space left on device: \d+ bytes free"):
            build_index(corpus, disk / "index", CountingModel())
        assert sorted(p.name for p in (disk / "index").iterdir()) == [".lock"]


def test_a_short_write_on_a_full_disk_is_named_simulated(tmp_path, monkeypatch):
    """The same without a mount: numpy's short write (no errno) on a disk with no room left."""
    import numpy as np

    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)

    def short_write(*args, **kwargs):
        raise OSError("176640 requested and 33760 written")

    monkeypatch.setattr(np, "save", short_write)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=4096))
    with pytest.raises(IndexWriteError) as error:
        build_index(corpus, tmp_path / "index", CountingModel())
    assert "No space left on device: 4,096 bytes free" in str(error.value)
    assert "requested and" not in str(error.value)
