"""Serving the UI: auth, the `/ask` endpoint's errors, and the product's launch settings.

These need no browser; the index uses the instant hashing model (retrieval quality is not what
is tested here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
gradio_client = pytest.importorskip("gradio_client", reason="gradio_client is not installed")
client_errors = pytest.importorskip("gradio_client.exceptions")

from assistant.api import Assistant  # noqa: E402
from ui.app import QUEUE, build_app, free_port, launch, parse_auth  # noqa: E402

from .conftest import copy_seed_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = copy_seed_corpus(tmp_path_factory.mktemp("ui-app-corpus"))
    index = tmp_path_factory.mktemp("ui-app-index") / "index"
    return Assistant.build(corpus, index, model="hashing-384")


@pytest.fixture(scope="module")
def protected(assistant: Assistant) -> Iterator[tuple[str, object]]:
    app = build_app(assistant)
    url = launch(app, port=free_port(), auth="alice:s3cret:x", prevent_thread_lock=True, quiet=True)
    yield url, app
    app.close()


def test_parse_auth_splits_user_and_password_at_the_first_colon() -> None:
    """ "user:password" becomes Gradio's (user, password); the password may hold colons."""
    assert parse_auth("alice:s3cret:x") == ("alice", "s3cret:x")
    assert parse_auth(None) is None


@pytest.mark.parametrize("value", ["alice", "alice:", ":secret", ""])
def test_parse_auth_rejects_a_missing_part(value: str) -> None:
    """A value without both a user and a password is refused with a clear message."""
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)


def test_auth_is_required_when_configured(protected: tuple[str, object]) -> None:
    """With auth set, a client without the password is refused and one with it gets answers."""
    url, _ = protected
    with pytest.raises(client_errors.AuthenticationError):
        gradio_client.Client(url, verbose=False)
    client = gradio_client.Client(url, auth=("alice", "s3cret:x"), verbose=False)
    result = client.predict(question="What did Shen Beili say?", api_name="/ask")
    assert set(result) == {"question", "answered", "passages", "reason", "query", "filters"}


def test_launch_binds_locally_with_a_bounded_queue(protected: tuple[str, object]) -> None:
    """The server listens on 127.0.0.1, shares nothing, and queues a bounded number of jobs."""
    url, app = protected
    assert url.startswith("http://127.0.0.1:")
    assert app.share is False  # type: ignore[attr-defined]
    assert app._queue.max_size == QUEUE["max_size"]  # type: ignore[attr-defined]
    assert app._queue.default_concurrency_limit == QUEUE["default_concurrency_limit"]  # type: ignore[attr-defined]


def test_ask_endpoint_reports_an_empty_question(protected: tuple[str, object]) -> None:
    """An empty question through the API is an error saying so, not a crash."""
    url, _ = protected
    client = gradio_client.Client(url, auth=("alice", "s3cret:x"), verbose=False)
    with pytest.raises(Exception, match="empty"):
        client.predict(question="   ", api_name="/ask")
