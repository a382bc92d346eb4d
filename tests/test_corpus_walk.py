"""Walking a corpus folder a careless or hostile user made: every odd entry is skipped with one
line naming it and saying why, and the rest of the corpus is indexed.

Deep trees, names that are not UTF-8, symbolic links that leave the corpus, named pipes,
unreadable folders, paths too long for the system, and an index kept inside the corpus.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.build import build_index
from assistant.cli import main
from assistant.corpus import find_sources

from .conftest import SMALL_CORPUS, CountingModel, write_corpus

GOOD = SMALL_CORPUS["whitehouse/wh_2014-10-29.txt"]
SECRET = """Internal memo

MS. VAULT: The launch codes are kept in the blue binder behind the reception desk.
"""


def reasons(report) -> dict[str, str]:
    return {s.document: s.reason for s in report.skipped}


def make_deep(root: Path, depth: int, name: str = "d") -> Path:
    """`depth` nested folders under `root` (made through folder descriptors: no path is ever
    longer than one name); returns the deepest folder's path."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as handle:
            handle.write(SECRET)
    finally:
        os.close(fd)
    return Path(os.path.join(root, *([name] * depth)))


def remove_deep(root: Path, name: str = "d") -> None:
    """Remove the chain of `name` folders under `root` bottom-up through folder descriptors:
    `shutil.rmtree` (and so pytest's clean-up of old temporary folders) recurses once per
    level and fails on a thousand."""
    fd, depth = os.open(root, os.O_RDONLY), 0
    while True:
        try:
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
        except FileNotFoundError:
            break
        os.close(fd)
        fd, depth = inner, depth + 1
    while depth:
        for entry in os.listdir(fd):
            os.unlink(entry, dir_fd=fd)
        parent = os.open("..", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd, depth = parent, depth - 1
        os.rmdir(name, dir_fd=fd)
    os.close(fd)


@pytest.fixture
def deep_corpus(tmp_path):
    """A corpus folder whose deep folder chain is removed after the test."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    yield corpus
    remove_deep(corpus)


def test_a_folder_tree_a_thousand_levels_deep_is_indexed(tmp_path, deep_corpus):
    """1,000 nested folders: the walk is iterative, so the file at the bottom is indexed
    (a RecursionError aborted the whole index before)."""
    corpus = deep_corpus
    make_deep(corpus, 1000)
    report = build_index(corpus, tmp_path / "index", CountingModel())
    deep = "/".join(["d"] * 1000) + "/deep.txt"
    assert report.documents == 2 and report.skipped == []
    qa = Assistant.load(tmp_path / "index")
    assert deep in qa.index.documents
    assert qa.ask("Where are the launch codes kept?").passages[0].citation.document == deep


def test_a_path_too_long_for_the_system_is_skipped_with_a_message(tmp_path):
    """A file whose path is longer than the system allows (PATH_MAX) is skipped naming its
    folder and saying so; the rest is indexed (it was skipped silently before)."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    make_deep(corpus, 40, name="x" * 120)  # 40 * 121 bytes > 4096
    report = build_index(corpus, tmp_path / "index", CountingModel())
    assert report.documents == 1
    (skipped,) = report.skipped
    assert skipped.document.startswith("x" * 120 + "/")
    assert "path is too long for this system" in skipped.reason


def test_a_file_name_that_is_not_utf8_is_skipped_naming_the_file(tmp_path, capsys):
    """A name with bytes that are not UTF-8 is skipped with a message naming it (bytes shown as
    `\\xff`); the other files are indexed (before: UnicodeEncodeError naming no file)."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    with open(os.path.join(os.fsencode(corpus), b"bad\xff name.txt"), "wb") as handle:
        handle.write(SECRET.encode())
    os.mkdir(os.path.join(os.fsencode(corpus), b"folder\xfe"))
    with open(os.path.join(os.fsencode(corpus), b"folder\xfe", b"inner.txt"), "wb") as handle:
        handle.write(SECRET.encode())
    args = ["index", str(corpus), "--index", str(tmp_path / "index"), "--model", "hashing-384"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "skipped bad\\xff name.txt: its name is not valid UTF-8" in err
    assert "skipped folder\\xfe: its name is not valid UTF-8" in err
    assert list(Assistant.load(tmp_path / "index").index.documents) == ["good.txt"]


def test_symlinks_leaving_the_corpus_are_refused_and_reported(tmp_path):
    """Links to a file or a folder outside the corpus (here a memo and /etc/passwd) are not
    followed: skipped with a line naming the link and its target, and nothing of theirs can be
    quoted. Links that stay inside the corpus are followed as before."""
    outside = write_corpus(tmp_path / "outside", {"memo.txt": SECRET, "more/memo2.txt": SECRET})
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD, "inner/real.txt": SECRET})
    os.symlink(outside / "memo.txt", corpus / "memo.txt")
    os.symlink(outside / "more", corpus / "more")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink(corpus / "inner" / "real.txt", corpus / "alias.txt")  # inside: followed
    report = build_index(corpus, tmp_path / "index", CountingModel())
    why = reasons(report)
    for link, target in (("memo.txt", outside / "memo.txt"), ("more", outside / "more")):
        assert f"symbolic link to {target}, outside the corpus folder" in why[link]
        assert "--follow-links" in why[link]
    assert "outside the corpus folder" in why["passwd.txt"]
    qa = Assistant.load(tmp_path / "index")
    assert sorted(qa.index.documents) == ["alias.txt", "good.txt", "inner/real.txt"]
    for passage in qa.ask("Where are the launch codes kept?", k=10).passages:
        if "launch codes" in passage.text:
            assert passage.citation.document in {"alias.txt", "inner/real.txt"}
    assert all("root:" not in p.text for p in qa.ask("root bin bash", k=10).passages)


def test_follow_links_opts_in_to_links_outside_the_corpus(tmp_path, capsys):
    """`verbatim index --follow-links` indexes what such links point to."""
    outside = write_corpus(tmp_path / "outside", {"memo.txt": SECRET})
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    os.symlink(outside / "memo.txt", corpus / "memo.txt")
    args = ["index", str(corpus), "--index", str(tmp_path / "index"), "--model", "hashing-384"]
    assert main([*args, "--follow-links"]) == 0
    assert sorted(Assistant.load(tmp_path / "index").index.documents) == ["good.txt", "memo.txt"]


def test_named_pipes_broken_links_and_unreadable_folders_are_reported(tmp_path, monkeypatch):
    """A FIFO (never opened: reading it would hang), a dangling link and a folder that cannot be
    read (simulated: tests run as root) each get a line saying what they are; the rest is
    indexed. All three were skipped without a word before."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD, "locked/hidden.txt": SECRET})
    os.mkfifo(corpus / "pipe.txt")
    os.symlink(tmp_path / "nowhere.txt", corpus / "dangling.txt")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(os.fsdecode(path)).name == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = build_index(corpus, tmp_path / "index", CountingModel())
    why = reasons(report)
    assert why["pipe.txt"] == "a named pipe (FIFO), not a file"
    assert why["dangling.txt"].startswith("a broken symbolic link")
    assert why["locked/"].startswith("cannot read this folder (Permission denied)")
    assert report.documents == 1


def test_an_index_inside_the_corpus_is_not_read_as_transcripts(tmp_path):
    """`verbatim index corpus --index corpus/index`: the index's own files are not walked (31
    skip lines on every run before, and never up to date); another Verbatim index inside the
    corpus is one line."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    build_index(corpus, tmp_path / "elsewhere", CountingModel())
    os.rename(tmp_path / "elsewhere", corpus / "old-index")
    first = build_index(corpus, corpus / "index", CountingModel())
    assert reasons(first) == {"old-index/": "a Verbatim index folder, not transcripts"}
    model = CountingModel()
    again = build_index(corpus, corpus / "index", model)
    assert again.up_to_date and model.encoded == 0
    sources, _ = find_sources(corpus, exclude=[corpus / "index"])
    assert sorted(s.document for s in sources) == sorted(SMALL_CORPUS)


def test_one_bad_entry_of_each_kind_never_stops_the_rest(tmp_path, deep_corpus, capsys):
    """All of the above in one corpus through `verbatim index`: exit 0, every good file indexed,
    one line per bad entry, no traceback."""
    corpus = write_corpus(deep_corpus, SMALL_CORPUS)
    make_deep(corpus, 1000)
    with open(os.path.join(os.fsencode(corpus), b"\xffbad.txt"), "wb") as handle:
        handle.write(SECRET.encode())
    os.mkfifo(corpus / "pipe.txt")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink(tmp_path / "nowhere.txt", corpus / "dangling.txt")
    args = ["index", str(corpus), "--index", str(tmp_path / "index"), "--model", "hashing-384"]
    assert main(args) == 0
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 4, captured.err
    assert "Traceback" not in captured.err
    assert len(Assistant.load(tmp_path / "index").index.documents) == len(SMALL_CORPUS) + 2


@pytest.mark.parametrize("kind", ["fifo", "outside-link"])
def test_an_unchanged_corpus_with_odd_entries_stays_up_to_date(tmp_path, kind):
    """Reported entries do not force a rebuild: the second run is a no-op."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    if kind == "fifo":
        os.mkfifo(corpus / "pipe.txt")
    else:
        os.symlink("/etc/passwd", corpus / "passwd.txt")
    build_index(corpus, tmp_path / "index", CountingModel())
    model = CountingModel()
    assert build_index(corpus, tmp_path / "index", model).up_to_date
    assert model.encoded == 0
