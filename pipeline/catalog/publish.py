"""How far each translation is, and which editions are published.

The publishing rule: a language is published when at least ``threshold`` of the
leaflet's words are translated (fuzzy never counts); inside a published edition
every untranslated or fuzzy message falls back to the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from ..errors import LeafletsError, Problem
from ..model import SOURCE_LANGUAGE, Edition, Leaflet
from ..project import Project
from . import pofile
from .checks import placeholders, translation_errors
from .extract import WORDS_DOMAIN
from .review import review, unreviewed_notice
from .translate import CatalogWords, translate, words_from_catalog


@dataclass(frozen=True)
class Progress:
    """Counts of one catalogue against its leaflet, in messages and in words."""

    messages: tuple[int, int, int] = (0, 0, 0)
    """(translated, fuzzy, untranslated)"""
    words: tuple[int, int, int] = (0, 0, 0)

    @property
    def share(self) -> float:
        """The share of words translated, from 0 to 1."""
        total = sum(self.words)
        return self.words[0] / total if total else 1.0


def progress(messages: Leaflet | polib.POFile, catalog: polib.POFile | None) -> Progress:
    """How much of a leaflet (or of a template's messages) ``catalog`` translates.

    Messages missing from the catalogue count as untranslated; fuzzy never counts.
    """
    if isinstance(messages, Leaflet):
        keys = [(context, text.markdown) for context, _c, text in messages.texts()]
    else:
        keys = [(e.msgctxt or "", e.msgid) for e in messages if not e.obsolete and e.msgid]
    entries: dict[tuple[str, str], polib.POEntry] = {}
    if catalog is not None:
        entries = {(e.msgctxt or "", e.msgid): e for e in catalog if not e.obsolete}
    counts = [0, 0, 0]
    words = [0, 0, 0]
    for key in dict.fromkeys(keys):
        entry = entries.get(key)
        state = 2
        if entry is not None and (entry.msgstr or any(entry.msgstr_plural.values())):
            state = 1 if entry.fuzzy else 0
        counts[state] += 1
        words[state] += len(key[1].split())
    return Progress((counts[0], counts[1], counts[2]), (words[0], words[1], words[2]))


def source_progress(leaflet: Leaflet) -> Progress:
    """The source language: every message is its own translation."""
    done = progress(leaflet, None)
    return Progress((done.messages[2], 0, 0), (done.words[2], 0, 0))


@dataclass
class Editions:
    """What can be built: editions by leaflet, and why others cannot."""

    editions: list[Edition] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    """(leaflet id, language, reason) of editions not published."""
    broken: set[tuple[str, str]] = field(default_factory=set)
    """(leaflet id, language) of the skipped editions whose catalogue could not be read:
    unpublished by accident, not by choice, so their last outputs are kept."""
    problems: list[Problem] = field(default_factory=list)


def load_catalog(project: Project, lang: str, domain: str) -> polib.POFile | None:
    """The catalogue, or None if the language has none for this domain."""
    path = project.catalog_path(lang, domain)
    if not path.exists():
        return None
    try:
        return pofile.load(path)
    except LeafletsError as exc:
        exc.path = project.relative(path)
        raise


def editions(project: Project, leaflets: list[Leaflet], languages: list[str]) -> Editions:
    """Every publishable edition; broken or incomplete catalogues are reported, not fatal."""
    result = Editions()
    words: dict[str, CatalogWords] = {}
    for lang in languages:
        if lang == SOURCE_LANGUAGE:
            words[lang] = CatalogWords(lang)
            continue
        try:
            catalog = load_catalog(project, lang, WORDS_DOMAIN)
            if catalog is not None:
                catalog = _without_errors(project, lang, WORDS_DOMAIN, catalog, result.problems)
            words[lang] = words_from_catalog(catalog, lang)
        except LeafletsError as exc:
            result.problems.append(Problem(
                f"{exc.message}; output words fall back to English", exc.path, exc.line, "error"))
            words[lang] = CatalogWords(lang)
    for leaflet in leaflets:
        unfinished = placeholders(leaflet, project.relative(Path(leaflet.source_path)))
        if unfinished:
            result.problems.append(unfinished[0])
            for lang in languages:  # not built, and its last outputs are kept
                result.skipped.append((leaflet.id, lang, "placeholder left in the source"))
                result.broken.add((leaflet.id, lang))
            continue
        published: list[tuple[str, polib.POFile | None]] = []
        for lang in languages:
            if lang == SOURCE_LANGUAGE:
                published.append((lang, None))
                continue
            try:
                catalog = load_catalog(project, lang, leaflet.id)
            except LeafletsError as exc:
                result.problems.append(Problem(
                    f"{exc.message}; {lang} is not built", exc.path, exc.line, "error"))
                result.skipped.append((leaflet.id, lang, "catalogue has errors"))
                result.broken.add((leaflet.id, lang))
                continue
            if catalog is None:
                result.skipped.append((leaflet.id, lang, "no catalogue"))
                continue
            catalog = _without_errors(project, lang, leaflet.id, catalog, result.problems)
            share = progress(leaflet, catalog).share
            if share < project.config.threshold:
                result.skipped.append((
                    leaflet.id, lang,
                    f"{share:.0%} translated, below {project.config.threshold:.0%}",
                ))
                continue
            if project.config.reviewed_only and not review(catalog).reviewed:
                result.skipped.append((leaflet.id, lang, "not reviewed (reviewed-only is set)"))
                continue
            published.append((lang, catalog))
        codes = tuple(lang for lang, _ in published)
        for lang, catalog in published:
            edition = translate(leaflet, lang, catalog, words[lang], codes)
            if not review(catalog).reviewed:
                edition = replace(edition, notices=(unreviewed_notice(words[lang]),))
            result.editions.append(edition)
    return result


def _without_errors(
    project: Project, lang: str, domain: str, catalog: polib.POFile, problems: list[Problem]
) -> polib.POFile:
    """Drop translations the checks call errors (broken Markdown or links, a changed
    number, address or placeholder): those messages fall back to the source text, so
    nothing ``leaflets check`` refuses is published."""
    path = project.relative(project.catalog_path(lang, domain))
    for entry in catalog:
        if entry.obsolete or entry.fuzzy or not entry.translated():
            continue
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] \
            if entry.msgid_plural else [entry.msgstr]
        reasons = [reason for form in forms
                   for reason in translation_errors(entry.msgid, form, entry.msgid_plural or None)]
        if reasons:
            problems.append(Problem(f"{reasons[0]}; the English text is used instead",
                                    path, entry.linenum, "warning"))
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    return catalog
