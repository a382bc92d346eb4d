"""Finding speakers by name: in a question, and as a filter; bounded and precomputed."""

from __future__ import annotations

import pytest

from assistant.retrieval.speakers import (
    MAX_FILTER_MATCHES,
    AmbiguousSpeaker,
    ProperWords,
    SpeakerNames,
)

MEETING = ["Grad A", "Grad B", "PhD B", "Professor C", "Project Manager", "Marketing", "The Chair"]


def test_a_short_code_in_a_question_names_that_speaker_only():
    """ "What did Grad B say" narrows to Grad B, not every Grad nor every B."""
    names = SpeakerNames(MEETING)
    assert names.named_in("What did Grad B say about the remote?") == ("Grad B",)
    assert names.named_in("What did Grad B's team decide?") == ("Grad B",)


def test_a_codes_letter_alone_names_its_speakers_as_the_questions_subject():
    """ "What did C think" names the speakers whose code is C (`Professor C`), as "did B's team"
    names those whose code is B; a capital letter elsewhere ("plan B", "a B plan") or "I" names
    no one."""
    names = SpeakerNames([*MEETING, "Grad C"])
    assert names.named_in("What did C think about the recording equipment?") == (
        "Grad C",
        "Professor C",
    )
    assert names.named_in("What did A say about the disks?") == ("Grad A",)
    assert names.named_in("What did B's team decide?") == ("Grad B", "PhD B")
    assert names.named_in("What did they decide about plan B?") == ()
    assert names.named_in("What is a B plan?") == ()
    assert names.named_in("What did I miss about the budget?") == ()


def test_role_names_in_a_question():
    """Role labels are named as written; `the Chair` needs no capital on `the`."""
    names = SpeakerNames(MEETING)
    assert names.named_in("What did Project Manager say about costs?") == ("Project Manager",)
    assert names.named_in("What did the Chair say about petitions?") == ("The Chair",)
    assert names.named_in("What did Marketing find?") == ("Marketing",)


def test_topic_words_in_lower_case_name_no_one():
    """ "marketing" or "the chair" written as plain words are topics, not speakers."""
    names = SpeakerNames(MEETING)
    assert names.named_in("what was said about marketing and the chair design?") == ()


def test_a_role_in_lower_case_names_the_speaker_as_the_questions_subject():
    """ "What did the industrial designer recommend": a role written in lower case names its
    speaker where it is the subject of the question's verb, and only there."""
    names = SpeakerNames(["Industrial Designer", "User Interface", "Marketing", "Professor C"])
    asked = "What did the industrial designer recommend about the casing?"
    assert names.named_in(asked) == ("Industrial Designer",)
    asked = "What did the user interface designer propose?"
    assert names.named_in(asked) == ("User Interface",)
    assert names.named_in("Why did the marketing think they should aim at young people?") == (
        "Marketing",
    )
    assert names.named_in("What did the professor think about clustering?") == ("Professor C",)
    asked = "What did Marketing think of the scroll wheel when presenting the user interface?"
    assert names.named_in(asked) == ("Marketing",)


def test_a_lower_case_subject_needs_no_the():
    """ "What did marketing say": typed in lower case, the subject right after `did` still
    names the speaker, a role or a surname alike."""
    names = SpeakerNames(["Marketing", "Chair Powell", "Project Manager"])
    assert names.named_in("what did marketing say about the budget?") == ("Marketing",)
    assert names.named_in("what did powell say about rates?") == ("Chair Powell",)
    assert names.named_in("What would the project manager change?") == ("Project Manager",)


def test_a_lower_case_full_name_names_the_speaker_by_surname():
    """ "what did jay carney say": in lower case, the subject's first name (which no label
    gives) comes before the surname that names the speaker; a first name other than the one a
    label gives ("adam" for Michelle Smith) names no one, and "the" is no first name."""
    names = SpeakerNames(["Mr. Carney", "Chair Powell", "Michelle Smith", "Marketing"])
    assert names.named_in("what did jay carney say about solyndra?") == ("Mr. Carney",)
    assert names.named_in("what does jerome powell think of rates?") == ("Chair Powell",)
    assert names.named_in("what did adam smith say?") == ()
    assert names.named_in("what did the fed say about carney?") == ()
    assert names.named_in("what did voters think of carney?") == ()


def test_after_was_the_a_role_is_a_topic_unless_possessive():
    """ "What was the marketing strategy?" asks about marketing, not Marketing; "What was the
    project manager's view?" asks about the speaker."""
    names = SpeakerNames(["Marketing", "Project Manager"])
    assert names.named_in("What was the marketing strategy?") == ()
    assert names.named_in("What is the project manager plan?") == ()
    assert names.named_in("What was the project manager's view on cost?") == ("Project Manager",)
    assert names.named_in("What was the marketing's finding?") == ("Marketing",)


def test_a_first_name_followed_by_another_surname_names_no_speaker():
    """ "Edward Snowden" is not the reporter Edward Lawrence, nor "Paul Ryan" Paul Kiernan:
    a part followed by a capitalised word of no speaker's name belongs to someone else."""
    names = SpeakerNames(["Edward Lawrence", "Mr. Carney", "Paul Kiernan", "Julie Morgan AM"])
    asked = "What did Carney say about Edward Snowden and the leaks?"
    assert names.named_in(asked) == ("Mr. Carney",)
    assert names.named_in("What about the call to Paul Ryan?") == ()
    assert names.named_in("What did Edward say about Snowden?") == ("Edward Lawrence",)
    assert names.named_in("What did Julie Morgan think?") == ("Julie Morgan AM",)
    assert names.named_in("What did Mr. Carney say?") == ("Mr. Carney",)
    welsh = SpeakerNames(["Kirsty Williams AM", "Vaughan Gething MS"])
    assert welsh.named_in("What did Williams AM say?") == ("Kirsty Williams AM",)
    assert welsh.named_in("What did Gething MS think?") == ("Vaughan Gething MS",)
    assert welsh.named_in("What was Kirsty Williams' opinion?") == ("Kirsty Williams AM",)
    roles = SpeakerNames(["Industrial Designer", "User Interface"])
    asked = "Why did the Industrial Design disagree with the User Interface?"
    assert roles.named_in(asked) == ("Industrial Designer", "User Interface")


def test_in_lower_case_a_first_name_before_a_surname_the_transcripts_write_names_no_one():
    """ "what did paul ryan say", all in lower case, is not Paul Kiernan: "ryan" is a name where
    the transcripts write it (`proper`). Before a word they write in lower case ("say") or a
    part of the speaker's own name, the first name still names him."""
    names = SpeakerNames(["Mr. Carney", "Paul Kiernan"], proper=lambda word: word == "ryan")
    assert names.named_in("what did paul ryan say about the budget") == ()
    assert names.named_in("what did paul say about the budget") == ("Paul Kiernan",)
    assert names.named_in("what did paul kiernan ask") == ("Paul Kiernan",)
    assert SpeakerNames(["Paul Kiernan"]).named_in("what did paul ryan say") == ("Paul Kiernan",)


def test_a_proper_word_is_one_the_transcripts_capitalise_inside_sentences():
    """Capitalised inside a sentence in nine uses in ten: a name. A word capitalised only where a
    sentence or a label begins ("Budget", "Say") is not one; nor is a word never written."""
    proper = ProperWords(
        lambda: [
            "MR. CARNEY: Speaker Ryan called. The budget, Ryan said, is late.\n\n",
            "Q: Budget talks? Say more. We say the budget is late; ask Ryan.\n",
        ]
    )
    assert proper("ryan")
    assert not proper("budget")
    assert not proper("say")
    assert not proper("kiernan")


def test_a_surname_after_another_first_name_names_no_speaker():
    """ "the Dow Jones" is not the reporter Claire Jones, "Adam Smith" not Michelle Smith; "Jay
    Carney" is still Mr. Carney, whose label gives no first name, and "Chair Powell" Powell."""
    names = SpeakerNames(["Claire Jones", "Michelle Smith", "Mr. Carney", "Chair Powell"])
    assert names.named_in("What did Powell say about the Dow Jones index?") == ("Chair Powell",)
    assert names.named_in("Was Adam Smith quoted at the briefing?") == ()
    assert names.named_in("What did Jay Carney say about Solyndra?") == ("Mr. Carney",)
    assert names.named_in("What did Claire Jones ask?") == ("Claire Jones",)
    assert names.named_in("What did Fed Chair Powell say?") == ("Chair Powell",)


def test_a_title_cased_question_still_names_its_speaker():
    """In "What Did Carney Say About Leaks?" every word is capitalised: "Say" after "Carney"
    is no one's surname."""
    names = SpeakerNames(["Mr. Carney", "Edward Lawrence"])
    assert names.named_in("What Did Carney Say About Leaks?") == ("Mr. Carney",)


def test_a_distinctive_part_still_names_a_speaker():
    names = SpeakerNames(["Chair Powell", "Michelle Smith", "Hon. Bill Morneau"])
    assert names.named_in("What did Powell say about inflation?") == ("Chair Powell",)
    assert names.named_in("Did Morneau mention the deficit?") == ("Hon. Bill Morneau",)


def test_a_parenthetical_after_a_name_is_where_they_sit_not_who_they_are():
    """ "University of South Wales" names no one though "Ms. Sonia Sidhu (Brampton South,
    Lib.)" sits for Brampton South; after a role, the parenthetical is the name."""
    names = SpeakerNames(
        [
            "Ms. Sonia Sidhu (Brampton South, Lib.)",
            "Hon. Navdeep Bains (Minister of Innovation, Science and Industry)",
            "The Chair (Hon. Anthony Rota)",
        ]
    )
    assert names.named_in("Why was the University of South Wales not accredited?") == ()
    assert names.named_in("What did Science Minister staff say?") == ()
    assert names.named_in("What did Sidhu ask?") == ("Ms. Sonia Sidhu (Brampton South, Lib.)",)
    assert names.named_in("What did Bains say about loans?") == (
        "Hon. Navdeep Bains (Minister of Innovation, Science and Industry)",
    )
    assert names.named_in("Did Rota call the vote?") == ("The Chair (Hon. Anthony Rota)",)
    asked = "What did the Minister of Innovation, Science and Industry say?"
    assert names.named_in(asked) == (
        "Hon. Navdeep Bains (Minister of Innovation, Science and Industry)",
    )


def test_an_office_a_parenthetical_gave_a_speaker_names_them():
    """Titles (`Transcript.titles`) name their speaker whole, and each office they join with
    "and" on its own; a part without an office word names no one."""
    names = SpeakerNames(
        ["Right Hon. Justin Trudeau", "Hon. Chrystia Freeland", "Hon. Mary Ng", "The Chair"],
        {
            "Right Hon. Justin Trudeau": ["Prime Minister"],
            "Hon. Chrystia Freeland": [
                "Deputy Prime Minister and Minister of Intergovernmental Affairs"
            ],
            "Hon. Mary Ng": [
                "Minister of Small Business, Export Promotion and International Trade"
            ],
            "Someone Not Speaking": ["Minister of Health"],
        },
    )
    assert names.named_in("What did the Prime Minister say about students?") == (
        "Right Hon. Justin Trudeau",
    )
    assert names.named_in("What did the Deputy Prime Minister say?") == ("Hon. Chrystia Freeland",)
    assert names.named_in("Did the Minister of Intergovernmental Affairs reply?") == (
        "Hon. Chrystia Freeland",
    )
    assert names.named_in("What was said about International Trade?") == ()
    assert names.named_in("What did the Minister of Health say?") == ()
    chair = SpeakerNames(["The Chair", "Mr. Bruce Stanton"], {"The Chair": ["Hon. Anthony Rota"]})
    assert chair.named_in("Did Rota call the vote?") == ("The Chair",)


def test_an_office_names_its_holder_by_its_shorter_form_too():
    """ "White House Press Secretary" is also "the press secretary" (its leading words hold no
    office word), and "the White House press secretary" names every press secretary; "Deputy
    Prime Minister" is not "the prime minister", nor "Secretary of State" "the press secretary"."""
    names = SpeakerNames(
        [
            "Mr. Carney",
            "Mr. Gibbs",
            "Mr. Kerry",
            "Right Hon. Justin Trudeau",
            "Hon. Chrystia Freeland",
        ],
        {
            "Mr. Gibbs": ["White House Press Secretary"],
            "Mr. Carney": ["Press Secretary"],
            "Mr. Kerry": ["Secretary of State"],
            "Right Hon. Justin Trudeau": ["Prime Minister"],
            "Hon. Chrystia Freeland": ["Deputy Prime Minister"],
        },
    )
    assert names.named_in("What did the press secretary say about Iran?") == (
        "Mr. Carney",
        "Mr. Gibbs",
    )
    assert names.named_in("What did the White House press secretary say?") == (
        "Mr. Carney",
        "Mr. Gibbs",
    )
    assert names.named_in("What did the Prime Minister say?") == ("Right Hon. Justin Trudeau",)
    assert names.named_in("What did the Secretary of State say?") == ("Mr. Kerry",)


def test_a_name_written_in_full_names_that_speaker_not_others_sharing_a_part():
    """ "Julie Morgan" (the label is "Julie Morgan AM") names Julie Morgan, not Eluned Morgan
    too, whom "Morgan" alone would also name; a surname alone still names both."""
    names = SpeakerNames(
        ["Eluned Morgan AM", "Julie Morgan AM", "Huw Irranca-Davies AM", "Huw Morris"]
    )
    assert names.named_in("What did Julie Morgan think of the survey?") == ("Julie Morgan AM",)
    assert names.named_in("How did Huw Irranca-Davies answer?") == ("Huw Irranca-Davies AM",)
    assert names.named_in("What did Morgan say?") == ("Eluned Morgan AM", "Julie Morgan AM")


def test_filter_whole_words_then_parts():
    """A filter matches the whole name, whole words in order, then a part of three letters."""
    names = SpeakerNames([*MEETING, "The Acting Chair (Mr. Bruce Stanton)", "Chair Powell"])
    assert names.match("grad b") == ["Grad B"]
    assert names.match("B") == ["Grad B", "PhD B"]
    assert names.match("bruce stanton") == ["The Acting Chair (Mr. Bruce Stanton)"]
    assert names.match("pow") == ["Chair Powell"]
    assert names.match("zz") == []


def test_a_one_letter_filter_over_many_speakers_is_refused_not_silently_huge():
    """`speaker="a"` over 100,000 speakers: a clear error, not a filter of 27,000 speakers."""
    many = SpeakerNames(
        [f"Speaker {n} Alvarez" if n % 4 else f"Reporter {n}" for n in range(100_000)]
    )
    with pytest.raises(AmbiguousSpeaker, match=r"only part of names"):
        many.match("a")
    with pytest.raises(AmbiguousSpeaker, match=r"matches more than 50 speakers"):
        many.match("alvarez")
    assert many.match("Speaker 7 Alvarez") == ["Speaker 7 Alvarez"]
    assert len(many.match("reporter 12")) == 1
    assert MAX_FILTER_MATCHES == 50


def test_a_part_shared_by_thousands_of_speakers_names_no_one_in_a_question():
    """A question's word found in 75,000 names is not naming one of them: no 75k-speaker
    boost; a whole name still names its speaker."""
    many = SpeakerNames([f"Speaker {n} Alvarez" for n in range(75_000)] + ["Chair Powell"])
    assert many.named_in("What did Alvarez say to Powell?") == ("Chair Powell",)
    assert many.named_in("What did Speaker 7 Alvarez say?") == ("Speaker 7 Alvarez",)


def test_a_chinese_name_inside_a_question_without_spaces():
    """`沈蓓莉` is found inside `沈蓓莉谈到了哪些经验？`, and `蓓莉` filters to her."""
    names = SpeakerNames(["沈蓓莉", "记者", "Chair Powell"])
    assert names.named_in("沈蓓莉谈到了哪些经验？") == ("沈蓓莉",)
    assert names.match("蓓莉") == ["沈蓓莉"]
