"""The "Hard words" list on the page, and where each hard word is explained in an answer.

The first time a hard word is used in an answer (or in the introduction), its meaning
is shown right under that sentence; the list at the end links back to each of those
places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import EasySentence, GlossaryEntry, Leaflet

INTRODUCTION = "introduction"
"""The place name of the easy-read introduction (question ids never take it)."""


def anchor(entry: GlossaryEntry | str) -> str:
    """The id of a glossary entry (or entry id) on the page."""
    return f"glossary-{entry if isinstance(entry, str) else entry.id}"


def use_anchor(place: str, entry: GlossaryEntry | str) -> str:
    """The id of the explanation of ``entry`` in the answer (or introduction) ``place``."""
    return f"use-{place}-{entry if isinstance(entry, str) else entry.id}"


@dataclass(frozen=True)
class Use:
    """Where a hard word is explained: the place (question id or introduction) and its
    number on the page (0 for the introduction, 1.. for the questions)."""

    place: str
    number: int


def first_uses(
    sentences: Sequence[EasySentence], entries: dict[str, GlossaryEntry]
) -> list[tuple[GlossaryEntry, ...]]:
    """For each sentence, the hard words it is the first in ``sentences`` to use."""
    seen: set[str] = set()
    out: list[tuple[GlossaryEntry, ...]] = []
    for sentence in sentences:
        new = [e for e in dict.fromkeys(sentence.terms) if e and e in entries and e not in seen]
        seen.update(new)
        out.append(tuple(entries[e] for e in new))
    return out


def uses(leaflet: Leaflet) -> dict[str, list[Use]]:
    """For each glossary entry id, every answer (and the introduction) that explains it."""
    places = [(INTRODUCTION, 0, leaflet.easy.intro)] + [
        (q.id, n, q.easy_read) for n, q in enumerate(leaflet.questions, 1)
    ]
    found: dict[str, list[Use]] = {e.id: [] for e in leaflet.glossary}
    for place, number, sentences in places:
        for entry in dict.fromkeys(t for s in sentences for t in s.terms):
            if entry in found:
                found[entry].append(Use(place, number))
    return found
