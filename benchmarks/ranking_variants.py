"""Experiment (not shipped): the shipped pipeline with one ranking part changed, on dev, the
two blind sets and QMSum val (own meeting), side by side with the shipped figures.

Variants:
- `shipped`: nothing changed;
- `bm25:K1,B`: BM25 rebuilt over the same passages' texts with those parameters (bm25s's are
  1.5, 0.75; Anserini's and BEIR's baseline 0.9, 0.4);
- `bm25-previous`: BM25 rebuilt over the passages' texts with the paragraph before each
  passage that answers no question;
- `bm25-answered`: BM25 rebuilt over the passages' texts with, for a question, the first
  paragraph answering it;
- `bm25-unasked`: BM25 rebuilt over the passages' own words, without the question an answer
  answers;
- `dense-unlabelled`, `dense-untitled`: every passage embedded again without its speaker's
  label, or without its transcript's title (the vectors kept in memory only);
- `expand:COS`: the BM25 query with each question word's 3 nearest corpus words by embedding
  at cosine COS or closer (`expand:COS,other`: only words not beginning as the question's
  word does, synonyms rather than other forms of it);
- `asked-first`: the question an answer answers read (embedded and by BM25) for the answer's
  first window only;
- `dense-context:N`: every passage of fewer than N words embedded again with the paragraphs
  around it (30 words of each);
- `bm25-unframed`: the BM25 query without the words that frame a question ("say", "think",
  "discussion", "summarize": `relevance.MEETING_FRAMING_STEMS`);
- `bm25-pairs:W`: the BM25 score plus W times a second BM25's over adjacent stem pairs of
  the passage and of the query (a phrase bonus, as in the sequential dependence model);
- `speaker-length:N`: the named speaker's boost scaled by the turn's length, full from N words
  (a one-word turn "Hmm." matches a question by its label alone);
- `headless:L`: each dense candidate ranked by its cosine less L times the question's cosine
  to the passage's header alone (its transcript's title and its speaker's label, embedded
  once each), so a short turn no longer matches by its label;
- `bare-voter:W`: a third voter in the fusion, weighted W: the dense ranking over the passages
  embedded without title and label (re-embedded);
- `sentence-bm25:W`: a third voter in the fusion, weighted W: passages ranked by their best
  sentence's BM25 score (a second BM25 over the passages' sentences);
- `question-run:N`: an answer read (BM25 and embedding) with its asker's whole question where
  the official broke in with an answer of at most N words ("Yes."), the changed passages
  embedded again in memory;
- `participant-questions`: a question by a speaker who answers others in that transcript (a
  meeting's participant, not a reporter) keeps its own score, unpenalised;
- `opening-lift:F`: a later paragraph of a multi-paragraph answer gets F of the lift its
  reporter's question passes, the answer's opening paragraph all of it;
- `config:KEY=VALUE[,KEY=VALUE...]`: `RetrievalConfig` with those fields changed (numbers,
  true/false), e.g. `config:question_lift=0.6`.

With `--all-meetings`, each QMSum question is also asked of the whole QMSum corpus.

Besides the figures, each line gives the share of the passages shown (top 5) that say nothing
("Right.", "We can decide.": fewer than two content words, `retrieval/content.py`).

Reads the indexes (int8 unless `--encoder torch`) that `benchmarks/quality.py` leaves under
its `--work` folder and changes nothing on disk. docs/quality.md records the results under "Tried ... and not kept".

    .venv/bin/python benchmarks/ranking_variants.py shipped bm25:0.9,0.4 speaker-length:20 \
        --indexes /work/cache/quality-bench
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import SHARED, plain, row_texts, shipped, texts_of  # noqa: E402

import assistant.retrieval.candidates as candidates  # noqa: E402
import assistant.retrieval.lift as lift  # noqa: E402
import assistant.retrieval.retriever as retriever_module  # noqa: E402
from assistant import Assistant, RetrievalConfig  # noqa: E402
from assistant.evaluation import evaluate, load_questions, load_span_questions  # noqa: E402
from assistant.passages import embedding_text, lexical_text  # noqa: E402
from assistant.retrieval.content import content_count  # noqa: E402
from assistant.retrieval.relevance import MEETING_FRAMING_STEMS  # noqa: E402
from assistant.retrieval.retriever import Retriever  # noqa: E402
from assistant.retrieval.sentences import sentences_of  # noqa: E402
from assistant.tokens import bm25_tokenizer  # noqa: E402
from assistant.transcripts import ANSWER, QUESTION  # noqa: E402
from embeddings import load_model  # noqa: E402
from embeddings.models import model_name  # noqa: E402
from embeddings.vectors import VectorIndex  # noqa: E402

SHIPPED_BOOST = lift.boost_named
SHIPPED_QUERY = candidates.query_tokens
SHIPPED_SCORES = candidates.lexical_scores
SHIPPED_SEARCH = candidates.search
SHIPPED_FUSE = retriever_module.fuse
SHIPPED_LIFT = lift.lift_answers


def pairs_of(stems: list[str]) -> list[str]:
    """Adjacent stems as one word each ("remot_control"): a phrase of the text or question."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(stems)]


def with_pairs(weight: float, indexes: dict):
    """`candidates.lexical_scores` plus `weight` times a second BM25's score over adjacent
    stem pairs (a phrase bonus, as the sequential dependence model gives one); `indexes`
    holds each index's pair BM25 and its vocabulary, by the index's id."""

    def lexical_scores(view, tokens, mask):
        scores = SHIPPED_SCORES(view, tokens, mask)
        bm25, vocab = indexes[id(view.index)]
        wanted = [vocab[p] for p in pairs_of(tokens) if p in vocab]
        if wanted:
            extra = bm25.get_scores(wanted, weight_mask=mask)
            scores = scores + weight * extra
        return scores

    return lexical_scores


def pair_bm25(index):
    """A BM25 over each passage's adjacent stem pairs, and its vocabulary."""
    import bm25s

    from assistant.tokens import tokens as stems_of

    docs = [pairs_of(stems_of(t)) for t in row_texts(index, lexical_text)]
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(p, len(vocab)) for p in d] for d in docs]
    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    return bm25, vocab


def unframed_query(view, query, cfg) -> list[str]:
    """The shipped BM25 query less the words that frame a question."""
    return [t for t in SHIPPED_QUERY(view, query, cfg) if t not in MEETING_FRAMING_STEMS]


def rebuild_bm25(index, k1: float, b: float, text=lexical_text):
    """A BM25 over the index's passages read by `text` (the index's own BM25 texts unless
    given) with (k1, b); the vocabulary is the index's."""
    import bm25s

    if text is lexical_text:
        tokenizer = bm25_tokenizer()
        tokens = tokenizer.tokenize(
            row_texts(index, text), update_vocab=True, return_as="tuple", show_progress=False
        )
        if tokenizer.get_vocab_dict() != index.tokenizer.get_vocab_dict():
            raise SystemExit("the rebuilt vocabulary differs from the index's")
    else:  # fewer words than the index's texts: its vocabulary holds them all
        tokens = index.tokenizer.tokenize(
            row_texts(index, text), update_vocab=False, return_as="tuple", show_progress=False
        )
    bm25 = bm25s.BM25(k1=k1, b=b)
    bm25.index(tokens, show_progress=False)
    return bm25


def unlabelled_embedding(chunk, transcript) -> str:
    """`embedding_text` without the speaker's label."""
    return embedding_text(dataclasses.replace(chunk, speaker=""), transcript)


def unasked_text(chunk, transcript) -> str:
    """`lexical_text` without the question an answer answers: the passage's words alone."""
    return lexical_text(dataclasses.replace(chunk, question=None), transcript)


def previous_text(chunk, transcript) -> str:
    """`lexical_text` with the paragraph before, for a passage that answers no question."""
    text = lexical_text(chunk, transcript)
    if chunk.question or chunk.paragraph < 2:
        return text
    return f"{text} {transcript.paragraphs[chunk.paragraph - 2].text}"


def answered_text(index):
    """`lexical_text`, and for a passage that asks, the first paragraph answering it."""
    answer_of: dict[tuple[str, int], int] = {}
    for c in index.chunks:
        if c.question:
            answer_of.setdefault((c.document, c.question), c.paragraph)

    def text(chunk, transcript) -> str:
        own = lexical_text(chunk, transcript)
        answer = answer_of.get((chunk.document, chunk.paragraph))
        if answer is None:
            return own
        return f"{own} {transcript.paragraphs[answer - 1].text}"

    return text


def question_run(max_words: int):
    """`text(chunk, transcript)` makers where an answer's question is its asker's whole run:
    the question paragraph and, before it, the same asker's questions separated from it only
    by answers of at most `max_words` words ("Yes.", "Go ahead."): a reporter's question
    interrupted by the official's "Yes." is read whole. The shipped `lexical_text` and
    `embedding_text` read it, so nothing else differs."""

    def with_run(chunk, transcript):
        if not (chunk.role == ANSWER and chunk.question):
            return transcript
        ps = list(transcript.paragraphs)
        q = chunk.question - 1
        parts = [ps[q].text]
        first = q
        while (
            first >= 2
            and len(parts) < 4
            and ps[first - 1].role == ANSWER
            and len(ps[first - 1].text.split()) <= max_words
            and ps[first - 2].role == QUESTION
            and ps[first - 2].speaker == ps[q].speaker
        ):
            first -= 2
            parts.insert(0, ps[first].text)
        ps[q] = dataclasses.replace(ps[q], text=" ".join(parts))
        return dataclasses.replace(transcript, paragraphs=tuple(ps))

    def lexical(chunk, transcript) -> str:
        return lexical_text(chunk, with_run(chunk, transcript))

    def embedding(chunk, transcript) -> str:
        return embedding_text(chunk, with_run(chunk, transcript))

    return lexical, embedding


def changed_vectors(qa, model, text) -> VectorIndex:
    """The index's vectors with the passages whose `text` differs from the shipped
    `embedding_text` embedded again (the rest copied)."""
    old = row_texts(qa.index, embedding_text)
    new = row_texts(qa.index, text)
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    vectors = np.array(qa.index.vectors.vectors, dtype=np.float32)
    if changed:
        vectors[changed] = model.encode([new[i] for i in changed], batch_size=64)
    print(f"  {len(changed)} passages embedded again", flush=True)
    return VectorIndex.build(vectors)


BM25_TEXTS = {
    "bm25-unasked": lambda index: unasked_text,
    "bm25-previous": lambda index: previous_text,
    "bm25-answered": answered_text,
}


def untitled_embedding(chunk, transcript) -> str:
    """`embedding_text` without the transcript's title."""
    return embedding_text(chunk, dataclasses.replace(transcript, title="")).lstrip()


def expanded_query(model, cosine: float, top: int = 3, other_words: bool = False):
    """`candidates.query_tokens` plus, for each content word of the question, the stems of its
    `top` nearest words of the corpus by embedding at `cosine` or closer (query expansion by
    near-synonyms: "bullion" finding "gold"); the corpus's words (letters only, 3 or more
    times in its passages, not stop words) are embedded once per index."""
    import re
    from collections import Counter

    import numpy as np
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    from assistant.retrieval.relevance import FUNCTION_WORDS

    word = re.compile(r"[a-z]{3,}")
    stop = set(STOPWORDS_EN_PLUS) | set(FUNCTION_WORDS)
    vocabularies: dict[int, tuple[list[tuple[str, ...]], np.ndarray]] = {}

    def vocabulary(view):
        if id(view.index) not in vocabularies:
            counts: Counter[str] = Counter()
            for row in range(len(view.index.chunks)):
                counts.update(word.findall(view.index.chunks[row].text.lower()))
            words = sorted(w for w, n in counts.items() if n >= 3 and w not in stop)
            stems = [tuple(view.tokens(w)) for w in words]
            vocabularies[id(view.index)] = (words, stems, model.encode(words, batch_size=256))
        return vocabularies[id(view.index)]

    def query_tokens(view, query, cfg) -> list[str]:
        tokens = SHIPPED_QUERY(view, query, cfg)
        asked = [w for w in word.findall(query.searched.lower()) if w not in stop]
        if not asked:
            return tokens
        words, stems, vectors = vocabulary(view)
        sims = model.encode(asked) @ vectors.T
        extra: list[str] = []
        for w, row in zip(asked, sims, strict=True):
            for j in np.argsort(-row)[:top]:
                if row[j] < cosine:
                    break
                if other_words and words[j][:4] == w[:4]:
                    continue
                extra += [s for s in stems[j] if s in view.vocab and s not in tokens + extra]
        return tokens + extra

    return query_tokens


def asked_first(text):
    """`text` (`embedding_text` or `lexical_text`) with the question an answer answers read
    for the answer's first window only: a later window of a long answer is read by its own
    words (the reporter's question, which every window carried, made a short last window on
    another topic match the question by the question alone)."""

    def first_only(chunk, transcript) -> str:
        paragraph = transcript.paragraphs[chunk.paragraph - 1]
        if chunk.question and chunk.start > paragraph.start:
            chunk = dataclasses.replace(chunk, question=None)
        return text(chunk, transcript)

    return first_only


def context_embedding(short: int, words: int = 30):
    """`embedding_text` with, for a passage of fewer than `short` words, the paragraphs just
    before and after it (up to `words` words each): a short turn ("Special colour ,") read in
    the discussion it belongs to."""

    def text(chunk, transcript) -> str:
        base = embedding_text(chunk, transcript)
        if len(chunk.text.split()) >= short:
            return base
        paragraphs = transcript.paragraphs
        before = paragraphs[chunk.paragraph - 2].text if chunk.paragraph > 1 else ""
        after = paragraphs[chunk.paragraph].text if chunk.paragraph < len(paragraphs) else ""
        before = " ".join(before.split()[-words:])
        after = " ".join(after.split()[:words])
        return f"{base} (before: {before}) (after: {after})"

    return text


def boost_by_length(full: int):
    """`lift.boost_named` with the speaker's boost scaled by the turn's words, full from
    `full`; the date boost of follow-ups as shipped."""

    def boost_named(view, fused, query, named_speakers, cfg) -> None:
        if named_speakers:
            codes = view.speaker_codes(named_speakers)
            for i in fused:
                if view.chunk_speaker[i] in codes:
                    words = len(view.index.chunks[i].text.split())
                    fused[i] *= 1 + cfg.speaker_boost * min(1.0, words / full)
        SHIPPED_BOOST(view, fused, query, (), cfg)

    return boost_named


def headless_search(model, weight: float):
    """`candidates.search` with the dense candidates re-ranked by their cosine less `weight`
    times the question's cosine to their header ("QMSum Academic meeting Bro011 Professor A:")."""
    headers: dict[tuple[int, int, int], np.ndarray] = {}

    def search(view, query, vector, mask, cfg, **kwargs):
        found = SHIPPED_SEARCH(view, query, vector, mask, cfg, **kwargs)
        rows = list(found.dense_rank)
        if not rows:
            return found
        keys = [(id(view.index), int(view.chunk_doc[i]), int(view.chunk_speaker[i])) for i in rows]
        new = {}
        for key, i in zip(keys, rows, strict=True):
            if key not in headers:
                c = view.index.chunks[i]
                title = view.index.documents[c.document].title
                new[key] = " ".join([title, *([f"{c.speaker}:"] if c.speaker else [])])
        if new:
            headers.update(zip(new, model.encode(list(new.values())), strict=True))
        label = np.array([headers[k] for k in keys]) @ vector
        adjusted = np.array([found.dense_of[i] for i in rows]) - weight * label
        order = np.argsort(-adjusted, kind="stable")
        found.dense_rank = {rows[o]: r for r, o in enumerate(order)}
        return found

    return search


def third_voter(weight: float, ranking):
    """`candidates.search` and `fuse` with a third voter weighted `weight` (each of the two
    shipped voters weighs 1): `ranking(view, query, vector, mask, cfg)`, the rows of its best
    `cfg.candidates` passages within `mask`, best first."""
    ranks: dict[int, int] = {}

    def search(view, query, vector, mask, cfg, **kwargs):
        found = SHIPPED_SEARCH(view, query, vector, mask, cfg, **kwargs)
        ranks.clear()
        ranks.update({int(i): r for r, i in enumerate(ranking(view, query, vector, mask, cfg))})
        new = [i for i in ranks if i not in found.dense_of]
        if new:
            scores = view.index.vectors.scores(vector, np.array(new))
            found.dense_of.update(zip(new, map(float, scores), strict=True))
        return found

    def fuse(ids, dense_rank, dense_of, lexical_rank, lexical_of, cfg, *rest):
        fused = SHIPPED_FUSE(ids, dense_rank, dense_of, lexical_rank, lexical_of, cfg, *rest)
        for i, r in ranks.items():
            fused[i] = fused.get(i, 0.0) + weight / (cfg.rrf_k + r + 1)
        return fused

    return search, fuse


def bare_voter(weight: float, bare: dict):
    """A third voter (`third_voter`): the dense ranking over `bare[id of index]` (a
    `VectorIndex` of the passages without title and label)."""

    def ranking(view, query, vector, mask, cfg):
        allowed = None if mask is None else np.flatnonzero(mask)
        _, ids = bare[id(view.index)].search(vector, cfg.candidates, allowed)
        return [int(i) for i in ids[0] if i >= 0]

    return third_voter(weight, ranking)


def sentence_bm25(weight: float):
    """A third voter (`third_voter`): passages ranked by their best sentence's BM25 score (a
    second BM25 over the sentences `retrieval/sentences.py` embeds, read without their label),
    so that a long answer is not diluted by its other topics."""
    import bm25s

    built: dict[int, tuple] = {}

    def index_of(index):
        if id(index) not in built:
            texts, rows = [], []
            for row in range(len(index.chunks)):
                for sentence in sentences_of(index.chunks[row].text):
                    texts.append(sentence)
                    rows.append(row)
            tokens = index.tokenizer.tokenize(
                texts, update_vocab=False, return_as="tuple", show_progress=False
            )
            bm25 = bm25s.BM25()
            bm25.index(tokens, show_progress=False)
            built[id(index)] = (bm25, np.asarray(rows))
        return built[id(index)]

    def ranking(view, query, vector, mask, cfg):
        tokens = SHIPPED_QUERY(view, query, cfg)
        if not tokens:
            return []
        bm25, rows = index_of(view.index)
        scores = bm25.get_scores([view.vocab[t] for t in tokens])
        if mask is not None:
            scores = np.where(mask[rows], scores, 0.0)
        best = np.zeros(len(view.index.chunks))
        np.maximum.at(best, rows, scores)
        return [int(i) for i in np.argsort(-best, kind="stable")[: cfg.candidates] if best[i] > 0]

    return third_voter(weight, ranking)


def bare_embedding(chunk, transcript) -> str:
    """`embedding_text` without the transcript's title or the speaker's label."""
    return untitled_embedding(dataclasses.replace(chunk, speaker=""), transcript)


def participant_questions():
    """`lift.lift_answers` with a question by a speaker who answers others in its transcript
    keeping its own score (the penalty kept for reporters, who answer nothing)."""
    answering: dict[int, set] = {}

    def lift_answers(view, fused, dense_of, vector, mask, cfg, named=frozenset()) -> None:
        if id(view) not in answering:
            rows = view.chunk_role == ANSWER
            pairs = zip(
                view.chunk_doc[rows].tolist(), view.chunk_speaker[rows].tolist(), strict=True
            )
            answering[id(view)] = set(pairs)
        asked = {i: fused[i] for i in fused if view.chunk_role[i] == QUESTION}
        SHIPPED_LIFT(view, fused, dense_of, vector, mask, cfg, named)
        for i, score in asked.items():
            if (int(view.chunk_doc[i]), int(view.chunk_speaker[i])) in answering[id(view)]:
                fused[i] = score

    return lift_answers


def opening_lift(factor: float):
    """`lift.lift_answers` with a later paragraph of a multi-paragraph answer given `factor` of
    the lift its reporter's question passes (the answer's opening paragraph all of it): the
    direct reply comes first ("I don't have a specific reaction to the proposed merger ...")."""

    def lift_answers(view, fused, dense_of, vector, mask, cfg, named=frozenset()) -> None:
        before = dict(fused)
        SHIPPED_LIFT(view, fused, dense_of, vector, mask, cfg, named)
        chunks = view.index.chunks
        for i in before:
            if view.chunk_role[i] != QUESTION:
                continue
            chunk = chunks[i]
            answer = view.answers_to.get((chunk.document, chunk.paragraph), [])
            if not answer:
                continue
            opening = min(chunks[j].paragraph for j in answer)
            for j in answer:
                if chunks[j].paragraph != opening and j in fused:
                    added = fused[j] - before.get(j, 0.0)
                    fused[j] = before.get(j, 0.0) + factor * added

    return lift_answers


def config_of(value: str) -> RetrievalConfig:
    """`RetrievalConfig()` with the fields of "key=value,key=value" changed, each value read
    as the field's type."""
    defaults = RetrievalConfig()
    changes: dict = {}
    for pair in filter(None, value.split(",")):
        key, _, raw = pair.partition("=")
        if not hasattr(defaults, key):
            raise SystemExit(f"RetrievalConfig has no field {key!r}")
        kind = type(getattr(defaults, key))
        changes[key] = raw.lower() in ("1", "true", "yes") if kind is bool else kind(raw)
    return dataclasses.replace(defaults, **changes)


def saying_nothing(ask, view):
    """`ask`, counting the passages it shows in its top 5 that carry fewer content words than
    the shipped `min_content_words` ("Right.", "We can decide.": `retrieval.content`), and
    those whose own words hold none of the question's (its stems less the words that frame a
    question and the passage's speaker's name: a window of an answer on another topic, shown
    for the question it answers), and a function saying their shares; for a question naming a
    date (`filters["date_in_question"]`), the share of its passages from that date."""
    least = RetrievalConfig().min_content_words
    shown = [0, 0, 0]
    dated = [0, 0]

    def counted(q):
        answer = ask(q)
        top = answer.passages[:5] if answer.answered else []
        asked = set(view.tokens(q.question)) - MEETING_FRAMING_STEMS
        shown[0] += len(top)
        shown[1] += sum(content_count(p.text, least) < least for p in top)
        for p in top:
            wanted = asked - set(view.tokens(p.citation.speaker or ""))
            shown[2] += bool(wanted) and not wanted & set(view.tokens(p.text))
        if "date_in_question" in answer.filters:
            low, high = answer.filters["date_in_question"]  # None: an open end ("since 2022")
            low, high = low or "", high or "9999"
            dated[0] += len(top)
            dated[1] += sum(bool(p.citation.date) and low <= p.citation.date <= high for p in top)
        return answer

    def said() -> str:
        n = max(shown[0], 1)
        line = (
            f"top 5 saying nothing {shown[1] / n:.3f}, holding none of its words {shown[2] / n:.3f}"
        )
        if dated[0]:
            line += f", the dated questions' from their date {dated[1] / dated[0]:.3f}"
        return line

    return counted, said


def summary(report) -> str:
    s = report.summary()
    return (
        f"hit@1 {s['hit@1']:.3f} hit@5 {s['hit@5']:.3f} MRR@10 {s['mrr@10']:.3f} "
        f"declined {s.get('declined') or 0:.3f} wrongly declined {s['wrongly_declined']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--indexes", type=Path, default=Path("/work/cache/quality-bench"))
    parser.add_argument(
        "--encoder", default="onnx-int8", help="the indexes' encoder: onnx-int8, torch"
    )
    parser.add_argument(
        "--all-meetings",
        action="store_true",
        help="also ask each QMSum question of the whole QMSum corpus (a change ranking one "
        "transcript's passages against another's shows only there)",
    )
    args = parser.parse_args()
    model = load_model(model_name(args.encoder))
    shared = Assistant.load(args.indexes / f"shared-{args.encoder}", model=model)
    qmsum = Assistant.load(args.indexes / f"qmsum-{args.encoder}", model=model)
    sets = [
        ("dev", shared, load_questions(SHARED / "eval" / "dev.jsonl"), False),
        ("blind", shared, load_questions(ROOT / "benchmarks" / "blind.jsonl"), False),
        ("blind 2", shared, load_questions(ROOT / "benchmarks" / "blind2.jsonl"), False),
        ("QMSum own meeting", qmsum, load_span_questions(SHARED / "bench" / "qmsum-val"), True),
    ]
    if args.all_meetings:
        sets.append(("QMSum all meetings", qmsum, sets[-1][2], False))
    originals = {id(qa): qa.index.bm25 for qa in (shared, qmsum)}
    vectors = {id(qa): qa.index.vectors for qa in (shared, qmsum)}
    pair_indexes: dict = {}
    for variant in args.variants:
        kind, _, value = variant.partition(":")
        config = RetrievalConfig()
        lift.boost_named = SHIPPED_BOOST
        candidates.query_tokens = SHIPPED_QUERY
        candidates.lexical_scores = SHIPPED_SCORES
        candidates.search = SHIPPED_SEARCH
        retriever_module.fuse = SHIPPED_FUSE
        lift.lift_answers = SHIPPED_LIFT
        for qa in (shared, qmsum):
            qa.index.bm25 = originals[id(qa)]
            qa.index.vectors = vectors[id(qa)]
        if kind == "bm25":
            k1, b = (float(x) for x in value.split(","))
            for qa in (shared, qmsum):
                qa.index.bm25 = rebuild_bm25(qa.index, k1, b)
        elif kind == "bm25-unframed":
            candidates.query_tokens = unframed_query
        elif kind in BM25_TEXTS:  # each a function of the index giving the text function
            for qa in (shared, qmsum):
                qa.index.bm25 = rebuild_bm25(qa.index, 1.5, 0.75, BM25_TEXTS[kind](qa.index))
        elif kind in ("dense-unlabelled", "dense-untitled"):
            text = unlabelled_embedding if kind == "dense-unlabelled" else untitled_embedding
            for qa in (shared, qmsum):
                texts = row_texts(qa.index, text)
                qa.index.vectors = VectorIndex.build(model.encode(texts, batch_size=64))
        elif kind == "question-run":
            lexical, embedding = question_run(int(value or 3))
            for qa in (shared, qmsum):
                qa.index.bm25 = rebuild_bm25(qa.index, 1.5, 0.75, lexical)
                qa.index.vectors = changed_vectors(qa, model, embedding)
        elif kind == "expand":
            cosine, _, how = value.partition(",")
            candidates.query_tokens = expanded_query(
                model, float(cosine), other_words=how == "other"
            )
        elif kind == "asked-first":
            for qa in (shared, qmsum):
                texts = row_texts(qa.index, asked_first(embedding_text))
                qa.index.vectors = VectorIndex.build(model.encode(texts, batch_size=64))
                qa.index.bm25 = rebuild_bm25(qa.index, 1.5, 0.75, asked_first(lexical_text))
        elif kind == "dense-context":
            for qa in (shared, qmsum):
                texts = row_texts(qa.index, context_embedding(int(value)))
                qa.index.vectors = VectorIndex.build(model.encode(texts, batch_size=64))
        elif kind == "bm25-pairs":
            for qa in (shared, qmsum):
                if id(qa.index) not in pair_indexes:
                    pair_indexes[id(qa.index)] = pair_bm25(qa.index)
            candidates.lexical_scores = with_pairs(float(value), pair_indexes)
        elif kind == "speaker-length":
            lift.boost_named = boost_by_length(int(value))
        elif kind == "headless":
            candidates.search = headless_search(model, float(value))
        elif kind == "bare-voter":
            bare = {
                id(qa.index): VectorIndex.build(
                    model.encode(row_texts(qa.index, bare_embedding), batch_size=64)
                )
                for qa in (shared, qmsum)
            }
            candidates.search, retriever_module.fuse = bare_voter(float(value), bare)
        elif kind == "sentence-bm25":
            candidates.search, retriever_module.fuse = sentence_bm25(float(value))
        elif kind == "participant-questions":
            lift.lift_answers = participant_questions()
        elif kind == "opening-lift":
            lift.lift_answers = opening_lift(float(value))
        elif kind == "config":
            config = config_of(value)
        elif kind != "shipped":
            raise SystemExit(f"unknown variant {variant!r}")
        print(variant, flush=True)
        for name, qa, questions, own in sets:
            retriever = Retriever(qa.index, model, config)
            ask, said = saying_nothing(shipped(retriever, own), retriever.view)
            report = evaluate(questions, ask, texts_of(qa.index))
            line = f"  {name}: {summary(report)}, {said()}"
            if kind == "bm25" and name != "blind":
                bm25 = evaluate(questions, plain(qa.index, model, "bm25", own), texts_of(qa.index))
                line += f" (plain BM25 hit@5 {bm25.summary()['hit@5']:.3f})"
            print(line, flush=True)


if __name__ == "__main__":
    main()
