"""EPUB 3 with media overlays: checked with EPUBCheck and DAISY Ace, the overlays checked
against the text and the audio, the zip checked for reproducibility, and the book opened
in a real reading system (epub.js) in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from posixpath import dirname, join, normpath

import pytest
from audio_tools import ffmpeg_filter
from html_checkers import CHROMIUM, ROOT, TOOLS, chromium, require
from html_samples import sample_edition, source_edition
from lxml import etree
from mutagen.mp3 import MP3

from pipeline.audio import cached_clip, clips
from pipeline.audio.script import script, sentences
from pipeline.build.plan import read_editions
from pipeline.cli import main
from pipeline.epub.content import Writer
from pipeline.model import Edition
from pipeline.project import Project

pytestmark = pytest.mark.slow

LANGUAGES = ("en-GB", "cy", "pl", "ur", "pa", "ar")
BOOKS = [(lang, easy) for lang in LANGUAGES for easy in (False, True)]
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
ACE = TOOLS / ".bin" / "ace-puppeteer"
EPUB_JS = TOOLS / "epubjs" / "dist" / "epub.min.js"
JSZIP = TOOLS / "jszip" / "dist" / "jszip.min.js"
NS = {"x": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/ns/SMIL",
      "o": "http://www.idpf.org/2007/opf", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, its EPUBs built for every shipped language."""
    root = tmp_path_factory.mktemp("epub") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    assert main(["-C", str(root), "build", "--format", "epub"]) == 0
    return root


def book(root: Path, lang: str, easy: bool) -> Path:
    return root / "outputs" / "mappa-faq" / lang / (
        f"mappa-faq.{lang}{'.easy-read' if easy else ''}.epub")


def edition(root: Path, lang: str) -> Edition:
    project = Project.find(root)
    _, found = read_editions(project, project.languages())
    return next(e for e in found.editions if e.lang == lang)


@pytest.mark.parametrize(("lang", "easy"), BOOKS)
def test_epubcheck_finds_nothing(built: Path, lang: str, easy: bool, tmp_path: Path) -> None:
    jar = require(EPUBCHECK, "apt-get install epubcheck")
    subprocess.run(["java", "-jar", str(jar), str(book(built, lang, easy)),
                    "--json", str(tmp_path / "report.json")], capture_output=True, timeout=600)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    messages = [f"{m['severity']} {m['ID']}: {m['message']} at "
                f"{[(x['path'], x.get('line')) for x in m['locations']][:2]}"
                for m in report["messages"]]
    assert messages == []
    assert report["checker"]["nFatal"] == report["checker"]["nError"] == 0
    assert report["checker"]["nWarning"] == 0
    assert report["publication"]["hasAudio"]


@pytest.mark.parametrize(("lang", "easy"), BOOKS)
def test_ace_finds_no_violation(built: Path, lang: str, easy: bool, tmp_path: Path) -> None:
    ace = require(ACE, "npm install --prefix .tools @daisy/ace@1.4.6 (PUPPETEER_SKIP_DOWNLOAD=1)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)}
    subprocess.run([str(ace), "--silent", "--force", "--outdir", str(tmp_path),
                    str(book(built, lang, easy))], env=env, check=True, timeout=600,
                   capture_output=True)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    violations = [f"{x['earl:test']['dct:title']}: {x['earl:result'].get('dct:description')}"
                  for doc in report["assertions"] for x in doc.get("assertions", [])]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    metadata = report["a11y-metadata"]
    assert set(metadata["present"]) >= {
        "schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
        "schema:accessibilitySummary", "schema:accessModeSufficient", "dcterms:conformsTo"}
    assert metadata["empty"] == []


def _package(archive: zipfile.ZipFile) -> etree._Element:
    return etree.fromstring(archive.read("EPUB/package.opf"))


@pytest.mark.parametrize(("lang", "easy"), BOOKS)
def test_overlays_match_text_and_audio(built: Path, lang: str, easy: bool) -> None:
    """Every par points at an existing sentence and a stretch inside its MP3; a document's
    pars follow its reading order and cover all its sentences; each par says, in the very
    clip the audio format uses, what its sentence shows."""
    the_edition = edition(built, lang)
    settings = Project.find(built).config.settings(built)
    # the easy-read book speaks with the easy-read audio's clips (slower, longer pauses)
    parts = [c for c in clips(the_edition, replace(settings, audio_text="standard"))
             if c.easy == easy]
    said: dict[str, list[tuple[float, float, str]]] = {}  # MP3 name -> (begin, end, shown)
    for clip in parts:
        rendered = cached_clip(clip, settings)
        assert rendered is not None, "the clips are the audio format's, from its cache"
        segments = [s for unit in clip.section.units for s in unit.segments]
        name = f"{clip.section.number:02d}-{clip.section.id}.mp3"
        said[name] = [(float(f"{a:.3f}"), float(f"{b:.3f}"), s.display)
                      for (a, b), s in zip(rendered.said, segments, strict=True)]
    unsaid = {name: {a for a, _, _ in spoken} for name, spoken in said.items()}
    with zipfile.ZipFile(book(built, lang, easy)) as archive:
        package = _package(archive)
        items = {i.get("id"): i for i in package.iterfind("o:manifest/o:item", NS)}
        checked = 0
        durations: dict[str, float] = {}
        for item in items.values():
            if not item.get("media-overlay"):
                continue
            doc_path = join("EPUB", item.get("href"))
            smil_path = join("EPUB", items[item.get("media-overlay")].get("href"))
            doc = etree.fromstring(archive.read(doc_path))
            smil = etree.fromstring(archive.read(smil_path))
            in_order = [e.get("id") for e in doc.iter() if re.fullmatch(r"s\d+", e.get("id", ""))]
            pointed = []
            played = 0.0
            for par in smil.iterfind(".//s:par", NS):
                text, audio = par.find("s:text", NS), par.find("s:audio", NS)
                played += float(audio.get("clipEnd")[:-1]) - float(audio.get("clipBegin")[:-1])
                target, _, fragment = text.get("src").partition("#")
                assert normpath(join(dirname(smil_path), target)) == doc_path
                element = doc.find(f".//*[@id='{fragment}']")
                assert element is not None, fragment
                mp3 = normpath(join(dirname(smil_path), audio.get("src")))
                length = MP3(io.BytesIO(archive.read(mp3))).info.length
                begin, end = audio.get("clipBegin"), audio.get("clipEnd")
                assert 0 <= float(begin[:-1]) < float(end[:-1]) <= length + 0.001
                shown = " ".join("".join(element.itertext()).split())
                # a sentence with a phrase in another language is said in several voices
                start, stop = float(begin[:-1]), float(end[:-1])
                voices = [(a, b, text) for a, b, text in said[Path(mp3).name]
                          if a >= start and b <= stop]
                assert voices and (voices[0][0], voices[-1][1]) == (start, stop)
                spoken = " ".join(text for _, _, text in voices)
                if element.getparent().tag.endswith("li") and element.getparent().getparent() \
                        .tag.endswith("ol"):
                    spoken = re.sub(r"^\d+\. ", "", spoken)  # the list shows its own numbers
                assert shown == spoken or (len(voices) > 1 and shown.replace(" ", "") ==
                                           spoken.replace(" ", ""))  # "Gwaith (" "Jobcentre…"
                pointed.append(fragment)
                unsaid[Path(mp3).name] -= {a for a, _, _ in voices}
            assert pointed == in_order, "pars in reading order, one per sentence"
            checked += len(pointed)
            durations[item.get("media-overlay")] = played
        assert checked > 20
    # the package's media:duration of each overlay is what its pars play, and the total
    # their sum (a reading system shows them; EPUBCheck only checks the sum)
    stated = {m.get("refines", "#")[1:]: _seconds(m.text) for m in package.iterfind(
        "o:metadata/o:meta[@property='media:duration']", NS)}
    assert stated.keys() == {"", *durations}
    assert all(abs(stated[key] - value) < 0.002 for key, value in durations.items())
    assert abs(stated[""] - sum(durations.values())) < 0.002 * len(durations)
    # and the book shows all it says, but "This is the audio version of…, from …" and
    # "It has 10 questions."
    welcome = len(parts[0].section.units[0].segments)
    assert {name: len(left) for name, left in unsaid.items() if left} == {
        "00-introduction.mp3": welcome}
    assert unsaid["00-introduction.mp3"] == {a for a, _, _ in said["00-introduction.mp3"][:welcome]}


def _seconds(clock: str) -> float:
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def test_the_book_speaks_with_the_audio_formats_clips(built: Path) -> None:
    """The audio format, built after the books, finds every clip in the cache (nothing is
    synthesised again: the books made each standard and easy-read clip once), and its
    per-question MP3s, standard and easy read, hold the very frames the books play."""
    cache = built / ".leaflets-cache" / "audio"
    before = set(cache.rglob("*.mp3"))
    settings = Project.find(built).config.settings(built)
    parts = clips(edition(built, "cy"), settings)
    assert len(parts) == 24 and sum(c.easy for c in parts) == 12
    assert all(cached_clip(c, settings) is not None for c in parts)
    assert main(["-C", str(built), "build", "--format", "audio", "--lang", "cy"]) == 0
    assert set(cache.rglob("*.mp3")) == before
    folder = built / "outputs" / "mappa-faq" / "cy" / "audio"
    for easy, audio in ((False, folder), (True, folder / "easy-read")):
        with zipfile.ZipFile(book(built, "cy", easy)) as archive:
            inside = [n for n in archive.namelist() if n.endswith(".mp3")]
            assert len(inside) == 12
            for name in inside:
                assert (audio / Path(name).name).read_bytes().endswith(archive.read(name))


def test_a_leaflet_without_easy_read_has_no_easy_read_book(built: Path, tmp_path: Path) -> None:
    """Like the easy-read PDF and audio, the easy-read book is made (and offered on the
    page) only for a leaflet with easy read."""
    from pipeline.builders.base import OutputDir
    from pipeline.epub import EpubBuilder
    from pipeline.html import render_page
    from pipeline.model import EasyFront

    welsh = edition(built, "cy")
    leaflet = welsh.leaflet
    plain = replace(welsh, leaflet=replace(
        leaflet, easy=EasyFront(), questions=tuple(replace(q, easy_read=())
                                                   for q in leaflet.questions)))
    settings = Project.find(built).config.settings(built)
    out = OutputDir(tmp_path)
    EpubBuilder(settings).build(plain, out)
    assert [p.name for p in out.written] == ["mappa-faq.cy.epub"]
    page = render_page(plain, replace(settings, formats=("pdf", "html", "epub")))
    assert "mappa-faq.cy.epub" in page and "easy-read.epub" not in page
    assert "easy-read.epub" in render_page(welsh, replace(settings, formats=("html", "epub")))


def _narration(archive: zipfile.ZipFile, folder: Path) -> tuple[float, list[float]]:
    """Measured from a book, sentence by sentence: its voice's words a minute (pauses left
    out) and the pause after each sentence, from the SMIL pars, the text they point at and
    ffmpeg's silencedetect over the MP3s."""
    words, speech, pauses = 0, 0.0, []
    silences: dict[str, list[tuple[float, float]]] = {}
    for name in archive.namelist():
        if not name.endswith(".smil"):
            continue
        smil = etree.fromstring(archive.read(name))
        for par in smil.iterfind(".//s:par", NS):
            target, _, fragment = par.find("s:text", NS).get("src").partition("#")
            audio = par.find("s:audio", NS)
            mp3 = normpath(join(dirname(name), audio.get("src")))
            if mp3 not in silences:
                path = folder / Path(mp3).name
                path.write_bytes(archive.read(mp3))
                report = ffmpeg_filter(path, "silencedetect=noise=-45dB:d=0.15")
                silences[mp3] = list(zip(
                    map(float, re.findall(r"silence_start: (-?[\d.]+)", report)),
                    map(float, re.findall(r"silence_end: ([\d.]+)", report)), strict=False))
            begin, end = float(audio.get("clipBegin")[:-1]), float(audio.get("clipEnd")[:-1])
            # the silence the sentence ends with: it runs up to where the next one starts
            gap = next((a for a, b in silences[mp3] if begin < a < end and abs(b - end) < 0.1),
                       None)
            if gap is None:  # the last sentence of a file (the file ends quietly)
                continue
            doc = etree.fromstring(archive.read(normpath(join(dirname(name), target))))
            text = "".join(doc.find(f".//*[@id='{fragment}']").itertext())
            words += len(text.split())
            speech += gap - begin
            pauses.append(end - gap)
    return 60 * words / speech, sorted(pauses)


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_the_easy_read_book_is_read_slower_with_longer_pauses(built: Path, lang: str,
                                                               tmp_path: Path) -> None:
    """People with learning disabilities get the easy-read audio's pace in the easy-read
    book: fewer words a minute, and the easy-read pause (1.2 s) after each sentence."""
    measured = {}
    for easy in (False, True):
        (tmp_path / str(easy)).mkdir()
        with zipfile.ZipFile(book(built, lang, easy)) as archive:
            measured[easy] = _narration(archive, tmp_path / str(easy))
    (standard, standard_pauses), (slow, easy_pauses) = measured[False], measured[True]
    assert slow < 0.85 * standard, (slow, standard)
    settings = Project.find(built).config.settings(built)
    middle = easy_pauses[len(easy_pauses) // 2]
    assert abs(middle - settings.easy_read_pause) < 0.15, easy_pauses
    assert standard_pauses[len(standard_pauses) // 2] < 0.7 < middle, standard_pauses


def test_every_sentence_of_a_paragraph_has_its_span(built: Path) -> None:
    """The text is cut where the voice was: a paragraph of three sentences, three spans."""
    with zipfile.ZipFile(book(built, "en-GB", False)) as archive:
        name = next(n for n in archive.namelist() if "how-mappa-works.xhtml" in n)
        doc = etree.fromstring(archive.read(name))
    first = doc.find(".//x:section/x:p", NS)
    text = "".join(first.itertext())
    spans = first.findall("x:span", NS)
    assert len(spans) == len(sentences(text)) == 3
    assert spans[0].text.startswith("All MAPPA offenders are assessed")


def test_metadata_says_what_the_book_offers(built: Path) -> None:
    with zipfile.ZipFile(book(built, "ar", True)) as archive:
        package = _package(archive)
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        names = archive.namelist()
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert package.get("dir") == "rtl"
    meta: dict[str, list[str]] = {}
    for element in package.iterfind("o:metadata/o:meta", NS):
        if not element.get("refines"):
            meta.setdefault(element.get("property"), []).append(element.text)
    assert set(meta["schema:accessibilityFeature"]) >= {
        "synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder",
        "displayTransformability", "alternativeText", "pageNavigation"}
    assert meta["schema:accessMode"] == ["textual", "auditory", "visual"]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert meta["media:active-class"] == ["-epub-media-overlay-active"]
    assert re.fullmatch(r"0:\d\d:\d\d\.\d{3}", meta["media:duration"][0])
    assert package.find("o:spine", NS).get("page-progression-direction") == "rtl"
    pages = [a.text for a in nav.iterfind(".//x:nav[@epub:type='page-list']//x:a", NS)]
    assert pages[0] == "1" and pages == sorted(pages, key=int) and len(pages) >= 4
    assert any(n.startswith("EPUB/images/") and n.endswith(".svg") for n in names)
    assert any(n.startswith("EPUB/fonts/NotoSansArabic") for n in names)


@pytest.fixture(scope="module")
def printed(built: Path) -> Path:
    """The sample project with its PDFs (large print and easy read) built too."""
    assert main(["-C", str(built), "build", "--format", "pdf"]) == 0
    return built


def _marks(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """``document#pageN`` -> the text from the page mark to the end of its paragraph, item
    or heading (to the end of the contents list for a mark in the navigation document),
    and for a heading, the text of the block after it."""
    out = {}
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            doc = etree.fromstring(archive.read(name))
            for mark in doc.iterfind(".//*[@epub:type='pagebreak']", NS):
                owner = mark.getparent()
                if owner.tag.endswith(("section", "body")):  # before a block: all of it
                    owner = mark.getnext()
                    text = "".join(owner.xpath(  # but "Question 1 of 10": not in the PDF
                        ".//text()[not(ancestor::*[@class='question-number'])]"))
                else:
                    mark.text = "\u204b"  # where the mark is: no text of the book has it
                    text = "".join(owner.itertext()).partition("\u204b")[2]
                after = owner.getnext() if owner.tag.endswith("h1") else None
                out[f"{name.removeprefix('EPUB/')}#{mark.get('id')}"] = (
                    " ".join(text.split()),
                    "" if after is None else " ".join("".join(after.itertext()).split()))
    return out


@pytest.mark.parametrize(("lang", "easy"), BOOKS)
def test_page_list_has_every_page_of_the_printed_edition(printed: Path, lang: str,
                                                          easy: bool) -> None:
    """The page list has one entry for each page of the PDF its ``dc:source`` names (the
    large print, or the easy-read PDF for the easy-read book), in order, each pointing at
    a page mark that exists, and each mark where its page begins: the page's text
    starts with the words after the mark (a page that begins inside a paragraph is
    marked at the word it begins with; a heading the book words otherwise is followed
    by the text the page goes on with); a page that begins in the contents list is
    marked at the book's contents."""
    import pymupdf

    with zipfile.ZipFile(book(printed, lang, easy)) as archive:
        source = _package(archive).find("o:metadata/dc:source",
                                        {**NS, "dc": "http://purl.org/dc/elements/1.1/"}).text
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        marks = _marks(archive)
    assert source == f"mappa-faq.{lang}{'.easy-read' if easy else ''}.pdf"
    with pymupdf.open(printed / "outputs" / "mappa-faq" / lang / source) as pdf:
        pages = [" ".join(page.get_text().split()) for page in pdf]
    entries = [(a.text, a.get("href"))
               for a in nav.iterfind(".//x:nav[@epub:type='page-list']//x:a", NS)]
    assert [text for text, _ in entries] == [str(n) for n in range(1, len(pages) + 1)]
    assert [href.partition("#")[2] for _, href in entries] == [
        f"page{n}" for n in range(1, len(pages) + 1)]
    assert sorted(marks) == sorted(href for _, href in entries), "each target exists, once"
    def plainly(text: str) -> str:  # "Phone:" here is "Phone" beside its value there
        return " ".join("".join(c for c in text if unicodedata.category(c)[0] not in "PS")
                        .split())

    # "Contents", or "Contents (continued)" (which a translation may word otherwise)
    contents = [plainly(nav.find(".//x:nav[@epub:type='toc']/x:h1", NS).text),
                plainly(edition(printed, lang).words("Contents (continued)").markdown)]

    for number, (_, href) in enumerate(entries, start=1):
        shown = plainly(pages[number - 1])
        if href.startswith("nav.xhtml#"):
            assert shown.startswith(tuple(contents)), (number, shown[:60])
            continue
        text, after = marks[href]
        want = plainly(" ".join(text.split()[:5]))
        if after and not shown.startswith(want):  # "Contact" there, "Contact details" here
            want = plainly(" ".join(after.split()[:5]))
            assert 0 < shown.find(want) <= 40, (number, want, shown[:80])
        else:
            assert shown.startswith(want), (number, want, shown[:80])


def test_a_picture_is_described_only_where_it_adds_to_its_sentence() -> None:
    """As on the web page: a picture that repeats its sentence is decoration (empty alt, so
    a screen reader does not say the sentence twice); one marked ``[key, alt]`` is described,
    and the package claims alternative text only when there is some."""
    from pipeline.audio.script import easy_script
    from pipeline.epub.package import opf
    from pipeline.pictograms import PICTOGRAMS

    def alts(edition: Edition) -> list[str]:
        docs = Writer(edition, easy_script(edition, 1.2), easy=True).documents()
        xhtml = "".join(doc.xhtml("en-GB", "css/leaflet.css") for doc in docs)
        return re.findall(r'<img src="images/[\w-]+\.svg" alt="([^"]*)"', xhtml)

    def claims(edition: Edition) -> bool:
        package = opf(edition, True, [], [], {}, "0:00:00.000", "espeak", "x.pdf")
        return '<meta property="schema:accessibilityFeature">alternativeText</meta>' in package

    english = source_edition()
    sentences = [s for q in english.leaflet.questions for s in q.easy_read]
    described = [s for s in sentences if s.described]
    assert described and len(described) < len(sentences)  # the sample has both kinds
    found = alts(english)
    assert len(found) == len(sentences) + len(english.leaflet.easy.intro)
    assert [a for a in found if a] == [PICTOGRAMS[s.picture] for s in described]
    assert claims(english)
    plain = replace(english, leaflet=replace(english.leaflet, questions=tuple(
        replace(q, easy_read=tuple(replace(s, described=False) for s in q.easy_read))
        for q in english.leaflet.questions)))
    assert not any(alts(plain)) and not claims(plain)


def test_fallback_passages_carry_their_language() -> None:
    """An untranslated passage, shown in English inside the Arabic book, says so."""
    arabic = sample_edition("ar")
    docs = Writer(arabic, script(arabic), easy=False).documents()
    xhtml = "".join(doc.xhtml("ar", "css/leaflet.css") for doc in docs)
    assert '<html xmlns="http://www.w3.org/1999/xhtml"' in xhtml and 'lang="ar"' in xhtml
    english = re.findall(r'<(?:p|li|h1|span|dt|dd)\b[^>]*\blang="en-GB"[^>]*>', xhtml)
    assert english
    assert all('dir="ltr"' in tag and 'xml:lang="en-GB"' in tag for tag in english)


def test_zip_is_reproducible_and_well_formed(built: Path, tmp_path: Path) -> None:
    first = book(built, "cy", False).read_bytes()
    again = tmp_path / "again"
    shutil.copytree(built, again, ignore=shutil.ignore_patterns("outputs"))
    assert main(["-C", str(again), "build", "--format", "epub", "--lang", "cy"]) == 0
    assert book(again, "cy", False).read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert first[30:38] == b"mimetype" and first[38:58] == b"application/epub+zip"
    assert infos[0].extra == b""
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A web server on 127.0.0.1 serving ``tmp_path`` (where the test puts its pages)."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", tmp_path
    finally:
        httpd.shutdown()
        httpd.server_close()


READER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reader</title>
<script src="jszip.min.js"></script><script src="epub.min.js"></script></head>
<body><div id="viewer" style="width:360px;height:640px"></div>
<audio id="voice"></audio>
<script>
// epub.js opens the book; a minimal overlay player (epub.js has none) plays the first
// par of the chapter's SMIL and marks its text with the book's active class.
window.ready = (async () => {
  const book = ePub("book.epub");
  const rendition = book.renderTo("viewer", {width: 360, height: 640, flow: "scrolled-doc"});
  await book.ready;
  const chapter = book.spine.get(CHAPTER);
  await rendition.display(chapter.href);
  window.book = book; window.rendition = rendition; window.chapter = chapter;
  return chapter.href;
})();
window.playFirst = async () => {
  const book = window.book, chapter = window.chapter;
  const opf = new DOMParser().parseFromString(
    await book.archive.getText("/" + book.container.packagePath), "application/xml");
  const docItem = [...opf.querySelectorAll("manifest item")].find(
    i => chapter.href.endsWith(i.getAttribute("href")));
  const overlay = docItem.getAttribute("media-overlay");
  const smilItem = opf.querySelector(`manifest item[id="${overlay}"]`);
  const smilPath = "/EPUB/" + smilItem.getAttribute("href");
  const smil = new DOMParser().parseFromString(await book.archive.getText(smilPath),
                                               "application/xml");
  const par = smil.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "par")[0];
  const text = par.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "text")[0];
  const audio = par.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "audio")[0];
  const id = text.getAttribute("src").split("#")[1];
  const mp3 = "/EPUB/" + audio.getAttribute("src").replace(/^\\.\\.\\//, "");
  const begin = parseFloat(audio.getAttribute("clipBegin"));
  const end = parseFloat(audio.getAttribute("clipEnd"));
  const voice = document.getElementById("voice");
  voice.src = await book.archive.createUrl(mp3);
  voice.currentTime = begin;
  const doc = window.rendition.getContents()[0].document;
  voice.ontimeupdate = () => {
    const on = voice.currentTime >= begin && voice.currentTime < end;
    doc.getElementById(id).classList.toggle("-epub-media-overlay-active", on);
    if (on) window.highlighted = id;
  };
  await voice.play();
  return id;
};
</script></body></html>
"""


def test_a_reading_system_shows_the_text_and_highlights_what_is_said(
        built: Path, server: tuple[str, Path]) -> None:
    """epub.js in Chromium shows the first question; playing its overlay highlights the
    first sentence in the book's own active-class style."""
    url, folder = server
    shutil.copy(require(EPUB_JS, "npm install --prefix .tools epubjs@0.3.93"), folder)
    shutil.copy(require(JSZIP, "npm install --prefix .tools epubjs@0.3.93"), folder)
    shutil.copy(book(built, "en-GB", False), folder / "book.epub")
    with zipfile.ZipFile(folder / "book.epub") as archive:
        spine = [i.get("idref") for i in _package(archive).iterfind("o:spine/o:itemref", NS)]
    chapter = spine.index("doc2")  # title page, introduction, contents, then question 1
    (folder / "reader.html").write_text(READER.replace("CHAPTER", str(chapter)),
                                        encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}/reader.html")
        href = page.evaluate("window.ready")
        assert href.endswith("q01-offenders-at-meetings.xhtml")
        frame = page.frame_locator("#viewer iframe")
        heading = frame.locator("h1")
        assert heading.inner_text().startswith("Question 1 of 10")
        assert "Do offenders go to MAPP meetings?" in heading.inner_text()
        if os.environ.get("EPUB_SCREENSHOT"):
            page.screenshot(path=os.environ["EPUB_SCREENSHOT"])
        first = page.evaluate("window.playFirst()")
        page.wait_for_function("window.highlighted !== undefined", timeout=20_000)
        spoken = frame.locator(f"#{first}")
        assert "-epub-media-overlay-active" in spoken.get_attribute("class")
        colour = spoken.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(255, 221, 0)"
        assert spoken.inner_text() == "Question 1 of 10"
        if os.environ.get("EPUB_SCREENSHOT"):
            page.screenshot(path=os.environ["EPUB_SCREENSHOT"].replace(".png", "-playing.png"))


def test_the_web_page_offers_the_books_beside_the_pdf_only_when_made() -> None:
    from pipeline.builders.base import Settings
    from pipeline.html import render_page

    welsh = sample_edition("cy")
    with_books = render_page(welsh, Settings(formats=("pdf", "html", "epub")))
    links = re.findall(r'<a href="([^"]+)" type="([^"]+)"', with_books)
    assert links[:4] == [("mappa-faq.cy.easy-read.pdf", "application/pdf"),
                         ("mappa-faq.cy.pdf", "application/pdf"),
                         ("mappa-faq.cy.epub", "application/epub+zip"),
                         ("mappa-faq.cy.easy-read.epub", "application/epub+zip")]
    assert "reads itself aloud (EPUB)" in with_books
    assert ".epub" not in render_page(welsh, Settings(formats=("pdf", "html")))
