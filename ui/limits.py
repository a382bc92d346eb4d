"""Bounded work for the JSON API and MCP: a few searches at a time, a short line, then "busy".

Retrieval is CPU-bound and short, so more searches at once would only contend for the cores; a
bounded line turns a flood into immediate refusals instead of unbounded memory and waits. The
limits are the chat queue's (`ui.app.QUEUE`), for the API's own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import anyio

BUSY = "The server is busy; try again in a moment."


class Busy(Exception):
    """Every running slot and every waiting place is taken."""


@dataclass
class Limiter:
    """At most `running` calls at once in worker threads and `waiting` more in line; beyond that,
    `Busy` at once. Used from one event loop (the server's), so the count needs no lock."""

    running: int = 4
    waiting: int = 64
    admitted: int = field(default=0, init=False)  # running + waiting
    _slots: anyio.CapacityLimiter | None = field(default=None, init=False, repr=False)

    async def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)` in a worker thread once a slot is free; `Busy` when full."""
        if self.admitted >= self.running + self.waiting:
            raise Busy(BUSY)
        if self._slots is None:  # needs the running event loop
            self._slots = anyio.CapacityLimiter(self.running)
        self.admitted += 1
        try:
            return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=self._slots)
        finally:
            self.admitted -= 1
