"""Bad input: a clear error or a clean skip, never a traceback, never lost work.

Corpus folders and files first (indexing), then the index folder (unwritable, full disk), then
questions and their options, then the same errors through the command line.
"""

from __future__ import annotations

import errno
import os
import random
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.build import build_index
from assistant.cli import main
from assistant.corpus import CorpusError
from assistant.index import (
    CorpusIndex,
    IndexError_,
    IndexWriteError,
    live_version,
)
from assistant.lock import LOCK
from assistant.passages import MAX_WORDS
from assistant.retrieval import MAX_K

from .conftest import SMALL_CORPUS, CountingModel, write_corpus

GOOD = SMALL_CORPUS["whitehouse/wh_2014-10-29.txt"]
QUESTION = "Does the President support a quarantine of health workers?"


def build(corpus: Path, tmp_path: Path, model=None) -> Assistant:
    return Assistant.build(corpus, tmp_path / "index", model=model or CountingModel())


def assert_offsets_exact(qa: Assistant) -> None:
    """Every indexed passage equals the file as `read_text(encoding="utf-8")` gives it."""
    for c in qa.index.chunks:
        text = (qa.corpus_root / c.document).read_text(encoding="utf-8")
        assert text[c.start : c.end] == c.text


def skipped_reasons(tmp_path: Path, corpus: Path) -> dict[str, str]:
    report = build_index(corpus, tmp_path / "index", CountingModel())
    return {s.document: s.reason for s in report.skipped}


# ================================================================== corpus folders
def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"corpus folder .*missing-folder does not exist"):
        build(tmp_path / "missing-folder", tmp_path)


def test_empty_corpus_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"no transcripts to index under .*empty"):
        build(tmp_path / "empty", tmp_path)
    assert live_version(tmp_path / "index") is None


def test_corpus_path_is_a_file(tmp_path):
    (tmp_path / "file.txt").write_text(GOOD)
    with pytest.raises(CorpusError, match="is not a folder"):
        build(tmp_path / "file.txt", tmp_path)


def test_folder_of_only_non_transcript_files(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {"slides.pdf": b"%PDF-1.4 binary", "notes.docx": b"PK\x03\x04", "data.json": "{}"},
    )
    with pytest.raises(CorpusError, match=r"\(3 files skipped\).*\.txt, \.md"):
        build(corpus, tmp_path)


def test_failed_build_keeps_the_previous_index(tmp_path):
    """Pointing the index command at an emptied corpus raises and leaves the old index alone."""
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": GOOD})
    before = build(corpus, tmp_path).index.chunks
    (corpus / "a.txt").unlink()
    with pytest.raises(CorpusError):
        build(corpus, tmp_path)
    qa = Assistant.load(tmp_path / "index")
    assert qa.index.chunks == before
    # the deleted file's passages are not quoted as if it were still there
    assert qa.stale_documents() == ["a.txt"]
    reason = qa.ask(QUESTION).reason
    assert "(a.txt)" in reason and "indexed again" in reason
    assert str(tmp_path) not in reason  # the server's folders are not shown to its users


# ================================================================== files
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n   \n", "only whitespace"),
        (bytes(range(256)) * 8, "binary file"),
        (
            "Caf\xe9 cr\xe8me, 2020-01-02\n\nMR. DUPONT: tr\xe8s bien\n".encode("latin-1"),
            "not UTF-8 text: byte 0xe9",
        ),
        (
            ("Briefing, 2020-01-02\n\nMR. EARNEST: Hello there.\n").encode("utf-16"),
            "it is UTF-16; re-save it as UTF-8",
        ),
        (b"Only a title line and nothing else\n", "no paragraphs of speech found"),
    ],
    ids=["empty", "whitespace-only", "binary", "latin-1", "utf-16-bom", "title-only"],
)
def test_unusable_file_is_skipped_with_its_reason(tmp_path, content, reason):
    """One bad file is skipped, with the reason, and the rest of the corpus is indexed."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD, "bad.txt": content})
    reasons = skipped_reasons(tmp_path, corpus)
    assert reason in reasons["bad.txt"]
    assert set(CorpusIndex.load(tmp_path / "index").documents) == {"good.txt"}


def test_unusable_file_does_not_force_a_rebuild(tmp_path):
    """An unchanged corpus holding a skipped file is still up to date on the next run."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD, "empty.txt": b""})
    build_index(corpus, tmp_path / "index", CountingModel())
    assert build_index(corpus, tmp_path / "index", CountingModel()).up_to_date


def test_utf8_with_bom(tmp_path):
    """A BOM is read, offsets stay exact against read_text, and the title has no BOM."""
    corpus = write_corpus(tmp_path / "corpus", {"bom.txt": b"\xef\xbb\xbf" + GOOD.encode()})
    qa = build(corpus, tmp_path)
    record = qa.index.documents["bom.txt"]
    assert record.title == "Press Briefing by Press Secretary Josh Earnest, 10/29/2014"
    assert record.date == "2014-10-29"
    assert_offsets_exact(qa)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr-only"])
def test_windows_and_old_mac_line_endings(tmp_path, newline):
    """CRLF (and bare CR) files: offsets are exact against `read_text(encoding="utf-8")`."""
    corpus = write_corpus(tmp_path / "corpus", {"crlf.txt": GOOD.replace("\n", newline).encode()})
    qa = build(corpus, tmp_path)
    assert len(qa.index.chunks) == 5
    assert_offsets_exact(qa)
    c = qa.ask(QUESTION, k=1).passages[0].citation
    assert (
        (corpus / c.document)
        .read_text(encoding="utf-8")[c.start : c.end]
        .startswith("The President believes")
    )


def test_control_characters(tmp_path):
    """Form feeds, vertical tabs, NULs past the first 4 KB, escape codes and U+2028 neither
    crash the reader nor shift offsets."""
    noisy = (
        GOOD.replace("Good afternoon,", "Good\x0c afternoon,\x1b[31m")
        .replace("Ebola", "Eb\x0bola\u2028")
        .replace("science,", "science,\x07\x1c")
    )
    padding = "\n\nMR. EARNEST: " + "padding words " * 400 + "\x00 end.\n"
    corpus = write_corpus(tmp_path / "corpus", {"ctrl.txt": noisy + padding})
    qa = build(corpus, tmp_path)
    assert "ctrl.txt" in qa.index.documents
    assert_offsets_exact(qa)


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path):
    """A 50 MB transcript is indexed (hashing model: ~20 s on 2 shared cores; marked slow) with exact offsets."""
    rng = random.Random(5)
    words = [
        "inflation",
        "labor",
        "market",
        "rates",
        "policy",
        "committee",
        "economy",
        "housing",
        "banks",
        "energy",
    ]
    parts = ["Big briefing, 2020-01-02\n"]
    size = 0
    n = 0
    while size < 50_000_000:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(150, 400)))
        part = f"Q {sentence}?" if n % 2 == 0 else f"MR. SMITH: {sentence}. {sentence}."
        parts.append(part)
        size += len(part) + 2
        n += 1
    corpus = write_corpus(tmp_path / "corpus", {"big.txt": "\n\n".join(parts) + "\n"})
    assert (corpus / "big.txt").stat().st_size >= 50_000_000
    qa = build(corpus, tmp_path)
    text = (corpus / "big.txt").read_text(encoding="utf-8")
    chunks = qa.index.chunks
    assert len(chunks) > 10_000
    for c in chunks[:: max(1, len(chunks) // 500)] + chunks[-3:]:
        assert text[c.start : c.end] == c.text
    assert qa.ask("inflation and housing", k=3).answered


def test_single_hundred_thousand_word_paragraph(tmp_path):
    """One 100,000-word paragraph becomes bounded windows, each an exact source span."""
    rng = random.Random(3)
    words = [
        "we",
        "will",
        "keep",
        "rates",
        "steady",
        "until",
        "inflation",
        "falls",
        "further",
        "and",
        "jobs",
        "hold",
        "up",
    ]
    sentences = [
        " ".join(rng.choice(words) for _ in range(20)).capitalize() + "." for _ in range(5000)
    ]
    paragraph = " ".join(sentences)
    assert len(paragraph.split()) == 100_000
    corpus = write_corpus(
        tmp_path / "corpus",
        {"long.txt": f"Long statement, 2021-05-06\n\nCHAIR POWELL: {paragraph}\n"},
    )
    qa = build(corpus, tmp_path)
    chunks = qa.index.chunks
    assert len(chunks) >= 100_000 // MAX_WORDS
    assert {c.paragraph for c in chunks} == {1}
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
    assert_offsets_exact(qa)


@pytest.mark.parametrize(
    "name",
    [
        "with spaces/press briefing 2020.txt",
        "accents/Élysée conférence.txt",
        "中文/发布会.txt",
        "emoji/📈 rates.md",
    ],
    ids=["spaces", "accents", "cjk", "emoji"],
)
def test_file_names_with_spaces_and_non_ascii(tmp_path, name):
    """Odd file names index, cite and filter by their relative path."""
    corpus = write_corpus(tmp_path / "corpus", {name: GOOD})
    qa = build(corpus, tmp_path)
    answer = qa.ask(QUESTION, k=1, document=name)
    c = answer.passages[0].citation
    assert c.document == name
    assert (corpus / c.document).read_text(encoding="utf-8")[c.start : c.end] == (
        answer.passages[0].text
    )


def test_symlink_loop_of_folders(tmp_path):
    """A folder linking to its parent is walked once; each transcript is indexed once."""
    corpus = write_corpus(tmp_path / "corpus", {"a/one.txt": GOOD})
    os.symlink(corpus, corpus / "a" / "loop")
    os.symlink(corpus / "a", corpus / "again")
    qa = build(corpus, tmp_path)
    documents = list(qa.index.documents)
    assert len(documents) == 1 and documents[0].endswith("one.txt")


def test_symlink_loop_of_files(tmp_path):
    """Files that link to each other (and a dangling link) are skipped, not fatal."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    os.symlink(corpus / "b.txt", corpus / "a.txt")
    os.symlink(corpus / "a.txt", corpus / "b.txt")
    os.symlink(tmp_path / "nowhere.txt", corpus / "dangling.txt")
    qa = build(corpus, tmp_path)
    assert list(qa.index.documents) == ["good.txt"]


# ================================================================== the index folder
def test_index_folder_is_a_file(tmp_path):
    """An index path that is a file fails before any embedding, saying so."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    (tmp_path / "index").write_text("not a folder")
    model = CountingModel()
    with pytest.raises(IndexWriteError, match="the index folder is a file, not a folder"):
        build(corpus, tmp_path, model)
    assert model.encoded == 0
    assert (tmp_path / "index").read_text() == "not a folder"


def test_index_folder_under_a_file(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(IndexWriteError, match=r"blocker, above it, is a file"):
        build_index(corpus, tmp_path / "blocker" / "index", CountingModel())


def test_unwritable_index_folder(tmp_path, monkeypatch):
    """A read-only index folder (simulated: tests run as root) fails before embedding and
    leaves the previous index answering."""
    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    before = build(corpus, tmp_path).ask(QUESTION).to_dict()
    (corpus / "more.txt").write_text(SMALL_CORPUS["seed/briefing.txt"])
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) == tmp_path / "index" and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    model = CountingModel()
    with pytest.raises(IndexWriteError, match="is not writable"):
        build(corpus, tmp_path, model)
    assert model.encoded == 0
    monkeypatch.undo()
    assert Assistant.load(tmp_path / "index").ask(QUESTION).to_dict() == before


@pytest.mark.parametrize("where", ["vectors", "passages", "pointer"])
def test_full_disk_keeps_the_old_index(tmp_path, monkeypatch, where):
    """ENOSPC while writing (vectors, metadata, or the CURRENT pointer): a clear error, the
    old index intact and answering as before, no half-written version left behind."""
    import numpy as np

    import assistant.columns as columns_module

    corpus = write_corpus(tmp_path / "corpus", {"good.txt": GOOD})
    before = build(corpus, tmp_path).ask(QUESTION).to_dict()
    live = live_version(tmp_path / "index")
    (corpus / "more.txt").write_text(SMALL_CORPUS["seed/briefing.txt"])

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "vectors":
        monkeypatch.setattr(np, "save", full)
    elif where == "passages":
        real = columns_module.write_json

        def write_json(path, data):
            if Path(path).name == columns_module.TABLES:
                full()
            real(path, data)

        monkeypatch.setattr(columns_module, "write_json", write_json)
    else:
        real_write_text = Path.write_text

        def write_text(self, *args, **kwargs):
            if self.name.startswith(".CURRENT.tmp"):
                full()
            return real_write_text(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)
    with pytest.raises(IndexWriteError, match=r"No space left on device.*previous index"):
        build(corpus, tmp_path)
    monkeypatch.undo()
    assert live_version(tmp_path / "index") == live
    left = sorted(p.name for p in (tmp_path / "index").iterdir() if p.name != LOCK)
    assert left == ["CURRENT", live.name]
    assert Assistant.load(tmp_path / "index").ask(QUESTION).to_dict() == before


# ================================================================== questions
@pytest.fixture(scope="module")
def qa(tmp_path_factory):
    corpus = write_corpus(tmp_path_factory.mktemp("bad-questions") / "corpus", SMALL_CORPUS)
    return Assistant.build(corpus, corpus.parent / "index", model="hashing-384")


@pytest.mark.parametrize("question", ["", "   \n\t "], ids=["empty", "whitespace"])
def test_empty_question(qa, question):
    with pytest.raises(ValueError, match="the question is empty"):
        qa.ask(question)


def test_hundred_kilobyte_question(qa):
    """A pasted 100 KB question is answered (searched on its first words), without crashing."""
    question = (QUESTION + " ") * (100_000 // (len(QUESTION) + 1))
    assert len(question) >= 99_000
    answer = qa.ask(question, k=2)
    assert answer.answered
    assert answer.passages[0].citation.document == "whitehouse/wh_2014-10-29.txt"


def test_emoji_only_question(qa):
    answer = qa.ask("🙂🔥🚀📉")
    assert not answer.answered and answer.passages == [] and answer.reason


@pytest.mark.parametrize(
    "question",
    ["通货膨胀为什么这么高？", "Warum hat der Ausschuss die Zinsen erhöht?", "Почему растут цены?"],
    ids=["chinese", "german", "russian"],
)
def test_non_english_question(qa, question):
    """A question in another language gets an honest answer object, not an exception."""
    answer = qa.ask(question)
    assert answer.question == question
    assert answer.answered == bool(answer.passages)
    if not answer.answered:
        assert answer.reason


def test_lone_surrogate_in_question(qa):
    """Broken Unicode pasted from elsewhere (a lone surrogate) does not crash the search."""
    answer = qa.ask("quarantine \ud800 health workers")
    assert answer.answered == bool(answer.passages)


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (0, "k must be at least 1, got 0"),
        (-3, "k must be at least 1, got -3"),
        (2.5, "k must be a whole number"),
        (True, "k must be a whole number"),
    ],
    ids=["zero", "negative", "float", "bool"],
)
def test_bad_k(qa, k, message):
    with pytest.raises(ValueError, match=message):
        qa.ask(QUESTION, k=k)


def test_huge_k_is_capped(qa):
    answer = qa.ask("the President and the budget and inflation", k=10**9)
    assert 0 < len(answer.passages) <= MAX_K


def test_unknown_speaker(qa):
    with pytest.raises(ValueError, match=r"no speaker matching 'Napoleon'.*speakers include"):
        qa.ask(QUESTION, speaker="Napoleon")


def test_unknown_document(qa):
    with pytest.raises(ValueError, match=r"no document matching 'nowhere/none\.txt'"):
        qa.ask(QUESTION, document="nowhere/none.txt")


def test_date_range_ending_before_it_starts(qa):
    with pytest.raises(ValueError, match=r"ends \(2020-01-01\) before it starts \(2022-01-01\)"):
        qa.ask(QUESTION, date_from="2022-01-01", date_to="2020-01-01")


@pytest.mark.parametrize("value", ["yesterday", "2022/01/01", "01-02-2022"])
def test_malformed_dates(qa, value):
    with pytest.raises(ValueError, match="must be a date as YYYY-MM-DD"):
        qa.ask(QUESTION, date_from=value)


def test_filters_matching_nothing(qa):
    """A valid date range without any transcript declines plainly."""
    answer = qa.ask(QUESTION, date_from="1990-01-01", date_to="1990-12-31")
    assert not answer.answered
    assert answer.reason == "Nothing in these transcripts matches the filters."


# ================================================================== the command line
@pytest.fixture
def cli_index(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    assert (
        main(["index", str(corpus), "--index", str(index_dir), "--model", "hashing-384", "--quiet"])
        == 0
    )
    capsys.readouterr()
    return corpus, index_dir


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--k", "0"], "k must be at least 1"),
        (["--speaker", "Napoleon"], "no speaker matching 'Napoleon'"),
        (["--document", "nope.txt"], "no document matching 'nope.txt'"),
        (["--date-from", "2022-01-01", "--date-to", "2020-01-01"], "before it starts"),
    ],
    ids=["k-zero", "unknown-speaker", "unknown-document", "reversed-dates"],
)
def test_cli_ask_errors_are_one_line(cli_index, capsys, extra, message):
    """The CLI prints `verbatim: error: ...` and exits 2, never a traceback."""
    _, index_dir = cli_index
    assert main(["ask", QUESTION, "--index", str(index_dir), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verbatim: error: ") and message in err
    assert "Traceback" not in err


def test_cli_empty_question(cli_index, capsys):
    _, index_dir = cli_index
    assert main(["ask", "  ", "--index", str(index_dir)]) == 2
    assert "the question is empty" in capsys.readouterr().err


@pytest.mark.parametrize("case", ["missing", "empty", "file"])
def test_cli_index_bad_corpus(tmp_path, capsys, case):
    corpus = tmp_path / "corpus"
    if case == "empty":
        corpus.mkdir()
    elif case == "file":
        corpus.write_text("x")
    assert (
        main(["index", str(corpus), "--index", str(tmp_path / "index"), "--model", "hashing-384"])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("verbatim: error: ") and str(corpus) in err


def test_cli_index_into_a_file(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    (tmp_path / "index").write_text("x")
    assert (
        main(["index", str(corpus), "--index", str(tmp_path / "index"), "--model", "hashing-384"])
        == 2
    )
    assert "is a file, not a folder" in capsys.readouterr().err


def test_cli_damaged_index(cli_index, capsys):
    _, index_dir = cli_index
    vectors = live_version(index_dir) / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    assert main(["ask", QUESTION, "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert str(vectors) in err and "rebuild it with: verbatim index" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not a question record"), ('{"kind": "x"}', "not a question record")],
    ids=["invalid-json", "no-question"],
)
def test_cli_eval_bad_questions_file(cli_index, tmp_path, capsys, content, message):
    _, index_dir = cli_index
    path = tmp_path / "q.jsonl"
    path.write_text(content + "\n")
    assert main(["eval", str(path), "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1" in err and message in err


def test_cli_eval_missing_questions_file(cli_index, tmp_path, capsys):
    _, index_dir = cli_index
    assert main(["eval", str(tmp_path / "none.jsonl"), "--index", str(index_dir)]) == 2
    assert "none.jsonl" in capsys.readouterr().err


def test_index_errors_share_one_base(tmp_path):
    """Every index problem is an IndexError_, which the CLI and UI catch in one place."""
    assert issubclass(IndexWriteError, IndexError_)
