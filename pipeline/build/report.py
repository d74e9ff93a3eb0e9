"""What a build leaves besides the outputs: the site index, the manifest, the summary."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..builders.base import OutputDir
from ..config import FORMATS
from ..errors import printable
from ..layout import edition_dir, html_name
from ..model import Edition
from .folders import Folders
from .stamps import all_stamps
from .tasks import TaskResult, sha256


def write_index(where: Folders, editions: list[Edition]) -> None:
    """The site index of every published edition; none when nothing is published."""
    from ..html import render_site_index

    if editions:
        text = render_site_index(tuple(editions))
        write_if_changed(where.outputs, html_name(), text)
        write_if_changed(where.state, INDEX_STAMP, sha256(text.encode("utf-8")) + "\n")
    else:
        remove_index(where)


def remove_index(where: Folders) -> None:
    """Delete the site index, if it is the one a build wrote (by its sha256)."""
    index, stamp = where.outputs / html_name(), where.state / INDEX_STAMP
    with contextlib.suppress(OSError):
        if sha256(index.read_bytes()) == stamp.read_text(encoding="utf-8").strip():
            index.unlink()
        stamp.unlink()


def remove_manifest(where: Folders) -> None:
    """Delete ``manifest.json``, if it is one a build wrote."""
    path = where.outputs / MANIFEST
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(found, dict) and set(found) == {"outputs"} and not path.is_symlink():
            path.unlink()


def write_if_changed(folder: Path, name: str, text: str) -> None:
    """Write ``text`` atomically, unless the file already holds it: a no-op build writes nothing."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if (folder / name).read_bytes() == data:
            return
    OutputDir(folder).write(name, data)


def write_manifest(where: Folders, results: list[TaskResult]) -> None:
    """``outputs/manifest.json``: every output on disk and what this build did with it.

    ``made`` is ``built`` (this build wrote it), ``reused`` (up to date, or not asked
    for) or ``kept`` (this build failed to remake it: the previous file is still there).
    """
    made = {r.label: r.status for r in results}
    entries = []
    for label, stamp in all_stamps(where):
        folder = edition_dir(*label[:2])
        status = made.get(label)
        for name, info in sorted(stamp["files"].items()):
            path = where.outputs / folder / name
            if not path.is_file() or path.stat().st_size != info.get("size"):
                continue  # removed by hand since: a stamp in the cache outlives it
            entries.append({
                "leaflet": label[0],
                "language": label[1],
                "format": label[2],
                "path": f"{folder}/{name}",
                "size": info["size"],
                "sha256": info["sha256"],
                "made": {"built": "built", "failed": "kept"}.get(status or "", "reused"),
            })
    write_if_changed(where.outputs, MANIFEST, json.dumps({"outputs": entries}, indent=1) + "\n")


MANIFEST = "manifest.json"
INDEX_STAMP = "index.sha256"
"""In the state folder: the sha256 of the site index the last build wrote."""

COLOURS = {"built": "green", "reused": "cyan", "skipped": "yellow", "failed": "red",
           "removed": "magenta"}


def summary(results: list[TaskResult], out: Console, seconds: float) -> None:
    """Per leaflet and language, what happened to each format; editions where nothing
    happened are counted, not listed. Nothing changed at all is one line."""
    counts = {status: sum(r.status == status for r in results) for status in COLOURS}
    if not results:
        out.print("Nothing to build.")
        return
    if counts["reused"] == len(results):
        out.print(f"Nothing changed: all {counts['reused']} outputs are up to date "
                  f"({seconds:.1f} s).")
        return
    formats = [f for f in FORMATS if any(r.label[2] == f for r in results)]
    rows: dict[tuple[str, str], list[TaskResult]] = {}
    for r in results:
        rows.setdefault(r.label[:2], []).append(r)
    table = Table("leaflet", "lang", *formats, "task s", "detail", title="build",
                  title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for (leaflet, lang), row in sorted(rows.items()):
        if all(r.status == "reused" for r in row):
            continue
        cells: dict[str, Text | str] = dict.fromkeys(formats, "")
        details = []
        for r in sorted(row, key=lambda r: r.label):
            text = Text(r.status, style=COLOURS[r.status])
            if r.label[2] in cells:
                cells[r.label[2]] = text
            else:  # the whole edition (or source) was skipped or failed
                cells = dict.fromkeys(formats, text)
            if r.status == "failed" and r.label[2] != "-":
                details.append(f"{r.label[2]} failed (below)")
            elif r.detail:
                details.append(r.detail)
        seconds_built = sum(r.seconds for r in row if r.status == "built")
        table.add_row(leaflet, lang, *cells.values(),
                      f"{seconds_built:.1f}" if seconds_built else "",
                      Text(printable("; ".join(dict.fromkeys(details)))))
    out.print(table)
    unchanged = sum(all(r.status == "reused" for r in row) for row in rows.values())
    work = sum(r.seconds for r in results if r.status == "built")
    out.print(", ".join(f"{n} {status}" for status, n in counts.items() if n)
              + (f" ({unchanged} editions unchanged, not listed)" if unchanged else "")
              + f" in {seconds:.1f} s" + (f" ({work:.1f} s of task time)" if work else "")
              + ".", soft_wrap=True)
