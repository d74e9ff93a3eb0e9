"""The build engine: leaflet × language × format tasks, incremental, parallel, atomic.

Each task renders one edition in one format into memory (so it can run in
another process or on another machine) and the engine writes its files
atomically. Beside each edition's files a stamp records what they were made
from (a fingerprint of the edition, the settings and the tool), so a rebuild
with nothing changed does no work, and a failed task leaves the last good
output, and its stamp, exactly as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import import_module
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .builders.base import Builder, OutputDir, Settings
from .catalog.languages import web_code
from .catalog.publish import editions as load_editions
from .catalog.workflow import read_sources
from .config import FORMATS
from .errors import LeafletsError, Problem
from .layout import edition_dir
from .model import Edition
from .project import Project

BUILDERS = {
    "pdf": "pipeline.pdf:PdfBuilder",
    "html": "pipeline.html:HtmlBuilder",
    "audio": "pipeline.audio:AudioBuilder",
}
STAMP = ".{format}.stamp.json"
LOCK = ".leaflets.lock"


@dataclass(frozen=True)
class BuildRequest:
    """What to build; empty tuples mean everything configured."""

    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    leaflets: tuple[str, ...] = ()
    jobs: int | None = None
    scheduler: str | None = None
    print_size: int | None = None
    audio_text: str | None = None


@dataclass(frozen=True)
class Task:
    """One edition in one format."""

    edition: Edition
    format: str
    settings: Settings
    fingerprint: str

    @property
    def folder(self) -> str:
        return edition_dir(self.edition.leaflet.id, self.edition.lang)

    @property
    def label(self) -> tuple[str, str, str]:
        return (self.edition.leaflet.id, self.edition.lang, self.format)


@dataclass
class TaskResult:
    label: tuple[str, str, str]
    status: str  # built, reused, failed, skipped
    detail: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class MemoryOutput(OutputDir):
    """An output folder in memory: what a worker sends back to be written."""

    def __init__(self) -> None:
        super().__init__(Path("."))
        self.files: dict[str, bytes] = {}

    def write(self, name: str, data: bytes | str) -> Path:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data
        return Path(name)


def builder_for(fmt: str, settings: Settings) -> Builder:
    module, _, name = BUILDERS[fmt].partition(":")
    cls = getattr(import_module(module), name)
    return cls(settings)


def run_task(task: Task) -> TaskResult:
    """Render one task into memory. Runs in a worker; never raises."""
    started = time.perf_counter()
    builder = builder_for(task.format, task.settings)
    out = MemoryOutput()
    try:
        builder.build(task.edition, out)
    except LeafletsError as exc:
        return TaskResult(task.label, "failed", str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a renderer bug must not stop the other tasks
        return TaskResult(task.label, "failed", f"internal error: {type(exc).__name__}: {exc}",
                          seconds=time.perf_counter() - started)
    problems = list(getattr(builder, "problems", []))
    return TaskResult(task.label, "built", files=out.files, problems=problems,
                      seconds=time.perf_counter() - started)


CODE = {
    "common": ("model.py", "inline.py", "layout.py", "pictograms.py", "hardwords.py",
               "builders"),
    "pdf": ("pdf",),
    "html": ("html", "templates", "pictures"),
    "audio": ("audio", "lexicons"),
}
"""The package files each format's output depends on, besides the common ones."""


@cache
def code_fingerprint(fmt: str) -> str:
    """A hash of the code a format is rendered by: a changed renderer rebuilds its outputs."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for name in (*CODE["common"], *CODE[fmt]):
        paths = sorted(p for p in (root / name).rglob("*") if p.is_file()) \
            if (root / name).is_dir() else [root / name]
        for path in paths:
            if path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(edition: Edition, fmt: str, settings: Settings) -> str:
    """What an output is made from: the edition, the format, the settings, the tool."""
    digest = hashlib.sha256()
    for part in (code_fingerprint(fmt), fmt, repr(replace(settings, cache_dir="")), repr(edition)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp_path(root: Path, task: Task) -> Path:
    return root / task.folder / STAMP.format(format=task.format)


def _read_stamp(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _up_to_date(root: Path, task: Task) -> bool:
    stamp = _read_stamp(_stamp_path(root, task))
    if not stamp or stamp.get("fingerprint") != task.fingerprint:
        return False
    folder = root / task.folder
    return all(
        (folder / name).is_file() and (folder / name).stat().st_size == info["size"]
        for name, info in stamp.get("files", {}).items()
    )


def _save(root: Path, task: Task, result: TaskResult) -> None:
    """Write a task's files atomically, then its stamp, then drop files it no longer makes."""
    folder = OutputDir(root / task.folder)
    old = _read_stamp(_stamp_path(root, task)) or {}
    for name, data in sorted(result.files.items()):
        folder.write(name, data)
    stamp = {
        "fingerprint": task.fingerprint,
        "leaflet": task.edition.leaflet.id,
        "language": task.edition.lang,
        "format": task.format,
        "files": {
            name: {"size": len(data), "sha256": _sha256(data)}
            for name, data in sorted(result.files.items())
        },
    }
    folder.write(STAMP.format(format=task.format), json.dumps(stamp, indent=1, sort_keys=True))
    for name in set(old.get("files", {})) - set(result.files):
        (root / task.folder / name).unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused, not queued."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LeafletsError("another build is writing to this folder", root,
                                hint="wait for it to finish, then run the build again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Plan:
    tasks: list[Task]
    skipped: list[TaskResult]
    problems: list[Problem]
    editions: list[Edition]


def plan(project: Project, request: BuildRequest) -> Plan:
    """Every task the request asks for, and what cannot be built and why."""
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
    sources = read_sources(project)
    leaflets = sources.leaflets
    if request.leaflets:
        unknown = set(request.leaflets) - {leaflet.id for leaflet in leaflets}
        if unknown:
            raise LeafletsError(f"no leaflet {sorted(unknown)[0]!r} in source/",
                                hint="use a leaflet id from the front matter")
        leaflets = [leaflet for leaflet in leaflets if leaflet.id in request.leaflets]
    languages = project.languages()
    found = load_editions(project, leaflets, languages)
    wanted = {web_code(code) for code in request.languages}
    tasks: list[Task] = []
    skipped = [
        TaskResult((leaflet, lang, "-"), "skipped", reason)
        for leaflet, lang, reason in found.skipped
        if not wanted or lang in wanted
    ]
    skipped += [TaskResult((name, "-", "-"), "failed", "source has errors")
                for name in sources.failed]
    editions = [e for e in found.editions if not wanted or e.lang in wanted]
    for edition in editions:
        for fmt in formats:
            tasks.append(Task(edition, fmt, settings, fingerprint(edition, fmt, settings)))
    return Plan(tasks, skipped, sources.problems + found.problems, found.editions)


def run_build(project: Project, request: BuildRequest, out: Console, err: Console) -> int:
    """Build what ``request`` asks for; print problems, progress and a summary table."""
    root = project.output_dir
    with build_lock(root):
        the_plan = plan(project, request)
        for problem in the_plan.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
        results = execute(the_plan.tasks, root, request, out)
        if "html" in (request.formats or project.config.formats):
            _write_index(project, the_plan.editions)
        write_manifest(root, results)
    summary(results + the_plan.skipped, out)
    for result in results:
        for problem in result.problems:
            err.print(str(problem), soft_wrap=True, highlight=False, markup=False)
    failed = [r for r in results + the_plan.skipped if r.status == "failed"]
    for r in failed:
        err.print(f"failed: {'/'.join(r.label)}: {r.detail}", soft_wrap=True, markup=False)
    errors = any(p.severity == "error" for p in the_plan.problems)
    return 1 if failed or errors else 0


def execute(tasks: list[Task], root: Path, request: BuildRequest, out: Console
            ) -> list[TaskResult]:
    """Run the tasks that are out of date, audio split into one job per clip; reuse the rest."""
    results: list[TaskResult] = []
    todo: list[Task] = []
    for task in tasks:
        if _up_to_date(root, task):
            results.append(TaskResult(task.label, "reused"))
        else:
            todo.append(task)
    if not todo:
        if tasks:
            out.print("Nothing changed: every output is up to date.")
        return results
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=out, transient=True,
                  disable=not out.is_terminal) as bar, _jobs(request) as pool:
        audio: dict[tuple[str, str, str], _AudioJob] = {}
        waiting: dict[Future[object], tuple[Task, int | None]] = {}
        for task in todo:
            if task.format == "audio":
                from .audio import clips

                job = _AudioJob(task, clips(task.edition, task.settings))
                audio[task.label] = job
                for index, clip in enumerate(job.clips):
                    waiting[pool.submit(_render_clip, clip, task.settings)] = (task, index)
                if not job.clips:
                    waiting[pool.submit(run_task, task)] = (task, None)
            else:
                waiting[pool.submit(run_task, task)] = (task, None)
        progress_id = bar.add_task("building", total=len(waiting))
        for future in pool.completed(waiting):
            task, index = waiting[future]
            bar.update(progress_id, advance=1, description="/".join(task.label))
            value = future.result()
            if index is None:
                result = value
            else:
                job = audio[task.label]
                job.add(index, value)
                if not job.complete:
                    continue
                result = job.assemble()
            if result.status == "built":
                _save(root, task, result)
            result.files = {}
            results.append(result)
    return results


@dataclass
class _AudioJob:
    """One edition's audio: its clips, rendered one job each, then assembled here."""

    task: Task
    clips: list
    rendered: dict[int, object] = field(default_factory=dict)
    failure: str = ""
    started: float = field(default_factory=time.perf_counter)

    def add(self, index: int, value: object) -> None:
        if isinstance(value, str):
            self.failure = self.failure or value
        self.rendered[index] = value

    @property
    def complete(self) -> bool:
        return len(self.rendered) == len(self.clips)

    def assemble(self) -> TaskResult:
        from .audio import assemble

        seconds = time.perf_counter() - self.started
        if self.failure:
            return TaskResult(self.task.label, "failed", self.failure, seconds=seconds)
        done = [self.rendered[i] for i in range(len(self.clips))]
        out = MemoryOutput()
        try:
            assemble(self.task.edition, self.clips, done, out)
        except LeafletsError as exc:
            return TaskResult(self.task.label, "failed", str(exc), seconds=seconds)
        problems = [p for r in done for p in r.problems]  # type: ignore[attr-defined]
        return TaskResult(self.task.label, "built", files=out.files, problems=problems,
                          seconds=seconds)


def _render_clip(clip: object, settings: Settings) -> object:
    """One clip of audio (a worker job); a failure comes back as its message."""
    from .audio import render_clip

    try:
        return render_clip(clip, settings)  # type: ignore[arg-type]
    except LeafletsError as exc:
        return str(exc)
    except Exception as exc:  # a synthesis bug must not stop the other jobs
        return f"internal error: {type(exc).__name__}: {exc}"


class _Pool:
    """Where jobs run: a Dask cluster, local processes, or this process."""

    def __init__(self, submit: Callable[..., Future], completed: Callable[..., Iterator[Future]]
                 ) -> None:
        self.submit = submit
        self.completed = completed


def _inline_submit(fn: Callable[..., object], *args: object) -> Future[object]:
    future: Future[object] = Future()
    future.set_result(fn(*args))
    return future


@contextlib.contextmanager
def _jobs(request: BuildRequest) -> Iterator[_Pool]:
    if request.scheduler:
        try:
            from distributed import Client
            from distributed import as_completed as dask_completed
        except ImportError:  # pragma: no cover - a declared dependency
            raise LeafletsError("dask.distributed is not installed",
                                hint="pip install distributed") from None
        try:
            client = Client(request.scheduler, timeout=30)
        except OSError as exc:
            raise LeafletsError(f"cannot reach the scheduler {request.scheduler}: {exc}",
                                hint="start it with 'dask scheduler' and its workers") from None
        with client:
            yield _Pool(lambda fn, *a: client.submit(fn, *a, pure=False),
                        lambda futures: dask_completed(list(futures)))
        return
    jobs = request.jobs or os.cpu_count() or 1
    if jobs <= 1:
        yield _Pool(_inline_submit, lambda futures: iter(list(futures)))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield _Pool(pool.submit, lambda futures: as_completed(list(futures)))


def _write_index(project: Project, editions: list[Edition]) -> None:
    from .html import write_site_index

    write_site_index(editions, OutputDir(project.output_dir))


def write_manifest(root: Path, results: list[TaskResult]) -> None:
    """``outputs/manifest.json``: every output, and whether this build made or reused it."""
    made = {r.label: r.status for r in results}
    entries = []
    for stamp_path in sorted(root.glob("*/*/.*.stamp.json")):
        stamp = _read_stamp(stamp_path)
        if not stamp:
            continue
        label = (stamp["leaflet"], stamp["language"], stamp["format"])
        folder = stamp_path.parent.relative_to(root).as_posix()
        for name, info in sorted(stamp["files"].items()):
            entries.append({
                "leaflet": label[0],
                "language": label[1],
                "format": label[2],
                "path": f"{folder}/{name}",
                "size": info["size"],
                "sha256": info["sha256"],
                "made": "built" if made.get(label) == "built" else "reused",
            })
    OutputDir(root).write("manifest.json", json.dumps({"outputs": entries}, indent=1) + "\n")


def summary(results: list[TaskResult], out: Console) -> None:
    """The final table: per leaflet and language, what happened to each format."""
    table = Table("leaflet", "language", "format", "result", "detail", title="build",
                  title_justify="left")
    colours = {"built": "green", "reused": "cyan", "skipped": "yellow", "failed": "red"}
    for r in sorted(results, key=lambda r: r.label):
        detail = r.detail or (f"{r.seconds:.1f} s" if r.status == "built" else "")
        table.add_row(*r.label, f"[{colours[r.status]}]{r.status}[/]", detail)
    out.print(table)


def clean(project: Project) -> list[Path]:
    """Remove the outputs and the build cache."""
    removed = []
    for path in (project.output_dir, project.root / project.config.cache_dir):
        if path.is_dir():
            with build_lock(project.output_dir) if path == project.output_dir else (
                contextlib.nullcontext()
            ):
                for child in path.iterdir():
                    if child.name in (LOCK, ".gitkeep"):
                        continue
                    if child.is_dir():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
            removed.append(path)
    return removed
