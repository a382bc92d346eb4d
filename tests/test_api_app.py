"""The API application in this process: a full server answers 503 at once, and the endpoints
of capabilities the `Assistant` grows (`check`, `timeline`) appear, validate and pass through.

The index uses the instant hashing model; what is tested is the serving, not the ranking.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import pytest

httpx = pytest.importorskip("httpx")
openapi_spec_validator = pytest.importorskip("openapi_spec_validator")

from assistant.api import Assistant  # noqa: E402
from ui.app import build_app, free_port, launch  # noqa: E402

from .conftest import SMALL_CORPUS, write_corpus  # noqa: E402
from .servers import GatedAssistant  # noqa: E402

QUESTION = "Why did the Committee raise rates by three quarters of a point?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = write_corpus(tmp_path_factory.mktemp("app-corpus"), SMALL_CORPUS)
    return Assistant.build(corpus, tmp_path_factory.mktemp("app-index") / "i", model="hashing-384")


def _serve(assistant: Any, **kwargs: Any) -> tuple[str, Any]:
    app = build_app(assistant)
    url = launch(
        app, assistant=assistant, port=free_port(), prevent_thread_lock=True, quiet=True, **kwargs
    )
    return url, app


def _wait_until_admitted(app: Any, n: int) -> None:
    """Until the API has let `n` requests in (running + waiting)."""
    limiter = app.server.config.app.state.limiter  # the FastAPI app uvicorn serves
    for _ in range(1200):
        if limiter.admitted == n:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"the API never held {n} request(s)")


# ----------------------------------------------------------------------------- a full server
@pytest.fixture
def gated(qa: Assistant) -> Iterator[tuple[str, GatedAssistant, Any]]:
    """A server that runs one search at a time and lets one more wait."""
    inner = GatedAssistant(qa)
    url, app = _serve(inner, queue={"default_concurrency_limit": 1, "max_size": 1})
    yield url, inner, app
    inner.gate.set()
    app.close()


def test_a_full_api_answers_503_at_once_and_the_accepted_requests_complete(
    gated: tuple[str, GatedAssistant, Any], qa: Assistant
) -> None:
    """With one search running and one waiting, each of 10 more requests is refused at once with
    503, `Retry-After` and a reason; the two accepted ones are answered once the search ends."""
    url, inner, app = gated
    pool = ThreadPoolExecutor(2)

    def ask(question: str) -> Any:
        return httpx.post(url + "api/v1/ask", json={"question": question}, timeout=120)

    running = pool.submit(ask, QUESTION)
    assert inner.started.acquire(timeout=60), "the first search never started"
    waiting = pool.submit(ask, "What about the housing market?")
    _wait_until_admitted(app, 2)
    with ThreadPoolExecutor(10) as burst:
        refused = list(burst.map(lambda n: ask(f"Question {n}?"), range(10), timeout=60))
    assert [r.status_code for r in refused] == [503] * 10
    assert all(r.headers["retry-after"] == "1" for r in refused)
    assert all("busy" in r.json()["detail"] for r in refused)

    inner.gate.set()
    assert running.result(timeout=120).json() == qa.ask(QUESTION).to_dict()
    assert waiting.result(timeout=120).status_code == 200
    pool.shutdown()


# ----------------------------------------------------------------------------- new capabilities
@dataclass(frozen=True)
class Report:
    """Stands in for the quote check's report: what matters here is `to_dict()`."""

    quotes: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rows:
    """Stands in for a timeline."""

    query: str
    speaker: Any
    rows: list[dict[str, Any]]
    undated: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Capable:
    """The real assistant plus `check` and `timeline` with the signatures of issues #13 and
    #14, recording their arguments and refusing what the real ones refuse."""

    def __init__(self, inner: Assistant) -> None:
        self._inner = inner
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def check(self, text: str, *, speaker: str | None = None, k: int = 3) -> Report:
        self.calls.append(("check", text, {"speaker": speaker, "k": k}))
        if not text.strip():
            raise ValueError("the text is empty: paste a quote or an article")
        return Report([{"quote": text, "verdict": "exact", "claimed_speaker": speaker}])

    def timeline(
        self,
        query: str,
        *,
        speaker: str | list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        mode: str = "auto",
    ) -> Rows:
        self.calls.append(
            (
                "timeline",
                query,
                {"speaker": speaker, "date_from": date_from, "date_to": date_to, "mode": mode},
            )
        )
        if mode not in ("auto", "phrase", "topic", "both"):
            raise ValueError(f"mode must be auto, phrase, topic or both, got {mode!r}")
        return Rows(query, speaker, [{"date": "2022-06-15", "phrase_count": 1}], [])


@pytest.fixture(scope="module")
def capable(qa: Assistant) -> Iterator[tuple[str, Capable]]:
    inner = Capable(qa)
    url, app = _serve(inner)
    yield url, inner
    app.close()


def test_check_and_timeline_are_served_when_the_assistant_has_them(
    capable: tuple[str, Capable],
) -> None:
    """The endpoints appear in the OpenAPI document (still valid), pass every argument through
    and return `to_dict()` of the result."""
    url, inner = capable
    spec = httpx.get(url + "api/v1/openapi.json", timeout=60).json()
    openapi_spec_validator.validate(spec)
    assert {"/api/v1/check", "/api/v1/timeline"} <= set(spec["paths"])

    body = {"text": '"Inflation is much too high"', "speaker": "Powell", "k": 2}
    response = httpx.post(url + "api/v1/check", json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json() == inner.check(body["text"], speaker="Powell", k=2).to_dict()
    assert inner.calls[-2] == ("check", body["text"], {"speaker": "Powell", "k": 2})

    body = {"query": "transitory", "speaker": "Powell", "date_from": "2021-01-01", "mode": "phrase"}
    response = httpx.post(url + "api/v1/timeline", json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [{"date": "2022-06-15", "phrase_count": 1}]
    assert inner.calls[-1][1:] == (
        "transitory",
        {"speaker": "Powell", "date_from": "2021-01-01", "date_to": None, "mode": "phrase"},
    )


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("check", {}, 422),
        ("check", {"text": 12}, 422),
        ("check", {"text": "x", "k": 0}, 422),
        ("check", {"text": "   "}, 400),
        ("timeline", {}, 422),
        ("timeline", {"query": "rates", "mode": 3}, 422),
        ("timeline", {"query": "rates", "mode": "sideways"}, 400),
    ],
)
def test_check_and_timeline_refuse_like_ask(
    capable: tuple[str, Capable], path: str, body: dict[str, Any], status: int
) -> None:
    url, _ = capable
    response = httpx.post(url + f"api/v1/{path}", json=body, timeout=60)
    assert response.status_code == status, response.text
    if status == 400:
        assert isinstance(response.json()["detail"], str)
