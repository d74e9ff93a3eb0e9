"""Removing the outputs and the build cache: only what a build made."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..project import Project
from .folders import folders
from .lock import build_lock
from .report import remove_index, remove_manifest
from .stamps import adopt_legacy, all_stamps, remove


def clean(project: Project) -> tuple[list[Path], list[str]]:
    """Remove every output the stamps list (and the manifest and site index a build wrote),
    then the cache folder if it carries its CACHEDIR.TAG. Returns what was removed and
    notes on what was left."""
    where = folders(project)
    removed: list[Path] = []
    notes: list[str] = []
    with build_lock(where):
        adopt_legacy(where)
        labels = [label for label, _ in all_stamps(where)]
        for label in labels:
            remove(where, label, unlink=True)
        remove_index(where)
        remove_manifest(where)
    if labels:
        removed.append(where.outputs)
    if where.cache.is_symlink():
        where.cache.unlink()
        removed.append(where.cache)
    elif where.is_cache():
        shutil.rmtree(where.cache)
        removed.append(where.cache)
    elif where.cache.exists():
        notes.append(f"kept {where.cache}: it has no CACHEDIR.TAG, so leaflets did not make it")
    return removed, notes
