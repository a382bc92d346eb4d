"""Abstention: a question is answered when the corpus answers it under another name for its key
term (retrieval/aliases.py), and declined when it asks about an event the corpus does not hold.
The deterministic hashing model throughout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.aliases import (
    Aliases,
    fold,
    initials,
    phrase_of,
    spelled_alike,
    spelled_by,
)
from embeddings import HashingModel

BRIEFING = """Press Briefing by Press Secretary Jane Doe, 10/30/09

MS. DOE: Good afternoon. The Internal Revenue Service will hire two thousand auditors next year to close the tax gap.

Q What about the earthquake in Chile? Is the government sending help?

MS. DOE: We are sending a disaster team to Chile tonight, and the earthquake relief money was approved this morning.

Q Is the CPC delegation still coming?

MS. DOE: The CPC delegation meets the Secretary on Friday to talk about trade.

Q Anything on the new L_C_D_ screens for the classrooms?

MS. DOE: The L_C_D_ screens arrive in every classroom by the spring.
"""

OTHER = """Press Briefing by Press Secretary Jane Doe, 11/02/09

MS. DOE: The President will travel to Ohio on Monday to visit a battery factory.

Q Will he talk about jobs there?

MS. DOE: He will talk about manufacturing jobs and the new factory's first year.

Q When is he back?

MS. DOE: He flies back to Washington, D.C. on Tuesday night.
"""


@pytest.fixture
def qa(make_corpus: Callable[..., Path], tmp_path: Path) -> Assistant:
    corpus = make_corpus({"wh/wh_2009-10-30.txt": BRIEFING, "wh/wh_2009-11-02.txt": OTHER})
    return Assistant.build(corpus, tmp_path / "index", model=HashingModel())


def test_an_acronym_of_a_name_in_the_corpus_is_answered(qa: Assistant) -> None:
    """ "IRS" is nowhere in the corpus, but "Internal Revenue Service" is: the question is
    answered with that passage, and says which name it was read as."""
    answer = qa.ask("How many auditors will the IRS hire?")
    assert answer.answered, answer.reason
    assert "Internal Revenue Service" in answer.passages[0].text
    assert answer.filters["aliases"] == {"IRS": "Internal Revenue Service"}


def test_a_name_spelled_out_where_the_corpus_uses_its_acronym_is_answered(qa: Assistant) -> None:
    """The other way round: the question spells out "Chinese Communist Party", the corpus only
    ever writes "CPC" (as "Communist Party of China" does): answered with the CPC passage,
    each word of the name read as the acronym."""
    answer = qa.ask("When does the Chinese Communist Party delegation meet the Secretary?")
    assert answer.answered, answer.reason
    assert "CPC delegation meets" in answer.passages[0].text
    assert set(answer.filters["aliases"].values()) == {"CPC"}


def test_a_name_whose_initials_spell_no_corpus_acronym_is_declined(qa: Assistant) -> None:
    """ "Chinese Cultural Society" spells "CCS" or, turned around, "CSC" or "SCC", none of
    which the corpus holds: its missing words are named, not read as "CPC"."""
    answer = qa.ask("When does the Chinese Cultural Society delegation meet the Secretary?")
    assert not answer.answered
    assert "Cultural" in (answer.reason or "")


def test_the_name_a_term_is_part_of_and_the_acronyms_it_spells() -> None:
    """A missing word is read in the run of capitalised words around it, less the question's
    opening word; a name of three words or more also spells its initials turned around, as
    "Communist Party of China" turns "Chinese Communist Party" around."""
    question = "Which blocs has the Chinese Communist Party set up ties with?"
    assert phrase_of(question, "Communist") == "Chinese Communist Party"
    assert phrase_of("Which Communist leaders came?", "Communist") is None
    assert (
        phrase_of("Chinese Communist Party envoys came?", "Communist") == "Chinese Communist Party"
    )
    assert spelled_by("Chinese Communist Party") == {"ccp", "cpc", "pcc"}
    assert spelled_by("Internal Revenue Service") == {"irs", "rsi", "sir"}
    assert spelled_by("Department of Justice") == {"doj"}  # two words: not turned around


def test_a_term_spelled_the_transcripts_way_is_answered(qa: Assistant) -> None:
    """ "LCD" where the transcript writes "L_C_D_" is the same term, not a missing one."""
    answer = qa.ask("When do the LCD screens arrive in classrooms?")
    assert answer.answered, answer.reason
    assert "L_C_D_ screens arrive" in answer.passages[0].text


def test_a_name_the_tokeniser_keeps_no_word_of_is_found_by_its_spelling(qa: Assistant) -> None:
    """ "DC" where the transcript writes "D.C." (single letters, which no word search keeps) is
    the same name, not a missing term."""
    answer = qa.ask("When does the President fly back to DC?")
    assert answer.answered, answer.reason
    assert answer.filters["aliases"] == {"DC": "D.C"}
    assert "Washington, D.C." in answer.passages[0].text


def test_an_unrelated_event_is_declined(qa: Assistant) -> None:
    """An earthquake in Peru is another event than the corpus's earthquake in Chile: declined,
    naming the term the transcripts never use, rather than showing the Chile passages."""
    answer = qa.ask("What did Doe say about the earthquake in Peru?")
    assert not answer.answered
    assert answer.passages == []
    assert "Peru" in (answer.reason or "")


SPEECH = """The outlook for the economy - Governor Walter Q. Brandauer - April 24, 1997

GOVERNOR WALTER Q. BRANDAUER: Thank you. Productivity has surprised us all year, and the labor market is tight.

GOVERNOR WALTER Q. BRANDAUER: Inflation has stayed low even so, and policy has been patient.
"""


def test_a_speaker_no_line_names_is_not_a_term_the_corpus_never_mentions(
    make_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """A speech's speaker is named by its labels and its title, and by no passage: a question
    naming him is answered with his words, and says nothing of reading his name as itself."""
    corpus = make_corpus({"speeches/brandauer.txt": SPEECH})
    qa = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    answer = qa.ask("What did Brandauer say about productivity?")
    assert answer.answered, answer.reason
    assert "Productivity has surprised us" in answer.passages[0].text
    assert "aliases" not in answer.filters and answer.reading is None


def test_a_missing_term_is_the_name_without_its_possessive(qa: Assistant) -> None:
    """ "Peru's" is the term "Peru": that is what the reason names (and what an alias is
    looked for by)."""
    answer = qa.ask("Is Peru's earthquake relief money approved?")
    assert not answer.answered
    assert "“Peru”" in (answer.reason or "")


def test_a_missing_term_with_no_alias_declines_even_with_other_words_present(
    qa: Assistant,
) -> None:
    """Every other word of the question is in the corpus ("President", "travel", "factory"),
    but the place is not: still declined."""
    answer = qa.ask("Will the President travel to Nevada to visit a battery factory?")
    assert not answer.answered and "Nevada" in (answer.reason or "")


def test_initials_are_spelled_by_capitalised_runs_only() -> None:
    """A run of capitalised words spells its acronym with and without connectors; a speaker's
    label in capitals spells none."""
    assert initials("Department of Justice") == {"doj"}  # "dj": under three letters
    assert initials("Internal Revenue Service") == {"irs"}
    assert initials("BRENDAN PEDERSEN") == set()
    assert fold("L_C_D_") == "lcd"


def test_a_word_spelled_alike_may_be_an_alias_an_acronym_never() -> None:
    """ "Kiev" / "Kyiv" are one name spelled two ways; "FTX" / "FT" and "NFL" / "NFC" are
    other names: each letter of an acronym stands for a word."""
    assert spelled_alike("Kiev", "Kyiv")
    assert not spelled_alike("FTX", "FT")
    assert not spelled_alike("NFL", "NFC")
    assert not spelled_alike("Kiev", "Riga")


def test_an_acronym_close_in_meaning_to_a_shorter_one_is_not_its_alias(qa: Assistant) -> None:
    """With the corpus names' vectors set by hand: a term at cosine 0.75 to a name spelled
    alike is read as that name for a word ("Kiev" as "Kyiv"), not for an acronym ("FTX" as
    "FT"), which stays missing; at cosine 0.85 either is read as the name (nearly the same
    meaning)."""
    aliases = Aliases(qa.retriever.view)
    aliases.names = ["FT", "Kyiv"]
    aliases.vectors = np.eye(2, 4, dtype=np.float32)

    def near(row: int, cosine: float) -> np.ndarray:
        vector = np.zeros(4, dtype=np.float32)
        vector[row], vector[3] = cosine, (1 - cosine**2) ** 0.5
        return vector

    assert aliases.find("FTX", near(0, 0.75)) is None
    kyiv = aliases.find("Kiev", near(1, 0.75))
    assert kyiv is not None and (kyiv.alias, kyiv.how) == ("Kyiv", "meaning")
    ft = aliases.find("FTX", near(0, 0.85))
    assert ft is not None and ft.alias == "FT"


def test_a_question_put_to_a_transcript_that_another_answers_is_declined_naming_it(
    qa: Assistant,
) -> None:
    """Put to the November briefing, a question about the October one's tax gap is declined
    (its best passage matches far less than the corpus's best), and the reason names where the
    corpus does discuss it; without the rule the same question got the November passages."""
    question = "What is the plan for the tax gap and the auditors?"
    answer = qa.ask(question, document="wh/wh_2009-11-02.txt")
    assert not answer.answered
    assert answer.filters["scope_share"] < 0.5
    assert "other transcripts discuss it" in answer.reason
    assert "wh/wh_2009-10-30.txt" in answer.reason
    without = Retriever(qa.index, qa.model, RetrievalConfig(scope_share=0.0))
    assert without.ask(question, document="wh/wh_2009-11-02.txt").answered


def test_the_same_question_put_to_the_transcript_that_answers_it_is_answered(
    qa: Assistant,
) -> None:
    """Put to the October briefing, it is answered from there (the tax gap among the passages),
    its share near 1."""
    answer = qa.ask(
        "What is the plan for the tax gap and the auditors?", document="wh/wh_2009-10-30.txt"
    )
    assert answer.answered, answer.reason
    assert answer.filters["scope_share"] >= 0.9
    assert any("tax gap" in p.text for p in answer.passages)


def test_a_question_put_to_the_only_transcript_is_not_compared_with_anything(
    make_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """With one transcript in the corpus there is nowhere else: the rule does not apply."""
    corpus = make_corpus({"wh/wh_2009-11-02.txt": OTHER}, name="one")
    alone = Assistant.build(corpus, tmp_path / "one-index", model=HashingModel())
    answer = alone.ask("Will he talk about manufacturing jobs?", document="wh/wh_2009-11-02.txt")
    assert answer.answered, answer.reason
    assert "scope_share" not in answer.filters
