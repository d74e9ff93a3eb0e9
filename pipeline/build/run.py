"""A whole build: plan, execute, withdraw, index, manifest and summary."""

from __future__ import annotations

import time

from rich.console import Console

from ..errors import LeafletsError, printable
from ..project import Project
from .execute import execute
from .folders import Folders, folders
from .links import linked_pages, with_pages
from .lock import build_lock
from .plan import plan
from .report import summary, write_index, write_manifest
from .stamps import adopt_legacy, all_stamps, remove
from .tasks import BuildRequest, TaskResult

SKIPPED = 3
"""Exit status of a build where everything else was built but a format was skipped
(audio that no voice could read); failures exit 1, a full build 0."""


def run_build(project: Project, request: BuildRequest, out: Console, err: Console) -> int:
    """Build what ``request`` asks for; print problems, progress and a summary table."""
    if request.jobs is not None and request.jobs < 1:
        raise LeafletsError("-j must be 1 or more", hint="for example -j 2")
    where = folders(project)
    started = time.perf_counter()
    with build_lock(where):
        adopt_legacy(where)
        the_plan = plan(project, request, where)
        for problem in the_plan.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
        if not request.prune:
            check_withdrawals(where, the_plan.withdrawn, err)
        results: list[TaskResult] = []
        try:
            pages = [task for task in the_plan.tasks if task.format == "html"]
            done = execute([task for task in the_plan.tasks if task.format != "html"], where,
                           request, out, results, (0, len(pages)))
            execute(linked_pages(where, pages), where, request, out, results, (done, 0))
            for gone in the_plan.withdrawn:
                remove(where, gone.label)
                results.append(gone)
            if "html" in (request.formats or project.config.formats) and \
                    the_plan.published is not None:
                write_index(where, with_pages(where, the_plan.published))
        finally:
            write_manifest(where, results)
    summary(results + the_plan.skipped, out, time.perf_counter() - started)
    for result in results:
        for problem in result.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
    failed = [r for r in results + the_plan.skipped if r.status == "failed"]
    for r in failed:
        err.print(f"failed: {'/'.join(r.label)}: {printable(r.detail)}", soft_wrap=True,
                  markup=False, highlight=False)
    errors = any(p.severity == "error" for p in the_plan.problems)
    if failed or errors:
        return 1
    return SKIPPED if any(r.status == "skipped" for r in results) else 0


def check_withdrawals(where: Folders, gone: list[TaskResult], err: Console) -> None:
    """Stop, listing them, before withdrawing a whole leaflet or more than half of what is
    published: that is more often a folder moved by mistake than a decision."""
    if not gone:
        return
    published = [label for label, _ in all_stamps(where)]
    removing = {result.label for result in gone}
    whole = sorted({leaflet for leaflet, _, _ in removing} -
                   {leaflet for leaflet, lang, fmt in published
                    if (leaflet, lang, fmt) not in removing})
    if not whole and 2 * len(removing) <= len(published):
        return
    for result in gone:
        err.print(f"would remove: {'/'.join(result.label)} ({result.detail})", soft_wrap=True,
                  markup=False, highlight=False)
    what = f"every output of {', '.join(whole)}" if whole else \
        f"{len(removing)} of the {len(published)} published outputs"
    raise LeafletsError(f"this build would remove {what}; nothing was changed",
                        hint="if that is what you want, build again with --prune")
