"""Serving helpers for the tests: a real `verbatim serve` as a subprocess on 127.0.0.1, and an
assistant whose searches wait for the test, to fill a server on purpose."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ui.app import free_port

ROOT = Path(__file__).resolve().parents[1]
CREDENTIAL_VARS = ("VERBATIM_AUTH", "VERBATIM_TOKEN")


@dataclass(frozen=True)
class Served:
    url: str  # with the trailing slash
    port: int
    log: Path
    process: subprocess.Popen


def command_env(**extra: str) -> dict[str, str]:
    """This environment without credentials of its own, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARS}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@contextmanager
def verbatim_serve(
    index: Path, log: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 240
) -> Iterator[Served]:
    """`python -m assistant.cli serve --index INDEX --port P ARGS...` until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--index", str(index)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), *args],
            cwd=ROOT,
            env=env or command_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"verbatim serve exited:\n{log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    message = f"verbatim serve did not start:\n{log.read_text()}"
                    raise AssertionError(message) from None
                time.sleep(0.2)
        yield Served(f"http://127.0.0.1:{port}/", port, log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class GatedAssistant:
    """The real assistant, except that `ask` waits until the test opens the gate: a slow search,
    made deterministic, so the queue can be filled on purpose."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.gate = threading.Event()
        self.started = threading.Semaphore(0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        self.started.release()
        if not self.gate.wait(timeout=120):
            raise RuntimeError("the test never opened the gate")
        return self._inner.ask(*args, **kwargs)
