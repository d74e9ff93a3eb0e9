"""What a build leaves besides the outputs: the site index, the manifest, the summary."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from ..builders.base import OutputDir
from ..config import FORMATS
from ..layout import html_name
from ..model import Edition
from .stamps import read_stamp
from .tasks import TaskResult


def write_index(root: Path, editions: list[Edition]) -> None:
    """The site index of every published edition; none when nothing is published."""
    from ..html import render_site_index

    if editions:
        write_if_changed(root, html_name(), render_site_index(tuple(editions)))
    else:
        (root / html_name()).unlink(missing_ok=True)


def write_if_changed(folder: Path, name: str, text: str) -> None:
    """Write ``text`` atomically, unless the file already holds it: a no-op build writes nothing."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if (folder / name).read_bytes() == data:
            return
    OutputDir(folder).write(name, data)


def write_manifest(root: Path, results: list[TaskResult]) -> None:
    """``outputs/manifest.json``: every output on disk and what this build did with it.

    ``made`` is ``built`` (this build wrote it), ``reused`` (up to date, or not asked
    for) or ``kept`` (this build failed to remake it: the previous file is still there).
    """
    made = {r.label: r.status for r in results}
    entries = []
    for stamp_path in sorted(root.glob("*/*/.*.stamp.json")):
        stamp = read_stamp(stamp_path)
        if not stamp:
            continue
        label = (stamp["leaflet"], stamp["language"], stamp["format"])
        folder = stamp_path.parent.relative_to(root).as_posix()
        status = made.get(label)
        for name, info in sorted(stamp["files"].items()):
            entries.append({
                "leaflet": label[0],
                "language": label[1],
                "format": label[2],
                "path": f"{folder}/{name}",
                "size": info["size"],
                "sha256": info["sha256"],
                "made": {"built": "built", "failed": "kept"}.get(status or "", "reused"),
            })
    write_if_changed(root, "manifest.json", json.dumps({"outputs": entries}, indent=1) + "\n")


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
        cells = dict.fromkeys(formats, "")
        details = []
        for r in sorted(row, key=lambda r: r.label):
            text = f"[{COLOURS[r.status]}]{r.status}[/]"
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
                      "; ".join(dict.fromkeys(details)))
    out.print(table)
    unchanged = sum(all(r.status == "reused" for r in row) for row in rows.values())
    work = sum(r.seconds for r in results if r.status == "built")
    out.print(", ".join(f"{n} {status}" for status, n in counts.items() if n)
              + (f" ({unchanged} editions unchanged, not listed)" if unchanged else "")
              + f" in {seconds:.1f} s" + (f" ({work:.1f} s of task time)" if work else "")
              + ".", soft_wrap=True)
