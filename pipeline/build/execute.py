"""Running the tasks that are out of date, audio clip by clip, and saving each result."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import LeafletsError
from .clips import AudioJob, run_audio
from .folders import Folders
from .pool import Job, JobQueue, failure, open_pool
from .signals import ctrl_c
from .stamps import outdated, save, staging, writable
from .tasks import BuildRequest, Task, TaskResult, run_task


def execute(tasks: list[Task], where: Folders, request: BuildRequest, out: Console,
            results: list[TaskResult], steps: tuple[int, int] = (0, 0)) -> int:
    """Build the tasks that are out of date into ``results`` (also when interrupted).

    The progress bar counts steps (a clip, a page, a PDF); ``steps`` is how many came
    before this call and how many are expected after it, so a build run in two calls
    shows one count. Returns the steps this call counted."""
    todo: list[tuple[Task, str]] = []
    for task in tasks:
        reason = outdated(where, task)
        refused = writable(where, task) if reason else ""
        if refused:
            results.append(TaskResult(task.label, "failed", refused))
        elif reason:
            todo.append((task, reason))
        else:
            results.append(TaskResult(task.label, "reused"))
    if not todo:
        return 0
    audio: dict[int, AudioJob] = {}
    weights = [units(task) for task, _ in todo]
    counted = [0] * len(todo)

    def finish(n: int, result: TaskResult) -> None:
        task, reason = todo[n]
        try:
            if result.status == "built":
                save(where, task, result)
                result.detail = reason
        except LeafletsError as exc:
            result = TaskResult(result.label, "failed", str(exc))
        finally:
            shutil.rmtree(staging(where, task), ignore_errors=True)
        result.files = {}
        results.append(result)
        bar.advance(progress, max(weights[n] - counted[n], 0))
        counted[n] = weights[n]

    def stage(task: Task) -> str | None:
        """A clean staging folder for a worker that shares this file system, else None."""
        shutil.rmtree(staging(where, task), ignore_errors=True)  # left by a killed build
        return None if pool.remote else str(staging(where, task))

    def send_clips(n: int, task: Task, parts: list) -> Iterator[Job]:
        """A job per clip the cache lacks; the edition is assembled here once they are back."""
        from ..audio import render_clip

        try:
            job = AudioJob.plan(task, parts)
        except Exception as exc:  # a clip cache entry that cannot be read back
            finish(n, TaskResult(task.label, "failed", failure(exc)))
            return
        if job.complete:  # another edition's jobs made the missing clips meanwhile
            finish(n, job.assemble(staging(where, task)))
            return
        audio[n] = job
        for i in job.missing():
            yield (n, i), "audio", render_clip, (job.clips[i], task.settings)

    def jobs() -> Iterator[Job]:
        """The jobs, made as the pool asks for them. On this machine an audio edition is
        assembled by a worker from the clip cache, which answers with the edition's clips
        if some are missing; for other machines (whose caches are not this one) the
        clips are looked up here, and the missing ones sent out."""
        for n, (task, _) in enumerate(todo):
            if task.format != "audio":
                yield (n, None), task.format, run_task, (task, stage(task))
            elif not pool.remote:
                yield (n, None), "audio", run_audio, (task, stage(task))
            else:
                from ..audio import clips, unreadable

                try:
                    reason = unreadable(task.edition, task.settings)
                    parts = [] if reason else clips(task.edition, task.settings)
                except Exception as exc:
                    finish(n, TaskResult(task.label, "failed", failure(exc)))
                    continue
                if reason:
                    finish(n, TaskResult(task.label, "skipped", reason))
                    continue
                yield from send_clips(n, task, parts)

    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=out, transient=True,
                      disable=not out.is_terminal) as bar, ctrl_c() as stop_if_pressed, \
                open_pool(request, len(todo)) as pool:
            progress = bar.add_task("building", completed=steps[0],
                                    total=steps[0] + sum(weights) + steps[1])
            queue = JobQueue(jobs())
            for (n, clip), value, seconds in pool.run(queue):
                stop_if_pressed()
                bar.update(progress, description="/".join(todo[n][0].label))
                if clip is not None:
                    job = audio[n]
                    job.add(clip, value, seconds, keep=pool.remote)
                    if counted[n] < weights[n] - 1:  # the last unit is the assembly
                        counted[n] += 1
                        bar.advance(progress, 1)
                    if job.complete:
                        finish(n, audio.pop(n).assemble(staging(where, todo[n][0])))
                elif isinstance(value, list):  # an audio edition whose clips are missing
                    queue.later.extend(send_clips(n, todo[n][0], value))
                else:
                    done = value if isinstance(value, TaskResult) else \
                        TaskResult(todo[n][0].label, "failed", value)
                    done.seconds = seconds
                    finish(n, done)
    finally:  # after the workers stopped: what an interrupted task staged
        for task, _ in todo:
            shutil.rmtree(staging(where, task), ignore_errors=True)
    return sum(weights)


def units(task: Task) -> int:
    """How many steps the progress bar counts for a task: one per audio clip (a
    spoken text), one for a page or a PDF."""
    if task.format != "audio":
        return 1
    from ..audio import clips

    try:
        return max(len(clips(task.edition, task.settings)), 1)
    except Exception:  # the task itself will fail, and say why
        return 1
