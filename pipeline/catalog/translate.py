"""Turn a source leaflet and its catalogues into an :class:`~pipeline.model.Edition`.

The publishing rule: a message that is untranslated, fuzzy or broken falls back
to the source text and keeps the source language, so each renderer can mark
that passage (HTML ``lang``, PDF ``/Lang``, an English voice).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import polib

from ..model import SOURCE_LANGUAGE, Edition, Leaflet, Text

DEFAULT_PLURAL = "(n != 1)"


@dataclass(frozen=True)
class CatalogWords:
    """Output words in one language, from the output-words catalogue.

    ``messages`` maps a msgid (the singular, for plurals) to its translated forms.
    Untranslated words come back in the source language, marked so.
    """

    lang: str
    messages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    plural_expr: str = DEFAULT_PLURAL
    source_lang: str = SOURCE_LANGUAGE

    @cached_property
    def _plural(self):  # type: ignore[no-untyped-def]
        return gettext.c2py(self.plural_expr)

    def __call__(self, message: str, /, **values: object) -> Text:
        forms = self.messages.get(message)
        if forms and forms[0]:
            return Text(_fill(forms[0], values), self.lang)
        return Text(_fill(message, values), self.source_lang)

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> Text:
        values = {"num": n, **values}
        forms = self.messages.get(singular)
        if forms and len(forms) > 1:
            try:
                index = self._plural(n)
            except Exception:  # an expression the header check let through fails at this n
                index = len(forms)
            if 0 <= index < len(forms) and forms[index]:
                return Text(_fill(forms[index], values), self.lang)
        return Text(_fill(singular if n == 1 else plural, values), self.source_lang)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_plural", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


def _fill(template: str, values: Mapping[str, object]) -> str:
    if not values:
        return template
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        return template


def words_from_catalog(catalog: polib.POFile | None, lang: str) -> CatalogWords:
    """The usable output words of a catalogue (fuzzy and obsolete entries are left out)."""
    if catalog is None:
        return CatalogWords(lang)
    messages: dict[str, tuple[str, ...]] = {}
    for entry in catalog:
        if entry.obsolete or entry.fuzzy:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if all(forms):
                messages[entry.msgid] = forms
        elif entry.msgstr:
            messages[entry.msgid] = (entry.msgstr,)
    plural = DEFAULT_PLURAL
    header = catalog.metadata.get("Plural-Forms", "")
    if "plural=" in header:
        plural = header.split("plural=", 1)[1].strip().rstrip(";")
    return CatalogWords(lang, messages, plural)


def translate(
    leaflet: Leaflet,
    lang: str,
    catalog: polib.POFile | None,
    words: CatalogWords | None = None,
    languages: tuple[str, ...] = (),
) -> Edition:
    """The edition of ``leaflet`` in ``lang``; ``catalog`` None gives the source edition."""
    table: dict[tuple[str, str], str] = {}
    if catalog is not None:
        for entry in catalog:
            if entry.translated() and not entry.obsolete:
                table[(entry.msgctxt or "", entry.msgid)] = entry.msgstr

    def lookup(context: str, text: Text) -> Text:
        found = table.get((context, text.markdown))
        if found:
            return Text(found, lang, text.line)
        return text

    translated = leaflet if catalog is None else leaflet.map_texts(lookup)
    return Edition(
        leaflet=translated,
        lang=lang,
        words=words if words is not None else CatalogWords(lang),
        languages=languages or (lang,),
    )
