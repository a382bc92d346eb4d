"""Content hashes, so that unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib


def content_hash(model_name: str, text: str) -> str:
    """A stable key for `text` embedded by `model_name` (the same text under another model differs)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(model_name.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
