"""One build of an index at a time: an advisory lock on a file inside the index folder.

Two `verbatim index` runs on one index at once would each write a version and remove the other's
as "old", leaving `CURRENT` naming a deleted folder. `build_lock` makes the second wait (saying
which process it waits for) or, with `wait=False`, refuse with `IndexBusyError` naming it.

The lock is `fcntl.flock` on `<index>/.lock`: the kernel releases it when its holder exits,
however it exits (a killed build never leaves a stale lock), and the file is never deleted
(deleting a lock file lets two holders lock two different files). Readers need no lock: the
version switch is atomic. Where the index folder cannot be written (a read-only disk), no build
can change it either; the lock is then skipped and the build may only find it up to date.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.index import IndexError_

try:
    import fcntl
except ImportError:  # Windows: no advisory locks of this kind; builds are not serialised
    fcntl = None  # type: ignore[assignment]

LOCK = ".lock"


class IndexBusyError(IndexError_):
    """Another build holds the index's lock and the caller chose not to wait."""


def describe_holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it: 'pid 123 (verbatim index corpus), started
    at 12:00:01'; 'another process' when it cannot be told."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    if not isinstance(info, dict) or "pid" not in info:
        return "another process"
    text = f"pid {info['pid']}"
    if info.get("command"):
        text += f" ({info['command']})"
    if info.get("started"):
        text += f", started at {info['started']}"
    return text


def _command() -> str:
    argv = [os.path.basename(sys.argv[0]) if sys.argv else "python", *sys.argv[1:]]
    return " ".join(argv)[:200]


@contextmanager
def build_lock(
    index_dir: Path, *, wait: bool = True, say: Callable[[str], None] | None = None
) -> Iterator[bool]:
    """Hold the build lock of `index_dir` for the duration; yields True when held, False when
    the folder cannot be written (so no lock file can exist there; nothing can be built)."""
    index_dir = Path(index_dir)
    path = index_dir / LOCK
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = describe_holder(path)
                if not wait:
                    raise IndexBusyError(
                        f"another build is writing the index at {index_dir}: {holder}; "
                        "wait for it to finish, or run again without --no-wait to wait"
                    ) from None
                if say:
                    say(f"waiting for another build of {index_dir} to finish: {holder}")
                fcntl.flock(fd, fcntl.LOCK_EX)
        info = {
            "pid": os.getpid(),
            "command": _command(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError:
            pass  # only the waiting message needs it
        yield True
    finally:
        os.close(fd)  # releases the lock
