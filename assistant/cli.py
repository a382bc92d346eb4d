"""The `verbatim` command: index a corpus, ask it questions, evaluate, serve the chat UI, the
JSON API and the MCP tools."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from assistant.answers import Answer
from assistant.terminal import safe, safe_json

DEFAULT_INDEX = os.environ.get("VERBATIM_INDEX", ".verbatim/index")
# No request leaves the machine: set before Gradio or the hub client is imported (ui.app forces
# the same settings again on import and at launch).
OFFLINE = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def _say(message: str) -> None:
    print(safe(message), file=sys.stderr, flush=True)


def _index(args: argparse.Namespace) -> int:
    from assistant.api import resolve_model
    from assistant.build import build_index

    model = resolve_model(Path(args.index), args.model, args.encoder)
    log = None if args.quiet else _say
    if args.ray is not None:
        from assistant.ray_build import build_on_ray

        report = build_on_ray(
            Path(args.corpus),
            Path(args.index),
            model,
            address=args.ray or None,
            log=log,
            follow_links=args.follow_links,
            wait=not args.no_wait,
        )
    else:
        report = build_index(
            Path(args.corpus),
            Path(args.index),
            model,
            show_progress=not args.quiet and sys.stderr.isatty(),
            log=log,
            batch_size=args.batch_size,
            follow_links=args.follow_links,
            wait=not args.no_wait,
        )
    if report.up_to_date:
        print(
            safe(
                f"index {args.index} is up to date: {report.documents} documents, "
                f"{report.passages} passages ({report.seconds:.1f} s)"
            )
        )
        return 0
    print(
        safe(
            f"indexed {report.documents} documents, {report.passages} passages into "
            f"{args.index} in {report.seconds:.1f} s: embedded {report.embedded}, "
            f"reused {report.reused}"
        )
    )
    for label, docs in (
        ("added", report.added),
        ("changed", report.changed),
        ("removed", report.removed),
    ):
        if docs:
            shown = ", ".join(safe(d) for d in docs[:10])
            print(f"  {label}: {shown}" + (" …" if len(docs) > 10 else ""))
    if report.skipped:
        print(f"  skipped {len(report.skipped)} file(s); see messages above")
    print(
        safe(
            f"  next: verbatim tune --index {args.index} (each passage's sentences and the "
            "corpus's names embedded, a ranking learned: the ranking docs/quality.md measures)"
        )
    )
    return 0


def _tune(args: argparse.Namespace) -> int:
    from assistant.index import CorpusIndex, log_to_stderr
    from assistant.retrieval.tune import tune_index
    from embeddings import load_model

    model = load_model(CorpusIndex.load(Path(args.index), verify=False).model_name)
    report = tune_index(
        Path(args.index),
        model,
        force=args.force,
        show_progress=not args.quiet and sys.stderr.isatty(),
        log=None if args.quiet else log_to_stderr,
    )
    if report is None:
        print(f"index {args.index} is tuned already (--force to tune it again)")
        return 0
    if report.reason == "sentences only":
        print(
            f"tuned {args.index} in {report.seconds:.1f} s: {report.sentences} sentences of its "
            "passages embedded (the rest was tuned already)"
        )
        return 0
    kept = "kept" if report.kept else f"not kept: {report.reason}"
    print(
        f"tuned {args.index} in {report.seconds:.1f} s: {report.pairs} of the corpus's questions, "
        f"learned ranking {kept}"
    )
    return 0


def _load(args: argparse.Namespace):
    from assistant.api import Assistant

    return Assistant.load(args.index)


def format_answer(answer: Answer) -> str:
    """Readable quotes with citations: the transcripts' words only, plus fixed wording. Made
    for a terminal: control characters in the text are shown as escapes, never obeyed."""
    if not answer.answered:
        return safe(answer.reason or "Nothing in these transcripts answers that.")
    out = []
    documents = len({p.citation.document for p in answer.passages})
    notes = "".join(f"\n{safe(note)}" for note in answer.notes)
    out.append(
        f"{len(answer.passages)} passage{'s' * (len(answer.passages) != 1)} from "
        f"{documents} transcript{'s' * (documents != 1)}" + notes + "\n"
    )
    for n, p in enumerate(answer.passages, 1):
        c = p.citation
        quote = textwrap.fill(
            safe(p.text, keep="\n\t"), width=96, initial_indent="  > ", subsequent_indent="  > "
        )
        who = c.speaker or ("Question" if c.role == "question" else "Unattributed")
        out.append(safe(f"[{n}] {who} — {c.title}" + (f" ({c.date})" if c.date else "")))
        out.append(quote)
        where = "".join(f", {x}" for x in (f"p. {c.page}" if c.page else None, c.time) if x)
        out.append(
            safe(f"  {c.document}{where} ¶{c.paragraph}, characters {c.start}–{c.end}") + "\n"
        )
    return "\n".join(out)


def _ask(args: argparse.Namespace) -> int:
    from assistant.retrieval import MAX_K

    qa = _load(args)
    if args.k > MAX_K:
        _say(f"verbatim: note: one question returns at most {MAX_K} passages (asked for {args.k})")
    answer = qa.ask(
        args.question,
        k=args.k,
        speaker=args.speaker,
        document=args.document,
        date_from=args.date_from,
        date_to=args.date_to,
        history=args.history,
    )
    stale = answer.filters.get("stale_documents")
    if stale:
        _say(
            f"verbatim: warning: left out {len(stale)} transcript(s) changed since indexing "
            f"({', '.join(stale[:5])}{' …' if len(stale) > 5 else ''}); {qa.reindex_command()}"
        )
    if args.json:
        print(safe_json(answer.to_json(indent=2)))
    else:
        print(format_answer(answer))
    return 0


def _timeline(args: argparse.Namespace) -> int:
    from assistant.timeline.text import format_timeline

    timeline = _load(args).timeline(
        args.query,
        speaker=args.speaker,
        date_from=args.date_from,
        date_to=args.date_to,
        mode=args.mode,
    )
    if args.csv:
        Path(args.csv).write_text(timeline.to_csv(), encoding="utf-8")
    if args.json:
        print(timeline.to_json(indent=2))
    else:
        print(format_timeline(timeline, quotes=not args.no_quotes))
    if args.csv:
        rows = len(timeline.rows) + len(timeline.undated)
        print(f"wrote {args.csv} ({rows} row{'s' * (rows != 1)})", file=sys.stderr)
    return 0


def _interactive(args: argparse.Namespace) -> int:
    qa = _load(args)
    history: list[str] = []
    print("Ask a question (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("? ").strip()
        except EOFError:
            break
        if not question:
            break
        print(format_answer(qa.ask(question, k=args.k, history=history)))
        history.append(question)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.evaluation import evaluate, format_report, load_questions

    qa = _load(args)
    questions = load_questions(Path(args.questions))

    def ask(q):
        return qa.ask(q.question, k=10, history=[q.context] if q.context else None)

    def text_of(document: str) -> str | None:
        record = qa.index.documents.get(document)
        return record.text if record else None

    report = evaluate(questions, ask, text_of)
    if args.json:
        print(json.dumps({"all": report.summary(), "by_kind": report.by_kind()}, indent=2))
    else:
        print(format_report(report))
    return 0


def _eval_beir(args: argparse.Namespace) -> int:
    from assistant.beir import evaluate_beir
    from embeddings import model_name

    result = evaluate_beir(
        Path(args.folder),
        run_out=Path(args.run_out) if args.run_out else None,
        model_name=args.model or (args.encoder and model_name(args.encoder)) or None,
    )
    print(json.dumps(result, indent=2))
    return 0


def _check(args: argparse.Namespace) -> int:
    from assistant.quotes.cli import run_check

    return run_check(args, _load)


def _serve(args: argparse.Namespace) -> int:
    os.environ.update(OFFLINE)
    from ui.app import serve

    auth = args.auth or os.environ.get("VERBATIM_AUTH")
    token = os.environ.get("VERBATIM_TOKEN")
    assistant = None
    if args.replicas:
        from assistant.api import Assistant
        from assistant.replicas import ReplicatedAssistant, start_replicas

        handle = start_replicas(Path(args.index), args.replicas, address=args.ray or None)
        assistant = ReplicatedAssistant(Assistant.load(args.index), handle)
    serve(
        index_dir=Path(args.index),
        host=args.host,
        port=args.port,
        auth=auth,
        token=token,
        mcp=args.mcp,
        assistant=assistant,
    )
    return 0


def _mcp(args: argparse.Namespace) -> int:
    # stdout carries the protocol: nothing else may be printed there.
    os.environ.update(OFFLINE)
    from ui.mcp_server import serve_stdio

    serve_stdio(_load(args))
    return 0


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range; use 1 to 65535")
    return port


def _index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index", default=DEFAULT_INDEX, help=f"index folder (default {DEFAULT_INDEX})"
    )


def _encoder_option(parser: argparse.ArgumentParser, default: str) -> None:
    from embeddings import ENCODERS

    parser.add_argument(
        "--encoder",
        choices=ENCODERS,
        help="how the embedding model runs: PyTorch, ONNX Runtime, or ONNX Runtime with int8 "
        f"weights {default}; another encoder than an index's re-embeds it",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verbatim",
        description="Answer questions over transcripts with their own words, each quote cited.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index a folder of transcripts (only what changed)")
    p.add_argument("corpus", help="folder of transcripts (.txt, .md)")
    _index_option(p)
    p.add_argument("--model", help=argparse.SUPPRESS)
    _encoder_option(p, "(default: the index's own, or for a new index this machine's best)")
    p.add_argument(
        "--batch-size", type=int, help="embedding batch size (default 32 on CPU, 256 on a GPU)"
    )
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="also index what symbolic links outside the corpus folder point to",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="if another build of this index is running, fail at once instead of waiting",
    )
    p.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="read and embed on Ray: a private local instance, or the cluster at ADDRESS "
        '(needs the extra: pip install -e ".[ray]")',
    )
    p.set_defaults(func=_index)

    p = sub.add_parser(
        "tune", help="learn a ranking from the corpus's own questions and answers (once per index)"
    )
    _index_option(p)
    p.add_argument("--force", action="store_true", help="tune again even if tuned already")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(func=_tune)

    p = sub.add_parser("ask", help="ask one question; prints quotes with citations")
    p.add_argument("question")
    _index_option(p)
    p.add_argument("-k", "--k", type=int, default=5, help="number of passages (default 5)")
    p.add_argument("--speaker", help="only passages by this speaker (e.g. Powell)")
    p.add_argument("--document", help="only this document (path relative to the corpus)")
    p.add_argument("--date-from", help="only transcripts dated on or after YYYY-MM-DD")
    p.add_argument("--date-to", help="only transcripts dated on or before YYYY-MM-DD")
    p.add_argument(
        "--history", action="append", help="an earlier question (repeatable), for follow-ups"
    )
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=_ask)

    p = sub.add_parser(
        "timeline", help="a phrase or topic across the dated transcripts: counts and quotes"
    )
    p.add_argument("query", help='a word, a phrase or a topic, e.g. "transitory"')
    _index_option(p)
    p.add_argument("--speaker", help="count only this speaker's words (e.g. Powell)")
    p.add_argument("--date-from", help="only transcripts dated on or after YYYY-MM-DD")
    p.add_argument("--date-to", help="only transcripts dated on or before YYYY-MM-DD")
    p.add_argument(
        "--mode",
        choices=["auto", "phrase", "topic", "both"],
        default="auto",
        help="phrase counts, topic passages, or both (auto: both for a short query)",
    )
    p.add_argument("--csv", help="also write the rows to this CSV file")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON")
    p.add_argument("--no-quotes", action="store_true", help="the table only")
    p.set_defaults(func=_timeline)

    p = sub.add_parser("chat", help="ask questions at a prompt in the terminal")
    _index_option(p)
    p.add_argument("-k", "--k", type=int, default=5, help="passages per answer (default 5)")
    p.set_defaults(func=_interactive)

    p = sub.add_parser("eval", help="hit@1, hit@5, MRR@10 and abstention on a questions file")
    p.add_argument("questions", help="JSONL of {question, kind, answers:[{doc, quote}]}")
    _index_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_eval)

    p = sub.add_parser("eval-beir", help="nDCG@10, Recall@10/100 on a BEIR-format folder")
    p.add_argument("folder", help="folder with corpus.jsonl, queries.jsonl, qrels/test.tsv")
    p.add_argument("--run-out", help="write the ranking as a TREC run file")
    p.add_argument("--model", help=argparse.SUPPRESS)
    _encoder_option(p, "(default: this machine's best)")
    p.set_defaults(func=_eval_beir)

    from assistant.quotes.cli import add_check_parser

    p = add_check_parser(sub)
    _index_option(p)
    p.set_defaults(func=_check)

    p = sub.add_parser("serve", help="open the chat UI (default http://127.0.0.1:7860)")
    _index_option(p)
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)",
    )
    p.add_argument("--port", type=_port, default=7860, help="TCP port (default 7860)")
    p.add_argument(
        "--auth",
        help="user:password required by the UI, the API and MCP (or VERBATIM_AUTH); "
        "programs may also send the bearer token in VERBATIM_TOKEN",
    )
    p.add_argument("--mcp", action="store_true", help="also serve the MCP tools over HTTP at /mcp")
    p.add_argument(
        "--replicas",
        type=int,
        metavar="N",
        help="answer questions from N Ray Serve replicas of the index (the ray extra)",
    )
    p.add_argument(
        "--ray", metavar="ADDRESS", help="with --replicas: the Ray cluster (default: a local one)"
    )
    p.set_defaults(func=_serve)

    p = sub.add_parser(
        "mcp", help="serve the MCP tools (ask_transcripts, ...) over stdio, for AI assistants"
    )
    _index_option(p)
    p.set_defaults(func=_mcp)
    return parser


def main(argv: list[str] | None = None) -> int:
    from assistant.cluster import ClusterError
    from assistant.corpus import CorpusError
    from assistant.index import IndexError_
    from embeddings import ModelUnavailableError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (
        ClusterError,
        CorpusError,
        IndexError_,
        ModelUnavailableError,
        ValueError,
        PermissionError,
        FileNotFoundError,
        OSError,
    ) as error:
        _say(f"verbatim: error: {error}")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: still one line, with the way to the traceback
        if os.environ.get("VERBATIM_DEBUG"):
            raise
        _say(
            f"verbatim: error: unexpected {type(error).__name__}: {error} "
            "(run with VERBATIM_DEBUG=1 for the traceback, and please report it)"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
