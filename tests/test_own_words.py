"""Which window of a long answer is shown (`retrieval.lift.own_words`).

Every window of an answer is read with the question it answers, so a window on another topic
could outrank the one that answers by the reporter's words alone. The windows of one answer
trade their scores: the best goes to the window whose own words hold most of the question's;
the answer keeps its place in the ranking."""

from __future__ import annotations

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.lift import own_words
from assistant.retrieval.view import CorpusView

from .conftest import hashed_assistant

BRIDGE = (
    "The harbour bridge reopens to lorries in May and its toll stays at two pounds. "
    "The harbour bridge cables were checked twice and the engineers signed off last week. "
)
FILLER = " ".join(
    f"Ward {n} had its pavements swept and its {n * 4} lamps replaced this winter."
    for n in range(1, 16)
)
LIBRARY = (
    " As for the library budget, the library gets forty thousand more for books and the "
    "library roof is finished."
)
ANSWER = BRIDGE + FILLER + LIBRARY
STATEMENT = " ".join(
    f"Item {n} of the harbour report covers berth {n} and its {n * 3} moorings in detail."
    for n in range(1, 20)
)


def briefing() -> str:
    return (
        "Council briefing, 2024-05-02\n\n"
        "MS. REED: What about the harbour bridge toll and the library budget?\n\n"
        f"MAYOR: {ANSWER}\n\n"
        "MS. REED: Thank you.\n\n"
        f"CLERK: {STATEMENT}\n"
    )


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return hashed_assistant(tmp_path_factory.mktemp("own-words"), {"briefing.txt": briefing()})


def rows_of(qa: Assistant, speaker: str) -> list[int]:
    """The rows of `speaker`'s long paragraph, in text order."""
    chunks = qa.index.chunks
    rows = [i for i in range(len(chunks)) if chunks[i].speaker == speaker]
    return sorted(rows, key=lambda i: chunks[i].start)


def stems(view: CorpusView, text: str) -> list[str]:
    return [t for t in view.tokens(text) if t in view.vocab]


def test_the_window_holding_the_question_words_takes_the_answers_best_score(qa: Assistant) -> None:
    """The library window ranked above the bridge window; asked about the bridge, the bridge
    window takes the best score and the library window the lower one."""
    view = CorpusView(qa.index)
    first, *_, last = rows_of(qa, "Mayor")
    assert "harbour bridge" in qa.index.chunks[first].text
    assert "library" in qa.index.chunks[last].text
    between = rows_of(qa, "Clerk")[0]
    ranked = [(last, 0.9), (between, 0.5), (first, 0.3)]
    shown = own_words(
        view, ranked, stems(view, "What did the mayor say about the harbour bridge?"), 10
    )
    assert shown == [(first, 0.9), (between, 0.5), (last, 0.3)]


def test_a_window_already_holding_the_words_keeps_its_place(qa: Assistant) -> None:
    """Asked about the library, the library window ranked first stays first."""
    view = CorpusView(qa.index)
    first, *_, last = rows_of(qa, "Mayor")
    ranked = [(last, 0.9), (first, 0.3)]
    assert own_words(view, ranked, stems(view, "the library budget"), 10) == ranked


def test_windows_holding_none_of_the_words_keep_their_order(qa: Assistant) -> None:
    """When no window of the answer holds a question word (the moorings are the clerk's), or
    the question has no word the corpus knows, nothing moves."""
    view = CorpusView(qa.index)
    first, *_, last = rows_of(qa, "Mayor")
    ranked = [(last, 0.9), (first, 0.3)]
    assert stems(view, "moorings")
    assert own_words(view, ranked, stems(view, "moorings"), 10) == ranked
    assert own_words(view, ranked, ["zzzz"], 10) == ranked


def test_only_the_windows_of_answers_trade_places(qa: Assistant) -> None:
    """A statement's windows are read by their own words already (no question is added to
    them): their order is left as ranked."""
    view = CorpusView(qa.index)
    windows = rows_of(qa, "Clerk")
    assert len(windows) >= 2
    ranked = [(windows[0], 0.9), (windows[-1], 0.3)]
    assert own_words(view, ranked, stems(view, "berth 19 moorings"), 10) == ranked


def test_asking_shows_the_window_that_answers_first(qa: Assistant) -> None:
    """Through `ask` (the shipped configuration): the first passage shown for the bridge is the
    mayor's, from the answer's opening on the bridge."""
    answer = qa.ask("What did the mayor say about the harbour bridge toll?", k=3)
    assert answer.answered
    first = answer.passages[0]
    assert first.citation.speaker == "Mayor"
    assert first.text.startswith("The harbour bridge reopens")


def test_coverage_is_read_as_ranked(qa: Assistant) -> None:
    """Whether the corpus answers does not depend on which window is shown: the coverage is
    the same with the windows traded or not."""
    question = "What did the mayor say about the library budget?"
    on = Retriever(qa.index, qa.model, RetrievalConfig()).ask(question, k=3)
    off = Retriever(qa.index, qa.model, RetrievalConfig(own_words=False)).ask(question, k=3)
    assert on.answered == off.answered
    assert on.filters.get("coverage") == off.filters.get("coverage")


def test_only_answers_with_a_window_among_the_first_depth_are_read(qa: Assistant) -> None:
    """An answer with a window among the first `depth` trades with its windows further down;
    one whose windows all rank below `depth` is left as ranked (it is not shown)."""
    view = CorpusView(qa.index)
    first, *_, last = rows_of(qa, "Mayor")
    clerk = rows_of(qa, "Clerk")
    ranked = [(last, 0.9), (clerk[0], 0.5), (clerk[1], 0.4), (first, 0.3)]
    bridge = stems(view, "harbour bridge")
    assert own_words(view, ranked, bridge, 1)[0] == (first, 0.9)
    below = [(clerk[0], 0.9), (clerk[1], 0.5), (last, 0.4), (first, 0.3)]
    assert own_words(view, below, bridge, 2) == below
