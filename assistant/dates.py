"""Dates in titles and questions, as ISO `YYYY-MM-DD` strings or inclusive ranges.

Titles carry one date in many spellings (`2022-10-31`, `October 31, 2022`, `10/30/09`); a
transcript whose title has none is dated by a line near its top that is a date and nothing else
(a press office's page: "For Immediate Release" / "May 02, 2011"), else by its file's name
(`2011-05-02-press-briefing.html`, `FOMCpresconf20110427.pdf`): `transcript_date`;
questions name a day, a month, a part of a year or a year ("in June 2022", "at the December
2021 press conference", "in the spring of 2021", "late 2023", "in 2025"), which becomes a date
range to restrict or boost retrieval: `date_range_in`; `question_dates` reads, besides, the
words that open or join it ("since 2022", "before the 2020 election", "between 2021 and 2023",
"2021-22").
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b")
_SLASHED = re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4}|\d{2})\b")
_WRITTEN = re.compile(
    r"\b" + _MONTH_RE + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    r"\b(?P<day>[0-3]?\d)\s+" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
_MONTH_YEAR = re.compile(
    r"\b" + _MONTH_RE + r",?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
# Part of a year: "spring 2021", "the fall of 2023", "early 2022", "mid-2022", "the end of
# 2020", "the first half of 2021" -> (first month, last month); winter runs from the December
# before ("the winter of 2021": December 2020 to February 2021).
_PARTS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "fall": (9, 11),
    "autumn": (9, 11),
    "winter": (0, 2),
    "early": (1, 4),
    "beginning": (1, 4),
    "start": (1, 4),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (9, 12),
    "end": (9, 12),
    "first half": (1, 6),
    "second half": (7, 12),
}
_PART_OF_YEAR = re.compile(
    r"\b(?P<part>"
    + "|".join(p.replace(" ", r"\s+") for p in sorted(_PARTS, key=len, reverse=True))
    + r")(?:\s*-\s*|\s+of\s+|\s+)(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# Chinese and Japanese: 2022年10月31日
_UNSPACED = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"
)


EARLIEST, LATEST = "0001-01-01", "9999-12-31"  # the open ends of "before 2020", "since 2022"


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of ISO dates named in a question, and the words that named it."""

    start: str
    end: str
    text: str

    def contains(self, date: str | None) -> bool:
        return date is not None and self.start <= date <= self.end

    @property
    def bounds(self) -> tuple[str | None, str | None]:
        """(start, end), None for an open end ("since 2022" has no end)."""
        return (
            None if self.start == EARLIEST else self.start,
            None if self.end == LATEST else self.end,
        )


def _iso(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower().rstrip(".")]


def parse_date(text: str) -> str | None:
    """The first full date written in `text`, as `YYYY-MM-DD`, or None."""
    found: list[tuple[int, str]] = []
    for pattern in (_ISO, _WRITTEN, _DAY_FIRST, _SLASHED, _UNSPACED):
        for m in pattern.finditer(text):
            iso = _iso(_year(m["year"]), _month(m["month"]), int(m["day"]))
            if iso:
                found.append((m.start(), iso))
                break
    return min(found)[1] if found else None


# A date in a file's name: 2011-05-02, 2011_05_02, 20110427 (not inside a longer number).
_IN_NAME = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<month>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0[1-9]|[12]\d|3[01])(?!\d)"
)
# What may stand beside a date on a line of its own: weekdays, ordinal endings, punctuation.
_WEEKDAYS = [d.lower() for d in (*calendar.day_name, *calendar.day_abbr)]
_BESIDE_DATE = {*_WEEKDAYS, "st", "nd", "rd", "th"}
HEAD_LINES = 30  # how many non-empty lines at a transcript's top may hold its date line


def date_alone(line: str) -> str | None:
    """The date `line` is, when it holds a full date and nothing else but a weekday and
    punctuation ("May 02, 2011", "Monday, May 2nd, 2011", "2011-05-02"); else None."""
    iso = parse_date(line)
    if iso is None:
        return None
    words = re.findall(r"[^\W\d_]+", line)
    rest = [w for w in words if w.lower() not in _BESIDE_DATE and w.lower() not in MONTHS]
    return None if rest or re.search(r"\d{5,}", line) else iso


def date_in_name(document: str) -> str | None:
    """The first valid date in a document's file name (its last path part), or None."""
    name = document.replace("\\", "/").rsplit("/", 1)[-1]
    for m in _IN_NAME.finditer(name):
        iso = _iso(int(m["year"]), int(m["month"]), int(m["day"]))
        if iso:
            return iso
    return None


def transcript_date(title: str, text: str = "", document: str = "") -> str | None:
    """A transcript's date: the first in its title; else the first of the top `HEAD_LINES`
    non-empty lines of `text` that is a date alone (`date_alone`); else the date in its file's
    name."""
    found = parse_date(title)
    if found:
        return found
    seen = 0
    for line in text.split("\n", 4 * HEAD_LINES)[: 4 * HEAD_LINES]:  # blank lines between
        if line.strip():
            found = date_alone(line.strip())
            if found:
                return found
            seen += 1
            if seen == HEAD_LINES:
                break
    return date_in_name(document)


def date_range_in(question: str) -> DateRange | None:
    """The most specific date, month, part of a year or year the question names, as a range;
    None if none."""
    day = None
    for pattern in (_ISO, _WRITTEN, _DAY_FIRST, _SLASHED, _UNSPACED):
        m = pattern.search(question)
        if m:
            iso = _iso(_year(m["year"]), _month(m["month"]), int(m["day"]))
            if iso:
                day = DateRange(iso, iso, m.group(0))
                break
    if day:
        return day
    m = _MONTH_YEAR.search(question)
    if m:
        year, month = int(m["year"]), _month(m["month"])
        last = calendar.monthrange(year, month)[1]
        return DateRange(
            f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}", m.group(0)
        )
    m = _PART_OF_YEAR.search(question)
    if m:
        year = int(m["year"])
        first, last = _PARTS[" ".join(m["part"].lower().split())]
        start = f"{year - 1:04d}-12-01" if first == 0 else f"{year:04d}-{first:02d}-01"
        end = calendar.monthrange(year, last)[1]
        return DateRange(start, f"{year:04d}-{last:02d}-{end:02d}", m.group(0))
    m = _YEAR.search(question)
    if m:
        return DateRange(f"{m['year']}-01-01", f"{m['year']}-12-31", m.group(0))
    return None


# Words that open a date's range on one side, read before the date in its clause, at most
# `_RELATION_WORDS` words before it ("since he returned to the White House in 2025").
_FROM_ON = re.compile(r"\b(?:ever\s+since|since|after|following)\b", re.IGNORECASE)
_UP_TO = re.compile(r"\b(?:before|until|till|prior\s+to|up\s+to|up\s+until)\b", re.IGNORECASE)
_ONWARD = re.compile(r"\s*(?:on\b|onwards?\b|forward\b|and\s+(?:later|after)\b)", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
# Words that make "after" or "before" a time close to the date ("right after the November 2024
# election", "days before the vote"), not everything since or before it
_CLOSE_BY = re.compile(
    r"\b(?:right|just|shortly|immediately|soon|directly|hours?|days?|weeks?|months?|the eve)\s+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:?!.()\u2014]")
_RELATION_WORDS = 8
# What may join two dates into one span: "2021 and 2022", "June 2021 to March 2022", "2021-2023"
_JOINERS = {"-", "\u2013", "\u2014", "to", "through", "thru", "until", "till", "and", "or", "&"}
_JOINED_FILLER = {"the", "in", "of", "into", "early", "late"}
# "2021-22": a second year written by its last two digits
_SHORT_SPAN = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)\s*[-\u2013/]\s*(?P<last>\d\d)\b(?![-\u2013/]?\d)"
)


def _all_dates(question: str) -> list[tuple[int, int, DateRange]]:
    """Every day, month, part of a year and year the question writes, as (start, end offset,
    range), in order; where two overlap ("June 2022" and its "2022"), the more specific."""
    found: list[tuple[int, int, DateRange]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b, _ in found)

    for pattern in (_ISO, _WRITTEN, _DAY_FIRST, _SLASHED, _UNSPACED):
        for m in pattern.finditer(question):
            iso = _iso(_year(m["year"]), _month(m["month"]), int(m["day"]))
            if iso and free(*m.span()):
                found.append((*m.span(), DateRange(iso, iso, m.group(0))))
    for m in _MONTH_YEAR.finditer(question):
        if free(*m.span()):
            year, month = int(m["year"]), _month(m["month"])
            last = calendar.monthrange(year, month)[1]
            start, end = f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
            found.append((*m.span(), DateRange(start, end, m.group(0))))
    for m in _PART_OF_YEAR.finditer(question):
        if free(*m.span()):
            year = int(m["year"])
            first, last = _PARTS[" ".join(m["part"].lower().split())]
            start = f"{year - 1:04d}-12-01" if first == 0 else f"{year:04d}-{first:02d}-01"
            end = calendar.monthrange(year, last)[1]
            found.append(
                (*m.span(), DateRange(start, f"{year:04d}-{last:02d}-{end:02d}", m.group(0)))
            )
    for m in _YEAR.finditer(question):
        if free(*m.span()):
            found.append(
                (*m.span(), DateRange(f"{m['year']}-01-01", f"{m['year']}-12-31", m.group(0)))
            )
    return sorted(found, key=lambda f: f[0])


def _joined(question: str, dates: list[tuple[int, int, DateRange]]) -> DateRange | None:
    """The first two dates written as one span ("between 2021 and 2023", "June 2021 to March
    2022", "2021-22"), from the first's start to the second's end; None when none are."""
    m = _SHORT_SPAN.search(question)
    if m:
        first = int(m["year"])
        second = first // 100 * 100 + int(m["last"])
        if second > first:
            return DateRange(f"{first:04d}-01-01", f"{second:04d}-12-31", m.group(0))
    for (_, end, a), (start, last, b) in itertools.pairwise(dates):
        gap = re.findall(r"[\w&]+|[-\u2013\u2014]", question[end:start].lower())
        if (
            gap
            and len(gap) <= 3
            and any(w in _JOINERS for w in gap)
            and all(w in _JOINERS or w in _JOINED_FILLER for w in gap)
            and a.start <= b.end
        ):
            text = question[end - len(a.text) : last]
            return DateRange(a.start, b.end, text)
    return None


def question_dates(question: str) -> DateRange | None:
    """The span of time a question asks about: the date it names (`date_range_in`), or two
    dates it joins ("between 2021 and 2023", "2021-22") as one span, opened on one side by the
    words before it in its clause: "since 2022", "after the spring 2023 bank failures" run from
    its start on (what follows an event may fall in its month), "before 2020", "until June
    2022" up to its end, "from 2021 on" from its start. None when it names no date."""
    joined = _joined(question, _all_dates(question))
    if joined is not None:
        return joined
    found = date_range_in(question)
    if found is None:
        return None
    at = question.find(found.text)
    if _FROM.search(question[:at]) and _ONWARD.match(question[at + len(found.text) :]):
        return DateRange(found.start, LATEST, found.text)
    clause = _CLAUSE_END.split(question[:at])[-1]
    near = " ".join(clause.split()[-_RELATION_WORDS:])
    openers = [(m.start(), p is _FROM_ON) for p in (_FROM_ON, _UP_TO) for m in p.finditer(near)]
    if not openers:
        return found
    at, from_on = max(openers)  # the nearest opener before the date
    if _CLOSE_BY.search(near[:at]):  # "right after the election": near it, not since
        return found
    if from_on:
        return DateRange(found.start, LATEST, found.text)
    return DateRange(EARLIEST, found.end, found.text)


def _ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits, full-width punctuation as ASCII (NFKC)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def iso_date(value: str, name: str = "date") -> str:
    """`value` as a real calendar date `YYYY-MM-DD` (a date filter). Digits of other scripts are
    read as digits (`２０２２-０６-１５` is 2022-06-15). ValueError quoting the value when it is
    not such a date: `2022-02-30` and `0000-00-00` are not days."""
    text = _ascii_digits(str(value)).strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, got {value!r}")
    try:
        datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{name} {value!r} is not a calendar date ({error})") from None
    return text
