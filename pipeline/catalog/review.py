"""Review state: whether a qualified translator has checked a catalogue.

A catalogue is reviewed when its header has ``X-Leaflets-Reviewed: yes``, or when every
translated message carries the translator comment ``# reviewed``. Both are plain gettext
(a header field and a translator comment), which Poedit, Weblate, polib and msgmerge keep.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from ..model import Text, Words

REVIEWED_FIELD = "X-Leaflets-Reviewed"
REVIEWED_COMMENT = "reviewed"


@dataclass(frozen=True)
class Review:
    """A catalogue's review state: its header's word, and its messages marked reviewed."""

    header: bool = False
    marked: int = 0
    translated: int = 0

    @property
    def reviewed(self) -> bool:
        return self.header or (self.translated > 0 and self.marked == self.translated)

    def __str__(self) -> str:
        if self.reviewed:
            return "yes"
        return f"{self.marked}/{self.translated}" if self.marked else "no"


def message_reviewed(entry: polib.POEntry) -> bool:
    """Whether the message carries the translator comment ``# reviewed``."""
    return any(line.strip().lower() == REVIEWED_COMMENT
               for line in (entry.tcomment or "").splitlines())


def review(catalog: polib.POFile | None) -> Review:
    """The review state of a catalogue (None, the source language, counts as reviewed)."""
    if catalog is None:
        return Review(header=True)
    header = catalog.metadata.get(REVIEWED_FIELD, "").strip().lower() in ("yes", "true")
    published = [e for e in catalog if not e.obsolete and e.msgid and e.translated()]
    return Review(header, sum(message_reviewed(e) for e in published), len(published))


def unreviewed_notice(words: Words) -> Text:
    """The notice every output of an unreviewed translation carries, in its language."""
    return words("This translation has not been checked yet.")
