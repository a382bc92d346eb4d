"""The ranking's knobs in one frozen dataclass, as measured by benchmarks/quality.py."""

from __future__ import annotations

from dataclasses import dataclass

MAX_K = 50  # the most passages one question returns
MAX_QUERY_WORDS = 256  # a longer question is searched by its first words


@dataclass(frozen=True)
class RetrievalConfig:
    """The ranking's knobs, as measured (benchmarks/quality.py)."""

    candidates: int = 100  # from each retriever, before fusion
    ranking: str = "hybrid"  # "hybrid": fusion and the hand-set question lift below;
    # "learned": the index's ranker trained on its own question-answer pairs (`verbatim tune`),
    # where it has one (docs/quality.md: measured, not the default)
    fusion: str = "rrf"  # "rrf" (reciprocal rank fusion) or "convex" (normalised scores)
    rrf_k: int = 20
    sentence_share: float = 0.3  # share of the dense vote given to the passages' best sentence
    # (retrieval/sentences.py; indexes tuned with their sentences' vectors; 0: off)
    dense_weight: float = 0.5  # convex fusion: weight of the dense score
    question_lift: float = 0.3  # share of a matching question's score passed to its answer
    question_penalty: float = 0.5  # questions rank below answers: their own score is scaled
    speaker_boost: float = 0.5  # passages by a speaker the question names
    speaker_place: int = 1  # a named speaker's best passage shown at this place at the latest
    # (1: first; 0: off), where their boost leaves others' passages on the topic above it
    speaker_place_on_topic: bool = True  # ... their best passage holding any of the question's
    # content, where one does (not a courtesy that matches the question by their label alone)
    named_questions: bool = True  # a named speaker who answers no one (a reporter) has their
    # questions ranked as answers are, unpenalised: "What did Paul Kiernan ask?" wants them
    speaker_pool: float = 1.0  # where the candidates hold fewer than `speaker_pool_below`
    # passages by a named speaker, their passages are also ranked as a pool of their own and
    # merged at this share of their pool score (0: off): the corpus-wide candidates may hold
    # none of a reporter's questions (retrieval/retriever.py: `_speaker_pool`)
    speaker_pool_below: int = 10
    named_beside: bool = True  # a named speaker's passage just before or after a passage by
    # another speaker scores at least what that passage would had they said it (its score with
    # the speaker boost): their "just to add" to a colleague's answer on the topic
    # (retrieval/lift.py: `beside_named`)
    date_boost: float = 1.0  # follow-ups: passages dated as the earlier question asked
    followup_documents: bool = True  # follow-ups naming no date: the transcripts the earlier
    # question's answer quoted weigh as a date from it would (`date_boost`)
    date_mode: str = "prefer"  # a date in the question: "filter" to it, or "prefer" (own pool)
    question_date_boost: float = 0.3  # "prefer": extra weight of the dated pool's ranking
    followup_weight: float = 0.7  # follow-ups: weight of the question alone vs joined to history
    lift_full_words: int = 40  # answers shorter than this get a proportionally smaller lift
    duplicate_cosine: float = 0.92  # passages closer than this to a better one are dropped,
    duplicate_ratio: float = 70.0  # when their texts are also this alike (0-100; 0: cosine
    # alone; retrieval/diversify.py: `repeats`)
    spread_paragraphs: int = 5  # a passage this few paragraphs from a better one shown from the
    spread_factor: float = 0.8  # same transcript has its score scaled by this (1: off), so the
    # passages shown come from different moments (retrieval/diversify.py: `spread`)
    join_windows: bool = True  # windows of one long paragraph shown as one quote, not the first
    # window alone (retrieval/diversify.py: `join_windows`)
    join_gaps: bool = True  # ... also when windows of it between them did not make the cut
    own_words: bool = True  # the windows of one answer trade scores so that its window holding
    # most of the question's words ranks first (retrieval/lift.py: `own_words`)
    min_dense: float = 0.0  # abstain when the best passage is less similar (0: off; it is
    # model-specific and added nothing over coverage on the dev questions)
    min_coverage: float = 0.25  # abstain when the top passages hold less of the question's terms
    coverage_depth: int = 5  # how many top passages the coverage is measured over
    absent_term_weight: float = 0.5  # weight of words found nowhere, as a share of the top IDF
    missing_terms_abstain: bool = True  # abstain when a key term of the question is nowhere
    aliases: bool = True  # ... under any name the corpus uses for it (retrieval/aliases.py)
    label_words: bool = True  # ... where speakers' labels and titles count as the corpus's words
    coverage_context: int = 80  # coverage reads a short passage with its neighbours up to
    # about this many words (0: the passage alone)
    meeting_framing: bool = True  # "summarize", "discussion", "decide"... frame, not content
    scoped_coverage: bool = True  # a question put to chosen transcripts is read in their words
    synonym_cosine: float = 0.7  # below min_coverage, a common word of the question counts as
    # held by a passage with a word this close to it by embedding (0: off; retrieval/synonyms.py)
    coverage_min_terms: int = 2  # fewer content words than this: never declined for coverage
    topic_coverage: float = 0.5  # over time, a passage counts toward a topic when it holds at
    # least this share of the query's content (its rarest word, or most of the others): at
    # `min_coverage`, "right" alone counted toward "human rights" and "inflation" alone toward
    # "tariffs and inflation" (retrieval/topic.py)
    scope_share: float = 0.5  # a question put to chosen transcripts is declined when their best
    # passage matches it less than this share of how well the corpus's best does (0: off;
    # retrieval/abstain.py: `scope_share`)
    bm25_without_speakers: bool = True  # a named speaker's name is not a BM25 query word
    min_content_words: int = 2  # passages with fewer content words than this ("Right.", "We
    # can decide.") rank below all others (0: off; retrieval/content.py)
    use_dense: bool = True
    use_lexical: bool = True


# Today's ranking before issue #10 (the dev-tuned hybrid and its abstention), for comparison.
PREVIOUS = RetrievalConfig(
    aliases=False,
    label_words=False,
    coverage_context=0,
    meeting_framing=False,
    scoped_coverage=False,
    coverage_min_terms=1,
    bm25_without_speakers=False,
    spread_factor=1.0,
    scope_share=0.0,
    join_windows=False,
    join_gaps=False,
    own_words=False,
    question_date_boost=0.0,
    duplicate_ratio=0.0,
    sentence_share=0.0,
    synonym_cosine=0.0,
    min_content_words=0,
    speaker_place=0,
    speaker_place_on_topic=False,
    speaker_pool=0.0,
    named_questions=False,
    named_beside=False,
)
