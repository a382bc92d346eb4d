"""When to say "nothing answers this": key terms the corpus never uses (under any name it uses
for them: `aliases`), and top passages that hold too little of the question's content.

Coverage is measured over about a paragraph's worth of words around each top passage: a
meeting's turns are short ("Grad B: the disks, yeah"), and a topic there spans several of them.
"""

from __future__ import annotations

import re

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from assistant.dates import MONTHS
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.links import Links
from assistant.retrieval.query import Query
from assistant.retrieval.view import WORD, CorpusView

# Words that frame a question rather than say what it is about.
_FRAMING_WORDS = (
    "say said says saying think thinks thought talk talked talking comment commented comments "
    "discuss discussed mention mentioned ask asked tell told respond responded response react "
    "reacted reaction explain explained describe described view views take position stance "
    "feel feels believe believes expect expected remark remarks press conference briefing "
    "meeting transcript"
)
# How questions about meetings and hearings are framed ("Summarize the discussion about X",
# "What did the group think of X when discussing Y?", "What was decided on X?").
_MEETING_FRAMING_WORDS = (
    "summarize summarise summary discussion discussions discussing conversation debate "
    "opinion opinions idea ideas thoughts perspective elaborate elaborated propose proposed "
    "recommend recommended suggest suggested agree agreed disagree disagreed decide decided "
    "decision decisions conclude concluded conclusion group team members everyone"
)
# Function words (bm25s' fuller English list) never count as content a passage must hold.
FUNCTION_WORDS = set(STOPWORDS_EN_PLUS) | {"would", "could", "anything", "much", "many"}
_stem = Stemmer.Stemmer("english").stemWord
FRAMING_STEMS = {_stem(w) for w in _FRAMING_WORDS.split()}
MEETING_FRAMING_STEMS = FRAMING_STEMS | {_stem(w) for w in _MEETING_FRAMING_WORDS.split()}


def missing_terms(view: CorpusView, question: str) -> list[str]:
    """Key terms of the question (names, acronyms, rare words) found nowhere in the corpus."""
    missing = []
    for m in re.finditer(r"[\w'’.-]+", question):
        word = m.group(0).strip(".'’-")
        low = word.lower().removesuffix("'s").removesuffix("’s")
        if not word or low in view.stopwords or low in MONTHS or word.isdigit():
            continue
        is_name = word[0].isupper() and m.start() > 0
        is_acronym = sum(ch.isupper() for ch in word) >= 2
        if not (is_name or is_acronym):
            continue
        stems = view.tokens(low)
        if stems and all(s not in view.vocab for s in stems):
            missing.append(word)
    return missing


def coverage(
    view: CorpusView,
    question: str,
    query: Query,
    chosen: list[tuple[int, float]],
    cfg: RetrievalConfig,
    links: Links | None = None,
    scope: np.ndarray | None = None,
) -> float:
    """Share of the question's content (IDF-weighted stems; framing words, names of speakers
    and dates left out) found in the best passage among `chosen`, with the question it
    answers and, for a short passage, its neighbours (`links`). A term the question asks by
    another name than the corpus uses counts under the corpus's name. Low coverage means the
    passages are about something else: abstain.

    A question put to chosen transcripts (`scope`: the document filter's mask) is read in
    their words: a common word they never use is the asker's ("Summarize the product
    quotation" of a meeting that says "price") and is left out; a name or acronym they never
    use still counts against them. There the top passages are read together, as the chosen
    transcripts' best material on the question, instead of one by one.

    A question with a single content word (or none) is never declined for coverage: one word
    the top passages lack says too little about what the question is about ("What was the
    general discussion of the meeting?")."""
    for term, alias in query.aliases:
        question = question.replace(term, alias)
    framing = MEETING_FRAMING_STEMS if cfg.meeting_framing else FRAMING_STEMS
    skip = framing | set(view.tokens(" ".join(query.speakers)))
    if not cfg.scoped_coverage:
        scope = None
    weights = {}
    absent = cfg.absent_term_weight * float(view.idf.max(initial=0.0))
    for m in WORD.finditer(question):
        raw, word = m.group(0), m.group(0).lower()
        if word in FUNCTION_WORDS or word in MONTHS or word.isdigit():
            continue  # dates are matched by the date logic, not by words
        key = sum(ch.isupper() for ch in raw) >= 2 or (raw[:1].isupper() and m.start() > 0)
        for t in view.tokens(word):
            if t in skip:
                continue
            if scope is not None and not key and not _in_scope(view, t, scope):
                continue
            # A word the corpus never uses cannot be covered: it counts against the passages.
            # The floor keeps words found everywhere in a small corpus from weighing nothing.
            weights[t] = max(float(view.idf[view.vocab[t]]), 1.0) if t in view.vocab else absent
    total = sum(weights.values())
    if len(weights) < cfg.coverage_min_terms or total == 0 or not chosen:
        return 1.0 if (len(weights) < cfg.coverage_min_terms or total == 0) else 0.0
    best = 0.0
    index = view.index
    together: set[str] = set()
    for i, _ in chosen:
        chunk = index.chunks[i]
        text = chunk.text
        if chunk.question:
            record = index.documents[chunk.document]
            text += " " + record.paragraphs[chunk.question - 1].text
        if links is not None and cfg.coverage_context:
            text += " " + _around(view, links, i, cfg.coverage_context - len(text.split()))
        present = set(view.tokens(text))
        together |= present
        best = max(best, sum(w for t, w in weights.items() if t in present) / total)
    if scope is not None:
        best = sum(w for t, w in weights.items() if t in together) / total
    return best


def _around(view: CorpusView, links: Links, row: int, words: int) -> str:
    """Text of the passages next to `row` (after, before, alternately) up to about `words`."""
    parts: list[str] = []
    before, after = int(links.before[row]), int(links.after[row])
    while words > 0 and (before >= 0 or after >= 0):
        for step in ("after", "before"):
            at = after if step == "after" else before
            if at < 0 or words <= 0:
                continue
            text = view.index.chunks[at].text
            parts.append(text)
            words -= len(text.split())
            if step == "after":
                after = int(links.after[at])
            else:
                before = int(links.before[at])
    return " ".join(parts)


def _in_scope(view: CorpusView, stem: str, scope: np.ndarray) -> bool:
    """Whether a passage inside `scope` holds `stem` (read from the BM25 index's postings)."""
    code = view.vocab.get(stem)
    if code is None:
        return False
    scores = view.index.bm25.scores  # type: ignore[attr-defined]
    indptr, rows = scores["indptr"], scores["indices"]
    return bool(scope[np.asarray(rows[indptr[code] : indptr[code + 1]])].any())
