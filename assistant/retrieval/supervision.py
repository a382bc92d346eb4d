"""Free, in-domain training data from the corpus itself: each question the reader linked to its
answers (a reporter's question and the official's reply; in a meeting, a turn that asks and the
next speaker's turn) becomes a search for the answer, asked in the question's own words.

The search is the asking sentence of the question paragraph, and that sentence is then *held
out of the corpus*: the question paragraph is taken to hold only the rest of its words (the
preamble: "You said inflation is transitory."), and everything ranking reads of the answers
(their embedded and BM25 texts, which include the question they answer) is recomputed with the
preamble in its place (`tune`). Otherwise the search would find its own words in the answers'
texts and training would learn to match a text with itself; held out, a pair is what a user's
question meets: words the corpus does not hold, about a topic it does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from assistant.passages import split_sentences
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION

MIN_WORDS = 4  # a question sentence shorter than this is joined to the one before it
MAX_WORDS = 40  # ... and one longer is cut to its last words (the asking end)
MIN_CONTENT = 2  # searches with fewer content stems are too vague to learn from


@dataclass(frozen=True)
class Pair:
    """One question of the corpus as a search: its words, its passages, the answers."""

    document: str
    query: str  # the asking sentence(s), held out of the corpus
    preamble: str  # the rest of the question paragraph (may be empty)
    paragraph: int  # the question paragraph (1-based)
    question_rows: tuple[int, ...]  # passages of the question paragraph
    answers: tuple[int, ...]  # passages answering it


def split_question(paragraph: str) -> tuple[str, str]:
    """(asking part, preamble) of a question paragraph: its last sentence with a question mark
    (with the sentence before when that one is short), at most `MAX_WORDS` words, and the
    paragraph's other sentences."""
    sentences = [paragraph[s:e] for s, e in split_sentences(paragraph)]
    if not sentences:
        return "", ""
    asking = [i for i, s in enumerate(sentences) if "?" in s]
    last = asking[-1] if asking else len(sentences) - 1
    first = last - 1 if len(sentences[last].split()) < MIN_WORDS and last > 0 else last
    words = " ".join(sentences[first : last + 1]).split()
    preamble = " ".join(sentences[:first] + sentences[last + 1 :])
    return " ".join(words[-MAX_WORDS:]), preamble


MAX_ANSWERS = 3  # answer passages per pair (the first windows of long answers)


def question_pairs(view: CorpusView, limit: int = 2000, seed: int = 0) -> list[Pair]:
    """Up to `limit` (a seeded sample) of the corpus's answered questions, as searches: the
    asking sentence held out, the preamble kept. Questions without a preamble are left out:
    held out whole, their answers would be the only ones in the corpus answering nothing, and
    a model would learn to spot that instead of what answers a question."""
    index = view.index
    chunks = index.chunks
    rows = np.flatnonzero(view.chunk_role == QUESTION)
    paragraph = np.asarray(chunks.column("paragraph"))[rows]
    groups: dict[tuple[int, int], list[int]] = {}
    for row, para in zip(rows.tolist(), paragraph.tolist(), strict=True):
        groups.setdefault((int(view.chunk_doc[row]), para), []).append(row)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    pairs: list[Pair] = []
    for doc_code, para in keys:
        document = view.documents[doc_code]
        answers = view.answers_to.get((document, para))
        if not answers:
            continue
        text, preamble = split_question(index.documents[document].paragraphs[para - 1].text)
        if (
            len(set(view.tokens(text))) < MIN_CONTENT
            or len(set(view.tokens(preamble))) < MIN_CONTENT
        ):
            continue
        pairs.append(
            Pair(
                document,
                text,
                preamble,
                para,
                tuple(groups[(doc_code, para)]),
                tuple(answers[:MAX_ANSWERS]),
            )
        )
        if len(pairs) == limit:
            break
    return pairs
