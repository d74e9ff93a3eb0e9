"""The printed easy-read edition, checked in the real file with poppler, pikepdf and pdfua."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from pdf_samples import SHIPPED, shipped_edition, source_edition
from test_pdf import (
    assert_pdfua,
    font_sizes,
    letters,
    reading_order,
    run,
    struct_elements,
)

from pipeline.builders.base import OutputDir, Settings
from pipeline.errors import LeafletsError
from pipeline.inline import plain
from pipeline.layout import easy_pdf_name, pdf_name
from pipeline.model import Edition
from pipeline.pdf import PdfBuilder
from pipeline.pdf.easyread import PICTURE_EMS
from pipeline.pdf.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from pipeline.pictograms import PICTOGRAMS

pytestmark = pytest.mark.slow
LANGUAGES = ("en-GB", *SHIPPED)


def edition(lang: str) -> Edition:
    return source_edition() if lang == "en-GB" else shipped_edition(lang)


@cache
def rendered(lang: str, size: int = 18) -> bytes:
    return PdfBuilder(Settings(easy_read_size=size)).render_easy(edition(lang))


def saved(tmp_path: Path, lang: str, size: int = 18) -> Path:
    path = tmp_path / f"{lang}-{size}.easy-read.pdf"
    path.write_bytes(rendered(lang, size))
    return path


def figures(path: Path) -> list[str]:
    """The /Alt of every /Figure of the structure tree, in order."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    found.append(str(node.Alt))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack += reversed(list(kids))
                elif kids is not None:
                    stack.append(kids)
    return found


def pictures_drawn(path: Path) -> list[tuple[str, float]]:
    """(marked-content tag, left edge) of every picture drawn, in drawing order."""
    drawn: list[tuple[str, float]] = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            tags: list[str] = []
            x = 0.0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    tags.append(str(operands[0]))
                elif op == "EMC":
                    tags.pop()
                elif op == "cm":  # the picture's move and scale, in one matrix
                    x = float(operands[4])
                elif op == "Do":
                    drawn.append((tags[-1], x))
    return drawn


@pytest.mark.parametrize("lang", LANGUAGES)
def test_easy_read_pdf_is_tagged_like_the_large_print(tmp_path: Path, lang: str) -> None:
    path = saved(tmp_path, lang)
    assert_pdfua(path, heading_rule_may_crash=True)
    info = run("pdfinfo", path)
    assert re.search(r"Tagged:\s+yes", info)
    fonts = run("pdffonts", path).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    leaflet = edition(lang).leaflet
    assert re.search(rf"Title:\s+{re.escape(plain(leaflet.easy_title.markdown))}\n", info)
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert "<pdfuaid:part>1</pdfuaid:part>" in pdf.Root.Metadata.read_bytes().decode()
        bookmarks = [item.title for item in outline.root]
    assert bookmarks[:len(leaflet.questions)] == [
        plain(q.easy_title.markdown) for q in leaflet.questions]
    tags = [tag for tag, _ in struct_elements(path)]
    assert tags[0] == "H1" and tags.count("H1") == 1
    assert tags.count("H2") == len(leaflet.questions) + 2  # questions, contact, hard words
    # every easy-read sentence, heading and hard word is read, in order
    texts = [leaflet.easy_title, leaflet.easy_summary, *(s.text for s in leaflet.easy.intro)]
    for q in leaflet.questions:
        texts += [q.easy_title, *(s.text for s in q.easy_read)]
    texts += [t for e in leaflet.glossary for t in (e.term, e.definition)]
    extracted = reading_order(path)
    at = 0
    for text in texts:
        for word in plain(text.markdown).split():
            found = extracted.find(letters(word), at)
            assert found >= 0, f"{word!r} of {plain(text.markdown)!r} is missing or out of order"
            at = found + len(letters(word))


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_pictures_are_figures_with_alt_or_artifacts_on_the_reading_start_side(
    tmp_path: Path, lang: str
) -> None:
    path = saved(tmp_path, lang)
    leaflet = edition(lang).leaflet
    sentences = [*leaflet.easy.intro, *(s for q in leaflet.questions for s in q.easy_read)]
    described = [s for s in sentences if s.described]
    words = edition(lang).words
    assert figures(path) == [plain(words(PICTOGRAMS[s.picture]).markdown) for s in described]
    drawn = pictures_drawn(path)
    assert len(drawn) == len(sentences)
    assert [tag for tag, _ in drawn].count("/Figure") == len(described)
    assert {tag for tag, _ in drawn} == {"/Figure", "/Artifact"}
    side = PICTURE_EMS * 18
    start = MARGIN if lang == "en-GB" else PAGE_WIDTH - MARGIN - side
    assert {round(x, 2) for _, x in drawn} == {round(start, 2)}
    # every word level with a picture sits beside it, on the other side
    places = []
    with pikepdf.open(path) as pdf:
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "cm":
                moved = (float(operands[4]), float(operands[5]))
            elif str(operator) == "Do":
                places.append(moved)
    bbox = run("pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-")
    words = [tuple(map(float, found)) for found in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)]
    beside = 0
    for x, y in places:
        top, bottom = PAGE_HEIGHT - y - side, PAGE_HEIGHT - y
        for x_min, y_min, x_max, y_max in words:
            if y_min < bottom and y_max > top:
                beside += 1
                if lang == "en-GB":
                    assert x_min >= x + side
                else:
                    assert x_max <= x
    assert beside > 10


@pytest.mark.parametrize("size", [18, 22])
def test_text_is_at_least_the_easy_read_size(tmp_path: Path, size: int) -> None:
    sizes = font_sizes(saved(tmp_path, "en-GB", size))
    assert min(sizes) == size and max(sizes) == size * 1.5


def test_the_pdf_builder_writes_both_editions(tmp_path: Path) -> None:
    out = OutputDir(tmp_path)
    PdfBuilder(Settings()).build(source_edition(), out)
    assert out.written == [tmp_path / pdf_name(source_edition()),
                           tmp_path / easy_pdf_name(source_edition())]
    assert rendered("en-GB") == PdfBuilder(Settings()).render_easy(source_edition())
    with pytest.raises(LeafletsError, match="easy-read print size 12 pt"):
        PdfBuilder(Settings(easy_read_size=12)).render_easy(source_edition())
