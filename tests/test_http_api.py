"""The JSON API of a real `verbatim serve` on 127.0.0.1, called with httpx.

Two servers for the module, over one index of the fixture transcripts (instant hashing model):
one open, one with `VERBATIM_AUTH` and `VERBATIM_TOKEN` set. Expected answers come from
`Assistant.ask` on the same index in this process, never hard-coded.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

httpx = pytest.importorskip("httpx")
openapi_spec_validator = pytest.importorskip("openapi_spec_validator")
gradio_client = pytest.importorskip("gradio_client")
client_errors = pytest.importorskip("gradio_client.exceptions")

from assistant.answers import Answer  # noqa: E402
from assistant.api import Assistant  # noqa: E402

from .conftest import SMALL_CORPUS, copy_seed_corpus, write_corpus  # noqa: E402
from .servers import Served, command_env, verbatim_serve  # noqa: E402

USER, PASSWORD, TOKEN = "alice", "s3cret:pw", "tok-3f9a1c"
ASKS: list[dict[str, Any]] = [
    {"question": "Why did the Committee raise rates by three quarters of a point?"},
    {"question": "What did Shen Beili say about exchanges with foreign parties?", "k": 3},
    {"question": "And what about the budget?", "history": ["What did Earnest say about Ebola?"]},
    {"question": "What about the housing market?", "speaker": "Powell", "k": 2},
    {"question": "What about the housing market?", "speaker": ["Powell", "Earnest"]},
    {"question": "What was said?", "document": "wh_2014-10-29.txt"},
    {"question": "What about inflation?", "date_from": "2022-01-01", "date_to": "2022-12-31"},
    {"question": "What did the Kremlin say about Zanzibar?"},  # declined: answered false
]


def _python_ask(qa: Assistant, body: dict[str, Any]) -> dict[str, Any]:
    kwargs = {k: v for k, v in body.items() if k != "question"}
    return qa.ask(body["question"], **kwargs).to_dict()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = write_corpus(tmp_path_factory.mktemp("api-corpus"), SMALL_CORPUS)
    copy_seed_corpus(corpus)
    index = tmp_path_factory.mktemp("api-index") / "index"
    Assistant.build(corpus, index, model="hashing-384")
    return index


@pytest.fixture(scope="module")
def qa(index: Path) -> Assistant:
    return Assistant.load(index)


@pytest.fixture(scope="module")
def open_server(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with verbatim_serve(index, tmp_path_factory.mktemp("open") / "server.log") as served:
        yield served


@pytest.fixture(scope="module")
def locked_server(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    env = command_env(VERBATIM_AUTH=f"{USER}:{PASSWORD}", VERBATIM_TOKEN=TOKEN)
    log = tmp_path_factory.mktemp("locked") / "server.log"
    with verbatim_serve(index, log, env=env) as served:
        yield served


@pytest.fixture(scope="module")
def api(open_server: Served) -> Iterator[Any]:
    with httpx.Client(base_url=open_server.url, timeout=60) as client:
        yield client


# ----------------------------------------------------------------------------- answers
@pytest.mark.parametrize("body", ASKS, ids=lambda b: ",".join(sorted(b)))
def test_ask_equals_the_python_api(api: Any, qa: Assistant, body: dict[str, Any]) -> None:
    """POST /api/v1/ask returns exactly `Assistant.ask(...).to_dict()` for the same arguments:
    follow-ups, every filter, and a declined question alike."""
    response = api.post("/api/v1/ask", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == _python_ask(qa, body)


def test_ask_answers_and_declines_as_asked(api: Any) -> None:
    """The seed of the fixtures is answered with cited verbatim passages; nonsense declines."""
    answered = api.post("/api/v1/ask", json=ASKS[0]).json()
    assert answered["answered"] and answered["passages"]
    citation = answered["passages"][0]["citation"]
    assert citation["document"] == "fomc/fomc_2022-06-15.txt"
    assert (
        SMALL_CORPUS[citation["document"]][citation["start"] : citation["end"]]
        == (answered["passages"][0]["text"])
    )
    declined = api.post("/api/v1/ask", json=ASKS[-1]).json()
    assert declined["answered"] is False and declined["passages"] == [] and declined["reason"]


@pytest.mark.skipif(
    not callable(getattr(Assistant, "timeline", None)), reason="no Assistant.timeline yet"
)
@pytest.mark.parametrize(
    "body",
    [
        {"query": "inflation"},
        {"query": "rates", "speaker": "Powell", "mode": "phrase"},
        {"query": "What about the budget?", "date_from": "2014-01-01", "mode": "topic"},
    ],
    ids=["auto", "phrase", "topic"],
)
def test_timeline_equals_the_python_api(api: Any, qa: Assistant, body: dict[str, Any]) -> None:
    """POST /api/v1/timeline returns exactly `Assistant.timeline(...).to_dict()`."""
    response = api.post("/api/v1/timeline", json=body)
    assert response.status_code == 200, response.text
    kwargs = {k: v for k, v in body.items() if k != "query"}
    assert response.json() == qa.timeline(body["query"], **kwargs).to_dict()


@pytest.mark.skipif(
    not callable(getattr(Assistant, "timeline", None)), reason="no Assistant.timeline yet"
)
def test_timeline_refuses_what_timeline_refuses(api: Any, qa: Assistant) -> None:
    with pytest.raises(ValueError) as refused:
        qa.timeline("rates", mode="sideways")
    response = api.post("/api/v1/timeline", json={"query": "rates", "mode": "sideways"})
    assert response.status_code == 400
    assert response.json() == {"detail": str(refused.value)}


@pytest.mark.skipif(
    not callable(getattr(Assistant, "check", None)), reason="no Assistant.check yet"
)
@pytest.mark.parametrize(
    "body",
    [
        {"text": "Inflation is much too high"},
        {"text": "inflation is much too high and we are moving quickly", "speaker": "Powell"},
        {
            "text": 'Powell said "the labor market is extremely tight", and Earnest said '
            '"policy should be driven by science".',
            "k": 2,
        },
        {"text": "Nobody ever said this sentence in any of these briefings", "k": 1},
    ],
    ids=["exact", "close", "article", "not-found"],
)
def test_check_equals_the_python_api(api: Any, qa: Assistant, body: dict[str, Any]) -> None:
    """POST /api/v1/check returns exactly `Assistant.check(...).to_dict()`."""
    response = api.post("/api/v1/check", json=body)
    assert response.status_code == 200, response.text
    kwargs = {k: v for k, v in body.items() if k != "text"}
    assert response.json() == qa.check(body["text"], **kwargs).to_dict()


@pytest.mark.skipif(
    not callable(getattr(Assistant, "check", None)), reason="no Assistant.check yet"
)
def test_check_refuses_what_check_refuses(api: Any, qa: Assistant) -> None:
    with pytest.raises(ValueError) as refused:
        qa.check("   ")
    response = api.post("/api/v1/check", json={"text": "   "})
    assert response.status_code == 400
    assert response.json() == {"detail": str(refused.value)}


def test_documents_and_speakers_equal_the_python_api(api: Any, qa: Assistant) -> None:
    assert api.get("/api/v1/documents").json() == {"documents": qa.documents()}
    assert api.get("/api/v1/speakers").json() == {"speakers": qa.speakers}


# ----------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"k": 3}, "question"),
        ({"question": 42}, "question"),
        ({"question": "Why?", "k": "five"}, "k"),
        ({"question": "Why?", "k": 0}, "k"),
        ({"question": "Why?", "k": 51}, "k"),
        ({"question": "Why?", "history": "an earlier question"}, "history"),
        ({"question": "Why?", "speaker": 7}, "speaker"),
        ({"question": "Why?", "date_from": 2022}, "date_from"),
        ({"question": "Why?", "speakers": "Powell"}, "speakers"),  # a misspelt field
    ],
)
def test_a_wrong_type_or_missing_field_is_422_naming_the_field(
    api: Any, body: dict[str, Any], field: str
) -> None:
    response = api.post("/api/v1/ask", json=body)
    assert response.status_code == 422, response.text
    located = [error["loc"] for error in response.json()["detail"]]
    assert any(loc[:2] == ["body", field] for loc in located), located


def test_a_body_that_is_not_json_is_422(api: Any) -> None:
    response = api.post(
        "/api/v1/ask", content=b"question=why", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    "body",
    [
        {"question": "What about rates?", "speaker": "Nobody Atall"},
        {"question": "What about rates?", "document": "no-such-file.txt"},
        {"question": "What about rates?", "date_from": "June 2022"},
        {"question": "What about rates?", "date_from": "2023-01-01", "date_to": "2022-01-01"},
        {"question": "   "},
    ],
    ids=["speaker", "document", "date", "range", "empty"],
)
def test_a_value_the_search_refuses_is_400_with_asks_message(
    api: Any, qa: Assistant, body: dict[str, Any]
) -> None:
    with pytest.raises(ValueError) as refused:
        _python_ask(qa, body)
    response = api.post("/api/v1/ask", json=body)
    assert response.status_code == 400, response.text
    assert response.json() == {"detail": str(refused.value)}


def test_a_huge_body_is_refused_with_413(api: Any) -> None:
    response = api.post("/api/v1/ask", json={"question": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "at most" in response.json()["detail"]


# ----------------------------------------------------------------------------- description
def test_the_openapi_document_validates_and_lists_every_endpoint(api: Any) -> None:
    """/api/v1/openapi.json is a valid OpenAPI document naming every endpoint, with the answer's
    schema (its fields are those of `Answer`) and the request models' constraints."""
    spec = api.get("/api/v1/openapi.json").json()
    openapi_spec_validator.validate(spec)
    expected = {
        ("post", "/api/v1/ask"),
        ("get", "/api/v1/documents"),
        ("get", "/api/v1/speakers"),
    }
    if callable(getattr(Assistant, "check", None)):
        expected.add(("post", "/api/v1/check"))
    if callable(getattr(Assistant, "timeline", None)):
        expected.add(("post", "/api/v1/timeline"))
    listed = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert listed == expected
    schemas = spec["components"]["schemas"]
    assert set(schemas["Answer"]["properties"]) == {f.name for f in dataclasses.fields(Answer)}
    assert set(schemas["Citation"]["properties"]) >= {"document", "speaker", "start", "end"}
    k = schemas["AskRequest"]["properties"]["k"]
    assert (k["minimum"], k["maximum"]) == (1, 50)
    assert "securitySchemes" not in spec.get("components", {})  # open server: nothing to send


def test_the_openapi_schemas_describe_the_responses(api: Any) -> None:
    """Each response carries every property its schema requires and none it does not list."""
    spec = api.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    calls = [("post", "/api/v1/ask", ASKS[0])]
    if "/api/v1/timeline" in spec["paths"]:
        calls.append(("post", "/api/v1/timeline", {"query": "inflation"}))
    if "/api/v1/check" in spec["paths"]:
        calls.append(("post", "/api/v1/check", {"text": "Inflation is much too high"}))
    for method, path, body in calls:
        ref = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        schema = schemas[ref["schema"]["$ref"].rsplit("/", 1)[-1]]
        sent = set(api.request(method, path, json=body).json())
        assert set(schema.get("required", [])) <= sent <= set(schema["properties"]), path


def test_the_docs_page_loads_only_files_of_this_server(api: Any) -> None:
    """/api/docs is Swagger UI whose script and stylesheet are served here, not by a CDN."""
    page = api.get("/api/docs")
    assert page.status_code == 200
    linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert linked and all(url.startswith("/") for url in linked), linked
    assert "http://" not in page.text and "https://" not in page.text
    for url in linked:
        assert api.get(url).status_code == 200, url
    assert "'/api/v1/openapi.json'" in page.text


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_the_docs_render_in_a_browser_without_leaving_the_machine(open_server: Served) -> None:
    """In Chromium, /api/docs renders every operation and requests nothing from another host."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from ui.screenshot import CHROMIUM_ARGS

    hosts: set[str] = set()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
            page.goto(open_server.url + "api/docs")
            page.wait_for_selector(".opblock-summary-path")
            paths = page.locator(".opblock-summary-path").all_inner_texts()
        finally:
            browser.close()
    assert hosts == {"127.0.0.1"}
    assert {"/api/v1/ask", "/api/v1/documents", "/api/v1/speakers"} <= {
        p.replace("\u200b", "") for p in paths
    }


# ----------------------------------------------------------------------------- credentials
def _basic(user: str, password: str) -> dict[str, str]:
    value = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {value}"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        _basic(USER, "wrong"),
        _basic("mallory", PASSWORD),
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": "Basic not-base64!"},
        {"Authorization": f"Token {TOKEN}"},
    ],
    ids=["none", "wrong-password", "wrong-user", "wrong-token", "garbled", "unknown-scheme"],
)
def test_with_auth_on_every_endpoint_refuses_without_the_credentials(
    locked_server: Served, headers: dict[str, str]
) -> None:
    with httpx.Client(base_url=locked_server.url, timeout=60, headers=headers) as client:
        for method, path, body in (
            ("POST", "/api/v1/ask", {"question": "Why did the Committee raise rates?"}),
            ("GET", "/api/v1/documents", None),
            ("GET", "/api/v1/speakers", None),
        ):
            response = client.request(method, path, json=body)
            assert response.status_code == 401, (path, response.text)
            challenge = response.headers["www-authenticate"]
            assert "Basic" in challenge and "Bearer" in challenge


@pytest.mark.parametrize(
    "headers",
    [_basic(USER, PASSWORD), {"Authorization": f"Bearer {TOKEN}"}, _basic("anyone", TOKEN)],
    ids=["basic", "bearer", "token-as-password"],
)
def test_with_auth_on_the_right_credentials_get_answers(
    locked_server: Served, qa: Assistant, headers: dict[str, str]
) -> None:
    with httpx.Client(base_url=locked_server.url, timeout=60, headers=headers) as client:
        body = ASKS[0]
        assert client.post("/api/v1/ask", json=body).json() == _python_ask(qa, body)
        assert client.get("/api/v1/speakers").json() == {"speakers": qa.speakers}


def test_with_auth_on_the_openapi_declares_both_schemes(locked_server: Served) -> None:
    """The description and docs stay readable without credentials (they hold no transcript
    text) and declare how to authenticate; the docs' Authorize button uses them."""
    spec = httpx.get(locked_server.url + "api/v1/openapi.json", timeout=60).json()
    openapi_spec_validator.validate(spec)
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["basic"]["type"], schemes["basic"]["scheme"]) == ("http", "basic")
    assert (schemes["token"]["type"], schemes["token"]["scheme"]) == ("http", "bearer")
    assert {"basic": []} in spec["paths"]["/api/v1/ask"]["post"]["security"]
    assert {"token": []} in spec["paths"]["/api/v1/ask"]["post"]["security"]
    assert httpx.get(locked_server.url + "api/docs", timeout=60).status_code == 200


def test_with_auth_on_the_chat_takes_the_same_credentials(locked_server: Served) -> None:
    """The UI's login takes the user and password, or the token as the password; nothing else."""
    with pytest.raises(client_errors.AuthenticationError):
        gradio_client.Client(locked_server.url, verbose=False)
    with pytest.raises(ValueError, match="Could not login"):  # Gradio's login answers 400
        gradio_client.Client(locked_server.url, auth=(USER, "wrong"), verbose=False)
    for auth in ((USER, PASSWORD), ("anyone", TOKEN)):
        client = gradio_client.Client(locked_server.url, auth=auth, verbose=False)
        result = client.predict(question="What did Shen Beili say?", api_name="/ask")
        assert result["question"] == "What did Shen Beili say?"


def test_without_auth_nothing_is_asked_for(open_server: Served) -> None:
    response = httpx.get(open_server.url + "api/v1/speakers", timeout=60)
    assert response.status_code == 200
    assert "www-authenticate" not in response.headers
