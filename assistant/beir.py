"""`verbatim eval-beir`: the shipped retrieval (dense + bm25s, fused as in `RetrievalConfig`) on a
BEIR-format folder (`corpus.jsonl`, `queries.jsonl`, `qrels/test.tsv`), scored with nDCG@10 and
Recall@10/100, the ranking optionally written as a TREC run file."""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.index import build_bm25
from assistant.retrieval import RetrievalConfig, fuse
from embeddings import VectorIndex, load_model

DEPTH = 100


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0] == "query-id":
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def ndcg_at(ranking: list[str], relevant: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(r + 2) for r, d in enumerate(ranking[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: list[str], relevant: dict[str, int], k: int) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    return len(wanted & set(ranking[:k])) / len(wanted) if wanted else 0.0


def _vectors(texts: list[str], model, cache_dir: Path | None) -> np.ndarray:
    """Embed `texts`, reusing a cached matrix for the same texts and model."""
    key = hashlib.sha256(("\x00".join([model.name, *texts])).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"beir-{key}.npy" if cache_dir else None
    if path and path.exists():
        return np.load(path)
    vectors = model.encode(texts, batch_size=32, show_progress=False)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def evaluate_beir(
    folder: Path,
    *,
    run_out: Path | None = None,
    model_name: str | None = None,
    config: RetrievalConfig | None = None,
    cache_dir: Path | None = Path(".verbatim/cache"),
    modes: tuple[str, ...] = ("hybrid",),
    log: Callable[[str], None] | None = None,
) -> dict:
    """Score the retrieval pipeline on one BEIR dataset; returns metrics per mode
    ("hybrid" is what ships; "dense" and "bm25" are its halves, for comparison)."""
    folder = Path(folder)
    for name in ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv"):
        if not (folder / name).exists():
            raise FileNotFoundError(
                f"{folder / name} is missing; a BEIR folder holds corpus.jsonl, "
                "queries.jsonl and qrels/test.tsv"
            )
    cfg = config or RetrievalConfig()
    docs = _read_jsonl(folder / "corpus.jsonl")
    qrels = read_qrels(folder / "qrels" / "test.tsv")
    queries = [q for q in _read_jsonl(folder / "queries.jsonl") if str(q["_id"]) in qrels]
    doc_ids = [str(d["_id"]) for d in docs]
    texts = [f"{d.get('title', '')}. {d.get('text', '')}".strip(". ") for d in docs]
    model = load_model(model_name)
    say = log or (lambda message: None)
    say(f"{len(docs)} documents, {len(queries)} queries with judgements")
    index = VectorIndex.build(_vectors(texts, model, cache_dir))
    bm25, tokenizer = build_bm25(texts)
    vocab = tokenizer.get_vocab_dict()  # type: ignore[attr-defined]
    query_vectors = model.encode([q["text"] for q in queries], batch_size=32)
    results: dict = {}
    runs: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for mode in modes:
        mode_cfg = RetrievalConfig(
            **{
                **cfg.__dict__,
                "use_dense": mode in ("hybrid", "dense"),
                "use_lexical": mode in ("hybrid", "bm25"),
            }
        )
        run: dict[str, list[tuple[str, float]]] = {}
        for q, vector in zip(queries, query_vectors, strict=True):
            scores, ids = index.search(vector, DEPTH)
            dense_rank = {int(i): r for r, i in enumerate(ids[0]) if i >= 0}
            dense_of = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
            tokens = tokenizer.tokenize(
                [q["text"]],
                update_vocab=False,
                return_as="string",  # type: ignore[attr-defined]
                show_progress=False,
            )[0]
            lexical_rank: dict[int, int] = {}
            lexical_of: dict[int, float] = {}
            token_ids = [vocab[t] for t in tokens if t in vocab]
            if token_ids:
                weights = bm25.get_scores(token_ids)  # type: ignore[attr-defined]
                top = np.argsort(-weights)[:DEPTH]
                for r, i in enumerate(top):
                    if weights[i] > 0:
                        lexical_rank[int(i)] = r
                        lexical_of[int(i)] = float(weights[i])
            candidates = np.array(sorted(set(dense_rank) | set(lexical_rank)), dtype=np.int64)
            if mode_cfg.use_dense and len(candidates):
                for i, s in zip(candidates, index.scores(vector, candidates), strict=True):
                    dense_of[int(i)] = float(s)
            fused = fuse(
                candidates,
                dense_rank if mode_cfg.use_dense else {},
                dense_of,
                lexical_rank if mode_cfg.use_lexical else {},
                lexical_of,
                mode_cfg,
            )
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:DEPTH]
            run[str(q["_id"])] = [(doc_ids[i], s) for i, s in ranked if s > 0]
        runs[mode] = run
        rankings = {qid: [d for d, _ in items] for qid, items in run.items()}
        n = len(rankings)
        results[mode] = {
            "nDCG@10": sum(ndcg_at(rankings[q], qrels[q]) for q in rankings) / n,
            "Recall@10": sum(recall_at(rankings[q], qrels[q], 10) for q in rankings) / n,
            "Recall@100": sum(recall_at(rankings[q], qrels[q], 100) for q in rankings) / n,
            "queries": n,
        }
    if run_out is not None:
        shipped = runs.get("hybrid") or next(iter(runs.values()))
        with open(run_out, "w", encoding="utf-8") as handle:
            for qid, items in shipped.items():
                for rank, (doc, score) in enumerate(items, 1):
                    handle.write(f"{qid} Q0 {doc} {rank} {score:.6f} verbatim\n")
    return {
        "dataset": str(folder),
        "model": model.name,
        "fusion": cfg.fusion,
        "rrf_k": cfg.rrf_k,
        "dense_weight": cfg.dense_weight,
        "results": results,
    }
