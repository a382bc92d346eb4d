"""Passages: verbatim spans of one paragraph, long turns cut into bounded sentence windows."""

from __future__ import annotations

import itertools
import re

import pytest

from assistant.passages import MAX_WORDS, chunk_paragraph, chunk_transcript, embedding_text
from assistant.transcripts import parse_transcript

from .conftest import SHARED_CORPUS

WORDS = re.compile(r"\S+")


def test_every_passage_of_the_shared_corpus_is_its_source_slice(shared_corpus):
    """Offsets invariant, passages: for every passage of every shared transcript,
    `source[start:end] == text`, inside its paragraph, with the paragraph's speaker and role."""
    checked = 0
    for path in sorted(shared_corpus.rglob("*.txt")):
        document = path.relative_to(shared_corpus).as_posix()
        text = path.read_text(encoding="utf-8")
        t = parse_transcript(text, document)
        for c in chunk_transcript(t):
            para = t.paragraphs[c.paragraph - 1]
            assert text[c.start : c.end] == c.text, (document, c.paragraph)
            assert para.start <= c.start < c.end <= para.end
            assert (c.speaker, c.role, c.question) == (para.speaker, para.role, para.question)
            checked += 1
    assert checked > 5000


def test_long_opening_statement_is_split_into_bounded_windows(shared_corpus):
    """A 1,500-word FOMC opening statement becomes sentence windows of at most MAX_WORDS words
    that together cover every word, in order, each overlapping or touching the next."""
    document = "fomc/fomc_2022-06-15.txt"
    text = (shared_corpus / document).read_text(encoding="utf-8")
    opening = parse_transcript(text, document).paragraphs[0]
    assert len(WORDS.findall(opening.text)) > 1000
    windows = chunk_paragraph(opening, document)
    assert len(windows) > 8
    assert all(len(WORDS.findall(w.text)) <= MAX_WORDS for w in windows)
    assert windows[0].start == opening.start and windows[-1].end == opening.end
    for before, after in itertools.pairwise(windows):
        assert before.start < after.start <= before.end + 1  # overlap by a sentence, no gap
        assert after.end > before.end
    # windows end at sentence ends
    assert all(w.text.rstrip("”’\"')").endswith((".", "?", "!")) for w in windows[:-1])


def test_short_paragraph_is_one_passage():
    t = parse_transcript("T\n\nMR. GIBBS: All sorts of things.\n")
    (chunk,) = chunk_transcript(t)
    assert (chunk.text, chunk.speaker) == ("All sorts of things.", "Mr. Gibbs")


def test_sentence_without_punctuation_is_cut_at_words():
    """A run-on turn without any full stop is still cut into bounded windows."""
    body = " ".join(f"word{i}" for i in range(1000))
    text = f"Title\n\nMR. LONG: {body}\n"
    t = parse_transcript(text)
    chunks = chunk_transcript(t)
    assert len(chunks) >= 1000 // MAX_WORDS
    assert all(len(WORDS.findall(c.text)) <= MAX_WORDS for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    covered = {w for c in chunks for w in c.text.split()}
    assert covered == set(body.split())


def test_embedded_text_adds_context_but_passage_text_stays_verbatim():
    """The model reads title, speaker and the question answered; `text` stays the source span."""
    source = "Briefing, 2020-01-02\n\nQ Is the budget late?\n\nMR. EARNEST: It is on time.\n"
    t = parse_transcript(source)
    answer = chunk_transcript(t)[1]
    assert answer.text == "It is on time." == source[answer.start : answer.end]
    embedded = embedding_text(answer, t)
    assert embedded.startswith("Briefing, 2020-01-02 Mr. Earnest:")
    assert "Is the budget late?" in embedded and embedded.endswith("It is on time.")


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_every_passage_fits_the_models_window(shared_corpus):
    """No passage exceeds MAX_WORDS words, so all-MiniLM-L6-v2 (256 word pieces) reads it whole."""
    for path in sorted(shared_corpus.rglob("*.txt")):
        t = parse_transcript(path.read_text(encoding="utf-8"), path.name)
        assert all(len(WORDS.findall(c.text)) <= MAX_WORDS for c in chunk_transcript(t))


def test_long_runs_of_punctuation_split_cleanly():
    """A run of 100,000 dots (OCR debris) is one sentence end, not a quadratic scan."""
    from assistant.passages import split_sentences

    text = "Start" + "." * 100_000 + " Next sentence here."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Start" + "." * 100_000,
        "Next sentence here.",
    ]
