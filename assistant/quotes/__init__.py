"""Quote check: whether, where, when and by whom each quote of a text was said.

Along a quote's way: `extract` finds the quotes of a text and their attributions, `candidates`
finds and reads the stretches of the corpus where one may have been said, `align` places its
words in them with rapidfuzz, `matches` turns placements into cited matches with their
differences, `claims` judges the claimed speaker, `checker` runs the whole way over a loaded
index, `report` holds the results and `display` writes them as text; `cli` is `verbatim check`.
"""

from assistant.quotes.checker import QuoteChecker
from assistant.quotes.extract import MAX_QUOTE_CHARS, MAX_TEXT_CHARS, FoundQuote, find_quotes
from assistant.quotes.report import (
    CLOSE,
    EXACT,
    NOT_FOUND,
    Difference,
    Match,
    QuoteCheck,
    QuoteCheckReport,
)

__all__ = [
    "CLOSE",
    "EXACT",
    "MAX_QUOTE_CHARS",
    "MAX_TEXT_CHARS",
    "NOT_FOUND",
    "Difference",
    "FoundQuote",
    "Match",
    "QuoteCheck",
    "QuoteCheckReport",
    "QuoteChecker",
    "find_quotes",
]
