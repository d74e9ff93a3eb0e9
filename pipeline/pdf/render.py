"""Drawing paginated blocks with ReportLab: marked content, artifacts, outline, metadata.

Pieces are drawn in logical order at their visual positions, so the content
stream (and with it copy and paste, ``pdftotext`` and the structure tree) reads
in reading order while right-to-left lines look right. Pinned to reportlab==5.1.0:
the few internals used are commented where they are used.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import XMP, PDFDictionary, PDFName, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from ..inline import plain
from ..model import Edition
from .bidi import is_rtl
from .compose import Composer
from .fonts import FontSet
from .layout import PAGE_HEIGHT, PAGE_WIDTH, Block, Geometry, Pages, Placement, paginate
from .tagging import ARTIFACT, EMC, Element, StructureTree, actual_text_span, bdc
from .text import Line, Piece, Segment, make_piece, typeset

FAKE_BOLD_STROKE = 0.035
"""Outline width, in ems, that emboldens a face which has no bold (render mode 2)."""
CONTENTS_AFTER_PAGES = 2


def render(edition: Edition, size: float, fonts: FontSet) -> bytes:
    """The tagged large-print PDF of ``edition``, as bytes."""
    geometry = Geometry(size)
    composer = Composer(edition, fonts, geometry)
    blocks = composer.compose(with_contents=False)
    pages = paginate(blocks, geometry)
    if len(pages.pages) > CONTENTS_AFTER_PAGES:
        composer = Composer(edition, fonts, geometry)
        blocks = composer.compose(with_contents=True)
        pages = paginate(blocks, geometry)
    return Painter(edition, fonts, geometry, composer.tree, pages).paint()


class Painter:
    """Draws one edition's pages onto a ReportLab canvas and finishes the document."""

    def __init__(
        self,
        edition: Edition,
        fonts: FontSet,
        geometry: Geometry,
        tree: StructureTree,
        pages: Pages,
    ) -> None:
        self.edition = edition
        self.fonts = fonts
        self.geometry = geometry
        self.tree = tree
        self.pages = pages
        self.buffer = io.BytesIO()
        self.bookmarks: list[str] = []
        self.canvas = Canvas(
            self.buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            invariant=1,
            pageCompression=1,
            lang=edition.lang,
            initialFontName=fonts.family("latin").regular.name,  # no base-14 font left behind
        )

    def paint(self) -> bytes:
        canvas = self.canvas
        leaflet = self.edition.leaflet
        canvas.setTitle(plain(leaflet.title.markdown))
        canvas.setAuthor(plain(leaflet.organisation.markdown))
        canvas.setSubject(plain(leaflet.summary.markdown))
        canvas.setCreator("leaflets")
        page_refs: list[PDFObjectReference] = []
        for index, placements in enumerate(self.pages.pages):
            page_refs.append(canvas._doc.thisPageRef())
            canvas.setLineWidth(self.geometry.size * FAKE_BOLD_STROKE)
            for placement in placements:
                self.placement(index, placement)
            self.footer(index + 1, len(self.pages.pages))
            canvas.showPage()
            # ReportLab 5.1's PDFPage knows no /StructParents or /Tabs: extend its key list.
            page = canvas._doc.Pages.pages[-1]
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = index
            page.Tabs = PDFName("S")
        self.finish(page_refs)
        canvas.save()
        return self.buffer.getvalue()

    def placement(self, page: int, placement: Placement) -> None:
        block = placement.block
        canvas = self.canvas
        top = placement.top
        if placement.first == 0 and block.bookmark:
            key = f"b{len(self.bookmarks)}"
            self.bookmarks.append(key)
            canvas.bookmarkPage(key, fit="XYZ", left=0, top=top + block.size, zoom=0)
            canvas.addOutlineEntry(block.bookmark, key, level=0)
        if placement.first == 0 and block.label is not None:
            line, element = block.label
            with self.writer(element, page) as writer:
                writer.line(line, self.start_x(block, line.width, gutter=True), top - block.ascent)
        with self.writer(block.element, page) as writer:
            for n in range(placement.first, placement.stop):
                line = block.lines[n]
                baseline = top - block.ascent - (n - placement.first) * block.line_height
                writer.line(line, self.start_x(block, line.width), baseline)
                if block.page_of is not None and n == len(block.lines) - 1:
                    writer.line(*self.page_number(block, baseline))

    @contextmanager
    def writer(self, element: Element | None, page: int) -> Iterator[_Writer]:
        """One text object for ``element``'s lines on ``page`` (an artifact when None)."""
        writer = _Writer(self.canvas.beginText(), self.tree, element, page)
        yield writer
        writer.close()
        self.canvas.drawText(writer.text)

    def start_x(self, block: Block, width: float, gutter: bool = False) -> float:
        """Left edge of a line: ragged right, or right aligned for right-to-left text."""
        g = self.geometry
        if gutter:  # the label sits in the indent, on the start side of the edition
            return g.left + g.measure - width if block.right_to_left else g.left
        if block.right_to_left:
            return g.left + g.measure - block.indent - width
        return g.left + block.indent

    def page_number(self, block: Block, baseline: float) -> tuple[Line, float, float]:
        """The page a contents entry points to, at the end side, after a space."""
        assert block.page_of is not None
        number = str(self.pages.page_of(block.page_of))
        lang = self.edition.lang
        digits = typeset([Segment(number, False, lang)], 0, self.fonts, block.size, 1e9)[0]
        space = make_piece(" ", digits.pieces[0].face, block.size, 0, lang)
        line = Line((space, *digits.pieces), (-space.width, *digits.xs), digits.width)
        g = self.geometry
        x = g.left if block.right_to_left else g.left + g.measure - line.width
        return line, x, baseline

    def footer(self, page: int, pages: int) -> None:
        words = self.edition.words("Page %(page)s of %(pages)s", page=page, pages=pages)
        rtl = is_rtl(words.lang)
        segments = [Segment(words.markdown, False, words.lang)]
        line = typeset(segments, 1 if rtl else 0, self.fonts, self.geometry.size, 1e9)[0]
        g = self.geometry
        x = g.left + g.measure - line.width if is_rtl(self.edition.lang) else g.left
        self.canvas.addLiteral(ARTIFACT)
        with self.writer(None, page) as writer:
            writer.line(line, x, g.footer_baseline)
        self.canvas.addLiteral(EMC)

    def finish(self, page_refs: list[PDFObjectReference]) -> None:
        """Catalog entries of a tagged PDF: structure tree, MarkInfo, XMP, DisplayDocTitle."""
        canvas = self.canvas
        doc = canvas._doc
        catalog = doc.Catalog
        catalog.StructTreeRoot = self.tree.write(doc, page_refs)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Metadata = XMP(creator=lambda _doc: self.xmp())
        catalog.PageMode = PDFName("UseOutlines")
        canvas.setViewerPreference("DisplayDocTitle", "true")

    def xmp(self) -> bytes:
        leaflet = self.edition.leaflet
        title = escape(plain(leaflet.title.markdown))
        author = escape(plain(leaflet.organisation.markdown))
        lang = escape(self.edition.lang)
        return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<dc:format>application/pdf</dc:format>
<pdf:Producer>ReportLab PDF Library - www.reportlab.com</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


class _Writer:
    """Writes lines into one text object, marked for one element.

    Pieces are drawn in logical order, each at its visual position. Runs whose
    glyphs do not spell their text go in a child /Span with its own MCID and
    /ActualText (poppler 22.12 drops the text after a nested EMC, so spans are
    siblings of the element's own marked content, never nested in it).
    """

    def __init__(
        self, text: PDFTextObject, tree: StructureTree, element: Element | None, page: int
    ) -> None:
        self.text = text
        self.tree = tree
        self.element = element
        self.page = page
        self.font: tuple[str, float] | None = None
        self.mode = 0
        self.open = False

    def line(self, line: Line, x: float, baseline: float) -> None:
        for group, actual in _groups(line):
            if actual:
                self.close()
                spoken = "".join(p.text for p, _ in group)
                mcid = None
                if self.element is not None:
                    mcid = self.tree.mark(self.element.add("Span"), self.page)
                _literal(self.text, actual_text_span(spoken, mcid))
            elif self.element is not None and not self.open:
                mcid = self.tree.mark(self.element, self.page)
                _literal(self.text, bdc(self.element.tag, mcid))
                self.open = True
            for piece, dx in _runs(group) if not actual else group:
                if not (actual and piece.is_space):  # the span's ActualText holds the space
                    self.draw(piece, x + dx, baseline)
            if actual:
                _literal(self.text, EMC)

    def close(self) -> None:
        if self.open:
            _literal(self.text, EMC)
            self.open = False

    def draw(self, piece: Piece, x: float, y: float) -> None:
        text = self.text
        text.setTextOrigin(x, y)
        if self.font != (piece.face.name, piece.size):
            self.font = (piece.face.name, piece.size)
            text.setFont(*self.font)
        mode = 2 if piece.face.fake_bold and not piece.is_space else 0
        if mode != self.mode:
            text.setTextRenderMode(mode)
            self.mode = mode
        text.textOut(piece.glyphs)


def _groups(line: Line) -> list[tuple[list[tuple[Piece, float]], bool]]:
    """Words whose glyphs need ActualText (each with its following space), and the rest.

    One span per word keeps each word's box right for text selection and
    ``pdftotext -bbox`` (poppler boxes a span from its first glyph to its last
    drawn), so the space after the word is spoken by the span but not drawn.
    """
    groups: list[tuple[list[tuple[Piece, float]], bool]] = []
    for piece, dx in zip(line.pieces, line.xs, strict=True):
        actual = piece.needs_actual_text
        last = groups[-1] if groups else None
        if last and last[1] and piece.is_space and not last[0][-1][0].is_space:
            last[0].append((piece, dx))  # the space after a word ends the word's span
        elif last and last[1] == actual and not (actual and last[0][-1][0].is_space):
            last[0].append((piece, dx))
        else:
            groups.append(([(piece, dx)], actual))
    return groups


def _runs(group: list[tuple[Piece, float]]) -> list[tuple[Piece, float]]:
    """Join neighbouring left-to-right pieces of one face into one string (fewer operators)."""
    out: list[tuple[Piece, float]] = []
    for piece, dx in group:
        if out:
            last, x = out[-1]
            if (
                last.face is piece.face
                and last.size == piece.size
                and last.level % 2 == 0 == piece.level % 2
                and abs(x + last.width - dx) < 0.01
            ):
                joined = replace(
                    last,
                    text=last.text + piece.text,
                    glyphs=last.glyphs + piece.glyphs,
                    width=last.width + piece.width,
                )
                out[-1] = (joined, x)
                continue
        out.append((piece, dx))
    return out


def _literal(text: PDFTextObject, operator: str) -> None:
    # ReportLab 5.1: a text object's operators are kept in _code; marked content may
    # nest inside BT/ET, which keeps a whole line in one text object.
    text._code.append(operator)
