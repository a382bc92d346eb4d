"""A speaker's office, as a label's parenthetical gave it once, names them in a question.

Committee transcripts introduce a minister once as `Hon. Deb Schulte (Minister of Seniors):`
and label them `Hon. Deb Schulte:` after; the reader shows one speaker under the short name
and keeps the office (`Transcript.titles`), which the index stores with the document. A
briefing's title names its principal's office the same way ("Press Briefing by Press Secretary
Josh Earnest")."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from embeddings import HashingModel

from .conftest import hashed_assistant, transcript

COMMITTEE = transcript(
    "Special committee meeting, 2020-05-13",
    [
        "The Chair (Hon. Anthony Rota): I call the meeting to order.",
        "Mr. Tom Kmiec (Calgary Shepard, CPC): Will seniors get a second payment this summer?",
        "Hon. Deb Schulte (Minister of Seniors): Seniors will receive a one-time payment "
        "in July, and we are watching their costs closely.",
        "Mr. Tom Kmiec: When will the payment for seniors arrive?",
        "Hon. Deb Schulte: The payment for seniors arrives in the first week of July.",
        "Ms. Jenny Kwan (Vancouver East, NDP): Students need help with rent for seniors too.",
        "Right Hon. Justin Trudeau (Prime Minister): Students will get the emergency benefit "
        "from Friday, and seniors will get their payment in July.",
    ],
)


def test_a_question_naming_an_office_narrows_to_its_holder(tmp_path: Path) -> None:
    """ "the Minister of Seniors" is Hon. Deb Schulte, shown under her short name, and her
    passage comes first; the office is read again from the stored index."""
    hashed_assistant(tmp_path, {"committee_2020-05-13.txt": COMMITTEE})
    qa = Assistant.load(tmp_path / "index", model=HashingModel())
    record = qa.index.documents["committee_2020-05-13.txt"]
    assert ("Hon. Deb Schulte", "Minister of Seniors") in record.titles
    answer = qa.ask("What did the Minister of Seniors say about the payment for seniors?")
    assert answer.filters["speaker_in_question"] == ["Hon. Deb Schulte"]
    assert answer.passages[0].citation.speaker == "Hon. Deb Schulte"
    assert "Hon. Deb Schulte" in qa.speakers
    assert not any("(" in s for s in qa.speakers if "Schulte" in s)


def test_an_office_shown_with_its_name_still_names_them(tmp_path: Path) -> None:
    """Trudeau is labelled with his office only, so it stays in his shown name; "the Prime
    Minister" names him all the same."""
    qa = hashed_assistant(tmp_path, {"committee_2020-05-13.txt": COMMITTEE})
    answer = qa.ask("What did the Prime Minister say about students?")
    assert answer.filters["speaker_in_question"] == ["Right Hon. Justin Trudeau (Prime Minister)"]


def briefing(title: str, speaker: str, topic: str) -> str:
    return transcript(
        title,
        [
            f"{speaker}: Good afternoon, everybody.",
            f"Q: What about {topic}?",
            f"{speaker}: On {topic}, the President has been clear about his plans.",
            f"MS. JONES: The senator said {topic} is a priority for her.",
        ],
    )


def test_a_briefings_title_gives_its_principal_the_office(tmp_path: Path) -> None:
    """ "by Press Secretary Josh Earnest" makes Mr. Earnest "the press secretary"; "by White
    House Press Secretary Robert Gibbs" makes Mr. Gibbs "the White House press secretary" and
    "the press secretary" too; a question naming the office narrows to them, not to a reporter
    who speaks of the topic too."""
    files = {
        "wh_2015.txt": briefing(
            "Press Briefing by Press Secretary Josh Earnest, 10/29/2015", "MR. EARNEST", "Syria"
        ),
        "wh_2009.txt": briefing(
            "Briefing by White House Press Secretary Robert Gibbs, 10/30/09", "MR. GIBBS", "Iran"
        ),
    }
    hashed_assistant(tmp_path, files)
    qa = Assistant.load(tmp_path / "index", model=HashingModel())
    assert qa.index.documents["wh_2015.txt"].titles == (("Mr. Earnest", "Press Secretary"),)
    assert qa.index.documents["wh_2009.txt"].titles == (
        ("Mr. Gibbs", "White House Press Secretary"),
    )
    answer = qa.ask("What did the press secretary say about Syria?")
    assert answer.filters["speaker_in_question"] == ["Mr. Earnest", "Mr. Gibbs"]
    assert answer.passages[0].citation.speaker == "Mr. Earnest"
    iran = qa.ask("What did the White House press secretary say about Iran?")
    assert iran.filters["speaker_in_question"] == ["Mr. Earnest", "Mr. Gibbs"]
    assert iran.passages[0].citation.speaker == "Mr. Gibbs"


def test_a_title_without_an_office_before_the_name_gives_none() -> None:
    """ "Remarks by Josh Earnest" holds no office word before the name, and "Chair Powell's
    Press Conference" names the chair whose label says so already: no office is added."""
    from assistant.transcripts import parse_transcript

    plain = parse_transcript(briefing("Remarks by Josh Earnest, 10/29/2015", "MR. EARNEST", "Iraq"))
    assert plain.titles == ()
    fomc = parse_transcript(
        transcript(
            "Transcript of Chair Powell's Press Conference, 2024-09-18",
            ["CHAIR POWELL: Good afternoon.", "Q: And rates?", "CHAIR POWELL: We cut them."],
        )
    )
    assert fomc.titles == ()


EARNINGS_CALL = (
    "Apple Q4 2023 Earnings Conference Call, 2023-11-02\n\n"
    "Company Participants\n\nTim Cook - CEO\nLuca Maestri - CFO\n\n"
    "Operator\n\nGood day, and welcome to the Apple conference call.\n\n"
    "Tim Cook\n\nRevenue was a September quarter record, and services margins grew.\n\n"
    "Luca Maestri\n\nServices gross margin was 70.5 percent, up on higher margins.\n\n"
    "Tim Cook\n\nThank you all for joining.\n"
)


def test_a_participants_lists_role_names_the_speaker(tmp_path: Path) -> None:
    """An earnings call lists its participants with roles (`Luca Maestri - CFO`) and labels
    their turns by bare name lines: "the CFO" is Luca Maestri, whose passage comes first."""
    qa = hashed_assistant(tmp_path, {"apple_2023-11-02.txt": EARNINGS_CALL})
    answer = qa.ask("What did the CFO say about margins?", k=2)
    assert answer.filters["speaker_in_question"] == ["Luca Maestri"]
    assert answer.passages[0].citation.speaker == "Luca Maestri"
