"""Checking quotes against a loaded index: candidate passages, alignment, verdict, report.

The way of one quote:

    fragments (split at elisions) -> candidates over the whole corpus (bm25s on the quote's
    words, FAISS on its meaning) -> each candidate with its neighbours as a stretch of source
    words -> exact occurrences (substring search of word codes), else the best placement by
    rapidfuzz -> verdict -> matches with citations, differences, the speaker and the time
    judged, oldest first; or, when nothing is close, the passages nearest in meaning as
    `similar`.

`candidates` finds and reads the stretches of the corpus, `align` places the quote in them,
`matches` turns placements into cited matches. The candidates are the only passages read, so a
million passages cost what the searches cost (milliseconds) plus the alignment of a few dozen
stretches. A quote said nowhere gets the passages nearest it as `ask` ranks them
(`Retriever.nearest`), the claimed speaker's own words where the index has that speaker.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np

from assistant.answers import Citation, Context, Passage
from assistant.dates import DateRange
from assistant.quotes.align import (
    Coder,
    Placement,
    Words,
    cut_placements,
    exact_windows,
    place,
    placement,
)
from assistant.quotes.candidates import (
    Found,
    Needles,
    Region,
    Stretches,
    lexical_scores,
    ranked_groups,
)
from assistant.quotes.claims import Claim, name_parts, parse_claim, same_person
from assistant.quotes.extract import QuoteWords, quote_words, quotes_to_check
from assistant.quotes.matches import matches
from assistant.quotes.report import CLOSE, EXACT, NOT_FOUND, QuoteCheck, QuoteCheckReport
from assistant.retrieval.query import clip
from assistant.retrieval.results import context
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION

LEXICAL_CANDIDATES = 100  # passages from bm25s per quote (groups of passages scored alike)
DENSE_CANDIDATES = 10  # passages from FAISS per quote
MORE_CANDIDATES = 1_000  # when the exact occurrences fill the first candidates: look further
WIDER_CANDIDATES = 500  # when nothing was found: a last look for the quote said as is
MORE_ROWS = 20_000  # ... among the top this many passages
MAX_K = 20  # similar passages at most
MIN_SIMILAR = 0.2  # cosine below which a passage is not "similar in meaning"
# `close`: most of the quote's words said as quoted, in order, and only a few changed.
CLOSE_MATCHED_SHARE = 0.6
CLOSE_CHANGED_SHARE = 0.3
CLOSE_MIN_CHANGED = 3  # short quotes may still differ by this many words
CLOSE_MIN_RUN = 3  # ... and must share at least this many words in a row
# `close` too: every word said as quoted, in order, but words left out of the middle without an
# ellipsis; each side of the cut this many words at least, the cut at most CUT_MAX_WORDS.
CUT_MIN_PART = 4
CUT_MAX_WORDS = 60


def close_enough(p: Placement, n: int) -> bool:
    """A placement differs by a few words only: at least 60% of the quote's words said as
    quoted, at most 30% (or 3) changed, and a run of 3 words in a row the same."""
    return (
        n >= CLOSE_MIN_RUN
        and p.matched >= max(CLOSE_MIN_RUN, math.ceil(CLOSE_MATCHED_SHARE * n))
        and p.distance <= max(CLOSE_MIN_CHANGED, CLOSE_CHANGED_SHARE * n)
        and p.longest_run >= CLOSE_MIN_RUN
    )


def said_by(view: CorpusView, claim: Claim | None) -> tuple[np.ndarray | None, tuple[str, ...]]:
    """The passages a claim's named speaker said (not the questions they asked), and that
    speaker's names in the index, where it has a speaker of that name ("Powell": "Chair
    Powell"); else (None, ()): a claim without a name, one crediting a reporter, or a name
    nobody in the index has."""
    if claim is None or not claim.names or claim.reporter:
        return None, ()
    codes = [
        code
        for code, label in enumerate(view.speakers)
        if same_person(claim.names, name_parts(label))
    ]
    if not codes:
        return None, ()
    rows = np.isin(view.chunk_speaker, codes) & (view.chunk_role != QUESTION)
    if not rows.any():
        return None, ()
    return rows, tuple(view.speakers[c] for c in codes)


def dated(check: QuoteCheck, when: DateRange | None) -> QuoteCheck:
    """`check` with the time the text gives for its quote (`FoundQuote.when`), and each match
    saying whether it was said then; unchanged when the text gives none."""
    if when is None:
        return check
    matched = tuple(
        replace(m, date_matches=when.contains(m.citation.date) if m.citation.date else None)
        for m in check.matches
    )
    return replace(check, matches=matched, claimed_date=when)


class QuoteChecker:
    """Checks the quotes of a text against one loaded index (the retriever's); thread-safe."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.view = retriever.view
        self.index = retriever.index
        self.model = retriever.model
        self.stretches = Stretches(retriever.index)

    # ------------------------------------------------------------------ public
    def check(self, text: str, *, speaker: str | None = None, k: int = 3) -> QuoteCheckReport:
        if isinstance(k, bool) or not isinstance(k, int):
            raise ValueError(f"k must be a whole number, got {k!r}")
        if k < 0:
            raise ValueError(f"k must be 0 or more, got {k}")
        if speaker is not None and not isinstance(speaker, str):
            raise ValueError(f"speaker must be a name, got {speaker!r}")
        speaker = (speaker or "").strip() or None
        checks = []
        for found in quotes_to_check(text):
            claimed = found.speaker or speaker
            checked = self._check_one(
                quote_words(found.text), parse_claim(claimed), claimed, min(k, MAX_K)
            )
            checks.append(dated(checked, found.when))
        return QuoteCheckReport(tuple(checks))

    def context(self, citation: Citation) -> Context:
        """The verbatim surroundings of a match's paragraph, as answers show them."""
        paragraphs = self.index.documents[citation.document].paragraphs
        para = paragraphs[citation.paragraph - 1]
        return context(paragraphs, para.index, para.question)

    # ------------------------------------------------------------------ one quote
    def _check_one(
        self, quote: QuoteWords, claim: Claim | None, claimed: str | None, k: int
    ) -> QuoteCheck:
        coder = Coder(quote.words.words)
        codes = [coder.quote[a:b] for a, b in itertools.pairwise(quote.cuts)]
        search_text = quote.search_text()
        search = self.stretches.search

        def result(verdict: str, found: list[Found]) -> QuoteCheck | None:
            """The check, or None when every placement joined two speakers' words."""
            cited = matches(self.view, self.stretches, quote, claim, found)
            return QuoteCheck(quote.text, verdict, claimed, cited) if cited else None

        n = len(quote.words)
        needles = Needles.of(quote.words.words)
        # the quote's own words find where it was said; only when they do not is it encoded
        # (the model's encoding is most of the time a check takes)
        ranked = ranked_groups(lexical_scores(self.view, search_text), MORE_CANDIDATES, MORE_ROWS)
        groups = ranked[:LEXICAL_CANDIDATES]

        def exact(region: Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if codes[0] not in code:
                return []
            return [placement(codes, code, windows) for windows in exact_windows(codes, code)]

        def close(region: Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if sum(1 for ch in coder.quote if ch in code) < CLOSE_MATCHED_SHARE * n:
                return []  # cannot share enough words
            p = place(codes, code)
            return [p] if close_enough(p, n) else []

        def cut(region: Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if codes[0][:CUT_MIN_PART] not in code:
                return []
            return cut_placements(codes[0], code, CUT_MIN_PART, CUT_MAX_WORDS)

        hits, leads = search(groups, exact, needles, n)
        if leads >= len(groups) // 2 and len(groups) >= LEXICAL_CANDIDATES:
            # said many times: look further for every occurrence
            hits, _ = search(ranked, exact, needles, n)
        if hits and (checked := result(EXACT, hits)):
            return checked
        # every word as said but a stretch cut out: what was left out, not words "replaced"
        # in a window that happens to fit
        # (an ellipsis marks what is left out already: a quote with one is never cut)
        cuttable = len(codes) == 1 and n >= 2 * CUT_MIN_PART
        cuts, _ = search(groups, cut, needles, n) if cuttable else ([], 0)
        if cuts and (checked := result(CLOSE, cuts)):
            return checked
        needed = math.ceil(CLOSE_MATCHED_SHARE * n)
        near, _ = search(groups, close, needles, needed)
        if near and (checked := result(CLOSE, near)):
            return checked
        # a quote of common words may rank low for its words: a wider look for it, said as is
        hits, _ = search(ranked[len(groups) : WIDER_CANDIDATES], exact, needles, n)
        if hits and (checked := result(EXACT, hits)):
            return checked
        # words bm25s does not index (stop words) may still be found by meaning
        vector = self.model.encode([clip(search_text)])[0]
        _, ids = self.index.vectors.search(vector, DENSE_CANDIDATES)
        nearby = [[int(i)] for i in ids[0] if i >= 0]
        hits, _ = search(nearby, exact, needles, n)
        if hits and (checked := result(EXACT, hits)):
            return checked
        near, _ = search(nearby, close, needles, needed)
        if near and (checked := result(CLOSE, near)):
            return checked
        similar, similar_from = self._similar(search_text, vector, claim, k)
        return QuoteCheck(quote.text, NOT_FOUND, claimed, (), similar, similar_from)

    def _similar(
        self, text: str, vector: np.ndarray, claim: Claim | None, k: int
    ) -> tuple[tuple[Passage, ...], tuple[str, ...]]:
        """The k passages nearest a quote said nowhere, ranked as `ask` ranks them, and the
        speakers they were narrowed to: what the claimed speaker said, where the index has
        them (a fact-checker's next question is what they did say), else anyone's (no
        speakers); each text once, none below `MIN_SIMILAR` in cosine."""
        if k == 0:
            return (), ()
        mask, speakers = said_by(self.view, claim)
        nearest = self.retriever.nearest(text, vector, k, mask, min_cosine=MIN_SIMILAR)
        return tuple(nearest), speakers if nearest else ()
