"""What ranking needs to know of a loaded index, as numpy arrays computed once per load.

Per passage: its document code, speaker code and role; per document: its date; the speakers and
the parts of their names; the BM25 vocabulary and IDF; which passages answer which reporter's
question. Everything comes from the index's columns, vectorised: no Python loop over a million
passages at start.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant.columns import Passages
from assistant.index import CorpusIndex
from assistant.retrieval.speakers import ProperWords, SpeakerNames
from assistant.tokens import tokens
from assistant.transcripts import ANSWER

WORD = re.compile(r"\w+", re.UNICODE)


class AnswersTo:
    """(document, question paragraph) -> the passages answering it, in passage order: looked up
    in arrays sorted once by numpy, where a dict over a million passages took a second."""

    def __init__(self, chunks: Passages, role: np.ndarray, documents: list[str]) -> None:
        roles = chunks.role_names
        question = np.asarray(chunks.column("question"))
        answer = roles.index(ANSWER) if ANSWER in roles else -2
        rows = np.flatnonzero((role == answer) & (question > 0))
        self._span = int(question.max(initial=0)) + 1
        keys = np.asarray(chunks.column("document"))[rows].astype(np.int64) * self._span
        keys += question[rows]
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._rows = rows[order]
        self._code = {d: i for i, d in enumerate(documents)}

    def get(self, key: tuple[str, int], default: list[int] | None = None) -> list[int]:
        document, paragraph = key
        code = self._code.get(document)
        if code is None or not 0 < paragraph < self._span:
            return [] if default is None else default
        wanted = code * self._span + paragraph
        low, high = np.searchsorted(self._keys, [wanted, wanted + 1])
        if low == high:
            return [] if default is None else default
        return self._rows[low:high].tolist()


class CorpusView:
    """Read-only arrays and look-ups over one `CorpusIndex`; thread-safe."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        chunks = index.chunks
        stored = chunks.document_names
        self.documents = sorted(stored)
        position = {d: i for i, d in enumerate(self.documents)}
        self.doc_position = position  # a document's code in `chunk_doc`
        doc_code = np.array([position[d] for d in stored], dtype=np.int32)
        self.chunk_doc = doc_code[np.asarray(chunks.column("document"))]
        self.doc_dates = [index.documents.date(d) for d in self.documents]
        speaker_column = np.asarray(chunks.column("speaker"))
        used = np.unique(speaker_column)
        table = chunks.speaker_names
        self.speakers = sorted({table[c] for c in used.tolist() if c >= 0 and table[c]})
        speaker_code = {s: i for i, s in enumerate(self.speakers)}
        # one slot more: code -1 (no speaker) reads the last, which stays -1
        speaker_of = np.full(len(table) + 1, -1, dtype=np.int32)
        for c, name in enumerate(table):
            speaker_of[c] = speaker_code.get(name, -1)
        self.chunk_speaker = speaker_of[speaker_column]
        role_column = np.asarray(chunks.column("role"))
        self.chunk_role = np.array(chunks.role_names or [""])[role_column]
        self.answers_to = AnswersTo(chunks, role_column, stored)
        # speakers who answer someone somewhere: a reporter, who only asks, is not one of them
        self.answering = set(np.unique(self.chunk_speaker[self.chunk_role == ANSWER]).tolist())
        self.vocab = index.tokenizer.get_vocab_dict()  # type: ignore[attr-defined]
        indptr = np.asarray(index.bm25.scores["indptr"])  # type: ignore[attr-defined]
        df = np.diff(indptr).astype(np.float64)
        n = max(len(chunks), 1)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.stopwords = set(index.tokenizer.stopwords)  # type: ignore[attr-defined]
        # each passage's number of words (split on white space), read once when first asked
        self._words = np.full(len(chunks), -1, dtype=np.int32)  # -1: not read yet
        documents = index.documents
        self.names = SpeakerNames(
            self.speakers,
            chunks.speaker_titles,
            ProperWords(lambda: (documents.text(d) for d in documents)),
        )

    # ------------------------------------------------------------ words
    def tokens(self, text: str) -> list[str]:
        """Stems as bm25s indexed them (assistant/tokens.py: the one tokeniser of both sides)."""
        return tokens(text, self.stopwords)

    @cached_property
    def label_stems(self) -> frozenset[str]:
        """Stems of what the transcripts say beside their passages: the speakers' labels, the
        offices those gave them, and the documents' titles ("Meyer" in "Governor Laurence H.
        Meyer", a speech with no line naming him). Read once, when first asked."""
        texts = [
            *self.speakers,
            *(t for ts in self.index.chunks.speaker_titles.values() for t in ts),
        ]
        texts += [self.index.documents.title(d) for d in self.documents]
        return frozenset(s for text in texts for s in self.tokens(text))

    def words(self, row: int) -> int:
        """How many words passage `row` holds (split on white space): read from its text the
        first time, kept after (two threads reading the same passage store the same count)."""
        count = int(self._words[row])
        if count < 0:
            count = len(self.index.chunks[row].text.split())
            self._words[row] = count
        return count

    # ------------------------------------------------------------ speakers
    def speakers_named_in(self, text: str) -> tuple[str, ...]:
        """Speakers of the corpus a question names (retrieval/speakers.py)."""
        return self.names.named_in(text)

    def speaking_within(self, names: tuple[str, ...], mask: np.ndarray | None) -> tuple[str, ...]:
        """Of speakers a question names, those with passages within `mask` (the transcripts
        and dates it is put to), where there are any; else all of them. "What did C think?"
        names Grad C, PhD C and Professor C in the corpus, one of them in a chosen meeting."""
        if mask is None or len(names) < 2:
            return names
        spoken = self.chunk_speaker[mask]
        within = tuple(
            name for name in names if np.isin(spoken, list(self.names.codes([name]))).any()
        )
        return within or names

    def match_speaker(self, name: str) -> list[str]:
        """Speakers a filter means; AmbiguousSpeaker when too many (retrieval/speakers.py)."""
        return self.names.match(name)

    def speaker_codes(self, names: list[str] | tuple[str, ...]) -> set[int]:
        return self.names.codes(names)

    # ------------------------------------------------------------ documents
    def match_document(self, name: str) -> list[int]:
        """Documents named `name`: the exact path, its file name, or its name without extension
        ("fomc_2022-06-15"); a whole path segment never matches inside another name."""
        name = name.strip().strip("/")
        exact = [i for i, d in enumerate(self.documents) if d == name]
        if exact:
            return exact
        return [
            i
            for i, d in enumerate(self.documents)
            if d.endswith("/" + name) or Path(d).name == name or Path(d).stem == name
        ]

    def nearest_dates(self, low: str, high: str, mask: np.ndarray | None = None) -> list[str]:
        """The latest transcript date before `low` and the earliest after `high` (of the
        passages within `mask`), those that exist: where to look when none is dated between."""
        docs = range(len(self.doc_dates)) if mask is None else np.unique(self.chunk_doc[mask])
        dates = {self.doc_dates[d] for d in docs} - {None}
        before = max((d for d in dates if d < low), default=None)
        after = min((d for d in dates if d > high), default=None)
        return [d for d in (before, after) if d is not None]

    def date_mask(self, low: str, high: str) -> np.ndarray:
        """Per passage: its document is dated within [low, high]."""
        in_range = np.array([d is not None and low <= d <= high for d in self.doc_dates])
        return in_range[self.chunk_doc] if len(in_range) else np.zeros(0, dtype=bool)
