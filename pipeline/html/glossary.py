"""Link the hard words of easy-read sentences to their entry in the "Hard words" list."""

from __future__ import annotations

from collections.abc import Iterable

from ..inline import plain
from ..model import GlossaryEntry


def anchor(entry: GlossaryEntry) -> str:
    """The id of a glossary entry on the page."""
    return f"glossary-{entry.id}"


def term_index(entries: Iterable[GlossaryEntry]) -> dict[str, str]:
    """Every spelling a bold span may use for a term → the anchor of its entry.

    The first entry wins when two terms share a form.
    """
    index: dict[str, str] = {}
    for entry in entries:
        for form in _forms(_normal(plain(entry.term.markdown))):
            index.setdefault(form, anchor(entry))
    return index


def find(index: dict[str, str], words: str) -> str | None:
    """The anchor of the glossary entry ``words`` names, if any."""
    return index.get(_normal(words))


def _normal(words: str) -> str:
    return " ".join(words.casefold().split())


def _forms(term: str) -> set[str]:
    """The term, and simple English singular and plural forms of its last word."""
    forms = {term, f"{term}s", f"{term}es"}
    if term.endswith("y"):
        forms.add(f"{term[:-1]}ies")
    if term.endswith("ies"):
        forms.add(f"{term[:-3]}y")
    if term.endswith("es"):
        forms.add(term[:-2])
    if term.endswith("s"):
        forms.add(term[:-1])
    forms.discard("")
    return forms
