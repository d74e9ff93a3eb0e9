"""Where a build writes: the outputs, the cache, and the build's own state in the cache.

The output folder holds outputs only (a service publishes it as it is): the stamps
that say what each output was made from, and the lock, live in the cache, in a
folder keyed by where the outputs are seen from the cache. Both folders are checked
before anything is written: neither may be the project, one of its parents, inside
``source/``, ``locales/`` or ``.git``, or inside the other.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import LeafletsError
from ..files import write_atomic
from ..project import Project

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by leaflets.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
"""The cache directory tag (https://bford.info/cachedir/): backup tools skip the folder,
and ``leaflets clean`` removes a cache folder only when it carries one."""


@dataclass(frozen=True)
class Folders:
    outputs: Path
    cache: Path

    @property
    def state(self) -> Path:
        """This output folder's stamps and lock, keyed by where it is seen from the cache,
        so a project copied with its cache keeps them, and projects sharing a cache do not
        share them."""
        seen = os.path.relpath(self.outputs.resolve(), self.cache.resolve())
        return self.cache / "builds" / hashlib.sha256(seen.encode()).hexdigest()[:16]

    def stamps(self) -> Path:
        return self.state / "stamps"

    def make_cache(self) -> None:
        """Create the cache folder with its CACHEDIR.TAG. A folder that is there already,
        not empty and without the tag gets none: it may be someone's, and ``clean``
        removes only a tagged cache."""
        if not self.cache.is_dir() or not any(self.cache.iterdir()):
            write_atomic(self.cache / "CACHEDIR.TAG", CACHEDIR_TAG.encode())

    def is_cache(self) -> bool:
        """Whether the cache folder carries the tag this build writes."""
        try:
            return (self.cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
                CACHEDIR_TAG.split("\n", 1)[0])
        except (OSError, UnicodeDecodeError):
            return False


def folders(project: Project) -> Folders:
    """The project's output and cache folders, refused if a build or ``clean`` there could
    touch the project's own files."""
    config = project.config
    root = project.root.resolve()
    found = {}
    for name, value in (("output-dir", config.output_dir), ("cache-dir", config.cache_dir)):
        path = (project.root / Path(value).expanduser()) if value.strip() else project.root
        real = path.resolve()
        if real == root or real in root.parents:
            _refuse(project, name, value, "is the project folder or one of its parents")
        for inside in ("source", "locales", ".git"):
            if real.is_relative_to(root / inside):
                _refuse(project, name, value, f"is inside {inside}/")
        found[name] = (path, real)
    (outputs, out_real), (cache, cache_real) = found["output-dir"], found["cache-dir"]
    if out_real.is_relative_to(cache_real) or cache_real.is_relative_to(out_real):
        _refuse(project, "cache-dir", config.cache_dir, "is the output folder, inside it, or "
                "holds it (outputs are published; the cache is not)")
    return Folders(outputs, cache)


def _refuse(project: Project, name: str, value: str, what: str) -> None:
    config = project.root / "leaflets.toml"
    if not config.is_file():
        config = project.root / "pyproject.toml"
    raise LeafletsError(f"{name} = {value!r} {what}", project.relative(config),
                        hint=f"set {name} to a folder of its own, like "
                        f"{'outputs' if name == 'output-dir' else '.leaflets-cache'}")


def linked_folder(outputs: Path, folder: str) -> Path | None:
    """The first folder of ``folder`` (a path below ``outputs``) that is a symbolic link, or
    None: a build neither writes nor removes through a link inside the output folder."""
    path = outputs
    for part in Path(folder).parts:
        path = path / part
        if path.is_symlink():
            return path
    return None
