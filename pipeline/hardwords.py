"""Which glossary entry each bold word of an easy-read sentence explains.

The link is found once, in the source language, by spelling (case-insensitive,
simple English plurals). Translations keep the links by position: the n-th bold
span of a translated sentence explains the same entry as the n-th bold span of
the source, whatever the grammar of the language does to the word.
"""

from __future__ import annotations

from collections.abc import Iterable

from .inline import plain, spans
from .model import GlossaryEntry


def term_index(entries: Iterable[GlossaryEntry]) -> dict[str, str]:
    """Every spelling a bold span may use for a term → the id of its entry.

    The first entry wins when two terms share a form.
    """
    index: dict[str, str] = {}
    for entry in entries:
        for form in _forms(_normal(plain(entry.term.markdown))):
            index.setdefault(form, entry.id)
    return index


def find(index: dict[str, str], words: str) -> str | None:
    """The id of the glossary entry ``words`` names, if any."""
    return index.get(_normal(words))


def bold_terms(markdown: str, index: dict[str, str]) -> tuple[str | None, ...]:
    """For each bold span of ``markdown``, in order, the glossary entry it names."""
    return tuple(find(index, span.text) for span in spans(markdown) if span.bold)


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
