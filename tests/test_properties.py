"""Property-based tests of the reader: any text reads without crashing, and every paragraph and
passage it yields is exactly its source slice."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus import decode_text
from assistant.passages import MAX_WORDS, chunk_transcript
from assistant.transcripts import ANSWER, QUESTION, STATEMENT, parse_transcript

# Pieces of real transcript structure, so generated texts hit labels, furniture and windows.
PIECES = [
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "\u00a0",
    "\ufeff",
    "\x0c",
    "\u2028",
    "Q ",
    "Q: ",
    "A: ",
    "Q\n",
    "MR. EARNEST: ",
    "CHAIR POWELL: ",
    "MS. SMITH. ",
    "Shen Beili:\n",
    "Chair Powell: ",
    "OK. ",
    "END",
    "12:47 P.M. EDT",
    "<  1  2  3  >",
    "< 12 >",
    "Page 3 of 9",
    "James S. Brady Press Briefing Room",
    "October 31, 2022",
    "10/30/09",
    "Inflation is too high. ",
    "Why? ",
    "Mr. Smith said so. ",
    "U.S. growth slowed… ",
    "“Quoted.” ",
    "word ",
    "Yes. ",
    "(Laughter.) ",
    "—",
    "?",
    ".",
    ":",
    "é",
    "中文",
    "🙂",
]
structured = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=80).map(
    "".join
)
any_text = st.one_of(structured, st.text(max_size=400))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_any_text_parses_into_exact_source_slices(text):
    t = parse_transcript(text, "doc.txt")
    end = 0
    for n, p in enumerate(t.paragraphs, 1):
        assert p.index == n
        assert text[p.start : p.end] == p.text
        assert p.text and p.text == p.text.strip()
        assert p.start >= end  # in order, not overlapping
        end = p.end
        assert p.role in (QUESTION, ANSWER, STATEMENT)
        if p.question is not None:
            assert p.role == ANSWER and p.question < p.index
            assert t.paragraphs[p.question - 1].role == QUESTION
    assert "\n" not in t.title


@SETTINGS
@given(any_text, st.integers(min_value=1, max_value=40))
def test_any_text_chunks_into_exact_bounded_passages(text, max_words):
    t = parse_transcript(text, "doc.txt")
    chunks = chunk_transcript(t, max_words=max_words)
    for c in chunks:
        para = t.paragraphs[c.paragraph - 1]
        assert text[c.start : c.end] == c.text
        assert para.start <= c.start < c.end <= para.end
        assert len(c.text.split()) <= max_words or len(para.text.split()) <= max_words
    # every word of every paragraph is in some passage
    for p in t.paragraphs:
        covered = [(c.start, c.end) for c in chunks if c.paragraph == p.index]
        for word_start in _word_starts(text, p.start, p.end):
            assert any(s <= word_start < e for s, e in covered)


def _word_starts(text: str, start: int, end: int) -> list[int]:
    out = []
    for i in range(start, end):
        if not text[i].isspace() and (i == start or text[i - 1].isspace()):
            out.append(i)
    return out


@SETTINGS
@given(st.text(min_size=1, max_size=300), st.sampled_from(["\n", "\r\n", "\r"]))
def test_decoded_text_is_what_read_text_gives(text, newline):
    """`decode_text` yields exactly what `Path.read_text(encoding="utf-8")` yields, so offsets
    into it are offsets into the file as a reader sees it."""
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    try:
        decoded = decode_text(data, "doc.txt")
    except ValueError:
        return  # empty, whitespace-only, NUL bytes or surrogates: skipped with a reason
    as_read = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    assert decoded == as_read


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=MAX_WORDS + 1, max_value=3 * MAX_WORDS))
def test_long_turns_are_windows_of_at_most_max_words(words):
    body = " ".join(f"w{i}." if i % 17 == 16 else f"w{i}" for i in range(words))
    text = f"Title\n\nCHAIR POWELL: {body}\n"
    chunks = chunk_transcript(parse_transcript(text))
    assert len(chunks) >= 2
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
