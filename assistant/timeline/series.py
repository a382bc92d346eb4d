"""A timeline over one loaded index: per transcript, the phrase counted in what was said, its
rate per 10,000 words spoken, the passages about the query, and the best quotes.

Counting reads only the paragraphs that can hold the phrase: those of the passages whose BM25
entry holds the stem of its rarest word (every word of a paragraph is in one of its passages).
Each is folded and matched whole (`assistant.timeline.phrase`), so the count is exact and a
paragraph split over two overlapping passages counts once. Words spoken are counted the same
way (folded words), once per transcript, and kept.
"""

from __future__ import annotations

import threading
from collections import defaultdict

import numpy as np

from assistant.answers import Passage
from assistant.folding import words
from assistant.index import CorpusIndex
from assistant.retrieval.filters import build_filters
from assistant.retrieval.relevance import _postings
from assistant.retrieval.results import passage
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.topic import date_groups, topic_passages
from assistant.timeline.model import Timeline, TimelineRow, resolve_mode
from assistant.timeline.phrase import Phrase, phrase, word_count

QUOTES_PER_ROW = 3


class Timelines:
    """Timelines over one index and its retriever; thread-safe (counts of words spoken are
    computed once per transcript and kept)."""

    def __init__(self, index: CorpusIndex, retriever: Retriever) -> None:
        self.index = index
        self.retriever = retriever
        self.view = retriever.view
        self._spoken: dict[str, dict[str | None, int]] = {}
        self._lock = threading.Lock()
        self._paragraph_keys: tuple[np.ndarray, np.ndarray, int] | None = None
        self._stored_code = {d: i for i, d in enumerate(index.chunks.document_names)}

    # ------------------------------------------------------------ the timeline
    def timeline(
        self,
        query: str,
        *,
        speaker: str | list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        mode: str = "auto",
        quotes: int = QUOTES_PER_ROW,
    ) -> Timeline:
        if not isinstance(query, str) or not query.strip():
            raise ValueError('the query is empty; give a word, a phrase or a topic, e.g. "tariffs"')
        text = " ".join(query.split())
        found = words(text)
        if not found:
            raise ValueError(f"the query {query!r} has no words to look for")
        mode = resolve_mode(text, mode, len(found))
        view = self.view
        filters = build_filters(view, speaker, None, date_from, date_to)  # checks names, dates
        names = tuple(filters.applied.get("speaker", ()))
        scope = self._documents(date_from, date_to)
        if filters.speakers is not None:  # only the transcripts where they speak
            speaking = np.isin(view.chunk_speaker, list(filters.speakers))
            codes = set(np.unique(view.chunk_doc[speaking]).tolist())
            position = {d: i for i, d in enumerate(view.documents)}
            scope = [d for d in scope if position[d] in codes]
        counted: dict[str, list[tuple[int, int]]] = {}
        target = None
        if mode in ("phrase", "both"):
            target = phrase(text)
            counted = self._count(target, scope, filters.speakers)
        topics: dict[str, list[tuple[int, float]]] = {}
        if mode in ("topic", "both"):
            topics = self._topics(text, scope, speaker)
        rows, undated = [], []
        for document in scope:
            date = self.index.documents.date(document)
            count = sum(n for _, n in counted.get(document, ())) if target else None
            spoken = self._words_by(document, names) if count else 0  # a zero rate needs no count
            row = TimelineRow(
                document=document,
                title=self.index.documents.title(document),
                date=date,
                phrase_count=count,
                rate_per_10k=(
                    None
                    if count is None
                    else (round(count * 10_000 / spoken, 2) if spoken else 0.0)
                ),
                topic_passages=len(topics.get(document, ())) if mode != "phrase" else None,
                quotes=self._quotes(
                    document, target, counted.get(document, []), topics.get(document, []), quotes
                ),
            )
            (rows if date else undated).append(row)
        rows.sort(key=lambda r: (r.date, r.document))
        return Timeline(text, speaker, rows, undated, mode, names)

    # ------------------------------------------------------------ scope and words spoken
    def _documents(self, date_from: str | None, date_to: str | None) -> list[str]:
        """The transcripts the dates allow (undated ones only when no date is asked for)."""
        low, high = date_from or "0000-00-00", date_to or "9999-99-99"
        out = []
        for name, date in zip(self.view.documents, self.view.doc_dates, strict=True):
            if date is None:
                if not (date_from or date_to):
                    out.append(name)
            elif low <= date <= high:
                out.append(name)
        return out

    def words_spoken(self, document: str) -> dict[str | None, int]:
        """Words (folded, as the phrase is matched) per speaker of `document`; None: unnamed."""
        found = self._spoken.get(document)
        if found is None:
            tally: dict[str | None, int] = defaultdict(int)
            for p in self.index.documents[document].paragraphs:
                tally[p.speaker] += word_count(p.text)
            with self._lock:
                found = self._spoken.setdefault(document, dict(tally))
        return found

    def _words_by(self, document: str, names: tuple[str, ...]) -> int:
        spoken = self.words_spoken(document)
        return sum(spoken.get(n, 0) for n in names) if names else sum(spoken.values())

    # ------------------------------------------------------------ phrase counts
    def _count(
        self, target: Phrase, scope: list[str], speakers: set[int] | None
    ) -> dict[str, list[tuple[int, int]]]:
        """Per transcript, (paragraph, occurrences) of every paragraph where the phrase occurs."""
        view = self.view
        position = {d: i for i, d in enumerate(view.documents)}
        codes = np.array([position[d] for d in scope], dtype=np.int64)
        rows = self._candidate_rows(target)
        if rows is None:
            rows = np.flatnonzero(np.isin(view.chunk_doc, codes))
        else:
            rows = rows[np.isin(view.chunk_doc[rows], codes)]
        if speakers is not None:
            rows = rows[np.isin(view.chunk_speaker[rows], list(speakers))]
        chunks = self.index.chunks
        stored = np.asarray(chunks.column("document"))[rows].astype(np.int64)
        paragraph = np.asarray(chunks.column("paragraph"))[rows].astype(np.int64)
        span = int(paragraph.max(initial=0)) + 1
        pairs = np.unique(stored * span + paragraph)
        names = chunks.document_names
        counted: dict[str, list[tuple[int, int]]] = {}
        for key in pairs.tolist():
            document, index = names[key // span], key % span
            n = target.count(self.index.documents[document].paragraphs[index - 1].text)
            if n:
                counted.setdefault(document, []).append((index, n))
        return counted

    def _candidate_rows(self, target: Phrase) -> np.ndarray | None:
        """Passage rows whose indexed words may hold the phrase: the postings of the stems of
        its rarest word (of every form, for one word); None when no word has a stem to look up
        (only stop words): then every paragraph is read."""
        view = self.view
        options = [target.forms] if len(target.words) == 1 else [(w,) for w in target.words]
        best: np.ndarray | None = None
        for forms in options:
            stems = {s for f in forms for s in view.tokens(f)}
            if not stems or any(not view.tokens(f) for f in forms):
                continue  # a stop word (in some form) is not in the postings
            rows = np.unique(np.concatenate([_postings(view, s) for s in stems]))
            if best is None or len(rows) < len(best):
                best = rows
        return best

    # ------------------------------------------------------------ topic passages
    def _topics(
        self, text: str, scope: list[str], speaker: str | list[str] | None
    ) -> dict[str, list[tuple[int, float]]]:
        """Per transcript, its passages among those `ask` with its date's filter returns that
        hold `topic_coverage` of the query's content (an undated one: with its document's
        filter)."""
        view = self.view
        documents = self.index.documents
        dates = sorted({documents.date(d) for d in scope if documents.date(d)})
        groups: dict[str, np.ndarray] = dict(date_groups(view, dates))
        position = {d: i for i, d in enumerate(view.documents)}
        for d in scope:
            if not documents.date(d):
                groups["document:" + d] = view.chunk_doc == position[d]
        found = topic_passages(self.retriever, text, groups, speaker=speaker)
        per_document: dict[str, list[tuple[int, float]]] = {}
        for pairs in found.values():
            for i, score in pairs:
                per_document.setdefault(view.documents[view.chunk_doc[i]], []).append((i, score))
        return per_document

    # ------------------------------------------------------------ quotes
    def _quotes(
        self,
        document: str,
        target: Phrase | None,
        counted: list[tuple[int, int]],
        topic: list[tuple[int, float]],
        limit: int,
    ) -> list[Passage]:
        """The best passages of `document`: those holding the phrase first (in the topic's
        order where ranked there, else most occurrences first), then the topic's best."""
        if limit <= 0 or not (counted or topic):
            return []
        view = self.view
        score = dict(topic)
        chosen: list[int] = []
        if target is not None and counted:
            # ranked passages holding the phrase first, then the paragraphs with the most
            # occurrences; a paragraph's passages are read only until enough are found
            where = {paragraph for paragraph, _ in counted}
            chunks = self.index.chunks
            for i, _ in topic:
                if len(chosen) == limit:
                    break
                if chunks[i].paragraph in where and target.count(chunks[i].text):
                    chosen.append(i)
            for paragraph, _ in sorted(counted, key=lambda pair: (-pair[1], pair[0])):
                if len(chosen) >= limit:
                    break
                for i in self._rows_of(document, paragraph):
                    if i not in chosen and target.count(chunks[i].text):
                        chosen.append(i)
                        break  # one passage per paragraph: they overlap
        seen = set(chosen)
        chosen += [i for i, _ in topic if i not in seen]
        stems = set(view.tokens(target.query if target else ""))
        quotes = []
        for i in chosen[:limit]:
            # a passage holding the phrase has it highlighted; another, its best sentences
            spans = target.spans(self.index.chunks[i].text) if target is not None else []
            found = passage(view, i, score.get(i, 0.0), set() if spans else stems)
            if spans:
                found = Passage(found.text, found.score, found.citation, spans, found.context)
            quotes.append(found)
        return quotes

    def _rows_of(self, document: str, paragraph: int) -> list[int]:
        """The passage rows of one paragraph, in order."""
        if self._paragraph_keys is None:
            chunks = self.index.chunks
            stored = np.asarray(chunks.column("document")).astype(np.int64)
            paragraph_column = np.asarray(chunks.column("paragraph")).astype(np.int64)
            span = int(paragraph_column.max(initial=0)) + 1
            keys = stored * span + paragraph_column
            order = np.argsort(keys, kind="stable")
            self._paragraph_keys = (keys[order], order, span)
        keys, order, span = self._paragraph_keys
        wanted = self._stored_code[document] * span + paragraph
        low, high = np.searchsorted(keys, [wanted, wanted + 1])
        return order[low:high].tolist()
