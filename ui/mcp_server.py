"""Verbatim for AI assistants: an MCP server (the official `mcp` SDK) over the loaded index.

Tools:
- `ask_transcripts`: the passages that answer a question, each the transcript's exact words with
  its citation, or the reason nothing answers;
- `check_quote` (when the quote check exists): whether, where, when and by whom a quote was said.

Resources: `verbatim://transcripts` (the indexed transcripts as JSON) and
`verbatim://transcripts/{+document}` (one transcript's text, which citations' offsets index).

`verbatim mcp --index DIR` serves them over stdio (`serve_stdio`); `verbatim serve --mcp` over
Streamable HTTP at `/mcp` beside the UI and the JSON API (`http_app`), behind the same
credentials. Every tool result is text meant to be quoted, not retold: the descriptions say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from assistant.answers import Answer, Citation
from assistant.api import Assistant
from assistant.retrieval import MAX_K
from ui.api import VERSION
from ui.auth import Credentials
from ui.limits import Busy, Limiter
from ui.render import NO_ANSWER, citation_text

MCP_PATH = "/mcp"
TRANSCRIPTS_URI = "verbatim://transcripts"

INSTRUCTIONS = """\
Verbatim searches an archive of transcripts (press conferences, briefings, hearings, meetings) and
returns only the transcripts' own words. Everything its tools return from a transcript is
verbatim: when you use it, quote it exactly, in quotation marks, with its citation (speaker,
title, date, paragraph, document). Never paraphrase a passage and present it as a quote, never
merge passages, and never attribute words to someone other than the speaker the citation names.
When a tool says nothing answers, tell the user so instead of answering from memory."""

ASK_DESCRIPTION = """\
Search the indexed transcripts and return the passages that answer the question, best first.
Each passage is the transcript's exact text, with its citation: speaker, title, date, paragraph,
document and character offsets. The text is verbatim: quote it exactly and with its citation;
do not paraphrase it or present a paraphrase as a quote. If nothing in the transcripts answers,
the result says so and gives the reason: then say that the transcripts do not answer it, and do
not answer from memory. Follow-up questions: pass the earlier questions as `history`."""

CHECK_DESCRIPTION = """\
Check a quote (or every quoted string of a longer text, such as a draft or an answer you wrote)
against the transcripts: `exact` (said in these words), `close` (said with the listed word
differences: use the transcript's words instead) or `not_found` (not said; passages similar in
meaning are listed as such, never as a match). Each match gives the exact source text, its
citation, whether the claimed speaker really said it, and whether it was said when the text
says (a date beside the quote: "Powell said in March 2025").
Check quotes before you write them."""

ANNOTATIONS = ToolAnnotations(readOnlyHint=True, destructiveHint=False, openWorldHint=False)

Question = Annotated[str, Field(description="The question, in plain language.")]
K = Annotated[int, Field(ge=1, le=MAX_K, description="How many passages at most.")]
Speaker = Annotated[
    str | None, Field(description="Only passages by this speaker (a part of the name is enough).")
]
Document = Annotated[
    str | None, Field(description="Only this transcript (its document path, file name or stem).")
]
DateFrom = Annotated[
    str | None, Field(description="Only transcripts dated on or after YYYY-MM-DD.")
]
DateTo = Annotated[str | None, Field(description="Only transcripts dated on or before YYYY-MM-DD.")]
History = Annotated[
    list[str] | None, Field(description="The conversation's earlier questions, oldest first.")
]


# ----------------------------------------------------------------------------- text for assistants
def answer_text(answer: Answer) -> str:
    """The answer as an assistant should read it: numbered verbatim passages, each with the
    citation to give with it; or the plain statement that nothing answers."""
    if not answer.answered:
        reason = answer.reason or NO_ANSWER
        return (
            f"Nothing in the transcripts answers this question. {reason}\n"
            "Tell the user the transcripts do not answer it; do not answer from memory."
        )
    documents = len({p.citation.document for p in answer.passages})
    lines = [
        f"{len(answer.passages)} verbatim passage{'s' * (len(answer.passages) != 1)} from "
        f"{documents} transcript{'s' * (documents != 1)}, best first. Quote them exactly, "
        "each with its citation; do not paraphrase.",
    ]
    lines += answer.notes  # how the question was read
    for n, passage in enumerate(answer.passages, 1):
        lines += [
            "",
            f"[{n}] {_quoted(passage.text)}",
            f"    Citation: {citation_text(passage.citation)}",
        ]
        if passage.context.question:
            asker = passage.context.question_speaker or "a questioner"
            lines.append(f"    In answer to {asker}: {_quoted(passage.context.question)}")
    return "\n".join(lines)


def check_text(report: dict[str, Any]) -> str:
    """The quote check's report (its `to_dict()`), one block per quote, for an assistant."""
    quotes = report.get("quotes") or []
    if not quotes:
        return "No quote was found in the text to check."
    blocks = []
    for n, quote in enumerate(quotes, 1):
        verdict = quote.get("verdict")
        lines = [f"[{n}] {_quoted(quote.get('quote', ''))}: {verdict}"]
        if quote.get("claimed_speaker"):
            lines[0] += f" (claimed speaker: {quote['claimed_speaker']})"
        claimed_date = quote.get("claimed_date")
        if claimed_date:
            lines[0] += f" (claimed date: {claimed_date['text']})"
        for match in quote.get("matches") or []:
            citation = Citation(**match["citation"])
            lines.append(f"    Said: {_quoted(match['text'])}")
            lines.append(f"    Citation: {citation_text(citation)}")
            if match.get("speaker_matches") is False:
                lines.append(
                    f"    Not said by the claimed speaker: said by "
                    f"{citation.speaker or 'an unnamed speaker'} ({citation.role})."
                )
            if match.get("date_matches") is False and claimed_date:
                lines.append(
                    f"    Not said at the claimed date ({claimed_date['text']}): said on "
                    f"{citation.date}."
                )
            if match.get("differences"):
                lines.append(
                    f"    Differences: {json.dumps(match['differences'], ensure_ascii=False)}"
                )
        similar = quote.get("similar") or []
        if verdict == "not_found":
            lines.append("    Not found in the transcripts; do not present it as a quote.")
            if similar and quote.get("similar_from"):
                lines.append(
                    "    The similar passages below are what "
                    f"{' or '.join(quote['similar_from'])} said."
                )
            for passage in similar:
                citation = Citation(**passage["citation"])
                lines.append(
                    f"    Similar in meaning only (not a match): {_quoted(passage['text'])} "
                    f"({citation_text(citation)})"
                )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


# ----------------------------------------------------------------------------- the server
def build_server(assistant: Assistant, *, limiter: Limiter | None = None) -> MCPServer:
    """The MCP server over one loaded `Assistant`; searches run in worker threads, at most
    `limiter.running` at once (a full server answers the tool call with an error at once)."""
    limiter = limiter or Limiter()
    server = MCPServer(
        "verbatim",
        title="Verbatim",
        description="Verbatim, cited passages from an archive of transcripts.",
        instructions=INSTRUCTIONS,
        version=VERSION,
        log_level="WARNING",  # the SDK configures the root logger; INFO would log every request
    )

    async def run(fn: Callable[[], Any]) -> Any:
        """`fn` in a worker thread; refusals (a full server, a value the search refuses) reach
        the assistant as the tool's error, in the search's own words."""
        try:
            return await limiter.run(fn)
        except (Busy, ValueError) as refused:
            raise ToolError(str(refused)) from None

    async def ask_transcripts(
        question: Question,
        k: K = 5,
        speaker: Speaker = None,
        document: Document = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        history: History = None,
    ) -> CallToolResult:
        answer: Answer = await run(
            lambda: assistant.ask(
                question,
                k=k,
                history=history or None,
                speaker=speaker or None,
                document=document or None,
                date_from=date_from or None,
                date_to=date_to or None,
            )
        )
        return CallToolResult(
            content=[TextContent(type="text", text=answer_text(answer))],
            structured_content=answer.to_dict(),
        )

    server.add_tool(
        ask_transcripts,
        name="ask_transcripts",
        title="Ask the transcripts",
        description=ASK_DESCRIPTION,
        annotations=ANNOTATIONS,
    )

    if callable(getattr(assistant, "check", None)):

        async def check_quote(
            text: Annotated[
                str, Field(description="The quote, or a text whose quoted strings are checked.")
            ],
            speaker: Annotated[
                str | None, Field(description="Who the quote is claimed to be by, if anyone.")
            ] = None,
            k: Annotated[
                int, Field(ge=1, le=20, description="Similar passages at most, if not found.")
            ] = 3,
        ) -> CallToolResult:
            report = await run(lambda: assistant.check(text, speaker=speaker, k=k).to_dict())
            return CallToolResult(
                content=[TextContent(type="text", text=check_text(report))],
                structured_content=report,
            )

        server.add_tool(
            check_quote,
            name="check_quote",
            title="Check a quote",
            description=CHECK_DESCRIPTION,
            annotations=ANNOTATIONS,
        )

    @server.resource(
        TRANSCRIPTS_URI,
        name="transcripts",
        title="Indexed transcripts",
        description="Every indexed transcript: document path, title, date, speakers, passages.",
        mime_type="application/json",
    )
    def transcripts() -> str:
        return json.dumps(assistant.documents(), ensure_ascii=False)

    @server.resource(
        TRANSCRIPTS_URI + "/{+document}",
        name="transcript",
        title="One transcript's text",
        description="The transcript's canonical text: citations' start/end offsets index it.",
        mime_type="text/plain",
    )
    def transcript(document: str) -> str:
        try:
            return assistant.document_text(document)
        except KeyError as error:
            raise ResourceError(str(error.args[0])) from None

    return server


def serve_stdio(assistant: Assistant) -> None:
    """Serve the tools over stdin/stdout until the client closes them (`verbatim mcp`)."""
    build_server(assistant).run("stdio")


# ----------------------------------------------------------------------------- over HTTP
class _Guarded:
    """ASGI wrapper: the MCP endpoint takes the same credentials as the JSON API."""

    def __init__(self, app: Any, credentials: Credentials) -> None:
        self.app, self.credentials = app, credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.credentials.required:
            headers = dict(scope.get("headers") or [])
            value = headers.get(b"authorization", b"").decode("latin-1")
            if not self.credentials.accepts(value):
                body = json.dumps({"detail": "Credentials are required."}).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", self.credentials.challenge().encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(
    assistant: Assistant,
    *,
    credentials: Credentials | None = None,
    limiter: Limiter | None = None,
    host: str = "127.0.0.1",
) -> Starlette:
    """The Streamable HTTP endpoint at `/mcp`, guarded by `credentials`; its lifespan runs the
    SDK's session manager. On 127.0.0.1 the SDK's DNS-rebinding protection is on."""
    inner = build_server(assistant, limiter=limiter).streamable_http_app(
        streamable_http_path=MCP_PATH, host=host
    )
    routes = [
        Route(route.path, endpoint=_Guarded(route.app, credentials or Credentials()))
        for route in inner.routes
        if isinstance(route, Route)
    ]
    return Starlette(routes=routes, lifespan=inner.router.lifespan_context)
