"""Stamps: whether an output is up to date, saving it, removing it.

A stamp records what an output was made from and the files it is; stamps live in
the build's state folder in the cache (``<state>/stamps/<leaflet>/<lang>/<format>.json``),
not beside the outputs, which hold only what is published.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import LeafletsError
from ..files import write_atomic
from ..layout import edition_dir
from .folders import Folders, linked_folder
from .inputs import REASONS
from .signals import uninterrupted
from .tasks import StagedOutput, Task, TaskResult


def stamp_path(where: Folders, label: tuple[str, str, str]) -> Path:
    leaflet, lang, fmt = label
    return where.stamps() / leaflet / lang / f"{fmt}.json"


def all_stamps(where: Folders) -> Iterator[tuple[tuple[str, str, str], dict]]:
    """Every readable stamp, with its (leaflet, language, format), in name order."""
    for path in sorted(where.stamps().glob("*/*/*.json")):
        stamp = read_stamp(path)
        if stamp is not None:
            yield (path.parent.parent.name, path.parent.name, path.stem), stamp


def read_stamp(path: Path) -> dict | None:
    """A stamp, or None if it is missing, unreadable or names a file outside its folder."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or not isinstance(stamp.get("files"), dict):
        return None
    if not all(safe_name(name) for name in stamp["files"]):
        return None
    return stamp


def safe_name(name: object) -> bool:
    """A file name relative to an edition's folder that stays inside it."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "." not in path.parts


def outdated(where: Folders, task: Task) -> str:
    """Why ``task`` must be built ("" if its output is up to date)."""
    stamp = read_stamp(stamp_path(where, task.label))
    if not stamp:
        return "new"
    if stamp.get("fingerprint") != task.fingerprint:
        old = stamp.get("inputs", {})
        return next((REASONS[what] for what, value in task.inputs if old.get(what) != value),
                    "inputs changed")
    folder = where.outputs / task.folder
    for name, info in stamp["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != info.get("size"):
            return "files changed"
    return ""


def staging(where: Folders, task: Task) -> Path:
    """Where a task's files are written before they are renamed into place: in the build's
    state folder in the cache, so nothing half-made ever shows among the published outputs,
    not even in a hidden folder."""
    return where.state / "staging" / task.folder / task.format


def writable(where: Folders, task: Task) -> str:
    """Why the task's folder cannot be written ("" if it can): a symbolic link inside the
    output folder is not written through."""
    link = linked_folder(where.outputs, task.folder)
    if link is None:
        return ""
    return (f"{link.relative_to(where.outputs).as_posix()} in the output folder is a "
            "symbolic link; not written through (replace it with a folder)")


def save(where: Folders, task: Task, result: TaskResult) -> None:
    """Rename a task's staged files and its stamp into place together, then drop the files
    it no longer makes. Until the renames, the previous output and stamp are untouched."""
    bad = [name for name in result.made if not safe_name(name)]
    if bad:
        raise LeafletsError(f"an output named {bad[0]!r} would leave its folder; not saved")
    for name in result.made:  # a link inside the edition's folder, like audio/
        link = linked_folder(where.outputs, str(PurePosixPath(task.folder, name).parent))
        if link is not None:
            raise LeafletsError(f"{link.relative_to(where.outputs).as_posix()} in the output "
                                "folder is a symbolic link; not written through (replace it "
                                "with a folder)")
    folder, staged = where.outputs / task.folder, staging(where, task)
    if result.files:  # rendered elsewhere
        out = StagedOutput(staged)
        for name, data in sorted(result.files.items()):
            out.write(name, data)
    path = stamp_path(where, task.label)
    old = read_stamp(path) or {}
    stamp = {
        "fingerprint": task.fingerprint,
        "inputs": dict(task.inputs),
        "leaflet": task.edition.leaflet.id,
        "language": task.edition.lang,
        "format": task.format,
        "files": {name: {"size": size, "sha256": sha256}
                  for name, (size, sha256) in sorted(result.made.items())},
    }
    data = (json.dumps(stamp, indent=1, sort_keys=True) + "\n").encode()
    with uninterrupted():
        for name in sorted(result.made):
            _move(staged / name, folder / name)
        write_atomic(path, data)
        for name in set(old.get("files", {})) - set(result.made):
            (folder / name).unlink(missing_ok=True)


def _move(staged: Path, target: Path) -> None:
    """Rename a staged file into place. From a cache on another file system it is copied
    in beside its target first, so the target is still replaced in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(staged, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        write_atomic(target, staged.read_bytes())


def remove(where: Folders, label: tuple[str, str, str], unlink: bool = False) -> None:
    """Delete an unpublished output: the files its stamp lists, then the stamp, then the
    folders left empty. Files the build did not make are left alone, and nothing is
    removed through a symbolic link inside the output folder (``unlink``: the link itself
    is removed, not what it points to)."""
    leaflet, lang, _ = label
    relative = edition_dir(leaflet, lang)
    folder = where.outputs / relative
    path = stamp_path(where, label)
    names = [Path(name) for name in (read_stamp(path) or {}).get("files", {})]
    with uninterrupted():
        for name in names:
            if linked_folder(where.outputs, (Path(relative) / name).parent.as_posix()) is None:
                (folder / name).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    link = linked_folder(where.outputs, relative)
    if unlink and link is not None:
        link.unlink()
    inner = sorted({(folder / name).parent for name in names} - {folder}, reverse=True)
    for empty in [*inner, folder, folder.parent, path.parent, path.parent.parent]:
        if not empty.is_symlink():
            with contextlib.suppress(OSError):  # not empty
                empty.rmdir()


def adopt_legacy(where: Folders) -> None:
    """Move the stamps older versions kept beside the outputs (``.pdf.stamp.json``) into the
    cache, and drop their lock file and staging folders: the output folder then holds only
    what is published, and those outputs stay up to date (and can still be withdrawn)."""
    for path in sorted(where.outputs.glob("*/*/.*.stamp.json")):
        relative = path.parent.relative_to(where.outputs).as_posix()
        if linked_folder(where.outputs, relative) is not None:
            continue
        label = (path.parent.parent.name, path.parent.name,
                 path.name.removeprefix(".").removesuffix(".stamp.json"))
        target = stamp_path(where, label)
        if read_stamp(path) is not None and not target.exists():
            write_atomic(target, path.read_bytes())
        path.unlink()
    (where.outputs / ".leaflets.lock").unlink(missing_ok=True)
    for path in sorted(where.outputs.glob("*/*/.*.staging")):  # left by a killed build
        relative = path.parent.relative_to(where.outputs).as_posix()
        if linked_folder(where.outputs, relative) is None and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
