"""Who each speaker label of a transcript is: one display name per speaker for the ways a file
writes it (`CHAIR POWELL`, a name with and without its parenthetical, a broadcast's surname
alone after the full name), and what else names them (the office a parenthetical or the
transcript's title gives them: "the Minister of Seniors", "the press secretary").
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.labels import OFFICE_WORDS, display_name, name_key, split_paren


def speaker_names(labels: set[str]) -> dict[str, str]:
    """Each raw label's display name. A name written both with and without a parenthetical
    (`Hon. Bill Morneau (Minister of Finance)` once, `Hon. Bill Morneau` after) is one speaker
    under its short form; a name never written bare keeps its most used parenthetical."""
    written: dict[str, Counter[str]] = {}
    for label in labels:
        name, _ = split_paren(label)
        written.setdefault(name_key(name), Counter())[display_name(label)] += 1
    names = {}
    for label in labels:
        name, _ = split_paren(label)
        forms = written[name_key(name)]
        bare = [f for f in forms if "(" not in f]
        names[label] = bare[0] if bare else max(forms, key=lambda f: (forms[f], f))
    return surnames(names)


def surnames(names: dict[str, str]) -> dict[str, str]:
    """A label of one word that is the surname of exactly one speaker named in full is theirs
    (a broadcast's `INSKEEP:` after `STEVE INSKEEP, HOST:`, `WARREN:` after `SEN. ELIZABETH
    WARREN (D-MA):`); one matching several, or none, stays its own."""
    full: dict[str, set[str]] = {}
    for label, shown in names.items():
        words = split_paren(label)[0].split()
        if len(words) >= 2:
            full.setdefault(name_key(words[-1]), set()).add(shown)
    out = dict(names)
    for label in names:
        name = split_paren(label)[0]
        if len(name.split()) == 1 and len(full.get(name_key(name), ())) == 1:
            out[label] = next(iter(full[name_key(name)]))
    return out


def groups(paren: str) -> list[str]:
    """The top-level parentheticals' insides: `(A) (B (C))` -> [`A`, `B (C)`]."""
    found, depth, start = [], 0, 0
    for i, char in enumerate(paren):
        if char == "(":
            depth += 1
            if depth == 1:
                start = i + 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                found.append(paren[start:i].strip())
    return found or [paren.strip("() ")]


def said_titles(names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """What the parentheticals that `speaker_names` left out of display names said, per
    speaker: `Hon. Deb Schulte (Minister of Seniors)` shown as `Hon. Deb Schulte` is still the
    one "the Minister of Seniors" names."""
    found = set()
    for label, name in names.items():
        _, paren = split_paren(label)
        if paren and paren not in name:  # `(Holborn and St Pancras) (Lab)`: both said
            found.add((name, ", ".join(groups(paren))))
    return tuple(sorted(found))


# "Press Briefing by Press Secretary Josh Earnest, 10/29/2015": who holds the session and, before
# their name, their office
_BY = re.compile(r"\bby\s+([^,;:()]+)", re.IGNORECASE)
_WORD = re.compile(r"[\w.'’-]+")


def title_offices(title: str, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The office a transcript's title gives a speaker ("by Press Secretary Josh Earnest": "Mr.
    Earnest" is the Press Secretary), so that "the press secretary" names them: the title's
    words after "by" up to the last office word (`OFFICE_WORDS`) before the speaker's surname,
    where their display name does not hold that office already ("Chair Powell")."""
    found = set()
    for run in _BY.findall(title):
        words = _WORD.findall(run)
        folded = [w.casefold().strip(".") for w in words]
        for name in set(names.values()):
            surname = name.split()[-1].casefold().strip(".") if name.split() else ""
            if len(surname) < 2 or surname not in folded[1:]:
                continue
            before = folded[: folded.index(surname, 1)]
            offices = [n for n, w in enumerate(before) if w in OFFICE_WORDS]
            if not offices:
                continue
            office = " ".join(words[: offices[-1] + 1])
            if office.casefold() not in name.casefold():
                found.add((name, office))
    return tuple(sorted(found))
