"""A whole build: plan, execute, withdraw, index, manifest and summary."""

from __future__ import annotations

import time

from rich.console import Console

from ..errors import LeafletsError
from ..project import Project
from .execute import execute
from .links import linked_pages, with_pages
from .lock import build_lock
from .plan import plan
from .report import summary, write_index, write_manifest
from .stamps import remove
from .tasks import BuildRequest, TaskResult


def run_build(project: Project, request: BuildRequest, out: Console, err: Console) -> int:
    """Build what ``request`` asks for; print problems, progress and a summary table."""
    if request.jobs is not None and request.jobs < 1:
        raise LeafletsError("-j must be 1 or more", hint="for example -j 2")
    root = project.output_dir
    started = time.perf_counter()
    with build_lock(root):
        the_plan = plan(project, request)
        for problem in the_plan.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
        results: list[TaskResult] = []
        try:
            pages = [task for task in the_plan.tasks if task.format == "html"]
            done = execute([task for task in the_plan.tasks if task.format != "html"], root,
                           request, out, results, (0, len(pages)))
            execute(linked_pages(root, pages), root, request, out, results, (done, 0))
            for gone in the_plan.withdrawn:
                remove(root, gone)
                results.append(gone)
            if "html" in (request.formats or project.config.formats) and \
                    the_plan.published is not None:
                write_index(project.output_dir, with_pages(root, the_plan.published))
        finally:
            write_manifest(root, results)
    summary(results + the_plan.skipped, out, time.perf_counter() - started)
    for result in results:
        for problem in result.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
    failed = [r for r in results + the_plan.skipped if r.status == "failed"]
    for r in failed:
        err.print(f"failed: {'/'.join(r.label)}: {r.detail}", soft_wrap=True, markup=False)
    errors = any(p.severity == "error" for p in the_plan.problems)
    return 1 if failed or errors else 0
