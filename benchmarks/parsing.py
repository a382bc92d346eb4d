"""What the reader finds in each transcript, and how two checkouts differ on it.

    python benchmarks/parsing.py --save /tmp/after.json                  # this checkout
    python benchmarks/parsing.py --root /work/main --save /tmp/before.json
    python benchmarks/parsing.py --compare /tmp/before.json /tmp/after.json

Per document of ../shared/corpus, ../shared/bench/qmsum-val/corpus and ../shared/realformats:
its paragraphs (count and
a digest of their spans), its speakers with their paragraph counts, its roles and how many
answers point at a question. `--compare` prints, per document, what changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir(root: Path) -> Path:
    for candidate in (os.environ.get("VERBATIM_SHARED"), root.parent / "shared", "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise SystemExit("no shared data: set VERBATIM_SHARED")


def summarise(root: Path) -> dict[str, dict]:
    sys.path.insert(0, str(root))
    from assistant.readers import SUFFIXES, read_paths  # the checkout's own reader

    shared = shared_dir(ROOT)
    out: dict[str, dict] = {}
    for base in (
        shared / "corpus",
        shared / "bench" / "qmsum-val" / "corpus",
        shared / "realformats",
    ):
        for path in sorted(p for p in base.rglob("*") if p.suffix.lower() in SUFFIXES):
            name = path.relative_to(shared).as_posix()
            try:
                transcript = read_paths([path], name).transcript
            except ValueError as error:
                out[name] = {"error": str(error)}
                continue
            paragraphs = transcript.paragraphs
            spans = ",".join(f"{p.start}-{p.end}" for p in paragraphs)
            out[name] = {
                "paragraphs": len(paragraphs),
                "spans": hashlib.sha256(spans.encode()).hexdigest()[:12],
                "speakers": dict(Counter(p.speaker or "(none)" for p in paragraphs)),
                "roles": dict(Counter(p.role for p in paragraphs)),
                "links": sum(p.question is not None for p in paragraphs),
                "roles_by_speaker": {
                    s: dict(Counter(p.role for p in paragraphs if (p.speaker or "(none)") == s))
                    for s in {p.speaker or "(none)" for p in paragraphs}
                },
            }
    return out


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    lines = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name, {}), after.get(name, {})
        if a == b:
            continue
        changes = []
        if "error" in a or "error" in b:
            changes.append(f"error {a.get('error')!r} -> {b.get('error')!r}")
        else:
            if a["paragraphs"] != b["paragraphs"] or a["spans"] != b["spans"]:
                changes.append(f"paragraphs {a['paragraphs']} -> {b['paragraphs']} (spans differ)")
            sa, sb = a["speakers"], b["speakers"]
            if sa != sb:
                gone = sorted(set(sa) - set(sb))
                new = sorted(set(sb) - set(sa))
                moved = sorted(s for s in set(sa) & set(sb) if sa[s] != sb[s])
                changes.append(
                    f"speakers {len(sa)} -> {len(sb)}"
                    + (f"; gone {gone[:8]}" if gone else "")
                    + (f"; new {new[:8]}{'…' if len(new) > 8 else ''}" if new else "")
                    + (f"; counts {[(s, sa[s], sb[s]) for s in moved[:6]]}" if moved else "")
                )
            if a["roles"] != b["roles"]:
                changes.append(f"roles {a['roles']} -> {b['roles']}")
            if a["links"] != b["links"]:
                changes.append(f"question links {a['links']} -> {b['links']}")
        lines.append(f"{name}: " + "; ".join(changes))
    same = sum(1 for n in set(before) & set(after) if before[n] == after[n])
    lines.append(f"{same} of {len(set(before) | set(after))} documents unchanged")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose reader to run")
    parser.add_argument("--save", type=Path, help="write the per-document summary as JSON")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        print("\n".join(compare(before, after)))
        return
    summary = summarise(args.root.resolve())
    if args.save:
        args.save.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    for name, s in summary.items():
        if "error" in s:
            print(f"{name}: {s['error']}")
        else:
            print(
                f"{name}: {s['paragraphs']} paragraphs, {len(s['speakers'])} speakers, "
                f"{s['roles']}, {s['links']} links"
            )


if __name__ == "__main__":
    main()
