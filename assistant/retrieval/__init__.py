"""Hybrid, transcript-aware retrieval: from a question to ranked verbatim passages.

One module per stage of a question's way through it (`retriever` runs them in order):

    query        follow-ups joined to history; dates and speakers the question names
    filters      the user's speaker / document / date filters as a passage mask
    candidates   top passages by meaning (FAISS) and by words (bm25s)
    fusion       one score per candidate (reciprocal rank fusion)
    lift         a matching reporter's question lifts its answer; named speakers weigh more
    diversify    overlapping and near-duplicate passages dropped; the rest spread over the
                 transcript (`spread`: a neighbour of a passage shown comes after others)
    abstain      "nothing answers this": missing key terms, low coverage
    results      citations, context and highlighted sentences
    view         what ranking knows of the index (per-passage arrays, speakers, IDF)
    config       every weight, in `RetrievalConfig`, chosen by benchmarks/quality.py
"""

from assistant.retrieval.config import MAX_K, MAX_QUERY_WORDS, PREVIOUS, RetrievalConfig
from assistant.retrieval.fusion import fuse
from assistant.retrieval.query import Query
from assistant.retrieval.retriever import Retriever

__all__ = ["MAX_K", "MAX_QUERY_WORDS", "PREVIOUS", "Query", "RetrievalConfig", "Retriever", "fuse"]
