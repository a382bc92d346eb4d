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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers import Citation, Context
from assistant.folding import word_columns
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

LEXICAL_CANDIDATES = 40  # passages from bm25s per quote (groups of passages scored alike)
LEXICAL_ROWS = 5_000  # ... found among the top this many
DENSE_CANDIDATES = 10  # passages from FAISS per quote
MORE_CANDIDATES = 400  # when the exact occurrences fill the first candidates: look further
MORE_ROWS = 20_000
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
        # the quote's own words find where it was said; only when they do not is it encoded
        groups = self._lexical(search_text, LEXICAL_CANDIDATES, LEXICAL_ROWS)

        def exact(region: _Region, source: Words) -> list[Placement]:
            return self._exact(codes, coder, source)

        hits, leads = self._found(groups, exact)
        if leads >= len(groups) // 2 and len(groups) >= LEXICAL_CANDIDATES:
            # said many times: look further for every occurrence
            groups = self._lexical(search_text, MORE_CANDIDATES, MORE_ROWS)
            hits, _ = self._found(groups, exact)
        if hits:
            return self._result(quote, EXACT, hits)
        vector = self.model.encode([clip(search_text)])[0]
        want = max(DENSE_CANDIDATES, 4 * k)
        scores, ids = self.index.vectors.search(vector, want)
        dense = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        groups = groups + [[i] for i, _ in dense[:DENSE_CANDIDATES]]
        # words bm25s does not index (stop words) are found by the dense candidates
        hits, _ = self._found(groups, exact)
        if hits:
            return self._result(quote, EXACT, hits)
        n = len(quote.words)

        def close(region: _Region, source: Words) -> list[Placement]:
            code = coder.source(source.words)
            if sum(1 for ch in coder.quote if ch in code) < CLOSE_MATCHED_SHARE * n:
                return []  # cannot share enough words
            p = place(codes, code)
            return [p] if close_enough(p, n) else []

        near, _ = self._found(groups, close)
        if near:
            return self._result(quote, CLOSE, near)
        return QuoteCheck(
            quote.text, NOT_FOUND, quote.claimed, (), self._similar(search_text, dense, k)
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
    ) -> tuple[list[tuple[_Region, Words, Placement]], int]:
        """`find` over the region of each group's first passage; where it finds something,
        over the regions of the group's other passages too (bm25s scores passages of the same
        words alike: a statement repeated word for word, a document indexed twice). Returns
        what was found and in how many of the first passages' regions."""
        first = {g[0]: g for g in groups}
        found = []
        leads = 0
        expand: list[int] = []
        seen: dict[tuple[str, ...], list[Placement]] = {}  # the same words place the same

        def placements_in(region: _Region, source: Words) -> list[Placement]:
            key = tuple(source.words)
            if key not in seen:
                seen[key] = find(region, source)
            return seen[key]

        for region in self._regions(list(first)):
            source = self._words(region)
            placements = placements_in(region, source)
            found += [(region, source, p) for p in placements]
            if placements:
                leads += 1
                expand += [
                    r for lead in range(region.lo, region.hi + 1) for r in first.get(lead, [])[1:]
                ]
        for region in self._regions(expand):
            source = self._words(region)
            found += [(region, source, p) for p in placements_in(region, source)]
        return found, leads

    # ------------------------------------------------------------------ candidates
    def _lexical(self, text: str, groups: int, rows: int) -> list[list[int]]:
        """The top bm25s passages for the quote's words, as groups of passages scored alike,
        best first: at most `groups` groups from the top `rows` passages."""
        view = self.view
        tokens = [view.vocab[t] for t in view.tokens(text) if t in view.vocab]
        if not tokens:
            return []
        weights = self.index.bm25.get_scores(tokens)  # type: ignore[attr-defined]
        n = min(rows, len(weights))
        top = np.argpartition(-weights, n - 1)[:n]
        top = top[weights[top] > 0]
        top = top[np.lexsort((top, -weights[top]))]  # best first, then in passage order
        cuts = np.flatnonzero(np.diff(weights[top])) + 1
        return [part.tolist() for part in np.split(top, cuts)[:groups]] if len(top) else []

    def _regions(self, rows: Sequence[int]) -> list[_Region]:
        """Each candidate with the passages before and after it in its document, overlapping
        stretches merged; transcripts changed since indexing left out."""
        if not rows:
            return []
        total = len(self._doc)
        rank = {r: n for n, r in enumerate(rows)}
        spans: list[tuple[int, int, int]] = []
        for r in sorted(rows):
            doc = self._doc[r]
            lo = r - 1 if r > 0 and self._doc[r - 1] == doc else r
            hi = r + 1 if r + 1 < total and self._doc[r + 1] == doc else r
            if spans and spans[-1][1] >= lo - 1 and self._doc[spans[-1][0]] == doc:
                spans[-1] = (spans[-1][0], hi, min(spans[-1][2], rank[r]))
            else:
                spans.append((lo, hi, rank[r]))
        names = self._names
        documents = {names[self._doc[lo]] for lo, _, _ in spans}
        stale = set(self.index.stale_documents(sorted(documents)))
        regions = [
            _Region(
                names[self._doc[lo]],
                lo,
                hi,
                int(self._start[lo : hi + 1].min()),
                int(self._end[lo : hi + 1].max()),
                best,
            )
            for lo, hi, best in spans
            if names[self._doc[lo]] not in stale
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

    def _exact(self, codes: list[str], coder: Coder, source: Words) -> list[Placement]:
        code = coder.source(source.words)
        if codes[0] not in code:
            return []
        return [placement(codes, code, windows) for windows in exact_windows(codes, code)]

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
