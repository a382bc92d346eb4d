"""The chat UI: ask in plain language, read quoted and cited passages. Gradio 6.

`build_app(assistant)` makes the Blocks; `launch(app, ...)` serves them with this product's
settings (local only, no analytics, no external fonts, a bounded queue), mounted on the FastAPI
application of `ui.api` (the JSON API under `/api/v1`, and MCP at `/mcp` when asked for);
`serve(index_dir, ...)` is what `verbatim serve` calls. The chat shows only what `ui.render` produces from an `Answer`:
quotes, citations and fixed interface wording. Developers get the same `Answer` as JSON from the
named endpoint `/ask` (`gradio_client.Client(url).predict(question, api_name="/ask")`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import weakref
from pathlib import Path
from typing import Any

# No request leaves the machine: Gradio's analytics and version check, and any Hugging Face hub
# look-up (the model is packaged), are off. Set before Gradio is imported (it reads them once).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import gradio as gr
import uvicorn
from fastapi import FastAPI

from assistant.answers import Answer
from assistant.api import Assistant
from ui.auth import Credentials
from ui.auth import parse_auth as parse_auth  # re-exported: the UI's tests and callers
from ui.check_tab import check_tab
from ui.examples import ASK, with_documents
from ui.exports import MAX_EXPORTS, Exports
from ui.render import (
    EMPTY_QUESTION,
    answer_html,
    conversation_markdown,
    notice_html,
    question_html,
)
from ui.timeline_tab import CSS as TIMELINE_CSS
from ui.timeline_tab import timeline_api, timeline_tab

log = logging.getLogger(__name__)

# The settings above, applied again at launch in case something changed them since.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
}

# How the chat completes its note on transcripts changed since indexing: fixed wording, no paths.
STALE_HINT = "the server's operator can index them again"
MAX_PASSAGES = 20
DEFAULT_PASSAGES = 5
# Retrieval is CPU-bound and takes well under a second: a few at a time keeps the machine
# responsive, and a bounded queue turns a flood of requests into an immediate refusal instead of
# unbounded memory and waits. When it is full, Gradio answers HTTP 503: the page shows "This
# application is currently busy. Please try again." and `gradio_client` raises
# `QueueError("Queue is full! Please try again.")`; nothing waits silently.
QUEUE: dict[str, Any] = {
    "default_concurrency_limit": 4,
    "max_size": 64,
    # Queue positions sent to waiting browsers every 2 s rather than to every waiting request
    # each time a search starts: with 50 waiting that was 50 messages per answer to write, send
    # and parse, for a wait that lasts a second or two.
    "status_update_rate": 2,
}
# After every event Gradio rebuilds a pandas summary of its last 10,000 events, for a monitoring
# page this app does not serve: ~4 ms of CPU per answer at 1,000 events, ~16 ms at 10,000, so
# served throughput fell the longer a server ran. Read when the queue is created.
GRADIO_QUEUE_ENV = {
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(10**9),  # never recomputed
    "GRADIO_ANALYTICS_MAX_EVENTS": "1000",  # and a smaller record of recent events
}


class LocalFilesOnly:
    """ASGI middleware: refuse Gradio's routes that fetch from elsewhere on a client's behalf.

    `/gradio_api/file=<http(s) URL>` makes Gradio download that URL server-side and
    `/gradio_api/proxy=` forwards to loaded Spaces; this app needs neither, and either would be a
    network call at run time. Local paths are left to Gradio's own check (only its cache of
    files this app created is served)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _fetches_elsewhere(scope.get("path", "")):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": b"Not served: local files only."})
            return
        await self.app(scope, receive, send)


def _fetches_elsewhere(path: str) -> bool:
    """True for `.../file=<scheme>:...`, `.../file=//host/...` and `.../proxy=...` paths."""
    for route in ("/file=", "/proxy="):
        _, found, target = path.partition(route)
        if not found:
            continue
        if route == "/proxy=":
            return True
        target = target.strip().lower()
        scheme, colon, _ = target.partition(":")
        if target.startswith("//") or (colon and scheme.isalpha() and len(scheme) > 1):
            return True
    return False


# System fonts only: the default theme would fetch Google Fonts from the reader's browser.
THEME = gr.themes.Soft(
    primary_hue="indigo",
    neutral_hue="slate",
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#vb-header h1 { margin-bottom: 0.1rem; }
#vb-header p { margin-top: 0; color: var(--body-text-color-subdued); }
.vb-answer { font-size: 15px; line-height: 1.5; }
.vb-answer p { margin: 0; }
.vb-summary { font-weight: 600; margin-bottom: 0.35rem !important; }
.vb-declined .vb-summary, .vb-notice .vb-summary { font-weight: 500; }
.vb-notice .vb-summary { color: var(--body-text-color-subdued); }
.vb-note { color: var(--body-text-color-subdued); font-size: 0.85em; margin-bottom: 0.3rem !important; }
.vb-passage {
  position: relative; margin: 0.7rem 0; padding: 0.75rem 1rem 0.6rem 2.7rem;
  border: 1px solid var(--border-color-primary); border-radius: 10px;
  background: var(--background-fill-primary);
}
.vb-num {
  position: absolute; left: 0.75rem; top: 0.85rem; width: 1.35rem; height: 1.35rem;
  border-radius: 50%; background: var(--color-accent-soft); color: var(--color-accent);
  font-size: 0.75rem; font-weight: 700; line-height: 1.35rem; text-align: center;
}
.vb-answer blockquote.vb-quote {
  margin: 0 0 0.55rem 0 !important; padding: 0.05rem 0 0.05rem 0.85rem !important;
  border-left: 3px solid var(--color-accent) !important;
  font-family: Georgia, "Times New Roman", serif; font-size: 1.03em; line-height: 1.6;
  color: var(--body-text-color); font-style: normal; white-space: normal;
}
.vb-answer mark.vb-hl {
  background: rgba(255, 213, 79, 0.45); color: inherit; padding: 0.05em 0.1em; border-radius: 3px;
}
.vb-cite { font-size: 0.9em; }
.vb-speaker { font-weight: 650; }
.vb-title { font-style: italic; }
.vb-sep { color: var(--body-text-color-subdued); }
.vb-where { font-family: var(--font-mono); font-size: 0.75em; color: var(--body-text-color-subdued); }
.vb-tools { margin-top: 0.35rem; }
.vb-citation-text { display: none; }
.vb-answer button.vb-copy {
  font-size: 0.78em; padding: 0.1rem 0.6rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  color: var(--body-text-color);
}
.vb-answer button.vb-copy:hover { border-color: var(--color-accent); }
.vb-context { margin-top: 0.4rem; font-size: 0.9em; }
.vb-context summary { cursor: pointer; color: var(--color-accent); font-weight: 600; }
.vb-ctx-label { margin-top: 0.45rem !important; font-size: 0.8em; color: var(--body-text-color-subdued);
  text-transform: uppercase; letter-spacing: 0.03em; }
.vb-answer blockquote.vb-ctx-quote {
  margin: 0.15rem 0 0 0 !important; padding: 0 0 0 0.8rem !important;
  border-left: 2px solid var(--border-color-primary) !important;
  font-family: Georgia, "Times New Roman", serif; color: var(--body-text-color-subdued);
}
.vb-question { white-space: pre-wrap; }
#vb-corpus-note p { color: var(--body-text-color-subdued); }
"""

# Copy a citation: one delegated listener, since chat messages are re-rendered at will.
JS = """
() => {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest ? event.target.closest("button.vb-copy") : null;
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    // The sanitiser drops data-* attributes; the citation is the text of a sibling element.
    const source = button.parentElement && button.parentElement.querySelector(".vb-citation-text");
    const text = source ? source.textContent : "";
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (ignored) {}
      area.remove();
    }
    button.textContent = copied ? "Copied" : "Copy failed";
    setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
  }, true);
}
"""


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def chat_messages(
    turns: list[dict[str, Any]], reindex_command: str | None = None
) -> list[dict[str, str]]:
    """The chat, rebuilt from the conversation's turns (the single source of truth)."""
    messages: list[dict[str, str]] = []
    for turn in turns:
        if turn["question"]:
            messages.append({"role": "user", "content": question_html(turn["question"])})
        if turn.get("notice"):
            content = notice_html(turn["notice"])
        else:
            content = answer_html(Answer.from_dict(turn["answer"]), reindex_command)
        messages.append({"role": "assistant", "content": content})
    return messages


def _corpus_rows(assistant: Assistant) -> list[list[Any]]:
    rows = []
    for doc in assistant.documents():
        speakers = doc["speakers"]
        shown = ", ".join(speakers[:8]) + (
            f" (+{len(speakers) - 8} more)" if len(speakers) > 8 else ""
        )
        rows.append([doc["document"], doc["title"], doc["date"] or "", shown, doc["passages"]])
    return rows


def build_app(assistant: Assistant, *, max_exports: int = MAX_EXPORTS) -> gr.Blocks:
    """The chat UI over one loaded `Assistant`. At most `max_exports` sessions keep an exported
    conversation on disk (`ui.exports`)."""
    documents = assistant.documents()
    examples = with_documents(ASK, [d["document"] for d in documents])
    # Chat users read this, so it names no folder of the server (the command is in its log).
    reindex = STALE_HINT
    exports = Exports(max_exports, on_remove=lambda path: _forget_served(export, path))

    def export_file(turns: list[dict[str, Any]], session: str | None = None) -> Any:
        """The conversation so far as a Markdown file: one file per browser session, rewritten
        after each turn, so exports do not pile up on disk."""
        if not turns:
            return gr.DownloadButton(value=None, interactive=False)
        path = exports.write(session, conversation_markdown(turns, reindex))
        return gr.DownloadButton(value=str(path), interactive=True)

    def forget_session(request: gr.Request) -> None:
        """The page was closed: its export goes too."""
        exports.discard(getattr(request, "session_hash", None))

    def respond(
        question: str | None,
        turns: list[dict[str, Any]] | None,
        chosen_documents: list[str] | None,
        chosen_speakers: list[str] | None,
        date_from: str | None,
        date_to: str | None,
        k: float,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        turns = list(turns or [])
        question = (question or "").strip()
        keep_in_box = ""
        if not question:
            turns.append({"question": "", "answer": None, "notice": EMPTY_QUESTION})
        else:
            history = [t["question"] for t in turns if t.get("answer")]
            try:
                answer = assistant.ask(
                    question,
                    k=int(k or DEFAULT_PASSAGES),
                    history=history,
                    speaker=chosen_speakers or None,
                    document=chosen_documents or None,
                    date_from=_clean(date_from),
                    date_to=_clean(date_to),
                )
            except ValueError as error:  # bad filter values: say so, keep the question to retry
                turns.append({"question": question, "answer": None, "notice": str(error)})
                keep_in_box = question
            except Exception:  # never a traceback in the chat
                log.exception("search failed for %r", question)
                turns.append(
                    {
                        "question": question,
                        "answer": None,
                        "notice": "The search failed; the error is in the server's log.",
                    }
                )
                keep_in_box = question
            else:
                turns.append({"question": question, "answer": answer.to_dict(), "notice": None})
        session = getattr(request, "session_hash", None)
        return chat_messages(turns, reindex), turns, keep_in_box, export_file(turns, session)

    def clear() -> tuple[Any, ...]:
        return [], [], "", export_file([])

    def ask(
        question: str,
        k: int = DEFAULT_PASSAGES,
        speaker: list[str] | None = None,
        document: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        history: list[str] | None = None,
    ) -> dict[str, Any]:
        """The structured answer (the fields of `Answer`): verbatim passages with citations, or
        answered=false with the reason. `history` holds earlier questions, for follow-ups."""
        try:
            return assistant.ask(
                question,
                k=int(k),
                history=history or None,
                speaker=speaker or None,
                document=document or None,
                date_from=_clean(date_from),
                date_to=_clean(date_to),
            ).to_dict()
        except ValueError as error:
            raise gr.Error(str(error)) from None

    # Gradio's own copies of served files (the exports) are deleted after a day.
    with gr.Blocks(title="Verbatim", analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        turns = gr.State([])
        with gr.Column(elem_id="vb-header"):
            gr.Markdown(
                "# Verbatim\n"
                "Ask about the transcripts. Every answer is quoted word for word from them, "
                "with who said it, where and when. Nothing is paraphrased."
            )
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        show_label=False,
                        elem_id="vb-chat",
                        height=640,
                        layout="panel",
                        sanitize_html=True,
                        render_markdown=True,
                        latex_delimiters=[],
                        allow_tags=False,
                        feedback_options=None,
                        buttons=[],
                        group_consecutive_messages=False,
                        placeholder=(
                            "**Ask a question about the transcripts.**<br>"
                            "Answers are passages quoted verbatim, each with its source."
                        ),
                    )
                    with gr.Row(equal_height=False):
                        question = gr.Textbox(
                            elem_id="vb-question",
                            show_label=False,
                            placeholder=(
                                f"Ask a question, e.g. {examples[0]}"
                                if examples
                                else "Ask a question about these transcripts"
                            ),
                            lines=1,
                            max_lines=4,
                            scale=5,
                            autofocus=True,
                        )
                        ask_button = gr.Button("Ask", variant="primary", scale=1, min_width=90)
                    if examples:
                        gr.Examples(
                            examples=[[q] for q in examples],
                            inputs=[question],
                            label="Example questions",
                        )
                with gr.Column(scale=1, min_width=260):
                    gr.Markdown("### Filters")
                    document_filter = gr.Dropdown(
                        choices=[
                            (f"{d['title']} ({d['date'] or 'undated'})", d["document"])
                            for d in documents
                        ],
                        value=[],
                        multiselect=True,
                        label="Transcripts",
                        info="Empty: all transcripts",
                        elem_id="vb-documents",
                    )
                    speaker_filter = gr.Dropdown(
                        choices=assistant.speakers,
                        value=[],
                        multiselect=True,
                        label="Speakers",
                        info="Empty: everyone",
                        elem_id="vb-speakers",
                    )
                    with gr.Row():
                        date_from = gr.Textbox(
                            label="From",
                            placeholder="YYYY-MM-DD",
                            elem_id="vb-date-from",
                            min_width=110,
                        )
                        date_to = gr.Textbox(
                            label="To",
                            placeholder="YYYY-MM-DD",
                            elem_id="vb-date-to",
                            min_width=110,
                        )
                    passages = gr.Slider(
                        1,
                        MAX_PASSAGES,
                        value=DEFAULT_PASSAGES,
                        step=1,
                        label="Passages",
                        elem_id="vb-k",
                    )
                    export = gr.DownloadButton(
                        "Export conversation (Markdown)",
                        value=None,
                        interactive=False,
                        size="md",
                        elem_id="vb-export",
                    )
                    clear_button = gr.Button("New conversation", size="md", elem_id="vb-clear")
            timeline_tab(assistant, exports)
            check_tab(assistant)
            with gr.Tab("Corpus", id="corpus"):
                n_passages = sum(d["passages"] for d in documents)
                gr.Markdown(
                    f"{len(documents)} transcripts indexed, {n_passages} passages, "
                    f"{len(assistant.speakers)} speakers.",
                    elem_id="vb-corpus-note",
                )
                gr.Dataframe(
                    value=_corpus_rows(assistant),
                    headers=["Document", "Title", "Date", "Speakers", "Passages"],
                    datatype=["str", "str", "str", "str", "number"],
                    interactive=False,
                    wrap=True,
                    max_height=640,
                    elem_id="vb-corpus",
                )

        inputs = [question, turns, document_filter, speaker_filter, date_from, date_to, passages]
        outputs = [chatbot, turns, question, export]
        for trigger in (ask_button.click, question.submit):
            trigger(respond, inputs, outputs, api_visibility="private")
        clear_button.click(clear, None, outputs, api_visibility="private")
        chatbot.clear(clear, None, outputs, api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(timeline_api(assistant), api_name="timeline")
        app.unload(forget_session)
    app.exports = exports  # type: ignore[attr-defined]
    weakref.finalize(app, exports.close)
    return app


def _forget_served(button: gr.DownloadButton, path: Path) -> None:
    """Gradio remembers each file it served (to delete it later); drop a removed export."""
    served = getattr(button, "temp_files", None)
    if isinstance(served, set):
        served.discard(str(path))
        served.discard(str(path.resolve()))


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for servers started by tests, benchmarks and screenshots."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check_port(host: str, port: int) -> None:
    """Fail before anything is started when the address cannot be bound, saying which."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OSError(
                f"cannot listen on {host}:{port} ({error.strerror or error}); "
                "is another server using it? Choose another with --port"
            ) from None


class _ServerThread(uvicorn.Server):
    """uvicorn in a background thread; `Blocks.close()` stops it (as it stops Gradio's own)."""

    def install_signal_handlers(self) -> None:  # not the main thread: no signals
        pass

    def start(self, timeout: float = 120.0) -> None:
        self.thread = threading.Thread(target=self.run, daemon=True, name="verbatim-server")
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise OSError("the server did not start; see the messages above")
            time.sleep(0.01)

    def close(self) -> None:
        self.should_exit = True
        self.thread.join(timeout=30)


def server_app(
    blocks: gr.Blocks,
    *,
    assistant: Assistant | None = None,
    credentials: Credentials | None = None,
    queue: dict[str, Any] | None = None,
    mcp: bool = False,
    host: str = "127.0.0.1",
    port: int = 7860,
) -> FastAPI:
    """The whole served application: the JSON API (and MCP) of `ui.api` over `assistant`, with
    the chat UI `blocks` mounted at `/`, its queue and the API bounded by the same limits."""
    from ui.api import create_app
    from ui.limits import Limiter

    credentials = credentials or Credentials()
    settings = {**QUEUE, **(queue or {})}
    for name, value in GRADIO_QUEUE_ENV.items():
        os.environ.setdefault(name, value)
    blocks.queue(**settings)
    if assistant is not None:
        limiter = Limiter(settings["default_concurrency_limit"], settings["max_size"])
        app = create_app(assistant, credentials=credentials, limiter=limiter, mcp=mcp, host=host)
    else:  # the chat alone (no assistant to answer the API)
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(LocalFilesOnly)
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        server_name=host,
        server_port=port,
        footer_links=["api", "settings"],
        auth=credentials.login if credentials.required else None,
        show_error=False,
        ssr_mode=False,
        theme=THEME,
        css=CSS + TIMELINE_CSS,
        js=JS,
    )


def launch(
    app: gr.Blocks,
    *,
    assistant: Assistant | None = None,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    token: str | None = None,
    mcp: bool = False,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
    queue: dict[str, Any] | None = None,
) -> str:
    """Serve the chat UI `app` (with the JSON API and, with `mcp`, the MCP endpoint over
    `assistant`) with this product's settings: local only, no analytics, no external fonts,
    bounded queues (`queue` overrides `QUEUE`). `auth` is "user:password" and `token` a bearer
    token (`ui.auth`). Returns the URL; with `prevent_thread_lock` the server runs in a thread
    until `app.close()`, otherwise until interrupted."""
    os.environ.update(OFFLINE_ENV)
    credentials = Credentials.from_settings(auth, token)
    _check_port(host, port)
    served = server_app(
        app,
        assistant=assistant,
        credentials=credentials,
        queue=queue,
        mcp=mcp,
        host=host,
        port=port,
    )
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    config = uvicorn.Config(
        served,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    if not quiet:
        parts = [f"Verbatim: {url}"]
        if assistant is not None:
            parts.append(f"JSON API {url}api/v1 (docs {url}api/docs)")
        if mcp and assistant is not None:
            parts.append(f"MCP {url}mcp")
        print("; ".join(parts), flush=True)
    if prevent_thread_lock:
        server = _ServerThread(config)
        server.start()
        app.server = server  # so that app.close() stops it
        return url
    # Ctrl-C or SIGTERM: a graceful shutdown, then uvicorn re-raises the signal it handled.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return url


def serve(
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    token: str | None = None,
    mcp: bool = False,
    assistant: Assistant | None = None,
) -> None:
    """Open the index at `index_dir` (or serve `assistant`, e.g. one answered by replicas) and
    serve the chat UI, the JSON API and (with `mcp`) the MCP endpoint until interrupted."""
    Credentials.from_settings(auth, token)  # a malformed value fails before the index is loaded
    assistant = assistant or Assistant.load(index_dir)
    stale = assistant.stale_documents()
    if stale:
        log.warning(
            "%d transcript(s) changed since indexing are left out of answers; %s",
            len(stale),
            assistant.reindex_command(),
        )
    app = build_app(assistant)
    _stop_on_sigterm()
    try:
        launch(
            app,
            assistant=assistant,
            host=host,
            port=port,
            auth=auth,
            token=token,
            mcp=mcp,
        )
    finally:
        app.exports.close()  # type: ignore[attr-defined]


def _stop_on_sigterm() -> None:
    """SIGTERM (`kill`, `docker stop`, systemd) stops the server as Ctrl-C does: Gradio closes,
    and the exports and Gradio's cached files are removed instead of left in the temp folder."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread: signals are not ours
        signal.signal(signal.SIGTERM, interrupt)
