"""`verbatim check`: the quote check from the command line (hooked into assistant.cli)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.quotes.display import format_report
from assistant.quotes.extract import MAX_TEXT_CHARS


def add_check_parser(sub: Any) -> argparse.ArgumentParser:
    """The `check` subcommand's parser, its own options added; the caller adds `--index` as
    every other subcommand has it."""
    p = sub.add_parser(
        "check",
        help="check a quote, or the quotes of an article: exact, close or not found, and who said it",
        description=(
            "Check a quote, or every quoted string of a text (with the attribution written "
            "next to it), against the transcripts: exact, close (the words that differ) or not "
            "found (with passages similar in meaning), each occurrence cited."
        ),
    )
    p.add_argument("quote", nargs="?", help='the quote, e.g. "Inflation is much too high"')
    p.add_argument("--file", help="check the quotes of this text file (- reads standard input)")
    p.add_argument("--speaker", help="who the quote is credited to (e.g. Powell)")
    p.add_argument(
        "-k", "--k", type=int, default=3, help="similar passages when not found (default 3)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read(MAX_TEXT_CHARS + 1)
    file = Path(path)
    if file.is_dir():
        raise ValueError(f"{path} is a folder; give a text file to check")
    if file.stat().st_size > 4 * MAX_TEXT_CHARS:
        raise ValueError(
            f"{path} is {file.stat().st_size:,} bytes; quotes are checked in texts of up to "
            f"{MAX_TEXT_CHARS:,} characters: check the part with the quotes"
        )
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None


def run_check(args: argparse.Namespace, load: Callable[[argparse.Namespace], Any]) -> int:
    if (args.quote is None) == (args.file is None):
        raise ValueError("give a quote to check, or --file ARTICLE.txt (not both)")
    text = args.quote if args.file is None else _read(args.file)
    report = load(args).check(text, speaker=args.speaker, k=args.k)
    print(report.to_json(indent=2) if args.json else format_report(report))
    return 0
