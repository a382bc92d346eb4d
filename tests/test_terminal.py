"""Terminal escape injection: what the CLI prints from transcripts and file names is inert.

A transcript can hold ESC `]0;...BEL` (window title), ESC `[2J` (clear screen), ESC `]52;c;...`
(write the clipboard) or a C1 `U+009B` (CSI); a file name can hold newlines, carriage returns
and ESC that forge or overwrite lines of output. Printed raw, the terminal obeys them. The CLI
shows them as visible escapes; the index, the Python API and the JSON values keep them exactly.
"""

from __future__ import annotations

import json
import re

from assistant import Assistant
from assistant.cli import main
from assistant.terminal import safe, safe_json

from .conftest import write_corpus

TITLE = "\x1b]0;pwned window title\x07"
CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
CSI = "\x9b31m"
HOSTILE = (
    f"Harbour briefing {TITLE}\n\n"
    f"MAYOR RUIZ{CLEAR}: The harbour bridge repairs {TITLE}begin in May{CLIPBOARD} and the "
    f"ferry{CSI} timetable stays as it is.\n"
)
# bytes a terminal acts on: ESC, BEL, CR, C1 controls
RAW = re.compile(r"[\x1b\x07\r\x80-\x9f]")


def index(tmp_path, files):
    corpus = write_corpus(tmp_path / "corpus", files)
    return corpus, ["--index", str(tmp_path / "index")]


def test_ask_shows_escape_sequences_from_transcripts_as_text(tmp_path, capsys):
    """`verbatim ask`: no ESC, BEL or C1 byte reaches the terminal; the quote shows them as
    `\\x1b]0;...`; the stored text keeps them byte for byte."""
    corpus, where = index(tmp_path, {"harbour.txt": HOSTILE})
    assert main(["index", str(corpus), *where, "--model", "hashing-384", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", "When do the harbour bridge repairs begin?", *where]) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out), repr(out)
    flat = out.replace("\n  > ", " ")  # the quote as one line, unwrapped
    assert "\\x1b]0;pwned window title\\x07begin in May\\x1b]52;c;" in flat
    assert "\\x9b31m" in flat
    qa = Assistant.load(tmp_path / "index")
    assert qa.document_text("harbour.txt") == HOSTILE
    answer = qa.ask("When do the harbour bridge repairs begin?")
    assert CLIPBOARD in answer.passages[0].text


def test_ask_json_keeps_the_exact_text_and_is_inert(tmp_path, capsys):
    """`verbatim ask --json`: the JSON values are the exact text (escapes included), and the
    printed JSON holds no raw control byte (json escapes C0; C1 is escaped as \\u009b)."""
    corpus, where = index(tmp_path, {"harbour.txt": HOSTILE})
    assert main(["index", str(corpus), *where, "--model", "hashing-384", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", "When do the harbour bridge repairs begin?", *where, "--json"]) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out), repr(out)
    text = json.loads(out)["passages"][0]["text"]
    assert CLIPBOARD in text and CSI in text


def test_index_prints_file_names_with_newlines_cr_and_esc_as_escapes(tmp_path, capsys):
    """`verbatim index` output (added files, skipped files, errors): a name's newline, CR or
    ESC cannot forge a line or rewrite one. The index keeps the exact names."""
    good = "Briefing\n\nMR. LEE: The ferry runs every hour on weekdays.\n"
    names = ["forged\nskipped everything.txt", "over\rwrite.txt", "clear\x1b[2J.txt"]
    files = {name: good for name in names}
    files |= {"bad\n  added: fake.txt": b"", "\x1b]0;title\x07.txt": b"\x00\x01binary"}
    corpus, where = index(tmp_path, files)
    assert main(["index", str(corpus), *where, "--model", "hashing-384"]) == 0
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not RAW.search(stream), repr(stream)
    lines = captured.out.splitlines() + captured.err.splitlines()
    assert all(
        line.startswith(
            ("indexed ", "  added: ", "  skipped ", "skipped ", "3 documents", "  next: ")
        )
        for line in lines
    ), lines
    assert "forged\\nskipped everything.txt" in captured.out
    assert "over\\rwrite.txt" in captured.out and "clear\\x1b[2J.txt" in captured.out
    assert "skipped bad\\n  added: fake.txt: empty file" in captured.err
    assert sorted(Assistant.load(tmp_path / "index").index.documents) == sorted(names)


def test_errors_naming_a_hostile_path_are_one_inert_line(tmp_path, capsys):
    """An error message that quotes a path holding a newline and ESC stays one inert line."""
    missing = tmp_path / "no\nsuch\x1b[2J folder"
    assert (
        main(["index", str(missing), "--index", str(tmp_path / "i"), "--model", "hashing-384"]) == 2
    )
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and not RAW.search(err)
    assert "no\\nsuch\\x1b[2J folder does not exist" in err


def test_safe_and_safe_json_escape_only_control_characters():
    """The helpers: controls become escapes, everything else (accents, CJK, emoji, quotes) is
    left as it is; `safe_json` keeps the JSON value the same."""
    text = 'Émile 李明 🙂 "quoted" \x1b[31m\r\n\t\x7f\x9b'
    assert safe(text) == 'Émile 李明 🙂 "quoted" \\x1b[31m\\r\\n\\t\\x7f\\x9b'
    assert safe("a\nb\tc\x1b", keep="\n\t") == "a\nb\tc\\x1b"
    encoded = json.dumps({"t": text}, ensure_ascii=False)
    assert json.loads(safe_json(encoded)) == {"t": text}
    assert not RAW.search(safe_json(encoded))
