"""One tokeniser for the BM25 index and the question: English exactly as bm25s' default,
Chinese and Japanese as character pairs."""

from __future__ import annotations

import bm25s.tokenization
import Stemmer

from assistant.tokens import bm25_tokenizer, split, tokens

from .conftest import SHARED_CORPUS, needs_shared


def _bm25s_default() -> bm25s.tokenization.Tokenizer:
    """The tokeniser the index used before text without spaces was read."""
    return bm25s.tokenization.Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="english")


def _strings(tokenizer, texts: list[str]) -> list[list[str]]:
    out = tokenizer.tokenize(texts, update_vocab=True, return_as="string", show_progress=False)
    return [[t for t in row if t] for row in out]


@needs_shared
def test_english_tokens_are_exactly_bm25s_defaults_on_the_shared_corpus():
    """Every paragraph of ../shared/corpus tokenises as before: same stems, same order."""
    texts = [
        paragraph
        for path in sorted(SHARED_CORPUS.rglob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if paragraph.strip()
    ]
    assert len(texts) > 5000
    assert _strings(bm25_tokenizer(), texts) == _strings(_bm25s_default(), texts)


def test_the_question_side_tokenises_as_the_index_does():
    """`tokens()` (question, coverage, highlights) equals what the index's tokeniser holds."""
    texts = [
        "What did Powell say about the U.S. economy's 2% target?",
        "沈蓓莉：我们分享了发展经验，深化了交流。",
        "Mixed 美联储加息 and rates; 日本語のテキスト",
        "a I — ½ naïve café 'quoted'",
    ]
    assert [tokens(t) for t in texts] == _strings(bm25_tokenizer(), texts)


def test_chinese_is_read_as_overlapping_character_pairs():
    assert split("美联储加息") == ["美联", "联储", "储加", "加息"]
    assert split("党，好") == ["党", "好"]  # a lone character is itself
    assert split("fed 加息 rates") == ["fed", "加息", "rates"]
