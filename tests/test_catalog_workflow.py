"""The translator's workflow on a copy of the sample project, with real GNU gettext tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog.workflow import update
from pipeline.cli import main
from pipeline.project import Project

LANGS = ["ar", "cy", "pa", "pl", "ur"]


def run(project: Path, *args: str) -> int:
    return main(["-C", str(project), *args])


def po(project: Path, lang: str, domain: str = "mappa-faq") -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def test_shipped_catalogues_are_up_to_date_and_gnu_clean(tmp_path: Path) -> None:
    """What is committed is what 'update' writes, and msgcat/msgfmt agree with it."""
    root = Path(__file__).resolve().parent.parent
    assert run(root, "update", "--check") == 0
    for lang in LANGS:
        for domain in ("mappa-faq", "leaflets"):
            path = po(root, lang, domain)
            subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
            out = tmp_path / f"{lang}-{domain}.po"
            subprocess.run(["msgcat", "-o", str(out), str(path)], check=True)
            assert out.read_bytes() == path.read_bytes(), f"msgcat rewraps {path}"


def test_update_twice_changes_nothing(project_copy: Path) -> None:
    assert run(project_copy, "update") == 0
    before = {p: p.read_bytes() for p in (project_copy / "locales").rglob("*.po*")}
    assert run(project_copy, "update") == 0
    after = {p: p.read_bytes() for p in (project_copy / "locales").rglob("*.po*")}
    assert before == after
    assert run(project_copy, "update", "--check") == 0


def test_source_edits_reach_translators_without_losing_anything(project_copy: Path) -> None:
    source = project_copy / "source" / "mappa-faq.md"
    text = source.read_text(encoding="utf-8")
    old_cy = polib.pofile(str(po(project_copy, "cy")))
    translated_before = {e.msgstr for e in old_cy if e.msgstr}
    edited = (
        text.replace("Offenders do not attend MAPP meetings but they are usually told",
                     "Offenders do not attend MAPP meetings, but they are normally told")
        .replace("up to five years in prison", "up to ten years in prison")
        .replace("the offender’s release", "the offender's release")
        .replace("Information shared at a MAPP meeting is treated confidentially and will only "
                 "be used for the protection of the public.", "Meetings are private.")
    )
    source.write_text(edited, encoding="utf-8")
    assert run(project_copy, "update", "--check") == 1
    assert run(project_copy, "update") == 0
    new_cy = polib.pofile(str(po(project_copy, "cy")))

    changed = new_cy.find("Offenders do not attend MAPP meetings, but they are normally told "
                          "about the meeting and the decisions made.",
                          msgctxt="offenders-at-meetings")
    assert changed.fuzzy and changed.msgstr
    assert changed.previous_msgid.startswith("Offenders do not attend MAPP meetings but")

    quotes = [e for e in new_cy if not e.obsolete and "the offender's release" in e.msgid]
    # a quotes-only change is fuzzy too: translators often reword, not only requote
    assert quotes and quotes[0].fuzzy and quotes[0].msgstr
    assert "the offender’s release" in quotes[0].previous_msgid

    fine = next(e for e in new_cy if not e.obsolete and "up to ten years" in e.msgid)
    assert fine.fuzzy, "a changed number must never carry over silently"

    obsolete = [e for e in new_cy if e.obsolete and "treated confidentially" in e.msgid]
    assert obsolete and obsolete[0].msgstr
    assert translated_before <= {e.msgstr for e in new_cy if e.msgstr}

    source.write_text(text, encoding="utf-8")
    assert run(project_copy, "update") == 0
    restored = polib.pofile(str(po(project_copy, "cy")))
    back = restored.find("Information shared at a MAPP meeting is treated confidentially and "
                         "will only be used for the protection of the public.",
                         msgctxt="confidential")
    assert back is not None and back.msgstr and not back.fuzzy


def test_add_language_writes_a_correct_header(project_copy: Path) -> None:
    assert run(project_copy, "add-language", "ro") == 0
    created = po(project_copy, "ro")
    catalog = polib.pofile(str(created))
    assert catalog.metadata["Language"] == "ro"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert len([e for e in catalog if not e.obsolete]) > 100
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(created)], check=True)
    assert po(project_copy, "ro", "leaflets").is_file()


@pytest.mark.parametrize("code", ["xx-nonsense", "../etc", "en/../../x", ""])
def test_add_language_refuses_bad_codes(project_copy: Path, code: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project_copy, "add-language", code) == 1
    message = capsys.readouterr().err
    assert "language" in message and "Traceback" not in message
    assert not any(p.name == "etc" for p in project_copy.rglob("*"))


def test_status_counts_words_and_fuzzy_never_counts(project_copy: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = po(project_copy, "pl")
    catalog = polib.pofile(str(path))
    for entry in catalog[:60]:
        entry.flags.append("fuzzy")
    catalog.save(str(path))
    from pipeline.catalog.status import OUTPUT_WORDS, status

    rows, _ = status(Project.find(project_copy))
    by_lang = {row.language: row for row in rows if row.leaflet == "mappa-faq"}
    pl = by_lang["pl"]
    assert pl.progress.messages[1] == 60
    assert pl.progress.share < 0.8 and not pl.published
    assert by_lang["cy"].published and by_lang["cy"].progress.share == 1.0
    words = [row for row in rows if row.leaflet == OUTPUT_WORDS]
    assert {row.language for row in words} == set(LANGS)
    assert all(sum(row.progress.messages) > 50 for row in words)
    assert run(project_copy, "status") == 0
    assert "pl" in capsys.readouterr().out


def test_check_names_file_line_and_message(project_copy: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = po(project_copy, "cy")
    catalog = polib.pofile(str(path))
    target = next(e for e in catalog if "12 months" in e.msgid and e.msgctxt == "victims")
    target.msgstr = target.msgstr.replace("12", "13")
    catalog.save(str(path))
    line = polib.pofile(str(path)).find(target.msgid, msgctxt="victims").linenum
    assert run(project_copy, "check") == 1
    err = capsys.readouterr().err
    finding = [row for row in err.splitlines() if "numbers differ" in row]
    assert finding, err
    assert finding[0].startswith(f"locales/cy/LC_MESSAGES/mappa-faq.po:{line}: error: numbers")


def test_broken_catalogue_is_reported_and_left_alone(project_copy: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = po(project_copy, "ar")
    broken = path.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "\\q', 1) + '\nmsgid "x'
    path.write_text(broken, encoding="utf-8")
    report = update(Project.find(project_copy))
    assert path.read_text(encoding="utf-8") == broken
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors and str(errors[0]).startswith("locales/ar/LC_MESSAGES/mappa-faq.po:")
    assert run(project_copy, "update") == 1
    assert "mappa-faq.po:" in capsys.readouterr().err


def test_update_prints_a_line_per_changed_catalogue_within_80_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from build_project import make_project

    root = make_project(tmp_path)
    source = root / "source" / "mini.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Call the council.", "Call the council now."), encoding="utf-8")
    capsys.readouterr()
    assert run(root, "update") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "updated locales/cy/LC_MESSAGES/mini.po: 11 kept, 1 fuzzy, 1 obsolete",
        "updated locales/pl/LC_MESSAGES/mini.po: 11 kept, 1 fuzzy, 1 obsolete",
        "2 catalogues unchanged",
    ]
    assert "wrote locales/mini.pot" in lines and max(map(len, lines)) <= 80


def test_a_deleted_source_leaves_its_translations_obsolete_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from build_project import catalogue, make_project

    root = make_project(tmp_path)
    assert run(root, "update") == 0
    (root / "source" / "mini.md").unlink()
    (root / "source" / "other.md").write_text(
        "---\nid: other\ntitle: Other\nsummary: Other.\norganisation: Us\n---\n\n"
        "## Q? {#q}\n\nA.\n", encoding="utf-8")
    translated = {e.msgid: e.msgstr for e in polib.pofile(str(catalogue(root, "cy")))}
    capsys.readouterr()
    assert run(root, "update", "--check") == 1
    assert (root / "locales" / "mini.pot").exists()
    assert run(root, "update") == 0
    out, err = capsys.readouterr()
    assert "removed locales/mini.pot" in out
    assert "updated locales/cy/LC_MESSAGES/mini.po: 12 obsolete" in out
    assert ("locales/mini.pot: note: source/mini.md is gone: removed its template; its "
            "translations are kept as obsolete in locales/*/LC_MESSAGES/mini.po") in err
    assert not (root / "locales" / "mini.pot").exists()
    kept = polib.pofile(str(catalogue(root, "cy")))
    assert all(e.obsolete for e in kept) and {e.msgid: e.msgstr for e in kept} == translated
    assert run(root, "update") == 0  # once is enough: nothing more to say
    assert "mini" not in capsys.readouterr().out
