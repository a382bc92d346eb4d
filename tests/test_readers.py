"""Readers of PDF, web pages, Word, subtitles and JSON: each builds a real file at test time and
checks the canonical text, speakers, pages and times it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.corpus import find_sources, read_document
from assistant.readers import ReadError, read_paths
from assistant.readers.cues import Cue, merge_cues
from assistant.readers.parts import group, part_of

HEADER = "May 3, 2023 Chair Powell's Press Conference FINAL"
PDF_PAGES = [
    [
        "Transcript of Chair Powell's Press Conference, May 3, 2023",
        "",
        "CHAIR POWELL. Good afternoon. My colleagues and I remain squarely focused on",
        "our dual mandate to promote maximum employment and stable prices for the",
        "American people.",
        "",
        "We remain highly attentive to the risks of infla-",
        "tion. The labor market remains very tight and wage growth is elevated.",
    ],
    [
        "MICHELLE SMITH. Howard.",
        "",
        "HOWARD SCHNEIDER. Thank you. Could you talk about the banking sector and how",
        "the tightening of credit conditions affects the outlook for the econ-",
    ],
    [
        "omy over the coming year?",
        "",
        "CHAIR POWELL. Sure. Conditions in the banking sector have broadly improved since",
        "early March, and the strong actions we took have stabilized deposit outflows.",
    ],
]


def write_pdf(path: Path, pages: list[list[str]] = PDF_PAGES, header: str | None = HEADER) -> Path:
    """A PDF as a central bank publishes it: a running header, `Page n of N` footers."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    width, height = letter
    for n, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 9)
        if header:
            pdf.drawString(72, height - 40, header)
        pdf.drawCentredString(width / 2, 30, f"Page {n} of {len(pages)}")
        pdf.setFont("Helvetica", 11)
        y = height - 90
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 15
        pdf.showPage()
    pdf.save()
    return path


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Press Conference | Ministry of Information</title>
<style>p {{ color: black }}</style><script>var tracking = "Home News";</script></head>
<body>
<header><div class="logo">Ministry of Information</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/contact">Contact us</a></li></ul></nav>
<article>
<h1>{title}</h1>
{body}
<div class="pagination">&lt;&nbsp; 1 &nbsp;2&nbsp; 3 ... 12 &gt;</div>
</article>
<footer><p>Copyright 2022 Ministry of Information. All rights reserved.</p></footer>
</body></html>
"""


def write_html(
    path: Path, body: str, title: str = "Press conference on the Games, 2022-02-04"
) -> Path:
    path.write_text(HTML.format(title=title, body=body), encoding="utf-8")
    return path


HTML_BODY = """
<p>Reporter: How many volunteers will work at the Winter Games venues this month?</p>
<p>Shen Beili:<br>About 19,000 volunteers will serve at the venues, most of them students
from universities in Beijing and Zhangjiakou.</p>
<p>They have received training in languages, first aid and the rules of each sport.</p>
"""


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Briefing on the harbour tunnel, 2021-06-14"
    document.sections[0].header.paragraphs[0].text = "OFFICIAL TRANSCRIPT - DO NOT DISTRIBUTE"
    document.add_paragraph("Briefing on the harbour tunnel, 2021-06-14", style="Title")
    document.add_paragraph("Reporter Lee: When will the harbour tunnel open to traffic?")
    document.add_paragraph("Minister Okafor: The harbour tunnel opens to traffic in October.")
    document.add_paragraph("The contractors have finished the ventilation shafts ahead of time.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Reporter Lee"
    table.rows[0].cells[1].text = "And the tolls?"
    document.save(str(path))
    return path


SRT = """1
00:14:30,000 --> 00:14:32,500
<v Maria Lopez>Thank you. My question is about

2
00:14:32,500 --> 00:14:35,000
<v Maria Lopez>the new reservoir near Granada. When will it be full?

3
00:14:36,000 --> 00:14:39,000
<v Mayor Ruiz>The reservoir should be full by next spring,

4
00:14:39,000 --> 00:14:42,000
<v Mayor Ruiz>if the winter rains are normal.

5
00:14:50,000 --> 00:14:53,000
<v Mayor Ruiz>After a long pause, a new paragraph about the budget begins.
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Alice>Welcome to the briefing on the

00:00:04.000 --> 00:00:07.000
<v Alice>coastal flood defences.

00:00:07.500 --> 00:00:10.000
<v Bob Stone>How high will the new sea wall be?

00:14:32.000 --> 00:14:36.000
<v Alice>The sea wall will stand four metres above the spring tide line.
"""

JSON_TURNS = [
    {"speaker": "Press Secretary", "text": "Good morning, everyone.", "start": 0},
    {"speaker": "Reporter Kim", "text": "Is the bridge toll going up this year?", "start": 5.2},
    {
        "speaker": "Press Secretary",
        "text": "The bridge toll stays at four dollars until the end of the year.",
        "start": "00:01:07",
        "end": "00:01:12.5",
    },
]

JSON_SEGMENTS = {
    "title": "Council meeting, 2024-03-12",
    "segments": [
        {"speaker": "SPEAKER_00", "text": " The council approved", "start": 862.0, "end": 864.0},
        {
            "speaker": "SPEAKER_00",
            "text": " the new library budget today.",
            "start": 864.0,
            "end": 866.0,
        },
        {
            "speaker": "SPEAKER_01",
            "text": " How much will the library cost?",
            "start": 867.0,
            "end": 869.0,
        },
        {
            "speaker": "SPEAKER_00",
            "text": " The library will cost twelve million.",
            "start": 870.0,
            "end": 872.0,
        },
    ],
}


def read(path: Path):
    return read_paths([path], path.name)


def paragraph_with(doc, words: str):
    """The one paragraph whose text contains `words`."""
    found = [p for p in doc.transcript.paragraphs if words in p.text]
    assert len(found) == 1, [p.text for p in doc.transcript.paragraphs]
    return found[0]


# ---------------------------------------------------------------------------- plain text
def test_text_file_canonical_text_is_the_file(tmp_path):
    """A .txt transcript's canonical text is the file as read, so offsets match an editor's."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"Press briefing\r\n\r\nMR. EARNEST: Good afternoon, everybody.\r\n")
    doc = read(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.transcript.paragraphs[0].page is None and doc.transcript.paragraphs[0].time is None


# ---------------------------------------------------------------------------------- PDF
def test_pdf_drops_running_header_and_page_numbers(tmp_path):
    """Running headers and `Page n of N` footers are page furniture, not speech."""
    doc = read(write_pdf(tmp_path / "powell.pdf"))
    body = doc.text.split("\n", 1)[1]
    assert "Page 1 of 3" not in doc.text and "Page 3 of 3" not in doc.text
    assert HEADER not in body  # kept once, as the title line only
    assert doc.transcript.title == HEADER


def test_pdf_joins_word_hyphenated_across_lines(tmp_path):
    """`infla-` at a line's end and `tion` on the next line read as `inflation`."""
    doc = read(write_pdf(tmp_path / "powell.pdf"))
    assert "risks of inflation. The labor market" in doc.text
    assert "infla-" not in doc.text


def test_pdf_joins_word_hyphenated_across_pages(tmp_path):
    """A question broken over a page (`econ-` / `omy`) stays one paragraph, one word."""
    doc = read(write_pdf(tmp_path / "powell.pdf"))
    question = paragraph_with(doc, "outlook for the economy over the coming year?")
    assert question.speaker == "Howard Schneider"
    assert question.page == 2  # where it starts


def test_pdf_paragraphs_keep_their_page(tmp_path):
    """Each paragraph knows its page, and text after a page break maps to the new page."""
    doc = read(write_pdf(tmp_path / "powell.pdf"))
    assert paragraph_with(doc, "Good afternoon").page == 1
    assert paragraph_with(doc, "Howard.").page == 2
    answer = paragraph_with(doc, "deposit outflows")
    assert answer.page == 3 and answer.speaker == "Chair Powell"
    assert doc.page_at(doc.text.index("omy over the coming")) == 3


def test_pdf_line_is_spaced_as_the_plain_text_spaces_it():
    """Layout mode's glyph gaps inside words (`tha       t`, `1½percentage`) give way to the
    plain text's spacing; blank lines stay, and a line the plain text lacks is kept."""
    from assistant.readers.pdf import respace

    layout = (
        "   First, we reduced the rate by 1½percentage points, bringing tha       t rate\n"
        "\n"
        "to ¼percent. So we ’ll see.\n"
        "12   a line numbered only here"
    )
    plain = (
        "First, we reduced the rate by 1½ percentage points, bringing that \n"
        "rate to ¼ percent.  So we’ll see.\n"
    )
    assert respace(layout, plain).split("\n") == [
        "First, we reduced the rate by 1½ percentage points, bringing that rate",
        "",
        "to ¼ percent. So we’ll see.",
        "12   a line numbered only here",
    ]


def test_pdf_without_text_layer_is_an_error(tmp_path):
    """A PDF with no extractable text (a scan) is reported, not indexed empty."""
    path = write_pdf(tmp_path / "scan.pdf", pages=[[], []], header=None)
    with pytest.raises(ReadError, match="no extractable text"):
        read(path)


def test_damaged_pdf_is_reported(tmp_path):
    """A file named .pdf that is not a PDF raises a ReadError naming the problem."""
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(ReadError, match="PDF"):
        read(path)


# --------------------------------------------------------------------------------- HTML
def test_html_reads_article_paragraphs_only(tmp_path):
    """Navigation, header, footer, scripts and styles are not read; the article is."""
    doc = read(write_html(tmp_path / "games.html", HTML_BODY))
    for furniture in ("Home", "Contact us", "Ministry of Information", "tracking", "color"):
        assert furniture not in doc.text
    assert doc.transcript.title == "Press conference on the Games, 2022-02-04"
    assert doc.transcript.date == "2022-02-04"


def test_html_drops_pagination_footer(tmp_path):
    """`< 1 2 3 ... 12 >` under the article is page navigation, not speech."""
    doc = read(write_html(tmp_path / "games.html", HTML_BODY))
    assert "12" not in doc.text.replace("2022-02-04", "")
    assert doc.transcript.paragraphs[-1].text.endswith("rules of each sport.")


def test_html_br_after_label_gives_speaker(tmp_path):
    """`Shen Beili:<br>` names the speaker of the paragraphs after it, as in the seed page."""
    doc = read(write_html(tmp_path / "games.html", HTML_BODY))
    answer = paragraph_with(doc, "About 19,000 volunteers")
    assert answer.speaker == "Shen Beili"
    assert paragraph_with(doc, "first aid").speaker == "Shen Beili"


def test_pagination_pattern():
    """Pagination footers are recognised; a sentence with numbers is not one."""
    from assistant.readers.webpage import PAGINATION

    for footer in ("<  1  2  3 ... 12 >", "« Previous", "Next page >", "Page 2 of 12", "1 2 3 4"):
        assert PAGINATION.fullmatch(footer), footer
    assert not PAGINATION.fullmatch("We hired 3 000 people in 2 years.")


# --------------------------------------------------------------------------------- DOCX
def test_docx_reads_body_paragraphs_and_speakers(tmp_path):
    """Word paragraphs are read in order with their speakers; the page header is not."""
    doc = read(write_docx(tmp_path / "tunnel.docx"))
    assert "OFFICIAL TRANSCRIPT" not in doc.text
    assert doc.transcript.title == "Briefing on the harbour tunnel, 2021-06-14"
    answer = paragraph_with(doc, "opens to traffic in October")
    assert answer.speaker == "Minister Okafor"
    assert paragraph_with(doc, "ventilation shafts").speaker == "Minister Okafor"


def test_docx_table_rows_read_as_speaker_turns(tmp_path):
    """A `speaker | words` table row reads as `speaker: words`."""
    doc = read(write_docx(tmp_path / "tunnel.docx"))
    assert paragraph_with(doc, "And the tolls?").speaker == "Reporter Lee"


# ----------------------------------------------------------------------------- SRT / VTT
def test_srt_cues_merge_into_sentences_with_voice_speakers(tmp_path):
    """Cues cut mid-sentence are joined; `<v Name>` tags give the speaker."""
    path = tmp_path / "granada_2023-09-01.srt"
    path.write_text(SRT, encoding="utf-8")
    doc = read(path)
    question = paragraph_with(doc, "My question is about the new reservoir near Granada.")
    assert question.speaker == "Maria Lopez" and question.time == "00:14:30"
    answer = paragraph_with(doc, "full by next spring, if the winter rains are normal.")
    assert answer.speaker == "Mayor Ruiz" and answer.time == "00:14:36"
    assert "<v" not in doc.text


def test_srt_long_pause_starts_a_paragraph(tmp_path):
    """Eight seconds of silence ends a paragraph even when the speaker goes on."""
    path = tmp_path / "granada.srt"
    path.write_text(SRT, encoding="utf-8")
    later = paragraph_with(read(path), "After a long pause")
    assert later.speaker == "Mayor Ruiz" and later.time == "00:14:50"


def test_vtt_voice_tags_and_times(tmp_path):
    """WebVTT `<v>` voices give speakers; a one-word name is still read as a speaker."""
    path = tmp_path / "floods.vtt"
    path.write_text(VTT, encoding="utf-8")
    doc = read(path)
    opening = paragraph_with(doc, "briefing on the coastal flood defences.")
    assert opening.speaker == "Alice" and opening.time == "00:00:01"
    assert paragraph_with(doc, "sea wall be?").speaker == "Bob Stone"
    answer = paragraph_with(doc, "four metres")
    assert answer.speaker == "Alice" and answer.time == "00:14:32"


def test_vtt_time_of_a_cue_inside_a_paragraph():
    """A passage starting mid-paragraph gets the time of its own cue, not the paragraph's."""
    blocks = merge_cues(
        [Cue(10.0, 12.0, "First part of a sentence", "A"), Cue(12.0, 14.0, "and its end.", "A")]
    )
    assert len(blocks) == 1
    assert blocks[0].times == ((0, "00:00:10"), (len("First part of a sentence "), "00:00:12"))


def test_rolling_captions_are_not_repeated():
    """Auto-captions repeat the previous cue before new words; the words are read once."""
    blocks = merge_cues(
        [Cue(0, 2, "we will raise"), Cue(2, 4, "we will raise rates again"), Cue(4, 5, "soon.")]
    )
    assert [b.text for b in blocks] == ["we will raise rates again soon."]


YOUTUBE_VTT = (  # each held cue and each first cue has a line of one space, as YouTube's do
    "WEBVTT\nKind: captions\nLanguage: en\n\n"
    "00:00:00.030 --> 00:00:02.270 align:start position:0%\n \n"
    "good<00:00:00.359><c> afternoon</c><00:00:00.719><c> everybody</c>\n\n"
    "00:00:02.270 --> 00:00:02.280 align:start position:0%\ngood afternoon everybody\n \n\n"
    "00:00:02.280 --> 00:00:05.150 align:start position:0%\ngood afternoon everybody\n"
    "the<00:00:02.600><c> president</c><00:00:03.000><c> will</c><00:00:03.400><c> travel</c>\n\n"
    "00:00:05.150 --> 00:00:05.160 align:start position:0%\nthe president will travel\n \n\n"
    "00:00:05.160 --> 00:00:08.000 align:start position:0%\nthe president will travel\n"
    "to<00:00:05.500><c> Ohio</c><00:00:06.000><c> on</c><00:00:06.500><c> Thursday</c>\n"
)


def test_youtube_auto_captions_are_read_once(tmp_path):
    """YouTube's auto-captions (as yt-dlp saves them) hold each line on screen in a 10 ms cue,
    then repeat it above the next words: every word is read once, in order."""
    path = tmp_path / "briefing.en.vtt"
    path.write_text(YOUTUBE_VTT, encoding="utf-8")
    (paragraph,) = read(path).transcript.paragraphs
    assert paragraph.text == (
        "good afternoon everybody the president will travel to Ohio on Thursday"
    )
    assert paragraph.time == "00:00:00"


def test_a_caption_said_twice_is_kept_twice():
    """Two cues of the same words, each long enough to be said, are both speech."""
    blocks = merge_cues([Cue(0, 1.5, "Thank you."), Cue(1.5, 3, "Thank you.")])
    assert [b.text for b in blocks] == ["Thank you. Thank you."]


def test_malformed_srt_is_reported(tmp_path):
    """Text that is not SubRip raises a ReadError."""
    path = tmp_path / "notes.srt"
    path.write_text("these are meeting notes\nnot subtitles\n", encoding="utf-8")
    with pytest.raises(ReadError, match="SRT"):
        read(path)


# --------------------------------------------------------------------------------- JSON
def test_json_turns_keep_speakers_and_times(tmp_path):
    """A list of turns: one paragraph per turn, its start as `HH:MM:SS` (numbers or clock)."""
    path = tmp_path / "toll.json"
    path.write_text(json.dumps(JSON_TURNS), encoding="utf-8")
    doc = read(path)
    question = paragraph_with(doc, "bridge toll going up")
    assert question.speaker == "Reporter Kim" and question.time == "00:00:05"
    answer = paragraph_with(doc, "four dollars")
    assert answer.speaker == "Press Secretary" and answer.time == "00:01:07"


def test_json_segments_merge_like_cues(tmp_path):
    """Speech-to-text segments of one speaker are merged; diarised labels give speakers."""
    path = tmp_path / "council.json"
    path.write_text(json.dumps(JSON_SEGMENTS), encoding="utf-8")
    doc = read(path)
    assert doc.transcript.title == "Council meeting, 2024-03-12"
    opening = paragraph_with(doc, "The council approved the new library budget today.")
    assert opening.time == "00:14:22"
    answer = paragraph_with(doc, "twelve million")
    assert answer.speaker == opening.speaker == "SPEAKER_00"  # as the file states it
    assert answer.time == "00:14:30"


def test_json_of_another_shape_is_reported(tmp_path):
    """JSON that is neither shape says what is expected."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"rows": [1, 2]}), encoding="utf-8")
    with pytest.raises(ReadError, match="turns"):
        read(path)


def test_json_bad_time_names_the_turn(tmp_path):
    """A time that is neither seconds nor HH:MM:SS is reported with its turn number."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"text": "Hello there.", "start": "soon"}]), encoding="utf-8")
    with pytest.raises(ReadError, match="turn 1"):
        read(path)


# --------------------------------------------------------------------- multi-file documents
def test_page_numbered_file_names_are_parts():
    """`name_2.html` is page 2 of `name.html`; a date or a lone number in a name is not."""
    assert part_of("briefings/games_2.html") == ("briefings/games.html", 2)
    assert part_of("games-page-3.htm") == ("games.htm", 3)
    assert part_of("fomc_20230503.pdf") is None
    assert part_of("games_2.srt") is None


def test_only_complete_runs_from_one_are_grouped():
    """Pages 1..N group; a run with a gap, or one whose whole name exists, does not."""
    found = group(["a_1.html", "a_2.html", "b_2.html", "b_3.html", "c_1.pdf", "c_2.pdf", "c.pdf"])
    assert found == {"a.html": ["a_1.html", "a_2.html"]}


def test_html_pages_read_as_one_document(tmp_path):
    """`games_1.html`, `games_2.html` are one document `games.html`; page n is file n."""
    write_html(tmp_path / "games_2.html", "<p>Shen Beili:<br>The torch relay lasts three days.</p>")
    write_html(tmp_path / "games_1.html", HTML_BODY)
    sources, skipped = find_sources(tmp_path)
    assert [s.document for s in sources] == ["games.html"] and not skipped
    doc = read_document(sources[0])
    assert doc.text.count("Press conference on the Games") == 1  # the repeated heading, once
    assert paragraph_with(doc, "volunteers will serve").page == 1
    relay = paragraph_with(doc, "torch relay")
    assert relay.page == 2 and relay.speaker == "Shen Beili"


def test_unknown_extensions_are_skipped_with_a_reason(tmp_path):
    """A spreadsheet in the corpus is skipped with one line saying why; transcripts are found."""
    (tmp_path / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a.txt").write_text("Title\n\nMR. A: Words.\n", encoding="utf-8")
    sources, skipped = find_sources(tmp_path)
    assert [s.document for s in sources] == ["a.txt"]
    assert [(s.document, s.reason) for s in skipped] == [
        ("budget.xlsx", "unsupported file type .xlsx")
    ]


# ------------------------------------------------------------------- indexed end to end
@pytest.fixture(scope="module")
def formats_qa(tmp_path_factory):
    """One corpus holding every format (and a damaged PDF and a spreadsheet), indexed."""
    from assistant.api import Assistant

    corpus = tmp_path_factory.mktemp("corpus")
    write_pdf(corpus / "powell.pdf")
    write_html(corpus / "games_1.html", HTML_BODY)
    write_html(corpus / "games_2.html", "<p>Shen Beili:<br>The torch relay lasts three days.</p>")
    write_docx(corpus / "tunnel.docx")
    (corpus / "granada.srt").write_text(SRT, encoding="utf-8")
    (corpus / "floods.vtt").write_text(VTT, encoding="utf-8")
    (corpus / "toll.json").write_text(json.dumps(JSON_TURNS), encoding="utf-8")
    (corpus / "council.json").write_text(json.dumps(JSON_SEGMENTS), encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    (corpus / "budget.xlsx").write_bytes(b"PK\x03\x04")
    messages: list[str] = []
    qa = Assistant.build(
        corpus, tmp_path_factory.mktemp("index"), model="hashing-384", log=messages.append
    )
    return qa, messages


CASES = [
    # document, question, words of the passage expected, page, time
    (
        "powell.pdf",
        "Have conditions in the banking sector improved and deposit outflows stabilized?",
        "deposit outflows",
        3,
        None,
    ),
    ("games.html", "How many days does the torch relay last?", "torch relay lasts", 2, None),
    ("tunnel.docx", "When does the harbour tunnel open to traffic?", "in October", None, None),
    (
        "granada.srt",
        "When will the reservoir near Granada be full?",
        "full by next spring",
        None,
        "00:14:36",
    ),
    (
        "floods.vtt",
        "How high will the sea wall stand above the spring tide?",
        "four metres",
        None,
        "00:14:32",
    ),
    ("toll.json", "Is the bridge toll going up this year?", "four dollars", None, "00:01:07"),
    ("council.json", "How much will the library cost?", "twelve million", None, "00:14:30"),
]


@pytest.mark.parametrize(("document", "question", "words", "page", "time"), CASES)
def test_each_format_answers_with_cited_text_page_and_time(
    formats_qa, document, question, words, page, time
):
    """Asked about a document of each format, the passage that answers is cited exactly: its
    text is the canonical text at its offsets, with the page or time where it was said."""
    qa, _ = formats_qa
    answer = qa.ask(question, k=5, document=document)
    assert answer.answered, answer.reason
    cited = [p for p in answer.passages if words in p.text]
    assert cited, [p.text for p in answer.passages]
    c = cited[0].citation
    assert cited[0].text == qa.document_text(document)[c.start : c.end]
    assert (c.page, c.time) == (page, time)


def test_damaged_file_is_reported_and_the_rest_indexed(formats_qa):
    """A damaged PDF is reported by name and why; every other document is still indexed."""
    qa, messages = formats_qa
    assert any(m.startswith("skipped broken.pdf: not a readable PDF") for m in messages)
    assert {row["document"] for row in qa.documents()} == {case[0] for case in CASES}


def test_unknown_extension_is_skipped_in_one_line(formats_qa):
    """A file of another type is skipped with one line saying so."""
    _, messages = formats_qa
    assert [m for m in messages if "budget.xlsx" in m] == [
        "skipped budget.xlsx: unsupported file type .xlsx"
    ]


def test_page_and_time_survive_reloading_the_index(formats_qa):
    """Pages and times are stored in the index, not recomputed from the files."""
    from assistant.api import Assistant

    qa, _ = formats_qa
    reloaded = Assistant.load(qa.index.path.parent)
    record = reloaded.index.documents["granada.srt"]
    assert [p.time for p in record.paragraphs] == ["00:14:30", "00:14:36", "00:14:50"]
    pages = {c.page for c in reloaded.index.chunks if c.document == "powell.pdf"}
    assert pages == {1, 2, 3}


def test_cli_line_shows_page_and_time(formats_qa):
    """The CLI's citation line says "p. 3" for a PDF passage and the time for subtitles."""
    from assistant.cli import format_answer

    qa, _ = formats_qa
    pdf = format_answer(qa.ask(CASES[0][1], k=1, document="powell.pdf"))
    assert "powell.pdf, p. 3 ¶" in pdf
    srt = format_answer(qa.ask(CASES[3][1], k=1, document="granada.srt"))
    assert "granada.srt, 00:14:36 ¶" in srt


def test_pdf_gap_inside_a_sentence_does_not_split_it():
    """A layout gap between two lines of one sentence (lower case after no full stop) is not a
    paragraph break; a gap after a full stop is."""
    from assistant.readers.pdf import paragraphs

    blocks = paragraphs([["CHAIR POWELL. We will keep", "", "policy tight.", "", "Next point."]])
    assert [b.text for b in blocks] == ["CHAIR POWELL. We will keep policy tight.", "Next point."]


def test_pdf_indented_first_lines_mark_the_paragraphs():
    """In a double-spaced transcript that indents each paragraph's first line, a line after a
    full stop, a capitalised line after a blank and the next page's first line all continue the
    paragraph; only an indented line or a label starts one."""
    from assistant.readers.pdf import paragraphs

    pages = [
        [
            "     CHAIR POWELL. Good afternoon.",
            "",
            "I want to thank Chair",
            "",
            "Powell's colleagues. The labor market",
            "",
            "     Inflation has eased.",
            "",
            "The committee",
        ],
        [
            "remains attentive.",
            "",
            "Federal Reserve staff agree.",
            "",
            "     We will be patient.",
            "",
            "     HOWARD SCHNEIDER. Hi.",
        ],
    ]
    blocks = paragraphs(pages)
    assert [b.text for b in blocks] == [
        "CHAIR POWELL. Good afternoon. I want to thank Chair Powell's colleagues. The labor market",
        "Inflation has eased. The committee remains attentive. Federal Reserve staff agree.",
        "We will be patient.",
        "HOWARD SCHNEIDER. Hi.",
    ]
    assert blocks[1].pages == ((0, 1), (len("Inflation has eased. The committee "), 2))


def test_pdf_speaker_label_starts_a_paragraph():
    """`HOWARD SCHNEIDER.` on the line after an answer starts the next turn, gap or not."""
    from assistant.readers.pdf import paragraphs

    blocks = paragraphs([["CHAIR POWELL. Thank you.", "HOWARD SCHNEIDER. A question."]])
    assert [b.text for b in blocks] == ["CHAIR POWELL. Thank you.", "HOWARD SCHNEIDER. A question."]


def test_html_without_p_elements_splits_at_block_edges():
    """Pages built of <div>s and <br>s give one paragraph per block; inline tags join words."""
    from assistant.readers.webpage import paragraphs

    _, _, lines = paragraphs(
        "<body><div>Shen Beili:<br>The <b>venues</b> are ready.</div><div>Thank you.</div></body>"
    )
    assert lines == ["Shen Beili:", "The venues are ready.", "Thank you."]


def test_indexed_text_and_markdown_keep_the_file_as_canonical_text(tmp_path):
    """For .txt and .md, `document_text` is the file as read and citations index it."""
    from assistant.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(
        b"Press briefing, 2020-01-02\r\n\r\nMR. EARNEST: The ferry schedule changes in March.\r\n"
    )
    (corpus / "b.md").write_text(
        "# Notes, 2020-01-03\n\nMS. SMITH: The museum reopens on Friday.\n", encoding="utf-8"
    )
    qa = Assistant.build(corpus, tmp_path / "index", model="hashing-384")
    for name in ("a.txt", "b.md"):
        assert qa.document_text(name) == (corpus / name).read_text(encoding="utf-8")
    passage = qa.ask("When does the ferry schedule change?", document="a.txt").passages[0]
    c = passage.citation
    assert passage.text == qa.document_text("a.txt")[c.start : c.end]
    assert "ferry schedule changes in March" in passage.text
    assert (c.page, c.time) == (None, None)
