"""Hybrid, transcript-aware retrieval: from a question to ranked verbatim passages.

Dense (FAISS over all-MiniLM-L6-v2) and lexical (bm25s) candidates are fused; a reporter's
question that matches lifts the official's answer to it; dates and speakers named in the
question narrow the search; near-duplicates are dropped; and when nothing answers, the answer
says so instead of showing the nearest noise. Every weight lives in `RetrievalConfig`, chosen by
`benchmarks/quality.py` on the development questions (docs/quality.md).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from assistant.answers import Answer, Citation, Context, Passage
from assistant.columns import Passages
from assistant.dates import MONTHS, DateRange, date_range_in
from assistant.index import CorpusIndex
from assistant.passages import split_sentences
from assistant.transcripts import ANSWER, QUESTION
from embeddings import EmbeddingModel

MAX_K = 50
MAX_QUERY_WORDS = 256
_WORD = re.compile(r"\w+", re.UNICODE)
# Openings that only make sense after an earlier question.
_FOLLOWUP_START = re.compile(
    r"^\s*(and|but|also|so|then|what about|how about|what else|anything else|same)\b",
    re.IGNORECASE,
)
# Third-person pronouns that point back at someone or something already named.
_PRONOUN = re.compile(r"\b(he|she|it|they|them|him|his|her|its|their|theirs)\b", re.IGNORECASE)
_SHORT_FOLLOWUP_WORDS = 8
# Words that frame a question rather than say what it is about.
_FRAMING_WORDS = (
    "say said says saying think thinks thought talk talked talking comment commented comments "
    "discuss discussed mention mentioned ask asked tell told respond responded response react "
    "reacted reaction explain explained describe described view views take position stance "
    "feel feels believe believes expect expected remark remarks press conference briefing "
    "meeting transcript"
)
_TITLE_WORDS = {
    "mr",
    "ms",
    "mrs",
    "dr",
    "chair",
    "chairman",
    "secretary",
    "governor",
    "president",
    "senator",
    "vice",
}


@dataclass(frozen=True)
class RetrievalConfig:
    """The ranking's knobs, as measured (benchmarks/quality.py)."""

    candidates: int = 100  # from each retriever, before fusion
    fusion: str = "rrf"  # "rrf" (reciprocal rank fusion) or "convex" (normalised scores)
    rrf_k: int = 20
    dense_weight: float = 0.5  # convex fusion: weight of the dense score
    question_lift: float = 0.3  # share of a matching question's score passed to its answer
    question_penalty: float = 0.5  # questions rank below answers: their own score is scaled
    speaker_boost: float = 0.5  # passages by a speaker the question names
    date_boost: float = 1.0  # follow-ups: passages dated as the earlier question asked
    date_mode: str = "prefer"  # a date in the question: "filter" to it, or "prefer" (own pool)
    question_date_boost: float = 0.0  # "prefer": extra weight of the dated pool's ranking
    followup_weight: float = 0.7  # follow-ups: weight of the question alone vs joined to history
    lift_full_words: int = 40  # answers shorter than this get a proportionally smaller lift
    duplicate_cosine: float = 0.92  # passages closer than this to a better one are dropped
    min_dense: float = 0.0  # abstain when the best passage is less similar (0: off; it is
    # model-specific and added nothing over coverage on the dev questions)
    min_coverage: float = 0.25  # abstain when the top passages hold less of the question's terms
    coverage_depth: int = 5  # how many top passages the coverage is measured over
    absent_term_weight: float = 0.5  # weight of words found nowhere, as a share of the top IDF
    missing_terms_abstain: bool = True  # abstain when a key term of the question is nowhere
    use_dense: bool = True
    use_lexical: bool = True


@dataclass(frozen=True)
class Query:
    """A question resolved for search: the text searched, and what narrows it."""

    question: str
    text: str  # what is searched: the question, joined to the one before for a follow-up
    date_range: DateRange | None = None
    speakers: tuple[str, ...] = ()
    previous: str | None = None  # the earlier question a follow-up leans on
    date_from_history: bool = False  # the date came from the earlier question, not this one

    @property
    def is_followup(self) -> bool:
        return self.previous is not None


@dataclass
class _Filters:
    mask: np.ndarray | None = None  # bool per chunk; None = everything
    speakers: set[int] | None = None  # speaker codes a result must have, when filtered
    applied: dict[str, Any] = field(default_factory=dict)


# Function words (bm25s' fuller English list) never count as content a passage must hold.
_FUNCTION_WORDS = set(STOPWORDS_EN_PLUS) | {"would", "could", "anything", "much", "many"}
_FRAMING_STEMS = {Stemmer.Stemmer("english").stemWord(w) for w in _FRAMING_WORDS.split()}


class _AnswersTo:
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


class Retriever:
    """Answers questions from a loaded `CorpusIndex` with an embedding model. Thread-safe."""

    def __init__(
        self, index: CorpusIndex, model: EmbeddingModel, config: RetrievalConfig | None = None
    ) -> None:
        self.index = index
        self.model = model
        self.config = config or RetrievalConfig()
        chunks = index.chunks
        # everything per passage comes from the index's columns, vectorised: no Python loop
        # over a million passages at start
        stored = chunks.document_names
        self.documents = sorted(stored)
        position = {d: i for i, d in enumerate(self.documents)}
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
        self.answers_to = _AnswersTo(chunks, role_column, stored)
        self.vocab = index.tokenizer.get_vocab_dict()  # type: ignore[attr-defined]
        indptr = np.asarray(index.bm25.scores["indptr"])  # type: ignore[attr-defined]
        df = np.diff(indptr).astype(np.float64)
        n = max(len(chunks), 1)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self._local = threading.local()  # PyStemmer objects are not thread-safe
        self._stopwords = set(index.tokenizer.stopwords)  # type: ignore[attr-defined]
        self._name_parts = self._speaker_name_parts()

    # ------------------------------------------------------------ queries
    def _speaker_name_parts(self) -> dict[str, set[str]]:
        parts: dict[str, set[str]] = {}
        for speaker in self.speakers:
            for word in re.findall(r"[\w'’-]+", speaker):
                if word.lower() not in _TITLE_WORDS and len(word) >= 3:
                    parts.setdefault(word.lower(), set()).add(speaker)
        return parts

    def speakers_named_in(self, text: str) -> tuple[str, ...]:
        """Speakers of the corpus whose name appears (capitalised) in `text`."""
        named: set[str] = set()
        for word in re.findall(r"\b[A-Z][\w'’-]+", text):
            named |= self._name_parts.get(word.lower().removesuffix("'s").removesuffix("’s"), set())
        return tuple(sorted(named))

    def resolve(self, question: str, history: list[str] | None = None) -> Query:
        """Join a follow-up to the conversation's earlier questions; find dates and speakers."""
        text = question
        date_range = date_range_in(question)
        speakers = self.speakers_named_in(question)
        earlier = [h.strip() for h in (history or []) if h and h.strip()]
        if not (earlier and _looks_like_followup(question, speakers, date_range)):
            return Query(question, text, date_range, speakers)
        last = earlier[-1]
        from_history = date_range is None and date_range_in(last) is not None
        return Query(
            question,
            f"{last} {question}",
            date_range or date_range_in(last),
            speakers or self.speakers_named_in(last),
            last,
            from_history,
        )

    def _tokens(self, text: str) -> list[str]:
        """Stems as bm25s indexed them (lower-cased, stop words out, Snowball English)."""
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            stemmer = self._local.stemmer = Stemmer.Stemmer("english")
        words = [w.lower() for w in _WORD.findall(text)]
        return [stemmer.stemWord(w) for w in words if len(w) > 1 and w not in self._stopwords]

    def missing_terms(self, question: str) -> list[str]:
        """Key terms of the question (names, acronyms, rare words) found nowhere in the corpus."""
        missing = []
        for m in re.finditer(r"[\w'’.-]+", question):
            word = m.group(0).strip(".'’-")
            low = word.lower().removesuffix("'s").removesuffix("’s")
            if not word or low in self._stopwords or low in MONTHS or word.isdigit():
                continue
            is_name = word[0].isupper() and m.start() > 0
            is_acronym = sum(ch.isupper() for ch in word) >= 2
            if not (is_name or is_acronym):
                continue
            stems = self._tokens(low)
            if stems and all(s not in self.vocab for s in stems):
                missing.append(word)
        return missing

    def coverage(self, question: str, query: Query, chosen: list[tuple[int, float]]) -> float:
        """Share of the question's content (IDF-weighted stems; framing words, names of speakers
        and dates left out) found in the best passage among `chosen`, with the question it
        answers. Low coverage means the passages are about something else: abstain."""
        skip = _FRAMING_STEMS | set(self._tokens(" ".join(query.speakers)))
        weights = {}
        absent = self.config.absent_term_weight * float(self.idf.max(initial=0.0))
        for word in _WORD.findall(question.lower()):
            if word in _FUNCTION_WORDS or word in MONTHS or word.isdigit():
                continue  # dates are matched by the date logic, not by words
            for t in self._tokens(word):
                if t in skip:
                    continue
                # A word the corpus never uses cannot be covered: it counts against the passages.
                # The floor keeps words found everywhere in a small corpus from weighing nothing.
                weights[t] = max(float(self.idf[self.vocab[t]]), 1.0) if t in self.vocab else absent
        total = sum(weights.values())
        if total == 0 or not chosen:
            return 1.0 if total == 0 else 0.0
        best = 0.0
        for i, _ in chosen:
            chunk = self.index.chunks[i]
            text = chunk.text
            if chunk.question:
                record = self.index.documents[chunk.document]
                text += " " + record.paragraphs[chunk.question - 1].text
            present = set(self._tokens(text))
            best = max(best, sum(w for t, w in weights.items() if t in present) / total)
        return best

    # ------------------------------------------------------------ filters
    def _filters(
        self,
        speaker: str | list[str] | None,
        document: str | list[str] | None,
        date_from: str | None,
        date_to: str | None,
    ) -> _Filters:
        n = len(self.index.chunks)
        mask = np.ones(n, dtype=bool)
        applied: dict[str, Any] = {}
        speaker_codes: set[int] | None = None
        if speaker:
            wanted = [speaker] if isinstance(speaker, str) else list(speaker)
            codes = set()
            for name in wanted:
                found = self.match_speaker(name)
                if not found:
                    raise ValueError(
                        f"no speaker matching {name!r} in this index; speakers include: "
                        + ", ".join(self.speakers[:15])
                        + ("…" if len(self.speakers) > 15 else "")
                    )
                codes |= {self.speakers.index(s) for s in found}
            speaker_codes = codes
            speaker_mask = np.isin(self.chunk_speaker, list(codes))
            # keep the questions put to them, so a matching question can lift its answer
            docs = np.unique(self.chunk_doc[speaker_mask])
            mask &= speaker_mask | (np.isin(self.chunk_doc, docs) & (self.chunk_role == QUESTION))
            applied["speaker"] = sorted(self.speakers[c] for c in codes)
        if document:
            wanted = [document] if isinstance(document, str) else list(document)
            codes = set()
            for name in wanted:
                found = self.match_document(name)
                if not found:
                    raise ValueError(f"no document matching {name!r} in this index")
                codes |= set(found)
            mask &= np.isin(self.chunk_doc, list(codes))
            applied["document"] = sorted(self.documents[c] for c in codes)
        if date_from or date_to:
            low, high = date_from or "0000-00-00", date_to or "9999-99-99"
            for value, name in ((date_from, "date_from"), (date_to, "date_to")):
                if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    raise ValueError(f"{name} must be a date as YYYY-MM-DD, got {value!r}")
            if low > high:
                raise ValueError(f"the date range ends ({high}) before it starts ({low})")
            mask &= self._date_mask(low, high)
            applied["date_from"], applied["date_to"] = date_from, date_to
        return _Filters(None if mask.all() else mask, speaker_codes, applied)

    def _date_mask(self, low: str, high: str) -> np.ndarray:
        in_range = np.array([d is not None and low <= d <= high for d in self.doc_dates])
        return in_range[self.chunk_doc] if len(in_range) else np.zeros(0, dtype=bool)

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

    def match_speaker(self, name: str) -> list[str]:
        """Speakers matching `name` case-insensitively, whole or by a part ("powell")."""
        low = name.strip().lower()
        exact = [s for s in self.speakers if s.lower() == low]
        if exact:
            return exact
        return sorted(
            self._name_parts.get(low, set())
            | {s for s in self.speakers if low and low in s.lower()}
        )

    # ------------------------------------------------------------ search
    def ask(
        self,
        question: str,
        k: int = 5,
        *,
        history: list[str] | None = None,
        speaker: str | list[str] | None = None,
        document: str | list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Answer:
        if not isinstance(question, str) or not question.strip():
            raise ValueError(
                'the question is empty; ask something, e.g. "What did Powell say about inflation?"'
            )
        if isinstance(k, bool) or not isinstance(k, int):
            raise ValueError(f"k must be a whole number, got {k!r}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        k = min(k, MAX_K)
        question = question.strip()
        if not _WORD.search(question):
            return Answer(
                question, False, [], "The question has no words to search for.", question, {}
            )
        filters = self._filters(speaker, document, date_from, date_to)
        query = self.resolve(question, history)
        applied = dict(filters.applied)
        mask = filters.mask
        preferred = None  # passages dated as the question says, searched as a pool of their own
        if query.date_range and not query.date_from_history and not (date_from or date_to):
            date_mask = self._date_mask(query.date_range.start, query.date_range.end)
            combined = date_mask if mask is None else (mask & date_mask)
            if combined.any():
                applied["date_in_question"] = [query.date_range.start, query.date_range.end]
                if self.config.date_mode == "filter":
                    mask = combined
                else:
                    preferred = combined
        named_speakers = () if speaker else query.speakers
        if named_speakers:
            applied["speaker_in_question"] = list(named_speakers)
        if mask is not None and not mask.any():
            return Answer(
                question,
                False,
                [],
                "Nothing in these transcripts matches the filters.",
                query.text,
                applied,
            )
        missing = self.missing_terms(question) if self.config.missing_terms_abstain else []
        if missing:
            return Answer(
                question,
                False,
                [],
                "These transcripts never mention " + ", ".join(f"“{w}”" for w in missing) + ".",
                query.text,
                applied,
            )
        vector = self.query_vector(query)  # encoded once, for both pools
        ranked, dense_of = self._rank(query, vector, mask, named_speakers)
        if preferred is not None:
            # "back in 2013" may date the topic, not the conference: the dated pool is ranked on
            # its own (so its best passages surface) and merged with the undated ranking.
            dated, dense_dated = self._rank(query, vector, preferred, named_speakers)
            best = dict(ranked)
            for i, score in dated:
                best[i] = max(best.get(i, 0.0), score * (1 + self.config.question_date_boost))
            dense_of.update(dense_dated)
            ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if filters.speakers is not None:  # questions put to them only lifted their answers
            ranked = [(i, s) for i, s in ranked if self.chunk_speaker[i] in filters.speakers]
        chosen = self._diversify(ranked, max(k, self.config.coverage_depth))
        coverage = self.coverage(question, query, chosen[: self.config.coverage_depth])
        applied["coverage"] = round(coverage, 3)
        chosen = chosen[:k]
        if (
            coverage < self.config.min_coverage
            or not chosen
            or max(dense_of.get(i, -1.0) for i, _ in chosen) < self.config.min_dense
        ):
            return Answer(
                question,
                False,
                [],
                "Nothing in these transcripts answers that.",
                query.text,
                applied,
            )
        stems = set(self._tokens(query.text))
        passages = [self._passage(i, score, stems) for i, score in chosen]
        return Answer(question, True, passages, None, query.text, applied)

    def query_vector(self, query: Query) -> np.ndarray:
        """One unit vector for the question; a follow-up's leans toward the question itself."""
        text = _clip(query.question)
        if not query.previous:
            return self.model.encode([text])[0]
        both = self.model.encode([text, _clip(query.text)])
        w = self.config.followup_weight
        vector = w * both[0] + (1 - w) * both[1]
        return vector / (np.linalg.norm(vector) or 1.0)

    def _rank(
        self,
        query: Query,
        vector: np.ndarray,
        mask: np.ndarray | None,
        named_speakers: tuple[str, ...],
    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        cfg = self.config
        n = len(self.index.chunks)
        allowed = None if mask is None else np.flatnonzero(mask)
        text = _clip(query.question)
        dense_rank: dict[int, int] = {}
        dense_of: dict[int, float] = {}
        lexical_rank: dict[int, int] = {}
        lexical_of: dict[int, float] = {}
        if cfg.use_dense:
            scores, ids = self.index.vectors.search(vector, cfg.candidates, allowed)
            for r, (i, s) in enumerate(zip(ids[0], scores[0], strict=True)):
                if i >= 0:
                    dense_rank[int(i)] = r
                    dense_of[int(i)] = float(s)
        tokens = [t for t in self._tokens(text) if t in self.vocab]
        if query.previous:  # the question itself counts twice, the one before once
            tokens = tokens * 2 + [t for t in self._tokens(query.previous) if t in self.vocab]
        if cfg.use_lexical and tokens:
            weights = self.index.bm25.get_scores(  # type: ignore[attr-defined]
                [self.vocab[t] for t in tokens], weight_mask=None if mask is None else mask
            )
            if mask is not None:
                weights = np.where(mask, weights, 0.0)
            top = np.argpartition(-weights, min(cfg.candidates, n) - 1)[: cfg.candidates]
            top = top[np.argsort(-weights[top])]
            for r, i in enumerate(top):
                if weights[i] > 0:
                    lexical_rank[int(i)] = r
                    lexical_of[int(i)] = float(weights[i])
        candidates = set(dense_rank) | set(lexical_rank)
        if not candidates:
            return [], {}
        # every candidate gets an exact dense score (for abstention and de-duplication)
        ids = np.array(sorted(candidates), dtype=np.int64)
        for i, s in zip(ids, self.index.vectors.scores(vector, ids), strict=True):
            dense_of[int(i)] = float(s)
        fused = fuse(ids, dense_rank, dense_of, lexical_rank, lexical_of, cfg)
        # A reporter's question that matches lifts the official's answer to it.
        for i in list(fused):
            chunk = self.index.chunks[i]
            if chunk.role == QUESTION:
                for j in self.answers_to.get((chunk.document, chunk.paragraph), []):
                    if mask is not None and not mask[j]:
                        continue
                    words = len(self.index.chunks[j].text.split())
                    lift = cfg.question_lift * fused[i] * min(1.0, words / cfg.lift_full_words)
                    if j not in fused:
                        fused[j] = 0.0
                        dense_of[j] = float(self.index.vectors.scores(vector, [j])[0])
                    fused[j] += lift
                fused[i] *= cfg.question_penalty
        if named_speakers:
            codes = {self.speakers.index(s) for s in named_speakers}
            for i in fused:
                if self.chunk_speaker[i] in codes:
                    fused[i] *= 1 + cfg.speaker_boost
        if query.date_range and query.date_from_history:
            low, high = query.date_range.start, query.date_range.end
            for i in fused:
                date = self.doc_dates[self.chunk_doc[i]]
                if date is not None and low <= date <= high:
                    fused[i] *= 1 + cfg.date_boost
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        return ranked, dense_of

    def _diversify(self, ranked: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
        """Best first, skipping passages that overlap or nearly repeat a better one."""
        chosen: list[tuple[int, float]] = []
        chosen_vectors: list[np.ndarray] = []
        vectors = self.index.vectors.vectors
        for i, score in ranked:
            chunk = self.index.chunks[i]
            if any(
                (other := self.index.chunks[j]).document == chunk.document
                and other.start < chunk.end
                and chunk.start < other.end
                for j, _ in chosen
            ):
                continue
            v = np.asarray(vectors[i])
            if any(float(v @ u) > self.config.duplicate_cosine for u in chosen_vectors):
                continue
            chosen.append((i, score))
            chosen_vectors.append(v)
            if len(chosen) == k:
                break
        return chosen

    # ------------------------------------------------------------ results
    def _passage(self, i: int, score: float, stems: set[str]) -> Passage:
        chunk = self.index.chunks[i]
        record = self.index.documents[chunk.document]
        paragraphs = record.paragraphs
        para = paragraphs[chunk.paragraph - 1]
        citation = Citation(
            document=chunk.document,
            title=record.title,
            date=record.date,
            speaker=chunk.speaker,
            paragraph=chunk.paragraph,
            start=chunk.start,
            end=chunk.end,
            role=chunk.role,
            page=chunk.page,
            time=chunk.time,
        )
        question = paragraphs[chunk.question - 1] if chunk.question else None
        before = paragraphs[para.index - 2] if para.index > 1 else None
        after = paragraphs[para.index] if para.index < len(paragraphs) else None
        context = Context(
            question=question.text if question else None,
            question_speaker=question.speaker if question else None,
            before=before.text if before else None,
            before_speaker=before.speaker if before else None,
            after=after.text if after else None,
            after_speaker=after.speaker if after else None,
        )
        return Passage(
            chunk.text,
            round(float(score), 6),
            citation,
            self.highlights(chunk.text, stems),
            context,
        )

    def highlights(self, text: str, stems: set[str]) -> list[tuple[int, int]]:
        """The sentence(s) of `text` sharing the most (IDF-weighted) words with the question."""
        sentences = split_sentences(text)
        if not sentences or not stems:
            return []
        scores = []
        for s, e in sentences:
            present = set(self._tokens(text[s:e])) & stems
            scores.append(sum(float(self.idf[self.vocab[t]]) for t in present if t in self.vocab))
        best = max(scores)
        if best <= 0:
            return []
        return [
            span for span, score in zip(sentences, scores, strict=True) if score >= 0.75 * best
        ][:3]


def fuse(
    ids: np.ndarray,
    dense_rank: dict[int, int],
    dense_of: dict[int, float],
    lexical_rank: dict[int, int],
    lexical_of: dict[int, float],
    cfg: RetrievalConfig,
) -> dict[int, float]:
    """One score per candidate from its dense and lexical ranks (RRF) or scores (convex).

    Raw BM25 and cosine scores are not comparable, so RRF uses ranks only; the convex mode
    scales BM25 by the query's best BM25 score first."""
    if cfg.fusion == "rrf":
        fused = {}
        for i in ids:
            i = int(i)
            score = 0.0
            if cfg.use_dense and i in dense_rank:
                score += 1.0 / (cfg.rrf_k + dense_rank[i] + 1)
            if cfg.use_lexical and i in lexical_rank:
                score += 1.0 / (cfg.rrf_k + lexical_rank[i] + 1)
            fused[i] = score
        return fused
    dense = np.array([dense_of.get(int(i), 0.0) for i in ids])
    lexical = np.array([lexical_of.get(int(i), 0.0) for i in ids])
    top_lexical = lexical.max() if len(lexical) and lexical.max() > 0 else 1.0
    w = cfg.dense_weight if (cfg.use_lexical and lexical_of) else 1.0
    w = w if cfg.use_dense else 0.0
    score = w * dense + (1 - w) * (lexical / top_lexical)
    return {int(i): float(s) for i, s in zip(ids, score, strict=True)}


def _clip(text: str) -> str:
    return " ".join(text.split()[:MAX_QUERY_WORDS])


def _looks_like_followup(
    question: str, speakers: tuple[str, ...], date_range: DateRange | None
) -> bool:
    """A question leaning on the one before: "And why...?", "Does he think...?", or a short one
    naming no one and no date ("Could they have done anything differently?"). A question that
    names its own speaker or date stands alone unless it opens like a follow-up."""
    if _FOLLOWUP_START.match(question):
        return True
    if speakers or date_range is not None:
        return False
    return bool(_PRONOUN.search(question)) or len(question.split()) <= _SHORT_FOLLOWUP_WORDS
