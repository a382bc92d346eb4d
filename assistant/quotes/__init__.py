"""Quote check: whether, where, when and by whom each quote of a text was said.

`extract` finds the quotes of a text and their attributions, `align` places a quote's words in a
stretch of transcript with rapidfuzz, `claims` judges a claimed speaker, `checker` runs a quote
through candidates, alignment and verdict over a loaded index, `report` holds the results.
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
