"""Many users at once: 50 `gradio_client` clients against a real `verbatim serve` for a minute.

    python benchmarks/load.py                   # 50 clients, 60 s; writes docs/reliability.md
    python benchmarks/load.py --clients 10 --duration 10 --no-docs
    python benchmarks/load.py --api             # 50 plain HTTP clients against POST /api/v1/ask
    python benchmarks/load.py --index DIR       # serve an index already built (skips indexing)

Indexes `corpus/` with the packaged model (`verbatim index corpus --index <tmp>`), starts
`verbatim serve` on 127.0.0.1 and a free port (only loopback is ever used), and has every client
ask `/ask` in a loop until the time or the request budget is spent. Reports requests answered and
failed, latency percentiles, throughput, and the server's resident memory sampled through the run.
The figures go between the `load:begin`/`load:end` markers of docs/reliability.md; with `--api`
(each client its own keep-alive `httpx.Client` posting JSON to `/api/v1/ask`) between
`load-api:begin`/`load-api:end`.

The gradio clients connect over plain HTTP on loopback with `ssl_verify=False`: gradio_client
builds a new `httpx` client for every request, and with verification on each one loads the
system's CA bundle into a fresh TLS context (tens of ms of CPU) although no TLS is used. Those
clients share this machine's cores with the server, so that cost was counted as the server's.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from machine import cpu_model  # benchmarks/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
API_BEGIN, API_END = "<!-- load-api:begin -->", "<!-- load-api:end -->"
QUESTIONS = [
    "How do localities and departments take part in the Party's foreign affairs work?",
    "What platforms were built for dialogue between Chinese and foreign political parties?",
    "How many groups of senior provincial officials visited other countries?",
    "What did Shen Beili say about exchanges with foreign political parties?",
    "How has the pandemic affected international exchanges?",
    "What is the role of think tanks?",
]
OFFLINE = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def rss_mib(pid: int) -> float | None:
    """Resident memory of `pid` in MiB (Linux /proc), or None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Sampler(threading.Thread):
    """Samples the server's RSS every `every` seconds until stopped."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()
        self.began = time.monotonic()

    def run(self) -> None:
        start = self.began = time.monotonic()
        while not self.stopped.is_set():
            value = rss_mib(self.pid)
            if value is not None:
                self.samples.append((time.monotonic() - start, value))
            self.stopped.wait(self.every)


def start_server(
    index: Path, port: int, env: dict[str, str], log_path: Path | None = None
) -> subprocess.Popen:
    log = open(log_path or index.parent / "server.log", "w")  # noqa: SIM115 - as long as the server
    command = [sys.executable, "-m", "assistant.cli", "serve", "--index", str(index)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_server(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server started by `start_server`: SIGTERM (a graceful shutdown), then SIGKILL."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_up(process: subprocess.Popen, port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start in time") from None
            time.sleep(0.3)


def gradio_ask(url: str) -> tuple[Any, Any]:
    """A `gradio_client.Client` for `url`, and how it asks `/ask`."""
    from gradio_client import Client

    # Plain HTTP on loopback: no TLS, so no CA bundle to load for each request (see above).
    client = Client(url, verbose=False, ssl_verify=not url.startswith("http://"))
    return client, lambda question: client.predict(question=question, api_name="/ask")


def api_ask(url: str) -> tuple[Any, Any]:
    """A keep-alive `httpx.Client`, and how it posts a question to `/api/v1/ask`."""
    import httpx

    client = httpx.Client(base_url=url, timeout=300)

    def ask(question: str) -> dict[str, Any]:
        response = client.post("/api/v1/ask", json={"question": question})
        response.raise_for_status()
        return response.json()

    return client, ask


def run_load(
    url: str, clients: int, duration: float, max_requests: int, connect: Any = gradio_ask
) -> dict[str, Any]:
    """`clients` threads, each with its own connection from `connect(url)` (gradio_client by
    default, `api_ask` for the JSON API), asking until the time or the request budget ends."""
    latencies: list[float] = []
    completed: list[float] = []  # monotonic time of each answer, for the memory reading
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    issued = 0
    end_at = [0.0]
    began_at = [0.0]

    def start() -> None:
        """Run by the barrier before it releases anyone: the clock starts once every client is
        connected (set after the barrier, a fast client read the deadline as 0 and stopped)."""
        began_at[0] = time.monotonic()
        end_at[0] = began_at[0] + duration

    ready = threading.Barrier(clients + 1, action=start)

    def worker(n: int) -> None:
        nonlocal issued
        try:
            _, ask = connect(url)
        except Exception as error:  # counted, reported
            with lock:
                failures[f"connect: {type(error).__name__}: {error}"[:120]] += 1
            ask = None
        ready.wait()
        if ask is None:
            return
        i = n
        while time.monotonic() < end_at[0]:
            with lock:
                if issued >= max_requests:
                    return
                issued += 1
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            began = time.monotonic()
            try:
                answer = ask(question)
                if answer.get("question") != question:
                    raise ValueError("answer for another question")
            except Exception as error:  # counted, reported
                with lock:
                    failures[f"{type(error).__name__}: {error}"[:120]] += 1
                continue
            with lock:
                latencies.append(time.monotonic() - began)
                completed.append(time.monotonic())

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    began = began_at[0]
    for thread in threads:
        thread.join(timeout=duration + 300)
    elapsed = time.monotonic() - began
    return {
        "answered": len(latencies),
        "failed": sum(failures.values()),
        "failures": dict(failures),
        "still_running": sum(t.is_alive() for t in threads),
        "elapsed_s": elapsed,
        "latency_s": {
            "p50": percentile(latencies, 50) if latencies else None,
            "p90": percentile(latencies, 90) if latencies else None,
            "p99": percentile(latencies, 99) if latencies else None,
            "max": max(latencies) if latencies else None,
        },
        "throughput_per_s": len(latencies) / elapsed if elapsed else 0.0,
        "completed_at": completed,
    }


def growth_after(
    samples: list[tuple[float, float]], start: float, completed: list[float], first: int
) -> dict[str, Any]:
    """RSS once the first `first` answers are done, at the end, and the growth between: does a
    server's memory level off once warm, or grow with every answer?"""
    if len(completed) <= first:
        return {"warm_after": first, "at_warm": None, "growth_pct": None}
    at = sorted(completed)[first - 1] - start
    warm = next((v for t, v in samples if t >= at), samples[-1][1])
    return {
        "warm_after": first,
        "at_warm": warm,
        "answers_after_warm": len(completed) - first,
        "growth_pct": 100 * (samples[-1][1] - warm) / warm,
    }


def index_counts(index: Path) -> str:
    """ "62 transcripts, 9,682 passages" from the live version's manifest, or "" if unreadable."""
    try:
        version = (index / "CURRENT").read_text(encoding="utf-8").strip()
        counts = json.loads((index / version / "manifest.json").read_text(encoding="utf-8"))
        counts = counts["counts"]
        return f"{counts['documents']:,} transcripts, {counts['passages']:,} passages"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of `pid` so far (Linux /proc), or None when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def docs_section(result: dict[str, Any]) -> str:
    lat = result["latency_s"]
    rss = result["rss_mib"]
    api = result.get("mode") == "api"
    begin, end = (API_BEGIN, API_END) if api else (BEGIN, END)
    kind = (
        "each its own keep-alive `httpx.Client`, `POST /api/v1/ask`"
        if api
        else "each its own `gradio_client.Client`, `/ask`"
    )
    cpu = result.get("cpu_ms_per_answer") or {}
    conditions = f" ({result['conditions']})" if result.get("conditions") else ""

    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value * 1000:.0f} ms"

    return "\n".join(
        [
            begin,
            f"Measured {result['date']} on {result['cores']} cores ({result['cpu']}), clients and "
            f"server on the same machine{conditions}, with:",
            "",
            "```",
            result["command"],
            "```",
            "",
            "| Figure | Value |",
            "|---|---|",
            f"| Clients ({kind}) | {result['clients']} |",
            f"| Index served | {result['index']} |",
            f"| Duration | {result['elapsed_s']:.1f} s |",
            f"| Requests answered | {result['answered']} |",
            f"| Requests failed | {result['failed']} |",
            f"| Throughput | {result['throughput_per_s']:.1f} answers/s |",
            f"| Latency p50 / p90 / p99 / max | {ms(lat['p50'])} / {ms(lat['p90'])} / "
            f"{ms(lat['p99'])} / {ms(lat['max'])} |",
            f"| Server RSS before the load / after 10 s / at the end / max | "
            f"{rss['start']:.0f} / {rss['after_10s']:.0f} / {rss['end']:.0f} / "
            f"{rss['max']:.0f} MiB ({rss['samples']} samples) |",
            f"| CPU per answer: server / clients | {cpu.get('server', 0):.1f} ms / "
            f"{cpu.get('clients', 0):.1f} ms |",
            *(
                [
                    f"| Server RSS after the first {rss['warm_after']} answers / at the end "
                    f"({rss['answers_after_warm']} answers later) | {rss['at_warm']:.0f} / "
                    f"{rss['end']:.0f} MiB ({rss['growth_pct']:+.1f} %) |"
                ]
                if rss.get("growth_pct") is not None
                else []
            ),
            "",
            f"Latency is the whole round trip of one {'request' if api else '`predict`'} (queueing "
            "included): with the queue's "
            f"concurrency limit of {result['concurrency']}, {result['clients']} clients mostly "
            "wait their turn, so latency grows with the number of clients while throughput is "
            "what the cores can search. CPU per answer is each side's CPU time over the run "
            "divided by the answers: the clients' share is work this machine did only because "
            "the clients ran on it too.",
            end,
        ]
    )


def write_docs(section: str, path: Path = DOCS, markers: tuple[str, str] = (BEGIN, END)) -> None:
    begin, end = markers
    text = path.read_text(encoding="utf-8")
    head, found, rest = text.partition(begin)
    if not found:
        raise SystemExit(f"{path} has no {begin} marker")
    _, found, tail = rest.partition(end)
    if not found:
        raise SystemExit(f"{path} has no {end} marker")
    path.write_text(head + section + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--max-requests", type=int, default=20000, help="request budget")
    parser.add_argument("--corpus", default="corpus", help="folder to index (default corpus/)")
    parser.add_argument("--index", help="serve this index (built by verbatim index) instead")
    parser.add_argument(
        "--api", action="store_true", help="plain HTTP clients against POST /api/v1/ask"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update the docs")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument(
        "--conditions", help="how the machine was, for the docs (e.g. 'loaded by other builds')"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.duration <= 3600:
        parser.error("clients must be 1..500 and duration 0..3600 s")

    from ui.app import QUEUE

    env = {**os.environ, **OFFLINE, "PYTHONPATH": str(ROOT)}
    env.pop("VERBATIM_AUTH", None)
    connect = api_ask if args.api else gradio_ask
    with tempfile.TemporaryDirectory(prefix="verbatim-load-") as tmp:
        if args.index:
            index = Path(args.index).resolve()
        else:
            index = Path(tmp) / "index"
            print(f"indexing {args.corpus} ...", file=sys.stderr)
            command = [sys.executable, "-m", "assistant.cli", "index", args.corpus]
            subprocess.run(
                [*command, "--index", str(index), "--quiet"],
                cwd=ROOT,
                env=env,
                check=True,
            )
        counts = index_counts(index)
        from ui.app import free_port  # after main() put the checkout on sys.path

        port = free_port()
        server = start_server(index, port, env, Path(tmp) / "server.log")
        try:
            wait_until_up(server, port)
            url = f"http://127.0.0.1:{port}/"
            connect(url)[1](QUESTIONS[0])  # warm
            sampler = Sampler(server.pid)
            sampler.start()
            time.sleep(1.0)
            print(f"{args.clients} clients for {args.duration:.0f} s ...", file=sys.stderr)
            server_cpu, clients_cpu = cpu_seconds(server.pid), own_cpu_seconds()
            result = run_load(url, args.clients, args.duration, args.max_requests, connect)
            server_cpu = (cpu_seconds(server.pid) or 0.0) - (server_cpu or 0.0)
            clients_cpu = own_cpu_seconds() - clients_cpu
            time.sleep(1.0)
            sampler.stopped.set()
            sampler.join()
            alive = server.poll() is None
        finally:
            stop_server(server)
    samples = sampler.samples
    load_start = 1.0
    result["server_alive_after"] = alive
    result["rss_mib"] = {
        "start": samples[0][1],
        "after_10s": next((v for t, v in samples if t >= load_start + 10), samples[-1][1]),
        "end": samples[-1][1],
        "max": max(v for _, v in samples),
        "samples": len(samples),
    }
    result["rss_mib"].update(growth_after(samples, sampler.began, result.pop("completed_at"), 200))
    command = f"python benchmarks/load.py --clients {args.clients} --duration {args.duration:g}"
    command += " --api" * args.api + (f" --index {args.index}" if args.index else "")
    answered = max(1, result["answered"])
    if args.max_requests != 20000:
        command += f" --max-requests {args.max_requests}"
    result.update(
        mode="api" if args.api else "gradio",
        index=(
            ("an index built beforehand" if args.index else f"`{args.corpus}`, indexed for the run")
            + (f" ({counts})" if counts else "")
        ),
        conditions=args.conditions,
        cpu_ms_per_answer={
            "server": server_cpu / answered * 1000,
            "clients": clients_cpu / answered * 1000,
        },
        clients=args.clients,
        concurrency=QUEUE["default_concurrency_limit"],
        date=datetime.date.today().isoformat(),
        cores=_cores(),
        cpu=cpu_model(),
        command=command,
    )
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    if not args.no_docs:
        write_docs(docs_section(result), markers=(API_BEGIN, API_END) if args.api else (BEGIN, END))
        print(f"wrote {DOCS.relative_to(ROOT)}", file=sys.stderr)
    return 0 if result["failed"] == 0 and alive else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
