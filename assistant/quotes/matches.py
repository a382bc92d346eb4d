"""From a quote placed in a region to what the report shows: the exact source span with its
full citation, the differences word by word, and the claimed speaker judged; every occurrence
once, oldest first."""

from __future__ import annotations

import numpy as np

from assistant.answers import Citation
from assistant.quotes.align import Placement, Words
from assistant.quotes.candidates import Found, Region, Stretches
from assistant.quotes.claims import Claim, speaker_matches
from assistant.quotes.extract import QuoteWords
from assistant.quotes.report import DROPPED, ELIDED, INSERTED, REPLACED, Difference, Match
from assistant.retrieval.view import CorpusView


def matches(
    view: CorpusView,
    stretches: Stretches,
    quote: QuoteWords,
    claim: Claim | None,
    found: list[Found],
) -> tuple[Match, ...]:
    """One match per source span found (the fewest differences where placed twice), ordered
    by date, then document and offset; spans joining two speakers' words are left out."""
    best: dict[tuple[str, int, int], tuple[Match, int]] = {}
    for region, source, p in found:
        m = match(view, stretches, quote, claim, region, source, p)
        if m is None:
            continue
        key = (m.citation.document, m.citation.start, m.citation.end)
        if key not in best or p.distance < best[key][1]:
            best[key] = (m, p.distance)
    return tuple(
        sorted(
            (m for m, _ in best.values()),
            key=lambda m: (
                m.citation.date is None,
                m.citation.date or "",
                m.citation.document,
                m.citation.start,
            ),
        )
    )


def match(
    view: CorpusView,
    stretches: Stretches,
    quote: QuoteWords,
    claim: Claim | None,
    region: Region,
    source: Words,
    p: Placement,
) -> Match | None:
    """The match of one placement, or None when it joins the words of two speakers."""
    spans = [(s, e) for s, e in p.windows if e > s]
    if not spans:
        return None
    start = source.starts[spans[0][0]]
    end = source.ends[spans[-1][1] - 1]
    starts = stretches.starts[region.lo : region.hi + 1]
    first = region.lo + max(0, int(np.searchsorted(starts, start, side="right")) - 1)
    last = region.lo + max(0, int(np.searchsorted(starts, end - 1, side="right")) - 1)
    said_by = {
        (int(view.chunk_speaker[r]), str(view.chunk_role[r])) for r in range(first, last + 1)
    }
    if len(said_by) > 1:
        return None  # words of two speakers are not one quote
    chunk = stretches.index.chunks[first]  # its paragraph, speaker, role, page and time
    documents = stretches.index.documents
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
        differences=tuple(differences(quote, text, source, p)),
        speaker_matches=speaker_matches(claim, citation),
    )


def differences(quote: QuoteWords, text: str, source: Words, p: Placement) -> list[Difference]:
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
