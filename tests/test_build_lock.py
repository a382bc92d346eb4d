"""One build of an index at a time: two `verbatim index` runs on one index never lose it.

Without the lock, two runs at once each wrote a version and removed the other's as old: in 6 of
15 tries `CURRENT` named a deleted folder (every later load failed), in 4 others a run died with
a bare "No such file or directory". Real subprocesses here, with the hashing model.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.build import build_index
from assistant.index import CorpusIndex, live_version
from assistant.lock import IndexBusyError, build_lock

from .conftest import SMALL_CORPUS, CountingModel, write_corpus
from .test_index_kill import run_env

QUESTION = "Why did the Committee raise rates by three quarters of a point?"


def briefing(n: int, turns: int = 40) -> str:
    """A transcript of `turns` turns about topic `n` (~10 KB), so a build takes a moment."""
    lines = [f"Briefing number {n} on the harbour, 2022-01-{n % 28 + 1:02d}", ""]
    for t in range(turns):
        who = "MS. LEE" if t % 2 else "MR. PARK"
        lines += [
            f"{who}: On item {n}-{t} the council reviewed budget line {t * 7 + n}, the "
            f"repairs of pier {t % 9} and the ferry timetable, and will report again next week "
            f"with figures for quarter {t % 4 + 1} and the tender for crane {n * 3 + t}.",
            "",
        ]
    return "\n".join(lines)


def index_command(corpus: Path, index_dir: Path, *extra: str) -> list[str]:
    """`verbatim index` with the hashing model, not quiet (the waiting message is a log line)."""
    cli = [sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index", str(index_dir)]
    return [*cli, "--model", "hashing-384", *extra]


@pytest.mark.slow
def test_two_index_runs_at_once_twenty_times_leave_a_loadable_index(tmp_path):
    """20 rounds: the corpus changes, then two real `verbatim index` processes start at once on
    the same index. Both exit 0, and the index loads, answers, and holds the round's new file."""
    files = {f"briefings/b{n:02d}.txt": briefing(n) for n in range(12)}
    corpus = write_corpus(tmp_path / "corpus", {**SMALL_CORPUS, **files})
    index_dir = tmp_path / "index"
    for round_ in range(20):
        (corpus / f"new/round{round_:02d}.txt").parent.mkdir(exist_ok=True)
        (corpus / f"new/round{round_:02d}.txt").write_text(briefing(100 + round_, turns=6))
        runs = [
            subprocess.Popen(
                index_command(corpus, index_dir),
                env=run_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=300) for run in runs]
        for run, (_, err) in zip(runs, outputs, strict=True):
            assert run.returncode == 0, f"round {round_}: {err}"
        qa = Assistant.load(index_dir)
        assert f"new/round{round_:02d}.txt" in qa.index.documents, f"round {round_}"
        assert qa.ask(QUESTION).answered, f"round {round_}"
    leftovers = sorted(p.name for p in index_dir.iterdir())
    assert leftovers == [".lock", "CURRENT", live_version(index_dir).name]


def test_a_second_build_waits_and_names_the_first(tmp_path):
    """While another process holds the index's lock, `verbatim index` says whom it waits for
    (its pid and command), then builds once the lock is released."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    with build_lock(index_dir):
        waiting = subprocess.Popen(
            index_command(corpus, index_dir),
            env=run_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first_line = waiting.stderr.readline()  # printed before it blocks on the lock
        assert f"waiting for another build of {index_dir} to finish: pid {os.getpid()}" in (
            first_line
        )
        time.sleep(0.5)
        assert waiting.poll() is None, "it did not wait for the lock"
        assert live_version(index_dir) is None, "it built while another held the lock"
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "indexed 3 documents" in out
    assert CorpusIndex.load(index_dir).documents


def test_no_wait_refuses_with_a_message_naming_the_other_process(tmp_path):
    """`verbatim index --no-wait` while another build runs: exit 2 and one line naming it."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    with build_lock(index_dir):
        done = subprocess.run(
            index_command(corpus, index_dir, "--no-wait"),
            env=run_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 2
    assert f"another build is writing the index at {index_dir}: pid {os.getpid()}" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert live_version(index_dir) is None


def test_build_index_without_waiting_raises_index_busy(tmp_path):
    """The Python API: `build_index(wait=False)` raises IndexBusyError; nothing is embedded."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    model = CountingModel()
    with build_lock(tmp_path / "index"), pytest.raises(IndexBusyError, match="pid"):
        build_index(corpus, tmp_path / "index", model, wait=False)
    assert model.encoded == 0


def test_a_load_racing_a_finished_build_loads_the_new_version(tmp_path, monkeypatch):
    """A reader that read `CURRENT` just before another build switched it and removed the old
    version loads the new version instead of failing."""
    import assistant.index as index_module

    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, CountingModel())
    old = live_version(index_dir)
    (corpus / "more.txt").write_text(briefing(1))
    build_index(corpus, index_dir, CountingModel())  # removes the old version
    assert not old.exists()
    real = index_module.live_version
    calls = []

    def first_stale(folder):
        calls.append(folder)
        return old if len(calls) == 1 else real(folder)

    monkeypatch.setattr(index_module, "live_version", first_stale)
    loaded = CorpusIndex.load(index_dir)
    assert "more.txt" in loaded.documents
