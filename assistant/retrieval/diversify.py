"""Choosing what to show from the ranking: dropping passages that nearly repeat a better one
(`diversify`), spreading the rest over a transcript (`spread`) and joining windows of one
paragraph into one quote (`join_windows`)."""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from assistant.index import CorpusIndex


def repeats(text: str, other: str, ratio: float) -> bool:
    """Whether `text` says `other` again: their characters alike to at least `ratio` (0-100,
    rapidfuzz's normalised Indel similarity, case and punctuation aside). A briefing's stock
    opening, or "Let's go to Brian Cheung at Yahoo Finance", is said again (70-100); two turns
    of one speaker on two topics are not (30-50), however close their vectors, which their
    shared title and label pull together."""
    return fuzz.ratio(text, other, processor=default_process) >= ratio


def diversify(
    index: CorpusIndex,
    ranked: list[tuple[int, float]],
    k: int,
    duplicate_cosine: float,
    *,
    windows: bool = False,
    repeat_ratio: float = 0.0,
) -> list[tuple[int, float]]:
    """Best first, skipping passages that overlap or nearly repeat a better one.

    Each passage chosen rules out, in one vectorised step, the later ones that overlap it in
    the same document or whose cosine to it exceeds `duplicate_cosine`, and, with a
    `repeat_ratio`, whose text also `repeats` its text (a passage's vector reads its
    transcript's title and its speaker's label too, so a short turn lies that close to every
    short turn of its speaker in that meeting). Only the windows of one
    long paragraph overlap (by a sentence: `passages.py`); with `windows` they are kept, for
    `join_windows` to show as one quote, since the window that ranks first is often not the
    one holding the answer's first, decisive sentences."""
    if not ranked or k < 1:
        return []
    rows = np.fromiter((i for i, _ in ranked), dtype=np.int64, count=len(ranked))
    chunks = index.chunks
    document = np.asarray(chunks.column("document"))[rows]
    start = np.asarray(chunks.column("start"))[rows]
    end = np.asarray(chunks.column("end"))[rows]
    vectors = np.asarray(index.vectors.vectors[np.sort(rows)])[np.argsort(np.argsort(rows))]
    ruled_out = np.zeros(len(rows), dtype=bool)
    chosen: list[tuple[int, float]] = []
    for n in range(len(rows)):
        if ruled_out[n]:
            continue
        chosen.append(ranked[n])
        if len(chosen) == k:
            break
        later = slice(n + 1, None)
        if not windows:
            ruled_out[later] |= (
                (document[later] == document[n]) & (start[later] < end[n]) & (start[n] < end[later])
            )
        close = vectors[later] @ vectors[n] > duplicate_cosine
        if repeat_ratio > 0 and close.any():
            text = chunks[int(rows[n])].text
            for j in np.flatnonzero(close).tolist():  # later passage n + 1 + j
                close[j] = repeats(chunks[int(rows[n + 1 + j])].text, text, repeat_ratio)
        ruled_out[later] |= close
    return chosen


# With gaps: a window joins a quote of its paragraph at most this many times its own length away
# (the window or two between them that missed the cut are shown with them).
GAP_WINDOWS = 2


def join_windows(
    index: CorpusIndex, chosen: list[tuple[int, float]], k: int, gaps: bool = False
) -> list[tuple[tuple[int, ...], float]]:
    """Up to `k` quotes from `chosen` (passage rows, best first): each a group of rows and the
    best one's score. A window that overlaps or touches a group's window of the same paragraph
    joins it (two groups it bridges become one), so the quote shown is the paragraph's
    contiguous text across them, an exact source span, rather than two quotes repeating a
    sentence. With `gaps`, a window also joins a group of its paragraph that lies at most
    `GAP_WINDOWS` times its own length away, and the quote runs over the text between them: one
    answer shown as one quote, not as its first and third windows at two places of the list (a
    window of a long speech further off stays a quote of its own, so no quote runs over pages
    of it). Groups keep the rank of their best window."""
    chunks = index.chunks
    groups: list[list[int]] = []
    scores: list[float] = []
    spans: list[tuple[str, int, int, int]] = []  # per group: document, paragraph, start, end
    for i, score in chosen:
        c = chunks[i]
        touching = [
            g
            for g, (doc, para, start, end) in enumerate(spans)
            if doc == c.document
            and para == c.paragraph
            and _near(c.start, c.end, start, end, GAP_WINDOWS * (c.end - c.start) if gaps else 0)
        ]
        if not touching:
            if len(groups) == k:
                break
            groups.append([i])
            scores.append(score)
            spans.append((c.document, c.paragraph, c.start, c.end))
            continue
        first, *rest = touching
        groups[first].append(i)
        doc, para, start, end = spans[first]
        start, end = min(start, c.start), max(end, c.end)
        for g in rest:  # bridged: the later group joins the first
            groups[first] += groups[g]
            start, end = min(start, spans[g][2]), max(end, spans[g][3])
        spans[first] = (doc, para, start, end)
        for g in reversed(rest):
            del groups[g], scores[g], spans[g]
    return [
        (tuple(sorted(g, key=lambda r: chunks[r].start)), s)
        for g, s in zip(groups, scores, strict=True)
    ]


def _near(start: int, end: int, low: int, high: int, gap: int) -> bool:
    """Whether the span `start`-`end` overlaps `low`-`high`, touches it, or lies at most `gap`
    characters from it."""
    return start <= high + gap and low <= end + gap


def spread(
    index: CorpusIndex, ranked: list[tuple[int, float]], k: int, paragraphs: int, factor: float
) -> list[tuple[int, float]]:
    """The best `k` of `ranked` (already de-duplicated, best first), chosen one at a time: each
    choice scales by `factor` the scores of the passages within `paragraphs` paragraphs of it in
    the same transcript, so that the passages shown come from different moments of it.

    A meeting or a briefing stays on a topic for several paragraphs; the next paragraph of a
    passage already shown adds less than a passage from another part of the transcript, so it
    is shown after that one unless it scores clearly higher. The scores returned are the scaled
    ones, best first. `factor` 1 keeps the order as it is."""
    if not ranked or k < 1:
        return []
    if factor >= 1.0:
        return ranked[:k]
    rows = np.fromiter((i for i, _ in ranked), dtype=np.int64, count=len(ranked))
    chunks = index.chunks
    document = np.asarray(chunks.column("document"))[rows]
    paragraph = np.asarray(chunks.column("paragraph"))[rows].astype(np.int64)
    score = np.fromiter((s for _, s in ranked), dtype=np.float64, count=len(ranked))
    open_ = np.ones(len(rows), dtype=bool)
    chosen: list[tuple[int, float]] = []
    while len(chosen) < k and open_.any():
        candidates = np.flatnonzero(open_)
        n = int(candidates[np.argmax(score[candidates])])  # the first of equal scores
        chosen.append((int(rows[n]), float(score[n])))
        open_[n] = False
        near = open_ & (document == document[n]) & (np.abs(paragraph - paragraph[n]) <= paragraphs)
        score[near] *= factor
    return chosen
