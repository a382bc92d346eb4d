"""The `verbatim` command, called in-process through `assistant.cli.main([...])`."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main

QUESTION = "Why did the Committee raise rates by three quarters of a point?"


@pytest.fixture
def indexed(small_corpus, tmp_path, capsys):
    """A small corpus indexed with the hashing model through `verbatim index`."""
    index_dir = tmp_path / "index"
    assert (
        main(
            [
                "index",
                str(small_corpus),
                "--index",
                str(index_dir),
                "--model",
                "hashing-384",
                "--quiet",
            ]
        )
        == 0
    )
    capsys.readouterr()
    return small_corpus, index_dir


def test_index_reports_what_it_did(small_corpus, tmp_path, capsys):
    index_dir = tmp_path / "index"
    args = ["index", str(small_corpus), "--index", str(index_dir), "--model", "hashing-384"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "indexed 3 documents" in out and "embedded" in out
    assert f"next: verbatim tune --index {index_dir}" in out  # the new version is not tuned
    assert main(args) == 0
    assert "is up to date: 3 documents" in capsys.readouterr().out


def test_ask_json_gives_cited_verbatim_passages(indexed, capsys):
    corpus, index_dir = indexed
    assert main(["ask", QUESTION, "--index", str(index_dir), "--json", "--k", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] is True
    assert 1 <= len(data["passages"]) <= 2
    for p in data["passages"]:
        c = p["citation"]
        assert (corpus / c["document"]).read_text(encoding="utf-8")[c["start"] : c["end"]] == p[
            "text"
        ]
    assert data["passages"][0]["citation"]["speaker"] == "Chair Powell"


def test_ask_takes_k_as_a_short_option(indexed, capsys):
    """`-k 1` is `--k 1`: one passage."""
    _, index_dir = indexed
    assert main(["ask", QUESTION, "--index", str(index_dir), "--json", "-k", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)["passages"]) == 1


def test_ask_says_when_more_passages_are_asked_for_than_one_question_returns(indexed, capsys):
    """A `-k` past the most one question returns is answered with a note, not an error."""
    _, index_dir = indexed
    assert main(["ask", QUESTION, "--index", str(index_dir), "-k", "500"]) == 0
    err = capsys.readouterr().err
    assert "at most 50 passages (asked for 500)" in err


def test_ask_prints_readable_quotes(indexed, capsys):
    _, index_dir = indexed
    assert main(["ask", QUESTION, "--index", str(index_dir), "--k", "1"]) == 0
    out = capsys.readouterr().out
    assert "[1] Chair Powell — Transcript of Chair Powell's Press Conference" in out
    assert "> We raised rates by three quarters of a point" in out
    assert "fomc/fomc_2022-06-15.txt ¶4, characters" in out


def test_ask_with_speaker_filter(indexed, capsys):
    _, index_dir = indexed
    assert (
        main(["ask", "budget talks", "--index", str(index_dir), "--speaker", "Earnest", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["filters"]["speaker"] == ["Mr. Earnest"]
    assert {p["citation"]["speaker"] for p in data["passages"]} <= {"Mr. Earnest", None}


def test_eval_on_a_small_questions_file(indexed, tmp_path, capsys):
    """hit@1/hit@5/MRR over answerable questions and the share of unanswerable ones declined."""
    _, index_dir = indexed
    questions = tmp_path / "questions.jsonl"
    rows = [
        {
            "id": "a",
            "question": QUESTION,
            "kind": "paraphrase",
            "answers": [
                {
                    "doc": "fomc/fomc_2022-06-15.txt",
                    "quote": "We raised rates by three quarters of a point because inflation data",
                }
            ],
        },
        {
            "id": "b",
            "question": "Does the President support a quarantine of health workers?",
            "kind": "paraphrase",
            "answers": [
                {
                    "doc": "whitehouse/wh_2014-10-29.txt",
                    "quote": "The President believes policy should be driven by science",
                }
            ],
        },
        {
            "id": "c",
            "question": "What did the Kremlin say about Zanzibar?",
            "kind": "unanswerable",
            "answers": [],
        },
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["eval", str(questions), "--index", str(index_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    summary = report["all"]
    assert (summary["questions"], summary["answerable"], summary["unanswerable"]) == (3, 2, 1)
    assert summary["hit@5"] == 1.0 and summary["mrr@10"] > 0.5
    assert summary["declined"] == 1.0 and summary["wrongly_declined"] == 0.0
    assert set(report["by_kind"]) == {"paraphrase", "unanswerable"}
    assert main(["eval", str(questions), "--index", str(index_dir)]) == 0
    assert "| all | 3 |" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["index", "ask", "chat", "eval", "eval-beir", "serve"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: verbatim {command}" in capsys.readouterr().out


def test_ask_without_an_index_says_what_to_run(tmp_path, capsys):
    assert main(["ask", QUESTION, "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verbatim: error: no index at")
    assert "verbatim index CORPUS_DIR --index" in err
    assert "Traceback" not in err


def test_ask_warns_about_transcripts_changed_since_indexing(indexed, capsys):
    corpus, index_dir = indexed
    path = corpus / "seed/briefing.txt"
    path.write_text(path.read_text() + "\nQ One more?\n", encoding="utf-8")
    assert (
        main(
            ["ask", "trade cooperation with local governments", "--index", str(index_dir), "--json"]
        )
        == 0
    )
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert all(p["citation"]["document"] != "seed/briefing.txt" for p in data["passages"])
    if data["answered"]:
        assert "changed since indexing (seed/briefing.txt)" in captured.err
        assert "re-index with: verbatim index" in captured.err
    else:
        assert "verbatim index" in data["reason"]


def test_ask_says_how_words_were_read_under_the_count():
    """An answer found under another name for a key term (or a near-synonym) prints the same
    fixed note as the chat UI, under the passage count; a plain answer prints none."""
    from assistant.answers import Answer, Citation, Passage
    from assistant.cli import format_answer

    citation = Citation("a.txt", "A briefing", None, "Ms. Psaki", 3, 0, 5, "answer")
    passage = Passage("Hello", 1.0, citation, [])
    read = Answer("q", True, [passage], filters={"aliases": {"IRS": "Internal Revenue Service"}})
    lines = format_answer(read).splitlines()
    assert lines[:2] == ["1 passage from 1 transcript", "Read “IRS” as “Internal Revenue Service”"]
    assert "Read " not in format_answer(Answer("q", True, [passage]))
