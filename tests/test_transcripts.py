"""Reading transcripts: speakers, roles, questions answered, furniture, exact offsets.

Named paragraphs of each format in ../shared/corpus, then small synthetic texts for the label
forms the corpus does not hold (`Q:`/`A:`, `MS. SMITH.`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import decode_text
from assistant.transcripts import ANSWER, QUESTION, STATEMENT, parse_transcript

from .conftest import SEED_CORPUS, SEED_DOCUMENT, SHARED_CORPUS


def read(corpus: Path, document: str):
    text = (corpus / document).read_text(encoding="utf-8")
    return text, parse_transcript(text, document)


def paragraph_starting(transcript, prefix: str):
    found = [p for p in transcript.paragraphs if p.text.startswith(prefix)]
    assert len(found) == 1, f"expected one paragraph starting {prefix!r}, found {len(found)}"
    return found[0]


# ------------------------------------------------------------------ the seed
def test_seed_opening_question_is_a_journalists_not_shen_beilis(shared_corpus):
    """The seed's unlabelled opening question is a question from the floor, not Shen Beili's."""
    _, t = read(shared_corpus, SEED_DOCUMENT)
    first = t.paragraphs[0]
    assert first.text.startswith("As Ms. Shen introduced just now")
    assert first.speaker is None
    assert first.role == QUESTION


def test_seed_answers_are_shen_beilis_and_answer_the_opening_question(shared_corpus):
    """`Shen Beili:` alone on its line applies to the five paragraphs below it."""
    _, t = read(shared_corpus, SEED_DOCUMENT)
    answers = t.paragraphs[1:]
    assert len(answers) == 5
    assert [p.speaker for p in answers] == ["Shen Beili"] * 5
    assert [p.role for p in answers] == [ANSWER] * 5
    assert [p.question for p in answers] == [1] * 5
    assert answers[0].text.startswith("We have always implemented our work")
    assert answers[-1].text.endswith("better serve socialist modernization. Thank you.")


def test_shipped_seed_is_the_shared_seed(shared_corpus):
    """corpus/ ships an exact copy of the shared seed transcript."""
    shipped = (SEED_CORPUS / SEED_DOCUMENT).read_bytes()
    assert shipped == (shared_corpus / SEED_DOCUMENT).read_bytes()


def test_seed_pagination_footer_is_not_a_passage():
    """`<  1  2  3 ... 12 >` is page furniture, not speech."""
    text, t = read(SEED_CORPUS, SEED_DOCUMENT)
    footer = "< 1 2 3 4 5 6 7 8 9 10 11 12 >"  # spaced with no-break spaces in the file
    assert " ".join(text.split()).endswith(footer)
    assert all("< 1" not in " ".join(p.text.split()) for p in t.paragraphs)
    assert t.paragraphs[-1].text.endswith("Thank you.")
    assert len(t.paragraphs) == 6


# ------------------------------------------------------------------ White House
def test_bare_q_exchange_in_a_white_house_briefing(shared_corpus):
    """`Q What are they coming as?` is an unnamed question; Mr. Gibbs's reply answers it."""
    text, t = read(shared_corpus, "whitehouse/wh_2009-10-30.txt")
    question = paragraph_starting(t, "What are they coming as?")
    assert (question.speaker, question.role) == (None, QUESTION)
    assert text[question.start - 2 : question.start] == "Q "  # the label is not in the text
    answer = t.paragraphs[question.index]  # the next paragraph (indexes are 1-based)
    assert answer.text == "All sorts of things."
    assert (answer.speaker, answer.role, answer.question) == ("Mr. Gibbs", ANSWER, question.index)
    assert text[answer.start - len("MR. GIBBS: ") : answer.start] == "MR. GIBBS: "


def test_white_house_opening_remarks_are_a_statement(shared_corpus):
    """Remarks before any question are a statement, not an answer."""
    _, t = read(shared_corpus, "whitehouse/wh_2009-10-30.txt")
    first = t.paragraphs[0]
    assert first.text.startswith("Good afternoon.")
    assert (first.speaker, first.role, first.question) == ("Mr. Gibbs", STATEMENT, None)


def test_one_paragraph_per_line_file(shared_corpus):
    """wh_2010-10-19.txt has no blank lines: each line is a paragraph, and an unlabelled line
    continues the current speaker's answer."""
    text, t = read(shared_corpus, "whitehouse/wh_2010-10-19.txt")
    assert "\n\n" not in text.split("\n", 2)[2]  # below the title, no blank line at all
    assert len(t.paragraphs) > 150
    assert all("\n" not in p.text for p in t.paragraphs)
    question = paragraph_starting(t, "Does the President feel like he can be more effective")
    assert (question.speaker, question.role) == (None, QUESTION)
    answer = t.paragraphs[question.index]
    assert answer.text.startswith("Look, the President, if you look at")
    assert (answer.speaker, answer.role, answer.question) == ("Mr. Gibbs", ANSWER, question.index)
    continued = t.paragraphs[answer.index]
    assert continued.text.startswith("So the President is going to go and hit a lot of places")
    assert (continued.speaker, continued.role, continued.question) == (
        "Mr. Gibbs",
        ANSWER,
        question.index,
    )


def test_time_stamps_become_metadata(shared_corpus):
    """`12:47 P.M. EDT` and the closing stamp are `Transcript.times`, not passages."""
    _, t = read(shared_corpus, "whitehouse/wh_2009-10-30.txt")
    assert t.times == ("12:47 P.M. EDT", "1:34 P.M. EDT")
    assert all("P.M. EDT" not in p.text for p in t.paragraphs)
    assert all(p.text != "END" for p in t.paragraphs)


def test_room_name_is_dropped(shared_corpus):
    """The briefing room's name above the first speaker is front matter, not speech."""
    text, t = read(shared_corpus, "whitehouse/wh_2011-11-28.txt")
    assert "James S. Brady Press Briefing Room" in text
    assert all("Briefing Room" not in p.text for p in t.paragraphs)
    assert t.paragraphs[0].text.startswith("Good afternoon, ladies and gentlemen.")


# ------------------------------------------------------------------ FOMC
def test_fomc_reporter_question_and_powells_answer(shared_corpus):
    """Howard Schneider asks; Chair Powell's answer points at his question."""
    text, t = read(shared_corpus, "fomc/fomc_2022-06-15.txt")
    question = paragraph_starting(t, "Thank you. Howard Schneider with Reuters.")
    assert (question.speaker, question.role) == ("Howard Schneider", QUESTION)
    answer = t.paragraphs[question.index]
    assert answer.text.startswith("So, as you know, we always aim to provide as much clarity")
    assert (answer.speaker, answer.role, answer.question) == (
        "Chair Powell",
        ANSWER,
        question.index,
    )
    # display names are normalised; the source keeps its capitals
    assert text[answer.start - len("CHAIR POWELL: ") : answer.start] == "CHAIR POWELL: "


def test_fomc_opening_statement_and_moderator(shared_corpus):
    """Powell's opening statement is a statement; Michelle Smith calling on reporters is too."""
    _, t = read(shared_corpus, "fomc/fomc_2022-06-15.txt")
    opening, moderator = t.paragraphs[0], t.paragraphs[1]
    assert opening.text.startswith("Good afternoon. I will begin with one overarching message")
    assert (opening.speaker, opening.role) == ("Chair Powell", STATEMENT)
    assert (moderator.text, moderator.speaker, moderator.role) == (
        "Howard.",
        "Michelle Smith",
        STATEMENT,
    )


# ------------------------------------------------------------------ whole corpus
def _shared_documents() -> list[str]:
    if not SHARED_CORPUS.is_dir():
        return []
    return sorted(p.relative_to(SHARED_CORPUS).as_posix() for p in SHARED_CORPUS.rglob("*.txt"))


@pytest.mark.parametrize("document", _shared_documents() or ["(shared corpus absent)"])
def test_every_paragraph_of_the_shared_corpus_is_its_source_slice(shared_corpus, document):
    """Offsets invariant, paragraphs: `source[start:end] == text`, in order, non-overlapping."""
    text = (shared_corpus / document).read_text(encoding="utf-8")
    t = parse_transcript(decode_text((shared_corpus / document).read_bytes(), document), document)
    assert t.paragraphs, "every shared transcript has speech"
    previous_end = 0
    for n, p in enumerate(t.paragraphs, 1):
        assert p.index == n
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip() and p.text
        assert p.start >= previous_end
        previous_end = p.end
        if p.question is not None:
            assert t.paragraphs[p.question - 1].role == QUESTION
            assert p.question < p.index


# ------------------------------------------------------------------ label forms
def test_q_colon_and_a_colon_labels():
    """`Q:` asks and `A:` answers; neither label is part of the text."""
    text = "Interview, 2020-01-02\n\nQ: Where were you?\n\nA: At home, all day.\n"
    t = parse_transcript(text)
    q, a = t.paragraphs
    assert (q.text, q.role, q.speaker) == ("Where were you?", QUESTION, None)
    assert (a.text, a.role, a.question) == ("At home, all day.", ANSWER, 1)


def test_speech_on_the_line_after_its_label_starts_at_its_first_word():
    """ "Shen Beili:" closing a line, the speech on the next: the paragraph is the speech from
    its first word, the line break not part of it (found by the property test below)."""
    text = "Q \nShen Beili:\n\nShen Beili:\nOK. "
    (p,) = parse_transcript(text).paragraphs
    assert (p.speaker, p.text) == ("Shen Beili", "OK.")
    assert text[p.start : p.end] == "OK."


def test_title_and_name_dot_labels():
    """`MS. SMITH. text` is a label like `MS. SMITH: text`; a shouted `OK.` is not."""
    text = (
        "Briefing, 2020-01-02\n\nMS. SMITH. Good morning to you all.\n\n"
        "Q Is it true?\n\nMS. SMITH. OK. It is true.\n"
    )
    t = parse_transcript(text)
    assert [(p.speaker, p.role, p.text) for p in t.paragraphs] == [
        ("Ms. Smith", STATEMENT, "Good morning to you all."),
        (None, QUESTION, "Is it true?"),
        ("Ms. Smith", ANSWER, "OK. It is true."),
    ]


def test_a_correction_marked_before_a_label_is_still_that_speakers():
    """`** MR. CARNEY: ...`, asterisks a press office put before a corrected answer: the answer
    is Mr. Carney's, and the asterisks are not part of it."""
    text = (
        "Briefing, 2013-11-01\n\n**Please see below for a correction, marked with asterisks.\n\n"
        "Q Was the President aware of the idea?\n\n"
        "** MR. CARNEY: I'm glad you asked. The President never considered that.\n"
    )
    (question, answer) = parse_transcript(text).paragraphs
    assert (question.speaker, question.role) == (None, QUESTION)
    assert (answer.speaker, answer.role, answer.question) == ("Mr. Carney", ANSWER, question.index)
    assert answer.text == "I'm glad you asked. The President never considered that."


def test_display_names_keep_mc_and_hyphens():
    """`MICHAEL MCKEE` -> `Michael McKee`, `JEAN-PAUL O'NEIL` keeps its capitals."""
    from assistant.transcripts import display_name

    assert display_name("MICHAEL MCKEE") == "Michael McKee"
    assert display_name("CHAIR POWELL") == "Chair Powell"
    assert display_name("MR. EARNEST") == "Mr. Earnest"
    assert display_name("JEAN-PAUL O'NEIL") == "Jean-Paul O'Neil"


def test_empty_text_has_no_title_and_no_paragraphs():
    t = parse_transcript("   \n\n  ")
    assert (t.title, t.date, t.paragraphs) == ("", None, ())


# ------------------------------------------------------------------ labels that recur
def speakers_of(text: str) -> list[tuple[str | None, str]]:
    return [(p.speaker, p.text) for p in parse_transcript(text).paragraphs]


def test_meeting_role_labels_are_speakers():
    """Role labels of a product meeting, one word or two, are speakers because they recur."""
    text = (
        "Product meeting\n\nProject Manager: Okay, let us start with the agenda.\n\n"
        "Marketing: I have the survey results here.\n\nUser Interface: Mm, yeah.\n\n"
        "Marketing: Most users find remotes ugly.\n\nProject Manager: Good, go on.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "Project Manager",
        "Marketing",
        "User Interface",
        "Marketing",
        "Project Manager",
    ]
    assert speakers_of(text)[1][1] == "I have the survey results here."


def test_short_codes_are_speakers():
    """`Grad B:`, `PhD A:`, `Professor F:` (a name part of one letter) are speakers."""
    text = (
        "Academic meeting\n\nGrad B: So which is my bar?\n\nPhD A: The second one.\n\n"
        "Professor F: Let us read the digits.\n\nGrad B: OK.\n\nPhD A: Fine.\n\n"
        "Professor F: Good.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "Grad B", "PhD A", "Professor F", "Grad B", "PhD A", "Professor F",
    ]  # fmt: skip


def test_committee_names_with_suffixes_and_titles():
    """`Kirsty Williams AM:`, `Dr Rachel Bowen:`, `The Chair:` in a labelled committee record,
    including a witness who speaks once."""
    text = (
        "Committee meeting\n\nThe Chair: Welcome to the committee.\n\n"
        "Kirsty Williams AM: Thank you, Chair.\n\nThe Chair: Dr Bowen, your view?\n\n"
        "Dr Rachel Bowen: We see a shortage of teachers in Welsh-medium schools.\n\n"
        "Kirsty Williams AM: I agree with that.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "The Chair", "Kirsty Williams AM", "The Chair", "Dr Rachel Bowen", "Kirsty Williams AM",
    ]  # fmt: skip


HEARING = (
    "        [House Hearing, 118 Congress]\n\n"
    "    Chairman McHenry. The Committee on Financial Services will\n"
    "come to order.\n"
    "    Without objection, the Chair is authorized to declare a\n"
    "recess of the committee at any time.\n"
    "    Ms. Waters. Thank you, Mr. Chairman. Madam Secretary, what\n"
    "would a default mean for working families?\n"
    "    Secretary Yellen. A default would be catastrophic. It would\n"
    "undermine the full faith and credit of the United States.\n"
    "    Chairman McHenry. The gentlelady's time has expired.\n"
    "    Mr. Lucas. Madam Secretary, what of China's Treasuries?\n"
    "    Secretary Yellen. Their holdings have declined.\n"
)


def test_a_hearing_as_printed_has_a_paragraph_per_indented_line_and_its_speakers():
    """A hearing's text edition (the Government Publishing Office's) wraps each paragraph
    without a blank line, its first line indented, and labels turns `Chairman McHenry.`: each
    indented line starts a paragraph, a wrapped line continues it, and a title and name before
    a full stop that recur are speakers (`Mr. Lucas.`, once, in a file labelled throughout)."""
    paragraphs = speakers_of(HEARING)
    assert [s for s, _ in paragraphs] == [
        "Chairman McHenry", "Chairman McHenry", "Ms. Waters", "Secretary Yellen",
        "Chairman McHenry", "Mr. Lucas", "Secretary Yellen",
    ]  # fmt: skip
    assert paragraphs[1][1] == (
        "Without objection, the Chair is authorized to declare a\n"
        "recess of the committee at any time."
    )


def test_a_hearings_title_set_over_centred_lines_below_the_publishers_note():
    """The GPO's text edition opens with `[House Hearing, 118 Congress]` and sets the hearing's
    name in capitals over several lines: that name, whole, is the title; a line in capitals
    after a blank line, or a turn, is not part of it."""
    text = (
        "                 [House Hearing, 118 Congress]\n"
        "                 [From the U.S. Government Publishing Office]\n\n"
        "                   THE ANNUAL TESTIMONY OF THE SECRETARY\n"
        "                  OF THE TREASURY ON THE STATE OF THE\n"
        "                      INTERNATIONAL FINANCIAL SYSTEM\n\n"
        "                                HEARING\n\n" + HEARING.split("\n\n", 1)[1]
    )
    t = parse_transcript(text)
    assert t.title == (
        "THE ANNUAL TESTIMONY OF THE SECRETARY OF THE TREASURY ON THE STATE OF THE "
        "INTERNATIONAL FINANCIAL SYSTEM"
    )
    assert t.paragraphs[0].speaker == "Chairman McHenry"
    assert parse_transcript("BRIEFING\nMR. GIBBS: GOOD AFTERNOON.\n").title == "BRIEFING"


def test_a_hearing_in_capitals_as_the_record_prints_it():
    """`Mr. POWELL.`, `Chairman McHENRY.`, `Ms. DeLAURO.`, `The CHAIRMAN.` are labels at first
    sight, shown as `Mr. Powell`, `Chairman McHenry`, `Ms. DeLauro`; `Mr. Chairman. Thank you`
    (an office, said to someone) is speech."""
    text = (
        "Hearing, 2024-03-06\n\nChairman McHENRY. The committee will come to order.\n\n"
        "Ms. DeLAURO. Chair Powell, when will rates fall?\n\n"
        "Mr. POWELL. When we are confident inflation is moving down.\n\n"
        "Mr. Chairman. Thank you for the time.\n\nThe CHAIRMAN. The time has expired.\n"
    )
    assert speakers_of(text) == [
        ("Chairman McHenry", "The committee will come to order."),
        ("Ms. DeLauro", "Chair Powell, when will rates fall?"),
        ("Mr. Powell", "When we are confident inflation is moving down."),
        ("Mr. Powell", "Mr. Chairman. Thank you for the time."),
        ("The Chairman", "The time has expired."),
    ]


HANSARD = (
    "Prime Minister's Questions, 7 June 2023\n\nEngagements\n\n"
    "Q1. [905234] Mr Barry Sheerman (Huddersfield) (Lab/Co-op)\n"
    "If he will list his official engagements for Wednesday 7 June.\n\n"
    "The Prime Minister (Rishi Sunak)\n"
    "This morning, I had meetings with ministerial colleagues and others.\n\n"
    "Mr Sheerman\nDoes the Prime Minister agree that the cost of living is the worry?\n\n"
    "The Prime Minister\nI do, and that is why we are halving inflation this year.\n\n"
    "Keir Starmer (Holborn and St Pancras) (Lab)\n"
    "Mortgage rates are rising again. What does he say to families?\n\n"
    "The Prime Minister\nWe are supporting families with the mortgage charter.\n\n"
    "Keir Starmer\nThat is not good enough.\n\n"
    "Laura Kuenssberg.\nA line that ends as a sentence does is speech.\n"
)


def test_a_parliaments_record_names_each_turn_on_a_line_of_its_own():
    """Hansard lays a turn out as a name line with no colon (a question's number, the member's
    constituency and party after it) and the speech below: each is a speaker's turn; a bare
    `Mr Sheerman` in a file so labelled is one too; what the parenthetical said is kept (so
    "Rishi Sunak" names the Prime Minister); a heading of one word and a line ending in a full
    stop are not names."""
    t = parse_transcript(HANSARD)
    assert [(p.speaker, p.text[:20]) for p in t.paragraphs] == [
        ("Mr Barry Sheerman (Huddersfield) (Lab/Co-op)", "If he will list his "),
        ("The Prime Minister", "This morning, I had "),
        ("Mr Sheerman", "Does the Prime Minis"),
        ("The Prime Minister", "I do, and that is wh"),
        ("Keir Starmer", "Mortgage rates are r"),
        ("The Prime Minister", "We are supporting fa"),
        ("Keir Starmer", "That is not good eno"),
        ("Keir Starmer", "Laura Kuenssberg.\nA "),
    ]
    assert ("The Prime Minister", "Rishi Sunak") in t.titles
    assert ("Keir Starmer", "Holborn and St Pancras, Lab") in t.titles


def test_a_broadcasts_labels_with_roles_titles_and_surnames():
    """NPR's `STEVE INSKEEP, HOST:` (alone on its line, the speech below), CNN's `SEN. ELIZABETH
    WARREN (D-MA):`, and the surname alone after (`INSKEEP:`, `WARREN:`) are one speaker each;
    the host's introduction is speech, not front matter; a production note in capitals on its
    own (`(SOUNDBITE OF MUSIC)`) is nobody's speech."""
    text = (
        "Morning Edition, March 3, 2024\n\nSTEVE INSKEEP, HOST:\n\n"
        "The Fed meets this week. NPR's Scott Horsley reports.\n\n"
        "SCOTT HORSLEY, BYLINE: Inflation has cooled.\n\n"
        "SEN. ELIZABETH WARREN (D-MA): The banks need stronger rules.\n\n"
        "HORSLEY: The Fed is not far from cutting.\n\nWARREN: Not soon enough.\n\n"
        "(SOUNDBITE OF MUSIC)\n\n[APPLAUSE]\n\nINSKEEP: Scott, thanks.\n"
    )
    assert speakers_of(text) == [
        ("Steve Inskeep (Host)", "The Fed meets this week. NPR's Scott Horsley reports."),
        ("Scott Horsley (Byline)", "Inflation has cooled."),
        ("Sen. Elizabeth Warren (D-MA)", "The banks need stronger rules."),
        ("Scott Horsley (Byline)", "The Fed is not far from cutting."),
        ("Sen. Elizabeth Warren (D-MA)", "Not soon enough."),
        ("Steve Inskeep (Host)", "Scott, thanks."),
    ]


def test_a_surname_with_its_particle_is_a_label():
    """`de Guindos:` and `von der Leyen:` begin in lower case as the names are written."""
    text = (
        "Press conference, 2023-12-14\n\nLagarde: We did not discuss rate cuts.\n\n"
        "de Guindos: We will reduce the portfolio.\n\nvon der Leyen: Europe stands ready.\n\n"
        "Lagarde: That is right.\n\nde Guindos: Yes.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "Lagarde", "de Guindos", "von der Leyen", "Lagarde", "de Guindos",
    ]  # fmt: skip


def test_a_research_interviews_i_and_r_are_speakers():
    """`I:` (interviewer) and `R:` (respondent) at the start of paragraphs, each recurring, are
    speakers, as a qualitative research transcript marks them."""
    text = (
        "Interview 3, 12 May 2024\n\nI: Can you tell me about your first job?\n\n"
        "R: I worked at a bakery.\n\nI: What did you like?\n\nR: The people.\n"
    )
    assert [s for s, _ in speakers_of(text)] == ["I", "R", "I", "R"]


def test_a_word_before_a_colon_once_is_speech_not_a_speaker():
    """`Second: ...` or `Look: ...` opening one paragraph stays in the current speaker's words."""
    text = (
        "Briefing, 2020-01-02\n\nMR. SMITH: We did three things.\n\n"
        "Second: we cut the rates.\n\nLook: it worked.\n\nQ Did it?\n\nMR. SMITH: Yes.\n"
    )
    assert speakers_of(text)[:3] == [
        ("Mr. Smith", "We did three things."),
        ("Mr. Smith", "Second: we cut the rates."),
        ("Mr. Smith", "Look: it worked."),
    ]


def test_a_parenthetical_after_a_name_is_the_same_speaker():
    """`Hon. Bill Morneau (Minister of Finance):` then `Hon. Bill Morneau:` is one speaker under
    the short name; a name only ever written with its parenthetical keeps it."""
    text = (
        "Committee meeting\n\nThe Chair (Hon. Anthony Rota (Nipissing, Lib.)): Order.\n\n"
        "Hon. Bill Morneau (Minister of Finance): We acted quickly.\n\n"
        "The Acting Chair (Mr. Bruce Stanton): Next question.\n\n"
        "Hon. Bill Morneau: We will act again.\n\nThe Chair: Thank you.\n\n"
        "The Acting Chair (Mr. Bruce Stanton): Go ahead.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "The Chair",
        "Hon. Bill Morneau",
        "The Acting Chair (Mr. Bruce Stanton)",
        "Hon. Bill Morneau",
        "The Chair",
        "The Acting Chair (Mr. Bruce Stanton)",
    ]
    assert speakers_of(text)[0][1] == "Order."


def test_what_a_parenthetical_said_of_a_speaker_shown_without_it_is_kept_as_a_title():
    """`Hon. Bill Morneau (Minister of Finance):` once, then bare: shown as `Hon. Bill Morneau`,
    with "Minister of Finance" kept in `Transcript.titles` (so a question can name him by it);
    a name shown with its parenthetical has nothing more to keep."""
    text = (
        "Committee meeting\n\nThe Chair (Hon. Anthony Rota (Nipissing, Lib.)): Order.\n\n"
        "Hon. Bill Morneau (Minister of Finance): We acted quickly.\n\n"
        "The Acting Chair (Mr. Bruce Stanton): Next question.\n\n"
        "Hon. Bill Morneau: We will act again.\n\nThe Chair: Thank you.\n"
    )
    assert parse_transcript(text).titles == (
        ("Hon. Bill Morneau", "Minister of Finance"),
        ("The Chair", "Hon. Anthony Rota (Nipissing, Lib.)"),
    )
    assert parse_transcript("Briefing\n\nMR. CARNEY: Good afternoon.\n").titles == ()


def test_labels_with_capitals_of_other_scripts():
    """`ВЕДУЩИЙ:`, `ÖZDEMIR:`, `ÉLODIE DURAND:` are labels like `CHAIR POWELL:`."""
    text = (
        "Interview\n\nВЕДУЩИЙ: Добрый вечер.\n\nÖZDEMIR: Guten Abend.\n\n"
        "ÉLODIE DURAND: Bonsoir à tous.\n"
    )
    assert speakers_of(text) == [
        ("Ведущий", "Добрый вечер."),
        ("Özdemir", "Guten Abend."),
        ("Élodie Durand", "Bonsoir à tous."),
    ]


def test_chinese_labels_with_a_full_width_colon():
    """`沈蓓莉：` opens a turn with no space after the colon, inline or alone on its line."""
    text = (
        "第四场记者招待会\n\n记者：请介绍一下党的对外工作的经验。\n\n"
        "沈蓓莉：\n\n我们始终按照总书记的要求开展工作。\n\n第一，我们分享了发展经验。\n\n"
        "记者：谢谢。\n\n沈蓓莉：谢谢大家。\n"
    )
    assert speakers_of(text) == [
        ("记者", "请介绍一下党的对外工作的经验。"),
        ("沈蓓莉", "我们始终按照总书记的要求开展工作。"),
        ("沈蓓莉", "第一，我们分享了发展经验。"),
        ("记者", "谢谢。"),
        ("沈蓓莉", "谢谢大家。"),
    ]


def test_qmsum_meetings_every_turn_has_its_labelled_speaker(shared_corpus):
    """In every QMSum validation meeting (product, academic, committee), each `Label: words`
    turn is a paragraph of that label's speaker, the label not part of its text."""
    from assistant.labels import split_paren

    corpus = shared_corpus.parent / "bench" / "qmsum-val" / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        turns = [b.strip() for b in text.split("\n\n")[1:] if b.strip()]
        turns = [b for b in turns if not b.endswith(":")]  # a label with no words
        t = parse_transcript(text, path.name)
        assert len(t.paragraphs) == len(turns), path.name
        for p, turn in zip(t.paragraphs, turns, strict=True):
            label, words = turn.split(": ", 1)
            assert split_paren(p.speaker)[0] == split_paren(label)[0], (path.name, p.index)
            assert p.text == words


# ------------------------------------------------------------------ roles in discussions
def test_meeting_roles_a_question_ending_a_turn_and_the_reply():
    """In a discussion a turn ending with a question asks, the next speaker's turn answers it,
    and the rest are statements (no one is a reporter)."""
    text = (
        "Meeting\n\nGrad A: We have to read the digits first.\n\n"
        "Grad E: Are we supposed to read them at the same time?\n\nGrad A: No. No.\n\n"
        "Grad E: Oh, OK.\n\nGrad A: Each individually, please.\n"
    )
    t = parse_transcript(text)
    assert [(p.role, p.question) for p in t.paragraphs] == [
        (STATEMENT, None),
        (QUESTION, None),
        (ANSWER, 2),
        (STATEMENT, None),
        (STATEMENT, None),
    ]


def test_press_conference_roles_are_kept_where_one_speaker_answers(shared_corpus):
    """A press conference (one speaker holds most words, the others ask) keeps reporters as
    questions and the principal as the answerer, even a reporter's turn with no `?`."""
    _, t = read(shared_corpus, "fomc/fomc_2022-06-15.txt")
    roles = {p.speaker: p.role for p in t.paragraphs if p.role != STATEMENT}
    assert roles["Chair Powell"] == ANSWER
    assert roles["Howard Schneider"] == QUESTION


# ------------------------------------------------------------------ bounds
def test_a_file_of_too_many_turns_is_skipped_and_the_rest_indexed(
    make_corpus, tmp_path, monkeypatch
):
    """A label bomb (a file of a million one-word turns took 8.3 GB: each turn is a passage with
    its vector) is skipped with its reason once it passes MAX_PARAGRAPHS; the parse stops there
    instead of reading on, and the other files are indexed."""
    import assistant.transcripts as transcripts
    from assistant import Assistant
    from assistant.build import build_index
    from embeddings import HashingModel

    from .conftest import SMALL_CORPUS

    assert transcripts.MAX_PARAGRAPHS == 100_000
    monkeypatch.setattr(transcripts, "MAX_PARAGRAPHS", 2_000)
    bomb = "Bomb\n\n" + "".join(f"SPEAKER {n % 3}: word.\n\n" for n in range(2_001))
    with pytest.raises(ValueError, match=r"more than 2,000 paragraphs of speech"):
        parse_transcript(bomb)
    corpus = make_corpus({**SMALL_CORPUS, "bomb.txt": bomb})
    report = build_index(corpus, tmp_path / "index", HashingModel())
    assert [(s.document, "more than 2,000 paragraphs" in s.reason) for s in report.skipped] == [
        ("bomb.txt", True)
    ]
    qa = Assistant.load(tmp_path / "index", model=HashingModel())
    assert set(qa.index.documents) == set(SMALL_CORPUS)
    ok = "Bomb\n\n" + "".join(f"SPEAKER {n % 3}: word.\n\n" for n in range(2_000))
    assert len(parse_transcript(ok).paragraphs) == 2_000


# An earnings call as transcript sites print it: a name line with roles after dashes, the
# speech below, the operator on a line of one word.
EARNINGS_CALL = (
    "Apple (AAPL) Q4 2023 Earnings Call Transcript\n\n"
    "Prepared Remarks:\n\nOperator\n\n"
    "Good day, and welcome to the Apple earnings conference call. Please go ahead.\n\n"
    "Tim Cook -- Chief Executive Officer\n\n"
    "Thank you. Today, Apple is reporting revenue of $89.5 billion.\n\n"
    "We set an all-time revenue record in services.\n\n"
    "Luca Maestri -- Chief Financial Officer\n\n"
    "Thank you, Tim. Revenue was ahead of our expectations.\n\n"
    "Questions & Answers:\n\nOperator\n\n"
    "Our first question comes from Erik Woodring with Morgan Stanley.\n\n"
    "Erik Woodring -- Morgan Stanley -- Analyst\n\n"
    "Tim, can you talk about the demand for the iPhone in China?\n\n"
    "Tim Cook -- Chief Executive Officer\n\n"
    "Yes, Erik. In Mainland China, we grew on a year-over-year basis.\n"
)


def test_an_earnings_calls_name_lines_with_roles_open_its_turns():
    """`Tim Cook -- Chief Executive Officer` on a line of its own opens his turn (the roles
    after the dashes said as a parenthetical), a recurring `Operator` in such a file is a
    speaker, and the analyst's question is answered by the next turn. Before, no turn was
    found and `Prepared Remarks:` was every paragraph's speaker."""
    t = parse_transcript(EARNINGS_CALL)
    speakers = [(p.speaker, p.role) for p in t.paragraphs if "Questions &" not in p.text]
    assert speakers == [
        ("Operator", STATEMENT),
        ("Tim Cook (Chief Executive Officer)", STATEMENT),
        ("Tim Cook (Chief Executive Officer)", STATEMENT),
        ("Luca Maestri (Chief Financial Officer)", STATEMENT),
        ("Operator", STATEMENT),
        ("Erik Woodring (Morgan Stanley, Analyst)", QUESTION),
        ("Tim Cook (Chief Executive Officer)", ANSWER),
    ]
    assert t.paragraphs[0].text.startswith("Good day, and welcome")


def test_name_lines_without_roles_and_a_speaker_named_once():
    """The other common layout: bare name lines (`Tim Cook`), and the participants listed with
    roles after a hyphen at the top. The listed names are no one's speech, and an analyst
    whose name line comes once is still a speaker in a file laid out so."""
    text = (
        "Apple Inc. Q4 2023 Earnings Conference Call November 2, 2023\n\n"
        "Company Participants\n\nTim Cook - CEO\nLuca Maestri - CFO\n\n"
        "Operator\n\nGood day, and welcome to the Apple conference call.\n\n"
        "Tim Cook\n\nToday, Apple is reporting revenue of $89.5 billion.\n\n"
        "Operator\n\nOur first question is from Amit Daryanani with Evercore.\n\n"
        "Amit Daryanani\n\nLuca, can you talk about gross margins for services?\n\n"
        "Luca Maestri\n\nSure, Amit. Services gross margin was 70.5%.\n\n"
        "Tim Cook\n\nThank you all for joining.\n"
    )
    assert [s for s, _ in speakers_of(text)] == [
        "Operator",
        "Tim Cook",
        "Operator",
        "Amit Daryanani",
        "Luca Maestri",
        "Tim Cook",
    ]
    assert ("Luca Maestri", "CFO") in parse_transcript(text).titles


def test_a_word_alone_on_its_line_is_a_speaker_only_in_a_file_laid_out_by_name_lines():
    """`Operator` recurring in a file labelled with colons, or a recurring one-word line in
    an unlabelled file, is speech as before."""
    text = (
        "Call\n\nAlice Jones: Welcome, everyone.\n\nOperator\n\nBob Smith: Thanks.\n\n"
        "Operator\n\nAlice Jones: Next question.\n\nBob Smith: Sure.\n"
    )
    assert "Operator" not in {s for s, _ in speakers_of(text)}


def test_a_committees_question_numbers_are_not_part_of_the_name():
    """UK Parliament oral evidence numbers each question before its asker's label (`Q1
    Chair:`): the Chair of Q1 and of Q2 is one speaker, the number no one's words; a range of
    questions in the front matter (`Questions 1 - 60`) is not a name with a role."""
    text = (
        "Treasury Committee\nOral evidence: Monetary Policy Reports\n\nQuestions 1 - 60\n\n"
        "Q1                Chair: Governor, why has inflation fallen faster than forecast?\n\n"
        "Andrew Bailey: Energy prices fell back more quickly than we expected.\n\n"
        "Q2                Chair: And Mr Pill, do you agree?\n\n"
        "Huw Pill: Broadly, yes.\n\n"
        "Q3 Dame Angela Eagle: Governor, what about the labour market?\n\n"
        "Andrew Bailey: The labour market has loosened.\n"
    )
    assert speakers_of(text) == [
        ("Chair", "Governor, why has inflation fallen faster than forecast?"),
        ("Andrew Bailey", "Energy prices fell back more quickly than we expected."),
        ("Chair", "And Mr Pill, do you agree?"),
        ("Huw Pill", "Broadly, yes."),
        ("Dame Angela Eagle", "Governor, what about the labour market?"),
        ("Andrew Bailey", "The labour market has loosened."),
    ]


def test_a_captions_chevrons_mark_each_new_speaker():
    """Closed captions copied as text (C-SPAN) open each speaker's turn with `>>`, named by a
    colon label after it or not at all; the lines after go on with that turn. Before, the
    whole hearing was one unlabelled paragraph. A sentence in capitals after `>>` (`>> THANK
    YOU, MR. CHAIRMAN.`) is an unnamed speaker's, not a label."""
    text = (
        "Senate Banking Committee Hearing\n\n"
        ">> THE COMMITTEE WILL COME TO ORDER.\n>> THANK YOU, MR. CHAIRMAN.\n"
        ">> SEN. WARREN: HOW MANY JOBS WILL THAT COST?\n"
        ">> CHAIR POWELL: WE ARE TRYING TO BRING INFLATION DOWN\nWITHOUT A SHARP RISE.\n"
        ">> SEN. WARREN: BUT YOU PROJECT IT WILL RISE.\n"
    )
    assert speakers_of(text) == [
        (None, "THE COMMITTEE WILL COME TO ORDER."),
        (None, "THANK YOU, MR. CHAIRMAN."),
        ("Sen. Warren", "HOW MANY JOBS WILL THAT COST?"),
        ("Chair Powell", "WE ARE TRYING TO BRING INFLATION DOWN\nWITHOUT A SHARP RISE."),
        ("Sen. Warren", "BUT YOU PROJECT IT WILL RISE."),
    ]


def test_a_trials_questions_and_answers_are_the_examiners_and_the_witnesss():
    """A trial transcript's `BY MR. ROOS:` names who asks the `Q.`s after it, and the court
    reporter's `GARY WANG, called as a witness ..., duly sworn` who answers the `A.`s; the
    examination's heading is nobody's speech. `BY MR.` had been read as a speaker ("By Mr")
    and the heading as Mr. Roos's words."""
    text = (
        "UNITED STATES DISTRICT COURT\nUNITED STATES OF AMERICA v. SAMUEL BANKMAN-FRIED\n\n"
        "THE COURT: Call your next witness.\n\nMR. ROOS: The government calls Gary Wang.\n\n"
        "GARY WANG, called as a witness by the Government, having been duly sworn, testified "
        "as follows:\n\nDIRECT EXAMINATION\n\nBY MR. ROOS:\n\n"
        "Q. Mr. Wang, where do you work?\n\nA. I worked at FTX until November 2022.\n\n"
        "CROSS-EXAMINATION\n\nBY MR. COHEN:\n\nQ. You pleaded guilty, correct?\n\nA. Yes.\n"
    )
    assert [(s, t[:22]) for s, t in speakers_of(text)] == [
        ("The Court", "Call your next witness"),
        ("Mr. Roos", "The government calls G"),
        (None, "GARY WANG, called as a"),
        ("Mr. Roos", "Mr. Wang, where do you"),
        ("Gary Wang", "I worked at FTX until "),
        ("Mr. Cohen", "You pleaded guilty, co"),
        ("Gary Wang", "Yes."),
    ]


def test_bare_qs_without_an_examiner_stay_unnamed():
    """A briefing's `Q` with no `BY ...:` line before it is still an unnamed reporter."""
    text = (
        "Press Briefing\n\nMR. EARNEST: Good afternoon.\n\nQ Thanks, Josh.\n\nMR. EARNEST: Sure.\n"
    )
    assert [s for s, _ in speakers_of(text)] == ["Mr. Earnest", None, "Mr. Earnest"]


def test_a_heading_alone_on_its_line_is_no_speaker():
    """`Opening Statement:` alone on its line, each of its words written in lower case
    elsewhere in the file, is a heading: the statement below it is unlabelled, not a speaker
    called "Opening Statement". A name alone on its line (`Shen Beili:`) is still a label at
    first sight: the file never writes "shen" or "beili" in lower case."""
    text = (
        "Press conference\n\nOpening Statement:\n\n"
        "Good afternoon. In our opening remarks today, the statement is about rates and the balance sheet.\n\n"
        "Shen Beili:\n\nWe will keep working with all parties.\n\n"
        "MICHELLE SMITH: Howard.\n\nHOWARD SCHNEIDER: What about the statement?\n"
    )
    assert speakers_of(text) == [
        (
            None,
            "Good afternoon. In our opening remarks today, the statement is about rates and the balance sheet.",
        ),
        ("Shen Beili", "We will keep working with all parties."),
        ("Michelle Smith", "Howard."),
        ("Howard Schneider", "What about the statement?"),
    ]
