"""Readers under hostile and careless input (issue #11): stated speakers kept as stated, files
that would crash or blow up a reader skipped with their reason while the rest is indexed, pages
without titles, and UTF-16 files. Every input is written by the test."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from assistant.readers import ReadError, read_paths

NAMES = ["jane doe", "李明", "Émile Zola", "Sen. Warren (D-MA)", "Host #1", "Reporter, Reuters"]


def read(path: Path):
    return read_paths([path], path.name)


def _turn_texts(name: str) -> tuple[str, str]:
    return f"Short words from {name}.", "I do not believe the bridge will open this year."


# ----------------------------------------------------------------- #11.2 stated speakers
def _json(path: Path, name: str) -> None:
    first, second = _turn_texts(name)
    path.write_text(
        json.dumps(
            [
                {"speaker": name, "text": first, "start": 1},
                {"speaker": "Mayor Ruiz", "text": "The council met today.", "start": 5},
                {"speaker": name, "text": second, "start": 9},
            ]
        ),
        encoding="utf-8",
    )


def _srt(path: Path, name: str) -> None:
    first, second = _turn_texts(name)
    path.write_text(
        f"1\n00:00:01,000 --> 00:00:03,000\n<v {name}>{first}\n\n"
        "2\n00:00:05,000 --> 00:00:07,000\n<v Mayor Ruiz>The council met today.\n\n"
        f"3\n00:00:09,000 --> 00:00:12,000\n<v {name}>{second}\n",
        encoding="utf-8",
    )


def _vtt(path: Path, name: str) -> None:
    first, second = _turn_texts(name)
    path.write_text(
        f"WEBVTT\n\n00:01.000 --> 00:03.000\n<v {name}>{first}</v>\n\n"
        "00:05.000 --> 00:07.000\n<v Mayor Ruiz>The council met today.\n\n"
        f"00:09.000 --> 00:12.000\n<v {name}>{second}\n",
        encoding="utf-8",
    )


def _podcast(path: Path, name: str) -> None:
    first, second = _turn_texts(name)
    path.write_text(
        f"<cite>{name}:</cite><time>0:01</time><p>{first}</p>"
        "<cite>Mayor Ruiz:</cite><time>0:05</time><p>The council met today.</p>"
        f"<cite>{name}:</cite><time>0:09</time><p>{second}</p>",
        encoding="utf-8",
    )


def _otter(path: Path, name: str) -> None:
    import docx

    first, second = _turn_texts(name)
    document = docx.Document()
    for line in ["Bridge interview", "SPEAKERS", f"{name}, Mayor Ruiz", f"{name}  00:01", first,
                 "Mayor Ruiz  00:05", "The council met today.", f"{name}  00:09", second,
                 "Transcribed by https://otter.ai"]:  # fmt: skip
        document.add_paragraph(line)
    document.save(str(path))


WRITERS = {"json": _json, "srt": _srt, "vtt": _vtt, "html": _podcast, "docx": _otter}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", list(WRITERS))
def test_stated_speaker_is_taken_as_stated(tmp_path, suffix, name):
    """A speaker the format states (JSON field, `<v>` tag, `<cite>`, Otter header) is the
    paragraph's speaker exactly, never glued into the quote; a short first turn is kept."""
    path = tmp_path / f"bridge.{suffix}"
    WRITERS[suffix](path, name)
    doc = read(path)
    first, second = _turn_texts(name)
    paragraphs = doc.transcript.paragraphs
    assert [(p.speaker, p.text) for p in paragraphs] == [
        (name, first),
        ("Mayor Ruiz", "The council met today."),
        (name, second),
    ]
    for p in paragraphs:
        assert doc.text[p.start : p.end] == p.text
    assert [p.time for p in paragraphs] == ["00:00:01", "00:00:05", "00:00:09"]


def test_stated_speaker_is_found_by_a_name_part(tmp_path):
    """`speaker="Warren"` finds the turns of `Sen. Warren (D-MA)`, quoted without the label."""
    from assistant.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _json(corpus / "bridge.json", "Sen. Warren (D-MA)")
    qa = Assistant.build(corpus, tmp_path / "index", model="hashing-384")
    answer = qa.ask("Will the bridge open this year?", speaker="Warren")
    assert answer.answered, answer.reason
    top = answer.passages[0]
    assert top.citation.speaker == "Sen. Warren (D-MA)"
    assert top.text == "I do not believe the bridge will open this year."


# ---------------------------------------------------- #11.3 one bad file, the rest indexed
HOSTILE_JSON = {
    "nested-100k.json": "[" * 100_000 + "]" * 100_000,
    "start-infinity.json": '[{"speaker": "A", "text": "Words.", "start": Infinity}]',
    "start-400-digits.json": '[{"speaker": "A", "text": "Words.", "start": ' + "9" * 400 + "}]",
    "end-nan.json": '{"segments": [{"text": "Words.", "start": 0, "end": NaN}]}',
}


@pytest.mark.parametrize("name", list(HOSTILE_JSON))
def test_hostile_json_is_refused_with_a_reason(tmp_path, name):
    """JSON nested 100k deep, `Infinity`, NaN or a 400-digit time: a ReadError saying why,
    not a RecursionError or OverflowError."""
    path = tmp_path / name
    path.write_text(HOSTILE_JSON[name], encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read(path)
    message = str(caught.value)
    assert ("nested too deeply" in message) or ("not a time" in message), message


def test_hostile_files_are_skipped_and_the_rest_indexed(tmp_path):
    """Every hostile file is skipped with its reason; the good transcript is indexed."""
    from assistant.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in HOSTILE_JSON.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "deep.html").write_text("<div>" * 100_000 + "x", encoding="utf-8")
    (corpus / "bomb.docx").write_bytes(zip_bomb(100 * 2**20))
    (corpus / "good.json").write_text(
        json.dumps([{"speaker": "Mayor Ruiz", "text": "The ferry runs again on Monday."}]),
        encoding="utf-8",
    )
    messages: list[str] = []
    qa = Assistant.build(corpus, tmp_path / "index", model="hashing-384", log=messages.append)
    assert [row["document"] for row in qa.documents()] == ["good.json"]
    skipped = sorted(m.split(":")[0] for m in messages if m.startswith("skipped "))
    assert skipped == sorted(f"skipped {n}" for n in [*HOSTILE_JSON, "deep.html", "bomb.docx"])
    assert all("\n" not in m for m in messages)


# ------------------------------------------------------------ #11.6 resource blow-ups
def zip_bomb(unpacked: int) -> bytes:
    """A .docx-shaped zip whose document part unpacks to `unpacked` bytes (of one letter)."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"a" * 2**20
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path):
    """A small .docx declaring 100 MB inside is refused by its declared sizes: nothing is
    unpacked (the memory a read takes stays far below the bomb's size)."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb(100 * 2**20))
    assert path.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match="zip bomb"):
            read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_html_nested_100k_deep_is_refused_without_parsing(tmp_path, monkeypatch):
    """HTML nested 100,000 elements deep is refused with its depth, before the parser (whose
    time grows faster than the depth) is ever called."""
    import selectolax.lexbor

    def no_parse(*args, **kwargs):
        raise AssertionError("the deep page reached the HTML parser")

    monkeypatch.setattr(selectolax.lexbor, "LexborHTMLParser", no_parse)
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "words" + "</div>" * 100_000)
    with pytest.raises(ReadError, match=r"nested 100,0\d\d elements deep"):
        read(path)


def test_html_depth_ignores_unclosed_paragraphs_and_scripts():
    """Thousands of unclosed `<P>`s (1990s pages) and tags inside scripts do not count as
    nesting: such pages are read."""
    from assistant.readers.webpage import MAX_DEPTH, depth

    page = "<HTML><BODY>" + "<P>words " * 5000 + "<script>" + "<div>" * 5000 + "</script>"
    assert depth(page) < MAX_DEPTH


# -------------------------------------------------------------------- #11.12 smaller
def test_html_without_title_does_not_make_speech_its_title(tmp_path):
    """A page with no `<title>` and no heading is titled by its file name; its first
    paragraph of speech stays a paragraph."""
    path = tmp_path / "briefing_2020-05-01.html"
    path.write_text(
        "<html><body><p>MR. EARNEST: The ferry schedule changes in March.</p>"
        "<p>MR. EARNEST: The bridge reopens in May.</p></body></html>",
        encoding="utf-8",
    )
    doc = read(path)
    assert doc.transcript.title == "briefing 2020-05-01"
    assert [p.text for p in doc.transcript.paragraphs] == [
        "The ferry schedule changes in March.",
        "The bridge reopens in May.",
    ]


UTF16 = {
    "talk.srt": "1\n00:00:01,000 --> 00:00:03,000\n<v Zoë Brontë>Les écluses ferment à midi.\n",
    "talk.vtt": "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Zoë Brontë>Les écluses ferment à midi.\n",
    "talk.json": json.dumps(
        [{"speaker": "Zoë Brontë", "text": "Les écluses ferment à midi.", "start": 1}],
        ensure_ascii=False,
    ),
    "talk.html": "<html><head><title>Écluses</title></head><body>"
    "<p>ZOË BRONTË: Les écluses ferment à midi.</p></body></html>",
}


@pytest.mark.parametrize("name", list(UTF16))
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_read(tmp_path, name, encoding):
    """UTF-16 (either byte order, with its BOM) and UTF-8-with-BOM subtitles, JSON and web
    pages are read: the byte-order mark says the encoding."""
    path = tmp_path / name
    data = UTF16[name].encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    (paragraph,) = read(path).transcript.paragraphs
    assert paragraph.text == "Les écluses ferment à midi."
    assert paragraph.speaker in ("Zoë Brontë", "Zoë Brontë".upper())
