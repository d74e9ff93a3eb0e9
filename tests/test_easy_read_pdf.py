"""The printed easy-read edition, checked in the real file with poppler, pikepdf and pdfua."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from pdf_samples import SHIPPED, shipped_edition, source_edition
from test_pdf import (
    assert_pdfua,
    assert_read_in_order,
    font_sizes,
    letters,
    run,
    struct_elements,
)

from pipeline.builders.base import OutputDir, Settings
from pipeline.errors import LeafletsError
from pipeline.inline import plain
from pipeline.layout import easy_pdf_name, pdf_name
from pipeline.model import EasySentence, Edition
from pipeline.pdf import PdfBuilder
from pipeline.pdf.easyread import GAP_EMS, PICTURE_SIDE
from pipeline.pdf.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from pipeline.pictograms import PICTOGRAMS

pytestmark = pytest.mark.slow
LANGUAGES = ("en-GB", *SHIPPED)
MM = 72 / 25.4
"""Points in a millimetre."""


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


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def matrix(values: Iterable[object]) -> Matrix:
    """Six numbers of a PDF operand list or array as a matrix."""
    a, b, c, d, e, f = (float(str(v)) for v in values)
    return a, b, c, d, e, f


def then(first: Matrix, second: Matrix) -> Matrix:
    """The transformation ``first`` followed by ``second`` (PDF matrices, row vectors)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = second
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class Picture:
    """A picture as printed: its page (from 0), its marked-content tag and its box, in
    points from the top left corner of the page (as MuPDF measures words)."""

    page: int
    tag: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def pictures_drawn(path: Path) -> list[Picture]:
    """Every picture drawn, in drawing order: each form's bounding box carried through the
    transformations in force where it is drawn."""
    drawn: list[Picture] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            tags: list[str] = []
            saved: list[Matrix] = []
            ctm = IDENTITY
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    tags.append(str(operands[0]))
                elif op == "EMC":
                    tags.pop()
                elif op == "q":
                    saved.append(ctm)
                elif op == "Q":
                    ctm = saved.pop()
                elif op == "cm":
                    ctm = then(matrix(operands), ctm)
                elif op == "Do":
                    form = page.Resources.XObject[operands[0]]
                    x0, y0, x1, y1 = (float(v) for v in form.BBox)
                    a, b, c, d, e, f = then(matrix(form.get("/Matrix", IDENTITY)), ctm)
                    xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
                    ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
                    drawn.append(Picture(number, tags[-1], min(xs), PAGE_HEIGHT - max(ys),
                                         max(xs), PAGE_HEIGHT - min(ys)))
    return drawn


Word = tuple[float, float, float, float, str]
"""A printed word: left, top, right, bottom (points from the page's top left), text."""


def words_on(path: Path) -> list[list[Word]]:
    """Each page's words, as MuPDF finds them."""
    with pymupdf.open(path) as document:
        return [[(x0, y0, x1, y1, word) for x0, y0, x1, y1, word, *_ in page.get_text("words")]
                for page in document]


def beside(picture: Picture, words: list[Word]) -> list[list[Word]]:
    """The lines of words level with ``picture`` (a word's middle within its height), from
    the top: words whose middles are within 12 pt share a line."""
    level = sorted(w for w in words if picture.top < (w[1] + w[3]) / 2 < picture.bottom)
    lines: list[list[Word]] = []
    for word in sorted(level, key=lambda w: (w[1] + w[3]) / 2):
        middle = (word[1] + word[3]) / 2
        if lines and middle - (lines[-1][0][1] + lines[-1][0][3]) / 2 < 12:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


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
    assert_read_in_order(path, texts)


def sentences_of(lang: str) -> list[EasySentence]:
    leaflet = edition(lang).leaflet
    return [*leaflet.easy.intro, *(s for q in leaflet.questions for s in q.easy_read)]


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_pictures_are_figures_with_alt_or_artifacts_on_the_reading_start_side(
    tmp_path: Path, lang: str
) -> None:
    path = saved(tmp_path, lang)
    sentences = sentences_of(lang)
    described = [s for s in sentences if s.described]
    words = edition(lang).words
    assert figures(path) == [plain(words(PICTOGRAMS[s.picture]).markdown) for s in described]
    drawn = pictures_drawn(path)
    assert len(drawn) == len(sentences)
    assert [p.tag for p in drawn].count("/Figure") == len(described)
    assert {p.tag for p in drawn} == {"/Figure", "/Artifact"}
    start = MARGIN if lang == "en-GB" else PAGE_WIDTH - MARGIN - PICTURE_SIDE
    assert {round(p.left, 2) for p in drawn} == {round(start, 2)}
    # every word level with a picture sits beside it, on the other side, a gap away
    pages = words_on(path)
    gap = GAP_EMS * 18 - 0.5
    count = 0
    for picture in drawn:
        for line in beside(picture, pages[picture.page]):
            for x_min, _, x_max, _, _ in line:
                count += 1
                if lang == "en-GB":
                    assert x_min >= picture.right + gap
                else:
                    assert x_max <= picture.left - gap
    assert count > 5 * len(drawn)  # easy-read sentences: some 8 words each


@pytest.mark.parametrize("lang", ["en-GB", "cy", "pl", "ar"])
def test_pictures_are_big_with_their_whole_sentence_beside_them_in_a_wide_column(
    tmp_path: Path, lang: str
) -> None:
    """Pictures 3.5 to 5 cm across (the easy-read guidance), far taller than a line of the
    words; each sentence whole on its picture's page, level with its middle; and the words
    in a column wide enough that a line holds a phrase, not two words (Welsh and Polish
    sentences are the longest)."""
    path = saved(tmp_path, lang)
    drawn = pictures_drawn(path)
    line_height = 18 * 1.5
    for picture in drawn:
        width, height = picture.right - picture.left, picture.bottom - picture.top
        assert round(width, 2) == round(height, 2) == round(PICTURE_SIDE, 2)
        assert 38 * MM <= width <= 50 * MM, f"{width / MM:.1f} mm"
        assert height >= 4 * line_height
    pages = words_on(path)
    wrapped = []
    for picture, sentence in zip(drawn, sentences_of(lang), strict=True):
        lines = beside(picture, pages[picture.page])
        printed = [w[4] for line in lines for w in line]
        assert Counter(letters(" ".join(printed))) == Counter(
            letters(plain(sentence.text.markdown))), f"{printed} beside {sentence.picture}"
        top, bottom = min(w[1] for w in lines[0]), max(w[3] for w in lines[-1])
        # level with its middle (glyph boxes differ a little by script: under a fifth of a line)
        assert abs((top + bottom) / 2 - picture.middle) < 5, (printed, top, bottom, picture)
        for line in lines[:-1]:  # the lines that wrap: as wide as the column allows
            wrapped.append(max(w[2] for w in line) - min(w[0] for w in line))
    assert wrapped, "no sentence wraps: the test measures nothing"
    # 13 ems (some 28 letters, a phrase a line): the column is 21 ems, less a long word that
    # wraps; pictures so big that the column shrank to 18 ems would leave lines shorter
    assert min(wrapped) >= 13 * 18, f"{min(wrapped) / 18:.1f} ems"


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
