"""The chat through Gradio's queue, as any client can call it: exports stay bounded and are
removed, and no answer shows the server's folders.

The chat handler is private in the API listing but callable through the queue with any session
id. Before, each call left a Markdown file in a temporary folder never deleted, even after the
server exited; and the note on transcripts changed since indexing showed every chat user the
server's absolute corpus and index paths.
"""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")

from assistant import Assistant  # noqa: E402
from ui.app import build_app, free_port, launch  # noqa: E402
from ui.exports import FILE_NAME, PREFIX, Exports  # noqa: E402

from .conftest import REPO, SMALL_CORPUS, write_corpus  # noqa: E402

QUESTION = "Why did the Committee raise rates by three quarters of a point?"


def chat(url: str, fn_index: int, session: str, question: str) -> dict:
    """One call of the chat handler through the queue, as a browser (or anyone) makes it."""
    with httpx.Client(base_url=url, timeout=120) as client:
        joined = client.post(
            "/gradio_api/queue/join",
            json={
                "data": [question, None, [], [], "", "", 5],
                "fn_index": fn_index,
                "session_hash": session,
                "event_data": None,
                "trigger_id": None,
            },
        )
        joined.raise_for_status()
        with client.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": session}
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        assert message["success"], message
                        return message["output"]
    raise AssertionError("the queue closed without an answer")


def chat_handler(url: str) -> int:
    """The id of the Ask tab's handler: the event whose outputs include the export button."""
    config = httpx.get(url + "config", timeout=30).json()
    export = next(
        c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "vb-export"
    )
    return next(
        d["id"]
        for d in config["dependencies"]
        if export in d.get("outputs", []) and len(d.get("inputs", [])) == 7
    )


def exports_on_disk(folder: Path) -> list[Path]:
    return sorted(folder.rglob(FILE_NAME))


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A small corpus served in-process, with Gradio's file cache in a folder of the test."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    qa = Assistant.build(corpus, tmp_path / "index", model="hashing-384")
    app = build_app(qa, max_exports=3)
    url = launch(app, port=free_port(), prevent_thread_lock=True, quiet=True)
    yield url, app, corpus, tmp_path
    app.close()
    app.exports.close()


def test_chat_calls_with_any_session_ids_keep_at_most_the_limit_of_exports(served):
    """Ten sessions made up by a client: at most `max_exports` (3) files exist, in Gradio's cache
    where they are served from (no copy per call), the latest sessions' ones; a session asking
    again rewrites its own file."""
    url, app, _, tmp_path = served
    fn = chat_handler(url)
    for n in range(10):
        output = chat(url, fn, f"made-up-session-{n}", QUESTION)
    files = exports_on_disk(tmp_path / "gradio")
    assert len(files) == 3
    assert all(app.exports.root in f.parents for f in files)
    served_path = output["data"][3]["value"]["path"]
    assert Path(served_path) in files  # the button serves the file itself, not a copy
    chat(url, fn, "made-up-session-9", "How is the housing market?")
    files = exports_on_disk(tmp_path / "gradio")
    assert len(files) == 3
    latest = Path(chat(url, fn, "made-up-session-9", QUESTION)["data"][3]["value"]["path"])
    assert latest.read_text(encoding="utf-8").count("## ") >= 3  # all three questions


def test_the_exports_are_removed_when_the_server_exits(tmp_path):
    """A real `verbatim serve`, stopped with SIGTERM after two chats: its export folder and
    files are gone (17 such folders were left behind on one machine)."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    Assistant.build(corpus, tmp_path / "index", model="hashing-384")
    gradio_dir, tmp_dir = tmp_path / "gradio", tmp_path / "tmp"
    tmp_dir.mkdir()
    env = {
        **os.environ,
        "GRADIO_TEMP_DIR": str(gradio_dir),
        "TMPDIR": str(tmp_dir),
        "PYTHONPATH": str(REPO),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("VERBATIM_AUTH", None)
    port = free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--index", str(tmp_path / "index")]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                fn = chat_handler(url)
                break
            except (httpx.HTTPError, ValueError):
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        for session in ("first-session", "second-session"):
            chat(url, fn, session, QUESTION)
        assert len(exports_on_disk(gradio_dir)) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=120)
    assert server.returncode == 0, output
    assert not list(gradio_dir.glob(f"{PREFIX}*")), output
    assert exports_on_disk(gradio_dir) == [] and exports_on_disk(tmp_dir) == []


def test_a_crashed_servers_exports_are_swept_by_the_next(tmp_path):
    """A folder left by a server that died (SIGKILL: nothing runs) is removed when the next
    server's exports are set up; a live server's folder is left alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f"{PREFIX}{dead.pid}-abc123"
    (left / "x").mkdir(parents=True)
    (left / "x" / FILE_NAME).write_text("old conversation")
    alive = tmp_path / f"{PREFIX}{os.getppid()}-def456"
    alive.mkdir()
    exports = Exports(parent=tmp_path)
    assert not left.exists() and alive.exists() and exports.root.exists()
    exports.close()
    assert not exports.root.exists()


def test_closing_a_session_removes_its_export(tmp_path):
    """`discard` (run by `Blocks.unload` when the page is closed) removes that session's files
    (its conversation and its timeline table)."""
    exports = Exports(limit=5, parent=tmp_path)
    first = exports.write("session-a", "# one")
    second = exports.write("session-b", "# two")
    exports.discard("session-a")
    assert not first.exists() and second.exists() and len(exports) == 1
    assert exports.write("session-b", "# two, again") == second  # one file per session
    assert "session-b" not in str(second)  # the path is a keyed hash, not the session id
    table = exports.write("session-b", "date,count\n", "verbatim-timeline.csv")  # the timeline's
    assert table.parent == second.parent and len(exports) == 1
    exports.discard("session-b")
    assert not second.exists() and not table.exists()
    exports.close()


def test_chat_users_never_see_the_servers_folders(served):
    """A transcript edited after indexing: the chat's note and the declined answer's reason
    name the document relative to the corpus, never the server's corpus or index paths; the
    exported Markdown neither. (The command is for the operator's log: see test_index.)"""
    url, _, corpus, tmp_path = served
    fn = chat_handler(url)
    path = corpus / "fomc" / "fomc_2022-06-15.txt"
    path.write_text(path.read_text() + "\nQ Another question?\n", encoding="utf-8")
    output = chat(url, fn, "reader-session", QUESTION)
    page = html.unescape(json.dumps(output["data"][0], ensure_ascii=False))
    assert "left out: fomc/fomc_2022-06-15.txt; the server's operator can index them" in page
    exported = Path(output["data"][3]["value"]["path"]).read_text(encoding="utf-8")
    for shown in (page, exported):
        assert str(tmp_path) not in shown and "--index" not in shown
