"""The way of one question through retrieval, stage by stage:

query (follow-up, dates, speakers) -> filters -> abstain on missing key terms (unless the corpus
uses another name for them: aliases) -> candidates (dense + BM25) -> fusion and the
transcript-aware lift (or the learned ranking) -> diversify (a speaker the question names
shown first) -> abstain on low coverage ->
spread (passages from different moments of a transcript first) ->
passages with citations and highlights.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from functools import partial

import numpy as np

from assistant.answers import Answer, Passage
from assistant.index import CorpusIndex
from assistant.retrieval import abstain, candidates, content, lift
from assistant.retrieval.aliases import Alias, Aliases, phrase_of
from assistant.retrieval.config import MAX_K, RetrievalConfig
from assistant.retrieval.diversify import diversify, join_windows, spread
from assistant.retrieval.filters import build_filters
from assistant.retrieval.fusion import fuse
from assistant.retrieval.links import Links
from assistant.retrieval.query import Query, clip, resolve
from assistant.retrieval.relevance import Relevance, has_content, relevance
from assistant.retrieval.rerank import LearnedRanker, load_ranker, rerank
from assistant.retrieval.results import passage
from assistant.retrieval.sentences import Sentences
from assistant.retrieval.synonyms import WordVectors
from assistant.retrieval.view import WORD, CorpusView
from embeddings import EmbeddingModel

SPREAD_POOL = 3  # `spread` chooses k passages from the best 3k de-duplicated ones


class Retriever:
    """Answers questions from a loaded `CorpusIndex` with an embedding model. Thread-safe."""

    def __init__(
        self,
        index: CorpusIndex,
        model: EmbeddingModel,
        config: RetrievalConfig | None = None,
        ranker: LearnedRanker | None = None,
    ) -> None:
        self.index = index
        self.model = model
        self.config = config or RetrievalConfig()
        self.view = CorpusView(index)
        self.links = Links(index.chunks)
        self._given_ranker = ranker
        self.words = WordVectors(model)
        self.refresh()
        least = self.config.min_content_words
        self.empty = content.Empty(self.view, least) if least > 0 else None

    def refresh(self) -> None:
        """Read what `verbatim tune` writes beside the index version: the learned ranker
        (unless one was given), the corpus names' vectors (aliases by meaning) and each
        passage's sentences (a third voter; None without them)."""
        self.ranker = (
            self._given_ranker if self._given_ranker is not None else load_ranker(self.index)
        )
        self.aliases = Aliases(self.view)
        self.sentences = Sentences.load(self.index) if self.config.sentence_share > 0 else None

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
        # the earlier questions that say what they are about: a follow-up after "Why?" leans on
        # the question "Why?" asked again
        earlier = [h.strip() for h in history or [] if h and has_content(view, h)]
        query = self.resolve(question, earlier)
        if query.previous and not has_content(view, question):
            # "Why?", "What else did he say?": the earlier question asked again, its date and
            # speakers its own (leaning on "Why?" found every "why")
            query = self.resolve(query.previous, earlier[:-1])
        if (
            cfg.followup_documents
            and query.previous
            and not query.date_range
            and not (document or date_from or date_to)
        ):
            # "Didn't the supervisors see it coming?" after a question on Silicon Valley Bank:
            # the conversation is still in the transcripts the earlier answer quoted
            before = self.ask(  # with the question before it only: two searches at most
                query.previous, k=cfg.coverage_depth, history=earlier[-2:-1], speaker=speaker
            )
            docs = {view.doc_position[p.citation.document] for p in before.passages}
            query = replace(query, earlier_documents=tuple(sorted(docs)))
        applied = dict(filters.applied)
        mask = filters.mask
        preferred = None  # passages dated as the question says, searched as a pool of their own
        if query.date_range and not query.date_from_history and not (date_from or date_to):
            date_mask = view.date_mask(query.date_range.start, query.date_range.end)
            combined = date_mask if mask is None else (mask & date_mask)
            if combined.any():
                applied["date_in_question"] = list(query.date_range.bounds)
                if cfg.date_mode == "filter":
                    mask = combined
                else:
                    preferred = combined
            else:  # said so, and searched at every date: the date may be the topic's
                applied["date_not_found"] = {
                    "dates": list(query.date_range.bounds),
                    "nearest": view.nearest_dates(
                        query.date_range.start, query.date_range.end, mask
                    ),
                }
        named_speakers = () if speaker else view.speaking_within(query.speakers, mask)
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
        searched = query.question  # the question, or the earlier one it asks again
        missing = (
            abstain.missing_terms(view, searched, cfg.label_words)
            if cfg.missing_terms_abstain
            else []
        )
        # BM25 starts at once (in a large index) unless a missing term's alias may join it
        lexical = None if missing else candidates.start_lexical(view, query, mask, cfg)
        # a missing term's corpus name by its spelling (None: only its meaning may give one)
        spelled = self._spelled_aliases(searched, missing)
        # encoded once, for both pools; a missing term with it, to look for its corpus name
        unspelled = [t for t, alias in spelled.items() if alias is None]
        vector, term_vectors = self.encode_query(query, unspelled if self.aliases.embedded else [])
        if missing:
            found = [
                spelled[term] or self.aliases.find(term, term_vectors.get(term))
                if cfg.aliases
                else None
                for term in missing
            ]
            never = [term for term, alias in zip(missing, found, strict=True) if alias is None]
            if never:
                return Answer(
                    question,
                    False,
                    [],
                    "These transcripts never mention " + ", ".join(f"“{w}”" for w in never) + ".",
                    query.text,
                    applied,
                )
            query = replace(query, aliases=tuple((a.term, a.alias) for a in found if a))
            applied["aliases"] = {a.term: a.alias for a in found if a}
        scope = filters.mask if document else None  # the transcripts the question was put to
        chosen, covered, answered = self.select(
            searched,
            query,
            vector,
            mask,
            k,
            named_speakers,
            filters.speakers,
            preferred,
            None,
            scope,
            lexical,
            windows=cfg.join_windows,
        )
        applied["coverage"] = round(covered.share, 3)
        if covered.otherwise:  # the question's words read in the passages' words
            applied["said_otherwise"] = dict(covered.otherwise)
        if not answered:
            return Answer(
                question,
                False,
                [],
                "Nothing in these transcripts answers that.",
                query.text,
                applied,
            )
        if document and cfg.scope_share > 0 and filters.mask is not None:
            # put to chosen transcripts: do they discuss it, or only other transcripts do?
            wider = build_filters(view, speaker, None, date_from, date_to).mask
            share, elsewhere = abstain.scope_share(view, vector, filters.mask, wider)
            applied["scope_share"] = round(share, 3)
            if share < cfg.scope_share:
                return Answer(question, False, [], self._elsewhere(elsewhere), query.text, applied)
        stems = set(view.tokens(query.text))
        passages = [passage(view, rows, score, stems) for rows, score in chosen]
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
        scope: np.ndarray | None = None,
        lexical: Future | None = None,
        windows: bool = False,
        synonyms: bool = True,
    ) -> tuple[list[tuple[tuple[int, ...], float]], abstain.Coverage, bool]:
        """The best `k` passages within `mask` (each a group of rows, in text order, and its
        score), the coverage of the best few and whether that answers: what `ask` shows once its
        filters are set. `speakers` keeps only their passages; `preferred` is a pool ranked on
        its own and merged (a date the question names); `measure` is the question's
        `relevance`, when the caller has it already; `scope` the transcripts the question was
        put to (a document filter); `lexical` the question's BM25 search within `mask`, already
        started (`candidates.start_lexical`); `windows` joins windows of one paragraph into one
        passage (`diversify.join_windows`), else each group is one row; `synonyms` reads the
        question's common words in the passages' words where coverage falls short
        (`abstain.coverage`)."""
        view, cfg = self.view, self.config
        ranked, dense_of, found = self._rank(query, vector, mask, named_speakers, lexical)
        if preferred is not None:
            # "back in 2013" may date the topic, not the conference: the dated pool is ranked on
            # its own (so its best passages surface) and merged with the undated ranking; its
            # BM25 scores are the undated ones within the pool.
            pool = (preferred, 1 + cfg.question_date_boost)
            ranked = self._merge_pool(query, vector, pool, named_speakers, ranked, dense_of, found)
        if named_speakers and cfg.speaker_pool > 0:
            pool = (self._speaker_pool(named_speakers, ranked, mask), cfg.speaker_pool)
            ranked = self._merge_pool(query, vector, pool, named_speakers, ranked, dense_of, found)
        if speakers is not None:  # questions put to them only lifted their answers
            ranked = [(i, s) for i, s in ranked if view.chunk_speaker[i] in speakers]
        # de-duplicated deeply enough for `spread` to bring passages up from further down
        depth = max(k, cfg.coverage_depth) * (SPREAD_POOL if cfg.spread_factor < 1 else 1)
        shown = (
            lift.own_words(view, ranked, candidates.query_tokens(view, query, cfg), depth)
            if cfg.own_words
            else ranked
        )
        deduped = diversify(
            self.index,
            shown,
            depth,
            cfg.duplicate_cosine,
            windows=windows,
            repeat_ratio=cfg.duplicate_ratio,
        )
        if named_speakers and cfg.speaker_place > 0:
            on_topic = None
            if cfg.speaker_place_on_topic:
                measure = measure or relevance(view, question, query, cfg, scope)
                on_topic = partial(self._said_on_topic, measure)
            place = min(k, cfg.speaker_place)
            deduped = lift.place_named(view, deduped, named_speakers, place, on_topic, shown)
        # coverage reads the best few as ranked, one window of a paragraph each, as before
        # windows were joined or traded places (`lift.own_words`: which window is shown)
        top = (
            diversify(
                self.index,
                ranked,
                cfg.coverage_depth,
                cfg.duplicate_cosine,
                repeat_ratio=cfg.duplicate_ratio,
            )
            if windows
            else deduped[: cfg.coverage_depth]
        )
        covered = abstain.coverage(
            view,
            question,
            query,
            top,
            cfg,
            measure,
            self.links,
            scope,
            self.words if synonyms else None,
        )
        if windows:  # twice k: a window joining another leaves room for the next passage
            picked = spread(self.index, deduped, 2 * k, cfg.spread_paragraphs, cfg.spread_factor)
            chosen = join_windows(self.index, picked, k, cfg.join_gaps)
        else:
            picked = spread(self.index, deduped, k, cfg.spread_paragraphs, cfg.spread_factor)
            chosen = [((i,), score) for i, score in picked]
        answered = (
            covered.share >= cfg.min_coverage
            and bool(chosen)
            and max(dense_of.get(i, -1.0) for rows, _ in chosen for i in rows) >= cfg.min_dense
        )
        return chosen, covered, answered

    def nearest(
        self,
        text: str,
        vector: np.ndarray,
        k: int,
        mask: np.ndarray | None = None,
        *,
        min_cosine: float = 0.0,
    ) -> list[Passage]:
        """The `k` passages (within `mask`) nearest `text`, a text that is not a question (a
        quote said nowhere): ranked as `ask` ranks passages (both voters, the lift of answers
        over the questions they answer, one passage per moment of a transcript), one row each,
        never declined; its words are not read for dates or speakers. `vector` is its encoding
        (`clip`ped); a passage less than `min_cosine` from it is left out."""
        query = Query(question=text, text=text)
        chosen, _, _ = self.select(text, query, vector, mask, k, synonyms=False)
        rows = [group[0] for group, _ in chosen]
        if not rows:
            return []
        cosines = self.index.vectors.scores(vector, np.asarray(rows, dtype=np.int64))
        stems = set(self.view.tokens(text))
        return [
            passage(self.view, row, score, stems)
            for row, (_, score), cosine in zip(rows, chosen, cosines, strict=True)
            if cosine >= min_cosine
        ]

    def _merge_pool(
        self,
        query: Query,
        vector: np.ndarray,
        pool: tuple[np.ndarray | None, float],
        named_speakers: tuple[str, ...],
        ranked: list[tuple[int, float]],
        dense_of: dict[int, float],
        found: candidates.Candidates,
    ) -> list[tuple[int, float]]:
        """`ranked` merged with the passages of `pool` (a mask, and the weight of its scores;
        None: nothing to merge) ranked on their own, each at its weighted pool score where
        that is higher, so that the pool's best passages surface; its BM25 scores are the
        question's over every passage (`found.lexical_all`) within the pool."""
        rows, weight = pool
        if rows is None:
            return ranked
        own, dense_own, _ = self._rank(
            query, vector, rows, named_speakers, lexical_all=found.lexical_all
        )
        best = dict(ranked)
        for i, score in own:
            best[i] = max(best.get(i, 0.0), score * weight)
        dense_of.update(dense_own)
        content.demote_empty(best, self.empty)  # "Thank you." stays below the rest
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def _speaker_pool(
        self,
        named_speakers: tuple[str, ...],
        ranked: list[tuple[int, float]],
        mask: np.ndarray | None,
    ) -> np.ndarray | None:
        """The passages (within `mask`) of the named speakers, where `ranked` holds fewer than
        `speaker_pool_below` of them, else None: the candidates of the whole corpus may hold
        none of a speaker whose passages few words of the question match (a reporter's
        questions, read without their label by BM25). A fixed count, not the passages asked
        for, so the first five are the same however many are asked for."""
        codes = self.view.speaker_codes(named_speakers)
        held = sum(self.view.chunk_speaker[i] in codes for i, _ in ranked)
        if held >= self.config.speaker_pool_below:
            return None
        pool = np.isin(self.view.chunk_speaker, np.fromiter(codes, dtype=np.int64))
        if mask is not None:
            pool &= mask
        return pool if pool.any() else None

    def _elsewhere(self, row: int | None) -> str:
        """Why a question put to chosen transcripts is declined, naming where the corpus does
        discuss it."""
        reason = "Nothing in the chosen transcripts answers that"
        if row is None:
            return reason + "."
        document = self.index.chunks[row].document
        title = self.index.documents.title(document)
        named = f"“{title}” ({document})" if title and title != document else document
        return f"{reason}; other transcripts discuss it, for example {named}."

    def query_vector(self, query: Query) -> np.ndarray:
        """One unit vector for the question; a follow-up's leans toward the question itself."""
        return self.encode_query(query)[0]

    def encode_query(
        self, query: Query, terms: list[str] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The question's vector (`query_vector`) and one per term in `terms`, in one call."""
        texts = [clip(query.question)]
        if query.previous:
            texts.append(clip(query.text))
        terms = terms or []
        encoded = self.model.encode(texts + terms)
        term_vectors = dict(zip(terms, encoded[len(texts) :], strict=True))
        if not query.previous:
            return encoded[0], term_vectors
        w = self.config.followup_weight
        vector = w * encoded[0] + (1 - w) * encoded[1]
        return vector / (np.linalg.norm(vector) or 1.0), term_vectors

    def _said_on_topic(self, measure: Relevance, rows: list[int]) -> np.ndarray:
        """Per row, the share of the question's content it holds (`measure`), or the passage
        just before or after it holds, whichever is more (a named speaker's "just to add" to a
        colleague's answer on the topic: `lift.beside_named`); 0 for a passage that says
        nothing (`content.Empty`), whatever is around it."""
        rows_array = np.asarray(rows, dtype=np.int64)
        held = measure.of(self.view, rows_array)
        for side in (self.links.before, self.links.after):
            beside = side[rows_array]
            there = beside >= 0
            if there.any():
                held[there] = np.maximum(held[there], measure.of(self.view, beside[there]))
        if self.empty is not None and len(rows_array):
            held[self.empty.among(rows_array)] = 0.0
        return held

    def _spelled_aliases(self, question: str, missing: list[str]) -> dict[str, Alias | None]:
        """Each missing term's corpus name by its spelling, its initials or the name it is part
        of in the question (`phrase_of`), or None where only an embedding may find one; none
        at all when aliases are off."""
        if not missing or not self.config.aliases:
            return {}
        return {t: self.aliases.find(t, None, phrase_of(question, t)) for t in missing}

    def _rank(
        self,
        query: Query,
        vector: np.ndarray,
        mask: np.ndarray | None,
        named_speakers: tuple[str, ...],
        lexical: Future | None = None,
        *,
        lexical_all: np.ndarray | None = None,
    ) -> tuple[list[tuple[int, float]], dict[int, float], candidates.Candidates]:
        """Passages within `mask` ranked best first (row, score), the cosine of each candidate,
        and the candidates they came from."""
        cfg = self.config
        found = candidates.search(
            self.view,
            query,
            vector,
            mask,
            cfg,
            lexical=lexical,
            lexical_all=lexical_all,
            sentences=self.sentences,
        )
        ids = found.ids
        if not len(ids):
            return [], {}, found
        dense_of = found.dense_of
        if cfg.ranking == "learned" and self.ranker is not None:
            fused, cosines = rerank(self.view, self.links, self.ranker, vector, found, mask)
            dense_of.update(cosines)
        else:
            fused = fuse(
                ids,
                found.dense_rank,
                dense_of,
                found.lexical_rank,
                found.lexical_of,
                cfg,
                found.sentence_rank,
            )
            named = (  # a named reporter's questions are what is asked for
                self.view.speaker_codes(named_speakers) - self.view.answering
                if cfg.named_questions
                else set()
            )
            lift.lift_answers(self.view, fused, dense_of, vector, mask, cfg, named)
        lift.boost_named(self.view, fused, query, named_speakers, cfg)
        lift.beside_named(self.view, self.links, fused, named_speakers, cfg, mask)
        content.demote_empty(fused, self.empty)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        return ranked, dense_of, found
