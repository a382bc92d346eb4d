"""Text from transcripts and file names made harmless for a terminal, for the CLI's output only.

A transcript or a file name can hold escape sequences (ESC `]0;title BEL` sets the window title,
ESC `[2J` clears the screen, ESC `]52;c;...` writes the clipboard) and carriage returns or
newlines that forge lines of output. Printed raw, the terminal obeys them. `safe` shows every
control character as a visible escape (`\\x1b`, `\\r`, `\\n`), so the reader sees what the text
holds and the terminal does nothing. Only terminal output goes through here: the index, the
answers and `--json`'s values keep the exact text.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (U+0080-U+009F: some terminals take U+009B as ESC [).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes C0 itself


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def safe(text: object, keep: str = "") -> str:
    """`text` with every control character except those in `keep` (e.g. "\\n") shown as an
    escape: `\\x1b]0;owned\\x07` prints as those characters, not as a new window title."""
    value = str(text)
    if not keep:
        return _CONTROL.sub(_escape, value)
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), value)


def safe_json(text: str) -> str:
    """JSON text with the control characters `json.dumps(ensure_ascii=False)` leaves raw (DEL and
    C1) written as `\\u` escapes: the same JSON values, inert in a terminal."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
