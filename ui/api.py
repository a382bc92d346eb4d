"""The JSON HTTP API, versioned under `/api/v1`, and the FastAPI application it lives on.

    POST /api/v1/ask        {"question": ..., "k", "history", "speaker", "document", "date_from",
                             "date_to"} -> the `Answer` (exactly `Assistant.ask(...).to_dict()`)
    GET  /api/v1/documents  the indexed transcripts
    GET  /api/v1/speakers   the speakers
    POST /api/v1/check      {"text", "speaker", "k"} -> the quote check's report
    POST /api/v1/timeline   {"query", "speaker", "date_from", "date_to", "mode"} -> the timeline

`check` and `timeline` are served when the loaded `Assistant` has them. The OpenAPI description is
at `/api/v1/openapi.json` and the interactive docs at `/api/docs` (Swagger UI served from this
machine: no CDN). A body of the wrong shape gets 422 naming the field; a value the search refuses
(an unknown speaker or document, a malformed date) gets 400 with the message `ask` gives; a full
server 503 at once; a missing or wrong credential 401. `create_app` builds the application; the
chat UI (`ui.app`) and, with `mcp=True`, the MCP endpoint (`ui.mcp_server`) are mounted on it.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import logging
import typing
from collections.abc import AsyncIterator, Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Request, Security
from fastapi.exceptions import HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from assistant.answers import Answer
from assistant.api import Assistant
from assistant.retrieval import MAX_K
from ui.auth import Credentials
from ui.limits import Busy, Limiter

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
OPENAPI_URL = f"{PREFIX}/openapi.json"
DOCS_URL = "/api/docs"
DOCS_ASSETS = "/api/docs/assets"
MAX_BODY_BYTES = 2 * 1024 * 1024  # a pasted article is well under this; a flood is refused
FAILED = "The search failed; the error is in the server's log."

try:
    VERSION = version("verbatim")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "0.0.0"

DESCRIPTION = """
Questions in, **verbatim** transcript passages out. Every passage is the exact text of the
transcript, with a citation (document, title, date, speaker, paragraph, character offsets into
the document's text, page or time). Nothing is paraphrased or generated: when nothing in the
transcripts answers, the answer says so (`answered: false` and a `reason`).

Programs quoting these passages should quote them exactly, with their citation.
"""


# ----------------------------------------------------------------------------- request bodies
_STRICT = ConfigDict(extra="forbid", strict=True)
Names = str | list[str] | None
DATE_HELP = "ISO date, YYYY-MM-DD (inclusive)"


class AskRequest(BaseModel):
    """A question, with the conversation so far and the filters of the chat."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [
                {
                    "question": "How do localities and departments take part in the Party's "
                    "foreign affairs work?",
                    "k": 5,
                }
            ]
        },
    )

    question: str = Field(description="The question, in plain language.")
    k: int = Field(5, ge=1, le=MAX_K, description="How many passages at most.")
    history: list[str] = Field(
        default_factory=list,
        description="The conversation's earlier questions, oldest first, for follow-ups.",
    )
    speaker: Names = Field(
        None,
        description="Only passages by this speaker (a part of the name is enough; a list "
        "for several).",
    )
    document: Names = Field(
        None,
        description="Only this transcript (path relative to the corpus, file name or "
        "stem; a list for several).",
    )
    date_from: str | None = Field(
        None, description=f"Only transcripts dated on or after: {DATE_HELP}."
    )
    date_to: str | None = Field(
        None, description=f"Only transcripts dated on or before: {DATE_HELP}."
    )


class CheckRequest(BaseModel):
    """A quote, or a longer text (an article, a chatbot's answer) whose quotes are checked."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [
                {
                    "text": '"We have always worked closely with local governments"',
                    "speaker": "Li Wei",
                }
            ]
        },
    )

    text: str = Field(description="One quote, or a text whose quoted strings are each checked.")
    speaker: str | None = Field(None, description="Who a bare quote is claimed to be by.")
    k: int = Field(3, ge=1, le=20, description="Similar passages at most, for a quote not found.")


class TimelineRequest(BaseModel):
    """A phrase or topic across the dated transcripts."""

    model_config = ConfigDict(
        **_STRICT, json_schema_extra={"examples": [{"query": "transitory", "speaker": "Powell"}]}
    )

    query: str = Field(description="A phrase to count, or a topic to follow.")
    speaker: Names = Field(None, description="Only this speaker's words.")
    date_from: str | None = Field(None, description=f"From this date: {DATE_HELP}.")
    date_to: str | None = Field(None, description=f"Up to this date: {DATE_HELP}.")
    mode: str = Field("auto", description="Phrase counts, topic passages, or both (`auto`).")


class DocumentRow(BaseModel):
    document: str = Field(description="Path relative to the corpus root, as citations name it.")
    title: str
    date: str | None = Field(description="YYYY-MM-DD, or null when the transcript is undated.")
    speakers: list[str]
    passages: int


class Documents(BaseModel):
    documents: list[DocumentRow]


class Speakers(BaseModel):
    speakers: list[str]


class Problem(BaseModel):
    detail: str = Field(description="What was wrong, in words meant for the person asking.")


# ----------------------------------------------------------------------------- the routes
def _json(data: Any) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")


def _returns(method: Callable[..., Any]) -> Any:
    """The return type of one of `Assistant`'s methods, for the OpenAPI schema: its JSON has the
    same field names (`to_dict()`). A plain object when the type cannot be described."""
    try:
        returned = typing.get_type_hints(method).get("return", dict[str, Any])
        TypeAdapter(returned).json_schema()
    except Exception:  # an annotation that does not resolve, or a type pydantic cannot describe
        return dict[str, Any]
    return returned


def _capable(assistant: Any, name: str) -> bool:
    return callable(getattr(assistant, name, None))


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A value the search refuses (the message says why)."},
    401: {"model": Problem, "description": "Credentials missing or wrong (when auth is on)."},
    413: {"model": Problem, "description": "The body is larger than the server accepts."},
    503: {"model": Problem, "description": "Busy: every slot and place in line is taken."},
}


def router(assistant: Assistant, limiter: Limiter, credentials: Credentials) -> APIRouter:
    """The `/api/v1` routes over one loaded `Assistant`."""
    dependencies = [Depends(_body_limit)]
    if credentials.required:
        dependencies.append(Depends(_guard(credentials)))
    api = APIRouter(prefix=PREFIX, dependencies=dependencies, responses=ERRORS)

    async def call(fn: Callable[..., Any], /, **kwargs: Any) -> Response:
        try:
            result = await limiter.run(fn, **kwargs)
        except Busy as busy:
            raise HTTPException(503, str(busy), headers={"Retry-After": "1"}) from None
        except ValueError as error:  # the search's own message: unknown speaker, bad date...
            raise HTTPException(400, str(error)) from None
        except Exception:
            log.exception("API call %s failed", getattr(fn, "__name__", fn))
            raise HTTPException(500, FAILED) from None
        return _json(result)

    @api.post(
        "/ask",
        summary="Ask a question; get verbatim, cited passages",
        response_class=JSONResponse,
        responses={200: {"model": Answer, "description": "`Assistant.ask(...).to_dict()`"}},
        operation_id="ask",
    )
    async def ask(body: AskRequest) -> Response:
        """The passages that answer the question, best first, each the transcript's exact words
        with its citation; or `answered: false` with the `reason` when nothing answers."""

        def run() -> dict[str, Any]:
            return assistant.ask(
                body.question,
                k=body.k,
                history=body.history or None,
                speaker=body.speaker or None,
                document=body.document or None,
                date_from=body.date_from or None,
                date_to=body.date_to or None,
            ).to_dict()

        return await call(run)

    @api.get(
        "/documents",
        summary="The indexed transcripts",
        response_model=Documents,
        operation_id="documents",
    )
    async def documents() -> Response:
        """Every indexed transcript, oldest first: its document path (as citations name it),
        title, date, speakers and number of passages."""
        return await call(lambda: {"documents": assistant.documents()})

    @api.get(
        "/speakers",
        summary="The speakers",
        response_model=Speakers,
        operation_id="speakers",
    )
    async def speakers() -> Response:
        """Every speaker of the indexed transcripts, as the `speaker` filter matches them."""
        return await call(lambda: {"speakers": assistant.speakers})

    if _capable(assistant, "check"):

        @api.post(
            "/check",
            summary="Check quotes against the transcripts",
            response_class=JSONResponse,
            responses={200: {"model": _returns(assistant.check)}},
            operation_id="check",
        )
        async def check(body: CheckRequest) -> Response:
            """Whether, where, when and by whom each quote was said: `exact`, `close` (with
            every word that differs) or `not_found` (with passages similar in meaning, labelled
            as such), each match with its citation, whether the claimed speaker said it, and
            whether it was said when the text says ("Powell said in June 2022")."""
            return await call(
                lambda: assistant.check(body.text, speaker=body.speaker, k=body.k).to_dict()
            )

    if _capable(assistant, "timeline"):

        @api.post(
            "/timeline",
            summary="A phrase or topic across the dated transcripts",
            response_class=JSONResponse,
            responses={200: {"model": _returns(assistant.timeline)}},
            operation_id="timeline",
        )
        async def timeline(body: TimelineRequest) -> Response:
            """One row per dated transcript, in date order: how often the phrase was said, its
            rate per 10,000 words, how many passages speak about it, and the best quotes."""
            return await call(
                lambda: assistant.timeline(
                    body.query,
                    speaker=body.speaker or None,
                    date_from=body.date_from or None,
                    date_to=body.date_to or None,
                    mode=body.mode,
                ).to_dict()
            )

    return api


def _body_limit(request: Request) -> None:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise HTTPException(
            413,
            f"The body is {int(length):,} bytes; this server accepts at most {MAX_BODY_BYTES:,}.",
        )


class _DeclaredBasic(HTTPBasic):
    """Declares HTTP Basic in the OpenAPI document; `Credentials` does the checking."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


class _DeclaredBearer(HTTPBearer):
    """Declares a bearer token in the OpenAPI document; `Credentials` does the checking."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


def _guard(credentials: Credentials) -> Callable[..., Any]:
    """A dependency that refuses a request without the right `Authorization` header. The
    schemes are declared (for OpenAPI and the docs' Authorize button); the check is ours."""
    basic = _DeclaredBasic(
        auto_error=False,
        scheme_name="basic",
        description="The user and password given to `verbatim serve --auth`.",
    )
    bearer = _DeclaredBearer(
        auto_error=False,
        scheme_name="token",
        description="The token in `VERBATIM_TOKEN` when the server started.",
    )
    # Defaults, not Annotated aliases: annotations are strings here, resolved in module globals.
    b, t = Security(basic), Security(bearer)

    def check(request: Request) -> None:
        if not credentials.accepts(request.headers.get("authorization")):
            raise HTTPException(
                401,
                "Credentials are required: HTTP Basic with the server's user and password, or "
                "a bearer token.",
                headers={"WWW-Authenticate": credentials.challenge()},
            )

    if credentials.password is not None and credentials.token is not None:

        async def guard(request: Request, _b: Any = b, _t: Any = t):
            check(request)

    elif credentials.password is not None:

        async def guard(request: Request, _b: Any = b):  # type: ignore[misc]
            check(request)

    else:

        async def guard(request: Request, _t: Any = t):  # type: ignore[misc]
            check(request)

    return guard


# ----------------------------------------------------------------------------- the application
def _docs_assets() -> Any:
    """Swagger UI's script, stylesheet and icon, shipped in the `fastapi-offline` package."""
    return importlib.resources.files("fastapi_offline") / "static"


def create_app(
    assistant: Assistant,
    *,
    credentials: Credentials | None = None,
    limiter: Limiter | None = None,
    mcp: bool = False,
    host: str = "127.0.0.1",
) -> FastAPI:
    """The FastAPI application: the `/api/v1` routes, their OpenAPI and docs and, with `mcp`,
    the MCP endpoint at `/mcp`. `ui.app.launch` mounts the chat UI on it at `/`."""
    credentials = credentials or Credentials()
    limiter = limiter or Limiter()
    mcp_app = None
    if mcp:
        from ui.mcp_server import http_app

        mcp_app = http_app(assistant, credentials=credentials, limiter=limiter, host=host)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with mcp_app.router.lifespan_context(mcp_app) if mcp_app else _nothing():
            yield

    app = FastAPI(
        title="Verbatim API",
        version=VERSION,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.limiter = limiter  # the running and waiting requests, for operators and tests
    app.include_router(router(assistant, limiter, credentials))
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(_docs_assets())), name="api-docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="Verbatim API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url=None,
            # no badge fetched from the online validator
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        )

    if mcp_app is not None:
        app.router.routes.extend(mcp_app.routes)
    return app


@contextlib.asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield
