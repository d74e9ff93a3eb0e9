"""Review state: marked in the catalogue, kept by gettext tools, shown in every output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from build_project import LEAFLET, build, catalogue, make_project

from pipeline.audio.script import script
from pipeline.catalog.publish import editions
from pipeline.catalog.review import REVIEWED_FIELD, review
from pipeline.catalog.workflow import read_sources
from pipeline.cli import main
from pipeline.project import Project

NOTICE = "This translation has not been checked yet."


def mark(path: Path, *, header: bool = False, messages: bool | int = False) -> None:
    """Mark a catalogue reviewed in its header, or all (or the first n) messages."""
    po = polib.pofile(str(path))
    if header:
        po.metadata[REVIEWED_FIELD] = "yes"
    entries = [e for e in po if e.translated()]
    count = len(entries) if messages is True else int(messages)
    for entry in entries[:count]:
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, "reviewed"]))
    po.save()


def test_review_state_from_the_header_or_every_message(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = catalogue(root, "cy")
    assert str(review(polib.pofile(str(path)))) == "no"
    mark(path, messages=2)
    assert str(review(polib.pofile(str(path)))) == f"2/{len(polib.pofile(str(path)))}"
    mark(path, messages=True)
    assert review(polib.pofile(str(path))).reviewed
    mark(catalogue(root, "pl"), header=True)
    assert review(polib.pofile(str(catalogue(root, "pl")))).reviewed


def test_the_marks_survive_update_and_gettext_tools(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = catalogue(root, "cy")
    mark(path, header=True, messages=1)
    assert main(["-C", str(root), "update"]) == 0
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "-o", str(merged), str(path),
                    str(root / "locales" / f"{LEAFLET}.pot")], check=True)
    subprocess.run(["msgcat", "-o", str(merged), str(merged)], check=True)
    for kept in (path, merged):
        po = polib.pofile(str(kept))
        assert po.metadata[REVIEWED_FIELD] == "yes"
        assert sum(e.tcomment == "reviewed" for e in po) == 1


def test_unreviewed_editions_carry_the_notice(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    mark(catalogue(root, "pl"), header=True)
    project = Project.find(root)
    found = editions(project, read_sources(project).leaflets, project.languages())
    notices = {e.lang: [n.markdown for n in e.notices] for e in found.editions}
    assert notices == {"en-GB": [], "cy": [NOTICE], "pl": []}
    welsh = next(e for e in found.editions if e.lang == "cy")
    introduction = script(welsh)[0]
    assert NOTICE in [s.text for u in introduction.units for s in u.segments]


def test_reviewed_only_publishes_only_reviewed_languages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    mark(catalogue(root, "pl"), header=True)
    with (root / "leaflets.toml").open("a") as config:
        config.write("reviewed-only = true\n")
    project = Project.find(root)
    found = editions(project, read_sources(project).leaflets, project.languages())
    assert [e.lang for e in found.editions] == ["en-GB", "pl"]
    assert (LEAFLET, "cy", "not reviewed (reviewed-only is set)") in found.skipped
    capsys.readouterr()
    assert main(["-C", str(root), "status"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "│ cy " in line
            or "│ pl " in line]
    assert "no: not reviewed" in rows[0] and "│ no " in rows[0]
    assert "│ yes " in rows[1] and rows[1].rstrip(" │").endswith("yes")


@pytest.mark.slow
def test_the_notice_is_in_the_page_and_the_pdf(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert build(root, "--format", "html", "--format", "pdf", "--lang", "cy") == 0
    page = (root / "outputs" / LEAFLET / "cy" / "index.html").read_text(encoding="utf-8")
    assert f'<p class="notice"><span lang="en-GB">{NOTICE}</span></p>' in page
    pdf = next((root / "outputs" / LEAFLET / "cy").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert NOTICE in " ".join(text.split())
    mark(catalogue(root, "cy"), header=True)
    assert build(root, "--format", "html", "--lang", "cy") == 0
    page = (root / "outputs" / LEAFLET / "cy" / "index.html").read_text(encoding="utf-8")
    assert NOTICE not in page
