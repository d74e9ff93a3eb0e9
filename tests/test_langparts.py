"""Language of parts (WCAG 3.1.2): English inside other languages is marked as English in
the web page, the PDF, the audio script and the EPUB, and translators' marks are checked."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import polib
import pytest
from build_project import catalogue, make_project
from build_project import translate as translate_message
from pdf_samples import ROOT, SOURCE, shipped_edition
from test_pdf import spans_with_lang

from pipeline.audio.script import script
from pipeline.builders.base import Settings
from pipeline.catalog.checks import check_entry, check_source
from pipeline.catalog.translate import translate
from pipeline.cli import main
from pipeline.epub.content import _by_sentence, _text
from pipeline.html import render_page
from pipeline.inline import plain
from pipeline.langparts import mark_errors, parts
from pipeline.model import Edition, Text
from pipeline.pdf import PdfBuilder
from pipeline.source import read_leaflet

MARKED = "[Youth Offending Teams]{lang=en}"
ENGLISH_SPAN = re.compile(r'<span lang="en"(?: dir="ltr")?>([^<]*)</span>')


@cache
def welsh_with_mark() -> Edition:
    """The shipped Welsh leaflet, one message naming "Youth Offending Teams" in English."""
    catalog = polib.pofile(str(ROOT / "locales" / "cy" / "LC_MESSAGES" / f"{SOURCE.stem}.po"))
    entry = next(e for e in catalog if "Youth Offending Teams" in e.msgid)
    assert "Timau Troseddau Ieuenctid" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("Timau Troseddau Ieuenctid", MARKED)
    return translate(read_leaflet(SOURCE).leaflet, "cy", catalog)


def test_latin_runs_are_parts_but_numbers_and_addresses_are_not() -> None:
    text = ("ترتيبات MAPPA (Multi-Agency Public Protection Arrangements) على 0306 999 0123 "
            "أو https://mappa.justice.gov.uk أو mappa@example.org أو www.gov.uk/mappa.")
    found = [(span.text, span.lang) for span in parts(text, "ar")]
    assert [t for t, lang in found if lang == "en"] == [
        "MAPPA", "Multi-Agency Public Protection Arrangements"]
    assert "".join(t for t, _ in found) == text  # nothing lost or added
    # Latin-script languages have no automatic parts, only what the translator marked.
    assert [(s.text, s.lang) for s in parts(f"Y rhain yw: {MARKED}.", "cy")] == [
        ("Y rhain yw: ", None), ("Youth Offending Teams", "en"), (".", None)]
    assert plain(f"Y rhain yw: {MARKED}.") == "Y rhain yw: Youth Offending Teams."


def test_arabic_page_marks_english_in_headings_and_never_numbers_or_addresses() -> None:
    html = render_page(shipped_edition("ar"), Settings())
    assert re.search('<h1><span lang="en" dir="ltr">MAPPA</span>: [^<]+</h1>', html)
    headings = re.findall(r"<h2 id=[^>]*>(.*?)</h2>", html, re.S)
    assert any('<span lang="en" dir="ltr">MAPPA</span>' in h for h in headings), headings
    english = ENGLISH_SPAN.findall(html)
    assert "Multi-Agency Public Protection Arrangements" in english
    assert english.count("MAPPA") > 10
    for words in english:  # words, never a number, a phone number or an address
        assert re.search("[A-Za-z]", words) and not re.search(r"\d{3}|@|\.uk|://", words), words


@pytest.mark.parametrize("lang", ["ur", "pa"])
def test_urdu_and_punjabi_pages_mark_mappa(lang: str) -> None:
    html = render_page(shipped_edition(lang), Settings())
    dir_attr = ' dir="ltr"' if lang == "ur" else ""
    assert f'<span lang="en"{dir_attr}>MAPPA</span>' in html


def test_welsh_mark_on_the_page() -> None:
    html = render_page(welsh_with_mark(), Settings())
    assert 'Y rhain yw: <span lang="en">Youth Offending Teams</span>, ' in html
    assert "{lang=" not in html and "[Youth" not in html
    # the shipped Welsh catalogue marks an English name too
    assert '(<span lang="en">Jobcentre Plus</span>)' in html
    assert '<span lang="en">MAPPA</span>' not in html  # Welsh gets only what is marked


def span_texts(path: Path) -> list[str]:
    """The whole text of each /Span in ``pdfinfo -struct-text`` (a span broken over lines
    has a text line per line)."""
    lines = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.strip() == "Span (inline)":
            indent = len(line) - len(line.lstrip())
            inside = []
            for after in lines[n + 1:]:
                if len(after) - len(after.lstrip()) <= indent:
                    break
                inside.append(after.strip().strip('"'))
            out.append("".join(inside))
    return out


def test_welsh_mark_in_the_pdf_structure(tmp_path: Path) -> None:
    """The marked phrase is one /Span with /Lang en, though it is broken over two lines
    (and pages): its text reads whole, with its space."""
    path = tmp_path / "cy.pdf"
    path.write_bytes(PdfBuilder(Settings()).render(welsh_with_mark()))
    langs = [lang for lang, _ in spans_with_lang(path)]
    assert list(zip(langs, span_texts(path), strict=True)) == [
        ("en", "Youth Offending Teams"), ("en", "Jobcentre Plus")]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Y rhain yw: Youth Offending\n" in text and "Teams, Ymddiriedolaethau" in text


def test_welsh_mark_in_the_audio_script() -> None:
    said = [segment for section in script(welsh_with_mark())
            for unit in section.units for segment in unit.segments]
    english = [s for s in said if s.lang == "en"]
    assert [s.text for s in english] == ["Youth Offending Teams,", "Jobcentre Plus)"]
    at = said.index(english[0])
    assert said[at - 1].lang == "cy" and said[at - 1].text.endswith("Y rhain yw:")
    assert said[at - 1].pause == 0.0 and said[at + 1].lang == "cy"
    assert not any("{lang=" in s.text or "[" in s.text for s in said)


def test_epub_marks_parts_and_follows_sentences_said_in_several_voices() -> None:
    xhtml = _text(Text(f"Y rhain yw: {MARKED}.", "cy"))
    assert xhtml == ('Y rhain yw: <span lang="en" xml:lang="en" dir="ltr">'
                     "Youth Offending Teams</span>.")
    edition = welsh_with_mark()
    unit = next(unit for section in script(edition) for unit in section.units
                if "Youth Offending Teams" in unit.display)
    shown = [p for p in re.split(r"(?<=\.) (?=[A-Z])", unit.display) if p]
    groups = _by_sentence(shown, unit.segments)
    assert groups is not None and len(groups) == len(shown)
    assert any(last > first for first, last in groups)


@pytest.mark.parametrize(
    ("msgstr", "needle"),
    [
        ("Y rhain yw: [Youth Offending Teams]{lang=xx-bogus}.", "unknown language 'xx-bogus'"),
        ("Y rhain yw: [Youth Offending Teams]{lang=en_GB}.", "unknown language 'en_GB'"),
        ("Y rhain yw: [Youth Offending Teams] {lang=en}.", "language mark is broken"),
        ("Y rhain yw: [Youth Offending Teams{lang=en}.", "language mark is broken"),
        ("Y rhain yw: [Youth Offending Teams]{lang=en.", "language mark is broken"),
    ],
)
def test_check_flags_bad_language_marks(msgstr: str, needle: str) -> None:
    found = check_entry(polib.POEntry(msgid="They are: Youth Offending Teams.", msgstr=msgstr))
    assert any(severity == "error" and needle in message for severity, message in found), found
    assert mark_errors(msgstr)


def test_check_accepts_good_marks_and_counts_only_the_rest_as_translation() -> None:
    msgid = "They are: Youth Offending Teams and Health Trusts."
    good = "Y rhain yw: [Youth Offending Teams]{lang=en} ac Ymddiriedolaethau Iechyd."
    assert check_entry(polib.POEntry(msgid=msgid, msgstr=good)) == []
    assert check_entry(polib.POEntry(msgid=msgid, msgstr="Hi [Jo]{lang=pt-BR} yw.")) == []
    whole = "[They are: Youth Offending Teams and Health Trusts.]{lang=en}"
    assert [s for s, _ in check_entry(polib.POEntry(msgid=msgid, msgstr=whole))] == ["warning"]


def test_check_command_names_the_file_and_line_of_a_bogus_mark(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    translate_message(root, "cy", "Call the council.", "Ffoniwch y [council]{lang=xx-bogus}.")
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--lang", "cy"]) == 1
    found = capsys.readouterr()
    out = found.out + found.err
    path = catalogue(root, "cy")
    line = next(e.linenum for e in polib.pofile(str(path)) if e.msgid == "Call the council.")
    assert re.search(rf"{path.name}:{line}: .*unknown language 'xx-bogus'", out), out


def test_check_finds_a_bad_mark_in_the_source_too(tmp_path: Path) -> None:
    source = tmp_path / "leaflet.md"
    source.write_text(
        "---\nid: marks\ntitle: Marks\nsummary: A test.\norganisation: Us\n---\n\n"
        "## What is it? {#what}\n\nIt is a [joie de vivre]{lang=fr-bogus} thing.\n",
        encoding="utf-8")
    leaflet = read_leaflet(source).leaflet
    found = [(p.line, p.message) for p in check_source(leaflet, source)
             if p.severity == "error"]
    assert found == [(10, "unknown language 'fr-bogus' in {lang=fr-bogus} "
                         "(use a code such as en, fr or pt-BR)")]
