"""Removing the outputs and the build cache."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from ..project import Project
from .lock import LOCK, build_lock


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
