"""Finding speakers by name: in a question ("What did Grad B say about ..."), and for a filter
(`speaker="powell"`), over look-ups built once per index so that 100,000 speakers cost no more
per question than ten.

A question names a speaker by their whole name as written (`Grad B`, `Project Manager`, `the
Chair`), or by a distinctive part of it (`Powell`: three letters or more, not a title like
`Mr` or `Chair`, and shared by at most `MAX_FILTER_MATCHES` speakers). A filter matches a name whole (any case), then whole words of it in order
(`grad b`, `bruce stanton`, `b`), then, for three characters or more, any part of it (`pow`);
one or two letters found only inside names (`a`) are refused with a message. A
filter that matches more than `MAX_FILTER_MATCHES` speakers is refused with a message saying
so: narrowing to 27,000 speakers is not what someone typing `a` meant.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from assistant.labels import caseless as _caseless
from assistant.labels import split_paren

MAX_FILTER_MATCHES = 50
_NAME_WORD = re.compile(r"[\w'’-]+")
_TITLE_WORDS = {
    "mr", "ms", "mrs", "dr", "chair", "chairman", "secretary", "governor", "president",
    "senator", "vice", "the", "hon", "right", "acting", "of",
}  # fmt: skip
# Words of a name that need no capital where a question writes it (`the Chair`).
_LOWER_OK = {"the", "of", "and", "de", "la", "le", "van", "von", "der", "da", "di", "del"}


class AmbiguousSpeaker(ValueError):
    """A speaker filter that matches too many speakers to be what was meant."""


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _NAME_WORD.findall(text)]


class SpeakerNames:
    """Look-ups over the speakers of an index (`names`, sorted): codes, whole names, words and
    parts of names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self.code = {name: i for i, name in enumerate(self.names)}
        self._exact: dict[str, list[str]] = {}
        self._whole: dict[tuple[str, ...], set[str]] = {}  # a name's words, and its short form's
        self._by_word: dict[str, set[str]] = {}
        self._parts: dict[str, set[str]] = {}  # distinctive parts, as a question names them
        self._words: dict[str, tuple[str, ...]] = {}
        self._unspaced: dict[str, list[str]] = {}  # names of scripts without capitals, by pair
        exact, whole, by_word, parts = self._exact, self._whole, self._by_word, self._parts
        folded = [name.casefold() for name in self.names]
        for name, low in zip(self.names, folded, strict=True):
            words = tuple(_NAME_WORD.findall(low))
            self._words[name] = words
            exact.setdefault(" ".join(low.split()), []).append(name)
            if words:
                whole.setdefault(words, set()).add(name)
            if "(" in name:  # its short form too: `The Chair (Hon. Anthony Rota)`
                short = tuple(_words(split_paren(name)[0]))
                if short and short != words:
                    whole.setdefault(short, set()).add(name)
            for word in words:
                pool = by_word.get(word)
                if pool is None:
                    pool = by_word[word] = set()
                    if word not in _TITLE_WORDS and len(word) >= 3:
                        parts[word] = pool  # the same set: a distinctive part is a word
                pool.add(name)
            if _caseless(name[0]) and len(low) >= 2:  # `沈蓓莉`: found inside a question
                self._unspaced.setdefault(low[:2], []).append(name)
        self._longest = max((len(w) for w in self._whole), default=0)
        # every name, case-folded, one per line: parts are found by one scan of this text
        self._joined = "\n".join(folded)
        self._starts = []
        pos = 0
        for f in folded:
            self._starts.append(pos)
            pos += len(f) + 1

    def __len__(self) -> int:
        return len(self.names)

    def codes(self, names: Iterable[str]) -> set[int]:
        return {self.code[n] for n in names}

    # ------------------------------------------------------------ in a question
    def named_in(self, text: str) -> tuple[str, ...]:
        """Speakers a question names: whole names as written (`Grad B`, `the Chair`), and
        speakers sharing a distinctive capitalised part (`Powell`) outside those."""
        found = list(_NAME_WORD.finditer(text))
        words = [m.group(0).casefold().removesuffix("'s").removesuffix("’s") for m in found]
        named: set[str] = set()
        covered = [False] * len(found)
        i = 0
        while i < len(found):
            for n in range(min(self._longest, len(found) - i), 0, -1):
                key = tuple(words[i : i + n])
                if key in self._whole and _written_as_name(found[i : i + n], key):
                    named |= self._whole[key]
                    covered[i : i + n] = [True] * n
                    i += n - 1
                    break
            i += 1
        if self._unspaced:  # written without spaces: the name inside a longer run of text
            low = text.casefold()
            for i in range(len(low) - 1):
                for name in self._unspaced.get(low[i : i + 2], ()):
                    if low.startswith(name.casefold(), i):
                        named.add(name)
        for m, word, inside in zip(found, words, covered, strict=True):
            pool = self._parts.get(word) if not inside and m.group(0)[0].isupper() else None
            if pool and len(pool) <= MAX_FILTER_MATCHES:  # shared by thousands: names no one
                named |= pool
        return tuple(sorted(named))

    # ------------------------------------------------------------ as a filter
    def match(self, name: str) -> list[str]:
        """Speakers a filter `name` means: the whole name (any case), else names holding its
        words in order, else (three characters or more) names holding it. Raises
        AmbiguousSpeaker past MAX_FILTER_MATCHES."""
        low = " ".join(name.split()).casefold()
        if not low:
            return []
        if low in self._exact:
            return self._exact[low]
        words = _words(low)
        found: list[str] = []
        if words:
            pools = sorted((self._by_word.get(w, set()) for w in words), key=len)
            found = sorted(s for s in set.intersection(*pools) if _in_order(words, self._words[s]))
        scanned = not found
        if scanned:
            found = self._containing(low, MAX_FILTER_MATCHES + 1)
            if found and len(low) < 3 and not _caseless(low[0]):
                raise AmbiguousSpeaker(
                    f"speaker {name!r} is no whole word of a name, only part of names like "
                    f"{', '.join(found[:3])}; give more of the name"
                )
        if len(found) > MAX_FILTER_MATCHES:
            count = f"more than {MAX_FILTER_MATCHES}" if scanned else f"{len(found):,}"
            raise AmbiguousSpeaker(
                f"speaker {name!r} matches {count} speakers ({', '.join(found[:5])}, …); "
                "give more of the name"
            )
        return found

    def _containing(self, low: str, limit: int) -> list[str]:
        """Up to `limit` names holding `low`, found by one scan of the joined names."""
        found: list[str] = []
        seen = -1
        pos = self._joined.find(low)
        while pos >= 0 and len(found) < limit:
            row = bisect.bisect_right(self._starts, pos) - 1
            if row != seen:
                found.append(self.names[row])
                seen = row
            next_row = self._starts[row + 1] if row + 1 < len(self._starts) else len(self._joined)
            pos = self._joined.find(low, next_row)
        return found


def _written_as_name(found: list[re.Match[str]], key: tuple[str, ...]) -> bool:
    """A run of question words written as a name: capitalised (numbers as they are), but for
    `the`, `of`, ..."""
    if all(w in _LOWER_OK for w in key):
        return False
    return all(
        m.group(0)[0].isupper() or not m.group(0)[0].isalpha() or w in _LOWER_OK
        for m, w in zip(found, key, strict=True)
    )


def _in_order(words: list[str], name: tuple[str, ...]) -> bool:
    """`words` appear in `name` as consecutive words."""
    n = len(words)
    return any(list(name[i : i + n]) == words for i in range(len(name) - n + 1))
