"""The example inputs the UI offers, fitted to the index it serves.

The examples are written from transcripts of the shipped archive (the seed, FOMC, White House).
Served over another archive, an example naming a speaker it does not have would fill the speaker
list with a value that is not one of its choices (Gradio refuses it: "Value ... is not in the
list of choices"), and an example question about a transcript it lacks would show "nothing
answers this" as the first thing a new user sees. So each tab offers only the examples its
index can take, read from what the index holds (its documents, its speakers): building the UI
asks no question.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

# A question per collection of the shipped archive, and a follow-up to the one before it, each
# with the file name of the transcript that answers it.
ASK: list[tuple[str, str]] = [
    (
        "How do localities and departments take part in the Party's foreign affairs work?",
        "000_d939996c60e74ad7.txt",
    ),
    ("What did Powell say about tariffs and inflation in 2025?", "fomc_2025-03-19.txt"),
    (
        "Does the President support a quarantine of health workers returning from West Africa?",
        "wh_2014-10-28.txt",
    ),
    ("And what about a travel ban?", "wh_2014-10-28.txt"),
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


def with_documents(examples: Iterable[tuple[str, str]], documents: Iterable[str]) -> list[str]:
    """The questions of `examples` whose transcript (by file name, wherever it lies in the
    corpus folder) is among `documents` (the index's)."""
    names = {PurePosixPath(d.replace("\\", "/")).name for d in documents}
    return [question for question, source in examples if source in names]


def with_speakers(
    examples: Iterable[tuple[str, list[str]]], speakers: Iterable[str]
) -> list[list[object]]:
    """The examples whose speakers are all among `speakers` (the index's), as Gradio's rows."""
    known = set(speakers)
    return [[text, list(named)] for text, named in examples if set(named) <= known]
