"""The machine a benchmark ran on, for the docs each benchmark writes."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what the platform reports)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def versions(
    packages: tuple[str, ...] = ("torch", "onnx", "onnxruntime", "faiss-cpu", "bm25s"),
) -> str:
    """The installed versions of the libraries that make the figures ("torch 2.13.0+cpu, ..."):
    the int8 encoder is quantised by onnx and onnxruntime at first use, so its figures depend
    on their releases."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in packages:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)
