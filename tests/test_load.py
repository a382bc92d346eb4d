"""Many clients at once, and a full queue: every request is answered or plainly refused.

The quick version of `benchmarks/load.py` (which runs 50 clients for a minute against
`verbatim serve` with the real model): here an in-process server over the seed transcript with the
instant hashing model, since what is tested is the serving, not the ranking. No timing is asserted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
gradio_client = pytest.importorskip("gradio_client", reason="gradio_client is not installed")
client_utils = pytest.importorskip("gradio_client.utils")
httpx = pytest.importorskip("httpx")

from assistant.api import Assistant  # noqa: E402
from ui.app import build_app, free_port, launch  # noqa: E402

from .conftest import copy_seed_corpus  # noqa: E402
from .servers import GatedAssistant  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "How do localities take part in the Party's foreign affairs work?",
    "What platforms were built for dialogue between political parties?",
    "How many groups of senior provincial officials visited other countries?",
    "What did Shen Beili say about exchanges?",
]
CLIENTS = 20
REQUESTS_EACH = 3


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = copy_seed_corpus(tmp_path_factory.mktemp("load-corpus"))
    return Assistant.build(corpus, tmp_path_factory.mktemp("load-index") / "i", model="hashing-384")


@pytest.fixture(scope="module")
def server(assistant: Assistant) -> Iterator[str]:
    app = build_app(assistant)
    url = launch(app, port=free_port(), prevent_thread_lock=True, quiet=True)
    yield url
    app.close()


def test_twenty_concurrent_clients_are_all_answered(server: str, assistant: Assistant) -> None:
    """20 clients, each with its own connection, ask 3 questions at once through `/ask`: every
    request comes back with the same answer as the Python API, none fails."""

    def one_client(n: int) -> list[dict[str, Any]]:
        # a generous timeout: 20 clients connect at once, on 2 cores shared with other work
        client = gradio_client.Client(server, verbose=False, httpx_kwargs={"timeout": 120})
        return [
            client.predict(question=QUESTIONS[(n + i) % len(QUESTIONS)], api_name="/ask")
            for i in range(REQUESTS_EACH)
        ]

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(one_client, n) for n in range(CLIENTS)]
        results = [f.result(timeout=300) for f in futures]  # re-raises any failure

    expected = {q: assistant.ask(q).to_dict() for q in QUESTIONS}
    answers = [a for per_client in results for a in per_client]
    assert len(answers) == CLIENTS * REQUESTS_EACH
    for answer in answers:
        assert answer == expected[answer["question"]]
    assert any(a["answered"] and a["passages"] for a in answers)


@pytest.fixture
def overloaded(assistant: Assistant) -> Iterator[tuple[str, Any, GatedAssistant]]:
    """A server that runs one search at a time and queues at most one more."""
    gated = GatedAssistant(assistant)
    app = build_app(gated)  # type: ignore[arg-type]
    url = launch(
        app,
        port=free_port(),
        prevent_thread_lock=True,
        quiet=True,
        queue={"default_concurrency_limit": 1, "max_size": 1},
    )
    yield url, app, gated
    gated.gate.set()
    app.close()


def _wait_for_queue_length(app: Any, length: int) -> None:
    for _ in range(600):
        if len(app._queue) == length:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"the queue never held {length} job(s)")


def test_a_full_queue_says_busy_and_nothing_hangs(
    overloaded: tuple[str, Any, GatedAssistant],
) -> None:
    """With one search running and one waiting, 10 more simultaneous requests are each refused at
    once with "Queue is full! Please try again." (HTTP 503 underneath, which the page shows as
    "This application is currently busy. Please try again."); once the search finishes, the two
    accepted requests are answered."""
    url, app, gated = overloaded
    client = gradio_client.Client(url, verbose=False)
    running = client.submit(question=QUESTIONS[0], api_name="/ask")
    assert gated.started.acquire(timeout=60), "the first search never started"
    waiting = client.submit(question=QUESTIONS[1], api_name="/ask")
    _wait_for_queue_length(app, 1)

    def refused(n: int) -> str:
        try:
            gradio_client.Client(url, verbose=False).predict(
                question=QUESTIONS[n % len(QUESTIONS)], api_name="/ask"
            )
        except client_utils.QueueError as error:
            return str(error)
        return "answered"

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(refused, range(10), timeout=120))
    assert outcomes == ["Queue is full! Please try again."] * 10

    # The plain HTTP API says the same with a 503 and a reason.
    response = httpx.post(
        f"{url.rstrip('/')}/gradio_api/call/ask", json={"data": ["Any question?"]}, timeout=30
    )
    assert response.status_code == 503
    assert "Queue is full" in response.text

    gated.gate.set()
    assert running.result(timeout=120)["question"] == QUESTIONS[0]
    assert waiting.result(timeout=120)["question"] == QUESTIONS[1]
