"""Stamps beside each output: whether it is up to date, saving it, removing it."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from ..builders.base import OutputDir
from ..layout import edition_dir
from .inputs import REASONS
from .signals import uninterrupted
from .tasks import StagedOutput, Task, TaskResult

STAMP = ".{format}.stamp.json"
STAGING = ".{format}.staging"


def stamp_path(root: Path, task: Task) -> Path:
    return root / task.folder / STAMP.format(format=task.format)


def read_stamp(path: Path) -> dict | None:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def outdated(root: Path, task: Task) -> str:
    """Why ``task`` must be built ("" if its output is up to date)."""
    stamp = read_stamp(stamp_path(root, task))
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


def save(root: Path, task: Task, result: TaskResult) -> None:
    """Rename a task's staged files and its stamp into place together, then drop the files
    it no longer makes. Until the renames, the previous output and stamp are untouched."""
    folder, staged = root / task.folder, staging(root, task)
    if result.files:  # rendered elsewhere
        out = StagedOutput(staged)
        for name, data in sorted(result.files.items()):
            out.write(name, data)
    old = read_stamp(stamp_path(root, task)) or {}
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
    with uninterrupted():
        for name in [*sorted(result.made), stamp_name]:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / name, folder / name)
        for name in set(old.get("files", {})) - set(result.made):
            (folder / name).unlink(missing_ok=True)


def remove(root: Path, result: TaskResult) -> None:
    """Delete an unpublished output: the files its stamp lists, then the stamp, then the
    folders left empty. Files the build did not make are left alone."""
    leaflet, lang, fmt = result.label
    folder = root / edition_dir(leaflet, lang)
    stamp_path = folder / STAMP.format(format=fmt)
    names = [Path(name) for name in (read_stamp(stamp_path) or {}).get("files", {})]
    names = [name for name in names if not name.is_absolute() and ".." not in name.parts]
    with uninterrupted():
        for name in names:
            (folder / name).unlink(missing_ok=True)
        stamp_path.unlink(missing_ok=True)
    inner = sorted({(folder / name).parent for name in names} - {folder}, reverse=True)
    for path in [*inner, folder, folder.parent]:
        with contextlib.suppress(OSError):  # not empty
            path.rmdir()
