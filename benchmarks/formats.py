"""Real transcript files as people have them: read, cut and found with their speakers.

    python benchmarks/formats.py                   # the packaged model; writes docs/formats.md
    python benchmarks/formats.py --model hashing   # a quick check of reading (ranks are noise)

Indexes ../shared/realformats (13 files from public repositories: PDFs, web pages, subtitles,
speech-to-text JSON; `SOURCES.tsv` gives each a probe phrase and its speaker) as one corpus,
then asks each probe phrase as the question. Per file: read or the reason not, its date as
read, passages, speakers found, the rank of the first passage of that file holding the probe
phrase, and that passage's cited speaker, page and time. Passes when every file is read, every
probe is in the top 5, and every file that names a speaker cites the right one.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from machine import cpu_model  # benchmarks/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.folding import fold  # noqa: E402

K = 10
TOP = 5
SHOWN_SPEAKERS = 4


def shared_dir() -> Path:
    for candidate in (os.environ.get("VERBATIM_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return ROOT.parent / "shared"


@dataclass(frozen=True)
class Row:
    kind: str
    file: str
    read: str  # "yes" or the reason it was skipped
    passages: int
    date: str | None  # the transcript's date as read (None: undated)
    speakers: list[str]
    rank: int | None
    copy: str | None  # where an identical passage of another file outranked this one's
    cited: str | None
    expected: str | None
    page: int | None
    time: str | None

    @property
    def speaker_ok(self) -> bool | None:
        """Whether the cited speaker is the expected one (None: the file names nobody)."""
        if self.expected is None:
            return None
        return _same(self.cited, self.expected)


def _same(cited: str | None, expected: str) -> bool:
    return cited is not None and " ".join(cited.casefold().split()) == " ".join(
        expected.casefold().split()
    )


def expected_speaker(column: str) -> str | None:
    """`CHAIR POWELL (p.14)` -> `CHAIR POWELL`; `(no speaker field; ...)` -> None."""
    column = column.strip()
    if column.startswith("("):
        return None
    return column.split(" (", 1)[0].strip() or None


def contains(passage: str, phrase: str) -> bool:
    return fold(phrase).text in fold(passage).text


def run(model: str, index_dir: Path) -> tuple[list[Row], float]:
    realformats = shared_dir() / "realformats"
    if not realformats.is_dir():
        sys.exit(f"needs {realformats} (../shared beside the checkout, or $VERBATIM_SHARED)")
    with open(realformats / "SOURCES.tsv", encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle, delimiter="\t"))
    started = time.perf_counter()
    qa = Assistant.build(realformats, index_dir, model=model)
    seconds = time.perf_counter() - started
    skipped = {s.document: s.reason for s in qa.report.skipped} if qa.report else {}
    documents = {row["document"]: row for row in qa.documents()}
    rows = []
    for source in sources:
        document = f"{source['kind']}/{source['file']}"
        facts = documents.get(document)
        rank = copy = cited = page = when = None
        if facts is not None:
            phrase = source["probe_phrase"]
            answer = qa.ask(phrase, k=K)
            holding = [(n, p) for n, p in enumerate(answer.passages, 1) if contains(p.text, phrase)]
            own = [(n, p) for n, p in holding if p.citation.document == document]
            if not own and holding:
                # The same words in another file (one recording in three formats) outrank
                # this file's passage, which answers leave out as a near-duplicate: rank it
                # within its own file, and say where the copy stood.
                copy = f"{holding[0][1].citation.document} at {holding[0][0]}"
                within = qa.ask(phrase, k=K, document=document)
                own = [(n, p) for n, p in enumerate(within.passages, 1) if contains(p.text, phrase)]
            if own:
                rank, c = own[0][0], own[0][1].citation
                cited, page, when = c.speaker, c.page, c.time
        rows.append(
            Row(
                source["kind"],
                source["file"],
                "yes" if facts is not None else skipped.get(document, "not found"),
                facts["passages"] if facts else 0,
                facts["date"] if facts else None,
                list(facts["speakers"]) if facts else [],
                rank,
                copy,
                cited,
                expected_speaker(source["probe_speaker"]),
                page,
                when,
            )
        )
    return rows, seconds


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _rank(row: Row) -> str:
    if row.rank is None:
        return f"> {K}"
    return f"{row.rank} in its file (a copy: {_cell(row.copy)})" if row.copy else str(row.rank)


def table(rows: list[Row]) -> str:
    lines = [
        "| file | read | date | passages | speakers found | probe rank | cited speaker |"
        " expected | page | time |",
        "|---|---|---|---:|---|---:|---|---|---:|---|",
    ]
    for r in rows:
        shown = ", ".join(r.speakers[:SHOWN_SPEAKERS])
        if len(r.speakers) > SHOWN_SPEAKERS:
            shown += f" … ({len(r.speakers)})"
        ok = {True: " ✓", False: " ✗", None: ""}[r.speaker_ok]
        lines.append(
            f"| {r.kind}/{_cell(r.file[:60])} | {_cell(r.read)} | {r.date or 'undated'}"
            f" | {r.passages} | {_cell(shown) or '—'}"
            f" | {_rank(r)} | {_cell(r.cited or '—')}{ok}"
            f" | {_cell(r.expected or '(none named)')} | {r.page or '—'} | {r.time or '—'} |"
        )
    return "\n".join(lines)


def summary(rows: list[Row]) -> dict[str, tuple[int, int]]:
    named = [r for r in rows if r.expected is not None]
    return {
        "files read": (sum(r.read == "yes" for r in rows), len(rows)),
        f"probes in the top {TOP}": (sum(bool(r.rank and r.rank <= TOP) for r in rows), len(rows)),
        "right speaker (files naming one)": (sum(bool(r.speaker_ok) for r in named), len(named)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="all-MiniLM-L6-v2", help="or 'hashing' (no ranking)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "formats.md"))
    parser.add_argument("--index", help="index folder (default: a temporary one)")
    args = parser.parse_args()
    model = "hashing-384" if args.model == "hashing" else args.model
    with tempfile.TemporaryDirectory(prefix="verbatim-formats-") as scratch:
        rows, seconds = run(model, Path(args.index) if args.index else Path(scratch) / "index")
    figures = summary(rows)
    passed = all(done == total for done, total in figures.values())
    for name, (done, total) in figures.items():
        print(f"{name}: {done}/{total}")
    command = "python benchmarks/formats.py" + (
        " --model hashing" if args.model == "hashing" else ""
    )
    doc = f"""# Real transcript files

Thirteen transcript files as they are published (`../shared/realformats`, sources and licences
in its `SOURCES.tsv`), indexed together as one corpus; each file's probe phrase (a phrase from
the file) is asked as the question. **Date** is the transcript's date as read (its title's;
else a line near its top that is a date alone; else its file name's). **Rank** is that of the
first passage of the file holding the phrase among the {K} returned; **cited speaker**,
**page** and **time** are that passage's citation; **expected** is the speaker `SOURCES.tsv`
gives (✓ when the citation names them).
Three files are one recording in three formats (`dosparlants`), and two more share a clip
(AssemblyAI, whisper-timestamped): answers show a passage once, so where another file's copy of
the same words comes first, the rank is that within the file's own passages, asked with
`document=` (the copy's place is given).

| | |
|---|---|
{chr(10).join(f"| {name} | {done}/{total} |" for name, (done, total) in figures.items())}
| result | {"pass" if passed else "FAIL"} |

{table(rows)}

Speakers are the files' own: `SPEAKER_00` (pyannote via whisper-ctranslate2 and WhisperX) stays
`SPEAKER_00`; Deepgram's numbers read `Speaker 1` and AssemblyAI's letters `Speaker A`, as those
services show them; several officials labelled `SENIOR ADMINISTRATION OFFICIAL:` are one label,
as the page gives them; the 1997 speech labels no paragraph and is its byline's (`Remarks by
Governor Laurence H. Meyer`). `whisper_timestamped.json` names no speaker, so none is cited.

Model: `{model}`. Command: `{command}`, run {datetime.date.today()} on {cpu_model()}
({os.cpu_count()} cores), Python {platform.python_version()}. (A quality check, not a timing:
the build took {seconds:.0f} s on a machine shared with other work.)
"""
    Path(args.out).write_text(doc, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
