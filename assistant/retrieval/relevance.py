"""How much of a question one passage holds: the per-passage measure behind abstention.

A question's content is its stems weighted by IDF (framing words such as "say" or "think",
function words, months, numbers and the speakers it names left out; a word the corpus never
uses weighs against every passage). A passage's relevance is the share of that weight found in
its words and in the reporter's question it answers. `ask` abstains when no passage among its
best few reaches `RetrievalConfig.min_coverage`; the timeline counts, per date, the passages
`ask` returns that reach it. Both use this one measure.

Presence is read from the BM25 postings (what bm25s indexed of each passage: its speaker's
name, its text and the question it answers), so all passages are measured at once; a stem that
is part of a speaker's name is checked in the passage's own words instead, since the name is
not something the passage says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from assistant.dates import MONTHS
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.query import Query
from assistant.retrieval.view import WORD, CorpusView
from assistant.tokens import is_acronym

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
FUNCTION_WORDS = set(STOPWORDS_EN_PLUS) | {"would", "could", "anything", "much", "many", "else"}
_stem = Stemmer.Stemmer("english").stemWord
FRAMING_STEMS = {_stem(w) for w in _FRAMING_WORDS.split()}
MEETING_FRAMING_STEMS = FRAMING_STEMS | {_stem(w) for w in _MEETING_FRAMING_WORDS.split()}


@dataclass(frozen=True)
class Relevance:
    """The weighted content stems of one question; `of` measures passages against them."""

    weights: dict[str, float]  # content stem -> weight

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def of(self, view: CorpusView, rows: Iterable[int] | np.ndarray) -> np.ndarray:
        """Per passage row, the share (0..1) of the question's content it holds; all 1.0 when
        the question has no content words (nothing to miss)."""
        rows = np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows, np.int64)
        total = self.total
        if total == 0:
            return np.ones(len(rows))
        share = np.zeros(len(rows))
        for stem, weight in self.weights.items():
            postings = _postings(view, stem)
            if len(postings) and len(rows):
                at = np.minimum(np.searchsorted(postings, rows), len(postings) - 1)
                share += weight * (postings[at] == rows)
        self._recheck_names(view, rows, share)
        return share / total

    def of_stem(self, view: CorpusView, stem: str, rows: list[int]) -> bool:
        """Whether any of the passages `rows` holds `stem` (in its own words, for a stem of a
        speaker's name)."""
        if stem in _name_stems(view):
            return any(stem in set(view.tokens(passage_words(view, i))) for i in rows)
        postings = _postings(view, stem)  # sorted rows: a binary search per row, where
        if not len(postings) or not len(rows):  # np.isin would hash every posting of a common word
            return False
        wanted = np.asarray(rows, dtype=np.int64)
        at = np.minimum(np.searchsorted(postings, wanted), len(postings) - 1)
        return bool((postings[at] == wanted).any())

    def bound(self, view: CorpusView) -> np.ndarray:
        """For every passage, an upper bound of `of` (exact but for stems of speakers' names):
        cheap enough to rule out, before ranking, the dates where nothing can reach a threshold."""
        total = self.total
        n = len(view.chunk_doc)
        if total == 0:
            return np.ones(n)
        share = np.zeros(n)
        for stem, weight in self.weights.items():
            share[_postings(view, stem)] += weight
        return share / total

    def _recheck_names(self, view: CorpusView, rows: np.ndarray, share: np.ndarray) -> None:
        """In place: rows whose speaker's name holds a content stem, measured on their words."""
        named = {s for s in self.weights if s in _name_stems(view)}
        if not named or not len(rows):
            return
        speakers = [i for i, s in enumerate(view.speakers) if named & set(view.tokens(s))]
        if not speakers:
            return
        for n in np.flatnonzero(np.isin(view.chunk_speaker[rows], speakers)).tolist():
            present = set(view.tokens(passage_words(view, int(rows[n]))))
            share[n] = sum(w for t, w in self.weights.items() if t in present)


def relevance(
    view: CorpusView,
    question: str,
    query: Query,
    cfg: RetrievalConfig,
    scope: np.ndarray | None = None,
) -> Relevance:
    """The content of `question` as `Relevance` weights (IDF floored at 1, so words found
    everywhere in a small corpus still count; words found nowhere weigh `absent_term_weight`
    of the top IDF). A term the question asks by another name than the corpus uses (an alias,
    `query.aliases`) counts under the corpus's name.

    A question put to chosen transcripts (`scope`: a document filter's mask) is read in their
    words: a common word they never use is the asker's ("the product quotation" of a meeting
    that says "price") and is left out; a name or acronym they never use still counts."""
    for term, alias in query.aliases:
        question = question.replace(term, alias)
    framing = MEETING_FRAMING_STEMS if cfg.meeting_framing else FRAMING_STEMS
    skip = framing | set(view.tokens(view.names.naming_words(query.speakers)))
    if not cfg.scoped_coverage:
        scope = None
    weights: dict[str, float] = {}
    absent = cfg.absent_term_weight * float(view.idf.max(initial=0.0))
    for m in WORD.finditer(question):
        raw, word = m.group(0), m.group(0).lower()
        if word in FUNCTION_WORDS or word in MONTHS or word.isdigit():
            continue  # dates are matched by the date logic, not by words
        key = is_acronym(raw) or (raw[:1].isupper() and m.start() > 0)
        for t in view.tokens(word):
            if t in skip:
                continue
            if scope is not None and not key and not scope[_postings(view, t)].any():
                continue
            weights[t] = max(float(view.idf[view.vocab[t]]), 1.0) if t in view.vocab else absent
    return Relevance(weights)


def has_content(view: CorpusView, question: str) -> bool:
    """Whether `question` holds a word that says what it is about: not a function word, not one
    that frames a question ("Why?", "What else did he say?" hold none)."""
    for m in WORD.finditer(question):
        word = m.group(0).lower()
        if word not in FUNCTION_WORDS and any(t not in FRAMING_STEMS for t in view.tokens(word)):
            return True
    return False


def passage_words(view: CorpusView, i: int) -> str:
    """What a passage says, for relevance: its text and the question it answers."""
    chunk = view.index.chunks[i]
    text = chunk.text
    if chunk.question:
        text += " " + view.index.documents[chunk.document].paragraphs[chunk.question - 1].text
    return text


def _postings(view: CorpusView, stem: str) -> np.ndarray:
    """The passage rows whose indexed words hold `stem`, ascending."""
    token = view.vocab.get(stem)
    if token is None:
        return np.zeros(0, dtype=np.int64)
    scores = view.index.bm25.scores  # type: ignore[attr-defined]
    indptr = scores["indptr"]
    return np.asarray(scores["indices"][int(indptr[token]) : int(indptr[token + 1])])


def _name_stems(view: CorpusView) -> set[str]:
    cached = getattr(view, "_relevance_name_stems", None)
    if cached is None:
        cached = set(view.tokens(" ".join(view.speakers)))
        view._relevance_name_stems = cached  # type: ignore[attr-defined]
    return cached
