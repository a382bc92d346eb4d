"""The way of one question through retrieval, stage by stage:

query (follow-up, dates, speakers) -> filters -> abstain on missing key terms -> candidates
(dense + BM25) -> fusion -> transcript-aware lift -> diversify -> abstain on low coverage ->
passages with citations and highlights.
"""

from __future__ import annotations

import numpy as np

from assistant.answers import Answer
from assistant.index import CorpusIndex
from assistant.retrieval import abstain, candidates, lift
from assistant.retrieval.config import MAX_K, RetrievalConfig
from assistant.retrieval.diversify import diversify
from assistant.retrieval.filters import build_filters
from assistant.retrieval.fusion import fuse
from assistant.retrieval.query import Query, clip, resolve
from assistant.retrieval.relevance import Relevance
from assistant.retrieval.results import passage
from assistant.retrieval.view import WORD, CorpusView
from embeddings import EmbeddingModel


class Retriever:
    """Answers questions from a loaded `CorpusIndex` with an embedding model. Thread-safe."""

    def __init__(
        self, index: CorpusIndex, model: EmbeddingModel, config: RetrievalConfig | None = None
    ) -> None:
        self.index = index
        self.model = model
        self.config = config or RetrievalConfig()
        self.view = CorpusView(index)

    @property
    def speakers(self) -> list[str]:
        return self.view.speakers

    def resolve(self, question: str, history: list[str] | None = None) -> Query:
        return resolve(question, history, self.view.speakers_named_in)

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
        if not WORD.search(question):
            return Answer(
                question, False, [], "The question has no words to search for.", question, {}
            )
        view, cfg = self.view, self.config
        filters = build_filters(view, speaker, document, date_from, date_to)
        query = self.resolve(question, history)
        applied = dict(filters.applied)
        mask = filters.mask
        preferred = None  # passages dated as the question says, searched as a pool of their own
        if query.date_range and not query.date_from_history and not (date_from or date_to):
            date_mask = view.date_mask(query.date_range.start, query.date_range.end)
            combined = date_mask if mask is None else (mask & date_mask)
            if combined.any():
                applied["date_in_question"] = [query.date_range.start, query.date_range.end]
                if cfg.date_mode == "filter":
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
        missing = abstain.missing_terms(view, question) if cfg.missing_terms_abstain else []
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
        chosen, covered, answered = self.select(
            question, query, vector, mask, k, named_speakers, filters.speakers, preferred
        )
        applied["coverage"] = round(covered, 3)
        if not answered:
            return Answer(
                question,
                False,
                [],
                "Nothing in these transcripts answers that.",
                query.text,
                applied,
            )
        stems = set(view.tokens(query.text))
        passages = [passage(view, i, score, stems) for i, score in chosen]
        return Answer(question, True, passages, None, query.text, applied)

    def select(
        self,
        question: str,
        query: Query,
        vector: np.ndarray,
        mask: np.ndarray | None,
        k: int,
        named_speakers: tuple[str, ...] = (),
        speakers: set[int] | None = None,
        preferred: np.ndarray | None = None,
        measure: Relevance | None = None,
    ) -> tuple[list[tuple[int, float]], float, bool]:
        """The best `k` passages within `mask` (rows, scores), the coverage of the best few and
        whether that answers: what `ask` shows once its filters are set. `speakers` keeps only
        their passages; `preferred` is a pool ranked on its own and merged (a date the question
        names); `measure` is the question's `relevance`, when the caller has it already."""
        view, cfg = self.view, self.config
        ranked, dense_of = self._rank(query, vector, mask, named_speakers)
        if preferred is not None:
            # "back in 2013" may date the topic, not the conference: the dated pool is ranked on
            # its own (so its best passages surface) and merged with the undated ranking.
            dated, dense_dated = self._rank(query, vector, preferred, named_speakers)
            best = dict(ranked)
            for i, score in dated:
                best[i] = max(best.get(i, 0.0), score * (1 + cfg.question_date_boost))
            dense_of.update(dense_dated)
            ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if speakers is not None:  # questions put to them only lifted their answers
            ranked = [(i, s) for i, s in ranked if view.chunk_speaker[i] in speakers]
        chosen = diversify(self.index, ranked, max(k, cfg.coverage_depth), cfg.duplicate_cosine)
        top = chosen[: cfg.coverage_depth]
        covered = abstain.coverage(view, question, query, top, cfg, measure)
        chosen = chosen[:k]
        answered = (
            covered >= cfg.min_coverage
            and bool(chosen)
            and max(dense_of.get(i, -1.0) for i, _ in chosen) >= cfg.min_dense
        )
        return chosen, covered, answered

    def query_vector(self, query: Query) -> np.ndarray:
        """One unit vector for the question; a follow-up's leans toward the question itself."""
        text = clip(query.question)
        if not query.previous:
            return self.model.encode([text])[0]
        both = self.model.encode([text, clip(query.text)])
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
        found = candidates.search(self.view, query, vector, mask, cfg)
        ids = found.ids
        if not len(ids):
            return [], {}
        dense_of = found.dense_of
        fused = fuse(ids, found.dense_rank, dense_of, found.lexical_rank, found.lexical_of, cfg)
        lift.lift_answers(self.view, fused, dense_of, vector, mask, cfg)
        lift.boost_named(self.view, fused, query, named_speakers, cfg)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        return ranked, dense_of
