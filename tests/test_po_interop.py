"""Other PO tools read and write our catalogues without changing a message (issue 12).

Weblate keeps catalogues through translate-toolkit's PO store, scripts through polib;
both rewrap lines their own way.  After either, every message must be as it was, and
``leaflets update --check`` must say that only the wrapping differs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from translate.storage import po as toolkit_po

from pipeline.catalog import pofile
from pipeline.catalog.workflow import update
from pipeline.project import Project

ROOT = Path(__file__).resolve().parent.parent
LONG = ("If you have been accused of a crime, the court will decide whether you are guilty "
        "or not. This can take a long time, so ask for help early. ")


def tricky(path: Path) -> Path:
    """A catalogue with what tools tend to get wrong, written by our writer."""
    po = polib.POFile()
    po.header = "Test catalogue."
    po.metadata = {
        "Project-Id-Version": "leaflets 0.1.0",
        "Language": "pl",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
                        "(n%100<10 || n%100>=20) ? 1 : 2);",
    }
    po.append(polib.POEntry(msgctxt="q1", msgid=LONG * 2, msgstr="Jeśli " + LONG * 2,
                            occurrences=[("source/mappa-faq.md", "12")],
                            comment="Answer, paragraph 1"))
    po.append(polib.POEntry(msgid='Say "yes"\tor \\no\\\n', msgstr='Powiedz „tak”\tlub \\nie\\\n'))
    po.append(polib.POEntry(msgid="one day", msgid_plural="%d days",
                            msgstr_plural={0: "dzień", 1: "dni", 2: "dni"}))
    po.append(polib.POEntry(msgid="Lines\nand more lines\n", msgstr="Wiersze\ni więcej\n"))
    po.append(polib.POEntry(msgid="Japanese", msgstr="ジャパン・ャーー" * 12))
    po.append(polib.POEntry(msgid="Arabic", msgstr="إذا تم اتهامك بارتكاب جريمة، " * 5))
    po.append(polib.POEntry(msgctxt="q2", msgid=LONG + "Changed.", msgstr="Zmienione " + LONG,
                            flags=["fuzzy"], previous_msgid=LONG + "Old."))
    po.append(polib.POEntry(msgid="Gone " + LONG, msgstr="Nie ma " + LONG, obsolete=True))
    pofile.write(po, path)
    return path


def catalogues(tmp_path: Path) -> list[Path]:
    return [tricky(tmp_path / "tricky.po"),
            *sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po"))]


def through_polib(source: Path, target: Path) -> None:
    polib.pofile(str(source), wrapwidth=60).save(str(target))


def through_toolkit(source: Path, target: Path) -> None:
    target.write_bytes(bytes(toolkit_po.pofile.parsefile(str(source))))


@pytest.mark.parametrize("tool", [through_polib, through_toolkit], ids=["polib", "toolkit"])
def test_a_round_trip_changes_no_message(tmp_path: Path,
                                         tool: Callable[[Path, Path], None]) -> None:
    for source in catalogues(tmp_path):
        target = tmp_path / "round-trip.po"
        tool(source, target)
        before, after = pofile.content(pofile.load(source)), pofile.content(pofile.load(target))
        assert after == before, source.name
        assert len(after) > 3  # header and messages, not an empty reading


@pytest.mark.parametrize("width", [60, 0], ids=["wrapped-at-60", "not-wrapped"])
def test_update_check_says_when_only_wrapping_differs(project_copy: Path, width: int) -> None:
    """translate-toolkit wraps as msgcat does; polib (and Poedit's 'no wrap') do not."""
    path = project_copy / "locales" / "cy" / "LC_MESSAGES" / "mappa-faq.po"
    original = path.read_bytes()
    polib.pofile(str(path), wrapwidth=width).save(str(path))
    assert path.read_bytes() != original, "polib should have rewrapped something"
    project = Project.find(project_copy)
    report = update(project, check=True)
    assert path in report.changed
    notes = [p for p in report.problems if "only the line wrapping differs" in p.message]
    assert [Path(p.path).name for p in notes] == ["mappa-faq.po"]
    assert "run 'leaflets update'" in notes[0].message
    update(project)
    assert path.read_bytes() == original


def test_update_check_gives_no_wrapping_note_when_a_message_changed(project_copy: Path
                                                                     ) -> None:
    path = project_copy / "locales" / "cy" / "LC_MESSAGES" / "mappa-faq.po"
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgstr and not e.obsolete)
    entry.msgstr += " (edited)"
    catalog.save(str(path))
    report = update(Project.find(project_copy), check=True)
    assert not [p for p in report.problems if "line wrapping" in p.message]
