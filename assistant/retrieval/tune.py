"""Training the learned ranking on the corpus's own question-answer pairs (`supervision`).

Each pair is searched as a user's question would be (dense + BM25 candidates, the question's own
passages left out); its candidates become rows of features labelled 1 for the answers. A
logistic regression is fitted on the pairs of four fifths of the documents and measured on the
rest against the hand-set hybrid (reciprocal rank fusion with the question lift); it is kept
only if it ranks the held-out answers at least as well, then refitted on every pair.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.files import read_json, write_json
from assistant.index import CorpusIndex
from assistant.retrieval import candidates
from assistant.retrieval.candidates import Candidates
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.features import FEATURES, feature_matrix
from assistant.retrieval.fusion import fuse
from assistant.retrieval.links import Links
from assistant.retrieval.query import Query
from assistant.retrieval.rerank import LearnedRanker, fingerprint, with_answers
from assistant.retrieval.sentences import build_sentences, has_sentences
from assistant.retrieval.simulate import Bm25, hold_out
from assistant.retrieval.supervision import Pair, question_pairs
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION
from embeddings import EmbeddingModel

TUNED_FILE = "tuned.json"  # what the last tuning of this version measured and kept
MIN_PAIRS = 30  # fewer answered questions than this: too little to learn from
HELD_OUT = 0.2  # share of the documents whose pairs measure the model


@dataclass
class Rows:
    """Training rows: features, labels, the pair each row belongs to, and the hand-set
    hybrid's score of the same candidate (the baseline the model must beat)."""

    x: np.ndarray
    y: np.ndarray
    group: np.ndarray
    baseline: np.ndarray
    documents: list[str] = field(default_factory=list)  # per pair


@dataclass
class TuneReport:
    pairs: int = 0
    rows: int = 0
    kept: bool = False
    reason: str = ""
    held_out: dict = field(default_factory=dict)  # MRR@10 / hit@5 of learned vs hybrid
    seconds: float = 0.0
    sentences: int = 0  # the passages' sentences embedded (`retrieval/sentences.py`)


def training_rows(
    view: CorpusView,
    links: Links,
    model: EmbeddingModel,
    pairs: list[Pair],
    cfg: RetrievalConfig | None = None,
    *,
    show_progress: bool = False,
) -> Rows:
    """Each pair searched with its asking sentence held out of the corpus (`simulate`): the
    candidates a user's search would meet, as features, labelled 1 for the pair's answers."""
    cfg = cfg or RetrievalConfig()
    held = [hold_out(view, p) for p in pairs]
    texts = [p.query for p in pairs]
    texts += [t for h in held for t in h.embed_texts if t is not None]
    encoded = model.encode(texts, batch_size=64, show_progress=show_progress)
    vectors, rest = encoded[: len(pairs)], iter(encoded[len(pairs) :])
    held_vectors = [
        np.stack(
            [next(rest) if t is not None else np.zeros(encoded.shape[1]) for t in h.embed_texts]
        )
        for h in held
    ]
    bm25 = Bm25(view)
    wider = replace(cfg, candidates=cfg.candidates + 8)
    # one batched dense search for every pair (a search per pair costs ten times more)
    dense = index_search(view, vectors, wider.candidates)
    xs, ys, groups, base = [], [], [], []
    iterator = _progress(list(enumerate(pairs)), show_progress, "learning from the corpus")
    for g, pair in iterator:
        query = Query(pair.query, pair.query)
        found = candidates.search(view, query, vectors[g], None, wider, dense=dense[g])
        tokens = candidates.query_tokens(view, query, cfg)
        h = held[g]
        cosines = held_vectors[g] @ vectors[g]
        scores = np.array([bm25.score(tokens, t) for t in h.lexical_tokens])
        gone = np.array([t is None for t in h.embed_texts])
        found = _held_out(found, h.rows, cosines, scores, gone, cfg)
        ids = with_answers(view, links, found.ids, None)
        if not len(ids):
            continue
        overrides = dict(zip(h.rows.tolist(), np.where(gone, 0.0, cosines).tolist(), strict=True))
        x = feature_matrix(view, links, vectors[g], found, ids, overrides)
        xs.append(x)
        ys.append(np.isin(ids, pair.answers))
        groups.append(np.full(len(ids), g))
        base.append(hybrid_scores(view, links, found, ids, cfg))
    if not xs:
        empty = np.zeros((0, len(FEATURES)), dtype=np.float32)
        return Rows(empty, np.zeros(0, bool), np.zeros(0, int), np.zeros(0), [])
    return Rows(
        np.concatenate(xs),
        np.concatenate(ys),
        np.concatenate(groups),
        np.concatenate(base),
        [p.document for p in pairs],
    )


def _held_out(
    found: Candidates,
    rows: np.ndarray,
    cosines: np.ndarray,
    scores: np.ndarray,
    gone: np.ndarray,
    cfg: RetrievalConfig,
) -> Candidates:
    """`found` as the search would have found it with the held-out texts of `rows`: their
    cosines and BM25 scores replaced, both rankings redone, `cfg.candidates` each; passages that
    no longer exist (`gone`) dropped."""
    lexical = None if found.lexical_all is None else found.lexical_all.copy()
    if lexical is not None:
        lexical[rows] = np.where(gone, 0.0, scores)
    dense_of = dict(found.dense_of)
    for row, cosine, missing in zip(rows.tolist(), cosines.tolist(), gone.tolist(), strict=True):
        dense_of[row] = -1.0 if missing else cosine
    out = Candidates(lexical_all=lexical)
    dropped = set(rows[gone].tolist())
    pool = (set(found.dense_rank) | set(rows.tolist())) - dropped
    ranked = sorted(pool, key=lambda i: (-dense_of[i], i))[: cfg.candidates]
    for r, i in enumerate(ranked):
        out.dense_rank[i] = r
    if lexical is not None:
        pool = (set(found.lexical_rank) | set(rows.tolist())) - dropped
        ranked = [i for i in sorted(pool, key=lambda i: (-lexical[i], i)) if lexical[i] > 0]
        for r, i in enumerate(ranked[: cfg.candidates]):
            out.lexical_rank[i] = r
            out.lexical_of[i] = float(lexical[i])
    for i in out.ids.tolist():
        out.dense_of[i] = dense_of[i]
    return out


def index_search(
    view: CorpusView, vectors: np.ndarray, k: int, batch: int = 256
) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for start in range(0, len(vectors), batch):
        scores, ids = view.index.vectors.search(vectors[start : start + batch], k)
        out.extend(zip(scores, ids, strict=True))
    return out


def hybrid_scores(
    view: CorpusView, links: Links, found: Candidates, ids: np.ndarray, cfg: RetrievalConfig
) -> np.ndarray:
    """The hand-set hybrid's score of each of `ids`: reciprocal rank fusion, a share of each
    matching question's score passed to its answers (answer length taken as characters / 6),
    questions scaled down. Vectorised; the baseline a learned ranker must beat."""
    fused = fuse(ids, found.dense_rank, found.dense_of, found.lexical_rank, found.lexical_of, cfg)
    score = np.array([fused.get(int(i), 0.0) for i in ids])
    position = {int(i): k for k, i in enumerate(ids)}
    is_question = view.chunk_role[ids] == QUESTION
    lifted = np.zeros(len(ids))
    asking = np.flatnonzero(is_question & (score > 0))
    answers, source = links.answers_of(ids[asking])
    words = links.chars[answers] / 6.0
    share = cfg.question_lift * score[asking[source]] * np.minimum(1.0, words / cfg.lift_full_words)
    for j, amount in zip(answers.tolist(), share.tolist(), strict=True):
        if j in position:
            lifted[position[j]] += amount
    return np.where(is_question, score * cfg.question_penalty, score) + lifted


def fit(rows: Rows, c: float = 1.0) -> LearnedRanker:
    from sklearn.linear_model import LogisticRegression

    mean = rows.x.mean(axis=0).astype(np.float64)
    scale = rows.x.std(axis=0).astype(np.float64)
    scale[scale < 1e-6] = 1.0
    z = (rows.x - mean) / scale
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(z, rows.y)
    return LearnedRanker(model.coef_[0].astype(np.float64), float(model.intercept_[0]), mean, scale)


def ranking_quality(scores: np.ndarray, rows: Rows, keep: np.ndarray) -> dict[str, float]:
    """MRR@10 and hit@5 of `scores` over the pairs whose rows are `keep` (pairs whose answers
    were not among the candidates count as misses)."""
    rr, hit5, count = 0.0, 0, 0
    for g in np.unique(rows.group[keep]):
        at = np.flatnonzero(rows.group == g)
        order = at[np.argsort(-scores[at], kind="stable")]
        labels = rows.y[order]
        count += 1
        if labels.any():
            rank = int(np.argmax(labels)) + 1
            rr += 1.0 / rank if rank <= 10 else 0.0
            hit5 += rank <= 5
    return {"pairs": count, "mrr@10": rr / max(count, 1), "hit@5": hit5 / max(count, 1)}


def tune(
    index: CorpusIndex,
    model: EmbeddingModel,
    *,
    view: CorpusView | None = None,
    limit: int = 800,
    show_progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> tuple[LearnedRanker | None, TuneReport]:
    """Learn a ranker from `index`'s own question-answer pairs. Returns (None, report) when
    the corpus has too few pairs or the model does not beat the hand-set hybrid on held-out
    documents."""
    started = time.perf_counter()
    say = log or (lambda message: None)
    view = view or CorpusView(index)
    links = Links(index.chunks)
    report = TuneReport()
    pairs = question_pairs(view, limit=limit)
    report.pairs = len(pairs)
    if len(pairs) < MIN_PAIRS:
        report.reason = f"only {len(pairs)} answered questions in the corpus (need {MIN_PAIRS})"
        report.seconds = time.perf_counter() - started
        return None, report
    say(f"learning the ranking from {len(pairs)} of the corpus's own questions and answers")
    rows = training_rows(view, links, model, pairs, show_progress=show_progress)
    report.rows = len(rows.y)
    documents = sorted({p.document for p in pairs})
    held = set(documents[:: max(1, round(1 / HELD_OUT))])  # every fifth document
    pair_held = np.array([p.document in held for p in pairs])
    row_held = pair_held[rows.group]
    train = replace(
        rows,
        x=rows.x[~row_held],
        y=rows.y[~row_held],
        group=rows.group[~row_held],
        baseline=rows.baseline[~row_held],
    )
    if not train.y.any() or train.y.all() or not row_held.any():
        report.reason = "too few documents with answered questions to hold some out"
        report.seconds = time.perf_counter() - started
        return None, report
    trial = fit(train)
    learned = ranking_quality(trial.logits(rows.x), rows, row_held)
    hybrid = ranking_quality(rows.baseline, rows, row_held)
    report.held_out = {"learned": learned, "hybrid": hybrid}
    if learned["mrr@10"] < hybrid["mrr@10"]:
        report.reason = (
            f"the learned ranking did not beat the hybrid on held-out questions "
            f"(MRR@10 {learned['mrr@10']:.3f} < {hybrid['mrr@10']:.3f})"
        )
        report.seconds = time.perf_counter() - started
        return None, report
    final = fit(rows)
    report.kept = True
    report.seconds = time.perf_counter() - started
    ranker = replace(
        final,
        fingerprint=fingerprint(index),
        report={
            "pairs": report.pairs,
            "rows": report.rows,
            "held_out": report.held_out,
            "seconds": round(report.seconds, 1),
        },
    )
    return ranker, report


def _progress(items: list, show: bool, description: str):
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=description, unit="question")


def is_tuned(index: CorpusIndex, *, ranker: bool = False) -> bool:
    """Whether this index version already holds what tuning writes (an unchanged corpus is not
    tuned again): the corpus names, and (`ranker`) their vectors, the passages' sentences'
    and a tried ranking."""
    from assistant.retrieval.aliases import NAME_VECTORS_FILE, NAMES_FILE

    version = Path(index.path)
    names = (version / NAMES_FILE).is_file()
    if not ranker:
        return names
    names = names and (version / NAME_VECTORS_FILE).is_file() and has_sentences(index)
    try:
        tried = read_json(version / TUNED_FILE).get("fingerprint") == fingerprint(index)  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        tried = False
    return names and tried


def tune_index(
    index_dir: Path,
    model: EmbeddingModel,
    *,
    ranker: bool = True,
    force: bool = False,
    show_progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> TuneReport | None:
    """Tune the live version of the index at `index_dir`: gather the corpus's names (aliases
    of a question's terms are found among them; `verbatim index` does this much, embedding
    nothing) and, with `ranker` (`verbatim tune`), embed them and the passages' sentences
    (`retrieval/sentences.py`) and train the learned ranking on the corpus's own questions.
    Returns None when the version was tuned already; a version tuned before sentences were
    embedded gets its sentences alone."""
    from assistant.retrieval.aliases import build_names
    from assistant.retrieval.rerank import RANKER_FILE, save_ranker

    say = log or (lambda message: None)
    index = CorpusIndex.load(Path(index_dir), model_name=model.name, verify=False)
    started = time.perf_counter()
    sentences = 0
    if ranker and (force or not has_sentences(index)):
        say("embedding the passages' sentences (each searched on its own beside its passage)")
        sentences = build_sentences(index, model, show_progress=show_progress)
        if is_tuned(index, ranker=ranker) and not force:
            seconds = time.perf_counter() - started
            return TuneReport(reason="sentences only", seconds=seconds, sentences=sentences)
    if is_tuned(index, ranker=ranker) and not force:
        return None
    version = Path(index.path)
    if not ranker:  # at `verbatim index`: the names, nothing embedded
        build_names(index)
        return TuneReport(reason="names only", seconds=time.perf_counter() - started)
    say("embedding the corpus's names (the aliases of terms a question may use)")
    build_names(index, model, show_progress=show_progress)
    learned, report = tune(index, model, show_progress=show_progress, log=log)
    if learned is not None:
        save_ranker(index, learned)
        say(
            "learned ranking kept: held-out questions MRR@10 "
            f"{report.held_out['learned']['mrr@10']:.3f} (hand-set hybrid "
            f"{report.held_out['hybrid']['mrr@10']:.3f}); use it with RetrievalConfig("
            'ranking="learned")'
        )
    else:
        (version / RANKER_FILE).unlink(missing_ok=True)
        say(f"no learned ranking ({report.reason})")
    report.seconds = time.perf_counter() - started
    report.sentences = sentences
    write_json(version / TUNED_FILE, {**asdict(report), "fingerprint": fingerprint(index)})
    return report
