"""What "over time" counts as a topic's passages, per collection of the shipped archive.

    .venv/bin/python benchmarks/timeline_topics.py --index /work/cache/quality-bench/shared-onnx-int8

For each query, the topic passages `Assistant.timeline(query, mode="topic")` counts in the FOMC
press conferences and in the White House briefings, and on how many dates, at the shipped
`RetrievalConfig.topic_coverage` and at ask's abstention share (`min_coverage`, what counted a
passage before). A query about what only one collection discusses ("human rights", "Iran nuclear
deal", "Ebola quarantine") should count little or nothing in the other; a passage holding only
a query's common word ("right", "change", "inflation") is not about it. Writes
docs/timeline-topics.md.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import replace
from pathlib import Path

from machine import cpu_model  # benchmarks/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402

QUERIES = [
    "human rights",
    "climate change",
    "Iran nuclear deal",
    "Ebola quarantine",
    "health care",
    "tariffs and inflation",
    "labor market",
    "bank failures",
    "supply chains",
    "soft landing",
]
COLLECTIONS = ("fomc/", "whitehouse/")


def counts(qa: Assistant, query: str) -> tuple[int, int, int]:
    """(FOMC passages, White House passages, dates with any) the topic series counts."""
    rows = qa.timeline(query, mode="topic").rows
    fomc, white = (
        sum(r.topic_passages or 0 for r in rows if r.document.startswith(c)) for c in COLLECTIONS
    )
    return fomc, white, sum(1 for r in rows if r.topic_passages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of ../shared/corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "timeline-topics.md")
    args = parser.parse_args()
    qa = Assistant.load(args.index)
    shipped = qa.retriever.config
    lenient = replace(shipped, topic_coverage=shipped.min_coverage)
    rows = []
    for query in QUERIES:
        qa.retriever.config = lenient
        before = counts(qa, query)
        qa.retriever.config = shipped
        after = counts(qa, query)
        rows.append((query, before, after))
        print(query, before, after, flush=True)
    lines = [
        "# Topic passages over time",
        "",
        f"Written by `benchmarks/timeline_topics.py` ({datetime.date.today()}, {cpu_model()}):",
        "",
        f"    .venv/bin/python benchmarks/timeline_topics.py --index {args.index}",
        "",
        'Per query, the topic passages `Assistant.timeline(query, mode="topic")` counts in the',
        "45 FOMC press conferences and the 16 White House briefings, and the dates with any, when a",
        f"passage must hold {shipped.topic_coverage:g} of the query's content (shipped,",
        f"`RetrievalConfig.topic_coverage`) and {shipped.min_coverage:g} of it (ask's abstention",
        "share, what counted a passage before). ask's answers are the same in both.",
        "",
        f"| query | FOMC at {shipped.min_coverage:g} | White House at {shipped.min_coverage:g} "
        f"| dates at {shipped.min_coverage:g} | FOMC at {shipped.topic_coverage:g} "
        f"| White House at {shipped.topic_coverage:g} | dates at {shipped.topic_coverage:g} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for query, (f0, w0, d0), (f1, w1, d1) in rows:
        lines.append(f"| {query} | {f0} | {w0} | {d0} | {f1} | {w1} | {d1} |")
    lines += [
        "",
        "At a quarter of the content a passage holding one word of a two-word query counted when",
        'that word is common: "right" for "human rights", "change" for "climate change",',
        '"inflation" for "tariffs and inflation", in nearly every FOMC conference. At half, a',
        "passage must hold the query's rarest word or most of the others.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
