"""Windows of one long paragraph shown as one quote (`retrieval.diversify.join_windows`).

A paragraph longer than `passages.MAX_WORDS` is cut into windows overlapping by a sentence. The
window that ranks first is often not the one holding the answer's decisive first sentences, so
the windows of one paragraph that make the cut are shown together, as the paragraph's contiguous
text across them (still an exact source span), instead of the first window alone; by default
(`RetrievalConfig.join_gaps`) also when a window between them did not make the cut."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.diversify import join_windows
from embeddings import HashingModel

from .conftest import hashed_assistant, write_corpus

OPENING = (
    "Yes, the harbour bridge will reopen to lorries in May, and the toll stays as it is. "
    "We checked the cables twice and the engineers signed off last week. "
)
MIDDLE = (
    "Over the winter the council resurfaced Mill Road and fixed the potholes on Quay Street. "
    "Three primary schools got new boilers, paid for from last year's reserve. "
    "The swimming pool changing rooms were painted and the showers replaced. "
    "Our recycling rate rose to forty percent, the best figure in the county. "
    "Two hundred trees were planted along the canal towpath by volunteers. "
    "The market hall now opens on Sundays, with stalls for local growers. "
    "Bus shelters on the ring road have new timetables and solar lamps. "
    "The museum's winter exhibition drew twelve thousand visitors in total. "
    "Street cleaning moved to early mornings to keep the pavements clear."
)
CLOSING = (
    " The harbour bridge lorries will use the east lane first, and the harbour bridge "
    "lights are new. That is where the harbour bridge stands today."
)
ANSWER = OPENING + MIDDLE + CLOSING


def briefing() -> str:
    return (
        "Council briefing, 2024-05-02\n\n"
        "MS. REED: When will the harbour bridge reopen to lorries?\n\n"
        f"MAYOR: {ANSWER}\n\n"
        "MS. REED: And the library?\n\n"
        "MAYOR: The library roof is finished and the doors open on Monday.\n"
    )


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("windows")
    long = "Report, 2024-05-03\n\nCLERK: " + " ".join(
        f"Item {n} of the annual report covers ward {n} and its {n * 3} streets in detail."
        for n in range(1, 20)
    )
    corpus = write_corpus(root / "corpus", {"briefing.txt": briefing(), "report.txt": long + "\n"})
    return Assistant.build(corpus, root / "index", model=HashingModel())


def windows(qa: Assistant) -> list[int]:
    """Rows of the mayor's long answer, in text order."""
    chunks = qa.index.chunks
    rows = [i for i in range(len(chunks)) if chunks[i].text in ANSWER and len(chunks[i].text) > 80]
    return sorted(rows, key=lambda i: chunks[i].start)


def long_windows(qa: Assistant) -> list[int]:
    """Rows of the report's one long paragraph (three windows), in text order."""
    chunks = qa.index.chunks
    rows = [i for i in range(len(chunks)) if chunks[i].document == "report.txt"]
    return sorted(rows, key=lambda i: chunks[i].start)


def library(qa: Assistant) -> int:
    chunks = qa.index.chunks
    return next(i for i in range(len(chunks)) if "doors open on Monday" in chunks[i].text)


def test_the_fixture_paragraphs_are_cut_into_overlapping_windows(qa: Assistant) -> None:
    """The fixture is what the other tests need: the answer in two windows sharing a sentence,
    the report in three, the first and third apart."""
    first, second = windows(qa)
    chunks = qa.index.chunks
    assert chunks[first].start < chunks[second].start < chunks[first].end
    one, two, three = long_windows(qa)
    assert chunks[two].start < chunks[one].end <= chunks[three].start < chunks[two].end


def test_a_window_joins_the_better_window_it_overlaps(qa: Assistant) -> None:
    """The second window ranked first, another passage second, the first window third: the two
    windows become one quote, ranked first with the second window's score, in text order."""
    first, second = windows(qa)
    got = join_windows(qa.index, [(second, 0.9), (library(qa), 0.8), (first, 0.7)], 5)
    assert got == [((first, second), 0.9), ((library(qa),), 0.8)]


def test_a_window_bridging_two_quotes_makes_them_one(qa: Assistant) -> None:
    """Windows that do not touch are two quotes until one touching both joins them into one."""
    one, two, three = long_windows(qa)
    apart = join_windows(qa.index, [(three, 0.9), (one, 0.8)], 5)
    assert apart == [((three,), 0.9), ((one,), 0.8)]
    bridged = join_windows(qa.index, [(three, 0.9), (library(qa), 0.85), (one, 0.8), (two, 0.7)], 5)
    assert bridged == [((one, two, three), 0.9), ((library(qa),), 0.85)]


def test_with_gaps_windows_of_one_paragraph_join_across_the_one_between(qa: Assistant) -> None:
    """With `gaps` (as `ask` joins them by default), the first and third windows of one
    paragraph are one quote at once, running over the second window's text between them,
    ranked where the better one was; the passage between in the list keeps its place."""
    one, two, three = long_windows(qa)
    got = join_windows(qa.index, [(three, 0.9), (library(qa), 0.85), (one, 0.8)], 5, gaps=True)
    assert got == [((one, three), 0.9), ((library(qa),), 0.85)]
    chunks = qa.index.chunks
    start, end = chunks[one].start, chunks[three].end
    assert start < chunks[two].start and chunks[two].end <= end  # the gap is inside the quote


def test_with_gaps_windows_far_apart_in_a_long_speech_stay_two_quotes(tmp_path: Path) -> None:
    """In a speech of many windows, the first and the last are more than two windows apart:
    two quotes, not one running over the whole speech; the first and third still join."""
    speech = "Speech, 2024-05-04\n\nMAYOR: " + " ".join(
        f"Point {n} of the plan concerns district {n} and its {n * 7} homes in full."
        for n in range(1, 80)
    )
    qa = hashed_assistant(tmp_path, {"speech.txt": speech + "\n"})
    chunks = qa.index.chunks
    rows = sorted(range(len(chunks)), key=lambda i: chunks[i].start)
    assert len(rows) >= 6
    far = join_windows(qa.index, [(rows[-1], 0.9), (rows[0], 0.8)], 5, gaps=True)
    assert far == [((rows[-1],), 0.9), ((rows[0],), 0.8)]
    near = join_windows(qa.index, [(rows[2], 0.9), (rows[0], 0.8)], 5, gaps=True)
    assert near == [((rows[0], rows[2]), 0.9)]


def test_at_most_k_quotes(qa: Assistant) -> None:
    """A window joining another does not count; a new quote past k ends the list."""
    first, second = windows(qa)
    got = join_windows(qa.index, [(first, 0.9), (second, 0.8), (library(qa), 0.7)], 1)
    assert got == [((first, second), 0.9)]


def test_ask_shows_the_answer_from_its_first_sentence(qa: Assistant) -> None:
    """Asked about the bridge, whose words fill the answer's second window and open its first,
    the quote runs from the decisive first sentence to the end, exactly as in the file, and
    overlaps no other quote; without joining, the first window is dropped as overlapping the
    second and the "Yes" is not shown."""
    question = "When does the harbour bridge reopen to lorries? Where does it stand today?"
    source = (Path(qa.corpus_root) / "briefing.txt").read_text(encoding="utf-8")
    answer = qa.ask(question, k=3)
    top = answer.passages[0]
    assert top.text.startswith("Yes, the harbour bridge will reopen")
    assert top.text.endswith("stands today.")
    assert source[top.citation.start : top.citation.end] == top.text
    spans = sorted((p.citation.document, p.citation.start, p.citation.end) for p in answer.passages)
    assert all(a[0] != b[0] or a[2] <= b[1] for a, b in itertools.pairwise(spans))
    alone = Retriever(qa.index, qa.model, RetrievalConfig(join_windows=False)).ask(question, k=3)
    assert not any("Yes, the harbour bridge" in p.text for p in alone.passages)
