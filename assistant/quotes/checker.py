"""Checking quotes against a loaded index: candidate passages, alignment, verdict, report.

The way of one quote:

    fragments (split at elisions) -> candidates over the whole corpus (bm25s on the quote's
    words, FAISS on its meaning) -> each candidate with its neighbours as a stretch of source
    words -> exact occurrences (substring search of word codes), else the best placement by
    rapidfuzz -> verdict -> matches with citations, differences and the speaker judged, oldest
    first; or, when nothing is close, the passages nearest in meaning as `similar`.

The candidates are the only passages read, so a million passages cost what the two searches
cost (milliseconds) plus the alignment of a few dozen stretches.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers import Citation, Context
from assistant.folding import fold_case, word_columns
from assistant.quotes.align import Coder, Placement, Words, exact_windows, place, placement
from assistant.quotes.claims import Claim, parse_claim, speaker_matches
from assistant.quotes.extract import elision_fragments, quotes_to_check
from assistant.quotes.report import (
    CLOSE,
    DROPPED,
    ELIDED,
    EXACT,
    INSERTED,
    NOT_FOUND,
    REPLACED,
    Difference,
    Match,
    QuoteCheck,
    QuoteCheckReport,
)
from assistant.retrieval.query import clip
from assistant.retrieval.results import context, passage
from assistant.retrieval.view import CorpusView
from embeddings import EmbeddingModel

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


@dataclass(frozen=True)
class _Quote:
    text: str
    fragments: tuple[tuple[int, int], ...]  # character spans between elisions
    words: Words  # folded words over all fragments, offsets into `text`
    cuts: tuple[int, ...]  # word index where each fragment starts, and the total
    claim: Claim | None
    claimed: str | None


@dataclass(frozen=True)
class _Region:
    """A stretch of one document around candidate passages: rows lo..hi (inclusive)."""

    document: str
    lo: int
    hi: int
    start: int
    end: int
    rank: int  # best candidate rank inside it


@functools.lru_cache(maxsize=16384)
def _passage_words(text: str) -> Words:
    """A passage's folded words, offsets relative to it (neighbouring candidates share
    passages)."""
    return Words(*(tuple(column) for column in word_columns(text)))


@functools.lru_cache(maxsize=4096)
def _region_words(text: str, offset: int, bounds: tuple[tuple[int, int], ...]) -> Words:
    """The words of passages at `bounds` (document offsets) in `text`, which starts at
    `offset`, each word once; cached, as a document indexed twice repeats whole regions."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    covered = -1
    for low, high in bounds:
        cached = _passage_words(text[low - offset : high - offset])
        i = bisect.bisect_left(cached.starts, covered - low)  # past the overlap already taken
        words += cached.words[i:]
        starts += [s + low for s in cached.starts[i:]]
        ends += [e + low for e in cached.ends[i:]]
        covered = max(covered, high)
    return Words(tuple(words), tuple(starts), tuple(ends))


def _groups(weights: np.ndarray | None, groups: int, rows: int) -> list[list[int]]:
    """The top passages by bm25s score as groups of passages scored alike, best first: at most
    `groups` groups from the top `rows` passages."""
    if weights is None or not len(weights):
        return []
    n = min(rows, len(weights))
    top = np.argpartition(-weights, n - 1)[:n]
    top = top[weights[top] > 0]
    top = top[np.lexsort((top, -weights[top]))]  # best first, then in passage order
    cuts = np.flatnonzero(np.diff(weights[top]))[: groups - 1] + 1
    bounds = [0, *cuts.tolist(), len(top)] if len(top) else [0]
    return [top[a:b].tolist() for a, b in itertools.pairwise(bounds)][:groups]


# a soft hyphen or a word broken across a line: folding joins words the raw text splits
_JOINS = re.compile("\u00ad|[-\u2010\u2011][ \t]*\r?\n")


@dataclass(frozen=True)
class _Needles:
    """The quote's distinct folded words, longest (rarest) first, with their counts."""

    words: tuple[tuple[str, int], ...]
    total: int

    @classmethod
    def of(cls, words: Sequence[str]) -> _Needles:
        counted = sorted(Counter(words).items(), key=lambda wc: (-len(wc[0]), wc[0]))
        return cls(tuple(counted), len(words))

    def may_hold(self, passages: Sequence[str], needed: int) -> bool:
        """Whether `passages` together can hold `needed` of the quote's words: a folded word of
        a text is a substring of its case-folded form, so this rules out most candidates before
        their words are cut."""
        folded = [_fold_case(p) for p in passages]
        if None in folded:
            return True
        low = " ".join(folded)  # type: ignore[arg-type]
        left, have = self.total, 0
        for word, count in self.words:
            if word in low:
                have += count
                if have >= needed:
                    return True
            left -= count
            if have + left < needed:
                return False
        return have >= needed


@functools.lru_cache(maxsize=32768)
def _fold_case(text: str) -> str | None:
    """A passage case-folded as its words are, cached (None when folding joins words across a
    soft hyphen or a line break: then any word may be in it)."""
    if ("\n" in text or "\u00ad" in text) and _JOINS.search(text):
        return None
    return fold_case(text)


def close_enough(p: Placement, n: int) -> bool:
    """A placement differs by a few words only: at least 60% of the quote's words said as
    quoted, at most 30% (or 3) changed, and a run of 3 words in a row the same."""
    return (
        n >= CLOSE_MIN_RUN
        and p.matched >= max(CLOSE_MIN_RUN, math.ceil(CLOSE_MATCHED_SHARE * n))
        and p.distance <= max(CLOSE_MIN_CHANGED, CLOSE_CHANGED_SHARE * n)
        and p.longest_run >= CLOSE_MIN_RUN
    )


class QuoteChecker:
    """Checks the quotes of a text against one loaded index; thread-safe."""

    def __init__(self, view: CorpusView, model: EmbeddingModel) -> None:
        self.view = view
        self.index = view.index
        self.model = model
        chunks = self.index.chunks
        self._doc = np.asarray(chunks.column("document"))
        self._start = np.asarray(chunks.column("start"))
        self._end = np.asarray(chunks.column("end"))
        self._names = chunks.document_names

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
            checks.append(self._check_one(self._quote(found.text, claimed), min(k, MAX_K)))
        return QuoteCheckReport(tuple(checks))

    def context(self, citation: Citation) -> Context:
        """The verbatim surroundings of a match's paragraph, as answers show them."""
        paragraphs = self.index.documents[citation.document].paragraphs
        para = paragraphs[citation.paragraph - 1]
        return context(paragraphs, para.index, para.question)

    # ------------------------------------------------------------------ one quote
    def _quote(self, text: str, claimed: str | None) -> _Quote:
        spans = elision_fragments(text)
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        cuts = [0]
        for s, e in spans:
            w, a, b = word_columns(text[s:e])
            words += w
            starts += [x + s for x in a]
            ends += [x + s for x in b]
            cuts.append(len(words))
        return _Quote(
            text,
            tuple(spans),
            Words(tuple(words), tuple(starts), tuple(ends)),
            tuple(cuts),
            parse_claim(claimed),
            claimed,
        )

    def _check_one(self, quote: _Quote, k: int) -> QuoteCheck:
        coder = Coder(quote.words.words)
        codes = [coder.quote[a:b] for a, b in itertools.pairwise(quote.cuts)]
        search_text = " ".join(quote.text[s:e] for s, e in quote.fragments)
        n = len(quote.words)
        needles = _Needles.of(quote.words.words)
        # the quote's own words find where it was said; only when they do not is it encoded
        # (the model's encoding is most of the time a check takes)
        ranked = _groups(self._bm25(search_text), MORE_CANDIDATES, MORE_ROWS)
        groups = ranked[:LEXICAL_CANDIDATES]

        def exact(region: _Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if codes[0] not in code:
                return []
            return [placement(codes, code, windows) for windows in exact_windows(codes, code)]

        def close(region: _Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if sum(1 for ch in coder.quote if ch in code) < CLOSE_MATCHED_SHARE * n:
                return []  # cannot share enough words
            p = place(codes, code)
            return [p] if close_enough(p, n) else []

        hits, leads = self._found(groups, exact, needles, n)
        if leads >= len(groups) // 2 and len(groups) >= LEXICAL_CANDIDATES:
            # said many times: look further for every occurrence
            hits, _ = self._found(ranked, exact, needles, n)
        if hits:
            return self._result(quote, EXACT, hits)
        needed = math.ceil(CLOSE_MATCHED_SHARE * n)
        near, _ = self._found(groups, close, needles, needed)
        if near:
            return self._result(quote, CLOSE, near)
        # a quote of common words may rank low for its words: a wider look for it, said as is
        hits, _ = self._found(ranked[len(groups) : WIDER_CANDIDATES], exact, needles, n)
        if hits:
            return self._result(quote, EXACT, hits)
        # words bm25s does not index (stop words) may still be found by meaning
        vector = self.model.encode([clip(search_text)])[0]
        scores, ids = self.index.vectors.search(vector, max(DENSE_CANDIDATES, 4 * k))
        dense = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        nearby = [[i] for i, _ in dense[:DENSE_CANDIDATES]]
        hits, _ = self._found(nearby, exact, needles, n)
        if hits:
            return self._result(quote, EXACT, hits)
        near, _ = self._found(nearby, close, needles, needed)
        if near:
            return self._result(quote, CLOSE, near)
        # similar in meaning: the nearest passages, the quote's best word matches among them
        pool = list(
            dict.fromkeys([*(i for i, _ in dense), *(g[0] for g in groups[:DENSE_CANDIDATES])])
        )
        cosines = self.index.vectors.scores(vector, np.array(pool, dtype=np.int64))
        ranked = sorted(zip(pool, map(float, cosines), strict=True), key=lambda x: (-x[1], x[0]))
        return QuoteCheck(
            quote.text, NOT_FOUND, quote.claimed, (), self._similar(search_text, ranked, k)
        )

    def _similar(self, text: str, dense: list[tuple[int, float]], k: int) -> tuple:
        """The k passages nearest in meaning, each text once (a statement repeated word for
        word at every conference is one passage here)."""
        stems = set(self.view.tokens(text))
        seen: set[str] = set()
        out = []
        for i, score in dense:
            if len(out) >= k or score < MIN_SIMILAR:
                break
            p = passage(self.view, i, score, stems)
            if p.text not in seen:
                seen.add(p.text)
                out.append(p)
        return tuple(out)

    def _found(
        self,
        groups: list[list[int]],
        find: Callable[[_Region, Words], list[Placement]],
        needles: _Needles,
        needed: int,
    ) -> tuple[list[tuple[_Region, Words, Placement]], int]:
        """`find` over the region of each group's first passage that holds at least `needed`
        of the quote's words; where it finds something, over the regions of the group's other
        passages too (bm25s scores passages of the same words alike: a statement repeated word
        for word, a document indexed twice). Returns what was found and in how many of the
        first passages' regions."""
        first = {g[0]: g for g in groups}
        found = []
        leads = 0
        expand: list[int] = []
        seen: dict[tuple[str, ...], list[Placement]] = {}  # the same words place the same

        def placements_in(region: _Region) -> list[tuple[_Region, Words, Placement]]:
            text = self.index.documents.text(region.document)
            bounds = zip(
                self._start[region.lo : region.hi + 1].tolist(),
                self._end[region.lo : region.hi + 1].tolist(),
                strict=True,
            )
            # the passages only: no labels nor breaks between paragraphs
            if not needles.may_hold([text[a:b] for a, b in bounds], needed):
                return []
            source = self._words(region)
            key = tuple(source.words)
            if key not in seen:
                seen[key] = find(region, source)
            return [(region, source, p) for p in seen[key]]

        for region in self._regions(list(first)):
            placed = placements_in(region)
            found += placed
            if placed:
                leads += 1
                expand += [
                    r for lead in range(region.lo, region.hi + 1) for r in first.get(lead, [])[1:]
                ]
        for region in self._regions(expand):
            found += placements_in(region)
        return found, leads

    # ------------------------------------------------------------------ candidates
    def _bm25(self, text: str) -> np.ndarray | None:
        """bm25s's score of every passage for the quote's words (None: no indexed word)."""
        view = self.view
        tokens = [view.vocab[t] for t in view.tokens(text) if t in view.vocab]
        if not tokens:
            return None
        return self.index.bm25.get_scores(tokens)  # type: ignore[attr-defined]

    def _regions(self, rows: Sequence[int]) -> list[_Region]:
        """Each candidate with the passages before and after it in its document, overlapping
        stretches merged, in the candidates' order; transcripts changed since indexing left
        out. (A document's passages are stored in text order, so are their offsets.)"""
        if not len(rows):
            return []
        rows_sorted, first = np.unique(np.asarray(rows, dtype=np.int64), return_index=True)
        doc, last = self._doc, len(self._doc) - 1
        docs = doc[rows_sorted]
        before = (rows_sorted > 0) & (doc[np.maximum(rows_sorted - 1, 0)] == docs)
        after = (rows_sorted < last) & (doc[np.minimum(rows_sorted + 1, last)] == docs)
        lo, hi = rows_sorted - before, rows_sorted + after
        new = np.ones(len(rows_sorted), dtype=bool)
        new[1:] = (lo[1:] > hi[:-1] + 1) | (docs[1:] != docs[:-1])
        at = np.flatnonzero(new)
        names = self._names
        span_docs = [names[c] for c in docs[at].tolist()]
        stale = set(self.index.stale_documents(sorted(set(span_docs))))
        regions = [
            _Region(name, a, b, int(self._start[a]), int(self._end[b]), rank)
            for name, a, b, rank in zip(
                span_docs,
                lo[at].tolist(),
                np.maximum.reduceat(hi, at).tolist(),
                np.minimum.reduceat(first, at).tolist(),
                strict=True,
            )
            if name not in stale
        ]
        return sorted(regions, key=lambda g: g.rank)

    def _words(self, region: _Region) -> Words:
        """The words of the region's passages in order (overlapping windows once; speaker
        labels and page furniture between paragraphs are in no passage, so not here)."""
        text = self.index.documents.text(region.document)
        bounds = tuple(
            zip(
                self._start[region.lo : region.hi + 1].tolist(),
                self._end[region.lo : region.hi + 1].tolist(),
                strict=True,
            )
        )
        return _region_words(text[region.start : region.end], region.start, bounds)

    # ------------------------------------------------------------------ report
    def _result(
        self, quote: _Quote, verdict: str, found: list[tuple[_Region, Words, Placement]]
    ) -> QuoteCheck:
        matches: dict[tuple[str, int, int], tuple[Match, int]] = {}
        for region, source, p in found:
            match = self._match(quote, region, source, p)
            if match is None:
                continue
            key = (match.citation.document, match.citation.start, match.citation.end)
            if key not in matches or p.distance < matches[key][1]:
                matches[key] = (match, p.distance)
        ordered = sorted(
            (m for m, _ in matches.values()),
            key=lambda m: (
                m.citation.date is None,
                m.citation.date or "",
                m.citation.document,
                m.citation.start,
            ),
        )
        if not ordered:  # every placement crossed from one speaker to another
            return QuoteCheck(quote.text, NOT_FOUND, quote.claimed, (), ())
        return QuoteCheck(quote.text, verdict, quote.claimed, tuple(ordered), ())

    def _match(self, quote: _Quote, region: _Region, source: Words, p: Placement) -> Match | None:
        spans = [(s, e) for s, e in p.windows if e > s]
        if not spans:
            return None
        start = source.starts[spans[0][0]]
        end = source.ends[spans[-1][1] - 1]
        starts = self._start[region.lo : region.hi + 1]
        first = region.lo + max(0, int(np.searchsorted(starts, start, side="right")) - 1)
        last = region.lo + max(0, int(np.searchsorted(starts, end - 1, side="right")) - 1)
        view = self.view
        said_by = {
            (int(view.chunk_speaker[r]), str(view.chunk_role[r])) for r in range(first, last + 1)
        }
        if len(said_by) > 1:
            return None  # words of two speakers are not one quote
        chunk = self.index.chunks[first]  # its paragraph, speaker, role, page and time
        documents = self.index.documents
        citation = Citation(
            document=region.document,
            title=documents.title(region.document),
            date=documents.date(region.document),
            speaker=chunk.speaker,
            paragraph=chunk.paragraph,
            start=start,
            end=end,
            role=chunk.role,
            page=chunk.page,
            time=chunk.time,
        )
        text = documents.text(region.document)
        return Match(
            text=text[start:end],
            citation=citation,
            differences=tuple(_differences(quote, text, source, p)),
            speaker_matches=speaker_matches(quote.claim, citation),
        )


def _differences(quote: _Quote, text: str, source: Words, p: Placement) -> list[Difference]:
    """Each word replaced, inserted or dropped, and each elided stretch, in quote order. Where
    words are missing on one side, the empty range sits at the end of the word before (or the
    start of the word after, at the start of a fragment)."""
    qw = quote.words
    out: list[Difference] = []

    def point(words: Words, i: int, low: int) -> int:
        if i > low or i >= len(words):
            return words.ends[i - 1] if i > 0 else 0
        return words.starts[i]

    def add(kind: str, n: int, q1: int, q2: int, s1: int, s2: int) -> None:
        low_q, low_s = quote.cuts[n], p.windows[n][0]
        qs, qe = (qw.starts[q1], qw.ends[q2 - 1]) if q2 > q1 else (point(qw, q1, low_q),) * 2
        ss, se = (
            (source.starts[s1], source.ends[s2 - 1]) if s2 > s1 else (point(source, s1, low_s),) * 2
        )
        out.append(Difference(kind, quote.text[qs:qe], text[ss:se], qs, qe, ss, se))

    for n, ops in enumerate(p.edits):
        gap_start, gap_end = (p.windows[n - 1][1], p.windows[n][0]) if n else (0, 0)
        if gap_end > gap_start:  # the words an elision stands for
            mark_start, mark_end = quote.fragments[n - 1][1], quote.fragments[n][0]
            mark = quote.text[mark_start:mark_end]
            mark_start += len(mark) - len(mark.lstrip())
            mark_end -= len(mark) - len(mark.rstrip())
            ss, se = source.starts[gap_start], source.ends[gap_end - 1]
            out.append(Difference(ELIDED, mark.strip(), text[ss:se], mark_start, mark_end, ss, se))
        for op in ops:
            if op.tag == "delete":
                add(INSERTED, n, op.q1, op.q2, op.s1, op.s1)
            elif op.tag == "insert":
                add(DROPPED, n, op.q1, op.q1, op.s1, op.s2)
            elif op.tag == "replace" and op.q2 - op.q1 == op.s2 - op.s1:
                for i in range(op.q2 - op.q1):  # word for word: one difference each
                    add(REPLACED, n, op.q1 + i, op.q1 + i + 1, op.s1 + i, op.s1 + i + 1)
            elif op.tag == "replace":
                add(REPLACED, n, op.q1, op.q2, op.s1, op.s2)
    return out
