"""Output hygiene: text from articles and files is shown as text, never obeyed as instructions.

* :func:`terminal_text` strips control characters (terminal escape sequences) and the invisible
  bidirectional controls (RLO and friends, which reorder what a reader sees) from text printed in
  a terminal; line breaks and tabs stay.
* :func:`csv_cell` neutralises a spreadsheet formula: a cell starting with ``= + - @`` (or a tab or
  carriage return before one) gets a leading apostrophe, as OWASP advises; plain numbers stay.
* :func:`xml_text` drops the characters XML 1.0 cannot hold at all (NUL and the other C0
  controls, lone surrogates, U+FFFE/U+FFFF), so a feed stays well-formed.
"""

from __future__ import annotations

import re

# C0 and C1 controls except \t and \n; DEL; the bidi embedding/override/isolate controls and marks
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def terminal_text(text: str) -> str:
    """``text`` without escape sequences' and bidi controls' characters (a carriage return too)."""
    return _TERMINAL_UNSAFE.sub("", text)


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run: formulas get a leading apostrophe."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids removed."""
    return _XML_INVALID.sub("", text)
