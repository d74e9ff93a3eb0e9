"""``leaflets status`` and ``leaflets check`` over a whole project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import LeafletsError, Problem
from ..model import SOURCE_LANGUAGE
from ..project import Project
from .checks import check_catalog, check_source
from .extract import WORDS_DOMAIN, words_template
from .languages import web_code
from .publish import Progress, load_catalog, progress, source_progress
from .review import Review, review
from .workflow import read_sources

OUTPUT_WORDS = "(output words)"
SOURCE_REVIEW = Review(header=True)
"""The source language needs no review."""


@dataclass(frozen=True)
class StatusRow:
    leaflet: str
    language: str
    progress: Progress
    published: bool
    reason: str = ""
    review: Review = SOURCE_REVIEW


def status(project: Project) -> tuple[list[StatusRow], list[Problem]]:
    """One row per leaflet and language (the source language included)."""
    sources = read_sources(project)
    rows: list[StatusRow] = []
    problems = list(sources.problems)
    wanted = set(project.languages())
    languages = sorted(set(project.catalog_languages()) | wanted - {SOURCE_LANGUAGE})
    for leaflet in sources.leaflets:
        rows.append(StatusRow(leaflet.id, SOURCE_LANGUAGE, source_progress(leaflet),
                              SOURCE_LANGUAGE in wanted, "" if SOURCE_LANGUAGE in wanted
                              else "not in the configured languages"))
        for lang in languages:
            if lang == SOURCE_LANGUAGE:
                continue
            try:
                catalog = load_catalog(project, lang, leaflet.id)
            except LeafletsError as exc:
                problems.append(Problem(exc.message, exc.path, exc.line, "error"))
                rows.append(StatusRow(leaflet.id, lang, Progress(), False, "catalogue has errors"))
                continue
            done = progress(leaflet, catalog)
            reason = ""
            if catalog is None:
                reason = "no catalogue"
            elif lang not in wanted:
                reason = "not in the configured languages"
            elif done.share < project.config.threshold:
                reason = f"below {project.config.threshold:.0%}"
            state = review(catalog) if catalog is not None else Review()
            if not reason and not state.reviewed and project.config.reviewed_only:
                reason = "not reviewed"
            rows.append(StatusRow(leaflet.id, lang, done, not reason, reason, state))
    words = words_template()
    for lang in languages:
        try:
            catalog = load_catalog(project, lang, WORDS_DOMAIN)
        except LeafletsError as exc:
            problems.append(Problem(exc.message, exc.path, exc.line, "error"))
            rows.append(StatusRow(OUTPUT_WORDS, lang, Progress(), False, "catalogue has errors"))
            continue
        done = progress(words, catalog)
        missing = sum(done.messages) - done.messages[0]
        rows.append(StatusRow(OUTPUT_WORDS, lang, done, True,
                              f"{missing} shown in English" if missing else "",
                              review(catalog)))
    return rows, problems


def check_project(project: Project, languages: Sequence[str] = (),
                  leaflets: Sequence[str] = ()) -> list[Problem]:
    """Every finding in sources and catalogues, one line each; ``languages`` and
    ``leaflets`` narrow it (a narrowed check leaves out the output words if ``leaflets``
    is given, and the sources if only ``languages`` is)."""
    sources = read_sources(project)
    wanted = [lf for lf in sources.leaflets if not leaflets or lf.id in leaflets]
    unknown = sorted(set(leaflets) - {lf.id for lf in sources.leaflets} - set(sources.failed))
    if unknown:
        raise LeafletsError(f"no leaflet '{unknown[0]}' in this project",
                            hint="use the id of a file in source/")
    langs = [web_code(code) for code in languages] or project.catalog_languages()
    problems = [p for p in sources.problems if not leaflets
                or Path(str(p.path)).stem in leaflets] if not languages else []
    for leaflet in wanted if not languages else ():
        problems.extend(check_source(leaflet, project.relative(Path(leaflet.source_path)),
                                     project.config.hard_words))
    domains = [leaflet.id for leaflet in wanted] + ([] if leaflets else [WORDS_DOMAIN])
    for lang in langs:
        for domain in domains:
            try:
                catalog = load_catalog(project, lang, domain)
            except LeafletsError as exc:
                problems.append(Problem(
                    exc.message + (f" ({exc.hint})" if exc.hint else ""),
                    exc.path, exc.line, "error"))
                continue
            if catalog is not None:
                shown = project.relative(project.catalog_path(lang, domain))
                problems.extend(check_catalog(catalog, shown))
    return problems
