"""The user's filters (speaker, document, dates) as a mask over passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.dates import iso_date
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION


@dataclass
class Filters:
    mask: np.ndarray | None = None  # bool per passage; None = everything
    speakers: set[int] | None = None  # speaker codes a result must have, when filtered
    applied: dict[str, Any] = field(default_factory=dict)


def build_filters(
    view: CorpusView,
    speaker: str | list[str] | None,
    document: str | list[str] | None,
    date_from: str | None,
    date_to: str | None,
) -> Filters:
    """The mask of passages the filters allow; ValueError naming an unknown speaker or document
    or a malformed date range."""
    n = len(view.chunk_doc)
    mask = np.ones(n, dtype=bool)
    applied: dict[str, Any] = {}
    speaker_codes: set[int] | None = None
    if speaker:
        wanted = [speaker] if isinstance(speaker, str) else list(speaker)
        codes = set()
        for name in wanted:
            found = view.match_speaker(name)
            if not found:
                raise ValueError(
                    f"no speaker matching {name!r} in this index; speakers include: "
                    + ", ".join(view.speakers[:15])
                    + ("…" if len(view.speakers) > 15 else "")
                )
            codes |= view.speaker_codes(found)
        speaker_codes = codes
        speaker_mask = np.isin(view.chunk_speaker, list(codes))
        # keep the questions put to them, so a matching question can lift its answer
        docs = np.unique(view.chunk_doc[speaker_mask])
        mask &= speaker_mask | (np.isin(view.chunk_doc, docs) & (view.chunk_role == QUESTION))
        applied["speaker"] = sorted(view.speakers[c] for c in codes)
    if document:
        wanted = [document] if isinstance(document, str) else list(document)
        codes = set()
        for name in wanted:
            found = view.match_document(name)
            if not found:
                raise ValueError(f"no document matching {name!r} in this index")
            codes |= set(found)
        mask &= np.isin(view.chunk_doc, list(codes))
        applied["document"] = sorted(view.documents[c] for c in codes)
    if date_from or date_to:
        low = iso_date(date_from, "date_from") if date_from else None
        high = iso_date(date_to, "date_to") if date_to else None
        if low and high and low > high:
            raise ValueError(f"the date range ends ({high}) before it starts ({low})")
        mask &= view.date_mask(low or "0000-00-00", high or "9999-99-99")  # open ends
        applied["date_from"], applied["date_to"] = low, high
    return Filters(None if mask.all() else mask, speaker_codes, applied)
