"""Errors a person can act on: one line, naming the file and line, saying what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                      "\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control, line-separating and bidi-override characters written as
    escapes (``\\x1b``): what a file says reaches the terminal as text, on one line."""
    return _UNSHOWN.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                        else f"\\u{ord(m[0]):04x}", text)


@dataclass
class LeafletsError(Exception):
    """Bad input or a failed step. ``str()`` gives the one-line message shown to people."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return printable(f"{where}{self.message}{hint}")


class FormatSkipped(LeafletsError):
    """A format not made on purpose (audio no voice can read): the build says why and
    exits with status 3, and the other formats are made."""


@dataclass(frozen=True)
class Problem:
    """A finding that does not stop the work: a warning or an error to report."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    severity: str = "warning"

    def __str__(self) -> str:
        return str(LeafletsError(f"{self.severity}: {self.message}", self.path, self.line))
