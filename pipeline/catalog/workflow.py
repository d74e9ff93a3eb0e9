"""The translator's workflow over a whole project: extract, update, add a language, load.

Every file is written atomically and only when its content changes, so running
``update`` twice changes nothing and a crash never leaves half a catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import LeafletsError, Problem
from ..files import read_bytes
from ..model import SOURCE_LANGUAGE, Leaflet
from ..project import Project
from ..source import read_leaflet, write_missing_ids
from . import pofile
from .extract import WORDS_DOMAIN, leaflet_template, words_template
from .languages import language_header, web_code
from .merge import MergeStats, merge


@dataclass
class Sources:
    """The leaflets of a project that could be read, and the problems found."""

    leaflets: list[Leaflet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def read_sources(project: Project, *, write_ids: bool = False) -> Sources:
    """Read every source; a broken one is reported and left out, the rest go on."""
    found = Sources()
    for path in project.sources():
        shown = Path(project.relative(path))
        try:
            result = read_leaflet(path)
        except LeafletsError as exc:
            exc.path = shown
            found.problems.append(Problem(exc.message if not exc.hint else
                                          f"{exc.message} ({exc.hint})", shown, exc.line, "error"))
            found.failed.append(path.stem)
            continue
        if write_ids and result.missing_ids:
            write_missing_ids(path, result.missing_ids)
            for line, qid in sorted(result.missing_ids.items()):
                found.problems.append(Problem(f"added the id {{#{qid}}} to this question",
                                              shown, line, "note"))
            result = read_leaflet(path)
        found.problems.extend(
            Problem(p.message, shown, p.line, p.severity) for p in result.problems
        )
        found.leaflets.append(result.leaflet)
    _refuse_shared_ids(project, found)
    return found


def _refuse_shared_ids(project: Project, found: Sources) -> None:
    """Two sources with the same id would write the same outputs and catalogues: an error
    naming both files, and neither is built (their last outputs are kept)."""
    by_id: dict[str, list[Leaflet]] = {}
    for leaflet in found.leaflets:
        by_id.setdefault(leaflet.id, []).append(leaflet)
    for leaflet_id, same in by_id.items():
        if len(same) < 2:
            continue
        first, *others = (project.relative(Path(leaflet.source_path)) for leaflet in same)
        for other in others:
            found.problems.append(Problem(
                f"the leaflet id '{leaflet_id}' is also used by {first} (give each leaflet "
                "its own id)", other, _id_line(project.root / other), "error"))
        found.failed.append(leaflet_id)
        found.leaflets = [leaflet for leaflet in found.leaflets if leaflet.id != leaflet_id]


def _id_line(path: Path) -> int | None:
    """The line of the ``id:`` field in a source's front matter."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines[:100], start=1)
                 if re.match(r"id\s*:", line)), None)


def templates(project: Project, sources: Sources) -> dict[str, polib.POFile]:
    """Every template by domain: one per leaflet, plus the output words."""
    result = {
        leaflet.id: leaflet_template(leaflet, project.relative(Path(leaflet.source_path)))
        for leaflet in sources.leaflets
    }
    result[WORDS_DOMAIN] = words_template()
    return result


@dataclass
class UpdateReport:
    changed: list[Path] = field(default_factory=list)
    stats: dict[Path, MergeStats] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    """Templates of deleted sources (also in ``changed``)."""


def extract(project: Project, *, check: bool = False) -> UpdateReport:
    """Write ``locales/<domain>.pot`` for every leaflet and the output words."""
    sources = read_sources(project, write_ids=not check)
    report = UpdateReport(problems=sources.problems)
    for domain, pot in templates(project, sources).items():
        _save(project.template_path(domain), pot, report, check)
    return report


def update(project: Project, *, check: bool = False) -> UpdateReport:
    """Extract, then merge every template into every language's catalogue."""
    sources = read_sources(project, write_ids=not check)
    report = UpdateReport(problems=sources.problems)
    pots = templates(project, sources)
    for domain, pot in pots.items():
        _save(project.template_path(domain), pot, report, check)
    for lang in project.catalog_languages():
        if lang == SOURCE_LANGUAGE:
            continue
        for domain, pot in pots.items():
            path = project.catalog_path(lang, domain)
            try:
                old = load_or_new(path, lang, pot)
            except LeafletsError as exc:
                report.problems.append(Problem(
                    f"{exc.message}; this catalogue was not updated"
                    f"{f' ({exc.hint})' if exc.hint else ''}",
                    project.relative(path), exc.line, "error",
                ))
                continue
            merged, stats = merge(old, pot)
            report.stats[path] = stats
            _save(path, merged, report, check)
            if check and path in report.changed and _only_layout_differs(path, merged):
                report.problems.append(Problem(
                    "only the line wrapping differs from what leaflets writes (a PO editor "
                    "or polib rewrapped it); run 'leaflets update' to normalise it",
                    project.relative(path), None, "note"))
    _retire(project, sources, set(pots), report, check)
    return report


def _retire(project: Project, sources: Sources, current: set[str], report: UpdateReport,
            check: bool) -> None:
    """A leaflet whose source was deleted: its template goes, and every message of its
    catalogues is kept as obsolete (``#~``), with a note saying what to do. A source that
    is there but cannot be read is not deleted: its files are left alone."""
    locales = project.locales_dir
    found = {path.stem for path in locales.glob("*.pot")} | {
        path.stem for path in locales.glob("*/LC_MESSAGES/*.po")}
    for domain in sorted(found - current - set(sources.failed)):
        template = project.template_path(domain)
        retired = [project.catalog_path(lang, domain) for lang in project.catalog_languages()
                   if lang != SOURCE_LANGUAGE]
        retired = [path for path in retired if path.exists()]
        for path in retired:
            try:
                old = pofile.load(path)
            except LeafletsError as exc:
                report.problems.append(Problem(
                    f"{exc.message}; this catalogue was not updated", project.relative(path),
                    exc.line, "error"))
                continue
            empty = polib.POFile(wrapwidth=79)
            empty.metadata = dict(old.metadata)
            merged, stats = merge(old, empty)
            report.stats[path] = stats
            _save(path, merged, report, check)
        if template.exists():
            report.changed.append(template)
            report.removed.append(template)
            if not check:
                template.unlink()
        where = f"locales/*/LC_MESSAGES/{domain}.po" if retired else "no catalogue"
        report.problems.append(Problem(
            f"source/{domain}.md is gone: {'would remove' if check else 'removed'} its "
            f"template; its translations are kept as obsolete in {where} (delete those "
            "files if the leaflet is withdrawn for good)", project.relative(template), None,
            "note"))


def add_language(project: Project, code: str) -> list[Path]:
    """Create the catalogues of a new language (every leaflet and the output words)."""
    if web_code(code) == SOURCE_LANGUAGE:  # refuses unknown codes before anything is written
        raise LeafletsError(f"'{code}' is the source language: the sources are its text",
                            hint="add a language to translate into, like cy or pl")
    sources = read_sources(project)
    created = []
    for domain, pot in templates(project, sources).items():
        path = project.catalog_path(code, domain)
        if path.exists():
            raise LeafletsError("this catalogue exists already", project.relative(path),
                                hint="run 'leaflets update' to bring it up to date")
        merged, _ = merge(load_or_new(path, code, pot), pot)
        path.parent.mkdir(parents=True, exist_ok=True)
        pofile.write(merged, path)
        created.append(path)
    return created


def load_or_new(path: Path, lang: str, pot: polib.POFile) -> polib.POFile:
    """The catalogue at ``path``, or a new empty one for ``lang`` if there is none."""
    if path.exists():
        return pofile.load(path)
    catalog = polib.POFile(wrapwidth=79)
    catalog.metadata = language_header(lang, pot.metadata.get("Project-Id-Version", ""))
    catalog.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
    catalog.header = (
        f"{catalog.metadata['Language-Team'].split(' <')[0]} translation of "
        f"{pot.metadata.get('Project-Id-Version', '')}."
    )
    return catalog


def _save(path: Path, catalog: polib.POFile, report: UpdateReport, check: bool) -> None:
    text = pofile.dumps(catalog)
    try:  # a FIFO or a device in its place is replaced, not read
        current = read_bytes(path, what="catalogue", limit=pofile.MAX_CATALOGUE_BYTES,
                             hint="").decode("utf-8")
    except (LeafletsError, UnicodeDecodeError):
        current = None
    if current == text:
        return
    report.changed.append(path)
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        pofile.write(catalog, path)


def _only_layout_differs(path: Path, catalog: polib.POFile) -> bool:
    """True if the file at ``path`` says exactly what ``catalog`` says, laid out
    (wrapped) another way."""
    try:
        return pofile.content(pofile.load(path)) == pofile.content(catalog)
    except LeafletsError:
        return False
