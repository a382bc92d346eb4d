"""A ranked passage row as what the user gets: the verbatim quote, its citation, its context
and the sentences that best answer the question."""

from __future__ import annotations

from assistant.answers import Citation, Context, Passage
from assistant.passages import split_sentences
from assistant.retrieval.view import CorpusView


def passage(view: CorpusView, i: int, score: float, stems: set[str]) -> Passage:
    chunk = view.index.chunks[i]
    record = view.index.documents[chunk.document]
    paragraphs = record.paragraphs
    para = paragraphs[chunk.paragraph - 1]
    citation = Citation(
        document=chunk.document,
        title=record.title,
        date=record.date,
        speaker=chunk.speaker,
        paragraph=chunk.paragraph,
        start=chunk.start,
        end=chunk.end,
        role=chunk.role,
        page=chunk.page,
        time=chunk.time,
    )
    question = paragraphs[chunk.question - 1] if chunk.question else None
    before = paragraphs[para.index - 2] if para.index > 1 else None
    after = paragraphs[para.index] if para.index < len(paragraphs) else None
    context = Context(
        question=question.text if question else None,
        question_speaker=question.speaker if question else None,
        before=before.text if before else None,
        before_speaker=before.speaker if before else None,
        after=after.text if after else None,
        after_speaker=after.speaker if after else None,
    )
    return Passage(
        chunk.text,
        round(float(score), 6),
        citation,
        highlights(view, chunk.text, stems),
        context,
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
