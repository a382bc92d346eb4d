"""The MCP server, through the official SDK's own clients.

End to end with the packaged model over the shipped seed transcript: `verbatim mcp` as a
subprocess over stdio, and `verbatim serve --mcp` over Streamable HTTP behind a bearer token; the
seed question gets the Shen Beili passage with its citation, equal to `Assistant.ask`. The rest
in this process over the hashing model: refusals, the declined answer, the resources, and the
quote-check tool appearing once the assistant can check quotes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the mcp SDK is not installed")
httpx = pytest.importorskip("httpx")

from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from assistant.api import Assistant  # noqa: E402
from ui.mcp_server import TRANSCRIPTS_URI, build_server  # noqa: E402
from ui.render import citation_text  # noqa: E402

from .conftest import SEED_DOCUMENT, SMALL_CORPUS, copy_seed_corpus, write_corpus  # noqa: E402
from .servers import ROOT, command_env, verbatim_serve  # noqa: E402
from .test_api_app import Capable  # noqa: E402

SEED_QUESTION = "How do localities and departments take part in the Party's foreign affairs work?"
TOKEN = "mcp-test-token-51d2"


def run(session: Callable[[Client], Awaitable[Any]], target: Any) -> Any:
    """Open an SDK `Client` on `target` and run `session(client)` to its end."""

    async def main() -> Any:
        async with Client(target) as client:
            return await session(client)

    return asyncio.run(main())


async def seed_question(client: Client) -> dict[str, Any]:
    tools = await client.list_tools()
    result = await client.call_tool("ask_transcripts", {"question": SEED_QUESTION, "k": 3})
    return {"tools": {t.name: t for t in tools.tools}, "result": result}


def assert_seed_answer(outcome: dict[str, Any], qa: Assistant) -> None:
    """The tools are listed with descriptions that say to quote verbatim with the citation, and
    the seed question gets Shen Beili's passage, its citation in the text, equal to `ask`."""
    tools = outcome["tools"]
    assert "ask_transcripts" in tools
    assert ("check_quote" in tools) == callable(getattr(Assistant, "check", None))
    description = tools["ask_transcripts"].description.lower()
    for words in ("verbatim", "quote it exactly", "citation", "do not paraphrase"):
        assert words in description
    assert tools["ask_transcripts"].input_schema["required"] == ["question"]

    result = outcome["result"]
    expected = qa.ask(SEED_QUESTION, k=3)
    assert not result.is_error
    assert result.structured_content == expected.to_dict()
    top = expected.passages[0]
    assert top.citation.speaker == "Shen Beili"
    assert top.citation.document == Path(SEED_DOCUMENT).name  # copied to the corpus root
    text = result.content[0].text
    assert f"\u201c{top.text}\u201d" in text
    assert citation_text(top.citation) in text
    assert "Quote them exactly" in text


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Assistant]:
    corpus = copy_seed_corpus(tmp_path_factory.mktemp("mcp-corpus"))
    index = tmp_path_factory.mktemp("mcp-index") / "index"
    return index, Assistant.build(corpus, index)


@pytest.mark.model
def test_verbatim_mcp_over_stdio_answers_the_seed_question(
    seed_index: tuple[Path, Assistant],
) -> None:
    """`verbatim mcp --index DIR` as a subprocess, through the SDK's stdio client."""
    index, qa = seed_index
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "assistant.cli", "mcp", "--index", str(index)],
        cwd=str(ROOT),
        env=command_env(),
    )
    assert_seed_answer(run(seed_question, params), qa)


@pytest.mark.model
def test_verbatim_serve_mcp_over_http_answers_the_seed_question_behind_the_token(
    seed_index: tuple[Path, Assistant], tmp_path: Path
) -> None:
    """`verbatim serve --mcp` with `VERBATIM_TOKEN`: /mcp refuses a request without the token
    (401) and, through the SDK's Streamable HTTP client with it, answers as over stdio."""
    index, qa = seed_index
    env = command_env(VERBATIM_TOKEN=TOKEN)
    with verbatim_serve(index, tmp_path / "server.log", "--mcp", env=env) as served:
        url = served.url + "mcp"
        refused = httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=60)
        assert refused.status_code == 401
        assert "Bearer" in refused.headers["www-authenticate"]

        import httpx2  # the HTTP client the SDK is built on

        def transport() -> Any:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            return streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers))

        assert_seed_answer(run(seed_question, transport()), qa)


# ----------------------------------------------------------------------------- in this process
@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = write_corpus(tmp_path_factory.mktemp("mcp-small"), SMALL_CORPUS)
    return Assistant.build(
        corpus, tmp_path_factory.mktemp("mcp-small-i") / "i", model="hashing-384"
    )


def test_a_refused_search_is_a_tool_error_in_asks_words(qa: Assistant) -> None:
    async def session(client: Client) -> Any:
        return await client.call_tool(
            "ask_transcripts", {"question": "What about rates?", "speaker": "Nobody Atall"}
        )

    with pytest.raises(ValueError) as refused:
        qa.ask("What about rates?", speaker="Nobody Atall")
    result = run(session, build_server(qa))
    assert result.is_error
    assert str(refused.value) in result.content[0].text


def test_a_declined_question_says_nothing_answers_and_not_to_answer_from_memory(
    qa: Assistant,
) -> None:
    question = "What did the Kremlin say about Zanzibar?"

    async def session(client: Client) -> Any:
        return await client.call_tool("ask_transcripts", {"question": question})

    result = run(session, build_server(qa))
    expected = qa.ask(question)
    assert not expected.answered
    assert result.structured_content == expected.to_dict()
    text = result.content[0].text
    assert text.startswith("Nothing in the transcripts answers this question.")
    assert expected.reason in text and "do not answer from memory" in text


def test_the_resources_list_the_transcripts_and_give_their_text(qa: Assistant) -> None:
    document = "fomc/fomc_2022-06-15.txt"

    async def session(client: Client) -> Any:
        listed = await client.list_resources()
        templates = await client.list_resource_templates()
        listing = await client.read_resource(TRANSCRIPTS_URI)
        text = await client.read_resource(f"{TRANSCRIPTS_URI}/{document}")
        return listed, templates, listing, text

    listed, templates, listing, text = run(session, build_server(qa))
    assert [str(r.uri) for r in listed.resources] == [TRANSCRIPTS_URI]
    assert [t.uri_template for t in templates.resource_templates] == [
        TRANSCRIPTS_URI + "/{+document}"
    ]
    assert json.loads(listing.contents[0].text) == qa.documents()
    assert text.contents[0].text == qa.document_text(document)


def test_check_quote_is_offered_once_the_assistant_checks_quotes(qa: Assistant) -> None:
    """With `check` (issue #13), `check_quote` is listed, told to check quotes before writing
    them, and returns the report as data and as text."""

    async def session(client: Client) -> Any:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        result = await client.call_tool(
            "check_quote", {"text": "Inflation is much too high", "speaker": "Powell"}
        )
        return tools, result

    tools, result = run(session, build_server(Capable(qa)))  # type: ignore[arg-type]
    assert {"ask_transcripts", "check_quote"} <= set(tools)
    assert "before you write them" in tools["check_quote"].description
    assert result.structured_content == {
        "quotes": [
            {"quote": "Inflation is much too high", "verdict": "exact", "claimed_speaker": "Powell"}
        ]
    }
    assert "\u201cInflation is much too high\u201d: exact" in result.content[0].text


@pytest.mark.skipif(not callable(getattr(Assistant, "check", None)), reason="no Assistant.check")
def test_check_quote_reports_the_real_check_with_citations(qa: Assistant) -> None:
    """Over the real quote check: an exact quote, a changed one and one never said, each with its
    verdict; matches carry their citation text and the report equals `Assistant.check`."""
    text = (
        'Powell said "inflation is much too high", then "the housing market is softening '
        'quickly", and Earnest said "the moon is made of cheese".'
    )

    async def session(client: Client) -> Any:
        return await client.call_tool("check_quote", {"text": text, "k": 1})

    result = run(session, build_server(qa))
    report = qa.check(text, k=1)
    assert not result.is_error
    assert result.structured_content == report.to_dict()
    rendered = result.content[0].text
    for quote in report.quotes:
        assert f"\u201c{quote.quote}\u201d: {quote.verdict}" in rendered
        for match in quote.matches:
            assert citation_text(match.citation) in rendered
    assert "do not present it as a quote" in rendered


@pytest.mark.skipif(not callable(getattr(Assistant, "check", None)), reason="no Assistant.check")
def test_check_quote_says_a_quote_was_said_at_another_time(qa: Assistant) -> None:
    """A quote the text dates to a year it was not said in: the tool's text says so, with
    the date it was said, and its structured content is the report."""
    report = qa.check("“Inflation is much too high,” Powell said in 2019.", k=1)
    (quote,) = report.quotes
    assert quote.matches and {m.date_matches for m in quote.matches} == {False}

    async def session(client: Client) -> Any:
        return await client.call_tool(
            "check_quote", {"text": "“Inflation is much too high,” Powell said in 2019.", "k": 1}
        )

    result = run(session, build_server(qa))
    assert result.structured_content == report.to_dict()
    rendered = result.content[0].text
    assert "(claimed date: 2019)" in rendered
    said = quote.matches[0].citation.date
    assert f"Not said at the claimed date (2019): said on {said}." in rendered
