"""What the commands print fits an 80-column terminal and a CI log."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from build_project import LEAFLET, make_project
from rich.console import Console

from pipeline.build import BuildRequest, run_build
from pipeline.build.execute import units
from pipeline.build.plan import plan
from pipeline.cli import main
from pipeline.project import Project


def terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=80, color_system=None), buffer


@pytest.mark.slow
def test_build_table_fits_80_columns_and_the_bar_counts_clips(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    with open(root / "leaflets.toml", "a", encoding="utf-8") as fh:
        fh.write('[fonts]\ncy = "/nowhere/a/very/long/path/to/a/Missing-Regular.ttf"\n')
    project = Project.find(root)
    tasks = plan(project, BuildRequest()).tasks
    steps = sum(units(task) for task in tasks)
    audio = [task for task in tasks if task.format == "audio"]
    # the standard and the easy-read audio: intro, 2 questions and contact each
    assert units(audio[0]) == 8 and steps == 6 + 3 * 8
    out, shown = terminal()
    err, _ = terminal()
    assert run_build(project, BuildRequest(jobs=1), out, err) == 1
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.getvalue())
    assert f"/{steps} " in text  # the bar counts every clip, page and PDF
    table = [line for line in text.replace("\r", "\n").splitlines()
             if line.lstrip().startswith(f"{LEAFLET} ")]
    assert len(table) == 3, table  # one line per language: the detail column does not wrap
    assert all(len(line) <= 80 for line in table)
    assert "pdf failed (below)" in table[0]
    footer = text.strip().splitlines()[-1]
    assert re.fullmatch(r"8 built, 1 failed in \d+\.\d s \(\d+\.\d s of task time\)\.", footer)


def test_status_shows_whole_ids_at_80_columns(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    long_id = "prison-visits-and-keeping-in-touch-with-family"
    source = root / "source" / f"{LEAFLET}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(f"id: {LEAFLET}",
                                                                 f"id: {long_id}"))
    source.rename(source.with_name(f"{long_id}.md"))
    monkeypatch.setenv("COLUMNS", "80")
    capsys.readouterr()
    assert main(["-C", str(root), "status"]) == 0
    out = capsys.readouterr().out
    assert long_id in out and max(map(len, out.splitlines())) <= 80
