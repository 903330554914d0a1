"""Control characters in text people send us.

PostgreSQL cannot store NUL (U+0000) in a text column at all (the driver refuses the query), and the
other C0 control characters have no place in anything a person types: they are refused, never
stripped silently. Tab, line feed and carriage return are allowed (multi-line text has them;
single-line fields fold them into spaces where they are cleaned).

``ControlCharacterMiddleware`` (``backline.core.middleware``) applies this to every request's input,
so every form and API endpoint refuses such text with a 422 naming the field; services that take text
from elsewhere (a CSV file's cells, a management command) check it with the helpers here.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab (09), line feed (0A) and carriage return (0D).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character(value: str) -> str | None:
    """The first refused control character in ``value``, or None."""
    match = CONTROL_CHARACTERS.search(value)
    return match.group() if match else None


def control_message(char: str) -> str:
    """What to tell a person whose text holds ``char``."""
    what = "a NUL character (U+0000)" if char == "\x00" else f"the control character U+{ord(char):04X}"
    return f"This text contains {what}, which cannot be stored. Remove it and try again."


def control_error(value) -> str | None:
    """``control_message`` for a string holding a refused control character; None otherwise."""
    if not isinstance(value, str):
        return None
    char = control_character(value)
    return control_message(char) if char else None


def printable_key(key: str) -> str:
    """A field name safe to show: control characters written as ``\\x00``."""
    return CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", key)


def find_control_character(data, path: str = "") -> tuple[str, str] | None:
    """(the dotted path of the first string in ``data`` — a JSON value: dicts, lists, strings, numbers —
    holding a refused control character, that character), or None. Dict keys count too."""
    if isinstance(data, str):
        char = control_character(data)
        return (path or "__all__", char) if char else None
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (char := control_character(key)):
                return printable_key(name), char
            if found := find_control_character(value, name):
                return found
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            if found := find_control_character(value, f"{path}.{index}" if path else str(index)):
                return found
    return None


def breaks_line(value: str) -> bool:
    """Whether ``value`` holds a control character (line breaks included) or a Unicode line or paragraph
    separator: such text cannot be one line (an email header, a sender's or recipient's name)."""
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)



_MARKUP = re.compile(r"(\*\*|__|[*_`]|^\s*(?:[-+]|#{1,6}|>)\s+|\[([^\]]*)\]\([^)]*\))", re.MULTILINE)


def plain_text(text: str | None, limit: int | None = None) -> str:
    """Markdown text as plain words on one line: marks (``**bold**``, ``_em_``, code ticks, list bullets,
    headings, quotes) dropped, a link kept as its words; cut to ``limit`` characters with "…"."""
    if not text:
        return ""
    text = _MARKUP.sub(lambda m: m.group(2) or "", text)
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
