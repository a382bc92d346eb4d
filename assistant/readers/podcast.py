"""Podcast transcripts published as HTML: one `<cite>` per turn naming the speaker, a `<time>`,
then the turn's paragraphs, often as a fragment without `<html>` or `<body>`::

    <cite>Travis:</cite><time>0:05</time><p>Welcome back to the show.</p><p>Today ...</p>
    <cite>Jane Doe:</cite><time>1:02</time><p>Thanks for having me.</p>

The speaker is the `<cite>` as written (its trailing colon dropped), the time the `<time>`
(`M:SS`, `H:MM:SS`, or its `datetime`), each paragraph a block of that turn.
"""

from __future__ import annotations

from assistant.readers.cues import seconds
from assistant.readers.layout import Block, ReadError, clock, one_line

MAX_CITE = 80  # characters: a speaker's name, not a quotation in a <cite>


def _time(node) -> str | None:
    for value in (node.attributes.get("datetime"), node.text()):
        if value:
            try:
                found = seconds(value.strip().removeprefix("PT"), "time")
            except ReadError:
                continue
            if found is not None:
                return clock(found)
    return None


def _next_element(node):
    sibling = node.next
    while sibling is not None and sibling.tag == "-text" and not (sibling.text() or "").strip():
        sibling = sibling.next
    return sibling


def is_podcast(root) -> bool:
    """Two or more short `<cite>`s that open turns (each followed by its `<time>` or `<p>`, not
    a citation inside a paragraph or a quotation): the turns layout."""
    turns = 0
    for cite in root.css("cite"):
        if not 0 < len(one_line(cite.text())) <= MAX_CITE:
            continue
        if cite.parent is not None and cite.parent.tag in (
            "p",
            "blockquote",
            "q",
            "li",
            "figcaption",
        ):
            continue
        following = _next_element(cite)
        if following is not None and following.tag in ("time", "p"):
            turns += 1
    return turns >= 2


def blocks(root) -> list[Block]:
    """The turns of a podcast page (see the module's docstring), in document order."""
    out: list[Block] = []
    speaker: str | None = None
    time: str | None = None
    for node in root.traverse(include_text=False):
        tag = node.tag
        if tag == "cite":
            name = one_line(node.text()).rstrip(":").strip()
            if 0 < len(name) <= MAX_CITE:
                speaker, time = name, None
        elif tag == "time":
            time = _time(node)
        elif tag == "p":
            text = one_line(node.text(separator=""))
            if text:
                out.append(Block(text, speaker, times=((0, time),) if time else ()))
                time = None
    return out
