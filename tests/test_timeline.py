"""Over time: phrase counts, rates, topic passages and quotes across dated transcripts.

Most tests use the hashing model: phrase counts do not depend on the model, and the topic
passages must equal what `ask` returns with the date's filter whatever the model ranks. The
default corpus (corpus/: the seed, 45 FOMC press conferences, 16 White House briefings) is
indexed once with it (a few seconds).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.folding import fold
from assistant.retrieval import MAX_K, Retriever
from assistant.retrieval.diversify import diversify
from assistant.retrieval.relevance import passage_words, relevance
from assistant.retrieval.topic import date_groups, topic_passages
from assistant.timeline import phrase
from assistant.timeline.phrase import fold_with_offsets, folded_text
from assistant.timeline.text import sparkline
from embeddings import HashingModel

from .conftest import FOMC_LIKE, REPO, write_corpus

ARCHIVE = REPO / "corpus"
FOMC = sorted((ARCHIVE / "fomc").glob("*.txt"))
needs_archive = pytest.mark.skipif(
    len(FOMC) < 45, reason="corpus/ does not ship the FOMC press conferences"
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The default corpus, indexed with the hashing model."""
    if len(FOMC) < 45:
        pytest.skip("corpus/ does not ship the FOMC press conferences")
    return Assistant.build(
        ARCHIVE, tmp_path_factory.mktemp("archive") / "index", model=HashingModel()
    )


# ----------------------------------------------------------------------------- phrases
def test_a_phrase_matches_folded_text_as_whole_words():
    """Case, curly quotes, dashes and line breaks are folded; a match never sits inside a word."""
    p = phrase("“soft landing”")
    assert p.count("A Soft\n  landing, a soft landing; softer landings; a soft-landing") == 2
    assert phrase("don't").count("I DON’T think so, don't") == 2
    assert phrase("rate").count("separate pirates") == 0


def test_one_word_counts_its_inflected_forms_only():
    """ "tariff" counts "tariffs" and the possessive, not "nontariff"; "hike" counts "hiked"."""
    assert phrase("tariff").count("Tariffs, the tariff’s effect, nontariff barriers") == 2
    assert phrase("hike").count("they hiked; hiking; hikes; a hiker") == 3
    assert phrase("transitory").forms == ("transitory",)


def test_spans_index_the_original_text():
    text = "Inflation was  “TRANSITORY”,\nwe said; transitory."
    spans = phrase("transitory").spans(text)
    assert [text[s:e] for s, e in spans] == ["TRANSITORY", "transitory"]


def test_an_empty_phrase_is_refused():
    with pytest.raises(ValueError, match="no words"):
        phrase(" … ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z\n\t-\u00ad’“—ßİ\u3000.x")), max_size=40))
def test_fast_folding_equals_fold(text):
    """The C-speed folding used for counting and quotes gives exactly `fold`'s text and offsets."""
    folded = fold(text)
    assert folded_text(text) == folded.text
    fast = fold_with_offsets(text)
    assert (fast.text, fast.offsets) == (folded.text, folded.offsets)
    for query in ("ab", "a b", "z-a"):
        p = phrase(query)
        found = [folded.span(m.start(), m.end()) for m in p.pattern.finditer(folded.text)]
        assert p.spans(text) == found and p.count(text) == len(found)


def test_sparkline_scales_to_the_largest_value():
    assert sparkline([0, 4, 8, None]) == "▁▅█ "


# ----------------------------------------------------------------------------- relevance
@needs_archive
@pytest.mark.parametrize(
    "question",
    [
        "tariffs and inflation",
        "What did the Chair say about the labor market?",
        "Ebola quarantine for health workers",
        "Is Chair Powell worried about Powell's term?",
    ],
)
def test_relevance_from_postings_equals_the_passages_own_words(archive, question):
    """The per-passage relevance read from the BM25 postings equals the share of the question's
    content found in each passage's words and the question it answers, for every passage
    (a stem of a speaker's name included)."""
    r = archive.retriever
    measure = relevance(r.view, question, r.resolve(question), r.config)
    rows = np.arange(len(archive.index.chunks))
    got = measure.of(r.view, rows)
    total = measure.total
    for i in [*rows[:: max(1, len(rows) // 1500)].tolist(), int(np.argmax(got))]:
        present = set(r.view.tokens(passage_words(r.view, i)))
        want = sum(w for t, w in measure.weights.items() if t in present) / total
        assert got[i] == pytest.approx(want), i
    assert (measure.bound(r.view) >= got - 1e-12).all()


@needs_archive
def test_diversify_keeps_the_first_of_overlapping_or_duplicate_passages(archive):
    """The vectorised de-duplication chooses what a pairwise check over the chosen does."""
    index = archive.index
    ranked, _, _ = archive.retriever._rank(
        archive.retriever.resolve("inflation"),
        archive.retriever.query_vector(archive.retriever.resolve("inflation")),
        None,
        (),
    )
    for threshold in (0.3, 0.6, 0.92):
        want: list[tuple[int, float]] = []
        for i, score in ranked:
            c = index.chunks[i]
            overlap = any(
                index.chunks[j].document == c.document
                and index.chunks[j].start < c.end
                and c.start < index.chunks[j].end
                for j, _ in want
            )
            close = any(
                float(np.asarray(index.vectors.vectors[i]) @ np.asarray(index.vectors.vectors[j]))
                > threshold
                for j, _ in want
            )
            if not (overlap or close):
                want.append((i, score))
            if len(want) == 20:
                break
        assert diversify(index, ranked, 20, threshold) == want


# ----------------------------------------------------------------------------- the timeline
def _powell_paragraphs(path: Path) -> list[str]:
    """Chair Powell's paragraphs, read from the file with a parser of its own: blocks between
    blank lines; a block opening with an upper-case `NAME:` label starts that speaker's turn."""
    speaker, out = None, []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        label = re.match(r"([A-Z][A-Z.'’ -]+):\s", block)
        if label:
            speaker, block = label.group(1), block[label.end() :]
        if speaker == "CHAIR POWELL":
            out.append(block)
    return out


@needs_archive
def test_transitory_by_powell_counts_what_the_transcripts_say(archive):
    """Every FOMC conference, in date order, with the count of "transitory" in Powell's
    paragraphs computed independently from the files, and a Powell quote holding the word for
    every date where the count is above zero."""
    timeline = archive.timeline("transitory", speaker="Powell")
    assert [r.document for r in timeline.rows] == [f"fomc/{p.name}" for p in FOMC]
    assert [r.date for r in timeline.rows] == sorted(r.date for r in timeline.rows)
    assert timeline.undated == []
    word = re.compile(r"(?<![a-z0-9])transitory(?![a-z0-9])")
    for row, path in zip(timeline.rows, FOMC, strict=True):
        want = sum(len(word.findall(p.casefold())) for p in _powell_paragraphs(path))
        assert row.phrase_count == want, row.document
        if want:
            quote = row.quotes[0]
            assert quote.citation.speaker == "Chair Powell"
            assert "transitory" in quote.text.casefold()
            text = archive.document_text(row.document)
            assert text[quote.citation.start : quote.citation.end] == quote.text
            assert next(quote.text[s:e] for s, e in quote.highlights).casefold() == "transitory"
    assert sum(r.phrase_count for r in timeline.rows) > 10


@needs_archive
def test_rate_is_per_ten_thousand_words_the_speaker_spoke(archive):
    timeline = archive.timeline("inflation", speaker="Powell", mode="phrase")
    row = max(timeline.rows, key=lambda r: r.phrase_count)
    spoken = archive.timelines.words_spoken(row.document)["Chair Powell"]
    assert row.rate_per_10k == round(row.phrase_count * 10_000 / spoken, 2)
    assert row.topic_passages is None


@needs_archive
def test_topic_passages_are_those_ask_returns_for_the_date_above_the_threshold(archive):
    """For a date, the topic passages are the passages `ask` with that date's filter returns
    that hold `topic_coverage` of the question's content, one window each (as `ask` shows them
    with `join_windows` off); the row counts them."""
    question, date = "tariffs and inflation", "2025-05-07"
    r = archive.retriever
    found = topic_passages(r, question, date_groups(r.view, [date]))[date]
    windows = Retriever(archive.index, archive.model, replace(r.config, join_windows=False))
    answer = windows.ask(question, k=MAX_K, date_from=date, date_to=date)
    assert answer.answered
    rows = [_row(archive, p) for p in answer.passages]
    shares = relevance(r.view, question, r.resolve(question), r.config).of(r.view, rows)
    want = [i for i, share in zip(rows, shares, strict=True) if share >= r.config.topic_coverage]
    assert [i for i, _ in found] == want and want
    row = next(x for x in archive.timeline(question).rows if x.date == date)
    assert row.topic_passages == len(want)


@needs_archive
def test_a_topic_s_common_word_alone_does_not_count(archive):
    """Over time, "human rights" counts the passages holding "human" (the rarer word: half the
    query's content), not every "right now" and "the right thing": at ask's abstention share
    (a quarter) those counted too, in every FOMC conference."""
    question, r = "human rights", archive.retriever
    dates = [row.date for row in archive.timeline(question, mode="topic").rows]
    groups = date_groups(r.view, dates)

    def holding_human(found: dict) -> list[bool]:
        rows = [i for pairs in found.values() for i, _ in pairs]
        return ["human" in r.view.tokens(passage_words(r.view, i)) for i in rows]

    counted = holding_human(topic_passages(r, question, groups))
    assert counted and all(counted)
    lenient = Retriever(archive.index, archive.model, replace(r.config, topic_coverage=0.25))
    assert not all(holding_human(topic_passages(lenient, question, groups)))


@needs_archive
def test_topic_passages_are_zero_where_ask_abstains(archive):
    """Ebola was never an FOMC topic: ask with an FOMC date abstains, and the count is zero."""
    timeline = archive.timeline("Ebola quarantine", mode="topic")
    fomc = [r for r in timeline.rows if r.document.startswith("fomc/")]
    for row in fomc[:3]:
        answer = archive.ask("Ebola quarantine", k=MAX_K, date_from=row.date, date_to=row.date)
        assert not answer.answered and row.topic_passages == 0
    assert any(r.topic_passages for r in timeline.rows if r.document.startswith("whitehouse/"))


def _row(qa: Assistant, passage) -> int:
    c = passage.citation
    chunks = qa.index.chunks
    for i in np.flatnonzero(np.asarray(chunks.column("start")) == c.start).tolist():
        if chunks[i].document == c.document and chunks[i].end == c.end:
            return i
    raise AssertionError(f"no passage at {c.document} {c.start}")


def test_rows_are_dated_transcripts_in_order_and_undated_ones_apart(make_corpus, tmp_path):
    files = {
        "b.txt": "Briefing, 2014-10-29\n\nMR. EARNEST: Ebola response, Ebola again.\n",
        "a.txt": "Briefing, 2009-10-30\n\nMR. GIBBS: The Ebola virus is not the flu.\n",
        "notes.txt": "Notes without a date\n\nMR. EARNEST: Ebola once.\n",
    }
    qa = Assistant.build(make_corpus(files), tmp_path / "index", model=HashingModel())
    timeline = qa.timeline("ebola")
    assert [(r.document, r.date, r.phrase_count) for r in timeline.rows] == [
        ("a.txt", "2009-10-30", 1),
        ("b.txt", "2014-10-29", 2),
    ]
    assert [(r.document, r.date, r.phrase_count) for r in timeline.undated] == [
        ("notes.txt", None, 1)
    ]
    data = timeline.to_dict()
    assert list(data) == ["query", "speaker", "rows", "undated"]
    assert list(data["rows"][0]) == [
        "document",
        "title",
        "date",
        "phrase_count",
        "rate_per_10k",
        "topic_passages",
        "quotes",
    ]
    json.dumps(data)
    lines = list(csv.reader(io.StringIO(timeline.to_csv())))
    assert [line[0] for line in lines[1:]] == ["2009-10-30", "2014-10-29", ""]
    assert qa.timeline("ebola", date_from="2010-01-01").rows[0].document == "b.txt"
    assert qa.timeline("ebola", date_from="2010-01-01").undated == []


def test_a_speaker_keeps_the_transcripts_where_they_speak(small_corpus, tmp_path):
    qa = Assistant.build(small_corpus, tmp_path / "index", model=HashingModel())
    timeline = qa.timeline("inflation", speaker="Powell")
    assert [r.document for r in timeline.rows] == ["fomc/fomc_2022-06-15.txt"]
    assert timeline.rows[0].phrase_count == 3  # Powell's three, not the reporters'
    assert timeline.speakers == ("Chair Powell",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "  "}, "empty"),
        ({"query": "ebola", "mode": "chart"}, "mode must be one of"),
        ({"query": "ebola", "date_from": "2014"}, "YYYY-MM-DD"),
        ({"query": "ebola", "speaker": "Nobody Atall"}, "no speaker matching"),
    ],
)
def test_bad_requests_get_a_clear_error(small_corpus, tmp_path, kwargs, message):
    qa = Assistant.build(small_corpus, tmp_path / "index", model=HashingModel())
    with pytest.raises(ValueError, match=message):
        qa.timeline(**kwargs)


def test_auto_mode_counts_a_phrase_and_looks_for_a_question_s_topic(small_corpus, tmp_path):
    qa = Assistant.build(small_corpus, tmp_path / "index", model=HashingModel())
    assert qa.timeline("housing market").mode == "both"
    assert qa.timeline('"housing market"').mode == "phrase"
    long = qa.timeline("What did the Chair say about the housing market and mortgage rates?")
    assert long.mode == "topic" and all(r.phrase_count is None for r in long.rows)


def test_cli_prints_a_dated_table_and_writes_csv(small_corpus, tmp_path, capsys):
    from assistant.cli import main

    index = tmp_path / "index"
    Assistant.build(small_corpus, index, model=HashingModel())
    out_csv = tmp_path / "out.csv"
    assert main(["timeline", "Ebola", "--index", str(index), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    assert "2014-10-29" in printed and "whitehouse/wh_2014-10-29.txt" in printed
    assert "phrase  " in printed and "Best quotes" in printed
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert {r["date"]: r["phrase_count"] for r in rows}["2014-10-29"] == "2"
    assert main(["timeline", "Ebola", "--index", str(index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "Ebola" and len(data["rows"]) == 3
    with pytest.raises(SystemExit):
        main(["timeline", "Ebola", "--index", str(index), "--mode", "chart"])


def test_the_shipped_corpus_lists_its_sources_and_indexes_without_them(tmp_path):
    """corpus/SOURCES.md names the origin of every shipped transcript, and indexing skips it."""
    sources = (ARCHIVE / "SOURCES.md").read_text(encoding="utf-8")
    shipped = sorted(p.relative_to(ARCHIVE).as_posix() for p in ARCHIVE.rglob("*.txt"))
    assert len(shipped) >= 1
    for name in shipped:
        assert f"| {name} |" in sources, name
    corpus = write_corpus(tmp_path / "c", {"SOURCES.md": sources, "a.txt": FOMC_LIKE})
    report = Assistant.build(corpus, tmp_path / "index", model=HashingModel()).report
    assert report.documents == 1 and [s.document for s in report.skipped] == ["SOURCES.md"]
    shutil.rmtree(corpus)


# ----------------------------------------------------------------------------- the real model
TORCH_INDEX = Path(os.environ.get("VERBATIM_SHARED_INDEX", "/work/cache/shared-index-torch"))


@pytest.fixture(scope="module")
def real_archive(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A copy of the prebuilt all-MiniLM-L6-v2 index of ../shared/corpus (the same content as
    corpus/), where this machine has one: embedding 9,682 passages in a test would take minutes."""
    if not (TORCH_INDEX / "CURRENT").is_file():
        pytest.skip(f"no prebuilt index of the shared corpus at {TORCH_INDEX}")
    copy = tmp_path_factory.mktemp("torch-index") / "index"
    shutil.copytree(TORCH_INDEX, copy)
    return Assistant.load(copy)


@pytest.mark.model
@pytest.mark.shared
@pytest.mark.parametrize("date", ["2025-05-07", "2022-06-15"])
def test_with_the_real_model_topic_passages_are_those_ask_returns(real_archive, date):
    """With all-MiniLM-L6-v2, "tariffs and inflation" on a date: the timeline's topic passages
    are the passages `ask` with that date's filter returns holding `topic_coverage` of its
    content, one window each (`join_windows` off)."""
    qa, question = real_archive, "tariffs and inflation"
    r = qa.retriever
    found = topic_passages(r, question, date_groups(r.view, [date]))[date]
    windows = Retriever(qa.index, qa.model, replace(r.config, join_windows=False))
    answer = windows.ask(question, k=MAX_K, date_from=date, date_to=date)
    rows = [_row(qa, p) for p in answer.passages]
    shares = relevance(r.view, question, r.resolve(question), r.config).of(r.view, rows)
    want = [i for i, share in zip(rows, shares, strict=True) if share >= r.config.topic_coverage]
    assert [i for i, _ in found] == want
    assert next(x for x in qa.timeline(question).rows if x.date == date).topic_passages == len(want)
