"""Aligning a quote's words with a stretch of transcript, word by word, with rapidfuzz.

Both sides are folded words (`assistant.folding.word_columns`), so case, quote glyphs, dashes,
spacing, hyphenation and punctuation never count. Each quote word becomes one character of a
code string (a word of the source that is not in the quote becomes one shared filler
character), so rapidfuzz compares words as it compares characters: `fuzz.partial_ratio_alignment`
finds where in the source the quote sits, `Levenshtein.distance` settles the exact window and
`Levenshtein.opcodes` lists the words replaced, inserted and dropped. An exact occurrence is a
plain substring search of the code strings. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

FILLER = "\x00"  # every source word the quote does not use
MAX_GAP_WORDS = 250  # elided words between two fragments of one quote, at most
_FIRST_CODE = 0x100


@dataclass(frozen=True)
class Words:
    """Folded words with the offsets of each in its own text (quote or document)."""

    words: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True)
class Edit:
    """One rapidfuzz opcode between quote words [q1, q2) and source words [s1, s2)."""

    tag: str  # "equal", "replace", "delete" (quote words not said), "insert" (said, not quoted)
    q1: int
    q2: int
    s1: int
    s2: int


@dataclass(frozen=True)
class Placement:
    """Where each fragment of a quote sits in a source stretch: source word windows, in order,
    the edits of each fragment, and the totals the verdict is decided on."""

    windows: tuple[tuple[int, int], ...]  # per fragment, [start, end) in source words
    edits: tuple[tuple[Edit, ...], ...]  # per fragment, its opcodes (quote indices global)
    distance: int  # words replaced, inserted or dropped, over all fragments
    matched: int  # quote words said as quoted
    longest_run: int  # the longest stretch of quote words said as quoted, in a row

    @property
    def exact(self) -> bool:
        return self.distance == 0


class Coder:
    """One character per distinct quote word; source words outside the quote share FILLER."""

    def __init__(self, quote_words: Sequence[str]) -> None:
        self.codes: dict[str, str] = {}
        for w in quote_words:
            if w not in self.codes:
                n = _FIRST_CODE + len(self.codes)
                self.codes[w] = chr(n + 0x800 if n >= 0xD800 else n)  # no surrogates
        self.quote = "".join(self.codes[w] for w in quote_words)

    def source(self, words: Sequence[str]) -> str:
        get = self.codes.get
        return "".join([get(w, FILLER) for w in words])


def exact_windows(fragments: Sequence[str], source: str) -> list[tuple[tuple[int, int], ...]]:
    """Every placement of the fragments (code strings) in `source` where each occurs exactly,
    in order, with at most MAX_GAP_WORDS words between one and the next."""
    first, rest = fragments[0], fragments[1:]
    found = []
    at = source.find(first)
    while at >= 0:
        windows = [(at, at + len(first))]
        cursor = at + len(first)
        for fragment in rest:
            nxt = source.find(fragment, cursor, cursor + MAX_GAP_WORDS + len(fragment))
            if nxt < 0:
                break
            windows.append((nxt, nxt + len(fragment)))
            cursor = nxt + len(fragment)
        else:
            found.append(tuple(windows))
        at = source.find(first, at + 1)
    return found


def cut_placements(quote: str, source: str, min_part: int, max_gap: int) -> list[Placement]:
    """Placements of a quote (one code string) said word for word but for one stretch of the
    source left out in its middle without an ellipsis ("Inflation is much too high, and [we
    understand the hardship it is causing, and] we're moving expeditiously"): a head and a tail
    of at least `min_part` words each, the tail at most `max_gap` words after the head. Each
    is one window whose left-out words are an "insert" edit (said, not quoted); of the cuts
    giving one window, the shortest left-out stretch."""
    n = len(quote)
    found: dict[tuple[int, int], Placement] = {}
    for j in range(min_part, n - min_part + 1):
        head, tail = quote[:j], quote[j:]
        at = source.find(head)
        while at >= 0:
            gap = at + j
            nxt = source.find(tail, gap + 1, gap + max_gap + len(tail))
            if nxt >= 0:
                window = (at, nxt + len(tail))
                if window not in found or found[window].distance > nxt - gap:
                    edits = (
                        Edit("equal", 0, j, at, gap),
                        Edit("insert", j, j, gap, nxt),
                        Edit("equal", j, n, nxt, nxt + len(tail)),
                    )
                    found[window] = Placement((window,), (edits,), nxt - gap, n, max(j, n - j))
            at = source.find(head, at + 1)
    return list(found.values())


def _window(quote: str, source: str, lo: int, hi: int) -> tuple[int, int, int]:
    """The window [start, end) of source[lo:hi] closest to `quote` in edit distance; of equally
    close ones, the one sharing most words with it, then the one nearest the quote's length (a
    changed last word reads as replaced, not as dropped and inserted), then the one nearest
    rapidfuzz's alignment. Returns the window and its distance."""
    part = source[lo:hi]
    if not part:
        return lo, lo, len(quote)
    if len(quote) <= len(part):
        found = fuzz.partial_ratio_alignment(quote, part)
        start, end = lo + found.dest_start, lo + found.dest_end
    else:
        start, end = lo, hi
    slack = min(6, 2 + len(quote) // 8)

    def key(s: int, e: int, cutoff: int | None = None) -> tuple[int, int, int, int]:
        window = source[s:e]
        d = Levenshtein.distance(quote, window, score_cutoff=cutoff)
        if cutoff is not None and d > cutoff:
            return (d, 0, 0, 0)
        return (d, -LCSseq.similarity(quote, window), abs(e - s - len(quote)), abs(s - start))

    best_key, best = key(start, end), (start, end)
    for s in range(max(lo, start - slack), min(hi, start + slack) + 1):
        for e in range(max(s + 1, end - slack), min(hi, end + slack) + 1):
            k = key(s, e, best_key[0])
            if k < best_key:
                best_key, best = k, (s, e)
    return best[0], best[1], best_key[0]


def place(fragments: Sequence[str], source: str) -> Placement:
    """The best placement of a quote's fragments (code strings, in order) in `source`: the
    longest fragment first, the ones before it to its left and the ones after to its right."""
    windows: list[tuple[int, int] | None] = [None] * len(fragments)
    anchor = max(range(len(fragments)), key=lambda i: len(fragments[i]))
    s, e, _ = _window(fragments[anchor], source, 0, len(source))
    windows[anchor] = (s, e)
    right = e
    for i in range(anchor + 1, len(fragments)):
        s, e, _ = _window(fragments[i], source, right, min(len(source), right + MAX_GAP_WORDS))
        windows[i] = (s, e)
        right = e
    left = windows[anchor][0]
    for i in range(anchor - 1, -1, -1):
        s, e, _ = _window(fragments[i], source, max(0, left - MAX_GAP_WORDS), left)
        windows[i] = (s, e)
        left = s
    return placement(fragments, source, [w for w in windows if w is not None])


def placement(
    fragments: Sequence[str], source: str, windows: Sequence[tuple[int, int]]
) -> Placement:
    """The edits and totals of the fragments placed at `windows` of `source`."""
    edits, distance, matched, longest = [], 0, 0, 0
    offset = 0
    for fragment, (s, e) in zip(fragments, windows, strict=True):
        ops: list[Edit] = []
        for op in Levenshtein.opcodes(fragment, source[s:e]):
            edit = Edit(
                op.tag,
                offset + op.src_start,
                offset + op.src_end,
                s + op.dest_start,
                s + op.dest_end,
            )
            if op.tag == "equal":
                run = op.src_end - op.src_start
                matched += run
                longest = max(longest, run)
            else:
                distance += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
                if ops and ops[-1].tag != "equal":  # "has given" -> "gave": one replacement
                    before = ops.pop()
                    edit = Edit("replace", before.q1, edit.q2, before.s1, edit.s2)
            ops.append(edit)
        edits.append(tuple(ops))
        offset += len(fragment)
    return Placement(tuple(windows), tuple(edits), distance, matched, longest)
