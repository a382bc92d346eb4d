"""How passages sit among each other: the passage before and after each one in its document, the
reporter's question passage each answer answers, and each passage's length. Computed once per loaded index from the
columns, vectorised (no Python loop over the passages)."""

from __future__ import annotations

import numpy as np

from assistant.columns import Passages


class Links:
    """Per passage row: `before` / `after` (the neighbouring row in the same document, -1 at
    its ends), `asked` (the first passage of the question paragraph it answers, or -1),
    `chars` (its length in characters); `answers(rows)` gives the passages answering the
    questions among `rows`."""

    def __init__(self, chunks: Passages) -> None:
        n = len(chunks)
        document = np.asarray(chunks.column("document")).astype(np.int64)
        paragraph = np.asarray(chunks.column("paragraph")).astype(np.int64)
        question = np.asarray(chunks.column("question")).astype(np.int64)
        rows = np.arange(n, dtype=np.int64)
        self.chars = np.asarray(chunks.column("end")) - np.asarray(chunks.column("start"))
        same_before = np.zeros(n, dtype=bool)
        if n > 1:
            same_before[1:] = document[1:] == document[:-1]
        self.before = np.where(same_before, rows - 1, -1)
        same_after = np.zeros(n, dtype=bool)
        if n > 1:
            same_after[:-1] = same_before[1:]
        self.after = np.where(same_after, rows + 1, -1)
        # first row of each (document, paragraph); answers look up their question's
        span = int(max(paragraph.max(initial=0), question.max(initial=0))) + 1
        keys = document * span + paragraph
        unique, first = np.unique(keys, return_index=True)
        wanted = document * span + question
        at = np.clip(np.searchsorted(unique, wanted), 0, max(len(unique) - 1, 0))
        found = (question > 0) & (len(unique) > 0)
        if len(unique):
            found &= unique[at] == wanted
        self.asked = np.where(found, first[at] if len(first) else -1, -1).astype(np.int64)
        # answers grouped by the first passage of their question: rows of one question
        # paragraph all reach them through `first_of`
        self.first_of = first[np.searchsorted(unique, keys)] if n else np.zeros(0, np.int64)
        answering = np.flatnonzero(self.asked >= 0)
        order = np.argsort(self.asked[answering], kind="stable")
        self._answer_rows = answering[order]
        self._answer_keys = self.asked[self._answer_rows]

    def answers(self, rows: np.ndarray) -> np.ndarray:
        """The passages answering the question paragraphs of `rows` (empty for non-questions)."""
        return self.answers_of(rows)[0]

    def answers_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(answer passages, the position in `rows` of the question each answers)."""
        empty = np.zeros(0, dtype=np.int64)
        if not len(rows) or not len(self._answer_keys):
            return empty, empty
        keys = self.first_of[np.asarray(rows, dtype=np.int64)]
        low = np.searchsorted(self._answer_keys, keys, side="left")
        high = np.searchsorted(self._answer_keys, keys, side="right")
        counts = high - low
        if not counts.any():
            return empty, empty
        source = np.repeat(np.arange(len(rows)), counts)
        # positions low[k], low[k]+1, ... for each k, without a Python loop
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return self._answer_rows[np.repeat(low, counts) + offsets], source
