"""Errors a person can act on: one line, naming the file and line, saying what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        return f"{where}{self.message}{hint}"


@dataclass(frozen=True)
class Problem:
    """A finding that does not stop the work: a warning or an error to report."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    severity: str = "warning"

    def __str__(self) -> str:
        return str(LeafletsError(f"{self.severity}: {self.message}", self.path, self.line))
