"""Shared fixtures: the sample project and throw-away copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources and catalogues, to change freely."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copytree(ROOT / "source", target / "source")
    if (ROOT / "locales").is_dir():
        shutil.copytree(ROOT / "locales", target / "locales")
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target
