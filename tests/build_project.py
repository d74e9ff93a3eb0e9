"""A small generated project for build tests: two questions, easy read, a glossary, three
languages whose catalogues are filled in with polib. Cheap to build for real."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polib

from pipeline.build.folders import folders
from pipeline.cli import main
from pipeline.project import Project

LEAFLET = "mini"
LANGS = ("en-GB", "cy", "pl")

SOURCE = """\
---
id: mini
title: "Mini leaflet"
summary: "A short leaflet for build tests."
organisation: "Test Council"
contact:
  phone: "0100 000 0000"
  web: "https://example.org"
date: 2025-03-14
version: "1.0"
---

This leaflet answers two questions.

## Who can come to the meeting? {#who}

Only the agencies come to the **MAPP meeting**.

::: easy-read
- [agencies] Only the agencies go to the **MAPP meeting**.
:::

## Who do I call? {#call}

Call the council on the number below.

::: easy-read
- [phone] Call the council.
:::

::: glossary
MAPP meeting
: A meeting where agencies plan how to keep people safe.
:::
"""

CONFIG = """\
languages = ["en-GB", "cy", "pl"]
formats = ["pdf", "html", "audio"]
"""


def make_project(root: Path) -> Path:
    """Write the project into ``root`` and translate every message (msgstr = msgid)."""
    (root / "source").mkdir(parents=True)
    (root / "source" / f"{LEAFLET}.md").write_text(SOURCE, encoding="utf-8")
    (root / "leaflets.toml").write_text(CONFIG, encoding="utf-8")
    for lang in LANGS[1:]:
        assert main(["-C", str(root), "add-language", lang]) == 0
        path = catalogue(root, lang)
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid
        po.save()
    return root


def catalogue(root: Path, lang: str, domain: str = LEAFLET) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def translate(root: Path, lang: str, msgid: str, msgstr: str) -> None:
    """Change one message's translation."""
    path = catalogue(root, lang)
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == msgid)
    entry.msgstr = msgstr
    po.save()


def build(root: Path, *args: str) -> int:
    return main(["-C", str(root), "build", *args])


def digests(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def manifest(root: Path) -> list[dict]:
    return json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def made(root: Path) -> dict[tuple[str, str], set[str]]:
    """(language, format) -> the ``made`` flags of its manifest entries."""
    flags: dict[tuple[str, str], set[str]] = {}
    for entry in manifest(root):
        flags.setdefault((entry["language"], entry["format"]), set()).add(entry["made"])
    return flags


def stamp_dir(root: Path) -> Path:
    """Where the build keeps the stamps of ``root``'s outputs (in the cache)."""
    return folders(Project.find(root)).stamps()


def stamps(root: Path) -> dict[str, str]:
    """sha256 of every stamp, by ``<leaflet>/<lang>/<format>.json``."""
    return digests(stamp_dir(root))


def assert_consistent(outputs: Path) -> None:
    """Every stamp's files exist with its sizes and hashes; no temporary file is left."""
    for stamp_path in stamp_dir(outputs.parent).glob("*/*/*.json"):
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        folder = outputs / stamp_path.parent.parent.name / stamp_path.parent.name
        for name, info in stamp["files"].items():
            data = (folder / name).read_bytes()
            assert len(data) == info["size"], name
            assert hashlib.sha256(data).hexdigest() == info["sha256"], name
    leftovers = [p for p in outputs.rglob("*") if p.name.endswith((".part", ".staging"))]
    assert not leftovers


def assert_manifest_true(root: Path) -> None:
    """The manifest lists files that exist, with their real sizes and hashes."""
    outputs = root / "outputs"
    entries = manifest(root)
    assert entries
    for entry in entries:
        data = (outputs / entry["path"]).read_bytes()
        assert len(data) == entry["size"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["made"] in ("built", "reused", "kept")
