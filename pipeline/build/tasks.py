"""Tasks: one edition in one format, what a task returns, and the builder that renders it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ..builders.base import Builder, OutputDir, Settings
from ..errors import FormatSkipped, Problem
from ..layout import edition_dir
from ..model import Edition

BUILDERS = {
    "pdf": "pipeline.pdf:PdfBuilder",
    "html": "pipeline.html:HtmlBuilder",
    "audio": "pipeline.audio:AudioBuilder",
    "braille": "pipeline.braille:BrailleBuilder",
    "epub": "pipeline.epub:EpubBuilder",
}
"""Each format's builder, as ``module:class`` (imported when first needed)."""


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
    prune: bool = False
    """Withdraw outputs even when that removes a whole leaflet or most of what is published."""


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
        return sha256(json.dumps(self.inputs).encode())

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
        self.made[name] = (len(payload), sha256(payload))
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
    try:
        builder.build(task.edition, out)
    except FormatSkipped as skipped:
        return TaskResult(task.label, "skipped", str(skipped))
    return TaskResult(task.label, "built", made=out.made, files=getattr(out, "files", {}),
                      problems=list(getattr(builder, "problems", [])))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
