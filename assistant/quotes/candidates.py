"""Where in the corpus a quote may have been said, read as little as possible.

bm25s ranks the passages for the quote's words; passages scored alike (a statement repeated word
for word, a document indexed twice) form one group, looked at once and, where it holds the
quote, expanded to every copy. A candidate is read with the passages before and after it in its
document (a region), as folded words; a case-folded substring test rules most regions out before
their words are cut.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.folding import fold_case, word_columns
from assistant.index import CorpusIndex
from assistant.quotes.align import Placement, Words
from assistant.retrieval.candidates import top_rows
from assistant.retrieval.view import CorpusView

Found = tuple["Region", Words, Placement]


@dataclass(frozen=True)
class Region:
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


def ranked_groups(weights: np.ndarray | None, groups: int, rows: int) -> list[list[int]]:
    """The top passages by bm25s score as groups of passages scored alike, best first: at most
    `groups` groups from the top `rows` passages."""
    if weights is None or not len(weights):
        return []
    n = min(rows, len(weights))
    top = top_rows(weights, n)  # best first, then in passage order
    cuts = np.flatnonzero(np.diff(weights[top]))[: groups - 1] + 1
    bounds = [0, *cuts.tolist(), len(top)] if len(top) else [0]
    return [top[a:b].tolist() for a, b in itertools.pairwise(bounds)][:groups]


# a soft hyphen or a word broken across a line: folding joins words the raw text splits
_JOINS = re.compile("\u00ad|[-\u2010\u2011][ \t]*\r?\n")


@dataclass(frozen=True)
class Needles:
    """The quote's distinct folded words, longest (rarest) first, with their counts."""

    words: tuple[tuple[str, int], ...]
    total: int

    @classmethod
    def of(cls, words: Sequence[str]) -> Needles:
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


def lexical_scores(view: CorpusView, text: str) -> np.ndarray | None:
    """bm25s's score of every passage for the words of `text` (None: no indexed word)."""
    tokens = [view.vocab[t] for t in view.tokens(text) if t in view.vocab]
    if not tokens:
        return None
    return view.index.bm25.get_scores(tokens)  # type: ignore[attr-defined]


class Stretches:
    """Regions of the indexed documents around candidate passages, and their words."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        chunks = index.chunks
        self._doc = np.asarray(chunks.column("document"))
        self.starts = np.asarray(chunks.column("start"))
        self.ends = np.asarray(chunks.column("end"))
        self._names = chunks.document_names

    def search(
        self,
        groups: list[list[int]],
        find: Callable[[Region, Words], list[Placement]],
        needles: Needles,
        needed: int,
    ) -> tuple[list[Found], int]:
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

        def placements_in(region: Region) -> list[Found]:
            text = self.index.documents.text(region.document)
            bounds = zip(
                self.starts[region.lo : region.hi + 1].tolist(),
                self.ends[region.lo : region.hi + 1].tolist(),
                strict=True,
            )
            # the passages only: no labels nor breaks between paragraphs
            if not needles.may_hold([text[a:b] for a, b in bounds], needed):
                return []
            source = self.words(region)
            key = tuple(source.words)
            if key not in seen:
                seen[key] = find(region, source)
            return [(region, source, p) for p in seen[key]]

        for region in self.regions(list(first)):
            placed = placements_in(region)
            found += placed
            if placed:
                leads += 1
                expand += [
                    r for lead in range(region.lo, region.hi + 1) for r in first.get(lead, [])[1:]
                ]
        for region in self.regions(expand):
            found += placements_in(region)
        return found, leads

    def regions(self, rows: Sequence[int]) -> list[Region]:
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
            Region(name, a, b, int(self.starts[a]), int(self.ends[b]), rank)
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

    def words(self, region: Region) -> Words:
        """The words of the region's passages in order (overlapping windows once; speaker
        labels and page furniture between paragraphs are in no passage, so not here)."""
        text = self.index.documents.text(region.document)
        bounds = tuple(
            zip(
                self.starts[region.lo : region.hi + 1].tolist(),
                self.ends[region.lo : region.hi + 1].tolist(),
                strict=True,
            )
        )
        return _region_words(text[region.start : region.end], region.start, bounds)
