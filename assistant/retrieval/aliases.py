"""Other names the corpus uses for a key term it never uses, so that a question is not declined
because it says "IRS" where the transcripts say "Internal Revenue Service", "LCD" where they say
"L_C_D_", or "Kiev" where they say "Kyiv".

Four ways a corpus name stands for a missing term, strictest first:

    spelling   the same letters and digits once case and marks are set aside ("LCD" / "L_C_D_")
    initials   an acronym spelled by the initials of a run of capitalised words in the corpus
               ("NFL" / "National Football League", "DOJ" / "Department of Justice")
    acronym    the other way round: a corpus acronym spelled by the initials of the name the
               term is part of in the question, its words in order or turned around an "of"
               ("Internal Revenue Service" / "IRS", "Chinese Communist Party" / "CPC", as
               "Communist Party of China")
    meaning    the corpus name nearest the term by embedding, when it is nearly the same meaning
               (cosine >= NEAR_SAME) or a close meaning spelled alike (cosine >= NEAR_SPELLED with
               the same first letter and at most two letters changed: "Kiev" / "Kyiv"; never an
               acronym: "FTX" is not "FT")

An embedding neighbour that is only related ("Orlando" / "Florida", "Taiwan" / "China": cosines
0.71-0.73 with all-MiniLM-L6-v2) is not an alias: a question about Orlando is about another
event than the corpus's Florida passages, and stays declined.

The corpus names and the acronyms they spell are gathered once per index version by `verbatim
index` (`names.json`); `verbatim tune` embeds them (`names.npy`) for aliases by meaning.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS
from rapidfuzz.distance import Levenshtein

from assistant.index import CorpusIndex
from assistant.retrieval.view import CorpusView
from assistant.tokens import is_acronym
from embeddings import EmbeddingModel

NAMES_FILE = "names.json"
NAME_VECTORS_FILE = "names.npy"
NEAR_SAME = 0.8
NEAR_SPELLED = 0.7
SPELLED_EDITS = 2  # letters changed, added or dropped ("kiev" / "kyiv"; not "solyndra" / "solana")
MAX_NAMES = 50_000  # the most frequent corpus names are embedded
_CONNECTORS = {"of", "the", "and", "for", "on", "de", "la", "in", "to"}
# a run of capitalised words, with connectors inside ("Bank of Japan")
_NAME_RUN = re.compile(
    r"\b[A-Z][\w'’&.-]*(?:\s+(?:(?:of|the|and|for|on|de|la|in|to)\s+)?[A-Z][\w'’&.-]*){0,5}"
)


@dataclass(frozen=True)
class Alias:
    term: str  # as the question says it
    alias: str  # as the corpus says it
    how: str  # "spelling", "initials" or "meaning"
    similarity: float = 1.0


def phrase_of(question: str, term: str) -> str | None:
    """The run of capitalised words of `question` that `term` is part of, without an opening
    function word ("Which", "Did"), when it has two words or more: the name the term is a word
    of ("Communist" in "... has the Chinese Communist Party set up ..." is part of "Chinese
    Communist Party")."""
    for m in _NAME_RUN.finditer(question):
        words = m.group(0).split()
        if words[0].lower() in STOPWORDS_EN_PLUS:  # "Which", "Did": the question's, not a name's
            words = words[1:]
        while words and words[-1].lower() in _CONNECTORS:
            words.pop()
        if len(words) >= 2 and any(w.strip(".'’-") == term for w in words):
            return " ".join(words)
    return None


def spelled_by(phrase: str) -> set[str]:
    """The acronyms (folded) the name `phrase` may go by: its `initials`, and those of its
    words turned around ("Chinese Communist Party" also spells "cpc", as "Communist Party of
    China" does; "Homeland Security Department" "dhs")."""
    spelled = initials(phrase)
    words = [w for w in phrase.split() if w.lower() not in _CONNECTORS]
    if len(words) >= 3 and not phrase.isupper():
        letters = "".join(w[0] for w in words).lower()
        spelled |= {letters[k:] + letters[:k] for k in range(1, len(letters))}
    return spelled


def fold(word: str) -> str:
    """Letters and digits only, lower-cased: "L_C_D_" -> "lcd", "U.S." -> "us"."""
    return "".join(ch for ch in word.lower() if ch.isalnum())


def initials(phrase: str) -> set[str]:
    """The acronyms (three letters or more) a name phrase spells, with and without its
    connectors ("Department of Justice" -> {"dj", "doj"}). A run in capitals is a speaker's
    label, a person: it spells no acronym ("BRENDAN PEDERSEN" is not "BP")."""
    words = [w for w in re.split(r"\s+", phrase.strip()) if w]
    if len(words) < 2 or phrase.isupper():
        return set()
    full = "".join(w[0] for w in words).lower()
    bare = "".join(w[0] for w in words if w.lower() not in _CONNECTORS).lower()
    return {a for a in (full, bare) if len(a) >= 3}


def corpus_names(index: CorpusIndex) -> Counter[str]:
    """Capitalised words and runs of them in the corpus's texts, with their counts."""
    names: Counter[str] = Counter()
    for document in index.documents:
        text = index.documents[document].text
        for m in _NAME_RUN.finditer(text):
            run = m.group(0).strip(".'’-")
            words = run.split()
            # sentence openings ("So I", "But We") are not names
            while words and words[0].lower().strip(".'’-") in STOPWORDS_EN_PLUS:
                words.pop(0)
            while words and words[-1].lower() in _CONNECTORS:
                words.pop()
            if not words:
                continue
            names[" ".join(words)] += 1
            if len(words) > 1:
                for w in words:
                    if w.lower() not in _CONNECTORS:
                        names[w.strip(".'’-")] += 1
    return names


def build_names(
    index: CorpusIndex, model: EmbeddingModel | None = None, *, show_progress: bool = False
) -> None:
    """Gather the corpus names and the acronyms they spell and write them beside the version;
    with a `model`, embed the most frequent names too (aliases by meaning)."""
    counts = corpus_names(index)
    names = [n for n, _ in counts.most_common(MAX_NAMES) if len(n) >= 2]
    acronyms: dict[str, list[str]] = {}
    for name in counts:
        for a in initials(name):
            acronyms.setdefault(a, []).append(name)
    version = Path(index.path)
    if model is not None:
        vectors = (
            model.encode(names, batch_size=256, show_progress=show_progress)
            if names
            else np.zeros((0, model.dimension), dtype=np.float32)
        )
        tmp = version / f".{NAME_VECTORS_FILE}.tmp-{os.getpid()}.npy"
        np.save(tmp, np.asarray(vectors, dtype=np.float16))
        os.replace(tmp, version / NAME_VECTORS_FILE)
    data = {"names": names, "initials": {a: sorted(v)[:5] for a, v in acronyms.items()}}
    tmp_json = version / f".{NAMES_FILE}.tmp-{os.getpid()}"
    tmp_json.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp_json, version / NAMES_FILE)


def spelled_alike(term: str, name: str) -> bool:
    """Whether `name` may be another spelling of `term`: the same first letter and at most
    `SPELLED_EDITS` letters changed ("Kiev" / "Kyiv"). Never for an acronym: each of its
    letters stands for a word, so one letter more or less names something else ("FTX" / "FT",
    "NFL" / "NFC")."""
    if is_acronym(term):
        return False
    return (
        name[:1].lower() == term[:1].lower()
        and Levenshtein.distance(term.lower(), name.lower()) <= SPELLED_EDITS
    )


class Aliases:
    """Finds the corpus's name for a missing term. Without the names files (an index not yet
    tuned) only spelling aliases are found."""

    def __init__(self, view: CorpusView) -> None:
        self.view = view
        self._folded: dict[str, str] = {}
        for stem in view.vocab:
            key = fold(stem)
            if key and key != stem:
                self._folded.setdefault(key, stem)
        version = Path(view.index.path)
        self.names: list[str] = []
        self.initials: dict[str, list[str]] = {}
        self.acronyms: dict[str, str] = {}  # folded -> as the corpus writes it ("cpc": "CPC")
        self.vectors: np.ndarray | None = None
        try:
            data = json.loads((version / NAMES_FILE).read_text(encoding="utf-8"))
            self.initials = dict(data["initials"])
            for name in data["names"]:  # most frequent first
                # a name the tokeniser keeps no word of ("D.C.": single letters) is found by
                # its spelling here
                key = fold(name)
                if len(key) >= 2:
                    self._folded.setdefault(key, name)
                if " " not in name and is_acronym(name):
                    self.acronyms.setdefault(key, name)
            vectors = np.load(version / NAME_VECTORS_FILE)
            if len(vectors) == len(data["names"]):
                self.names = list(data["names"])
                self.vectors = np.asarray(vectors, dtype=np.float32)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not tuned (yet): spelling aliases only, or initials without meanings

    @property
    def embedded(self) -> bool:
        return self.vectors is not None and len(self.names) > 0

    def find(
        self, term: str, vector: np.ndarray | None = None, phrase: str | None = None
    ) -> Alias | None:
        """The corpus's name for `term`, or None. `vector` is the term's embedding (needed for
        aliases by meaning); `phrase` the name the question writes it in (`phrase_of`), whose
        acronym the corpus may use instead."""
        key = fold(term)
        if key in self._folded:
            return Alias(term, self._folded[key], "spelling")
        if term.isupper() and key in self.initials:
            return Alias(term, self.initials[key][0], "initials")
        if phrase:
            # in the phrase's own order first: "Internal Revenue Service" is "IRS"
            in_order = initials(phrase)
            for spelled in sorted(spelled_by(phrase), key=lambda a: (a not in in_order, a)):
                if spelled in self.acronyms:
                    return Alias(term, self.acronyms[spelled], "acronym")
        if vector is None or not self.embedded:
            return None
        assert self.vectors is not None
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(sims))
        cosine, name = float(sims[best]), self.names[best]
        if fold(name) == key:
            return None  # the term itself (in another case): not an alias of a missing term
        if cosine >= NEAR_SAME or (cosine >= NEAR_SPELLED and spelled_alike(term, name)):
            return Alias(term, name, "meaning", cosine)
        return None
