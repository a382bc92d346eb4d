"""A ranked passage row as what the user gets: the verbatim quote, its citation, its context
and the sentences that best answer the question."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answers import Citation, Context, Passage
from assistant.passages import split_sentences
from assistant.retrieval.view import CorpusView
from assistant.transcripts import Paragraph


def passage(view: CorpusView, i: int | Sequence[int], score: float, stems: set[str]) -> Passage:
    """Passage row `i`, or windows of one paragraph (`diversify.join_windows`, in text order)
    as one quote: the document's text from the first's start to the last's end."""
    rows = [i] if isinstance(i, int) else list(i)
    chunk, last = view.index.chunks[rows[0]], view.index.chunks[rows[-1]]
    record = view.index.documents[chunk.document]
    paragraphs = record.paragraphs
    para = paragraphs[chunk.paragraph - 1]
    text = chunk.text if len(rows) == 1 else record.text[chunk.start : last.end]
    citation = Citation(
        document=chunk.document,
        title=record.title,
        date=record.date,
        speaker=chunk.speaker,
        paragraph=chunk.paragraph,
        start=chunk.start,
        end=last.end,
        role=chunk.role,
        page=chunk.page,
        time=chunk.time,
    )
    return Passage(
        text,
        round(float(score), 6),
        citation,
        highlights(view, text, stems),
        context(paragraphs, para.index, chunk.question),
    )


def context(paragraphs: Sequence[Paragraph], index: int, question: int | None) -> Context:
    """The verbatim surroundings of paragraph `index` (1-based): the question it answers
    (paragraph `question`), and the paragraphs before and after it."""
    asked = paragraphs[question - 1] if question else None
    before = paragraphs[index - 2] if index > 1 else None
    after = paragraphs[index] if index < len(paragraphs) else None
    return Context(
        question=asked.text if asked else None,
        question_speaker=asked.speaker if asked else None,
        before=before.text if before else None,
        before_speaker=before.speaker if before else None,
        after=after.text if after else None,
        after_speaker=after.speaker if after else None,
    )


def highlights(view: CorpusView, text: str, stems: set[str]) -> list[tuple[int, int]]:
    """The sentence(s) of `text` sharing the most (IDF-weighted) words with the question."""
    sentences = split_sentences(text)
    if not sentences or not stems:
        return []
    scores = []
    for s, e in sentences:
        present = set(view.tokens(text[s:e])) & stems
        scores.append(sum(float(view.idf[view.vocab[t]]) for t in present if t in view.vocab))
    best = max(scores)
    if best <= 0:
        return []
    return [span for span, score in zip(sentences, scores, strict=True) if score >= 0.75 * best][:3]
