"""The learned ranking: a logistic model over `features.FEATURES`, trained on the corpus's own
question-answer pairs (`tune`), stored in the index version as `ranker.json` (plain JSON), and
applied to every candidate in a few hundred microseconds.

Its score is the model's probability that a passage answers the question; the answers of
candidate questions join the candidates (a matching reporter's question brings its answer in,
as the hand-set lift did), and the named-speaker and date boosts multiply it as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.index import CorpusIndex
from assistant.retrieval.candidates import Candidates
from assistant.retrieval.features import FEATURES, feature_matrix
from assistant.retrieval.links import Links
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION

RANKER_FILE = "ranker.json"
RANKER_VERSION = 1


@dataclass(frozen=True)
class LearnedRanker:
    """Standardised features times weights plus bias, through a logistic."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    features: tuple[str, ...] = FEATURES
    fingerprint: str = ""
    report: dict = field(default_factory=dict)  # what training measured (held-out pairs)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def score(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(x)))

    def to_json(self) -> dict:
        return {
            "version": RANKER_VERSION,
            "features": list(self.features),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "fingerprint": self.fingerprint,
            "report": self.report,
        }

    @classmethod
    def from_json(cls, data: dict) -> LearnedRanker:
        if data.get("version") != RANKER_VERSION or tuple(data["features"]) != FEATURES:
            raise ValueError("the ranker was trained on other features; tune again")
        return cls(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            FEATURES,
            str(data.get("fingerprint", "")),
            dict(data.get("report", {})),
        )


def fingerprint(index: CorpusIndex) -> str:
    """What a ranker was trained on: the version's vectors, passages and BM25 (their checksums),
    so a ranker never applies to another index than its own."""
    checksums = index.manifest.get("checksums", {})
    digest = hashlib.sha256()
    for name in sorted(checksums):
        digest.update(f"{name}:{checksums[name].get('sha256')}\n".encode())
    digest.update(",".join(FEATURES).encode())
    return digest.hexdigest()


def load_ranker(index: CorpusIndex) -> LearnedRanker | None:
    """The index version's trained ranker, or None when it has none (or one for other data)."""
    path = Path(index.path) / RANKER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ranker = LearnedRanker.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return ranker if ranker.fingerprint == fingerprint(index) else None


def save_ranker(index: CorpusIndex, ranker: LearnedRanker) -> Path:
    """Write `ranker.json` into the live version, atomically (readers see the old or the new)."""
    path = Path(index.path) / RANKER_FILE
    tmp = path.with_name(f".{RANKER_FILE}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(ranker.to_json(), indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def with_answers(
    view: CorpusView, links: Links, ids: np.ndarray, mask: np.ndarray | None
) -> np.ndarray:
    """The candidates and the answers of every candidate question (within the mask)."""
    more = links.answers(ids[view.chunk_role[ids] == QUESTION])
    if not len(more):
        return ids
    if mask is not None:
        more = more[mask[more]]
    return np.union1d(ids, more)


def rerank(
    view: CorpusView,
    links: Links,
    ranker: LearnedRanker,
    vector: np.ndarray,
    found: Candidates,
    mask: np.ndarray | None,
) -> tuple[dict[int, float], dict[int, float]]:
    """(score, cosine) per candidate: the learned probability that it answers the question."""
    ids = with_answers(view, links, found.ids, mask)
    x = feature_matrix(view, links, vector, found, ids)
    scores = ranker.score(x)
    keys = ids.tolist()
    return dict(zip(keys, scores.tolist(), strict=True)), dict(
        zip(keys, x[:, FEATURES.index("dense")].tolist(), strict=True)
    )
