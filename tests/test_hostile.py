"""Broken and nasty input, through the real pipeline: the corpus in tests/hostile/.

Every case in ``tests/hostile/cases.toml`` runs here: broken catalogues through
``leaflets build``/``update``/``check``, hostile translations and sources through
every renderer, pages through ``leaflets import``, and names that try to leave
the project through every place a name comes in.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import time
import tomllib
import unicodedata
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import importer, layout
from pipeline.audio import clips, render_clip
from pipeline.audio.script import script
from pipeline.build.folders import Folders, folders
from pipeline.builders.base import Settings
from pipeline.catalog import pofile
from pipeline.catalog.languages import plural_forms
from pipeline.catalog.publish import editions
from pipeline.catalog.translate import CatalogWords, translate
from pipeline.cli import main
from pipeline.errors import LeafletsError, Problem, printable
from pipeline.html import render_page
from pipeline.inline import plain
from pipeline.model import Edition, Leaflet
from pipeline.pdf import PdfBuilder
from pipeline.project import Project
from pipeline.source import RESERVED_IDS, parse_leaflet, read_leaflet

HOSTILE = Path(__file__).parent / "hostile"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parent.parent
TARGET = "Offenders do not go to **meetings**."
"""The message each hostile translation replaces (a paragraph and an easy-read sentence)."""
BOLD = "**Cyfarfodydd**"
"""Each hostile translation starts with this, to keep the bold pair of its source."""


def ids(cases: list[dict]) -> list[str]:
    return [case.get("name") or Path(case["file"]).stem for case in cases]


def po(root: Path, lang: str, domain: str = "tiny") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project with the small leaflet, complete in Welsh and Polish."""
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / "tiny.md").write_bytes((HOSTILE / "leaflet.md").read_bytes())
    (root / "leaflets.toml").write_text("threshold = 0.5\n", encoding="utf-8")
    for lang in ("cy", "pl"):
        po(root, lang).parent.mkdir(parents=True)
        catalog = pofile.load(HOSTILE / "cy.po")
        catalog.metadata.update({"Language": lang, "Plural-Forms": plural_forms(lang)})
        pofile.write(catalog, po(root, lang))
    assert main(["-C", str(root), "update"]) == 0
    return root


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def one_line(stderr: str, prefix: str) -> str:
    """The one stderr line starting with ``prefix``; there is no traceback."""
    assert "Traceback" not in stderr
    found = [line for line in stderr.splitlines() if line.startswith(prefix)]
    assert len(found) == 1, stderr
    return found[0]


# -- HTML, PDF and speech of a text ----------------------------------------------------


class _Page(HTMLParser):
    """The visible text of a page, and anything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.active: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
            if tag == "script":
                self.active.append("<script>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.active.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def page_text(html: str) -> str:
    """The page's text with spaces folded; fails if anything on it could run."""
    parser = _Page()
    parser.feed(html)
    parser.close()
    assert parser.active == []
    return " ".join("".join(parser.text).split())


def folded(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes, tmp_path: Path) -> tuple[str, list[float], float]:
    """pdftotext's text, the right edge of every word, and the page width."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    return text, right, width


def in_pdf(shown: str, text: str) -> bool:
    """Every word of ``shown`` is in the PDF's text (an RTL word may come out reversed)."""
    text = _visible(text)
    words = set(text.split())
    flat = "".join(text.split())
    return all(
        word in words or word in flat or word[::-1] in flat
        for word in _visible(shown).split()
    )


def _visible(text: str) -> str:
    """``text`` without format characters (bidi marks and overrides)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def spoken(edition: Edition) -> str:
    return " ".join(s.text for section in script(edition) for unit in section.units
                    for s in unit.segments)


# -- Broken catalogues -------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["catalogue"], ids=ids(CASES["catalogue"]))
def test_broken_catalogue(tiny: Path, case: dict, capsys: pytest.CaptureFixture[str]) -> None:
    """One line names file:line; cy is skipped or falls back; pl builds; the file is kept."""
    domain = case.get("domain", "tiny")
    path = po(tiny, "cy", domain)
    broken = (HOSTILE / case["file"]).read_bytes()
    path.write_bytes(broken)
    capsys.readouterr()
    code = run(tiny, "build", "--format", "html", "-j", "1")
    err = capsys.readouterr().err
    line = one_line(err, f"locales/cy/LC_MESSAGES/{domain}.po:{case['line']}:")
    assert case["message"] in line
    out = tiny / "outputs" / "tiny"
    assert (out / "en-GB" / "index.html").is_file() and (out / "pl" / "index.html").is_file()
    if case["expect"] == "skipped":
        assert code == 1
        assert "error" in line
        assert not (out / "cy").exists()
    else:
        assert code == 0
        assert "warning" in line and "English text is used instead" in line
        html = (out / "cy" / "index.html").read_text(encoding="utf-8")
        text = page_text(html)
        for english in case["english"]:
            assert english in text
        assert 'lang="en-GB"' in html and "Taflen fach" in text
    assert path.read_bytes() == broken
    assert run(tiny, "update") == (1 if case["expect"] == "skipped" else 0)
    if domain == "tiny":
        assert path.read_bytes() == broken
    else:  # the output words' template changes with the code: merged, translations kept
        kept = [line for line in broken.splitlines() if line.startswith(b"msgstr")]
        # a message the code no longer uses keeps its translation as obsolete (#~)
        assert set(kept) <= {line.removeprefix(b"#~ ") for line in path.read_bytes().splitlines()}
        broken = path.read_bytes()
    assert run(tiny, "check") == 1
    assert path.read_bytes() == broken
    err = capsys.readouterr().err
    assert f"{domain}.po:{case['line']}:" in err if domain == "tiny" else case["message"] in err
    if case["expect"] == "skipped":  # status and a build of another language say so too
        assert run(tiny, "status") == 0
        assert path.read_bytes() == broken
        assert case["message"] in one_line(capsys.readouterr().err,
                                           f"locales/cy/LC_MESSAGES/{domain}.po:{case['line']}:")
        assert run(tiny, "build", "--format", "html", "--lang", "en-GB") == 1
        assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_broken_catalogue_with_every_format(tiny: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    broken = (HOSTILE / "catalogues" / "syntax-escape.po").read_bytes()
    po(tiny, "cy").write_bytes(broken)
    assert run(tiny, "build", "-j", "1") == 1
    err = capsys.readouterr().err
    one_line(err, "locales/cy/LC_MESSAGES/tiny.po:33:")
    for lang in ("en-GB", "pl"):
        folder = tiny / "outputs" / "tiny" / lang
        assert (folder / f"tiny.{lang}.pdf").is_file()
        assert (folder / "audio" / f"tiny.{lang}.mp3").is_file()
    assert not (tiny / "outputs" / "tiny" / "cy").exists()
    assert po(tiny, "cy").read_bytes() == broken


# -- Hostile translations, through every renderer ---------------------------------------


def hostile_edition(root: Path, text: str) -> Edition:
    """The Welsh edition, through the real catalogue layer, with ``text`` as one translation
    (which the build publishes only if the checks find no error in it)."""
    path = po(root, "cy")
    catalog = pofile.load(path)
    for entry in catalog:
        if entry.msgid == TARGET:
            entry.msgstr = f"{BOLD} {text}"
    pofile.write(catalog, path)
    leaflet = read_leaflet(root / "source" / "tiny.md").leaflet
    found = editions(Project.find(root), [leaflet], ["cy"])
    (edition,) = found.editions
    if found.problems:  # a number or address the checks refuse: English is published,
        (problem,) = found.problems  # and the renderers still get the text here
        assert "the English text is used instead" in problem.message
        assert TARGET in plain_texts(edition)
        return translate(leaflet, "cy", pofile.load(path), edition.words, edition.languages)
    return edition


def plain_texts(edition: Edition) -> list[str]:
    return [text.markdown for _, _, text in edition.leaflet.texts()]


@pytest.mark.parametrize("case", CASES["translation"], ids=ids(CASES["translation"]))
def test_hostile_translation(tiny: Path, tmp_path: Path, case: dict,
                             request: pytest.FixtureRequest) -> None:
    if "xfail" in case:
        request.applymarker(pytest.mark.xfail(strict=True, reason=case["xfail"]))
    shown = folded(f"{BOLD[2:-2]} {case.get('shown', case['text'])}")
    edition = hostile_edition(tiny, case["text"])
    assert shown in page_text(render_page(edition, Settings()))
    assert shown in spoken(edition)
    if "xfail_pdf" in case:
        with pytest.raises(LeafletsError, match="no installed font"):
            PdfBuilder(Settings()).render(edition)
        pytest.xfail(case["xfail_pdf"])
    text, right, width = pdf_text(PdfBuilder(Settings()).render(edition), tmp_path)
    assert in_pdf(shown, text), text
    assert max(right) <= width, "a word runs off the page"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ssml", "control-characters", "emoji", "bidi-override"])
def test_hostile_translation_is_spoken(tiny: Path, tmp_path: Path, name: str) -> None:
    """espeak says the text (no SSML is obeyed: a 600 s break would make a long clip)."""
    case = next(c for c in CASES["translation"] if c["name"] == name)
    edition = hostile_edition(tiny, case["text"])
    settings = Settings(cache_dir=str(tmp_path / "cache"))
    (clip,) = [c for c in clips(edition, settings) if c.section.id == "meetings" and not c.easy]
    rendered = render_clip(clip, settings)
    assert 2 < rendered.seconds < 60
    assert not rendered.problems


# -- Hostile sources ----------------------------------------------------------------------


def source_text(case: dict) -> str:
    if "file" in case:
        return (HOSTILE / case["file"]).read_text(encoding="utf-8")
    base = (HOSTILE / "leaflet.md").read_text(encoding="utf-8")
    return base.replace("This is the introduction.", "word " * 200_000)  # 1 MB


@pytest.mark.parametrize("case", CASES["source"], ids=ids(CASES["source"]))
def test_hostile_source(tmp_path: Path, case: dict, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / "nasty.md").write_text(source_text(case), encoding="utf-8")
    code = run(root, "build", "--format", "html", "--format", "pdf", "-j", "1")
    err = capsys.readouterr().err
    if case["expect"] == "error":
        assert code == 1
        line = one_line(err, f"source/nasty.md:{case['line']}: error: ")
        assert case["message"] in line
        assert not (root / "outputs" / "tiny").exists()
        return
    assert code == 0, err
    folder = root / "outputs" / "tiny" / "en-GB"
    shown = folded(case["shown"])
    assert shown in page_text((folder / "index.html").read_text(encoding="utf-8"))
    text, right, width = pdf_text((folder / "tiny.en-GB.pdf").read_bytes(), tmp_path)
    assert in_pdf(shown, text), text
    assert max(right) <= width


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text())
def test_any_text_is_a_leaflet_or_a_clear_error(text: str) -> None:
    try:
        parse_leaflet(text, "fuzz.md")
    except LeafletsError as error:
        assert "\n" not in str(error)


BASE_LINES = (HOSTILE / "leaflet.md").read_text(encoding="utf-8").splitlines(keepends=True)
PIECES = (
    "---\n", "## Question? {#q}\n", "## x {#con}\n", "## \n", "## {#}\n", "# Title\n",
    "::: easy-read\n", "::: glossary\n", ":::\n", "- [meeting] A sentence.\n", "- [unicorn] x\n",
    "- \n", "- - nested\n", "1. one\n", "3) three\n", "Term\n", ": explanation\n",
    "id: x\n", "id: 12\n", "title: [a, b]\n", "contact: [1]\n", "contact:\n  fax: 1\n",
    "date: 2026-13-40\n", "date: 12:30\n", "language: zz\n", "language:\n", "version: {a: 1}\n",
    "    indented code\n", "```\n", "> quote\n", "<div>\n", "* * *\n", "[x]: https://a\n",
    "\n", "\t\n", "\x00\n", "\ufeff", "\r\n", "\u2028",
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(BASE_LINES), st.sampled_from(PIECES),
                          st.text(max_size=12)), max_size=30),
       st.integers(0, len(BASE_LINES)), st.integers(0, len(BASE_LINES)))
def test_near_valid_source_is_a_leaflet_or_a_clear_error(lines: list[str], at: int,
                                                         drop: int) -> None:
    """Lines of a valid leaflet with nasty lines put in and some taken out."""
    kept = BASE_LINES[:at] + lines + BASE_LINES[at:]
    del kept[drop:drop + len(lines) // 3]
    try:
        result = parse_leaflet("".join(kept), "fuzz.md")
    except LeafletsError as error:
        assert "\n" not in str(error) and error.path is not None
        return
    leaflet = result.leaflet
    assert leaflet.questions and all(q.blocks for q in leaflet.questions)


# -- Pages for the importer ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["page"], ids=ids(CASES["page"]))
def test_hostile_page(tmp_path: Path, case: dict, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.md"
    page = HOSTILE / case["file"]
    code = main(["import", str(page), "-o", str(target)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if case["expect"] == "error":
        assert code == 1 and not target.exists()
        where = f"{page}:{case['line']}:" if "line" in case else f"{page}:"
        assert case["message"] in one_line(err, f"error: {where}")
        return
    assert code == 0
    leaflet = read_leaflet(target).leaflet
    assert [plain(q.heading.markdown) for q in leaflet.questions] == case["questions"]
    assert "alert" not in target.read_text(encoding="utf-8")


# -- Names that try to leave the project ---------------------------------------------------


def tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.mark.parametrize("name", CASES["names"]["values"])
def test_names_cannot_leave_the_project(tiny: Path, name: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    outside = tiny.parent.parent
    before = tree(outside) - tree(tiny)
    attempts = [
        ("build", "--format", "html", "--lang", name),
        ("build", "--format", "html", "--leaflet", name),
        ("add-language", name),
    ]
    for args in attempts:
        capsys.readouterr()
        assert run(tiny, *args) == 1, args
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.count("\n") == 1, err
    (tiny / "leaflets.toml").write_text(f"languages = [{tomllib_string(name)}]\n",
                                        encoding="utf-8")
    assert run(tiny, "build", "--format", "html") == 1
    assert "Traceback" not in capsys.readouterr().err
    source = tiny / "source" / "tiny.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "id: tiny", f"id: {tomllib_string(name)}"), encoding="utf-8")
    (tiny / "leaflets.toml").unlink()
    assert run(tiny, "build", "--format", "html") == 1
    assert "is not allowed" in one_line(capsys.readouterr().err, "source/tiny.md:2: error:")
    assert tree(outside) - tree(tiny) == before


def tomllib_string(value: str) -> str:
    """``value`` as a TOML (and YAML) double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt")
                                                  for n in range(10))}


def windows_safe(component: str) -> bool:
    """A file or folder name Windows accepts."""
    return (
        bool(component) and len(component) < 200
        and not re.search(r'[<>:"|?*\\\x00-\x1f]', component)
        and not component.endswith((".", " "))
        and component.split(".")[0].lower() not in WINDOWS_RESERVED
    )


def test_output_names_are_safe_on_windows() -> None:
    """Every output name of every shipped leaflet, question and language."""
    project = Project.find(ROOT)
    for path in project.sources():
        leaflet = read_leaflet(path).leaflet
        for lang in project.languages():
            edition = Edition(replace(leaflet, lang=lang), lang, None, ())  # type: ignore[arg-type]
            names = [layout.edition_dir(leaflet.id, lang), layout.html_name(),
                     layout.pdf_name(edition), layout.audio_name(edition),
                     layout.playlist_name(edition), layout.daisy_name(edition)]
            names += [layout.question_audio_name(n, q.id)
                      for n, q in enumerate(leaflet.questions, start=1)]
            for name in names:
                assert all(windows_safe(part) for part in name.split("/")), name
    assert WINDOWS_RESERVED <= RESERVED_IDS


@pytest.mark.parametrize("name", sorted(WINDOWS_RESERVED))
def test_windows_device_names_are_refused_as_leaflet_ids(name: str) -> None:
    text = (HOSTILE / "leaflet.md").read_text(encoding="utf-8").replace("id: tiny", f"id: {name}")
    with pytest.raises(LeafletsError, match=f"leaflet id '{name}' is not allowed"):
        parse_leaflet(text, "x.md")


# -- Projects changed around their outputs ------------------------------------------------


def _set(root: Path, line: str) -> None:
    with open(root / "leaflets.toml", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _duplicate(root: Path) -> None:
    (root / "source" / "copy.md").write_bytes((root / "source" / "tiny.md").read_bytes())


def _symlinked(root: Path) -> None:
    cy = root / "outputs" / "tiny" / "cy"
    shutil.move(cy, root.parent / "elsewhere" / "cy")
    cy.symlink_to(root.parent / "elsewhere" / "cy")
    path = po(root, "cy")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Taflen fach"', 'msgstr "Taflen fach iawn"'), encoding="utf-8")


def _stamp_escapes(root: Path) -> None:
    path = folders(Project.find(root)).stamps() / "tiny" / "cy" / "html.json"
    stamp = json.loads(path.read_text(encoding="utf-8"))
    victim = root.parent / "elsewhere" / "victim.txt"
    stamp["files"]["../../../../elsewhere/victim.txt"] = {"size": 7, "sha256": "x"}
    stamp["files"][str(victim)] = {"size": 7, "sha256": "x"}
    path.write_text(json.dumps(stamp), encoding="utf-8")


def _planted_plan(root: Path) -> None:
    marker = root.parent / "elsewhere" / "pwned"

    class Run:
        def __reduce__(self) -> tuple:
            return (os.system, (f"touch {marker}",))

    plans = root / ".leaflets-cache" / "plans"
    for path in [*plans.iterdir(), plans / "plan.pickle"]:
        path.write_bytes(pickle.dumps(Run()))


PROJECT_CHANGES = {
    "source-moved": lambda root: (root / "source").rename(root / "source.bak"),
    "source-empty": lambda root: (root / "source" / "tiny.md").rename(root / "source" / "x.bak"),
    "source-is-a-file": lambda root: (shutil.rmtree(root / "source"),
                                      (root / "source").write_text("x")),
    "locales-moved": lambda root: (root / "locales").rename(root / "locales.bak"),
    "output-dir-dot": lambda root: _set(root, 'output-dir = "."'),
    "cache-dir-empty": lambda root: _set(root, 'cache-dir = ""'),
    "output-dir-parent": lambda root: _set(root, 'output-dir = ".."'),
    "output-dir-in-source": lambda root: _set(root, 'output-dir = "source/site"'),
    "cache-dir-in-outputs": lambda root: _set(root, 'cache-dir = "outputs/.cache"'),
    "output-dir-unwritable": lambda root: _set(root, 'output-dir = "/proc/leaflets"'),
    "duplicate-id": _duplicate,
    "most-withdrawn": lambda root: _set(root, 'languages = ["en-GB"]'),
    "symlinked-edition": _symlinked,
    "stamp-escapes": _stamp_escapes,
    "planted-plan-cache": _planted_plan,
}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES["project"], ids=ids(CASES["project"]))
def test_project_changes_lose_nothing(tiny: Path, case: dict,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    elsewhere = tiny.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("victim\n", encoding="utf-8")
    published = {name: data for name, data in files(tiny / "outputs").items()
                 if name.count("/") == 2}
    PROJECT_CHANGES[case["name"]](tiny)
    outside = files(tiny.parent.parent / tiny.parent.name / "elsewhere")
    capsys.readouterr()
    for n, (command, code) in enumerate(case["runs"]):
        words = command.split()
        args = [*words, "--format", "html", "-j", "1"] if words[0] == "build" else words
        assert run(tiny, *args) == code, command
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        if n == 0:
            lines = (captured.out + captured.err).splitlines()
            assert [line for line in lines if case["message"] in line], captured
    removed = set(case.get("removes", ()))
    for name, data in published.items():
        label = name.rsplit("/", 1)[0] + "/html"
        if label in removed:
            assert not (tiny / "outputs" / name).exists(), name
        elif label not in case.get("rebuilt", ()):
            assert (tiny / "outputs" / name).read_bytes() == data, name
    assert files(elsewhere) == outside
    assert not (tiny / "outputs" / "tiny" / "cy").is_symlink()
    assert not list((tiny / "outputs").rglob(".*")), "only outputs in the output folder"


def test_clean_keeps_what_builds_did_not_make(tiny: Path) -> None:
    """An output folder outside the project: a build writes there, and clean removes only
    what the build made; a cache folder without its CACHEDIR.TAG is kept."""
    elsewhere = tiny.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("a service's own file\n", encoding="utf-8")
    _set(tiny, 'output-dir = "../elsewhere"')
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    assert (elsewhere / "tiny" / "cy" / "index.html").is_file()
    assert (tiny / ".leaflets-cache" / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert run(tiny, "clean") == 0
    assert files(elsewhere) == {"mine.txt": b"a service's own file\n"}
    assert not (tiny / ".leaflets-cache").exists()
    (tiny / ".leaflets-cache").mkdir()
    (tiny / ".leaflets-cache" / "notes").write_text("not a cache")
    assert run(tiny, "clean") == 0
    assert (tiny / ".leaflets-cache" / "notes").is_file()


def test_update_keeps_control_characters_escaped(tiny: Path) -> None:
    """Escapes in a translator's file are written back as escapes, never as raw bytes."""
    path = po(tiny, "cy")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Dyma\'r cyflwyniad."', 'msgstr "Dyma\\000\\033]52;c;eA==\\007\\177 cyflwyniad."'),
        encoding="utf-8")
    assert run(tiny, "update") == 0
    data = path.read_bytes()
    assert b'msgstr "Dyma\\000\\033]52;c;eA==\\a\\177 cyflwyniad."' in data
    assert not [byte for byte in data if (byte < 0x20 and byte != 0x0A) or byte == 0x7F]
    assert run(tiny, "update") == 0
    assert path.read_bytes() == data


SPECIAL = {
    "fifo": ("is not a regular file (a named pipe)", lambda path: os.mkfifo(path)),
    "device": ("is not a regular file (a device)", lambda path: path.symlink_to("/dev/zero")),
    "huge": ("is over the limit of", lambda path: os.truncate(path, 25_000_000)),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("which", ["catalogue", "source"])
def test_special_files_are_refused_by_what_they_are(
        tiny: Path, kind: str, which: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A FIFO, a link to /dev/zero or a huge file: one line, nothing hangs, nothing written."""
    path = po(tiny, "cy") if which == "catalogue" else tiny / "source" / "tiny.md"
    message, make = SPECIAL[kind]
    if kind != "huge":
        path.unlink()
    make(path)
    before = files(tiny / "locales")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a command hung"))
    signal.alarm(120)
    try:
        for command in ("check", "status", "update", "build"):
            capsys.readouterr()
            args = [command, "--format", "html", "-j", "1"] if command == "build" else [command]
            assert run(tiny, *args) == (0 if command == "status" else 1), command
            err = capsys.readouterr().err
            assert f"{which} {message}" in one_line(err, str(path.relative_to(tiny)))
    finally:
        signal.alarm(0)
    assert files(tiny / "locales") == before or which == "source"
    assert path.is_symlink() if kind == "device" else True


# -- Editors' files changed only where asked ------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("case", CASES["heading"], ids=ids(CASES["heading"]))
def test_update_writes_heading_ids_and_nothing_else(tiny: Path, case: dict,
                                                    newline: str) -> None:
    base = (HOSTILE / "leaflet.md").read_text(encoding="utf-8")
    path = tiny / "source" / "tiny.md"

    def written(heading: str) -> bytes:
        text = f"\ufeff{base}\n{heading}\n\nThe answer.  \nOn two lines.\n"
        return text.replace("\n", newline).encode("utf-8")

    path.write_bytes(written(case["before"]))  # a BOM, and an answer with a hard break
    for _ in range(2):
        assert run(tiny, "update") == 0
        assert path.read_bytes() == written(case["after"])
    leaflet = read_leaflet(path).leaflet
    assert leaflet.questions[-1].heading.markdown in " ".join(case["after"].split())


def test_a_hostile_front_matter_stops_only_its_leaflet(
        tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("yaml-deep", "yaml-alias-bomb"):
        text = (HOSTILE / "sources" / f"{name}.md").read_text(encoding="utf-8")
        (tiny / "source" / f"{name}.md").write_text(text.replace("id: tiny", f"id: {name}"),
                                                    encoding="utf-8")
    capsys.readouterr()
    assert run(tiny, "build", "--format", "html", "-j", "1") == 1
    err = capsys.readouterr().err
    assert "nested more than 4 deep" in one_line(err, "source/yaml-deep.md:3: error:")
    assert "alias" in one_line(err, "source/yaml-alias-bomb.md:4: error:")
    assert (tiny / "outputs" / "tiny" / "cy" / "index.html").is_file()


# -- Patterns the importer applies to page text -----------------------------------------------


def test_importer_patterns_take_linear_time() -> None:
    """Every pattern of the importer, on long lines made to make a backtracking pattern
    take exponential time (24 digits then ' ext' took minutes): well under a second each."""
    patterns = {name: value for name, value in vars(importer).items()
                if isinstance(value, re.Pattern)}
    assert len(patterns) > 10
    pieces = ["1", " ", "|", "x", "?", "Q", "Question ", "page ", "1 ext", " ext", "» ", "A",
              "view ", ".", "\t", "-", "aB", "<p ", "&#1"]
    for (name, pattern), (a, b) in itertools.product(patterns.items(),
                                                     itertools.product(pieces, repeat=2)):
        line = a * 2000 + b
        for match in (pattern.search, pattern.match, pattern.fullmatch):
            started = time.perf_counter()
            match(line)
            assert time.perf_counter() - started < 0.5, (name, a, b, match.__name__)


# -- Links and metadata -------------------------------------------------------------------


def pdf_links(pdf: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb"/URI \(([^)]*)\)", pdf)]


@pytest.mark.parametrize("web", CASES["links"]["web"])
def test_every_output_links_only_to_safe_schemes(web: str) -> None:
    text = (HOSTILE / "leaflet.md").read_text(encoding="utf-8")
    text = text.replace('  web: "https://example.org"', f"  web: {tomllib_string(web)}")
    leaflet = parse_leaflet(text, "x.md").leaflet
    assert leaflet.contact.web == web.strip()
    edition = editions_of(leaflet)
    pdf = PdfBuilder(Settings()).render(edition)
    html = render_page(edition, Settings())
    targets = pdf_links(pdf) + re.findall(r'href="([^"#][^"]*)"', html)
    assert all(t.lower().startswith(("https://", "http://", "mailto:", "tel:"))
               or not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I) for t in targets), targets
    safe = web.strip().lower().startswith(("https://", "http://", "www."))
    expected = web if "://" in web else f"https://{web}"
    assert (expected in pdf_links(pdf)) == safe
    assert (f'href="{expected}"' in html) == safe


def editions_of(leaflet: Leaflet) -> Edition:
    return Edition(leaflet, leaflet.lang, CatalogWords(leaflet.lang), (leaflet.lang,))


def test_xml_invalid_characters_never_reach_the_xmp(tiny: Path) -> None:
    path = po(tiny, "cy")
    catalog = pofile.load(path)
    for entry in catalog:
        if entry.msgid == "Tiny leaflet":
            entry.msgstr = "Taflen \uffff\ufffe\x0b fach"
    pofile.write(catalog, path)
    leaflet = read_leaflet(tiny / "source" / "tiny.md").leaflet
    (edition,) = editions(Project.find(tiny), [leaflet], ["cy"]).editions
    pdf = PdfBuilder(Settings()).render(edition)
    xmp = pdf[pdf.index(b"<x:xmpmeta"):pdf.index(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")]
    root = ElementTree.fromstring(xmp)
    titles = [e.text for e in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")]
    assert "Taflen fach" in [" ".join((title or "").split()) for title in titles]


@pytest.mark.parametrize("code", CASES["add-language"]["refused"])
def test_add_language_refuses_codes_that_are_not_a_new_language(
        tiny: Path, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(tiny / "locales")
    capsys.readouterr()
    assert run(tiny, "add-language", code) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert files(tiny / "locales") == before


@pytest.mark.parametrize("text", CASES["printed"]["lines"])
def test_text_from_files_is_printed_as_text(tiny: Path, text: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = po(tiny, "cy")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(19, text)
    path.write_text("\n".join(lines), encoding="utf-8")
    shown = printable(text.strip()[:30])  # the syntax error quotes 30 characters
    for command in ("check", "status", "update", "build"):
        capsys.readouterr()
        run(tiny, command, *(["--format", "html"] if command == "build" else []))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        line = one_line(captured.err, "locales/cy/LC_MESSAGES/tiny.po:20:")
        assert f"cannot read '{shown}'" in line, line
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]",
                             captured.err + captured.out)


def test_import_prints_markup_in_a_page_as_text(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Questions [/]\n\nIs [/] ok? [bold]\n\nYes.\n\nWhat :100: now?\n\n"
                    "- [meeting] a list\n", encoding="utf-8")
    assert main(["import", str(page), "-o", str(tmp_path / "out.md")]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert ":100:" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_problems_print_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import print_problems

    print_problems([Problem("hint '- [meeting] ...' :100:", "leaflets.po", 100, "warning")])
    assert capsys.readouterr().err == \
        "leaflets.po:100: warning: hint '- [meeting] ...' :100:\n"


# -- Random bytes and random edits: no traceback, no file changed but those documented -------

EDIT_PIECES = [
    b"\x00", b"\xff", b"\xed\xa0\x80", b'"', b"\\", b"\\x", b"\\777", b"\n", b"\r\n", b"\r",
    b"msgid ", b"msgstr ", b"msgstr[0] ", b"msgid_plural ", b"msgctxt ", b"#~ ", b"#, fuzzy\n",
    b'"Plural-Forms: nplurals=2; plural=n%0;\\n"\n', b"nplurals=9; ", b"---\n", b"## ", b"{#",
    b"}", b"&a ", b"*a ", b"[" * 50, b"%(n)99s", b"[/]", b"::: easy-read\n", b":::\n", b"\t",
    b"<https://evil.example>", b"[x](javascript:alert(1))", b"id: tiny\n", b"\xef\xbb\xbf",
]


def edited(data: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
    for where, cut, piece in edits:
        at = int(where * len(data))
        data = data[:at] + piece + data[at + cut:]
    return data


def without_ids(data: bytes) -> bytes:
    """A source without the {#id}s update may write into its headings."""
    return re.sub(rb" ?\{#[a-z0-9-]+\}", b"", data)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(which=st.sampled_from(["catalogue", "source"]),
       change=st.one_of(
           st.binary(max_size=3000).map(lambda b: ("replace", b)),
           st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40),
                              st.one_of(st.sampled_from(EDIT_PIECES), st.binary(max_size=8))),
                    min_size=1, max_size=8).map(lambda e: ("edit", e))))
def test_random_bytes_and_edits_give_no_traceback(
        tmp_path_factory: pytest.TempPathFactory, which: str,
        change: tuple[str, object]) -> None:
    """Any bytes in a catalogue or a source: every command answers (exit 0 or 1, no
    traceback), check, status and build change no source or catalogue, and update writes
    only catalogues, templates and the {#id}s of headings."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(fuzz_base(tmp_path_factory), root)
    path = po(root, "cy") if which == "catalogue" else root / "source" / "tiny.md"
    kind, value = change
    path.write_bytes(value if kind == "replace" else edited(path.read_bytes(), value))
    sources, catalogues = files(root / "source"), files(root / "locales")
    for command in ("check", "status", "build", "update", "build"):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["-C", str(root), command,
                         *(["--format", "html", "-j", "1"] if command == "build" else [])])
        assert code in (0, 1), (command, err.getvalue())
        assert "Traceback" not in err.getvalue()
        if command == "update":
            after = files(root / "source")
            assert {k: without_ids(v) for k, v in after.items()} == \
                {k: without_ids(v) for k, v in sources.items()}
            sources, catalogues = after, files(root / "locales")
        else:
            assert files(root / "source") == sources, command
            assert files(root / "locales") == catalogues, command


_FUZZ_BASE: list[Path] = []


def fuzz_base(factory: pytest.TempPathFactory) -> Path:
    """The small project, its catalogues up to date, made once."""
    if not _FUZZ_BASE:
        root = factory.mktemp("fuzz-base") / "project"
        (root / "source").mkdir(parents=True)
        (root / "source" / "tiny.md").write_bytes((HOSTILE / "leaflet.md").read_bytes())
        (root / "leaflets.toml").write_text("threshold = 0.5\n", encoding="utf-8")
        po(root, "cy").parent.mkdir(parents=True)
        po(root, "cy").write_bytes((HOSTILE / "cy.po").read_bytes())
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["-C", str(root), "update"]) == 0
        _FUZZ_BASE.append(root)
    return _FUZZ_BASE[0]


def test_stamps_beside_the_outputs_move_into_the_cache(
        tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Outputs built by an older version (stamps beside them, a lock file among them) stay
    up to date, and the output folder is left with outputs only."""
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    stamps = folders(Project.find(tiny)).stamps()
    for stamp in list(stamps.glob("*/*/*.json")):
        legacy = tiny / "outputs" / stamp.parent.parent.name / stamp.parent.name / \
            f".{stamp.stem}.stamp.json"
        shutil.move(stamp, legacy)
    (tiny / "outputs" / ".leaflets.lock").write_text("")
    killed = tiny / "outputs" / "tiny" / "cy" / ".pdf.staging"  # an older build, killed
    killed.mkdir()
    (killed / "tiny.cy.pdf").write_bytes(b"%PDF-1.7 half")
    capsys.readouterr()
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    assert "Nothing changed: all 3 outputs are up to date" in capsys.readouterr().out
    assert not list((tiny / "outputs").rglob(".*"))
    assert len(list(stamps.glob("*/*/*.json"))) == 3


def test_files_are_staged_in_the_cache_and_moved_in_whole_across_file_systems(
        tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing half-made shows among the outputs while a build runs; a cache on another
    file system (rename fails with EXDEV) still replaces each output in one step."""
    import errno

    from pipeline.build import stamps

    seen: list[list[str]] = []
    save, rename = stamps.save, os.replace
    cache = folders(Project.find(tiny)).cache.resolve()

    def saving(where: Folders, task: object, result: object) -> None:
        seen.append(sorted(p.relative_to(tiny).as_posix() for p in where.outputs.rglob("*")))
        save(where, task, result)  # type: ignore[arg-type]

    def across(src: object, dst: object) -> None:
        if Path(str(src)).resolve().is_relative_to(cache) and \
                not Path(str(dst)).resolve().is_relative_to(cache):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(stamps, "save", saving)
    monkeypatch.setattr("pipeline.build.execute.save", saving)
    monkeypatch.setattr(stamps.os, "replace", across)
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    assert len(seen) == 3
    assert all(not any("staging" in name or name.endswith(".part") for name in names)
               for names in seen)
    pages = sorted((tiny / "outputs").glob("tiny/*/index.html"))
    assert len(pages) == 3 and all(b"</html>" in page.read_bytes() for page in pages)
    assert not list((tiny / "outputs").rglob(".*"))


def test_a_link_inside_an_edition_folder_is_not_written_through(tmp_path: Path) -> None:
    """outputs/<leaflet>/<lang>/audio as a link elsewhere: the task's files are refused."""
    from pipeline.build.stamps import save, staging
    from pipeline.build.tasks import Task, TaskResult

    where = Folders(tmp_path / "outputs", tmp_path / "cache")
    leaflet = parse_leaflet((HOSTILE / "leaflet.md").read_text(encoding="utf-8")).leaflet
    task = Task(editions_of(leaflet), "audio", Settings(), (("edition", "x"),))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (where.outputs / task.folder).mkdir(parents=True)
    (where.outputs / task.folder / "audio").symlink_to(elsewhere)
    staged = staging(where, task)
    (staged / "audio").mkdir(parents=True)
    (staged / "audio" / "x.mp3").write_bytes(b"mp3")
    with pytest.raises(LeafletsError, match="tiny/en-GB/audio in the output folder is a symbolic"):
        save(where, task, TaskResult(task.label, "built", made={"audio/x.mp3": (3, "x")}))
    assert not list(elsewhere.iterdir())
    with pytest.raises(LeafletsError, match="would leave its folder"):
        save(where, task, TaskResult(task.label, "built", made={"../x.mp3": (3, "x")}))


def test_a_fifo_for_the_configuration_or_a_template_hangs_nothing(
        tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tiny / "locales" / "tiny.pot"
    template.unlink()
    os.mkfifo(template)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a command hung"))
    signal.alarm(60)
    try:
        assert run(tiny, "update") == 0  # the template is written again, as a file
        assert template.is_file() and b'msgid "Tiny leaflet"' in template.read_bytes()
        (tiny / "leaflets.toml").unlink()
        os.mkfifo(tiny / "leaflets.toml")
        for command in ("check", "status", "update", "build", "clean"):
            capsys.readouterr()
            assert run(tiny, command) == 1
            assert "configuration is not a regular file (a named pipe)" in one_line(
                capsys.readouterr().err, "error: ")
    finally:
        signal.alarm(0)


def test_outputs_removed_by_hand_leave_the_manifest(tiny: Path) -> None:
    """The stamps in the cache outlive outputs deleted by hand: the manifest lists only
    files that are there, and the next build makes them again."""
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    shutil.rmtree(tiny / "outputs")
    assert run(tiny, "build", "--format", "html", "--lang", "cy", "-j", "1") == 0
    manifest = json.loads((tiny / "outputs" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["path"] for entry in manifest["outputs"]] == ["tiny/cy/index.html"]
    assert run(tiny, "build", "--format", "html", "-j", "1") == 0
    assert (tiny / "outputs" / "tiny" / "pl" / "index.html").is_file()
