"""The build engine: leaflet × language × format tasks, incremental, parallel, atomic.

Each task renders one edition in one format: a worker process on this machine
writes the files into a staging folder beside the outputs, a worker on another
machine (Dask) sends them back in memory. Audio is split into one job per clip;
clips already in the cache need no job, and the edition's files are assembled
from the clips without re-encoding them.

Beside each edition's files a stamp records what they were made from (hashes
of the edition, the settings, the code, the libraries and the environment), so
a rebuild with nothing changed does no work, and says why it rebuilt the rest.
A task's files and stamp are staged first and renamed into place together,
with Ctrl-C held off for those few renames: an interrupted or failed task
leaves the last good output, and its stamp, exactly as they were.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import gc
import hashlib
import itertools
import json
import os
import pickle
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_first
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .builders.base import Builder, OutputDir, Settings
from .catalog.languages import web_code
from .catalog.publish import Editions
from .catalog.publish import editions as load_editions
from .catalog.workflow import Sources, read_sources
from .config import FORMATS
from .errors import LeafletsError, Problem
from .files import write_atomic
from .layout import edition_dir, html_name
from .model import Edition
from .project import Project

BUILDERS = {
    "pdf": "pipeline.pdf:PdfBuilder",
    "html": "pipeline.html:HtmlBuilder",
    "audio": "pipeline.audio:AudioBuilder",
    "epub": "pipeline.epub:EpubBuilder",
}
STAMP = ".{format}.stamp.json"
STAGING = ".{format}.staging"
LOCK = ".leaflets.lock"
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
"""Environment variables that shape outputs: part of every fingerprint, passed to workers."""


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
    """One edition in one format, and what its output is made from."""

    edition: Edition
    format: str
    settings: Settings
    inputs: tuple[tuple[str, str], ...]
    """(what, hash) pairs: edition, settings, code, tool, libraries, environment."""

    @property
    def fingerprint(self) -> str:
        return _sha256(json.dumps(self.inputs).encode())

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
    """Why it was built, skipped or failed."""
    made: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Size and sha256 of each file made, computed where it was rendered."""
    files: dict[str, bytes] = field(default_factory=dict)
    """The files themselves, when rendered on a machine that cannot write them here."""
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class StagedOutput(OutputDir):
    """Files written into a task's staging folder, each one's size and hash noted."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.made: dict[str, tuple[int, str]] = {}

    def note(self, name: str, data: bytes | str) -> bytes:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self.made[name] = (len(payload), _sha256(payload))
        return payload

    def write(self, name: str, data: bytes | str) -> Path:
        return super().write(name, self.note(name, data))


class MemoryOutput(StagedOutput):
    """An output folder in memory: what a worker on another machine sends back."""

    def __init__(self) -> None:
        super().__init__(Path("."))
        self.files: dict[str, bytes] = {}

    def write(self, name: str, data: bytes | str) -> Path:
        self.files[name] = self.note(name, data)
        return Path(name)


def builder_for(fmt: str, settings: Settings) -> Builder:
    module, _, name = BUILDERS[fmt].partition(":")
    cls = getattr(import_module(module), name)
    return cls(settings)


def run_task(task: Task, staging: str | None) -> TaskResult:
    """Render one task (a worker job) into its staging folder, or into memory if None."""
    builder = builder_for(task.format, task.settings)
    out = StagedOutput(Path(staging)) if staging else MemoryOutput()
    builder.build(task.edition, out)
    return TaskResult(task.label, "built", made=out.made, files=getattr(out, "files", {}),
                      problems=list(getattr(builder, "problems", [])))


# --- what an output is made from ------------------------------------------------------------

CODE = {
    "common": ("model.py", "inline.py", "layout.py", "pictograms.py", "hardwords.py",
               "builders"),
    "pdf": ("pdf",),
    "html": ("html", "templates", "pictures"),
    "audio": ("audio", "lexicons"),
    "epub": ("epub", "audio", "lexicons", "pdf", "pictures", "pictograms.py", "html/languages.py"),
    "plan": ("source.py", "catalog", "config.py", "project.py", "files.py", "errors.py"),
}
"""The package files each format's output depends on, besides the common ones
("plan": what reading sources and catalogues into editions depends on)."""

LIBRARIES = {
    "common": ("babel",),
    "pdf": ("reportlab", "uharfbuzz", "fontpkg-atkinson-hyperlegible", "fontpkg-noto-sans",
            "fontpkg-noto-sans-arabic"),
    "html": ("jinja2", "markdown-it-py"),
    "audio": ("espeakng-loader", "lameenc", "numpy", "scipy", "pyloudnorm"),
    "epub": ("espeakng-loader", "lameenc", "numpy", "scipy", "pyloudnorm", "reportlab",
             "uharfbuzz", "fontpkg-atkinson-hyperlegible", "fontpkg-noto-sans",
             "fontpkg-noto-sans-arabic", "fonttools"),
}
"""The installed distributions whose version can change a format's bytes."""

REASONS = {
    "edition": "text changed",
    "settings": "settings changed",
    "code": "leaflets code changed",
    "tool": "leaflets version changed",
    "libraries": "libraries changed",
    "environment": "SOURCE_DATE_EPOCH changed",
}
"""Why a task is rebuilt, by the first input that differs from its stamp."""


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


@cache
def libraries(fmt: str) -> str:
    """The versions of the libraries a format is rendered with, like ``reportlab 5.1.0``."""
    found = []
    for name in (*LIBRARIES["common"], *LIBRARIES[fmt]):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


def environment() -> tuple[tuple[str, str], ...]:
    """The variables of :data:`ENVIRONMENT` that are set; a bad SOURCE_DATE_EPOCH is refused."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise LeafletsError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                            hint="set it to a Unix time, e.g. $(git log -1 --format=%ct)")
    return tuple((name, os.environ[name]) for name in ENVIRONMENT if name in os.environ)


def _settings_digest(settings: Settings) -> str:
    """The settings without the project's and the cache's folders, and the bytes of every
    font file they name (voice files count in each audio clip's key instead)."""
    digest = hashlib.sha256(repr(replace(settings, cache_dir="", project_dir="")).encode())
    for _, font in settings.fonts:
        with contextlib.suppress(OSError):
            digest.update(settings.resolve(font).read_bytes())
    return digest.hexdigest()


def task_inputs(edition: str, fmt: str, settings: Settings, env: tuple[tuple[str, str], ...]
                ) -> tuple[tuple[str, str], ...]:
    """What an output is made from (``edition``: the edition's hash). Nothing in it depends
    on where the project is."""
    return (
        ("edition", edition),
        ("settings", _settings_digest(settings)),
        ("code", code_fingerprint(fmt)),
        ("tool", __version__),
        ("libraries", libraries(fmt)),
        ("environment", json.dumps(env)),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- stamps and saving ----------------------------------------------------------------------

def _stamp_path(root: Path, task: Task) -> Path:
    return root / task.folder / STAMP.format(format=task.format)


def _read_stamp(path: Path) -> dict | None:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def outdated(root: Path, task: Task) -> str:
    """Why ``task`` must be built ("" if its output is up to date)."""
    stamp = _read_stamp(_stamp_path(root, task))
    if not stamp:
        return "new"
    if stamp.get("fingerprint") != task.fingerprint:
        old = stamp.get("inputs", {})
        return next((REASONS[what] for what, value in task.inputs if old.get(what) != value),
                    "inputs changed")
    folder = root / task.folder
    for name, info in stamp.get("files", {}).items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != info.get("size"):
            return "files changed"
    return ""


def staging(root: Path, task: Task) -> Path:
    """Where a task's files are written before they are renamed into place."""
    return root / task.folder / STAGING.format(format=task.format)


def _save(root: Path, task: Task, result: TaskResult) -> None:
    """Rename a task's staged files and its stamp into place together, then drop the files
    it no longer makes. Until the renames, the previous output and stamp are untouched."""
    folder, staged = root / task.folder, staging(root, task)
    if result.files:  # rendered elsewhere
        out = StagedOutput(staged)
        for name, data in sorted(result.files.items()):
            out.write(name, data)
    old = _read_stamp(_stamp_path(root, task)) or {}
    stamp = {
        "fingerprint": task.fingerprint,
        "inputs": dict(task.inputs),
        "leaflet": task.edition.leaflet.id,
        "language": task.edition.lang,
        "format": task.format,
        "files": {name: {"size": size, "sha256": sha256}
                  for name, (size, sha256) in sorted(result.made.items())},
    }
    stamp_name = STAMP.format(format=task.format)
    OutputDir(staged).write(stamp_name, json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    with _uninterrupted():
        for name in [*sorted(result.made), stamp_name]:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / name, folder / name)
        for name in set(old.get("files", {})) - set(result.made):
            (folder / name).unlink(missing_ok=True)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    if caught:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _ctrl_c() -> Iterator[Callable[[], None]]:
    """Ctrl-C raises KeyboardInterrupt at once, and again from the check this yields (called
    between jobs): Python drops an exception raised inside a finaliser or an import's
    callback, and a build must not carry on as if Ctrl-C had not been pressed."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pressed: list[int] = []

    def press(signum: int, _frame: object) -> None:
        pressed.append(signum)
        raise KeyboardInterrupt

    def check() -> None:
        if pressed:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, press)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused, not queued."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LeafletsError("another build is writing to this folder", root,
                                hint="wait for it to finish, then run the build again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- planning -------------------------------------------------------------------------------

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
    env = environment()
    languages = project.languages()
    wanted = {web_code(code) for code in request.languages}
    if wanted - set(languages):
        raise LeafletsError(f"no language '{sorted(wanted - set(languages))[0]}' in this project",
                            hint=f"use {', '.join(languages)}")
    sources, found = read_editions(project, languages)
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
        for digest in [_sha256(repr(edition).encode())]
        for fmt in formats
    ]
    scope = (set(request.leaflets), wanted, set(request.formats) or set(FORMATS))
    return Plan(tasks, skipped, sources.problems + found.problems,
                None if sources.failed else found.editions,
                withdrawn(project.output_dir, scope, tasks, sources, found, languages, formats))


def withdrawn(root: Path, scope: tuple[set[str], set[str], set[str]], tasks: list[Task],
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
    for stamp in sorted(root.glob(f"*/*/{STAMP.format(format='*')}")):
        leaflet, lang = stamp.parent.parent.name, stamp.parent.name
        fmt = stamp.name.removeprefix(".").removesuffix(".stamp.json")
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


def remove(root: Path, result: TaskResult) -> None:
    """Delete an unpublished output: the files its stamp lists, then the stamp, then the
    folders left empty. Files the build did not make are left alone."""
    leaflet, lang, fmt = result.label
    folder = root / edition_dir(leaflet, lang)
    stamp_path = folder / STAMP.format(format=fmt)
    names = [Path(name) for name in (_read_stamp(stamp_path) or {}).get("files", {})]
    names = [name for name in names if not name.is_absolute() and ".." not in name.parts]
    with _uninterrupted():
        for name in names:
            (folder / name).unlink(missing_ok=True)
        stamp_path.unlink(missing_ok=True)
    inner = sorted({(folder / name).parent for name in names} - {folder}, reverse=True)
    for path in [*inner, folder, folder.parent]:
        with contextlib.suppress(OSError):  # not empty
            path.rmdir()


def read_editions(project: Project, languages: list[str]) -> tuple[Sources, Editions]:
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
    cached = project.root / project.config.cache_dir / "plans" / f"{key}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError,
                             ImportError):  # no plan, or one an older version wrote
        return pickle.loads(cached.read_bytes())  # type: ignore[no-any-return]
    sources = read_sources(project)
    found = load_editions(project, sources.leaflets, languages)
    with contextlib.suppress(OSError):
        for old in cached.parent.glob("*.pickle"):
            old.unlink()
        write_atomic(cached, pickle.dumps((sources, found)))
    return sources, found


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
            execute(the_plan.tasks, root, request, out, results)
            for gone in the_plan.withdrawn:
                remove(root, gone)
                results.append(gone)
            if "html" in (request.formats or project.config.formats) and \
                    the_plan.published is not None:
                _write_index(project.output_dir, the_plan.published)
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


# --- running --------------------------------------------------------------------------------

Key = tuple[int, int | None]
"""A job's place: (task number, clip number or None for a whole task)."""
Job = tuple[Key, str, Callable[..., Any], tuple]
"""(key, format, function, arguments)."""


def execute(tasks: list[Task], root: Path, request: BuildRequest, out: Console,
            results: list[TaskResult]) -> None:
    """Build the tasks that are out of date into ``results`` (also when interrupted)."""
    todo: list[tuple[Task, str]] = []
    for task in tasks:
        reason = outdated(root, task)
        if reason:
            todo.append((task, reason))
        else:
            results.append(TaskResult(task.label, "reused"))
    if not todo:
        return
    audio: dict[int, _Audio] = {}

    def finish(n: int, result: TaskResult) -> None:
        task, reason = todo[n]
        try:
            if result.status == "built":
                _save(root, task, result)
                result.detail = reason
        finally:
            shutil.rmtree(staging(root, task), ignore_errors=True)
        result.files = {}
        results.append(result)
        bar.advance(progress, 1)

    def stage(task: Task) -> str | None:
        """A clean staging folder for a worker that shares this file system, else None."""
        shutil.rmtree(staging(root, task), ignore_errors=True)  # left by a killed build
        return None if pool.remote else str(staging(root, task))

    def send_clips(n: int, task: Task, parts: list) -> Iterator[Job]:
        """A job per clip the cache lacks; the edition is assembled here once they are back."""
        from .audio import render_clip

        try:
            job = _Audio.plan(task, parts)
        except Exception as exc:  # a clip cache entry that cannot be read back
            finish(n, TaskResult(task.label, "failed", failure(exc)))
            return
        if job.complete:  # another edition's jobs made the missing clips meanwhile
            finish(n, job.assemble(staging(root, task)))
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
                from .audio import clips

                try:
                    parts = clips(task.edition, task.settings)
                except Exception as exc:
                    finish(n, TaskResult(task.label, "failed", failure(exc)))
                    continue
                yield from send_clips(n, task, parts)

    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=out, transient=True,
                      disable=not out.is_terminal) as bar, _ctrl_c() as stop_if_pressed, \
                _jobs(request, len(todo)) as pool:
            progress = bar.add_task("building", total=len(todo))
            queue = _Queue(jobs())
            for (n, clip), value, seconds in pool.run(queue):
                stop_if_pressed()
                bar.update(progress, description="/".join(todo[n][0].label))
                if clip is not None:
                    job = audio[n]
                    job.add(clip, value, seconds, keep=pool.remote)
                    if job.complete:
                        finish(n, audio.pop(n).assemble(staging(root, todo[n][0])))
                elif isinstance(value, list):  # an audio edition whose clips are missing
                    queue.later.extend(send_clips(n, todo[n][0], value))
                else:
                    done = value if isinstance(value, TaskResult) else \
                        TaskResult(todo[n][0].label, "failed", value)
                    done.seconds = seconds
                    finish(n, done)
    finally:  # after the workers stopped: what an interrupted task staged
        for task, _ in todo:
            shutil.rmtree(staging(root, task), ignore_errors=True)


@dataclass
class _Audio:
    """One edition's audio: its clips (from the cache or one job each), then assembled here."""

    task: Task
    clips: list
    rendered: dict[int, Any] = field(default_factory=dict)
    failure: str = ""
    seconds: float = 0.0

    @classmethod
    def plan(cls, task: Task, clips: list) -> _Audio:
        """The edition's audio, with the clips the cache has."""
        from .audio import cached_clip

        job = cls(task, clips)
        for index, clip in enumerate(job.clips):
            hit = cached_clip(clip, task.settings)
            if hit is not None:
                job.rendered[index] = hit
        return job

    def missing(self) -> list[int]:
        return [i for i in range(len(self.clips)) if i not in self.rendered]

    def add(self, index: int, value: Any, seconds: float, keep: bool) -> None:
        """A clip back from a job (or its failure); ``keep`` caches one made elsewhere."""
        from .audio import keep_clip

        self.seconds += seconds
        if isinstance(value, str):
            self.failure = self.failure or value
        elif keep:
            keep_clip(value, self.task.settings)
        self.rendered[index] = value

    @property
    def complete(self) -> bool:
        return len(self.rendered) == len(self.clips)

    def assemble(self, folder: Path) -> TaskResult:
        """The edition's files, written into ``folder`` (its staging folder)."""
        from .audio import assemble

        label = self.task.label
        if self.failure:
            return TaskResult(label, "failed", self.failure, seconds=self.seconds)
        started = time.perf_counter()
        done = [self.rendered[i] for i in range(len(self.clips))]
        shutil.rmtree(folder, ignore_errors=True)
        out = StagedOutput(folder)
        try:
            assemble(self.task.edition, self.clips, done, out)
        except Exception as exc:
            return TaskResult(label, "failed", failure(exc), seconds=self.seconds)
        return TaskResult(label, "built", made=out.made,
                          problems=[p for r in done for p in r.problems],
                          seconds=self.seconds + time.perf_counter() - started)


def run_audio(task: Task, staging: str) -> TaskResult | list:
    """Assemble an edition's audio from the clip cache (a worker job on this machine), or,
    when clips are missing, return the edition's clips to be synthesised one job each."""
    from .audio import clips

    job = _Audio.plan(task, clips(task.edition, task.settings))
    return job.assemble(Path(staging)) if job.complete else job.clips


class _Queue:
    """The jobs: those that results asked for (``later``) first, then the planned ones.

    Running out is not the end: a result can still add jobs, and the pool asks again.
    """

    def __init__(self, planned: Iterator[Job]) -> None:
        self.planned = planned
        self.later: collections.deque[Job] = collections.deque()

    def __iter__(self) -> _Queue:
        return self

    def __next__(self) -> Job:
        return self.later.popleft() if self.later else next(self.planned)


def work(fn: Callable[..., Any], fmt: str, code: str, env: tuple[tuple[str, str], ...],
         *args: Any) -> tuple[Any, float]:
    """Run one job where it was sent: ``(result or failure message, seconds)``. Never raises.

    The job runs with the build's environment (SOURCE_DATE_EPOCH), and only if this
    worker renders ``fmt`` with the same code as the machine that planned the build.
    """
    started = time.perf_counter()
    if code_fingerprint(fmt) != code:
        return ("this worker runs other leaflets code (install the same version of the "
                "project and its packages on every worker)", 0.0)
    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    os.environ.update(env)
    for name in set(ENVIRONMENT) - {name for name, _ in env}:
        os.environ.pop(name, None)
    try:
        value = fn(*args)
    except Exception as exc:  # a renderer bug must not stop the other jobs
        value = failure(exc)
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
    return value, time.perf_counter() - started


def failure(exc: Exception) -> str:
    """The one-line message of a failed job: the error, or the bug, in its own words."""
    if isinstance(exc, LeafletsError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


class _Pool:
    """Where jobs run: a Dask cluster, local processes, or this process.

    At most ``window`` jobs are out at once, so results come back as they are
    written and memory stays flat however many leaflets there are.
    """

    def __init__(self, submit: Callable[..., Any] | None,
                 wait: Callable[[list], Iterable[Any]] | None, window: int,
                 remote: bool = False) -> None:
        self.submit = submit
        self.wait = wait
        self.window = window
        self.remote = remote
        """Jobs run on other machines, whose clip caches this one does not share."""

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Key, Any, float]]:
        """Run ``jobs``, pulled as workers free up (``jobs`` may grow while results come)."""
        env = environment()
        if self.submit is None or self.wait is None:
            for key, fmt, fn, args in jobs:
                yield key, *work(fn, fmt, code_fingerprint(fmt), env, *args)
            return
        pending: dict[Any, Key] = {}
        while True:
            for key, fmt, fn, args in itertools.islice(jobs, max(self.window - len(pending), 0)):
                pending[self.submit(work, fn, fmt, code_fingerprint(fmt), env, *args)] = key
            if not pending:
                return
            for future in self.wait(list(pending)):
                key = pending.pop(future)
                try:
                    value, seconds = future.result()
                except Exception as exc:  # a worker that died, or cannot load the job
                    value, seconds = f"worker failed: {type(exc).__name__}: {exc}", 0.0
                yield key, value, seconds


@contextlib.contextmanager
def _jobs(request: BuildRequest, count: int) -> Iterator[_Pool]:
    """A pool for up to ``count`` tasks: the Dask scheduler asked for, else ``-j`` processes."""
    if request.scheduler:
        with _dask(request.scheduler) as pool:
            yield pool
        return
    workers = min(request.jobs or default_jobs(), count)
    if workers <= 1:
        yield _Pool(None, None, 1)
        return
    for spec in BUILDERS.values():  # imported once here, inherited by every forked worker
        import_module(spec.partition(":")[0])
    pool = ProcessPoolExecutor(max_workers=workers, initializer=signal.signal,
                               initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        yield _Pool(pool.submit,
                    lambda futures: wait_first(futures, return_when=FIRST_COMPLETED).done,
                    2 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _dask(address: str) -> Iterator[_Pool]:
    try:
        from distributed import Client
        from distributed import wait as dask_wait
    except ImportError:  # pragma: no cover - a declared dependency
        raise LeafletsError("dask.distributed is not installed",
                            hint="pip install distributed") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, ValueError) as exc:
        # The half-made client closes itself when collected, through its event loop's
        # thread: collect it now, or a process forked later (a -j worker in the same
        # Python) inherits it without that thread and waits 60 s in its __del__.
        gc.collect()
        raise LeafletsError(f"cannot reach the scheduler {address}: {exc}",
                            hint="start it with 'dask scheduler' and its workers") from None
    with client:
        threads = sum(client.nthreads().values()) or 1
        yield _Pool(lambda fn, *args: client.submit(fn, *args, pure=False),
                    lambda futures: dask_wait(futures, return_when="FIRST_COMPLETED").done,
                    2 * threads, remote=True)


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


# --- reporting ------------------------------------------------------------------------------

def _write_index(root: Path, editions: list[Edition]) -> None:
    """The site index of every published edition; none when nothing is published."""
    from .html import render_site_index

    if editions:
        _write_if_changed(root, html_name(), render_site_index(tuple(editions)))
    else:
        (root / html_name()).unlink(missing_ok=True)


def _write_if_changed(folder: Path, name: str, text: str) -> None:
    """Write ``text`` atomically, unless the file already holds it: a no-op build writes nothing."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if (folder / name).read_bytes() == data:
            return
    OutputDir(folder).write(name, data)


def write_manifest(root: Path, results: list[TaskResult]) -> None:
    """``outputs/manifest.json``: every output on disk and what this build did with it.

    ``made`` is ``built`` (this build wrote it), ``reused`` (up to date, or not asked
    for) or ``kept`` (this build failed to remake it: the previous file is still there).
    """
    made = {r.label: r.status for r in results}
    entries = []
    for stamp_path in sorted(root.glob("*/*/.*.stamp.json")):
        stamp = _read_stamp(stamp_path)
        if not stamp:
            continue
        label = (stamp["leaflet"], stamp["language"], stamp["format"])
        folder = stamp_path.parent.relative_to(root).as_posix()
        status = made.get(label)
        for name, info in sorted(stamp["files"].items()):
            entries.append({
                "leaflet": label[0],
                "language": label[1],
                "format": label[2],
                "path": f"{folder}/{name}",
                "size": info["size"],
                "sha256": info["sha256"],
                "made": {"built": "built", "failed": "kept"}.get(status or "", "reused"),
            })
    _write_if_changed(root, "manifest.json", json.dumps({"outputs": entries}, indent=1) + "\n")


COLOURS = {"built": "green", "reused": "cyan", "skipped": "yellow", "failed": "red",
           "removed": "magenta"}


def summary(results: list[TaskResult], out: Console, seconds: float) -> None:
    """Per leaflet and language, what happened to each format; editions where nothing
    happened are counted, not listed. Nothing changed at all is one line."""
    counts = {status: sum(r.status == status for r in results) for status in COLOURS}
    if not results:
        out.print("Nothing to build.")
        return
    if counts["reused"] == len(results):
        out.print(f"Nothing changed: all {counts['reused']} outputs are up to date "
                  f"({seconds:.1f} s).")
        return
    formats = [f for f in FORMATS if any(r.label[2] == f for r in results)]
    rows: dict[tuple[str, str], list[TaskResult]] = {}
    for r in results:
        rows.setdefault(r.label[:2], []).append(r)
    table = Table("leaflet", "language", *formats, "seconds", "detail", title="build",
                  title_justify="left")
    for (leaflet, lang), row in sorted(rows.items()):
        if all(r.status == "reused" for r in row):
            continue
        cells = dict.fromkeys(formats, "")
        details = []
        for r in sorted(row, key=lambda r: r.label):
            text = f"[{COLOURS[r.status]}]{r.status}[/]"
            if r.label[2] in cells:
                cells[r.label[2]] = text
            else:  # the whole edition (or source) was skipped or failed
                cells = dict.fromkeys(formats, text)
            if r.status == "failed" and r.label[2] != "-":
                details.append(f"{r.label[2]}: {r.detail}")
            elif r.detail:
                details.append(r.detail)
        seconds_built = sum(r.seconds for r in row if r.status == "built")
        table.add_row(leaflet, lang, *cells.values(),
                      f"{seconds_built:.1f}" if seconds_built else "",
                      "; ".join(dict.fromkeys(details)))
    out.print(table)
    unchanged = sum(all(r.status == "reused" for r in row) for row in rows.values())
    out.print(", ".join(f"{n} {status}" for status, n in counts.items() if n)
              + (f" ({unchanged} editions unchanged, not listed)" if unchanged else "")
              + f" in {seconds:.1f} s.")


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
