"""Transcript-aware ranking on small fixture transcripts, with the deterministic hashing model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant

JUNE = """Transcript of Chair Smith's Press Conference, 2022-06-15

CHAIR SMITH: Good afternoon. Today the Committee kept its policy rate unchanged. The labor market remains strong and households are spending.

MICHELLE JONES: Anna.

ANNA REPORTER: Thank you. Anna Reporter, Daily Ledger. What is your inflation outlook for the coming year?

CHAIR SMITH: We expect price pressures to ease slowly through next year as supply chains heal.

MICHELLE JONES: Ben.

BEN WRITER: Ben Writer, Market Wire. How worried are you about the widget tariff on imported widgets?

CHAIR SMITH: Costs of that kind tend to pass through to consumers over several quarters, and we are watching it closely.

MICHELLE JONES: Carl.

CARL ASKER: Carl Asker, Radio One. Is the housing market cooling?

CHAIR SMITH: Home sales have slowed sharply because mortgage rates are higher. Builders report fewer buyers.

CARL ASKER: Will it recover next year?

CHAIR SMITH: A recovery in home building should come once mortgage rates settle down.
"""

DECEMBER = """Transcript of Chair Smith's Press Conference, 2023-12-13

CHAIR SMITH: Good afternoon. The Committee lowered its policy rate today.

MICHELLE JONES: Dana.

DANA NEWS: Dana News, Evening Post. What is your inflation outlook now?

CHAIR SMITH: Inflation has come down a great deal this year and we see it near target by the end of next year.

MICHELLE JONES: Eve.

EVE PRESS: Eve Press, Weekly. Any comment on the bridge closure downtown?

CHAIR SMITH: That is a question for the city, not for us.
"""

BRIEFING = """Press Briefing by Press Secretary Jane Doe, 10/30/09

12:47 P.M. EDT

MS. DOE: Good afternoon. The President will travel to Ohio on Monday to visit a factory.

Q Will he talk about the factory jobs program?

MS. DOE: He will describe the factory jobs program and the apprenticeships it funds.

Q And the weather?

MS. DOE: I have nothing on the weather.

END 1:34 P.M. EDT
"""


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "fomc").mkdir()
    (corpus / "fomc" / "june.txt").write_text(JUNE, encoding="utf-8")
    (corpus / "fomc" / "december.txt").write_text(DECEMBER, encoding="utf-8")
    (corpus / "briefing.txt").write_text(BRIEFING, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    return Assistant.build(corpus, index, model="hashing-384")


def test_answer_ranks_above_the_question_it_answers(qa: Assistant) -> None:
    """A reporter's question that matches best lifts the official's answer above itself."""
    answer = qa.ask("How worried are you about the widget tariff on imported widgets?")
    top = answer.passages[0]
    assert top.citation.role == "answer"
    assert top.citation.speaker == "Chair Smith"
    assert top.text.startswith("Costs of that kind")
    assert "widget tariff" in (top.context.question or "")


def test_dated_question_prefers_its_conference(qa: Assistant) -> None:
    """ "In December 2023" ranks the December conference first, though June says the same words."""
    answer = qa.ask("What was the inflation outlook in December 2023?")
    assert answer.passages[0].citation.document == "fomc/december.txt"
    assert answer.filters["date_in_question"] == ["2023-12-01", "2023-12-31"]


def test_followup_uses_the_earlier_question(qa: Assistant) -> None:
    """ "Will it recover?" after a housing question finds the housing answer."""
    answer = qa.ask(
        "Will it recover next year?",
        history=["What did Chair Smith say about the housing market cooling?"],
    )
    assert answer.answered
    assert "housing" in (answer.query or "")
    texts = [p.text for p in answer.passages[:2]]
    assert any("home building" in t or "Home sales" in t for t in texts)


def test_a_followup_with_no_words_of_its_own_is_the_earlier_question_asked_again(
    qa: Assistant,
) -> None:
    """ "Why?" after "What was the inflation outlook in December 2023?" searches the earlier
    question as it was asked, its date its own (searched first, and said: the answer's
    `date_in_question`), instead of leaning on the word "why"."""
    earlier = "What was the inflation outlook in December 2023?"
    answer = qa.ask("Why?", history=[earlier])
    assert answer.question == "Why?" and answer.query == earlier
    assert answer.filters["date_in_question"] == ["2023-12-01", "2023-12-31"]
    assert [p.citation.document for p in answer.passages] == [
        p.citation.document for p in qa.ask(earlier).passages
    ]


def test_a_followup_after_a_wordless_one_leans_on_the_question_before_it(qa: Assistant) -> None:
    """After "What was the inflation outlook in December 2023?" and "Why?", the follow-up "And
    will it recover next year?" is joined to the question that says what it is about."""
    history = ["What was the inflation outlook in December 2023?", "Why?"]
    answer = qa.ask("And will it recover next year?", history=history)
    assert answer.query == f"{history[0]} And will it recover next year?"


def test_a_followup_with_no_words_of_its_own_is_declined_as_the_earlier_question_was(
    qa: Assistant,
) -> None:
    """ "Why?" after a question about something the corpus never mentions is declined for
    the same reason, not answered with whatever "why" finds."""
    answer = qa.ask("Why?", history=["What did Chair Smith say about Zanzibar?"])
    assert not answer.answered and "Zanzibar" in (answer.reason or "")


def test_a_followup_with_words_of_its_own_leans_on_them(qa: Assistant) -> None:
    """ "Will it recover next year?" has words of its own: its vector is not the earlier
    question's alone, and a date from the earlier question only weighs more, unannounced."""
    history = ["What did Chair Smith say about the housing market in June 2022?"]
    query = qa.retriever.resolve("Will it recover next year?", history)
    joined = qa.model.encode([query.text])[0]
    vector = qa.retriever.query_vector(query)
    assert not np.allclose(vector, joined / np.linalg.norm(joined), atol=1e-3)
    assert "date_in_question" not in qa.ask("Will it recover next year?", history=history).filters


def test_question_about_something_absent_is_declined(qa: Assistant) -> None:
    """A name found nowhere in the corpus gets "nothing answers", not the nearest noise."""
    answer = qa.ask("What did Chair Smith say about Zanzibar?")
    assert not answer.answered
    assert answer.passages == []
    assert "Zanzibar" in (answer.reason or "")


def test_speaker_filter_keeps_only_that_speaker(qa: Assistant) -> None:
    """`speaker=` narrows answers to one speaker (questions to them only lift their answers)."""
    answer = qa.ask("factory jobs program", speaker="Doe")
    assert answer.passages
    assert {p.citation.speaker for p in answer.passages} == {"Ms. Doe"}


def test_unknown_speaker_is_a_clear_error(qa: Assistant) -> None:
    """A speaker filter matching nobody says so and lists who is there."""
    with pytest.raises(ValueError, match="no speaker matching 'Nobody'"):
        qa.ask("inflation", speaker="Nobody")


def test_passages_do_not_overlap(qa: Assistant) -> None:
    """No two passages of one answer cover the same characters of a document."""
    answer = qa.ask("inflation outlook next year", k=10)
    spans = [(p.citation.document, p.citation.start, p.citation.end) for p in answer.passages]
    for i, (doc, start, end) in enumerate(spans):
        for other_doc, other_start, other_end in spans[i + 1 :]:
            assert doc != other_doc or end <= other_start or other_end <= start


def test_highlights_are_sentences_inside_the_passage(qa: Assistant) -> None:
    """Highlights are offsets into the passage text, around the sentence sharing the question's words."""
    answer = qa.ask("Why have home sales slowed?")
    passage = next(p for p in answer.passages if "Home sales" in p.text)
    assert passage.highlights
    start, end = passage.highlights[0]
    assert 0 <= start < end <= len(passage.text)
    assert "Home sales have slowed" in passage.text[start:end]


def test_citation_offsets_index_the_file(qa: Assistant) -> None:
    """Every passage is exactly the file's text between its citation's offsets."""
    answer = qa.ask("factory jobs program apprenticeships", k=5)
    for p in answer.passages:
        source = (Path(qa.corpus_root) / p.citation.document).read_text(encoding="utf-8")
        assert source[p.citation.start : p.citation.end] == p.text


def test_bare_q_briefing_attributes_answers(qa: Assistant) -> None:
    """In a bare-Q briefing the press secretary's reply cites her and the question it answers."""
    answer = qa.ask("Will he talk about the factory jobs program?")
    top = answer.passages[0]
    assert top.citation.speaker == "Ms. Doe"
    assert top.context.question == "Will he talk about the factory jobs program?"


def test_document_filter_matches_whole_names_only(qa: Assistant) -> None:
    """`document="june.txt"` or its stem picks that file; a name is never matched inside another."""
    answer = qa.ask("inflation outlook", document="june")
    assert {p.citation.document for p in answer.passages} == {"fomc/june.txt"}
    with pytest.raises(ValueError, match=r"no document matching 'une\.txt'"):
        qa.ask("inflation outlook", document="une.txt")


def test_self_contained_question_ignores_history(qa: Assistant) -> None:
    """A question naming its own speaker and date is not glued to the conversation before it."""
    history = ["What did Chair Smith say about the housing market cooling?"]
    answer = qa.ask(
        "What did Chair Smith say about the inflation outlook in December 2023?", history=history
    )
    assert answer.query == "What did Chair Smith say about the inflation outlook in December 2023?"
    assert answer.passages[0].citation.document == "fomc/december.txt"
