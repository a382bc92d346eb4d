"""The timeline stage of benchmarks/speed.py: `Assistant.timeline` over the shared corpus and
over the synthetic million, p50 over 20 queries (10 phrases counted, 10 topics).

    python benchmarks/speed.py --stages timeline --work DIR --merge    # after the index stages
    python benchmarks/timeline_speed.py --index DIR [--big-index DIR] [--out docs/timeline-speed.md]

Each index is loaded as the app loads it; one pass over the queries warms it (lemminflect's
tables, the words spoken per transcript where a phrase occurs) and is reported on its own as
the first pass; then `reps` passes are timed. Targets (issue 14): p50 <= 300 ms on the shared
corpus, <= 3 s at 1M passages, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

PHRASES = [
    "transitory",
    "soft landing",
    "tariffs",
    "inflation expectations",
    "labor market",
    "Ebola",
    "balance sheet",
    "recession",
    "supply chains",
    "quarantine",
]
TOPICS = [
    "tariffs and inflation",
    "a cooling labor market",
    "housing and mortgage rates",
    "the Ebola response",
    "bank failures and financial stability",
    "what inflation expectations tell the Fed",
    "when rate cuts could start",
    "the budget fight with Congress",
    "supply chain disruptions",
    "energy and oil prices",
]
QUERIES = [(q, "phrase") for q in PHRASES] + [(q, "topic") for q in TOPICS]
TARGET_MS = {"shared": 300.0, "big": 3000.0}


def _measure(index_dir: str, reps: int, queries: list[tuple[str, str]]) -> dict:
    from assistant.api import Assistant
    from embeddings import load_model

    model = load_model()
    t0 = time.perf_counter()
    qa = Assistant.load(index_dir, model=model)
    load_s = time.perf_counter() - t0

    def one(query: str, mode: str) -> float:
        t = time.perf_counter()
        qa.timeline(query, mode=mode)
        return (time.perf_counter() - t) * 1e3

    first = [one(q, m) for q, m in queries]
    runs: dict[str, list[float]] = {"phrase": [], "topic": []}
    for _ in range(reps):
        for q, m in queries:
            runs[m].append(one(q, m))
    every = runs["phrase"] + runs["topic"]
    rows = len(qa.timeline(queries[0][0], mode=queries[0][1]).rows)
    return {
        "passages": len(qa.index.chunks),
        "documents": len(qa.index.documents),
        "rows": rows,
        "queries": len(queries),
        "reps": reps,
        "load_s": load_s,
        "first_pass_ms": {"median": statistics.median(first), "max": max(first)},
        "p50_ms": statistics.median(every),
        "p50_phrase_ms": statistics.median(runs["phrase"]) if runs["phrase"] else None,
        "p50_topic_ms": statistics.median(runs["topic"]) if runs["topic"] else None,
        "max_ms": max(every),
    }


def stage_timeline(args: dict) -> dict:
    """speed.py stage: the shared corpus index (`index`), then the 1M index (`big_index`) where
    one has been built; `timeline_queries` caps the queries per kind (default all 10)."""
    count = int(args.get("timeline_queries") or len(PHRASES))
    queries = [(q, "phrase") for q in PHRASES[:count]] + [(q, "topic") for q in TOPICS[:count]]
    reps = int(args.get("reps", 3))
    result = {"shared": _measure(args["index"], reps, queries)}
    big = Path(args.get("big_index") or "")
    if big.is_dir() and (big / "CURRENT").is_file():
        result["big"] = _measure(str(big), max(1, min(reps, 2)), queries)
    return result


def render_timeline(results: dict) -> list[str]:
    """The report's section on the timeline stage (markdown lines)."""
    found = results.get("timeline")
    if not found:
        return []
    per_kind = next(iter(found.values()))["queries"] // 2
    lines = [
        "## Timeline (`Assistant.timeline`)",
        "",
        f"p50 over {per_kind} phrase queries (mode `phrase`) and {per_kind} topic queries (mode "
        "`topic`), each index loaded as the app loads it, after one warming pass (reported as "
        "the first pass: it loads lemminflect's tables and counts the words spoken where a "
        "phrase occurs).",
        "",
        "| index | passages | rows per timeline | p50 | p50 phrase | p50 topic | max | first pass (median) | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in (("shared", "shared corpus"), ("big", "synthetic 1M")):
        r = found.get(key)
        if not r:
            continue
        target = TARGET_MS[key]
        lines.append(
            f"| {label} | {r['passages']:,} | {r['rows']:,} | {r['p50_ms']:.0f} ms | "
            f"{r['p50_phrase_ms']:.0f} ms | {r['p50_topic_ms']:.0f} ms | {r['max_ms']:.0f} ms | "
            f"{r['first_pass_ms']['median']:.0f} ms | <= {target:.0f} ms: "
            f"{'met' if r['p50_ms'] <= target else '**missed**'} |"
        )
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", help="an index of the shared corpus")
    parser.add_argument("--big-index")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--queries", type=int, help="queries per kind (default all 10)")
    parser.add_argument("--results", help="render speed.py's results.json instead of measuring")
    parser.add_argument("--out", help="write the report here (markdown)")
    parser.add_argument("--conditions", default="", help="free text on load conditions")
    args = parser.parse_args(argv)
    if args.results:
        results = json.loads(Path(args.results).read_text(encoding="utf-8"))
        command = next(
            (r["command"] for r in reversed(results.get("runs", [])) if "timeline" in r["stages"]),
            "python benchmarks/speed.py --stages timeline",
        )
    else:
        if not args.index:
            parser.error("--index is required unless --results is given")
        found = stage_timeline(
            {
                "index": args.index,
                "big_index": args.big_index,
                "reps": args.reps,
                "timeline_queries": args.queries,
            }
        )
        results = {"timeline": found, "date": time.strftime("%Y-%m-%d %H:%M:%S %z")}
        command = "python benchmarks/timeline_speed.py " + " ".join(argv or sys.argv[1:])
        print(json.dumps(found, indent=1))
    lines = ["# Timeline speed", ""]
    lines += [
        f"- Command: `{command}` ({results.get('date', '')})",
        f"- Machine: {json.dumps(results.get('machine', {}))}",
        f"- Conditions: {args.conditions or 'not stated'}",
        "",
        *render_timeline(results),
        "```json",
        json.dumps(results["timeline"], indent=1),
        "```",
        "",
    ]
    text = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
