"""When to say "nothing answers this": key terms the corpus never uses, and top passages that
hold too little of the question's content."""

from __future__ import annotations

import re

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from assistant.dates import MONTHS
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.query import Query
from assistant.retrieval.view import WORD, CorpusView

# Words that frame a question rather than say what it is about.
_FRAMING_WORDS = (
    "say said says saying think thinks thought talk talked talking comment commented comments "
    "discuss discussed mention mentioned ask asked tell told respond responded response react "
    "reacted reaction explain explained describe described view views take position stance "
    "feel feels believe believes expect expected remark remarks press conference briefing "
    "meeting transcript"
)
# Function words (bm25s' fuller English list) never count as content a passage must hold.
FUNCTION_WORDS = set(STOPWORDS_EN_PLUS) | {"would", "could", "anything", "much", "many"}
FRAMING_STEMS = {Stemmer.Stemmer("english").stemWord(w) for w in _FRAMING_WORDS.split()}


def missing_terms(view: CorpusView, question: str) -> list[str]:
    """Key terms of the question (names, acronyms, rare words) found nowhere in the corpus."""
    missing = []
    for m in re.finditer(r"[\w'’.-]+", question):
        word = m.group(0).strip(".'’-")
        low = word.lower().removesuffix("'s").removesuffix("’s")
        if not word or low in view.stopwords or low in MONTHS or word.isdigit():
            continue
        is_name = word[0].isupper() and m.start() > 0
        is_acronym = sum(ch.isupper() for ch in word) >= 2
        if not (is_name or is_acronym):
            continue
        stems = view.tokens(low)
        if stems and all(s not in view.vocab for s in stems):
            missing.append(word)
    return missing


def coverage(
    view: CorpusView,
    question: str,
    query: Query,
    chosen: list[tuple[int, float]],
    cfg: RetrievalConfig,
) -> float:
    """Share of the question's content (IDF-weighted stems; framing words, names of speakers
    and dates left out) found in the best passage among `chosen`, with the question it
    answers. Low coverage means the passages are about something else: abstain."""
    skip = FRAMING_STEMS | set(view.tokens(" ".join(query.speakers)))
    weights = {}
    absent = cfg.absent_term_weight * float(view.idf.max(initial=0.0))
    for word in WORD.findall(question.lower()):
        if word in FUNCTION_WORDS or word in MONTHS or word.isdigit():
            continue  # dates are matched by the date logic, not by words
        for t in view.tokens(word):
            if t in skip:
                continue
            # A word the corpus never uses cannot be covered: it counts against the passages.
            # The floor keeps words found everywhere in a small corpus from weighing nothing.
            weights[t] = max(float(view.idf[view.vocab[t]]), 1.0) if t in view.vocab else absent
    total = sum(weights.values())
    if total == 0 or not chosen:
        return 1.0 if total == 0 else 0.0
    best = 0.0
    index = view.index
    for i, _ in chosen:
        chunk = index.chunks[i]
        text = chunk.text
        if chunk.question:
            record = index.documents[chunk.document]
            text += " " + record.paragraphs[chunk.question - 1].text
        present = set(view.tokens(text))
        best = max(best, sum(w for t, w in weights.items() if t in present) / total)
    return best
