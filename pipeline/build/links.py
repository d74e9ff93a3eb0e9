"""Pages link only what was made: web pages are planned after the other formats.

A page links its edition's PDF and audio, and the pages of its other languages; the
site index links every page. Each link is decided from what is on disk when the page
is rendered (a failed PDF, an audio output that was skipped, a language left out of a
narrowed build are not linked), and what a page links is part of its inputs, so the
page is made again when that changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..config import FORMATS
from ..layout import edition_dir, html_name
from ..model import Edition
from .folders import Folders
from .inputs import environment, task_inputs
from .stamps import read_stamp, stamp_path
from .tasks import Task, sha256


def made(root: Folders, leaflet: str, lang: str, fmt: str) -> bool:
    """Whether the output is on disk: its stamp, and every file the stamp lists."""
    folder = root.outputs / edition_dir(leaflet, lang)
    stamp = read_stamp(stamp_path(root, (leaflet, lang, fmt)))
    return bool(stamp) and all((folder / name).is_file() for name in stamp.get("files", {}))


def linked_pages(root: Folders, pages: list[Task]) -> list[Task]:
    """The page tasks, each linking only the formats and languages that exist (or whose
    page is being made in this build)."""
    coming = {(t.edition.leaflet.id, t.edition.lang) for t in pages}
    env = environment()
    result = []
    for task in pages:
        leaflet, lang = task.edition.leaflet.id, task.edition.lang
        formats = tuple(f for f in FORMATS if f in task.settings.formats and (
            f == "html" or made(root, leaflet, lang, f)))
        languages = tuple(code for code in task.edition.languages if code == lang
                          or (leaflet, code) in coming or made(root, leaflet, code, "html"))
        edition = replace(task.edition, languages=languages)
        settings = replace(task.settings, formats=formats)
        inputs = task_inputs(sha256(repr(edition).encode()), "html", settings, env)
        result.append(Task(edition, "html", settings, inputs))
    return result


def with_pages(root: Folders, editions: Iterable[Edition]) -> list[Edition]:
    """The editions whose page is on disk, for the site index."""
    return [e for e in editions
            if made(root, e.leaflet.id, e.lang, "html")
            and (root.outputs / edition_dir(e.leaflet.id, e.lang) / html_name()).is_file()]
