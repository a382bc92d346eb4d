"""Past one machine: a Ray build against the local build, replicas under load, and the index
type for ten million passages. Writes docs/scale.md.

    python benchmarks/scale.py                         # every stage (about 15 minutes here)
    python benchmarks/scale.py --stages build --corpus-limit 12
    python benchmarks/scale.py --stages serve --clients 50 --duration 60
    python benchmarks/scale.py --stages pq --vectors /path/to/big-index/v-*/vectors.npy

Stages (each in this process; Ray clusters are `ray.cluster_utils.Cluster`s on this machine,
bound to 127.0.0.1, so "nodes" share its cores):
- build: the shared corpus indexed from nothing by the local build (all cores in one process),
  by Ray with one worker node holding every core, and by Ray with two worker nodes splitting
  them: seconds, CPU seconds of the whole process tree, passages/s and Ray's overhead at equal
  cores (`--repeats N`: N rounds, local and Ray in turn, best kept); the Ray indexes are checked
  equal to the local one (passages, vectors within 1e-5, the answers to every dev question);
  and, apart, what starting a private Ray instance (`--ray` without an address) adds.
- serve: `verbatim serve --replicas N` for N = 1 and 2 under benchmarks/load.py's clients,
  with the memory of the server's whole process tree (front, Ray, replicas).
- pq: IVF-PQ over the synthetic million of benchmarks/speed.py (its `big-index`), recall@10
  against exact search for the dev questions, bytes per passage: the plan for 10M passages.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import load  # benchmarks/load.py, beside this script
from machine import cpu_model  # benchmarks/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir() and Path("/work/shared").is_dir():
    SHARED = Path("/work/shared")
DOCS = ROOT / "docs" / "scale.md"
OFFLINE = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def sub_corpus(corpus: Path, limit: int | None, work: Path) -> Path:
    """The corpus, or its first `limit` files (sorted) copied under `work`."""
    if not limit:
        return corpus
    files = sorted(p for p in corpus.rglob("*") if p.is_file())[:limit]
    target = work / "sub-corpus"
    shutil.rmtree(target, ignore_errors=True)
    for path in files:
        destination = target / path.relative_to(corpus)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, destination)
    return target


# ------------------------------------------------------------------ build
def stage_build(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import numpy as np
    import ray
    from ray.cluster_utils import Cluster

    from assistant import Assistant
    from assistant.build import build_index
    from assistant.cluster import connect, loopback_nodes, ray_processes_env
    from assistant.evaluation import load_questions
    from assistant.ray_build import build_on_ray
    from embeddings import load_model

    corpus = sub_corpus(Path(args.corpus), args.corpus_limit, work)
    model = load_model()
    total = cores()
    runs: dict[str, dict[str, Any]] = {}

    def timed_build(name: str, build) -> None:
        index = work / f"index-{name}"
        shutil.rmtree(index, ignore_errors=True)
        began = time.perf_counter()
        with TreeCpu(os.getpid()) as meter:
            report = build(index)
        seconds, cpu = time.perf_counter() - began, meter.seconds
        run = runs.setdefault(name, {"all_seconds": [], "all_cpu_s": [], "index": str(index)})
        run["all_seconds"].append(seconds)
        # CPU seconds of this process and Ray's: the work a build costs, which other
        # programs on a shared machine change far less than they change its seconds
        run["all_cpu_s"].append(cpu)
        run["cpu_s"] = min(run["all_cpu_s"])
        # the best of the repeats: on a shared machine the others measure its load, not Ray
        run.update(
            seconds=min(run["all_seconds"]),
            passages=report.passages,
            embedded=report.embedded,
            passages_per_s=report.embedded / min(run["all_seconds"]),
        )
        print(
            f"[scale] {name}: {seconds:.1f} s, {cpu:.1f} CPU s, {report.embedded} embedded",
            file=sys.stderr,
        )

    # local and Ray builds take turns, so that a change in the machine's load between them
    # shows in the spread of the repeats instead of in the overhead
    for _ in range(args.repeats):
        timed_build("local", lambda index: build_index(corpus, index, model))
        for nodes in (1, 2):
            per_node = max(1, total // nodes)
            node = {
                "num_cpus": per_node,
                "include_dashboard": False,
                "node_ip_address": "127.0.0.1",
            }
            # the cluster's start is not timed (a user joins a running one with --ray ADDRESS);
            # connecting to it, reading on it, starting the actors and loading their models are
            with ray_processes_env(), loopback_nodes():
                cluster = Cluster(initialize_head=True, head_node_args={**node, "num_cpus": 0})
                for _ in range(nodes):
                    cluster.add_node(**node)
                cluster.wait_for_nodes()
            try:
                timed_build(
                    f"ray-{nodes}-node",
                    lambda index, per_node=per_node, address=cluster.address: build_on_ray(
                        corpus, index, model, address=address, cpus_per_actor=per_node
                    ),
                )
            finally:
                ray.shutdown()
                cluster.shutdown()
    # what `verbatim index --ray` without an address adds: starting a private Ray instance
    began = time.perf_counter()
    connect(None, num_cpus=total)
    private_start_s = time.perf_counter() - began
    ray.shutdown()
    local = Assistant.load(runs["local"]["index"], model=model)
    questions = load_questions(Path(args.questions))
    for name, run in runs.items():
        if name == "local":
            continue
        other = Assistant.load(run["index"], model=model)
        same_passages = list(local.index.chunks) == list(other.index.chunks)
        a, b = np.asarray(local.index.vectors.vectors), np.asarray(other.index.vectors.vectors)
        max_diff = float(np.abs(a - b).max()) if a.shape == b.shape else float("inf")
        differing = sum(
            local.ask(q.question, history=[q.context] if q.context else None).to_dict()
            != other.ask(q.question, history=[q.context] if q.context else None).to_dict()
            for q in questions
        )
        run.update(
            same_passages=same_passages,
            max_vector_difference=max_diff,
            dev_answers_differing=differing,
            dev_questions=len(questions),
            overhead=run["seconds"] / runs["local"]["seconds"] - 1,
            cpu_overhead=run["cpu_s"] / runs["local"]["cpu_s"] - 1,
        )
    return {
        "corpus": str(corpus),
        "cores": total,
        "repeats": args.repeats,
        "private_start_s": private_start_s,
        "runs": runs,
    }


# ------------------------------------------------------------------ processes
def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Ray's processes, the replicas), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and all its descendants."""
    return sum(load.rss_mib(p) or 0.0 for p in process_tree(pid))


class TreeCpu:
    """CPU seconds (user + system) used by `pid` and its descendants while open. Sampled every
    `every` seconds, so that processes ending before the close (Ray's actors, killed when the
    dataset is done, are not reaped by anyone in the tree) still count, less at most their last
    `every` seconds."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        import threading

        self.pid, self.every = pid, every
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.seconds = 0.0

    def _sample(self, baseline: bool = False) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for current in process_tree(self.pid):
            try:
                fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used = (int(fields[11]) + int(fields[12])) / tick
            self.first.setdefault(current, used if baseline else 0.0)
            self.last[current] = used

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def __enter__(self) -> TreeCpu:
        self._sample(baseline=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self.seconds = sum(self.last[p] - self.first[p] for p in self.last)


# ------------------------------------------------------------------ serve
def stage_serve(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from ui.app import free_port

    env = {**os.environ, **OFFLINE, "PYTHONPATH": str(ROOT)}
    env.pop("VERBATIM_AUTH", None)
    index = work / "serve-index"
    if not index.exists():
        command = [sys.executable, "-m", "assistant.cli", "index", args.serve_corpus]
        subprocess.run(
            [*command, "--index", str(index), "--quiet"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    results = {}
    for replicas in (1, 2):
        port = free_port()
        log = open(work / f"serve-{replicas}.log", "w")  # noqa: SIM115 - closed below
        command = [sys.executable, "-m", "assistant.cli", "serve", "--index", str(index)]
        command += ["--host", "127.0.0.1", "--port", str(port), "--replicas", str(replicas)]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            load.wait_until_up(server, port, timeout=600)
            url = f"http://127.0.0.1:{port}/"
            from gradio_client import Client

            Client(url, verbose=False).predict(question=load.QUESTIONS[0], api_name="/ask")
            before = tree_rss_mib(server.pid)
            result = load.run_load(url, args.clients, args.duration, args.max_requests)
            result["tree_rss_mib"] = {"before": before, "after": tree_rss_mib(server.pid)}
            results[str(replicas)] = result
            print(
                f"[scale] {replicas} replica(s): {result['throughput_per_s']:.1f}/s, "
                f"{result['failed']} failed",
                file=sys.stderr,
            )
        finally:
            load.stop_server(server, timeout=60)
            log.close()
    return {"clients": args.clients, "duration_s": args.duration, "replicas": results}


# ------------------------------------------------------------------ pq
def stage_pq(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import faiss
    import numpy as np

    from assistant.evaluation import load_questions
    from embeddings import load_model

    vectors = np.load(args.vectors, mmap_mode="r")
    n, dim = vectors.shape
    queries = load_model().encode([q.question for q in load_questions(Path(args.questions))])
    exact = faiss.IndexFlatIP(dim)
    for start in range(0, n, 200_000):
        exact.add(np.ascontiguousarray(vectors[start : start + 200_000]))
    _, truth = exact.search(queries, 10)
    del exact
    nlist, m = args.nlist, args.pq_m
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(quantizer, dim, nlist, m, 8, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    train = np.ascontiguousarray(vectors[np.sort(rng.choice(n, min(n, 40 * nlist), replace=False))])
    began = time.perf_counter()
    index.train(train)
    for start in range(0, n, 200_000):
        index.add(np.ascontiguousarray(vectors[start : start + 200_000]))
    build_s = time.perf_counter() - began
    rows = []
    for nprobe in (16, 64, 128):
        index.nprobe = nprobe
        t0 = time.perf_counter()
        _, found = index.search(queries, 10)
        pq_ms = (time.perf_counter() - t0) / len(queries) * 1e3
        _, wide = index.search(queries, 100)
        refined = []
        for q, ids in zip(queries, wide, strict=True):
            ids = np.sort(ids[ids >= 0])
            scores = np.asarray(vectors[ids]) @ q  # exact scores from the vectors on disk
            refined.append(ids[np.argsort(-scores)[:10]])
        rows.append(
            {
                "nprobe": nprobe,
                "recall@10": recall(truth, found),
                "recall@10_refined_from_100": recall(truth, refined),
                "search_ms": pq_ms,
            }
        )
    return {
        "vectors": n,
        "dimension": dim,
        "nlist": nlist,
        "pq_bytes_per_vector": m,
        "flat_bytes_per_vector": dim * 4,
        "build_s": build_s,
        "train_size": len(train),
        "rows": rows,
    }


def recall(truth, found) -> float:
    """Mean share of the exact top 10 found, per query."""
    import numpy as np

    return statistics.mean(
        len(set(t.tolist()) & set(np.asarray(f).tolist())) / 10
        for t, f in zip(truth, found, strict=True)
    )


# ------------------------------------------------------------------ report
def report(results: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [
        f"Measured {results['date']} on {results['machine']}, by:",
        "",
        "    " + results["command"],
        "",
    ]
    if "build" in results:
        b = results["build"]
        lines += [
            f"### Building ({b['cores']} cores; corpus `{b['corpus']}`)",
            "",
            "Timed from the call to the index written, as `verbatim index --ray ADDRESS` runs: "
            "connecting to the cluster, reading and cutting on Ray tasks, Ray Data's planning, "
            "starting the encoder actors and loading their models, embedding, gathering, writing "
            "and tuning. Not timed: starting the cluster (a user joins a running one). CPU "
            "seconds: those of the benchmark's process and every process under it (Ray's "
            "nodes, workers and actors) during the build. "
            + (
                f"Best of {b['repeats']} rounds, local and Ray builds in turn (every round's "
                "seconds in the last column)."
                if b.get("repeats", 1) > 1
                else ""
            ),
            "",
            "| build | seconds | overhead vs local | CPU seconds | CPU overhead | passages embedded "
            "| passages/s | same index |" + (" rounds (s) |" if b.get("repeats", 1) > 1 else ""),
            "|---|---|---|---|---|---|---|---|" + ("---|" if b.get("repeats", 1) > 1 else ""),
        ]
        for name, r in b["runs"].items():
            same = (
                "—"
                if name == "local"
                else (
                    f"passages {'equal' if r['same_passages'] else 'DIFFER'}, vectors within "
                    f"{r['max_vector_difference']:.1e}, {r['dev_answers_differing']} of "
                    f"{r['dev_questions']} dev answers differ"
                )
            )
            overhead = "—" if name == "local" else f"{r['overhead']:+.0%}"
            cpu = f"{r['cpu_s']:.1f}" if "cpu_s" in r else "—"
            cpu_overhead = f"{r['cpu_overhead']:+.0%}" if "cpu_overhead" in r else "—"
            rounds = " / ".join(f"{x:.1f}" for x in r.get("all_seconds", [r["seconds"]]))
            lines.append(
                f"| {name} | {r['seconds']:.1f} | {overhead} | {cpu} | {cpu_overhead} "
                f"| {r['embedded']} | {r['passages_per_s']:.1f} | {same} |"
                + (f" {rounds} |" if b.get("repeats", 1) > 1 else "")
            )
        if "private_start_s" in b:
            lines += [
                "",
                f"`verbatim index --ray` without an address first starts a private Ray instance "
                f"on this machine: {b['private_start_s']:.1f} s more (measured on its own).",
            ]
        lines.append("")
    if "serve" in results:
        s = results["serve"]
        lines += [
            f"### Serving ({s['clients']} `gradio_client` clients, {s['duration_s']:g} s each)",
            "",
            "| replicas | answered/s | failed | p50 | p99 | memory of the server's process tree |",
            "|---|---|---|---|---|---|",
        ]
        for n, r in s["replicas"].items():
            lat = r["latency_s"]
            lines.append(
                f"| {n} | {r['throughput_per_s']:.1f} | {r['failed']} | {lat['p50'] * 1e3:.0f} ms "
                f"| {lat['p99'] * 1e3:.0f} ms | {r['tree_rss_mib']['before']:.0f} → "
                f"{r['tree_rss_mib']['after']:.0f} MiB |"
            )
        lines.append("")
    if "pq" in results:
        p = results["pq"]
        lines += [
            f"### IVF-PQ at {p['vectors']:,} passages ({p['pq_bytes_per_vector']} bytes per vector "
            f"against {p['flat_bytes_per_vector']} flat; nlist {p['nlist']}, trained on "
            f"{p['train_size']:,}, built in {p['build_s']:.0f} s)",
            "",
            "| nprobe | recall@10 | recall@10, top 100 re-scored exactly | search ms/query |",
            "|---|---|---|---|",
        ]
        for r in p["rows"]:
            lines.append(
                f"| {r['nprobe']} | {r['recall@10']:.3f} | {r['recall@10_refined_from_100']:.3f} "
                f"| {r['search_ms']:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    head, found, rest = text.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"{DOCS} has no {BEGIN} / {END} markers")
    DOCS.write_text(f"{head}{BEGIN}\n{section}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stages", default="build,serve,pq")
    parser.add_argument("--corpus", default=str(SHARED / "corpus"))
    parser.add_argument("--corpus-limit", type=int, help="first N files only (a quick run)")
    parser.add_argument(
        "--repeats", type=int, default=1, help="build rounds, local and Ray in turn; best kept"
    )
    parser.add_argument("--questions", default=str(SHARED / "eval" / "dev.jsonl"))
    parser.add_argument("--serve-corpus", default="corpus", help="what the served index holds")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--vectors", help="vectors.npy of the synthetic million (speed.py)")
    parser.add_argument("--nlist", type=int, default=4096)
    parser.add_argument("--pq-m", type=int, default=48, help="PQ sub-vectors (bytes per vector)")
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    if "pq" in stages and not args.vectors:
        parser.error("the pq stage needs --vectors (benchmarks/speed.py's big index)")
    os.environ.update(OFFLINE)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="verbatim-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z"),
        "machine": f"{cpu_model()} ({platform.machine()}), {cores()} cores",
        "command": "python benchmarks/scale.py " + " ".join(argv or sys.argv[1:]),
    }
    for name in stages:
        stage = {"build": stage_build, "serve": stage_serve, "pq": stage_pq}[name]
        results[name] = stage(args, work)
        print(json.dumps(results[name], indent=2, default=str), file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    section = report(results, args)
    print(section)
    if not args.no_docs:
        write_docs(section)
        print(f"wrote {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
