"""Experiment: `Assistant.ask`'s median time with the shipped ranking against one with some
`RetrievalConfig` fields changed, both retrievers over one loaded index and asked the dev
questions in turns, so that a busy or drifting host weighs on both alike (benchmarks/speed.py
measures one configuration per run).

    .venv/bin/python benchmarks/ask_ab.py sentence_share=0 --rounds 3 \\
        --index /work/cache/quality-bench/shared-onnx-int8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import SHARED  # noqa: E402
from ranking_variants import config_of  # noqa: E402

from assistant import Assistant, RetrievalConfig  # noqa: E402
from assistant.evaluation import load_questions  # noqa: E402
from assistant.retrieval.retriever import Retriever  # noqa: E402


def median_ms(retriever: Retriever, questions) -> float:
    times = []
    for q in questions:
        began = time.perf_counter()
        retriever.ask(q.question, history=[q.context] if q.context else None)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("changes", help="KEY=VALUE[,KEY=VALUE...]: the other configuration")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    qa = Assistant.load(args.index)
    questions = load_questions(SHARED / "eval" / "dev.jsonl")
    shipped = Retriever(qa.index, qa.model, RetrievalConfig())
    changed = Retriever(qa.index, qa.model, config_of(args.changes))
    median_ms(shipped, questions)  # warm both: first reads of each passage
    median_ms(changed, questions)
    for n in range(1, args.rounds + 1):
        a, b = median_ms(shipped, questions), median_ms(changed, questions)
        print(f"round {n}: shipped p50 {a:.1f} ms, {args.changes} p50 {b:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
