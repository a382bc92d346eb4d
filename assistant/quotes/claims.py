"""Judging a claimed speaker ("Powell", "Josh Earnest", "the press secretary", "a reporter")
against who said a source span: its speaker label, its role (a reporter's question or an
official's answer) and the transcript's title ("Press Briefing by Press Secretary Josh
Earnest"). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answers import Citation

# Words of a label or a claim that say what someone is, not who.
_TITLES = {
    "mr",
    "ms",
    "mrs",
    "miss",
    "dr",
    "prof",
    "professor",
    "chair",
    "chairman",
    "chairwoman",
    "secretary",
    "governor",
    "president",
    "vice",
    "senator",
    "sen",
    "rep",
    "representative",
    "ambassador",
    "admiral",
    "general",
    "minister",
    "press",
    "deputy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "director",
    "commissioner",
    "mayor",
    "chief",
    "official",
    "officials",
    "aide",
    "adviser",
    "advisor",
    "economist",
    "leader",
    "speaker",
    "moderator",
    "host",
    "the",
    "a",
    "an",
    "one",
    "of",
    "white",
    "house",
    "fed",
    "federal",
    "reserve",
    "senior",
    "former",
    "top",
    "state",
    "us",
    "u.s",
}
_REPORTERS = {"reporter", "reporters", "journalist", "journalists", "correspondent", "questioner"}
# Role phrases, longest first: what a claim without a name says the speaker is.
_ROLES = (
    "deputy press secretary",
    "press secretary",
    "vice chair",
    "vice president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "chairwoman",
    "chairman",
    "chair",
    "secretary",
    "governor",
    "president",
    "senator",
    "ambassador",
    "minister",
    "director",
    "commissioner",
    "mayor",
    "moderator",
)
_WORD = re.compile(r"[\w'’.\-]+")


@dataclass(frozen=True)
class Claim:
    """Who a text says said a quote: the name words it gives (lower case), the roles it names,
    and whether it credits a reporter."""

    text: str
    names: frozenset[str]
    roles: tuple[str, ...]
    reporter: bool

    @property
    def judgeable(self) -> bool:
        return bool(self.names or self.roles or self.reporter)


def _words(text: str) -> list[str]:
    return [w.lower().strip(".'’-") for w in _WORD.findall(text)]


def name_parts(label: str | None) -> frozenset[str]:
    """The name words of a speaker label: "Chair Powell" -> {"powell"}, "Mr. Earnest" ->
    {"earnest"}, "Michelle Smith" -> {"michelle", "smith"}."""
    if not label:
        return frozenset()
    return frozenset(
        w for w in _words(label) if len(w) >= 2 and w not in _TITLES and w not in _REPORTERS
    )


def parse_claim(text: str | None) -> Claim | None:
    """A claimed speaker as written, taken apart; None when there is none."""
    if text is None or not text.strip():
        return None
    low = " ".join(_words(text))
    roles = []
    for role in _ROLES:
        if re.search(rf"\b{role}\b", low) and not any(role in r for r in roles):
            roles.append(role)
    words = set(_words(text))
    return Claim(text.strip(), name_parts(text), tuple(roles), bool(words & _REPORTERS))


def same_person(names: frozenset[str], parts: frozenset[str]) -> bool:
    """Whether a claim's name words and a label's (`name_parts`) name the same person: one
    holds the other ("Powell" and "Chair Powell", "Josh Earnest" and "Mr. Earnest"); a label
    without a name names no one."""
    return bool(parts) and (parts <= names or names <= parts)


def speaker_matches(claim: Claim | None, citation: Citation) -> bool | None:
    """Whether the span cited was said by the claimed speaker: True, False (someone else said
    it, or it was a reporter's question), or None (nothing claimed, or a claim this cannot
    judge, such as "a senior official" against an unnamed label)."""
    if claim is None or not claim.judgeable:
        return None
    asked = citation.role == "question"
    if claim.reporter and not claim.names:
        return asked
    label_words = set(_words(citation.speaker or ""))
    if claim.names:
        parts = name_parts(citation.speaker)
        if parts:
            return same_person(claim.names, parts)
        if asked:
            return False  # an unnamed reporter's question, credited to someone by name
        # a label without a name ("THE PRESIDENT"): judged by the role, when the claim has one
        if any(role.split()[-1] in label_words for role in claim.roles):
            return True
        return None
    if asked:
        return False
    title = (citation.title or "").lower()
    parts = name_parts(citation.speaker)
    for role in claim.roles:
        if role.split()[-1] in label_words:
            return True  # "Chair Powell" is the chair
        # "Press Briefing by Press Secretary Josh Earnest": the role names this speaker
        for m in re.finditer(rf"\b{role}\b", title):
            following = set(_words(title[m.end() : m.end() + 40]))
            if parts & following:
                return True
    return False
