"""The public Python API end to end: build, ask, cite, serialise."""

from __future__ import annotations

import json

import pytest

from assistant import Answer, Assistant

from .conftest import SEED_CORPUS, SEED_DOCUMENT

SEED_QUESTION = "How do localities and departments take part in the Party's foreign affairs work?"


@pytest.mark.model
def test_seed_question_returns_shen_beili_with_a_correct_citation(seed_assistant):
    """End to end with the packaged model: the seed question is answered by Shen Beili, and
    the citation's document, title, date, paragraph and offsets all match the file."""
    answer = seed_assistant.ask(SEED_QUESTION, k=5)
    assert answer.answered
    top = answer.passages[0]
    c = top.citation
    assert c.document == SEED_DOCUMENT
    assert c.speaker == "Shen Beili"
    assert c.role == "answer"
    assert c.title == (
        "Press Center for 20th CPC National Congress: 4th press conference | October 31, 2022"
    )
    assert c.date == "2022-10-31"
    text = (SEED_CORPUS / c.document).read_text(encoding="utf-8")
    assert text[c.start : c.end] == top.text
    assert 2 <= c.paragraph <= 6  # the five answer paragraphs (1 is the question)
    paragraph = seed_assistant.index.documents[SEED_DOCUMENT].paragraphs[c.paragraph - 1]
    assert paragraph.start <= c.start and c.end <= paragraph.end
    assert "localities and departments" in " ".join(p.text for p in answer.passages)
    assert top.context.question.startswith("As Ms. Shen introduced just now")


@pytest.mark.model
def test_seed_answers_keep_every_citation_exact(seed_assistant):
    for p in seed_assistant.ask(SEED_QUESTION, k=10).passages:
        c = p.citation
        assert (SEED_CORPUS / c.document).read_text(encoding="utf-8")[c.start : c.end] == p.text


def test_answer_round_trips_through_json(small_corpus, tmp_path):
    """Answers serialise to JSON with the same field names and come back equal."""
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    answer = qa.ask("Why did the Committee raise rates by three quarters of a point?", k=3)
    assert answer.answered
    data = json.loads(answer.to_json())
    assert set(data) == {"question", "answered", "passages", "reason", "query", "filters"}
    assert set(data["passages"][0]["citation"]) >= {
        "document",
        "title",
        "date",
        "speaker",
        "paragraph",
        "start",
        "end",
    }
    assert Answer.from_dict(data) == answer


def test_citation_fields_on_a_fixture_corpus(small_corpus, tmp_path):
    """Document is relative to the corpus root; paragraph is 1-based; offsets index the file."""
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    answer = qa.ask("Does the President support a quarantine of health workers?", k=1)
    (p,) = answer.passages
    c = p.citation
    assert c.document == "whitehouse/wh_2014-10-29.txt"
    assert (c.speaker, c.paragraph, c.date) == ("Mr. Earnest", 3, "2014-10-29")
    assert p.text.startswith("The President believes policy should be driven by science")
    assert (small_corpus / c.document).read_text()[c.start : c.end] == p.text
    assert p.context.question.startswith("Josh, does the President support a quarantine")


def test_documents_and_speakers(small_corpus, tmp_path):
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    rows = qa.documents()
    assert [r["document"] for r in rows] == [
        "whitehouse/wh_2014-10-29.txt",
        "fomc/fomc_2022-06-15.txt",
        "seed/briefing.txt",
    ]  # by date
    assert rows[2]["speakers"] == ["Li Wei"]
    assert "Chair Powell" in qa.speakers and "Mr. Earnest" in qa.speakers
    text = qa.document_text("seed/briefing.txt")
    assert text == (small_corpus / "seed/briefing.txt").read_text(encoding="utf-8")
    with pytest.raises(KeyError, match="no document"):
        qa.document_text("nope.txt")


def test_filters_narrow_the_search(small_corpus, tmp_path):
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    question = "What about the housing market and the budget?"
    by_speaker = qa.ask(question, speaker="Earnest")
    assert {p.citation.speaker for p in by_speaker.passages} <= {"Mr. Earnest", None}
    dated = qa.ask(question, date_from="2022-01-01", date_to="2022-12-31")
    assert {p.citation.date[:4] for p in dated.passages} <= {"2022"}
    one = qa.ask(question, document="fomc/fomc_2022-06-15.txt")
    assert {p.citation.document for p in one.passages} <= {"fomc/fomc_2022-06-15.txt"}


def test_unanswerable_question_declines(small_corpus, tmp_path):
    qa = Assistant.build(small_corpus, tmp_path / "index", model="hashing-384")
    answer = qa.ask("What did the Kremlin say about Zanzibar?")
    assert not answer.answered and answer.passages == [] and answer.reason
