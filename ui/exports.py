"""The UI's exports on disk (the chat's Markdown, the timeline's CSV): bounded, and removed
when no longer needed.

The chat handler can be called through Gradio's queue with any session id, by anyone who can
reach the server; one file per call would fill the disk. So each browser session has one file,
rewritten after each turn; at most `limit` sessions keep theirs (the least recently written go
first); a session's file goes when its page is closed (`discard`, from `Blocks.unload`), and the
whole folder when the app closes, when the process exits (also on SIGTERM through `verbatim
serve`), or, after a crash, when the next server starts (`sweep_leftovers`).

The folder lies inside Gradio's own file cache, so Gradio serves each file where it is instead of
keeping a copy of every version. Files there are served to whoever knows their path; a session's
path is a keyed hash of its id, so it cannot be guessed from the session id.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

MAX_EXPORTS = 256  # sessions whose export is kept; a conversation's file is a few kilobytes
PREFIX = "verbatim-export-"
FILE_NAME = "verbatim-conversation.md"


def gradio_cache() -> Path | None:
    """The folder Gradio serves its files from (GRADIO_TEMP_DIR), or None if unknown."""
    try:
        from gradio.utils import get_upload_folder

        return Path(get_upload_folder())
    except (ImportError, AttributeError, OSError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(parent: Path) -> list[Path]:
    """Remove export folders left by servers that died without cleaning up (their process is
    gone); returns what was removed."""
    removed = []
    try:
        entries = list(parent.glob(f"{PREFIX}*-*"))
    except OSError:
        return removed
    for entry in entries:
        pid = entry.name[len(PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


class Exports:
    """One Markdown file per session under a private folder; see the module's docstring.
    Thread-safe: the queue runs several handlers at once."""

    def __init__(
        self,
        limit: int = MAX_EXPORTS,
        parent: Path | None = None,
        on_remove: Callable[[Path], None] | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        parent = parent or gradio_cache() or Path(tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(parent)
        self.root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent))
        self.limit = limit
        self._on_remove = on_remove
        self._key = secrets.token_bytes(16)
        self._files: OrderedDict[str, Path] = OrderedDict()
        self._lock = threading.Lock()
        # runs on close(), when this object is collected, or at interpreter exit
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.root), True)

    def _name(self, session: str) -> str:
        return hashlib.blake2b(
            session.encode("utf-8", "replace"), key=self._key, digest_size=16
        ).hexdigest()

    def write(self, session: str | None, text: str, file_name: str = FILE_NAME) -> Path:
        """Write `session`'s export called `file_name` (the conversation, a timeline's table:
        one of each per session; a one-off file without a session) and return its path."""
        name = self._name(session) if session else secrets.token_hex(16)
        with self._lock:
            path = self.root / name / Path(file_name).name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self._files[name] = path.parent / FILE_NAME
            self._files.move_to_end(name)
            evicted = []
            while len(self._files) > self.limit:
                evicted.append(self._files.popitem(last=False)[1])
        for old in evicted:
            self._remove(old)
        return path

    def discard(self, session: str | None) -> None:
        """Remove `session`'s export (its page was closed)."""
        if not session:
            return
        with self._lock:
            path = self._files.pop(self._name(session), None)
        if path is not None:
            self._remove(path)

    def _remove(self, path: Path) -> None:
        """Remove a session's folder: every export file in it."""
        files = list(path.parent.glob("*")) if path.parent.is_dir() else []
        shutil.rmtree(path.parent, ignore_errors=True)
        if self._on_remove is not None:
            for file in files:
                self._on_remove(file)

    def __len__(self) -> int:
        with self._lock:
            return len(self._files)

    def close(self) -> None:
        """Remove the folder and every export in it."""
        self._finalizer()
