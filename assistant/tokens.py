"""The words of a text as lexical search counts them: one tokeniser for the index and the question.

English (and every script written with spaces) is read as bm25s reads it by default: lower-cased
runs of two or more word characters, English stop words out, Snowball English stems. Scripts
written without spaces (Chinese, Japanese kana) have no words to find, so each run of them is
read as its overlapping character pairs (a lone character as itself), the usual way of searching
such text without a segmenter (Lucene's CJK bigrams): "美联储加息" -> 美联 联储 储加 加息.

`bm25_tokenizer()` is what the index is built and loaded with; `tokens()` is what the question
side (query terms, coverage, highlights) uses, with the same splitter, stop words and stemmer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from embeddings.models import UNSPACED_CHARS

# Han (with extensions and compatibility forms), kana and half-width katakana.
CJK_CHARS = UNSPACED_CHARS
_CJK = re.compile(f"[{CJK_CHARS}]")
_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s' default splitter: English tokens stay as they were
_PIECE = re.compile(rf"[{CJK_CHARS}]+|(?:(?![{CJK_CHARS}])\w)+")

# A word as lengths are counted (passage windows, front matter): a run of non-spaces, or one
# character of a script written without spaces (the model reads about a word piece for each).
UNIT = re.compile(rf"[{CJK_CHARS}]|[^\s{CJK_CHARS}]+")

STOPWORDS: frozenset[str] = frozenset(STOPWORDS_EN)
_local = threading.local()  # PyStemmer objects are not thread-safe


def has_cjk(text: str) -> bool:
    """Whether `text` holds a character of a script written without spaces."""
    return _CJK.search(text) is not None


def is_acronym(word: str) -> bool:
    """Two capitals or more in one word ("FTX", "DoJ", "H1N1"): letters that stand for words."""
    return sum(ch.isupper() for ch in word) >= 2


def count_words(text: str) -> int:
    """Words of `text`, each Chinese or Japanese character counted as one."""
    return len(text.split()) if not has_cjk(text) else len(UNIT.findall(text))


def split(text: str) -> list[str]:
    """The words of already lower-cased `text`, before stop words and stems: word runs of two
    or more characters, and character pairs of each run of Chinese or Japanese."""
    if not has_cjk(text):
        return _WORD.findall(text)
    out: list[str] = []
    for piece in _PIECE.findall(text):
        if _CJK.match(piece):
            if len(piece) == 1:
                out.append(piece)
            else:
                out.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        elif len(piece) > 1:
            out.append(piece)
    return out


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def tokens(text: str, stopwords: Collection[str] = STOPWORDS) -> list[str]:
    """The stems of `text` exactly as the BM25 index holds them (thread-safe)."""
    stem = _stemmer().stemWord
    return [stem(w) for w in split(text.lower()) if w not in stopwords]


def bm25_tokenizer() -> object:
    """The bm25s tokeniser the index is built and loaded with: `split`, English stop words and
    stems."""
    import bm25s.tokenization

    return bm25s.tokenization.Tokenizer(
        splitter=split, stemmer=Stemmer.Stemmer("english"), stopwords="english"
    )
