"""The printed easy-read edition: ``<leaflet>.<lang>.easy-read.pdf``.

A4, one idea a line: each easy-read sentence on its own row with its picture on
the reading-start side (the right in right-to-left languages), body text at the
``easy-read-size`` setting (18 pt by default), lots of space, the easy title and
headings, the contact details and the hard words at the end. It is made and
tagged by the large print's own machinery (composer, typesetter, pagination,
painter, structure tree): a picture that adds to its sentence is a /Figure with
its description as /Alt, one that repeats its sentence is an artifact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.units import mm

from ..errors import LeafletsError
from ..inline import plain
from ..model import EasySentence, Edition, Text
from ..notices import other_formats
from ..pictograms import PICTOGRAMS
from .compose import H2_SCALE, Composer
from .fonts import FontSet
from .layout import Block, Geometry, Placement, paginate
from .render import PageStart, Painter, binary_streams, spelled_fonts, starts_of
from .tagging import EMC, LAYOUT, Element, bdc
from .text import Line, Typesetter

PICTURE_SIDE = 40 * mm
"""The side of a picture, in points: 40 mm, whatever the text size.

Easy-read guidance wants a clear picture beside every idea, as big as the page allows
(Department of Health, "Making written information easier to understand for people with
learning disabilities", 2010; Mencap, "Am I making myself clear?"; Inclusion Europe,
"Information for all"); printed easy-read documents use pictures of about 3.5 to 5 cm on
A4. The reader, who may also see poorly, must make the picture out at arm's length, so its
size is physical, not in ems: at 40 mm a symbol's details (a face, a hand, a phone) are
several millimetres across, and the picture stands over four lines of 18 pt text tall,
clearly bigger than its words. Not more, because the words need room too: beside 40 mm
the column is still 134 mm (21 ems of 18 pt, some 40 letters), so a 15-word sentence
takes two or three lines, and the same guidance wants a short document (no more than
about 20 pages): the sample leaflet goes from 15 pages (22 mm pictures) to 19, and at
45 mm it would take 22."""
GAP_EMS = 1.0
"""Space between a picture and its sentence, in ems."""
EASY_READ_SIZES = range(16, 29)
CREDIT = "Mulberry Symbols © Steve Lee, OpenMoji"
LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"


@dataclass(eq=False)
class PictureRow(Block):
    """A sentence's lines beside its picture; never split across pages."""

    picture: str = ""
    figure: Element | None = None
    """The /Figure of a picture that adds to its sentence; None for decoration."""
    side: float = 0.0
    """The picture's width and height, in points."""


def render_easy(edition: Edition, size: int, fonts: FontSet) -> bytes:
    """The tagged easy-read PDF of ``edition`` at body size ``size``, as bytes."""
    if size not in EASY_READ_SIZES:
        raise LeafletsError(f"easy-read print size {size} pt is not allowed",
                            hint="use 16 to 28 (easy-read-size)")
    geometry = Geometry(size)
    typesetter = Typesetter(fonts)
    composer = EasyComposer(edition, typesetter, geometry)
    pages = paginate(composer.compose_easy(), geometry)
    leaflet = edition.leaflet
    titled = replace(edition, leaflet=replace(leaflet, title=leaflet.easy_title,
                                              summary=leaflet.easy_summary))
    with binary_streams(), spelled_fonts():
        return EasyPainter(titled, typesetter, geometry, composer.tree, pages).paint()


def easy_page_starts(edition: Edition, size: int, fonts: FontSet) -> list[PageStart]:
    """How each page of the easy-read PDF begins (see :func:`~.render.page_starts`)."""
    geometry = Geometry(size)
    composer = EasyComposer(edition, Typesetter(fonts), geometry)
    return starts_of(paginate(composer.compose_easy(), geometry), composer.contents)


class EasyComposer(Composer):
    """The easy-read blocks: easy title and summary, the introduction's and each
    question's sentences with their pictures, contact details, hard words, credits."""

    def compose_easy(self) -> list[Block]:
        leaflet = self.edition.leaflet
        words = self.edition.words
        root = self.tree.root
        self.front(leaflet.easy_title, leaflet.easy_summary)
        self.sentences(leaflet.easy.intro)
        for question in leaflet.questions:
            self.heading(question.easy_title, "H2", H2_SCALE)
            if question.easy_read:
                self.sentences(question.easy_read)
            else:
                self.blocks_of(question.blocks, root)
        details = self.contact_details()
        if details:
            self.heading(words("Contact"), "H2", H2_SCALE)
            self.paragraph(other_formats(words), root)
            lst = root.add("L")
            for label, value, base in details:
                self.labelled(lst, label, value, base)
        if leaflet.glossary:
            self.heading(words("Hard words"), "H2", H2_SCALE)
            terms = root.add("L")
            for entry in leaflet.glossary:
                self.labelled(terms, entry.term, self.segments(entry.definition), base=None)
        credit = words("Pictures: %(sets)s.", sets=CREDIT)
        self.paragraph(Text(f"{credit.markdown} [CC BY-SA 4.0]({LICENCE})", credit.lang), root)
        return self.blocks

    def sentences(self, sentences: tuple[EasySentence, ...]) -> None:
        """One row per sentence, its picture in the start-side indent, the two centred on
        each other: a blank line of the right height above and below the shorter text."""
        side = PICTURE_SIDE
        for sentence in sentences:
            figure = None
            if sentence.described:
                alt = self.edition.words(PICTOGRAMS[sentence.picture])
                figure = self.tree.root.add("Figure", self.lang_of(alt), alt=plain(alt.markdown))
            element = self.tree.root.add("P", self.lang_of(sentence.text))
            block = self.make_block(self.segments(sentence.text), element,
                                    indent=side + GAP_EMS * self.size, space_before=0.75)
            pad = max(0.0, side - block.height) / 2
            blank = Line((), (), 0.0)
            values: dict[str, Any] = {f.name: getattr(block, f.name) for f in fields(Block)}
            values["lines"] = [blank, *block.lines, blank]
            values["slots"] = ((pad, 0.0), *(block.slot(n) for n in range(len(block.lines))),
                               (pad, 0.0))
            values["keep_together"] = True
            self.blocks.append(PictureRow(**values, picture=sentence.picture, figure=figure,
                                          side=side))


class EasyPainter(Painter):
    """The large print's painter, drawing each row's picture before its sentence. Each
    picture is drawn once into a form (a PDF XObject) and placed from there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forms: set[str] = set()

    def placement(self, page: int, placement: Placement) -> None:
        block = placement.block
        if isinstance(block, PictureRow) and placement.first == 0:
            self.picture(page, block, placement.top)
        super().placement(page, placement)

    def picture(self, page: int, row: PictureRow, top: float) -> None:
        g = self.geometry
        x = g.left + g.measure - row.side if row.right_to_left else g.left
        drawing = _drawing(row.picture)
        scale = row.side / max(drawing.width, drawing.height)
        canvas = self.canvas
        name = f"picture-{row.picture}"
        if name not in self.forms:
            canvas.beginForm(name, 0, 0, drawing.width, drawing.height)
            # the drawing would set Helvetica (not embedded) though it draws no text
            drawing.initialFontName = canvas._fontname
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.endForm()
            self.forms.add(name)
        if row.figure is None:
            canvas.addLiteral(LAYOUT)
        else:
            canvas.addLiteral(bdc("Figure", self.tree.mark(row.figure, page)))
        canvas.saveState()
        canvas.translate(x, top - (row.height + row.side) / 2)  # level with the words
        canvas.scale(scale, scale)
        canvas.doForm(name)
        canvas.restoreState()
        canvas.addLiteral(EMC)


@lru_cache(maxsize=128)
def _drawing(key: str) -> Any:
    """The picture ``key`` as a ReportLab drawing (vector, from its SVG)."""
    from svglib.svglib import svg2rlg

    path = files("pipeline") / "pictures" / f"{key}.svg"
    logging.getLogger("svglib").setLevel(logging.ERROR)  # it notes attributes it skips
    drawing = svg2rlg(str(path))
    if drawing is None:
        raise LeafletsError(f"the picture {key!r} cannot be drawn", str(path),
                            hint="check the SVG file (see CREDITS.md there)")
    return drawing
