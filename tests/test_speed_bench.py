"""benchmarks/speed.py's own logic: what txtai is given, and how turns combine."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import speed  # benchmarks/ is not a package


def test_peer_windows_cover_every_word_once(small_corpus: Path) -> None:
    """txtai gets all of the text: every paragraph word in exactly one window of at most
    WINDOW_WORDS words, each window an exact span of its document, titled."""
    from assistant.corpus import find_sources, read_document

    long_paragraph = " ".join(f"word{i}" for i in range(400))
    (small_corpus / "long.txt").write_text(
        f"Briefing on words, 2020-01-02\n\nMR. EARNEST: {long_paragraph}\n", encoding="utf-8"
    )
    windows = speed.peer_windows(small_corpus)
    texts = {s.document: read_document(s) for s in find_sources(small_corpus)[0]}
    for document, start, end, text in windows:
        read = texts[document]
        assert text == f"{read.transcript.title}. {read.text[start:end]}"
        assert len(read.text[start:end].split()) <= speed.WINDOW_WORDS
    for document, read in texts.items():
        words = sum(len(p.text.split()) for p in read.transcript.paragraphs)
        covered = sum(len(read.text[s:e].split()) for d, s, e, _ in windows if d == document)
        assert covered == words
    assert sum(1 for w in windows if w[0] == "long.txt") == 3  # 400 words: 150 + 150 + 100


def test_merge_turns_spreads_runs() -> None:
    """One-run figures become the spread over turns; ratios join; peak RSS is the largest."""
    runs = [
        {"index_s": speed.spread([10.0]), "ratios": [1.0], "peak_rss_mb": 5, "passages": 9},
        {"index_s": speed.spread([14.0]), "ratios": [0.9], "peak_rss_mb": 7, "passages": 9},
    ]
    merged = speed.merge_turns(runs)
    assert merged["index_s"] == {"min": 10.0, "median": 12.0, "max": 14.0, "n": 2}
    assert merged["ratios"] == [1.0, 0.9]
    assert merged["peak_rss_mb"] == 7 and merged["passages"] == 9
