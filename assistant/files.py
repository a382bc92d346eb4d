"""Small file helpers shared by the index's writer and reader: JSON in and out, fsync."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_json(path: Path, data: object) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))


def read_json(path: Path) -> object:
    # orjson (already installed with gradio) parses the passages of a million-passage index
    # about five times faster than json; both raise ValueError on bad input.
    try:
        import orjson
    except ImportError:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    return orjson.loads(path.read_bytes())


def fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            fsync(Path(folder) / name)
        fsync(Path(folder))
