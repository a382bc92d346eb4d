"""Who asks and who answers: each paragraph's role, and the question an answer answers.

Two kinds of transcript, told apart by how the words are shared:

- A press conference or an interview has a principal: bare `Q` questions, a single named
  speaker, or one speaker holding most of the words while the others' turns mostly ask. The
  principal answers, a speaker of many short turns moderates ("Howard."), the other named
  speakers are reporters asking; an answer answers the last question before it.
- A meeting or a hearing is a discussion: everyone speaks, and most turns do not ask. There a
  paragraph asks when it ends a speaker's turn with a question, the next speaker's turn answers
  it, and everything else is a statement ("Project Manager" presenting is not a reporter
  asking, and what "Grad B" says is not an answer to anyone unless asked).

The answer-lift in ranking follows these links: a question that matches lifts its answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from assistant.tokens import count_words

QUESTION, ANSWER, STATEMENT = "question", "answer", "statement"
UNNAMED = ("Q", "A", "")  # bare question, bare answer, no label

# A principal holds at least this share of the words, and most of the others' words are in
# turns that ask (press conferences: 0.74-0.83 and 0.61-0.98; meetings: at most 0.62 and 0.19).
PRINCIPAL_SHARE = 0.6
ASKING_SHARE = 0.4
# How a turn's end is read for a question mark: its last characters, markers like
# `{vocalsound}` or `[laughter]` and closing quotes left out.
_TAIL = 120
_TRAILING_MARKS = re.compile(r"(?:\s*(?:\{[^{}]{0,40}\}|\[[^\[\]]{0,40}\]|[\"”’')]))+\s*$")


def asks(text: str) -> bool:
    """Whether a paragraph ends by asking (a question mark in its closing words)."""
    tail = _TRAILING_MARKS.sub("", text[-_TAIL - 60 :])[-_TAIL:]
    return "?" in tail or "？" in tail


def _turn_starts(labels: Sequence[str]) -> list[int]:
    return [i for i, label in enumerate(labels) if i == 0 or label != labels[i - 1]]


def is_press(paragraphs: Sequence[tuple[str, str]]) -> bool:
    """A transcript with a principal: bare `Q`s, one named speaker, or one holding most of
    the words while the others' words are mostly in turns that ask."""
    labels = [label for label, _ in paragraphs]
    named = {label for label in labels if label not in UNNAMED}
    if "Q" in labels or len(named) <= 1:
        return True
    words: Counter[str] = Counter()
    for label, text in paragraphs:
        words[label] += count_words(text)
    principal = max(named, key=lambda label: (words[label], label))
    total = sum(words.values()) or 1
    starts = _turn_starts(labels)
    ends = [*starts[1:], len(labels)]
    others = asking = 0  # the other speakers' words, and those in turns that ask
    for s, e in zip(starts, ends, strict=True):
        if labels[s] != principal:
            turn = sum(count_words(paragraphs[i][1]) for i in range(s, e))
            others += turn
            asking += turn if any(asks(paragraphs[i][1]) for i in range(s, e)) else 0
    return words[principal] / total >= PRINCIPAL_SHARE and asking >= ASKING_SHARE * others


def _press_roles(labels: Sequence[str], lengths: Sequence[int]) -> dict[str, str]:
    """Each label's role in a press conference: who answers, who asks, who moderates.

    Bare `Q` asks and `A` answers. Where questions are bare `Q`s, every named speaker answers.
    Otherwise the speaker with the most words answers (the principal), a speaker of many short
    turns moderates, and the other named speakers are reporters asking.
    """
    words: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for label, length in zip(labels, lengths, strict=True):
        words[label] += length
        count[label] += 1
    roles = {"Q": QUESTION, "A": ANSWER, "": STATEMENT}
    named = [label for label in words if label not in roles]
    if "Q" in words or not named:
        roles.update({label: ANSWER for label in named})
        return roles
    principal = max(named, key=lambda label: words[label])
    others = sorted((label for label in named if label != principal), key=lambda x: -count[x])
    moderator = None
    if others:
        busiest, runner_up = others[0], (count[others[1]] if len(others) > 1 else 0)
        # One moderator at most: the speaker calling on reporters ("Howard.") has many short
        # turns, clearly more than any reporter asking follow-ups.
        if (
            count[busiest] >= 4
            and count[busiest] >= 2 * runner_up
            and (words[busiest] / count[busiest] < 200)
        ):
            moderator = busiest
    for label in named:
        if label == principal:
            roles[label] = ANSWER
        elif label == moderator:
            roles[label] = STATEMENT
        else:
            roles[label] = QUESTION
    return roles


def _linked(roles: Sequence[str]) -> list[tuple[str, int | None]]:
    """Answers point at the last question before them (1-based); an answer before any
    question is an opening statement."""
    out: list[tuple[str, int | None]] = []
    last_question: int | None = None
    for index, role in enumerate(roles, 1):
        if role == QUESTION:
            last_question = index
            out.append((role, None))
        elif role == ANSWER:
            out.append((role, last_question) if last_question else (STATEMENT, None))
        else:
            out.append((role, None))
    return out


def _discussion_roles(paragraphs: Sequence[tuple[str, str]]) -> list[tuple[str, int | None]]:
    """A meeting's roles: the paragraph ending a turn with a question asks; the next speaker's
    turn answers it (unless it asks in turn); the rest are statements."""
    labels = [label for label, _ in paragraphs]
    starts = _turn_starts(labels)
    ends = [*starts[1:], len(labels)]
    out: list[tuple[str, int | None]] = [(STATEMENT, None)] * len(labels)
    asked: int | None = None  # 0-based paragraph of the question the next turn answers
    for s, e in zip(starts, ends, strict=True):
        last = e - 1
        if asked is not None:
            for i in range(s, last if asks(paragraphs[last][1]) else e):
                out[i] = (ANSWER, asked + 1)
        asked = None
        if asks(paragraphs[last][1]):
            out[last] = (QUESTION, None)
            asked = last
    return out


def assign_roles(paragraphs: Sequence[tuple[str, str]]) -> list[tuple[str, int | None]]:
    """(role, 1-based index of the question answered) for each (label, text) paragraph."""
    if not paragraphs:
        return []
    if is_press(paragraphs):
        labels = [label for label, _ in paragraphs]
        roles = _press_roles(labels, [len(text) for _, text in paragraphs])
        return _linked([roles[label] for label in labels])
    return _discussion_roles(paragraphs)
