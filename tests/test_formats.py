"""Real-world layouts: speech-to-text JSON, Otter exports, court transcripts, podcast pages and
captions, Markdown interviews and a 1990s web page. Each test writes its file in a temporary
folder in the layout the service or publisher uses, and checks the speakers, times and pages
of known passages, and that every quote is the canonical text at its offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.readers import ReadError, read_paths


def read(path: Path):
    return read_paths([path], path.name)


def paragraph_with(doc, words: str):
    """The one paragraph whose text contains `words`, checked against the canonical text."""
    found = [p for p in doc.transcript.paragraphs if words in p.text]
    assert len(found) == 1, [(p.speaker, p.text) for p in doc.transcript.paragraphs]
    p = found[0]
    assert doc.text[p.start : p.end] == p.text
    return p


def speakers(doc) -> list[str | None]:
    return [p.speaker for p in doc.transcript.paragraphs]


# ------------------------------------------------------------------- speech-to-text JSON
def _dg_words(text: str, start: float, speaker: int) -> list[dict]:
    words = []
    for n, word in enumerate(text.split()):
        t = start + n * 0.4
        words.append(
            {
                "word": word.strip(".,?!").lower(),
                "punctuated_word": word,
                "start": t,
                "end": t + 0.3,
                "confidence": 0.9,
                "speaker": speaker,
                "speaker_confidence": 0.8,
            }
        )
    return words


DG_TURNS = [
    (0, 3.04, ["Good morning from mission control.", "The hatch is open."]),
    (1, 17.66, ["Copy that.", "The crew is outside and the tools are tethered."]),
    (0, 40.0, ["How long will the battery swap take?"]),
    (1, 86.32, ["About six hours, if the new batteries seat on the first try."]),
]


def deepgram_response(paragraphs: bool = True, utterances: bool = True) -> dict:
    words, paras, utts = [], [], []
    for speaker, start, sentences in DG_TURNS:
        t = start
        sents = []
        for sentence in sentences:
            sents.append({"text": sentence, "start": t, "end": t + 2.0})
            ws = _dg_words(sentence, t, speaker)
            words.extend(ws)
            utts.append(
                {
                    "start": t,
                    "end": ws[-1]["end"],
                    "confidence": 0.9,
                    "channel": 0,
                    "transcript": sentence,
                    "words": ws,
                    "speaker": speaker,
                    "id": f"u{len(utts)}",
                }
            )
            t = ws[-1]["end"] + 0.5
        paras.append({"sentences": sents, "speaker": speaker, "num_words": 9, "start": start})
    alternative: dict = {
        "transcript": " ".join(s for _, _, ss in DG_TURNS for s in ss),
        "confidence": 0.95,
        "words": words,
    }
    if paragraphs:
        alternative["paragraphs"] = {"transcript": "\nSpeaker 0: ...", "paragraphs": paras}
    results: dict = {"channels": [{"alternatives": [alternative]}]}
    if utterances:
        results["utterances"] = utts
    return {"metadata": {"request_id": "x", "duration": 120.0, "channels": 1}, "results": results}


@pytest.mark.parametrize(
    ("paragraphs", "utterances"),
    [(True, True), (False, True), (False, False)],
    ids=["paragraphs", "utterances", "words-only"],
)
def test_deepgram_response_reads_speakers_and_times(tmp_path, paragraphs, utterances):
    """Deepgram's response is read once (not four times over) from its paragraphs, else its
    utterances, else its words; integer speakers read `Speaker 1` as Deepgram shows them."""
    path = tmp_path / "spacewalk.json"
    path.write_text(json.dumps(deepgram_response(paragraphs, utterances)), encoding="utf-8")
    doc = read(path)
    assert doc.text.count("The crew is outside") == 1
    answer = paragraph_with(doc, "About six hours, if the new batteries seat on the first try.")
    assert answer.speaker == "Speaker 1" and answer.time == "00:01:26"
    question = paragraph_with(doc, "How long will the battery swap take?")
    assert question.speaker == "Speaker 0" and question.time == "00:00:40"
    assert paragraph_with(doc, "The hatch is open.").speaker == "Speaker 0"


def test_assemblyai_milliseconds_and_letters(tmp_path):
    """AssemblyAI gives times in integer milliseconds and speakers as letters (`Speaker A`)."""
    text_a = "It is to honor the women who came before us. They were skilled and qualified."
    text_b = "Thank you for joining us today."
    words, t = [], 170
    for word in text_a.split():
        words.append({"text": word, "start": t, "end": t + 300, "confidence": 0.9, "speaker": "A"})
        t += 400
    data = {
        "id": "abc",
        "status": "completed",
        "audio_duration": 25,
        "speaker_labels": True,
        "text": f"{text_a} {text_b}",
        "words": words,
        "utterances": [
            {"speaker": "A", "start": 170, "end": t, "text": text_a, "words": words},
            {"speaker": "B", "start": 21_500, "end": 24_000, "text": text_b, "words": []},
        ],
    }
    path = tmp_path / "meir.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = read(path)
    first = paragraph_with(doc, "honor the women who came before us")
    assert first.speaker == "Speaker A" and first.time == "00:00:00"
    # a sentence inside the utterance keeps its own word's time
    assert doc.time_at(doc.text.index("They were skilled")) == "00:00:04"
    last = paragraph_with(doc, text_b)
    assert last.speaker == "Speaker B" and last.time == "00:00:21"


def test_bare_word_timings_rebuild_the_text(tmp_path):
    """`[[" word", start, end], ...]`: the text is rebuilt from the words, with their times."""
    spoken = " We will hold rates steady. Inflation is coming down. After a long pause, questions?"
    words, t = [], 0.0
    for token in spoken.split(" ")[1:]:
        words.append([" " + token, t, t + 0.3])
        t += 0.4 if token != "down." else 5.0
    path = tmp_path / "words.json"
    path.write_text(json.dumps(words), encoding="utf-8")
    doc = read(path)
    opening = paragraph_with(doc, "We will hold rates steady. Inflation is coming down.")
    assert opening.time == "00:00:00" and opening.speaker is None
    assert paragraph_with(doc, "After a long pause, questions?").time == "00:00:08"


def test_whisperx_speaker_labels_stay_as_given(tmp_path):
    """Diarised `SPEAKER_00` labels are kept as given, not turned into `Speaker_00`."""
    data = {
        "segments": [
            {"start": 0.0, "end": 2.0, "text": " Avui feia sol.", "speaker": "SPEAKER_00"},
            {"start": 2.5, "end": 4.0, "text": " I vent?", "speaker": "SPEAKER_01"},
        ],
        "language": "ca",
    }
    path = tmp_path / "dos.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert speakers(read(path)) == ["SPEAKER_00", "SPEAKER_01"]


def test_amazon_transcribe_and_revai(tmp_path):
    """Amazon Transcribe items (punctuation attached) and Rev.ai monologues, with speakers."""
    aws = {
        "jobName": "j",
        "results": {
            "transcripts": [{"transcript": "Hello there. Fine, thanks."}],
            "items": [
                {"type": "pronunciation", "start_time": "0.5", "end_time": "0.9",
                 "alternatives": [{"content": "Hello"}], "speaker_label": "spk_0"},
                {"type": "pronunciation", "start_time": "1.0", "end_time": "1.4",
                 "alternatives": [{"content": "there"}], "speaker_label": "spk_0"},
                {"type": "punctuation", "alternatives": [{"content": "."}]},
                {"type": "pronunciation", "start_time": "65.0", "end_time": "65.4",
                 "alternatives": [{"content": "Fine"}], "speaker_label": "spk_1"},
                {"type": "punctuation", "alternatives": [{"content": ","}]},
                {"type": "pronunciation", "start_time": "65.5", "end_time": "65.9",
                 "alternatives": [{"content": "thanks"}], "speaker_label": "spk_1"},
                {"type": "punctuation", "alternatives": [{"content": "."}]},
            ],
        },
    }  # fmt: skip
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(aws), encoding="utf-8")
    doc = read(path)
    reply = paragraph_with(doc, "Fine, thanks.")
    assert (reply.speaker, reply.time) == ("spk_1", "00:01:05")
    assert paragraph_with(doc, "Hello there.").speaker == "spk_0"

    rev = {
        "monologues": [
            {"speaker": 0, "speaker_name": "Jane Doe", "elements": [
                {"type": "text", "value": "Hi", "ts": 0.5, "end_ts": 0.8},
                {"type": "punct", "value": ","}, {"type": "punct", "value": " "},
                {"type": "text", "value": "Bob", "ts": 0.9, "end_ts": 1.1},
                {"type": "punct", "value": "."}]},
            {"speaker": 1, "elements": [
                {"type": "text", "value": "Hello", "ts": 72.0, "end_ts": 72.4},
                {"type": "punct", "value": "."}]},
        ]
    }  # fmt: skip
    path = tmp_path / "rev.json"
    path.write_text(json.dumps(rev), encoding="utf-8")
    doc = read(path)
    assert paragraph_with(doc, "Hi, Bob.").speaker == "Jane Doe"
    hello = paragraph_with(doc, "Hello.")
    assert (hello.speaker, hello.time) == ("Speaker 1", "00:01:12")


# --------------------------------------------------------------------------- Otter.ai
OTTER_LINES = [
    "Harbour master interview",
    "Tue, 6/8 9:00AM • 32:14",
    "SUMMARY KEYWORDS",
    "harbour, dredging, tides, channel",
    "SPEAKERS",
    "Jane Doe, Speaker 1",
    "Jane Doe  00:04",
    "Thanks for coming in. How deep is the channel after this winter?",
    "Speaker 1  01:12",
    "The channel is eleven metres deep now that the dredging is finished.",
    "We kept the old breakwater where it was.",
    "Jane Doe  02:30",
    "And the tides?",
    "Transcribed by https://otter.ai",
]


def test_otter_docx_export(tmp_path):
    """An Otter DOCX: the header line's name and time give each turn; the preamble (keywords,
    speakers) and the otter.ai footer are not speech."""
    import docx

    document = docx.Document()
    for line in OTTER_LINES:
        document.add_paragraph(line)
    path = tmp_path / "harbour.docx"
    document.save(str(path))
    doc = read(path)
    assert doc.transcript.title == "Harbour master interview"
    answer = paragraph_with(doc, "eleven metres deep")
    assert answer.speaker == "Speaker 1" and answer.time == "00:01:12"
    assert paragraph_with(doc, "old breakwater").speaker == "Speaker 1"
    question = paragraph_with(doc, "And the tides?")
    assert question.speaker == "Jane Doe" and question.time == "00:02:30"
    assert all(
        "otter.ai" not in p.text and "KEYWORDS" not in p.text for p in doc.transcript.paragraphs
    )
    assert "Jane Doe, Speaker 1" not in [p.text for p in doc.transcript.paragraphs]


def test_otter_pdf_export(tmp_path):
    """The same export as PDF (Otter's page numbers at the foot): speakers, times and pages."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path = tmp_path / "harbour.pdf"
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pages = [OTTER_LINES[:10], OTTER_LINES[10:]]
    for n, lines in enumerate(pages, 1):
        y = 720
        for line in lines:
            if "  " in line and line[-1].isdigit():  # the header: name, then the time
                name, time = line.split("  ")
                pdf.drawString(72, y, name)
                pdf.drawString(200, y, time)
                y -= 30
            else:
                pdf.drawString(72, y, line)
                y -= 30
        pdf.drawCentredString(300, 40, f"- {n} -")
        pdf.showPage()
    pdf.save()
    doc = read(path)
    breakwater = paragraph_with(doc, "old breakwater")
    assert breakwater.speaker == "Speaker 1" and breakwater.page == 2
    tides = paragraph_with(doc, "And the tides?")
    assert (tides.speaker, tides.time, tides.page) == ("Jane Doe", "00:02:30", 2)


def test_otter_text_export_spans_index_the_file(tmp_path):
    """Otter's TXT export keeps the file as its canonical text; turns are spans of it."""
    path = tmp_path / "harbour.txt"
    path.write_text("\n".join(OTTER_LINES) + "\n", encoding="utf-8")
    doc = read(path)
    assert doc.text == path.read_text(encoding="utf-8")
    answer = paragraph_with(doc, "eleven metres deep")
    assert (answer.speaker, answer.time) == ("Speaker 1", "00:01:12")


STAMPED = (
    "Budget meeting, 2024-05-02\n\n"
    "[00:00:05] Alice Johnson: Welcome, everyone. The budget is first.\n"
    "[00:00:09] Bob Lee: Marketing came in ten percent over plan,\n"
    "mostly the trade show in Berlin.\n"
    "\n"
    "The booth cost more than we expected.\n"
    "[00:00:15] Alice Johnson: Why was that?\n"
    "00:00:18 Bob Lee: We added two extra staff.\n"
)


def test_lines_opening_with_a_stamp_and_a_name_are_turns(tmp_path):
    """`[00:00:05] Alice Johnson: text` (Trint, Descript): each such line opens a turn with its
    speaker and time; lines below it continue it, a blank line starts another paragraph of
    theirs (at the time last stamped); the file stays the canonical text, and the stamps and
    names are not speech."""
    path = tmp_path / "budget.txt"
    path.write_text(STAMPED, encoding="utf-8")
    doc = read(path)
    assert doc.text == STAMPED
    got = [(p.speaker, p.time, p.text) for p in doc.transcript.paragraphs]
    assert got == [
        ("Alice Johnson", "00:00:05", "Welcome, everyone. The budget is first."),
        (
            "Bob Lee",
            "00:00:09",
            "Marketing came in ten percent over plan,\nmostly the trade show in Berlin.",
        ),
        ("Bob Lee", "00:00:09", "The booth cost more than we expected."),
        ("Alice Johnson", "00:00:15", "Why was that?"),
        ("Bob Lee", "00:00:18", "We added two extra staff."),
    ]


def turns_read(tmp_path, text: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker, time, text) of each paragraph of `text` read as a .txt file."""
    path = tmp_path / "transcript.txt"
    path.write_text(text, encoding="utf-8")
    return [(p.speaker, p.time, p.text) for p in read(path).transcript.paragraphs]


def test_a_stamp_after_the_name_is_a_turns_time_not_its_speech(tmp_path):
    """`Alice Johnson: [00:00:05] text` (Sonix): the same turns, the stamp left out of the
    speech; a sentence with a time in it (`At 10:30 we met: ...`) opens no turn."""
    text = (
        "Budget meeting\n\nAlice Johnson: [00:00:05] Welcome, everyone.\n\n"
        "Bob Lee: [00:00:09] At 10:30 we met: it went well.\n\n"
        "Alice Johnson: [00:01:15] Why was that?\n"
    )
    assert turns_read(tmp_path, text) == [
        ("Alice Johnson", "00:00:05", "Welcome, everyone."),
        ("Bob Lee", "00:00:09", "At 10:30 we met: it went well."),
        ("Alice Johnson", "00:01:15", "Why was that?"),
    ]


def test_a_stamp_between_the_name_and_its_colon_is_a_turns_time(tmp_path):
    """`Jerome Powell (00:00:05): text`, as transcript sites print Rev's turns: the stamp is
    the turn's time, not a parenthetical of the name. Before, every turn of the name was one
    speaker under the last stamp ("Jerome Powell (00:01:20)") and a name said once was speech."""
    text = (
        "Interview with the Chair\n\n"
        "Jerome Powell (00:00:05): Good afternoon. We are focused on our goals.\n\n"
        "Howard Schneider (00:01:10): How close are you to cutting?\n\n"
        "Jerome Powell (00:01:20): We are not there yet.\n"
    )
    assert turns_read(tmp_path, text) == [
        ("Jerome Powell", "00:00:05", "Good afternoon. We are focused on our goals."),
        ("Howard Schneider", "00:01:10", "How close are you to cutting?"),
        ("Jerome Powell", "00:01:20", "We are not there yet."),
    ]


def test_stamped_lines_in_a_word_document_and_a_pdf(tmp_path):
    """The same layout exported as .docx (one paragraph per line) or PDF (a page break inside
    a turn): speakers, times, and the page each turn is on."""
    import docx
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    lines = STAMPED.splitlines()
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(tmp_path / "budget.docx"))
    pdf = canvas.Canvas(str(tmp_path / "budget.pdf"), pagesize=letter)
    for page in (lines[:5], lines[5:]):
        for n, line in enumerate(page):
            pdf.drawString(72, 720 - 20 * n, line)
        pdf.showPage()
    pdf.save()
    for name in ("budget.docx", "budget.pdf"):
        doc = read(tmp_path / name)
        assert doc.transcript.title == "Budget meeting, 2024-05-02"
        got = [(p.speaker, p.time, p.text) for p in doc.transcript.paragraphs]
        assert got[0] == ("Alice Johnson", "00:00:05", "Welcome, everyone. The budget is first.")
        assert got[1][:2] == ("Bob Lee", "00:00:09")
        assert got[1][2].endswith("The booth cost more than we expected.")
        assert got[-1] == ("Bob Lee", "00:00:18", "We added two extra staff.")
    pdf_doc = read(tmp_path / "budget.pdf")
    assert paragraph_with(pdf_doc, "Why was that?").page == 2


def test_stamps_that_go_back_are_not_a_turn_layout():
    """A list of times that runs backwards (an agenda, a timetable) is not read as turns."""
    from assistant.readers import stamped

    text = (
        "Agenda\n\n[10:30] Alice Johnson: budget\n[09:00] Bob Lee: hiring\n[11:00] Bob Lee: close\n"
    )
    assert stamped.spans(text) is None


# ------------------------------------------------------------------- court transcripts
def write_court_pdf(path: Path) -> Path:
    """A Supreme Court argument as the court reporter lays it out: lines numbered 1-25 in the
    margin, indented turns, running header and footer, a cover, and a word index at the end."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    cover = [
        (0, "IN THE SUPREME COURT OF THE UNITED STATES"),
        (0, "- - - - - - - - - - - - - - - - x"),
        (0, "HARBOUR AUTHORITY,                 :"),
        (0, "       Petitioner                  :  No. 12-345"),
        (0, "   v.                              :"),
        (0, "SMITH, ET AL.                      :"),
        (0, "- - - - - - - - - - - - - - - - x"),
        (0, "              Washington, D.C."),
        (0, "              Tuesday, March 27, 2012"),
        (0, "APPEARANCES:"),
        (0, "JANE ROE, ESQ., Washington, D.C.; on behalf of Petitioner."),
    ]
    speech = [
        (0, "P R O C E E D I N G S"),
        (0, "(10:00 a.m.)"),
        (1, "CHIEF JUSTICE ROBERTS:  We will hear argument this"),
        (0, "morning in Case 12-345, Harbour Authority v. Smith."),
        (1, "Ms. Roe."),
        (1, "ORAL ARGUMENT OF JANE ROE"),
        (1, "ON BEHALF OF THE PETITIONER"),
        (1, "MS. ROE:  Mr. Chief Justice, and may it please the"),
        (0, "Court: the tide gauge was installed in nineteen"),
        (0, "seventy-one and has never been moved."),
        (1, "JUSTICE SCALIA:  Well, a buoy or a lighthouse isn't"),
        (0, "moved either."),
    ]
    speech += [(1, f"MS. ROE:  The record shows dredging in year {n}.") for n in range(12)]
    speech += [
        (1, "JUSTICE KAGAN:  Then why does the chart show a chan-"),
        (0, "nel where the survey shows a sandbank?"),
    ]
    pages = [cover, speech[:25], speech[25:]]
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for number, lines in enumerate(pages, 1):
        pdf.setFont("Courier", 10)
        pdf.drawString(200, 760, "Official - Subject to Final Review")
        y = 730
        for n in range(1, 26):
            pdf.drawString(40, y, f"{n:2d}")
            if n <= len(lines):
                indent, text = lines[n - 1]
                pdf.drawString(70 + 60 * indent, y, text)
            y -= 26
        pdf.drawString(300, 60, str(number))
        pdf.drawString(230, 45, "Alderson Reporting Company")
        pdf.showPage()
    pdf.setFont("Courier", 9)
    pdf.drawString(200, 760, "Official - Subject to Final Review")
    y = 720
    for n, word in enumerate(["buoy", "chart", "dredging", "harbour", "lighthouse", "sandbank"]):
        pdf.drawString(60, y, f"{word} 2:{n + 3} 3:{n + 1},{n + 4} 3:{n + 9}")
        pdf.drawString(300, y, f"{word}s 2:{n + 7} 3:{n + 2}")
        y -= 20
    pdf.drawString(230, 45, "Alderson Reporting Company")
    pdf.showPage()
    pdf.save()
    return path


def test_court_transcript_line_numbers_do_not_break_sentences(tmp_path):
    """Line numbers, the Alderson header and footer and the page number are not read; a
    sentence over numbered lines (and a word hyphenated at a line's end) reads whole."""
    doc = read(write_court_pdf(tmp_path / "harbour v smith.pdf"))
    scalia = paragraph_with(doc, "Well, a buoy or a lighthouse isn't moved either.")
    assert scalia.speaker == "Justice Scalia" and scalia.page == 2
    # `chan-` ends page 2's last line, `nel where ...` opens page 3
    kagan = paragraph_with(doc, "why does the chart show a channel where the survey")
    assert kagan.speaker == "Justice Kagan" and kagan.page == 2
    assert doc.page_at(doc.text.index("where the survey")) == 3
    for furniture in ("Alderson", "Official - Subject", "ORAL ARGUMENT", "(10:00"):
        assert furniture not in " ".join(p.text for p in doc.transcript.paragraphs)


def test_court_transcript_index_and_cover_are_not_speech(tmp_path):
    """The word index (`buoy 2:3 3:1,4`) and the cover page are not paragraphs of speech; the
    title is the case caption with the date of the argument."""
    doc = read(write_court_pdf(tmp_path / "harbour.pdf"))
    texts = " ".join(p.text for p in doc.transcript.paragraphs)
    assert "2:3" not in texts and "APPEARANCES" not in texts
    assert doc.transcript.title.startswith("HARBOUR AUTHORITY, Petitioner v. SMITH, ET AL.")
    assert doc.transcript.date == "2012-03-27"
    assert paragraph_with(doc, "We will hear argument this morning").speaker == (
        "Chief Justice Roberts"
    )
    assert paragraph_with(doc, "Ms. Roe.").speaker == "Chief Justice Roberts"


def test_court_argument_turns_are_all_statements(tmp_path):
    """An argument is a dialogue: a justice's question is not ranked below counsel's reply as a
    reporter's question would be; every turn is a statement."""
    doc = read(write_court_pdf(tmp_path / "harbour.pdf"))
    assert {(p.role, p.question) for p in doc.transcript.paragraphs} == {("statement", None)}


# ---------------------------------------------------------------- podcasts and captions
PODCAST_HTML = """<cite>Travis:</cite><time>0:05</time><p>Welcome back to the show. Today we
talk about the harbour.</p><p>My guest runs the dredging crew.</p>
<cite>Jane Doe:</cite><time>1:02</time><p>Thanks for having me, Travis.</p>
<cite>Travis:</cite><time>12:40</time><p>How deep is the channel now?</p>
"""

PODCAST_SRT = """1
00:00:05,000 --> 00:00:08,000
Travis: Welcome back to the show.

2
00:00:08,000 --> 00:00:11,000
Today we talk about the harbour.

3
00:01:02,000 --> 00:01:05,000
Jane Doe: Thanks for having me, Travis.

4
00:01:05,000 --> 00:01:09,000
The channel is eleven metres deep.

5
00:12:40,000 --> 00:12:43,000
Travis: How deep was it before?
"""


def test_podcast_html_fragment_cites_speakers(tmp_path):
    """A fragment of `<cite>Name:</cite><time>M:SS</time><p>...</p>` turns, no `<html>`: the
    speaker is the `<cite>`, the time the `<time>`; the title is not a turn."""
    path = tmp_path / "episode-12.html"
    path.write_text(PODCAST_HTML, encoding="utf-8")
    doc = read(path)
    assert doc.transcript.title == "episode-12"
    welcome = paragraph_with(doc, "Welcome back to the show.")
    assert (welcome.speaker, welcome.time) == ("Travis", "00:00:05")
    assert paragraph_with(doc, "dredging crew").speaker == "Travis"
    thanks = paragraph_with(doc, "Thanks for having me")
    assert (thanks.speaker, thanks.time) == ("Jane Doe", "00:01:02")
    assert paragraph_with(doc, "How deep").time == "00:12:40"


def test_srt_speaker_named_on_the_first_cue_of_a_turn(tmp_path):
    """`Travis: ...` names the speaker of the cues after it until the next name."""
    path = tmp_path / "episode-12.srt"
    path.write_text(PODCAST_SRT, encoding="utf-8")
    doc = read(path)
    assert paragraph_with(doc, "Today we talk about the harbour.").speaker == "Travis"
    guest = paragraph_with(doc, "eleven metres deep")
    assert (guest.speaker, guest.time) == ("Jane Doe", "00:01:02")
    assert "Travis:" not in paragraph_with(doc, "How deep was it").text


def test_youtube_captions_mark_speaker_changes(tmp_path):
    """`>>` opens another speaker's turn (names unknown): one paragraph per turn."""
    path = tmp_path / "council.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n>> WE WILL VOTE ON THE BUDGET\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nTONIGHT.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\n>> WHAT ABOUT THE LIBRARY?\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert [p.text for p in doc.transcript.paragraphs] == [
        "WE WILL VOTE ON THE BUDGET TONIGHT.",
        "WHAT ABOUT THE LIBRARY?",
    ]
    assert speakers(doc) == [None, None]


def test_webvtt_unclosed_voice_crlf_no_ids_no_hours(tmp_path):
    """WebVTT as players write it: `<v Name>` never closed, CRLF, no cue ids, `00:02.000`."""
    text = (
        "WEBVTT\r\n\r\n00:01.000 --> 00:04.000\r\n<v Dr. Amara Okafor>The tide gauge was"
        " moved\r\n\r\n00:04.000 --> 00:06.500\r\n<v Dr. Amara Okafor>in March.\r\n\r\n"
        "01:02.000 --> 01:05.000\r\n<v jane doe>Why was it moved?\r\n"
    )
    path = tmp_path / "gauge.vtt"
    path.write_bytes(text.encode("utf-8"))
    doc = read(path)
    moved = paragraph_with(doc, "The tide gauge was moved in March.")
    assert (moved.speaker, moved.time) == ("Dr. Amara Okafor", "00:00:01")
    why = paragraph_with(doc, "Why was it moved?")
    assert (why.speaker, why.time) == ("jane doe", "00:01:02")


@pytest.mark.parametrize(
    ("name", "content", "words", "speaker"),
    [
        ("episode.txt", PODCAST_SRT, "eleven metres", "Jane Doe"),
        (
            "episode.srt",
            "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ann Lee>Ferries run.\n",
            "Ferries",
            "Ann Lee",
        ),
        ("episode.txt", PODCAST_HTML, "Thanks for having me", "Jane Doe"),
        ("spacewalk.txt", json.dumps(deepgram_response()), "About six hours", "Speaker 1"),
    ],
    ids=["srt-as-txt", "vtt-as-srt", "html-fragment-as-txt", "deepgram-as-txt"],
)
def test_layout_found_by_content_under_another_name(tmp_path, name, content, words, speaker):
    """A file is read by what it holds (SubRip saved as `.txt`, WebVTT named `.srt`, a page
    fragment or a Deepgram response saved as `.txt`), with its speakers and times."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    paragraph = paragraph_with(read(path), words)
    assert paragraph.speaker == speaker and paragraph.time is not None


# --------------------------------------------------------------------------- Markdown
def test_markdown_interview_headings_are_speakers(tmp_path):
    """`### Interviewer` / `### Business Process Manager` headings label the turns below."""
    path = tmp_path / "interview.md"
    path.write_text(
        "# Interview: automating invoices\n\n### Interviewer\nWhich process did you automate"
        " first?\n\n### Business Process Manager\nInvoice matching, because it failed most"
        " often.\n\nIt took three months.\n\n### Interviewer\nWhat went wrong?\n\n"
        "### Business Process Manager\nThe supplier codes were inconsistent.\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert paragraph_with(doc, "Invoice matching").speaker == "Business Process Manager"
    assert paragraph_with(doc, "three months").speaker == "Business Process Manager"
    assert paragraph_with(doc, "What went wrong?").speaker == "Interviewer"
    assert not any("###" in p.text for p in doc.transcript.paragraphs)


def test_markdown_section_headings_are_not_speakers(tmp_path):
    """Headings that do not recur (`## Background`, `## Outlook`) are sections, not people."""
    path = tmp_path / "notes.md"
    path.write_text(
        "# Briefing notes\n\n## Background\n\nMR. EARNEST: The talks resume Monday.\n\n"
        "## Outlook\n\nMR. EARNEST: We expect a deal by June.\n",
        encoding="utf-8",
    )
    assert speakers(read(path)) == ["Mr. Earnest", "Mr. Earnest"]


# ------------------------------------------------------------------------ web pages
PAGE_1997 = (
    "<HTML>\r\n<HEAD>\r\n<TITLE>FRB: Speech, Public -- The outlook -- April 24, 1997</TITLE>\r\n"
    '</HEAD>\r\n<BODY BGCOLOR="#FFFFFF">\n<TABLE WIDTH="600">\r\n<TR>\n<TD><B><FONT SIZE=+2>'
    "Remarks by Governor Jane Q. Public<BR></FONT>\r\nAt the Forecasters Club of New York<BR>"
    '\nApril 24, 1997</B>\n</TD></TR></TABLE>\r\n<TABLE WIDTH="600"><TR><TD>\n'
    "<P>I am inclined to believe in the forward-looking approach – and therefore in"
    " preemptive policy.\r\n<P>The second element is the link from output growth to excess"
    ' demand.\n</TD></TR></TABLE>\r\n<P><A HREF="#top">Return to top</A> | 1997 Speeches'
    "\r\n</BODY></HTML>\r\n"
).encode("cp1252")


def test_1997_page_windows_1252_tables_and_byline(tmp_path):
    """A 1990s page (Windows-1252, upper-case tags, table layout) whose speech labels no
    paragraph is its byline's: `Remarks by Governor Jane Q. Public`."""
    with pytest.raises(UnicodeDecodeError):
        PAGE_1997.decode("utf-8")
    path = tmp_path / "19970424.htm"
    path.write_bytes(PAGE_1997)
    doc = read(path)
    speech = paragraph_with(doc, "forward-looking approach – and therefore in preemptive")
    assert speech.speaker == "Governor Jane Q. Public"
    assert paragraph_with(doc, "excess demand").speaker == "Governor Jane Q. Public"
    assert doc.transcript.date == "1997-04-24"


BRIEFING = """<html><head><title>Press Briefing by Senior Administration Officials</title>
</head><body><article>
<p>SENIOR ADMINISTRATION OFFICIAL:&nbsp; Thanks for joining us at this late hour.</p>
<p>SENIOR ADMINISTRATION OFFICIAL:&nbsp; I will walk you through the intelligence.</p>
<p>&nbsp;&nbsp;&nbsp; Q&nbsp;&nbsp;&nbsp; (As interpreted.)&nbsp; Was the raid approved in advance?</p>
<p>PRESIDENT CASTRO:&nbsp; (As interpreted.)&nbsp; The raid was not discussed with us.</p>
<p>-----</p>
<div class="social-share"><span>Share This: </span><a>Twitter</a> <a>Facebook</a></div>
</article></body></html>"""


def test_one_label_for_several_officials_and_interpretation_notes(tmp_path):
    """Several people labelled `SENIOR ADMINISTRATION OFFICIAL:` stay that one label;
    `(As interpreted.)` is a note, not speech; share buttons and `-----` are not read."""
    path = tmp_path / "briefing.html"
    path.write_text(BRIEFING, encoding="utf-8")
    doc = read(path)
    assert speakers(doc)[:2] == ["Senior Administration Official"] * 2
    question = paragraph_with(doc, "Was the raid approved")
    assert question.text == "Was the raid approved in advance?"
    answer = paragraph_with(doc, "not discussed with us")
    assert answer.text == "The raid was not discussed with us." and answer.speaker == (
        "President Castro"
    )
    assert "(As interpreted.)" in doc.text  # kept in the text, outside the spans
    assert not any(s and "Share" in s for s in speakers(doc))
    assert len(doc.transcript.paragraphs) == 4


def test_unreadable_layout_says_why(tmp_path):
    """A JSON file of no transcript shape gets a one-line reason naming what is read."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"theme": "dark"}), encoding="utf-8")
    with pytest.raises(ReadError, match="Deepgram, AssemblyAI") as caught:
        read(path)
    assert "\n" not in str(caught.value)


def test_deepgram_channels_name_their_speakers(tmp_path):
    """A two-channel call (one speaker a channel) reads `Channel 1` / `Channel 2`, in time."""

    def channel(text: str, start: float) -> dict:
        return {"alternatives": [{"transcript": text, "words": _dg_words(text, start, 0)}]}

    response = {
        "results": {
            "channels": [channel("Hello, harbour office.", 0.5), channel("Is the lock open?", 9.0)]
        }
    }
    for ch in response["results"]["channels"]:
        for word in ch["alternatives"][0]["words"]:
            del word["speaker"]
    path = tmp_path / "call.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    doc = read(path)
    assert [(p.speaker, p.text, p.time) for p in doc.transcript.paragraphs] == [
        ("Channel 1", "Hello, harbour office.", "00:00:00"),
        ("Channel 2", "Is the lock open?", "00:00:09"),
    ]
