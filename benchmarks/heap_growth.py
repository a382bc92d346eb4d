"""Does the server's Python heap grow per request? A tracemalloc comparison around /ask calls.

    .venv/bin/python benchmarks/heap_growth.py [--clients 10] [--requests 60]

Serves an index of corpus/ (hashing model: the heap, not the model, is under test) in-process,
warms it up, then prints the allocation sites that grew most while each client made `--requests`
more calls. Read with docs/reliability.md ("Under load").
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How do localities take part in the Party's foreign affairs work?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=60, help="per client, while tracing")
    parser.add_argument("--top", type=int, default=6)
    args = parser.parse_args(argv)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    sys.path.insert(0, str(ROOT))
    from gradio_client import Client

    from assistant import Assistant
    from ui.app import build_app, free_port, launch

    qa = Assistant.build(ROOT / "corpus", Path(tempfile.mkdtemp()) / "index", model="hashing-384")
    url = launch(build_app(qa), port=free_port(), prevent_thread_lock=True, quiet=True)
    clients = [Client(url, verbose=False) for _ in range(args.clients)]

    def burst(n: int) -> None:
        def run(client: Client) -> None:
            for _ in range(n):
                client.predict(question=QUESTION, api_name="/ask")

        with ThreadPoolExecutor(len(clients)) as pool:
            list(pool.map(run, clients))

    burst(20)  # warm up: sessions, caches, code paths
    gc.collect()
    tracemalloc.start(25)
    before = tracemalloc.take_snapshot()
    burst(args.requests)
    gc.collect()
    after = tracemalloc.take_snapshot()
    calls = args.clients * args.requests
    print(f"{calls} /ask calls while tracing; allocation sites that grew most:")
    for stat in after.compare_to(before, "traceback")[: args.top]:
        print(
            f"\n{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks "
            f"({stat.size_diff / calls:+.0f} B per call)"
        )
        for line in stat.traceback.format()[-6:]:
            print("   ", line)
    os._exit(0)  # the in-process server threads would keep the interpreter alive


if __name__ == "__main__":
    sys.exit(main())
