"""The large-print PDF's text as four independent PDF readers extract it, in every language.

Each reader must give every heading, paragraph and list item as the translation reads
(Unicode NFC, white space folded, page furniture apart), in reading order. Where a
reader cannot be satisfied, :data:`EXCEPTIONS` names it, the languages and the reason,
and a weaker check still holds: the letters (and marks and digits) of every text, in
order; for pdf.js, all of every text, its combining marks apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pymupdf
import pytest
from pdf_readers import READERS, folded, missing_in_order, read_pages
from pdf_samples import SHIPPED, shipped_edition

from pipeline.builders.base import Settings
from pipeline.inline import on_paper
from pipeline.model import Edition, block_texts
from pipeline.pdf import PdfBuilder

pytestmark = pytest.mark.slow

LANGUAGES = ("en-GB", *SHIPPED)
RIGHT_TO_LEFT = ("ar", "ur")

EXCEPTIONS: dict[tuple[str, str], str] = {
    **{("poppler", lang): (
        "pdftotext orders the words of a line by where they stand: in right-to-left text a "
        "colon, comma or bracket beside an English word or a number is put on the word's "
        "other side, and the space between them is lost (the page footer '16 میں سے صفحہ 1' "
        "comes out as RLE LRE ' 16' PDF 'میں سے صفحہ' LRE '1' PDF PDF: shown with its marks "
        "it reads right, but without them the space after 16 is gone)") for lang in RIGHT_TO_LEFT},
    **{("mupdf", lang): (
        "MuPDF adds a space where a right-to-left line changes direction (before the colon "
        "or comma after an English word, or after a number), since the next character is "
        "drawn away from the last, and may break the line there (the footer '16' / ' میں سے "
        "صفحہ 1')") for lang in RIGHT_TO_LEFT},
    **{("pdf.js", lang): (
        "pdf.js 6 sets a combining mark (a vowel sign, shadda, tanween) before its letter: "
        "each right-to-left glyph drawn in logical order starts a text item of its own, a mark "
        "joins the item of its letter, and the item is turned round as right-to-left text "
        "(its spaces, lost before right-to-left words were drawn with text.RTL_SPACE, must all "
        "be there)") for lang in RIGHT_TO_LEFT},
    **{("pdfium", lang): (
        "PDFium orders a line's characters by where they stand, left to right, and breaks "
        "words where glyphs overlap: right-to-left text comes out in visual order, so only "
        "that no letter is lost can be checked") for lang in RIGHT_TO_LEFT},
}
"""(reader, language) -> why that reader cannot give the text exactly as written.

The PDF is not the cause: it draws each line's pieces in logical order, each at its
place on the line. Its structure tree's text (what a screen reader reads) is checked
exactly in every language ("poppler-struct"); every reader but PDFium gives each page's
footer (an artifact, outside the tree) with its letters and digits in logical order
(:func:`letters_apart_from_furniture`; pdf.js: as a line of its own, marks apart); and
``test_pdf.py`` checks that the footer's words stand where the Unicode bidirectional
algorithm puts them."""


def texts(edition: Edition) -> list[str]:
    """The headings, paragraphs and list items the PDF prints, in reading order, as printed
    (a link's address after its text)."""
    leaflet = edition.leaflet
    found = [leaflet.title, leaflet.summary, leaflet.organisation]
    found += [t for b in leaflet.intro for t in block_texts(b)]
    for question in leaflet.questions:
        found.append(question.heading)
        found += [t for b in question.blocks for t in block_texts(b)]
    found += [entry.definition for entry in leaflet.glossary]
    return ["".join(s.text for s in on_paper(t.markdown)) for t in found]


@cache
def rendered(lang: str, folder: Path) -> Path:
    edition = shipped_edition(lang)
    path = folder / f"{lang}.pdf"
    path.write_bytes(PdfBuilder(Settings()).render(edition))
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readers")


def footer(edition: Edition, page: int, pages: int) -> str:
    """The footer printed on ``page``."""
    return edition.words("Page %(page)s of %(pages)s", page=page, pages=pages).markdown


def furniture(edition: Edition, pages: int) -> list[str]:
    """What the PDF prints as page furniture (artifacts): footers, a repeated heading."""
    return [footer(edition, n, pages) for n in range(1, pages + 1)] + [
        edition.words("Contents (continued)").markdown]


TWO_WORDS = re.compile("[\u0600-\u06ff]+ [\u0600-\u06ff]+")
"""Two words in Arabic script, a space between."""
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def without_marks(text: str) -> str:
    """``text`` without its combining marks."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "M")


def letters(text: str, arabic_only: bool = False) -> str:
    """The letters, marks and digits of ``text`` (NFC), or only its Arabic-script letters."""
    if arabic_only:
        return "".join(c for c in folded(text)
                       if ARABIC_SCRIPT.match(c) and unicodedata.category(c)[0] == "L")
    return "".join(c for c in folded(text) if unicodedata.category(c)[0] in "LMN")


def letters_apart_from_furniture(pages: list[str], edition: Edition, reader: str) -> str:
    """The letters (marks and digits) of every page, each page's footer taken out and a
    repeated contents heading too.

    A footer is found by its letters, digits included, in logical order: a reader that
    breaks the footer's line where it changes direction, or loses its spaces, still gives
    them so, and one that gave the page numbers in the wrong place fails here.
    """
    again = letters(edition.words("Contents (continued)").markdown)
    found = []
    for n, page in enumerate(pages, start=1):
        stream = letters(page)
        printed = letters(footer(edition, n, len(pages)))
        at = stream.rfind(printed)
        assert at >= 0, f"{reader} ({edition.lang}): page {n} has no footer {printed!r}"
        found.append((stream[:at] + stream[at + len(printed):]).replace(again, "", 1))
    return "".join(found)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reader_extracts_the_text_as_written(folder: Path, lang: str, reader: str) -> None:
    edition = shipped_edition(lang)
    pages = read_pages(rendered(lang, folder), reader)
    expected = texts(edition)
    assert len(expected) > 40
    reason = EXCEPTIONS.get((reader, lang))
    if reason is None or reader == "pdf.js":  # pdf.js: the text as written, marks apart
        apart = without_marks if reason else str
        pages = [apart(page) for page in pages]
        for n, page in enumerate(pages if reason else (), start=1):
            printed = folded(apart(footer(edition, n, len(pages))))
            assert printed in map(folded, page.splitlines()), f"{reader} ({lang}): page {n} " \
                f"has no footer {printed!r}"
        missing = missing_in_order("\n".join(pages), list(map(apart, expected)),
                                   list(map(apart, furniture(edition, len(pages)))))
        assert missing == [], f"{reader} ({lang}): {len(missing)} of {len(expected)} texts " \
            f"not as written, first: {missing[:1]}"
        return
    # The named exception: the letters of every text still read in order; for PDFium, no
    # Arabic-script letter is lost.
    if reader == "pdfium":
        stream = letters("\n".join(pages), arabic_only=True)
        wanted = Counter(letters(" ".join(expected), arabic_only=True))
        assert not wanted - Counter(stream), f"{reader} ({lang}, {reason}): letters lost"
        return
    stream = letters(letters_apart_from_furniture(pages, edition, reader))
    at = 0
    for text in expected:
        wanted = letters(text)
        found = stream.find(wanted, at)
        assert found >= 0, f"{reader} ({lang}, {reason}): the letters of {text!r}"
        at = found + len(wanted)


@pytest.mark.parametrize("reader", ["poppler", "mupdf"])
@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_spaces_between_right_to_left_words_read_as_spaces(
    folder: Path, lang: str, reader: str
) -> None:
    """A space between right-to-left words also reads as a right-to-left mark, for pdf.js
    (``text.RTL_SPACE``); its /ActualText hides the mark from the readers that take it, so
    their text, and a search for two words, has a plain space there."""
    path = rendered(lang, folder)
    pages = read_pages(path, reader)
    assert "\u200f" not in "".join(pages), f"{reader} ({lang}): a right-to-left mark"
    assert sum(page.count(" ") for page in pages) > 500
    if reader == "mupdf":  # SumatraPDF's search
        two = next(m[0] for t in texts(shipped_edition(lang)) for m in [TWO_WORDS.search(t)] if m)
        with pymupdf.open(path) as document:
            assert any(page.search_for(two) for page in document), f"{two!r} not found"
