"""Speaker labels at the start of paragraphs: which words before a colon name who is speaking.

A label is a label because it recurs at the start of paragraphs in that file, not because it
matches one corpus's style. Every line start is read for a candidate label, a short run of
name-like words before a colon (`Grad B:`, `Project Manager:`, `Kirsty Williams AM:`,
`Hon. Bill Morneau (Minister of Finance):`, `沈蓓莉：`); `FileLabels.learn` counts them over
the file, and a candidate is taken as a speaker when its name recurs, or, once the file is seen
to be labelled (two names recur), when it is a name of several words, has a parenthetical or is
written in a script without capitals (a witness who speaks once); a single word said once
(`Second:`, `Look:`) stays speech. Without a colon, a name on a line of its own with the
speech below (a parliament's record: `Keir Starmer (Holborn and St Pancras) (Lab)`) is a label
when it recurs or has a parenthetical, or, in a labelled file, is an honorific and a name
(`Mr Sheerman`); a hearing's `Chairman McHenry.` when it recurs. An earnings call's name line
with roles after dashes (`Tim Cook -- Chief Executive Officer`) is a label in a labelled file,
and where a file lays its turns out by name lines (two recur, or two carry roles) a name line
of two words or more is one at first sight and a recurring one-word line (`Operator`) too.
Asterisks of a correction (`** MR. CARNEY:`), a committee's question number (`Q1   Chair:`)
and a caption's `>>` (another speaker, named or not) come before a label, not in it; a line
alone whose every word the file writes in lower case too (`Prepared Remarks:`) is a heading.
Styles that are unambiguous on their own stay labels at first sight, as before: bare `Q`/`A`,
capitals (`CHAIR POWELL:`, `MS. SMITH.`, `ВЕДУЩИЙ:`, `ÉLODIE DURAND:`), a title and a name
(`Mr. Earnest:`), capitals with an abbreviated title, a role after a comma or a parenthetical
(`SEN. ELIZABETH WARREN (D-MA):`, `STEVE INSKEEP, HOST:`), a hearing's title and surname in
capitals (`Mr. POWELL.`, `Chairman McHENRY.`, `The CHAIRMAN.`), and a name alone on its line
(`Shen Beili:`).

Capitals are those of every script (`\\p{Lu}` of the `regex` module); names of scripts without
capitals (Chinese, Arabic, ...) start with any letter (`\\p{Lo}`), and a full-width colon `：`
needs no space after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import regex

# words of an office ("Minister of Seniors", "Press Secretary"): what names a speaker by the
# office a parenthetical or a transcript's title gives them
OFFICE_WORDS = {
    "minister", "secretary", "president", "premier", "chair", "chairman", "chairwoman",
    "chairperson", "governor", "senator", "leader", "speaker", "director", "commissioner",
    "mayor", "attorney", "deputy", "chief", "justice", "judge", "clerk", "ambassador",
    "spokesperson", "spokesman", "spokeswoman", "counsel", "treasurer", "registrar",
}  # fmt: skip

_TITLES = (
    r"(?:CHAIR(?:MAN|WOMAN)?|MR|MS|MRS|DR|SECRETARY|GOVERNOR|PRESIDENT|VICE PRESIDENT|SENATOR"
    r"|ADMIRAL|GENERAL|AMBASSADOR)"
)
# `CHAIR POWELL: text`, `MICHELLE SMITH: text`, `MS. SMITH. text`, `ÉLODIE DURAND: text`.
_CAPS_WORD = r"\p{Lu}[\p{Lu}\p{M}'’\-]+"
_CAPS_LABEL = regex.compile(
    rf"(?P<label>{_TITLES}\.?\s+{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,2}}"
    rf"|{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}})\s*(?P<sep>[:.：])[ \t]+(?=\S)"
)
# Capitals with more to them, as broadcasters print them: an abbreviated title
# (`SEN. ELIZABETH WARREN (D-MA):`), a role after a comma (NPR's `STEVE INSKEEP, HOST:`), a
# parenthetical; the speech on the same line or below (the label alone on its line).
_CAPS_RICH = regex.compile(
    rf"(?P<label>(?P<abbrev>\p{{Lu}}{{2,4}}\.\s+)?{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}}"
    rf"(?P<role>,\s+{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}})?"
    r"(?P<paren>\s*\([^()\n]{1,40}\))?)\s*[:：](?:[ \t]+(?=\S)|[ \t]*(?=\n|$))"
)
_ROLE = regex.compile(rf"(?P<name>.+?),\s+(?P<role>{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}})")
# `Chair Powell: text` (mixed case needs two words or a title, so `Second: ...` is not a label).
_MIXED_LABEL = regex.compile(
    r"(?P<label>(?:Mr|Ms|Mrs|Dr|Chair|Chairman|Governor|Secretary)\.?\s+\p{Lu}[\w'’\-]+"
    r"|\p{Lu}[\w'’\-]+(?:\s+\p{Lu}[\w'’\-]+){1,3})(?P<sep>[:：])[ \t]+(?=\S)"
)
# A congressional hearing's labels as the Government Publishing Office prints them: a title in
# mixed case and the surname in capitals, then a full stop (`Mr. POWELL.`, `Chairman McHENRY.`,
# `Ms. DeLAURO.`, `Senator VAN HOLLEN.`, `The CHAIRMAN.`).
_HEARING_TITLES = (
    r"(?:Mr|Ms|Mrs|Miss|Dr|Chairman|Chairwoman|Chair|Senator|Representative|Secretary|Governor"
    r"|Ambassador|General|Admiral|Judge|Justice|Commissioner|Director|Vice\s+Chair(?:man)?"
    r"|Ranking\s+Member)\.?"
)
_HEARING_SURNAME = r"(?:Mc|Mac|De|Di|La|Le|Du)?\p{Lu}[\p{Lu}\p{M}'’\-]+"
_HEARING_NAME = regex.compile(
    rf"{_HEARING_TITLES}\s+{_HEARING_SURNAME}(?:\s+{_HEARING_SURNAME}){{0,2}}"
    r"|The\s+(?:CHAIR(?:MAN|WOMAN)?|CLERK|PRESIDENT|SPEAKER|PRESIDING\s+OFFICER|VICE\s+PRESIDENT"
    r"|WITNESS|ACTING\s+CHAIR(?:MAN|WOMAN)?)"
)
_HEARING_LABEL = regex.compile(rf"(?P<label>{_HEARING_NAME.pattern})\.[ \t]+(?=\S)")
# The same in mixed case, as its text editions print them (`Chairman McHenry.`, `Ms. Waters.`,
# `The Chairman.`): a label only where the file writes it at the start of a paragraph twice,
# or once in a file labelled throughout, since "Mr. Lucas. " could open a sentence too.
_HEARING_MIXED = regex.compile(
    rf"(?P<label>{_HEARING_TITLES}\s+(?P<name>\p{{Lu}}[\p{{L}}'’\-]+(?:\s+\p{{Lu}}[\p{{L}}'’\-]+){{0,2}})"
    r"|The\s+(?:Chair(?:man|woman)?|Clerk|President|Speaker|Presiding\s+Officer|Vice\s+President"
    r"|Witness))\.[ \t]+(?=\S)"
)
# A label alone on its line: `Shen Beili:`, `CHAIR POWELL:`, `沈蓓莉：`.
_OWN_LINE_LABEL = regex.compile(r"(?P<label>[\p{Lu}\p{Lo}][\w.'’\- ·]{0,48}[\w.])\s*[:：]\s*")
_QA_LABEL = regex.compile(
    r"(?:(?P<q>Q)(?:[:.：]?[ \t]+(?=\S)|[:.：]?$)|(?P<question>QUESTION|Question)[:.：](?:[ \t]+(?=\S)|$)"
    r"|(?P<a>A)[:.：](?:[ \t]+(?=\S)|$)|(?P<answer>ANSWER|Answer)[:.：](?:[ \t]+(?=\S)|$))"
)
# Any candidate: a letter, name characters, an optional parenthetical (`(Minister of Finance)`,
# `(Hon. Anthony Rota (Nipissing, Lib.))`), a colon; after `:` a space or the line's end,
# after `：` nothing needed.
_CANDIDATE = regex.compile(
    r"(?P<name>(?:(?:de|del|della|di|da|dos|du|van|von|der|den|la|le|ter)[ \t]+)*"
    r"[\p{Lu}\p{Lo}][\w.'’\-&#·・ \t]{0,60}?)[ \t]*"
    r"(?P<paren>\((?:[^()\n]|\([^()\n]{0,80}\)){0,160}\))?[ \t]*"
    r"(?:(?P<wide>：)[ \t\u3000]*|:(?:[ \t]+(?=\S)|[ \t]*(?=\n|$)))"
)
# A name on a line of its own, a number and an id before it, parentheticals after it (see
# `name_line`); honorifics that make a bare name a speaker's in a labelled file.
_NAME_LINE_HEAD = (
    r"(?:Q\d+\.?[ \t]+)?(?:\[\d+\][ \t]+)?"
    r"(?P<name>\p{Lu}[\w.'’\-]*(?:[ \t]+[\w.'’\-]+){0,5}?)"
    r"(?P<paren>(?:[ \t]*\((?:[^()\n]|\([^()\n]{0,40}\)){1,80}\)){0,3})"
)
_NAME_LINE = regex.compile(_NAME_LINE_HEAD)
_NAME_LINE_MAX = 200  # characters: a name line's name, parentheticals and roles
_DASHED_NAME_LINE = regex.compile(  # only tried on a line with a spaced dash in it
    _NAME_LINE_HEAD
    + r"(?P<roles>(?:[ \t]+(?:--|-|–|—)[ \t]+(?=[^\n\-–—]*\p{L})[^\s\-–—][^\n\-–—]{0,60}){1,3})"
)
# An earnings call's roles after a name, as transcript sites print them: `Tim Cook -- Chief
# Executive Officer`, `Erik Woodring -- Morgan Stanley -- Analyst`.
_DASHED_ROLE = regex.compile(r"[ \t]+(?:--|-|–|—)[ \t]+")
_HONORIFIC = regex.compile(r"(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|baroness|hon)\.?\s", regex.I)
_CORRECTION_MARK = regex.compile(r"\*{1,3}[ \t]*(?=\S)")
_NEW_SPEAKER = regex.compile(r">>+[ \t]*")  # captions' mark of another speaker
# A committee's question number before the label (`Q1        Chair: ...`, the UK Parliament's
# oral evidence): where the questions are counted, not who asks.
_QUESTION_NUMBER = regex.compile(r"Q\d{1,4}\.?[ \t]+(?=\p{Lu})")
# Words inside a name that need no capital (`Leader of the Opposition`, `Ursula von der Leyen`).
_PARTICLES = {
    "of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "van", "von", "der",
    "den", "da", "di", "del", "dos", "das", "y", "e", "bin", "al", "el", "ibn", "ter", "zu",
}  # fmt: skip
_TITLE = regex.compile(_TITLES)
_AFTER_HYPHEN = regex.compile(r"(?<=[-'’])(\p{Ll})")  # Jean-Paul, O'Neil
_MC = regex.compile(r"Mc\p{Ll}")
_ELIDED = regex.compile(r"\p{Ll}{1,3}['’]\p{Lu}")
# Words before a colon that open a note or a heading, not a turn.
NOT_SPEAKERS = {
    "NOTE", "PS", "P.S", "AND", "BUT", "OK", "OKAY", "SO", "NO", "YES", "A", "UPDATE",
    "CORRECTION", "SOURCE", "SOURCES", "DATE", "TIME", "LOCATION", "PLACE", "SUBJECT", "TITLE",
    "TOPIC", "AGENDA", "RE", "CC", "FROM", "TO", "URL", "LINK", "TAGS", "PRESENT", "ATTENDEES",
    "PARTICIPANTS", "EDITOR'S NOTE", "EDITOR’S NOTE", "TRANSCRIPT", "WARNING", "IMPORTANT",
}  # fmt: skip
_MAX_NAME_WORDS = 6


def caseless(ch: str) -> bool:
    """A letter of a script without capitals (Chinese, Arabic, Hebrew, Thai, ...)."""
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def name_shape(name: str) -> bool:
    """Whether `name` is written as a name: capitalised words (a few small particles and
    numbers between them: `Leader of the Opposition`, `Speaker 2`), or a short run of a
    script without capitals (`沈蓓莉`)."""
    words = name.split()
    if not words or len(words) > _MAX_NAME_WORDS or len(name) > 60:
        return False
    if caseless(words[0][0]):
        return len(words) <= 3 and not any(ch.isdigit() for ch in name) and len(name) <= 20
    lead = 0
    while lead < len(words) - 1 and words[lead] in _PARTICLES:
        lead += 1  # `de Guindos`, `von der Leyen`: a surname's particles before its capital
    if not words[lead][0].isupper() or not_a_speaker(name):
        return False
    for word in words[1:]:
        if not (
            word[0].isupper()
            or word[0].isdigit()
            or word[0] == "#"
            or word in _PARTICLES
            or _ELIDED.match(word)  # `d'Entremont`, `l'Heureux`
        ):
            return False
    return words[-1] not in _PARTICLES


def not_a_speaker(name: str) -> bool:
    """`Note`, `Editor's note`, `OK so`: words that open a note, a heading or a sentence."""
    return name.upper() in NOT_SPEAKERS or name.split()[0].strip(".").upper() in NOT_SPEAKERS


def name_key(name: str) -> str:
    """One key for the ways a file writes one name: `CHAIR POWELL`, `Chair Powell`."""
    return " ".join(name.split()).strip(" .:：").casefold()


def split_paren(label: str) -> tuple[str, str]:
    """`Hon. Bill Morneau (Minister of Finance)` -> (`Hon. Bill Morneau`, `(Minister of Finance)`);
    a role in capitals after a comma is said of the name the same way: `STEVE INSKEEP, HOST` ->
    (`STEVE INSKEEP`, `(Host)`)."""
    label = " ".join(label.split()).strip(" :：")
    if _DASHED_ROLE.search(label):  # `Erik Woodring -- Morgan Stanley -- Analyst`
        name, *roles = _DASHED_ROLE.split(label)
        return name, f"({', '.join(roles)})"
    if label.endswith(")") and "(" in label:
        cut = label.index("(")
        return label[:cut].rstrip(" :"), label[cut:]
    m = _ROLE.fullmatch(label)
    if m and label == label.upper():
        return m["name"], f"({m['role'].title()})"
    return label, ""


def display_name(label: str) -> str:
    """`CHAIR POWELL` -> `Chair Powell`, `MR. EARNEST` -> `Mr. Earnest`, `MICHAEL MCKEE` ->
    `Michael McKee`; a parenthetical after the name is kept as written."""
    label, paren = split_paren(label)
    label = label.strip(" .")
    paren = " " + paren if paren else ""
    if _HEARING_NAME.fullmatch(label):  # `Chairman McHENRY` -> `Chairman McHenry`
        return " ".join(_surname_case(w) for w in label.split()) + paren
    if label != label.upper():
        return label + paren
    words = []
    for word in label.split(" "):
        w = word.capitalize()
        w = _AFTER_HYPHEN.sub(lambda m: m.group(1).upper(), w)
        if _MC.match(w):
            w = "Mc" + w[2:].capitalize()
        words.append(w)
    return " ".join(words) + paren


def _surname_case(word: str) -> str:
    """`McHENRY` -> `McHenry`, `DeLAURO` -> `DeLauro`, `OCASIO-CORTEZ` -> `Ocasio-Cortez`; a word
    not in capitals (`Chairman`, `Mr.`) as it is."""
    m = regex.fullmatch(r"(Mc|Mac|De|Di|La|Le|Du)?(\p{Lu}[\p{Lu}\p{M}'’\-]+)", word)
    if m is None:
        return word
    rest = _AFTER_HYPHEN.sub(lambda h: h.group(1).upper(), m[2].capitalize())
    return (m[1] or "") + rest


@dataclass(frozen=True)
class Candidate:
    label: str  # as written, with its parenthetical
    key: str  # name_key of the name without the parenthetical
    end: int  # where the speech after it starts (relative to the line start)
    words: int  # words of the name
    paren: bool
    caseless: bool
    bare: bool = False  # a name line with no colon (`name_line`)
    dashed: bool = False  # a name line with roles after dashes (`Tim Cook -- Chief Executive ...`)
    alone: bool = False  # the label alone on its line, the speech below it


def hearing_label(chunk: str) -> Candidate | None:
    """A hearing's label in mixed case opening `chunk` (`Secretary Yellen. `), as a candidate:
    taken when it recurs (`FileLabels.accepts`). An office is no name (`Mr. Chairman. `)."""
    m = _HEARING_MIXED.match(chunk)
    if m is None or (m["name"] and m["name"].casefold() in OFFICE_WORDS):
        return None
    name = m["label"]
    return Candidate(name, name_key(name), m.end(), len(name.split()), False, False)


def name_line(chunk: str) -> Candidate | None:
    """A line that is a name and nothing else, with no colon, as a parliament's record lays out
    its turns (the speech on the lines below): `The Prime Minister (Rishi Sunak)`, `Keir Starmer
    (Holborn and St Pancras) (Lab)`, `Q1. [905234] Mr Barry Sheerman (Huddersfield) (Lab/Co-op)`
    (a question's number and id before it are not the name), or an earnings call's `Tim Cook
    -- Chief Executive Officer` (roles after dashes). A line ending as a sentence does is
    none; a name of one word with no parenthetical (`Operator`) is a candidate that only a
    file laid out by name lines takes (`FileLabels.accepts`)."""
    line = chunk.split("\n", 1)[0]
    if len(line) > _NAME_LINE_MAX:
        return None  # speech, not a name (a long line is most of a file's lines)
    m = _DASHED_NAME_LINE.fullmatch(line.rstrip()) if _DASHED_ROLE.search(line) else None
    if m is None:
        m = _NAME_LINE.fullmatch(line.rstrip())
    if m is None or line.rstrip()[-1] in ".,;:!?" or not name_shape(m["name"]):
        return None  # "Laura." is a reporter called on, not a turn's heading
    label = line[m.start("name") :].rstrip()
    words = m["name"].split()
    return Candidate(
        label,
        name_key(m["name"]),
        len(line),
        len(words),
        bool(m["paren"]),
        False,
        bare=True,
        dashed=m.re is _DASHED_NAME_LINE,
        alone=True,
    )


def candidate(chunk: str) -> Candidate | None:
    """The candidate label opening `chunk`, if its words are shaped as a name (before a colon,
    a hearing's title and name before a full stop: `hearing_label`, or a line of its own:
    `name_line`)."""
    m = _CANDIDATE.match(chunk)
    if m is None:
        return hearing_label(chunk) or name_line(chunk)
    name = m["name"].strip()
    if not name_shape(name):
        return None
    label = chunk[: m.end()].rstrip().rstrip(":：").rstrip()
    rest = chunk[m.end() :]
    return Candidate(
        label,
        name_key(name),
        m.end(),
        len(name.split()),
        m["paren"] is not None,
        caseless(name[0]),
        alone=not rest or rest[0] == "\n",
    )


@dataclass(frozen=True)
class FileLabels:
    """The speaker labels one file uses: names recurring at line starts, and whether the file
    is labelled throughout (then a name written once, if shaped like the others, is a label)."""

    recurring: frozenset[str] = frozenset()
    labelled: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    laid_out: bool = False  # turns opened by name lines: two recurring, or two with roles
    text: str = field(default="", repr=False, compare=False)  # the file, for `ordinary`

    @classmethod
    def learn(cls, text: str, line_starts: Iterable[tuple[int, int]]) -> FileLabels:
        counts: Counter[str] = Counter()
        dashed: set[str] = set()
        bare: set[str] = set()
        for start, end in line_starts:
            chunk = text[start : min(end, start + 300)]
            mark = _NEW_SPEAKER.match(chunk) or _QUESTION_NUMBER.match(chunk)
            found = candidate(chunk[mark.end() :] if mark else chunk)
            if found is None:
                continue
            if _single(found):
                counts[f"\x00{found.key}"] += 1  # `Operator`: a laid-out file's only (`accepts`)
                continue
            counts[found.key] += 1
            if found.bare:
                bare.add(found.key)
            if found.dashed:
                dashed.add(found.key)
        recurring = frozenset(k for k, n in counts.items() if n >= 2)
        labelled = sum(1 for k in recurring if not k.startswith("\x00")) >= 2
        laid_out = len(dashed) >= 2 or len(bare & recurring) >= 2
        return cls(recurring, labelled, dict(counts), laid_out, text)

    @cached_property
    def ordinary(self) -> frozenset[str]:
        """The words the file writes in lower case (read once, when a heading is in question:
        a fifth of a large file's reading time)."""
        return frozenset(regex.findall(r"\b\p{Ll}+\b", self.text))

    def accepts(self, found: Candidate) -> bool:
        if _single(found):
            # a word alone on its line (`Operator`) is a label only where the file opens its
            # turns with name lines and it recurs
            return self.laid_out and f"\x00{found.key}" in self.recurring
        if found.key in self.recurring:
            return True
        if found.alone and self.heading(found.key):
            return False
        if found.bare:  # a heading is a line of capitalised words too
            return (
                found.paren
                or (self.labelled and found.dashed)
                or (self.laid_out and found.words >= 2)
                or (self.labelled and found.words >= 2 and _HONORIFIC.match(found.key) is not None)
            )
        return self.labelled and (found.words >= 2 or found.paren or found.caseless)

    def heading(self, name: str) -> bool:
        """Whether `name`, once on a line of its own, is a heading: every word of it one the
        file writes in lower case too (`Prepared Remarks:`, `Opening Statement:`), where a
        speaker's name has one it does not (`Shen Beili:`, `Grace Hopper:`)."""
        words = regex.findall(r"\p{L}+", name)
        return (
            bool(self.ordinary)
            and bool(words)
            and all(w.casefold() in self.ordinary for w in words)
        )


def _single(found: Candidate) -> bool:
    """A name line of one word with nothing after it (`Operator`)."""
    return found.bare and found.words == 1 and not (found.paren or found.dashed)


def label_at(chunk: str, labels: FileLabels) -> tuple[str | None, int]:
    """The speaker label opening `chunk` (raw, as written; `Q`/`A` for bare questions and
    answers) and where the speech after it starts in `chunk`; (None, 0) when there is none.
    Asterisks before it mark a corrected passage (`** MR. CARNEY: ...`, a press office's
    correction), and a committee's question number (`Q12   Chair: ...`) counts the questions:
    neither is the speaker's words nor their name. A caption's `>>` marks another speaker:
    the label after it (a colon's only: `>> SEN. WARREN:`), else "" (someone unnamed)."""
    turn = _NEW_SPEAKER.match(chunk)
    if turn is not None:  # a caption's `>>`: another speaker, named only by a colon label
        label, end = _label_opening(chunk[turn.end() :], labels)
        if label is None or not chunk[turn.end() : turn.end() + end].rstrip().endswith((":", "：")):
            return "", turn.end()
        return label, turn.end() + end
    mark = _CORRECTION_MARK.match(chunk) or _QUESTION_NUMBER.match(chunk)
    if mark is None:
        return _label_opening(chunk, labels)
    label, end = _label_opening(chunk[mark.end() :], labels)
    return (label, mark.end() + end) if label is not None else (None, 0)


def _label_opening(chunk: str, labels: FileLabels) -> tuple[str | None, int]:
    m = _QA_LABEL.match(chunk)
    if m:
        return ("Q" if m["q"] or m["question"] else "A"), m.end()
    m = _CAPS_RICH.match(chunk)
    if m and (m["abbrev"] or m["role"] or m["paren"]):
        return m["label"], m.end()
    m = _CAPS_LABEL.match(chunk)
    if m and m["label"].strip(" .").upper() not in NOT_SPEAKERS:
        label = m["label"]
        # `MS. SMITH.` style needs a title or two words, so a shouted `OK.` is not a speaker.
        if m["sep"] != "." or _TITLE.match(label) or len(label.split()) >= 2:
            return label, m.end()
    m = _HEARING_LABEL.match(chunk)
    if m:
        return m["label"], m.end()
    m = _MIXED_LABEL.match(chunk)
    if m and "\n" not in m["label"] and m["label"].split()[0].upper() not in NOT_SPEAKERS:
        return m["label"], m.end()
    found = candidate(chunk)
    if found is not None and labels.accepts(found):
        return found.label, found.end
    m = _OWN_LINE_LABEL.fullmatch(chunk)
    name = m["label"].strip(" .") if m else ""
    if name and name_key(name) not in labels.recurring and labels.heading(name):
        return None, 0  # `Prepared Remarks:` said once: a heading, not a speaker
    # without capitals, the shape says little: a short name at first sight (`沈蓓莉：`), a
    # longer line (`具体措施如下：`, "measures are as follows:") only when it recurs
    if (
        m
        and len(name.split()) <= 5
        and name_shape(name)
        and (not caseless(name[0]) or len(name) <= 4 or name_key(name) in labels.recurring)
    ):
        return m["label"], len(chunk)
    return None, 0
