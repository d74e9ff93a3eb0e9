"""What an output is made from: the edition, settings, code, libraries and environment."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import replace
from functools import cache
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..builders.base import Settings
from ..errors import LeafletsError

ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
"""Environment variables that shape outputs: part of every fingerprint, passed to workers."""


CODE = {
    "common": ("model.py", "inline.py", "layout.py", "pictograms.py", "hardwords.py",
               "builders"),
    "pdf": ("pdf",),
    "html": ("html", "templates", "pictures", "braille/tables.py", "audio", "lexicons"),
    "audio": ("audio", "lexicons"),
    "braille": ("braille",),
    "epub": ("epub", "audio", "lexicons", "pdf", "pictures", "pictograms.py", "html/languages.py"),
    "plan": ("source.py", "catalog", "config.py", "project.py", "files.py", "errors.py"),
}
"""The package files each format's output depends on, besides the common ones
("plan": what reading sources and catalogues into editions depends on)."""

LIBRARIES = {
    "common": ("babel",),
    "pdf": ("reportlab", "uharfbuzz", "fontpkg-atkinson-hyperlegible", "fontpkg-noto-sans",
            "fontpkg-noto-sans-arabic"),
    "html": ("jinja2", "markdown-it-py", "espeakng-loader", "fonttools", "brotli"),
    "audio": ("espeakng-loader", "lameenc", "numpy", "scipy", "pyloudnorm", "text2tashkeel",
              "onnxruntime"),
    "braille": ("louis",),
    "epub": ("espeakng-loader", "lameenc", "numpy", "scipy", "pyloudnorm", "text2tashkeel",
             "onnxruntime", "reportlab", "uharfbuzz", "fontpkg-atkinson-hyperlegible",
             "fontpkg-noto-sans", "fontpkg-noto-sans-arabic", "fonttools"),
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
    root = Path(__file__).resolve().parent.parent
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
