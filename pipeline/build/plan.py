"""Planning: every task a request asks for, what is skipped, and what is withdrawn."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..catalog.languages import web_code
from ..catalog.publish import Editions
from ..catalog.publish import editions as load_editions
from ..catalog.workflow import Sources, read_sources
from ..config import FORMATS
from ..errors import LeafletsError, Problem
from ..files import write_atomic
from ..model import SOURCE_LANGUAGE, Edition
from ..project import Project
from . import plancache
from .folders import Folders, folders
from .inputs import code_fingerprint, environment, task_inputs
from .stamps import all_stamps
from .tasks import BuildRequest, Task, TaskResult, sha256


@dataclass
class Plan:
    tasks: list[Task]
    skipped: list[TaskResult]
    problems: list[Problem]
    published: list[Edition] | None
    """Every published edition, for the site index (narrowing or not); None when a
    source cannot be read, so the last good index is kept."""
    withdrawn: list[TaskResult] = field(default_factory=list)
    """Outputs on disk this build no longer publishes (status "removed", and why)."""


def plan(project: Project, request: BuildRequest, where: Folders | None = None) -> Plan:
    """Every task the request asks for, and what cannot be built and why."""
    where = where or folders(project)
    config = project.config
    formats = request.formats or config.formats
    for fmt in formats:
        if fmt not in FORMATS:
            raise LeafletsError(f"unknown format '{fmt}'", hint=f"use {', '.join(FORMATS)}")
    settings = config.settings(project.root, tuple(f for f in FORMATS if f in config.formats))
    settings = replace(
        settings,
        print_size=request.print_size or settings.print_size,
        audio_text=request.audio_text or settings.audio_text,
    )
    env = environment()
    languages = project.languages()
    wanted = {web_code(code) for code in request.languages}
    if wanted - set(languages):
        raise LeafletsError(f"no language '{sorted(wanted - set(languages))[0]}' in this project",
                            hint=f"use {', '.join(languages)}")
    if not request.prune:
        _check_locales(project, where)
    sources, found = read_editions(project, languages, where)
    if request.leaflets:
        unknown = set(request.leaflets) - {leaflet.id for leaflet in sources.leaflets}
        if unknown:
            raise LeafletsError(f"no leaflet {sorted(unknown)[0]!r} in source/",
                                hint="use a leaflet id from the front matter")
    skipped = [
        TaskResult((leaflet, lang, "-"), "skipped", reason)
        for leaflet, lang, reason in found.skipped
        if (not wanted or lang in wanted) and (not request.leaflets or leaflet in request.leaflets)
    ]
    skipped += [TaskResult((name, "-", "-"), "failed", "source has errors")
                for name in sources.failed]
    tasks = [
        Task(edition, fmt, settings, task_inputs(digest, fmt, settings, env))
        for edition in found.editions
        if (not wanted or edition.lang in wanted)
        and (not request.leaflets or edition.leaflet.id in request.leaflets)
        for digest in [sha256(repr(edition).encode())]
        for fmt in formats
    ]
    scope = (set(request.leaflets), wanted, set(request.formats) or set(FORMATS))
    return Plan(tasks, skipped, sources.problems + found.problems,
                None if sources.failed else found.editions,
                withdrawn(where, scope, tasks, sources, found, languages, formats))


def preflight(project: Project) -> list[Problem]:
    """What stops any build of this project before it starts (for ``leaflets check``):
    output or cache folders that could touch the project, a missing ``locales/``."""
    try:
        _check_locales(project, folders(project))
    except LeafletsError as exc:
        return [Problem(exc.message + (f" ({exc.hint})" if exc.hint else ""), exc.path,
                        exc.line, "error")]
    return []


def _check_locales(project: Project, where: Folders) -> None:
    """Outputs published in a translation while ``locales/`` has no catalogues: an error,
    not a reason to withdraw them (a folder moved or unmounted by mistake)."""
    if project.catalog_languages():
        return
    published = sorted({lang for (_, lang, _), _ in all_stamps(where)} - {SOURCE_LANGUAGE})
    if published:
        raise LeafletsError(
            f"locales/ has no catalogues, but {', '.join(published)} outputs are published",
            project.relative(project.locales_dir),
            hint="restore locales/, or build with --prune to withdraw those languages")


def withdrawn(where: Folders, scope: tuple[set[str], set[str], set[str]], tasks: list[Task],
              sources: Sources, found: Editions, languages: list[str],
              formats: Iterable[str]) -> list[TaskResult]:
    """The outputs on disk that are no longer published, and why: their leaflet's source
    was removed, their language or format is no longer configured, or the translation
    was removed or fell below the threshold.

    Only outputs inside ``scope`` (leaflets, languages, formats; empty means all) are
    looked at, so a narrowed build removes nothing else. Outputs whose source or
    catalogue cannot be read are kept: a broken file never deletes the last good output.
    """
    in_leaflets, in_languages, in_formats = scope
    built = {task.label for task in tasks}
    ids = {leaflet.id for leaflet in sources.leaflets}
    skipped = {(leaflet, lang): reason for leaflet, lang, reason in found.skipped}
    gone = []
    for (leaflet, lang, fmt), _ in all_stamps(where):
        if (leaflet, lang, fmt) in built or fmt not in in_formats or (
                in_leaflets and leaflet not in in_leaflets) or (
                in_languages and lang not in in_languages):
            continue
        if leaflet not in ids:
            reason = "" if sources.failed else "source removed"
        elif lang not in languages:
            reason = "language not configured"
        elif (leaflet, lang) in found.broken:
            reason = ""
        elif (leaflet, lang) in skipped:
            reason = skipped[leaflet, lang]
        else:
            reason = "format not configured" if fmt not in formats else ""
        if reason:
            gone.append(TaskResult((leaflet, lang, fmt), "removed", reason))
    return gone


def read_editions(project: Project, languages: list[str], where: Folders | None = None
                  ) -> tuple[Sources, Editions]:
    """Every source and edition of the project, remembered between builds.

    Parsing Markdown and catalogues is the serial part of every build; it is kept
    in the cache, keyed by the size and time of every source and catalogue, the
    configuration and the code that reads them, and redone when any of them changes.
    """
    files = sorted([*project.sources(), *project.locales_dir.glob("*/LC_MESSAGES/*.po")])
    key = hashlib.sha256(repr((
        code_fingerprint("plan"), repr(project.config), languages,
        [(path.relative_to(project.root).as_posix(), path.stat().st_mtime_ns,
          path.stat().st_size) for path in files],
    )).encode()).hexdigest()
    cached = (where or folders(project)).cache / "plans" / f"{key}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):  # none, or not from this version
        sources, found = plancache.loads(cached.read_text(encoding="utf-8"))
        if isinstance(sources, Sources) and isinstance(found, Editions):
            return sources, found
    sources = read_sources(project)
    found = load_editions(project, sources.leaflets, languages)
    with contextlib.suppress(OSError, TypeError, ValueError):
        for old in cached.parent.glob("*.*"):
            old.unlink()
        write_atomic(cached, plancache.dumps((sources, found)).encode("utf-8"))
    return sources, found
