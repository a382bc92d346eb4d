"""The public Python API: `Assistant.build(...)`, `Assistant.load(...)`, `assistant.ask(...)`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.answers import Answer
from assistant.build import BuildReport, build_index
from assistant.index import CorpusIndex, built_with
from assistant.quotes import QuoteChecker, QuoteCheckReport
from assistant.retrieval import MAX_K, RetrievalConfig, Retriever
from assistant.timeline import Timeline, Timelines
from embeddings import EmbeddingModel, load_model, model_name
from embeddings.models import KNOWN_MODELS

if TYPE_CHECKING:
    from assistant.retrieval.tune import TuneReport

DEFAULT_INDEX = Path(".verbatim/index")
# What an answer says about transcripts changed since indexing (documents are named relative to
# the corpus; the command itself, with the server's paths, is in the log and `reindex_command`).
STALE_ADVICE = "they are left out until the corpus is indexed again"

log = logging.getLogger(__name__)


def resolve_model(
    index_dir: Path, model: str | EmbeddingModel | None, encoder: str | None
) -> EmbeddingModel:
    """The model a build uses: the one given, else `encoder`'s, else the existing index's, else
    this machine's default encoder."""
    if model is not None and encoder is not None:
        raise ValueError("give a model or an encoder, not both")
    if model is not None and not isinstance(model, str):
        return model
    previous = built_with(index_dir)
    if previous not in KNOWN_MODELS:
        previous = None  # a damaged or foreign manifest: the default model, and a rebuild
    return load_model(model or (encoder and model_name(encoder)) or previous)


class Assistant:
    """Questions in, verbatim cited passages out, over one indexed corpus."""

    def __init__(
        self,
        index: CorpusIndex,
        model: EmbeddingModel,
        config: RetrievalConfig | None = None,
        report: BuildReport | None = None,
    ) -> None:
        self.index = index
        self.model = model
        self.retriever = Retriever(index, model, config)
        self.quotes = QuoteChecker(self.retriever)
        self.report = report
        self.timelines = Timelines(index, self.retriever)
        self._stale_logged: set[str] = set()

    @classmethod
    def build(
        cls,
        corpus: str | Path,
        index_dir: str | Path = DEFAULT_INDEX,
        *,
        model: str | EmbeddingModel | None = None,
        encoder: str | None = None,
        config: RetrievalConfig | None = None,
        show_progress: bool = False,
        log: Callable[[str], None] | None = None,
        ray: str | bool | None = None,
        follow_links: bool = False,
    ) -> Assistant:
        """Read every transcript under `corpus`, embed what changed, write the index, return a
        ready Assistant. Re-building an unchanged corpus embeds nothing. Symbolic links that
        leave the corpus folder are skipped unless `follow_links`.

        `encoder` ("torch", "onnx", "onnx-int8") chooses how the model runs; by default an
        existing index keeps the encoder it was built with and a new one gets this machine's
        default (`embeddings.default_encoder()`). Another encoder than the index's re-embeds
        every passage.

        `ray=True` (a private local Ray instance) or `ray="ADDRESS"` (a cluster) reads and
        embeds on Ray (assistant/ray_build.py); the index is the same as a local build's."""
        embedder = resolve_model(Path(index_dir), model, encoder)
        if ray is not None and ray is not False:
            from assistant.ray_build import build_on_ray

            report = build_on_ray(
                Path(corpus),
                Path(index_dir),
                embedder,
                address=None if ray is True else str(ray),
                log=log,
                follow_links=follow_links,
            )
        else:
            report = build_index(
                Path(corpus),
                Path(index_dir),
                embedder,
                show_progress=show_progress,
                log=log,
                follow_links=follow_links,
            )
        index = CorpusIndex.load(Path(index_dir), model_name=embedder.name, verify=False)
        return cls(index, embedder, config, report)

    @classmethod
    def load(
        cls,
        index_dir: str | Path = DEFAULT_INDEX,
        *,
        model: str | EmbeddingModel | None = None,
        encoder: str | None = None,
        config: RetrievalConfig | None = None,
    ) -> Assistant:
        """Open an index written by `build` (its corpus root is recorded in it). Questions are
        encoded by the model and encoder the index was built with; a `model` or `encoder`
        given must be that one (IndexMismatchError otherwise: vectors never mix)."""
        if model is not None and encoder is not None:
            raise ValueError("give a model or an encoder, not both")
        if encoder is not None:
            model = model_name(encoder)
        wanted = None if model is None else (model if isinstance(model, str) else model.name)
        index = CorpusIndex.load(Path(index_dir), model_name=wanted)
        embedder = (
            model
            if (model is not None and not isinstance(model, str))
            else load_model(index.model_name)
        )
        return cls(index, embedder, config)

    def tune(
        self,
        *,
        force: bool = False,
        show_progress: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> TuneReport | None:
        """`verbatim tune` on this index: embed each passage's sentences and the corpus's names
        and learn a ranking from the corpus's own questions (what docs/quality.md measures),
        then answer with them. Once per index version: None when it was tuned already (`force`
        tunes again)."""
        from assistant.retrieval.tune import tune_index

        report = tune_index(
            self.index_dir,
            self.model,
            force=force,
            show_progress=show_progress,
            log=log,
        )
        self.retriever.refresh()
        return report

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
        """The passages that answer `question`, best first, or `answered=False` when none does.

        `history` holds the conversation's earlier questions, for follow-ups ("And what about
        inflation?"). `speaker`, `document`, `date_from`/`date_to` (YYYY-MM-DD) narrow the search.
        """

        def search(n: int) -> Answer:
            return self.retriever.ask(
                question,
                n,
                history=history,
                speaker=speaker,
                document=document,
                date_from=date_from,
                date_to=date_to,
            )

        answer = search(k)
        # A transcript edited since indexing: its stored text and offsets no longer match the
        # file, so its passages are left out (never shown as quotes the file no longer holds).
        stale = set(self.index.stale_documents([p.citation.document for p in answer.passages]))
        if not stale:
            return answer
        wanted = k
        while True:
            fresh = [p for p in answer.passages if p.citation.document not in stale]
            exhausted = len(answer.passages) < wanted or wanted >= MAX_K
            if len(fresh) >= k or exhausted:
                break
            wanted = min(MAX_K, wanted + (len(answer.passages) - len(fresh)))
            answer = search(wanted)
            stale |= set(self.index.stale_documents([p.citation.document for p in answer.passages]))
        filters = {**answer.filters, "stale_documents": sorted(stale)}
        # The command names the server's folders: it goes to the operator's log, never into
        # the answer, which every user of a shared server reads.
        unlogged = stale - self._stale_logged
        if unlogged:  # once per document, not once per question
            self._stale_logged |= unlogged
            log.warning(
                "transcripts changed since indexing are left out of answers (%s); %s",
                ", ".join(sorted(unlogged)),
                self.reindex_command(),
            )
        if fresh:
            return replace(answer, passages=fresh[:k], filters=filters)
        return replace(
            answer,
            answered=False,
            passages=[],
            reason=(
                "The transcripts that answer this changed since they were indexed ("
                + ", ".join(sorted(stale))
                + f"); {STALE_ADVICE}"
            ),
            filters=filters,
        )

    def timeline(
        self,
        query: str,
        *,
        speaker: str | list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        mode: str = "auto",
    ) -> Timeline:
        """`query` across the dated transcripts: one row per transcript in date order (the
        undated ones apart) with the exact phrase count (folded; a single word's inflected forms
        count), its rate per 10,000 words spoken, the passages about it that `ask` with that
        date's filter returns (each holding half the query's content), and the best quotes,
        cited.

        `speaker` counts only their words (and keeps the transcripts where they speak);
        `date_from`/`date_to` (YYYY-MM-DD) bound the axis; `mode` is "phrase", "topic", "both"
        or "auto" (both for a short query, the topic for a question, the phrase for a query in
        double quotes)."""
        return self.timelines.timeline(
            query, speaker=speaker, date_from=date_from, date_to=date_to, mode=mode
        )

    def check(self, text: str, *, speaker: str | None = None, k: int = 3) -> QuoteCheckReport:
        """Whether, where, when and by whom each quote of `text` was said.

        `text` is one quote, or a longer text (an article, a chatbot's answer) whose quoted
        strings are checked, each with the attribution written next to it ("Powell said").
        `speaker` is the claimed speaker of quotes the text attributes to no one. Each quote
        gets a verdict (`exact`, `close` with the words that differ, or `not_found` with at most
        `k` passages similar in meaning) and every occurrence, oldest first, with its citation.
        Raises ValueError, saying why, for an empty text, one without words, or one too long."""
        return self.quotes.check(text, speaker=speaker, k=k)

    def stale_documents(self) -> list[str]:
        """Indexed transcripts whose file changed or vanished since indexing: their passages
        are left out of answers until the corpus is indexed again (`reindex_command()`)."""
        return self.index.stale_documents()

    def reindex_command(self) -> str:
        return f"re-index with: verbatim index {self.corpus_root} --index {self.index_dir}"

    @property
    def index_dir(self) -> Path:
        return self.index.path.parent

    # ------------------------------------------------------------ corpus facts
    @property
    def corpus_root(self) -> Path:
        return self.index.corpus_root

    def document_text(self, document: str) -> str:
        """The canonical text of `document` that citations' `start`/`end` index."""
        try:
            return self.index.documents[document].text
        except KeyError:
            raise KeyError(f"no document {document!r} in this index") from None

    def documents(self) -> list[dict]:
        """One row per indexed transcript: document, title, date, speakers, passage count."""
        chunks = self.index.chunks
        names = chunks.document_names
        per_code = np.bincount(np.asarray(chunks.column("document")), minlength=len(names))
        counts = dict(zip(names, per_code.tolist(), strict=True))
        rows = []
        documents = self.index.documents  # titles, dates and speakers without the texts
        for name in sorted(documents, key=lambda d: (documents.date(d) or "", d)):
            rows.append(
                {
                    "document": name,
                    "title": documents.title(name),
                    "date": documents.date(name),
                    "speakers": documents.speakers(name),
                    "passages": counts.get(name, 0),
                }
            )
        return rows

    @property
    def speakers(self) -> list[str]:
        return list(self.retriever.speakers)
