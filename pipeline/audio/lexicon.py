"""Pronunciation lexicons: words the voice should say differently from how they are written.

One plain-text file per language in ``pipeline/lexicons/`` (``en.txt``, ``cy.txt``,
...), editable by translators::

    # A comment.
    MAPPA = Mappa
    VLO = V L O

Each entry is ``written form = what the voice says``. Matching is by whole word and
case-sensitive; when entries overlap, the longest written form wins. The lexicon is
applied to plain text just before synthesis, so it never changes what readers see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import LeafletsError

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    """Whole-word replacements for one language."""

    entries: tuple[tuple[str, str], ...] = ()

    @property
    def _pattern(self) -> re.Pattern[str] | None:
        return _compile(self.entries)

    def apply(self, text: str) -> str:
        """``text`` with every whole-word match of a written form replaced by its reading."""
        pattern = self._pattern
        if pattern is None:
            return text
        table = dict(self.entries)
        return pattern.sub(lambda m: table[m.group(0)], text)


@lru_cache(maxsize=64)
def _compile(entries: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    if not entries:
        return None
    written = sorted((w for w, _ in entries), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in written)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def parse_lexicon(text: str, path: str | Path = "<lexicon>") -> Lexicon:
    """Read a lexicon file's text; a malformed line raises :class:`LeafletsError`."""
    entries: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        written, sep, spoken = line.partition("=")
        written, spoken = written.strip(), spoken.strip()
        if not sep or not written or not spoken:
            raise LeafletsError(
                "a lexicon line must read 'written form = spoken form'",
                path,
                number,
                hint=f"got {line!r}",
            )
        entries[written] = spoken
    return Lexicon(tuple(entries.items()))


@lru_cache(maxsize=32)
def lexicon_for(lang: str, directory: Path = LEXICON_DIR) -> Lexicon:
    """The lexicon of ``lang`` (``en-GB`` uses ``en-gb.txt``, else ``en.txt``), or an empty one."""
    code = lang.lower().replace("_", "-")
    for name in (code, code.split("-")[0]):
        path = directory / f"{name}.txt"
        if path.is_file():
            return parse_lexicon(path.read_text(encoding="utf-8"), path)
    return Lexicon()
