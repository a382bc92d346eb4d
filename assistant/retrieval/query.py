"""Understanding a question: is it a follow-up, which dates and speakers does it name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.dates import DateRange, question_dates
from assistant.retrieval.config import MAX_QUERY_WORDS

# Openings that only make sense after an earlier question.
_FOLLOWUP_START = re.compile(
    r"^\s*(and|but|also|so|then|what about|how about|what else|anything else|same)\b",
    re.IGNORECASE,
)
# Third-person pronouns that point back at someone or something already named.
_PRONOUN = re.compile(r"\b(he|she|it|they|them|him|his|her|its|their|theirs)\b", re.IGNORECASE)
_SHORT_FOLLOWUP_WORDS = 8


@dataclass(frozen=True)
class Query:
    """A question resolved for search: the text searched, and what narrows it."""

    question: str
    text: str  # what is searched: the question, joined to the one before for a follow-up
    date_range: DateRange | None = None
    speakers: tuple[str, ...] = ()
    previous: str | None = None  # the earlier question a follow-up leans on
    date_from_history: bool = False  # the date came from the earlier question, not this one
    aliases: tuple[tuple[str, str], ...] = ()  # (term as asked, the corpus's name for it)
    earlier_documents: tuple[int, ...] = ()  # follow-ups: where the earlier answer was

    @property
    def searched(self) -> str:
        """The question as searched by words: each aliased term followed by its corpus name."""
        text = clip(self.question)
        return " ".join([text, *(alias for _, alias in self.aliases)])

    @property
    def is_followup(self) -> bool:
        return self.previous is not None


def resolve(
    question: str,
    history: list[str] | None,
    speakers_named_in: Callable[[str], tuple[str, ...]],
) -> Query:
    """Join a follow-up to the conversation's earlier questions; find dates and speakers."""
    date_range = question_dates(question)
    speakers = speakers_named_in(question)
    earlier = [h.strip() for h in (history or []) if h and h.strip()]
    if not (earlier and looks_like_followup(question, speakers, date_range)):
        return Query(question, question, date_range, speakers)
    last = earlier[-1]
    from_history = date_range is None and question_dates(last) is not None
    return Query(
        question,
        f"{last} {question}",
        date_range or question_dates(last),
        speakers or speakers_named_in(last),
        last,
        from_history,
    )


def looks_like_followup(
    question: str, speakers: tuple[str, ...], date_range: DateRange | None
) -> bool:
    """A question leaning on the one before: "And why...?", "Does he think...?", or a short one
    naming no one and no date ("Could they have done anything differently?"). A question that
    names its own speaker or date stands alone unless it opens like a follow-up."""
    if _FOLLOWUP_START.match(question):
        return True
    if speakers or date_range is not None:
        return False
    return bool(_PRONOUN.search(question)) or len(question.split()) <= _SHORT_FOLLOWUP_WORDS


def clip(text: str) -> str:
    """The first MAX_QUERY_WORDS words of `text`: what is encoded and searched."""
    return " ".join(text.split()[:MAX_QUERY_WORDS])
