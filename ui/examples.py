"""The example inputs the UI offers, fitted to the index it serves.

The examples are written for the shipped archive (the seed, FOMC, White House). Served over
another archive, an example naming a speaker it does not have would fill the speaker list with a
value that is not one of its choices (Gradio refuses it: "Value ... is not in the list of
choices"), and an example question it does not answer would show "nothing answers this" as the
first thing a new user sees. So each tab shows only the examples its index can take.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from assistant.answers import Answer

log = logging.getLogger(__name__)

# One question per collection of the shipped archive and a follow-up to the one before it.
ASK = [
    "How do localities and departments take part in the Party's foreign affairs work?",
    "What did Powell say about tariffs and inflation in 2025?",
    "Does the President support a quarantine of health workers returning from West Africa?",
    "And what about a travel ban?",
]
# "Over time": a phrase or topic, and the speakers whose words are counted.
TIMELINE: list[tuple[str, list[str]]] = [
    ("transitory", ["Chair Powell"]),
    ("tariffs", ["Chair Powell"]),
    ("Ebola", []),
]
# Quote check: a quote or a text with quotes, and who it is credited to. A quote the archive
# does not hold is an example too ("not found", with the nearest passages), so these suit any.
CHECK: list[tuple[str, str]] = [
    ("Inflation is much too high", ""),
    ("“We will keep at it until the job is done,” Josh Earnest said.", ""),
]


def answered_questions(
    ask: Callable[[str, list[str] | None], Answer], questions: Sequence[str] = ASK
) -> list[str]:
    """The questions `ask(question, history)` answers, in order. Each is asked after the one
    before it; one read as a follow-up (its answer searched joined to the earlier question) is
    kept only where that question is kept. A question whose asking fails is left out and
    logged: examples never stop the UI from starting."""
    kept: list[str] = []
    previous: str | None = None
    for question in questions:
        try:
            answer = ask(question, [previous] if previous else None)
        except Exception:  # an example is optional; the failure is the log's, not the user's
            log.exception("example question %r failed; left out", question)
            answer = None
        if answer is not None and answer.answered:
            follows = answer.query is not None and answer.query != question
            if not follows or previous in kept:
                kept.append(question)
        previous = question
    return kept


def with_speakers(
    examples: Iterable[tuple[str, list[str]]], speakers: Iterable[str]
) -> list[list[object]]:
    """The examples whose speakers are all among `speakers` (the index's), as Gradio's rows."""
    known = set(speakers)
    return [[text, list(named)] for text, named in examples if set(named) <= known]
