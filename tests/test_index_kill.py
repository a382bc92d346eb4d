"""Killing `verbatim index` at any moment leaves the previous index whole; the next run finishes.

A real subprocess indexes 40 generated transcripts (~0.7 MB) with the hashing model and is
SIGKILLed at several points: at fractions of a measured full run (seeded jitter) and the moment
its staging folder appears (mid-write). After each kill the index must load and answer exactly
as the old index did, or, if the kill came after the atomic switch, exactly as a complete new
index does. Never anything in between.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.build import build_index
from assistant.index import live_version
from assistant.lock import LOCK
from embeddings import HashingModel

from .conftest import REPO, SMALL_CORPUS, write_corpus

QUESTIONS = [
    "Why did the Committee raise rates by three quarters of a point?",
    "What did the secretary say about the harbour bridge repairs?",
    "How do local governments expand trade cooperation?",
]
TOPICS = [
    "harbour bridge repairs",
    "wheat exports",
    "school lunches",
    "rail strikes",
    "flood defences",
    "vaccine supplies",
    "steel tariffs",
    "rural broadband",
]


def generated_transcripts(count: int, seed: int = 7) -> dict[str, str]:
    """`count` briefing transcripts of ~18 KB each (60 turns), deterministic."""
    rng = random.Random(seed)
    words = [
        "the",
        "minister",
        "said",
        "that",
        "we",
        "will",
        "continue",
        "to",
        "review",
        "budget",
        "policy",
        "with",
        "partners",
        "because",
        "costs",
        "rose",
        "sharply",
        "this",
        "year",
        "and",
        "families",
        "need",
        "support",
        "now",
    ]
    files = {}
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        paragraphs = []
        for turn in range(60):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(25, 60)))
            if turn % 2:
                paragraphs.append(f"SECRETARY JONES: On {topic}, {sentence}.")
            else:
                paragraphs.append(f"Q What about {topic} and {sentence}?")
        files[f"generated/briefing_{n:03d}.txt"] = (
            f"Briefing number {n}, 2019-03-{1 + n % 28:02d}\n\n" + "\n\n".join(paragraphs) + "\n"
        )
    return files


def index_command(corpus: Path, index_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assistant.cli",
        "index",
        str(corpus),
        "--index",
        str(index_dir),
        "--model",
        "hashing-384",
        "--quiet",
    ]


def run_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def answers(index_dir: Path) -> list[dict]:
    qa = Assistant.load(index_dir)
    return [qa.ask(q, k=5).to_dict() for q in QUESTIONS]


def kill_after(command: list[str], delay: float | None, index_dir: Path) -> int:
    """Start `command`; SIGKILL it after `delay` seconds, or (delay None) as soon as a staging
    folder appears in `index_dir`. Returns the exit status (negative: killed)."""
    process = subprocess.Popen(
        command, env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        if delay is not None:
            try:
                process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
        else:
            while process.poll() is None:
                if any(index_dir.glob(".building-*")):
                    process.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.002)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
    return process.returncode


@pytest.mark.slow
def test_sigkill_during_indexing_never_loses_the_index(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, HashingModel())
    old_version = live_version(index_dir)
    old_answers = answers(index_dir)
    pristine = tmp_path / "pristine"
    shutil.copytree(index_dir, pristine)

    # the corpus grows; a complete run over it gives the reference new index
    write_corpus(corpus, generated_transcripts(40))
    reference = tmp_path / "reference"
    started = time.monotonic()
    subprocess.run(index_command(corpus, reference), env=run_env(), check=True, capture_output=True)
    full_run = time.monotonic() - started
    new_answers = answers(reference)
    assert new_answers != old_answers  # the new corpus answers differently (harbour bridge)

    rng = random.Random(20240611)
    delays: list[float | None] = [
        f * full_run * rng.uniform(0.8, 1.2) for f in (0.15, 0.35, 0.55, 0.7, 0.85, 0.95)
    ]
    delays += [None, None]  # the moment the staging folder appears: mid-write
    outcomes = []
    for delay in delays:
        status = kill_after(index_command(corpus, index_dir), delay, index_dir)
        live = live_version(index_dir)
        assert live is not None and live.is_dir()
        if live == old_version:
            outcomes.append("old")
            assert answers(index_dir) == old_answers, f"killed after {delay}: answers changed"
        else:
            outcomes.append("new")
            assert answers(index_dir) == new_answers, f"killed after {delay}: partial index"
            shutil.rmtree(index_dir)  # start the next kill from the old index again
            shutil.copytree(pristine, index_dir)
        assert status in (-signal.SIGKILL, 0)
    assert "old" in outcomes, f"no kill interrupted a build ({outcomes}, full run {full_run:.1f}s)"

    # the next run completes the job, leaving one version and no debris of the killed runs
    done = subprocess.run(
        index_command(corpus, index_dir), env=run_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert answers(index_dir) == new_answers
    leftovers = sorted(p.name for p in index_dir.iterdir() if p.name != LOCK)  # the build lock
    assert leftovers == ["CURRENT", live_version(index_dir).name]
