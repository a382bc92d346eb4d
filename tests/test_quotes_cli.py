"""`verbatim check`, called in-process through `assistant.cli.main([...])` over the quote
fixtures indexed with the hashing model."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant
from assistant.cli import main
from embeddings import HashingModel

from .conftest import write_corpus
from .test_quotes import CORPUS


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("quotes-cli")
    corpus = write_corpus(root / "corpus", CORPUS)
    Assistant.build(corpus, root / "index", model=HashingModel())
    return str(root / "index")


def test_check_prints_verdict_marked_source_and_citation(index_dir, capsys):
    """A changed quote reads as close, the source marked word by word, then where it stands."""
    quote = "Inflation is far too high, and we're moving quickly to bring it back down"
    assert main(["check", quote, "--index", index_dir, "--speaker", "Powell"]) == 0
    out = capsys.readouterr().out
    assert "1 quote checked" in out and "close: said with 2 differences" in out
    assert "Inflation is [-much-]{+far+} too high" in out
    assert "[-expeditiously-]{+quickly+}" in out
    assert "said by Powell, as claimed" in out
    assert "fomc/a_june.txt ¶1, characters" in out


def test_check_says_when_a_quote_was_said_against_when_the_text_says(index_dir, capsys):
    """Dated June 2022 by the text, said on 2022-05-04: the heading gives the date claimed and
    the match says it was not said then, and when it was."""
    text = "“Inflation is much too high and we understand the hardship,” Powell said in June 2022."
    assert main(["check", text, "--index", index_dir]) == 0
    out = capsys.readouterr().out
    assert "(credited to Powell, dated June 2022)" in out
    assert "not June 2022: said 2022-05-04" in out


def test_check_json_is_the_report(index_dir, capsys):
    """--json prints `QuoteCheckReport.to_dict()`."""
    quote = "“We will keep at it until the job is done,” Josh Earnest said."
    assert main(["check", quote, "--index", index_dir, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = Assistant.load(index_dir, model=HashingModel()).check(quote).to_dict()
    assert data == expected
    assert data["quotes"][0]["matches"][0]["speaker_matches"] is False


def test_check_file_checks_every_quote_of_an_article(index_dir, tmp_path, capsys):
    """--file reads an article; each quote is listed with its verdict."""
    article = tmp_path / "article.txt"
    article.write_text(
        "“Inflation is much too high,” Powell said. He also claimed “the moon is made of "
        "cheese and everyone knows it.”",
        encoding="utf-8",
    )
    assert main(["check", "--file", str(article), "--index", index_dir]) == 0
    out = capsys.readouterr().out
    assert "2 quotes checked" in out
    assert "exact: said as quoted, 3 times" in out and "not found:" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a quote to check"),
        (["a quote", "--file", "x.txt"], "not both"),
        (["   "], "the text is empty"),
        (["--file", "/nonexistent/article.txt"], "No such file"),
    ],
)
def test_check_bad_input_is_a_clear_error(index_dir, capsys, args, message):
    """Nothing to check, two things to check, an empty quote or a missing file: exit 2, why."""
    assert main(["check", *args, "--index", index_dir]) == 2
    assert message in capsys.readouterr().err
