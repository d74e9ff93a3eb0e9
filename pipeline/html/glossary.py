"""Anchors of the "Hard words" list on the page."""

from __future__ import annotations

from ..model import GlossaryEntry


def anchor(entry: GlossaryEntry | str) -> str:
    """The id of a glossary entry (or entry id) on the page."""
    return f"glossary-{entry if isinstance(entry, str) else entry.id}"
