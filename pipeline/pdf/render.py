"""Drawing paginated blocks with ReportLab: marked content, artifacts, outline, metadata.

Pieces are drawn in logical order at their visual positions, so the content
stream (and with it copy and paste, ``pdftotext`` and the structure tree) reads
in reading order while right-to-left lines look right. A space between right-to-left
words reads as more than white space, or pdf.js would drop it (:data:`.text.RTL_SPACE`);
drawn in visual order instead, the structure tree, MuPDF and pdf.js lose the order.
Pinned to reportlab==5.1.0: the few internals used are commented where they are used.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import XMP, PDFDictionary, PDFDocument, PDFName, PDFObjectReference
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..inline import plain
from ..model import Edition
from .bidi import is_rtl
from .compose import Composer
from .fonts import FontSet
from .layout import PAGE_HEIGHT, PAGE_WIDTH, Block, Geometry, Pages, Placement, paginate
from .spelling import draw_outline, spelled_fonts
from .tables import Row
from .tagging import (
    ARTIFACT,
    EMC,
    HEADER,
    LAYOUT,
    Element,
    StructureTree,
    bdc,
    goto_annotation,
    link_annotation,
)
from .text import Line, Move, Piece, Segment, Typesetter

INVISIBLE = 3
"""Text render mode of glyphs that are read but not seen."""
FAKE_BOLD_STROKE = 0.035
"""Outline width, in ems, that emboldens a face which has no bold (render mode 2)."""
CONTENTS_AFTER_PAGES = 2
PDF_VERSION = (1, 7)
UNDATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The date of a leaflet that has none (ReportLab's own invariant date)."""


def timestamp(date: str) -> dt.datetime:
    """The document's creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
    else the leaflet's date at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    try:
        return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), dt.UTC)
    except ValueError:
        return UNDATED


def render(edition: Edition, size: float, fonts: FontSet) -> bytes:
    """The tagged large-print PDF of ``edition``, as bytes."""
    typesetter, geometry, composer, pages = _laid_out(edition, size, fonts)
    with binary_streams(), spelled_fonts():
        return Painter(edition, typesetter, geometry, composer.tree, pages).paint()


@dataclass(frozen=True)
class Opening:
    """A block on a page: its first line, and its lines on earlier pages (empty when it
    starts on this page), as text."""

    first: str
    before: str = ""


@dataclass(frozen=True)
class PageStart:
    """How a page begins: in the contents list, or at the first of ``openings`` (the
    body's blocks on the page, in reading order, page furniture left out)."""

    openings: tuple[Opening, ...]
    contents: bool = False


def page_starts(edition: Edition, size: float, fonts: FontSet) -> list[PageStart]:
    """How each page of the large-print PDF begins; laid out, not painted: how an
    e-book's page list finds where each page of this PDF begins."""
    _, _, composer, pages = _laid_out(edition, size, fonts)
    return starts_of(pages, composer.contents)


def starts_of(pages: Pages, contents: Collection[Block]) -> list[PageStart]:
    """How each of ``pages`` begins, ``contents`` being the contents list's blocks."""
    out = []
    for page in pages.pages:
        body = [p for p in page if not p.artifact and p.block.lines]
        openings = tuple(
            Opening(p.block.said) if isinstance(p.block, Row) else
            Opening(next((t for t in map(_line_text, p.block.lines) if t.strip()), ""),
                    "".join(map(_line_text, p.block.lines[:p.first])))
            for p in body if p.block not in contents)
        out.append(PageStart(openings, bool(body) and body[0].block in contents))
    return out


def _line_text(line: Line) -> str:
    return "".join(piece.text for piece in line.pieces)


def _laid_out(edition: Edition, size: float, fonts: FontSet
              ) -> tuple[Typesetter, Geometry, Composer, Pages]:
    geometry = Geometry(size)
    typesetter = Typesetter(fonts)
    composer = Composer(edition, typesetter, geometry)
    blocks = composer.compose(with_contents=True)
    # A contents list only for what runs past a few pages without one.
    body = [b for b in blocks if b not in composer.contents]
    if len(paginate(body, geometry).pages) <= CONTENTS_AFTER_PAGES:
        composer = Composer(edition, typesetter, geometry)
        blocks = composer.compose(with_contents=False)
    return typesetter, geometry, composer, paginate(blocks, geometry)


@contextmanager
def binary_streams() -> Iterator[None]:
    """Compressed streams written as binary, not also ASCII85-encoded (ReportLab's
    default, done in pure Python: a quarter bigger and slower, for 7-bit transports)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


class Painter:
    """Draws one edition's pages onto a ReportLab canvas and finishes the document."""

    def __init__(
        self,
        edition: Edition,
        typesetter: Typesetter,
        geometry: Geometry,
        tree: StructureTree,
        pages: Pages,
    ) -> None:
        self.edition = edition
        self.typesetter = typesetter
        self.geometry = geometry
        self.tree = tree
        self.pages = pages
        self.buffer = io.BytesIO()
        self.keys = {
            id(placement.block): f"b{n}"
            for n, placement in enumerate(
                p for page in pages.pages for p in page if p.first == 0 and p.block.bookmark)
        }
        """The named destination of each heading with a bookmark, by id of its block."""
        self.links: dict[int, tuple[str, Element]] = {}
        """The link each element's text is inside, by id of the element (see _Writer)."""
        self.parts: dict[int, tuple[str, Element]] = {}
        """Per element (by id), the language and /Span of the part in another language its
        last line ended in: a part that goes on on the next line, or page, is the same."""
        self.canvas = Canvas(
            self.buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            invariant=1,
            pageCompression=1,
            lang=edition.lang,
            # no base-14 font left behind
            initialFontName=typesetter.fonts.runs("a")[0][1].regular.name,
            pdfVersion=PDF_VERSION,  # PDF/UA-1 is built on PDF 1.7
        )
        self.stamp = timestamp(edition.leaflet.date)
        self.canvas.setDateFormatter(lambda *_: self.stamp.strftime("D:%Y%m%d%H%M%S+00'00'"))
        self.encoder = _Encoder(self.canvas._doc)

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
        if isinstance(block, Row):
            self.row(page, placement)
            return
        canvas = self.canvas
        top = placement.top
        if placement.first == 0 and block.bookmark:
            key = self.keys[id(block)]
            canvas.bookmarkPage(key, fit="XYZ", left=0, top=top + block.size, zoom=0)
            canvas.addOutlineEntry(block.bookmark, key, level=0)
        if placement.first == 0 and block.label is not None:
            line, element = block.label
            with self.writer(element, page) as writer:
                writer.line(line, self.start_x(block, line.width, gutter=True),
                            top - block.baseline(0, 0))
        if placement.artifact:
            canvas.addLiteral(HEADER)
        with self.writer(None if placement.artifact else block.element, page) as writer:
            for n in range(placement.first, placement.stop):
                line = block.lines[n]
                baseline = top - block.baseline(placement.first, n)
                writer.line(line, self.start_x(block, line.width), baseline)
                if block.page_of is not None and n == len(block.lines) - 1:
                    writer.line(*self.page_number(block, baseline))
        if placement.artifact:
            canvas.addLiteral(EMC)
        if block.page_of is not None:
            self.contents_link(page, placement)

    def row(self, page: int, placement: Placement) -> None:
        """A table row: the rule under it, then each cell's lines at its place. A header
        row repeated on a continued page, a label repeated beside a value and the colon
        after a label are page furniture (artifacts)."""
        row = placement.block
        assert isinstance(row, Row)
        canvas = self.canvas
        if row.rule is not None and row.box is not None:
            (weight, grey), (left, width) = row.rule, row.box
            y = placement.top - row.height
            canvas.addLiteral(f"{LAYOUT}\nq {grey:g} G {weight:.2f} w 0 J "
                              f"{left:.2f} {y:.2f} m {left + width:.2f} {y:.2f} l S Q\n{EMC}")
        for cell in row.cells:
            block = cell.block
            top = placement.top - cell.top
            furniture = placement.artifact or cell.repeated
            if furniture:
                canvas.addLiteral(HEADER if placement.artifact else LAYOUT)
            end = None  # where the suffix goes: at the end side of the last line's text
            with self.writer(None if furniture else block.element, page) as writer:
                for n, line in enumerate(block.lines):
                    baseline = top - block.baseline(0, n)
                    extra = cell.suffix.width if cell.suffix and n == len(block.lines) - 1 else 0
                    x = self.start_x(block, line.width + extra)
                    if extra:
                        end = (x, baseline) if cell.suffix_left else (x + line.width, baseline)
                        x += extra if cell.suffix_left else 0.0
                    writer.line(line, x, baseline)
            if furniture:
                canvas.addLiteral(EMC)
            if cell.suffix is not None and end is not None:
                canvas.addLiteral(LAYOUT)
                with self.writer(None, page) as writer:
                    writer.line(cell.suffix, *end)
                canvas.addLiteral(EMC)

    def contents_link(self, page: int, placement: Placement) -> None:
        """A contents entry's lines, page number included, as one area that goes to the page
        its section starts on (an annotation of the entry's /Link element)."""
        block = placement.block
        assert block.page_of is not None
        g = self.geometry
        bottom = placement.top - block.lines_height(placement.first, placement.stop)
        rect = (g.left, bottom, g.left + g.measure, placement.top)
        name = f"link{len(self.tree.annotations)}"
        number = self.tree.annotate(block.element, page, self.canvas._doc.annotationName(name))
        said = " ".join("".join(p.text for p in line.pieces).strip() for line in block.lines)
        description = f"{said} {self.pages.page_of(block.page_of)}"
        # ReportLab 5.1: the (possibly not yet bound) destination a bookmark key names
        target = self.canvas._bookmarkReference(self.keys[id(block.page_of)])
        key = len(self.pages.pages) + number
        self.canvas._addAnnotation(goto_annotation(rect, target, description, key), name)

    @contextmanager
    def writer(self, element: Element | None, page: int) -> Iterator[_Writer]:
        """One text object for ``element``'s lines on ``page`` (an artifact when None),
        then the clickable areas of the links drawn in it."""
        writer = _Writer(self.encoder, self.tree, element, page, self.links, self.parts,
                         self.edition.lang)
        yield writer
        writer.close()
        self.canvas.addLiteral("\n".join([*writer.ops, "ET"]))
        ink = [path for path in writer.outlines if path]
        if ink:  # the text is in the glyphs drawn as text: these are ink only
            self.canvas.addLiteral("\n".join(["/Artifact BMC", *ink, "EMC"]))
        doc = self.canvas._doc
        for link, href, rect in writer.areas:
            name = f"link{len(self.tree.annotations)}"
            number = self.tree.annotate(link, page, doc.annotationName(name))
            key = len(self.pages.pages) + number
            self.canvas._addAnnotation(link_annotation(rect, href, key), name)

    def start_x(self, block: Block, width: float, gutter: bool = False) -> float:
        """Left edge of a line: ragged right, or right aligned for right-to-left text."""
        left, measure = block.box or (self.geometry.left, self.geometry.measure)
        if gutter:  # the label sits in the indent, on the start side of the edition
            return left + measure - width if block.right_to_left else left
        if block.right_to_left:
            return left + measure - block.indent - width
        return left + block.indent

    def page_number(self, block: Block, baseline: float) -> tuple[Line, float, float]:
        """The page a contents entry points to, at the end side, after a space (in
        right-to-left text, one between right-to-left words, on the entry's side)."""
        assert block.page_of is not None
        number = str(self.pages.page_of(block.page_of))
        lang = self.edition.lang
        digits = self.typesetter.typeset([Segment(number, False, lang)], 0, block.size, 1e9)[0]
        rtl = int(block.right_to_left)
        space = self.typesetter.piece(" ", digits.pieces[0].face, block.size, rtl, lang)
        line = Line((space, *digits.pieces),
                    (digits.width if rtl else -space.width, *digits.xs), digits.width)
        g = self.geometry
        x = g.left if block.right_to_left else g.left + g.measure - line.width
        return line, x, baseline

    def footer(self, page: int, pages: int) -> None:
        words = self.edition.words("Page %(page)s of %(pages)s", page=page, pages=pages)
        rtl = is_rtl(words.lang)
        segments = [Segment(words.markdown, False, words.lang)]
        line = self.typesetter.typeset(segments, 1 if rtl else 0, self.geometry.size, 1e9)[0]
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
        if is_rtl(self.edition.lang):
            canvas.setViewerPreference("Direction", "R2L")

    def xmp(self) -> bytes:
        leaflet = self.edition.leaflet
        title = escape(plain(leaflet.title.markdown))
        author = escape(plain(leaflet.organisation.markdown))
        lang = escape(self.edition.lang)
        stamp = self.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<dc:format>application/pdf</dc:format>
<pdf:Producer>ReportLab PDF Library - www.reportlab.com</pdf:Producer>
<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:ModifyDate>{stamp}</xmp:ModifyDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


class _Writer:
    """Writes lines into one text object (BT … ET), marked for one element.

    Pieces are drawn in logical order, each at its visual position, and their glyph
    codes spell their text (:mod:`.spelling`), so no /ActualText is needed but on a space
    between right-to-left words (:meth:`rtl_space`). A link's text goes in a child /Link
    element (one for a link that runs over lines and pages, kept in ``links``), and each
    line of it is a clickable area.
    """

    def __init__(
        self,
        encoder: _Encoder,
        tree: StructureTree,
        element: Element | None,
        page: int,
        links: dict[int, tuple[str, Element]],
        parts: dict[int, tuple[str, Element]],
        lang: str,
    ) -> None:
        self.encoder = encoder
        self.tree = tree
        self.element = element
        self.owner = element
        """The element whose marked content is written: ``element``, or a link inside it."""
        self.page = page
        self.links = links
        self.parts = parts
        self.areas: list[tuple[Element, str, tuple[float, float, float, float]]] = []
        """(link element, address, rectangle) of each line of a link drawn."""
        self.ops = ["BT"]
        self.font = ""
        """The last font operator (``/F1+0 18 Tf``)."""
        self.mode = 0
        self.open: Element | None = None
        """The element whose marked content is open, if any."""
        self.outlines: list[str] = []
        """Glyphs drawn as outlines, not text (:mod:`.spelling`): painted after the text."""
        self.lang = (element.lang if element is not None else None) or lang
        """The language of the element's text: a piece in another is a part (a /Span)."""

    def line(self, line: Line, x: float, baseline: float) -> None:
        foreign = any(piece.lang != self.lang for piece in line.pieces)
        if line.plain and line.pieces and not foreign:
            self.follow(None)
            self.mark()
            self.run(line.pieces, x + line.xs[0], baseline)
            return
        for href, part in _by_link(line):
            self.follow(href)
            for other, pieces in _by_language(part, self.lang if foreign else None):
                content = self.owner
                if other and self.owner is not None:
                    self.close()
                    span = self.parts.get(id(self.owner))
                    if span is None or span[0] != other:  # else the part goes on
                        span = self.parts[id(self.owner)] = (other, self.owner.add("Span", other))
                    content = span[1]
                elif any(not p.is_space for p, _ in pieces):
                    self.parts.pop(id(self.owner), None)
                for run, dx in _runs(pieces):
                    if run[0].is_space and run[0].level % 2:
                        self.rtl_space(run[0], x + dx, baseline, content)
                    else:
                        self.mark(content)
                        self.run(run, x + dx, baseline)
                if content is not self.owner:
                    self.close()
            drawn = [(p, dx) for p, dx in part if not p.is_space]
            if href is not None and self.owner is not self.element and drawn:
                size = drawn[0][0].size
                self.areas.append((self.owner, href, (
                    x + min(dx for _, dx in drawn), baseline - 0.3 * size,
                    x + max(dx + p.width for p, dx in drawn), baseline + size)))

    def follow(self, href: str | None) -> None:
        """Write what comes next into the link to ``href``, or into the element itself."""
        if self.element is None:
            return
        key = id(self.element)
        owner = self.element
        if href is not None:
            current = self.links.get(key)
            if current is None or current[0] != href:
                current = self.links[key] = (href, self.element.add("Link"))
            owner = current[1]
        else:
            self.links.pop(key, None)
        if owner is not self.owner:
            self.close()
            self.owner = owner

    def mark(self, element: Element | None = None) -> None:
        """Open marked content for the text of ``element`` (the owner's own by default),
        unless it is open."""
        element = self.owner if element is None else element
        if element is not None and self.open is not element:
            self.close()
            self.ops.append(bdc(element.tag, self.tree.mark(element, self.page)))
            self.open = element

    def close(self) -> None:
        if self.open is not None:
            self.ops.append(EMC)
            self.open = None

    def rtl_space(self, piece: Piece, x: float, y: float, element: Element | None) -> None:
        """A space between right-to-left words (:data:`.text.RTL_SPACE`), part of the text
        of ``element`` (None: of an artifact) in marked content of its own, which reads as a
        plain space to the readers that take its /ActualText (poppler takes it from a /Span
        only; nested in the element's own marked content, it would end that for poppler's
        structure text)."""
        self.close()
        mcid = "" if element is None else f"/MCID {self.tree.mark(element, self.page)} "
        self.ops.append(f"/Span <<{mcid}/ActualText ( )>> BDC")
        self.run([piece], x, y)
        self.ops.append(EMC)

    def run(self, pieces: Sequence[Piece], x: float, y: float) -> None:
        """Pieces that follow each other left to right: one text array between font changes."""
        ops = self.ops
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        array: list[str] = []
        rise = 0.0
        encode = self.encoder.encode
        origin = x
        for piece in pieces:
            scale = piece.size / 1000
            self.outlines += [
                draw_outline(piece.face, gid, origin + gx * scale, y + gy * scale, piece.size)
                for gid, gx, gy in piece.glyphs.outlines]
            origin += piece.width
            for mode, font, piece_rise, body in encode(piece):
                if mode != self.mode or piece_rise != rise or font != self.font:
                    if array:
                        ops.append(f"[{' '.join(array)}] TJ")
                        array = []
                    if mode != self.mode:
                        ops.append(f"{mode} Tr")
                        self.mode = mode
                    if piece_rise != rise:
                        ops.append(f"{piece_rise:.2f} Ts")
                        rise = piece_rise
                    if font != self.font:
                        ops.append(font)
                        self.font = font
                array.append(body)
        if array:
            ops.append(f"[{' '.join(array)}] TJ")
        if rise:
            ops.append("0 Ts")


Part = tuple[int, str, float, str]


class _Encoder:
    """Shaped text as glyph codes of one document's font subsets, in text arrays.

    Each piece becomes ``(render mode, font operator, rise, text array items)`` parts; the result
    is remembered per piece, as words recur (the typesetter hands out one piece object
    per word, style and size).
    """

    def __init__(self, doc: PDFDocument) -> None:
        self.doc = doc
        self._done: dict[Piece, list[Part]] = {}
        self._names: dict[tuple[TTFont, int, float], str] = {}

    def encode(self, piece: Piece) -> list[Part]:
        parts = self._done.get(piece)
        if parts is None:
            parts = self._done[piece] = self._encode(piece)
        return parts

    def _encode(self, piece: Piece) -> list[Part]:
        font = piece.face.font
        doc = self.doc
        moves = piece.glyphs.moves
        mode = 2 if piece.face.fake_bold and not piece.is_space else 0
        parts: list[Part] = []
        first = 0
        for subset, codes in _split_string(font, piece.glyphs.chars, doc):
            name = self._names.get((font, subset, piece.size))
            if name is None:
                name = f"{font.getSubsetInternalName(subset, doc)} {piece.size:g} Tf"
                self._names[font, subset, piece.size] = name
            last = first + len(codes)
            hidden = piece.glyphs.hidden
            if moves is None:
                parts.append((mode, name, 0.0, f"({_escape(codes)})"))
            elif hidden is None and not any(map(itemgetter(2), moves)):  # one array
                parts.append((mode, name, 0.0, _array(codes, moves[first:last])))
            else:
                seen = hidden[first:last] if hidden else (False,) * (last - first)
                placed = _placed(codes, moves[first:last], seen, piece.size)
                parts += [(INVISIBLE if unseen else mode, name, rise, array)
                          for rise, unseen, array in placed]
            first = last
        return parts


def _placed(
    codes: bytes, moves: Sequence[Move], hidden: Sequence[bool], size: float
) -> list[tuple[float, bool, str]]:
    """(rise in points, invisible, text array items) for glyphs placed by ``moves``, one
    per change of rise or visibility."""
    bounds = [0, *[k for k in range(1, len(codes))
                   if moves[k][2] != moves[k - 1][2] or hidden[k] != hidden[k - 1]], len(codes)]
    return [
        (moves[start][2] * size / 1000, hidden[start],
         _array(codes[start:stop], moves[start:stop]))
        for start, stop in pairwise(bounds)
        if stop > start
    ]


def _array(codes: bytes, moves: Sequence[Move]) -> str:
    """Text array items: runs of glyph codes, and the shifts (thousandths of an em) between."""
    gaps = [moves[0][0], *[a + b for (_, a, _), (b, _, _) in pairwise(moves)], moves[-1][1]]
    items: list[str] = []
    start = 0
    for at in [at for at, gap in enumerate(gaps) if gap >= 0.05 or gap <= -0.05]:
        if at > start:
            items.append(f"({_escape(codes[start:at])})")
            start = at
        items.append(f"{gaps[at]:.1f}")
    if start < len(codes):
        items.append(f"({_escape(codes[start:])})")
    return " ".join(items)


def _split_string(font: TTFont, chars: str, doc: PDFDocument) -> list[tuple[int, bytes]]:
    """``font.splitString``, quicker when every character already has a code in subset 0."""
    try:
        assigned = font.state[doc].assignments  # ReportLab 5.1: code point -> subset code
    except KeyError:
        return font.splitString(chars, doc)
    codes = list(map(assigned.get, map(ord, chars)))
    if None in codes or max(codes) > 255:  # type: ignore[type-var]
        return font.splitString(chars, doc)
    return [(0, bytes(codes))]  # type: ignore[arg-type]


ESCAPES = {c: f"\\{c:03o}" for c in (*range(32), *range(127, 256))} | {
    ord("("): "\\(",
    ord(")"): "\\)",
    ord("\\"): "\\\\",
}
"""Characters a PDF string in a content stream cannot hold as themselves."""


def _escape(codes: bytes | bytearray) -> str:
    return codes.decode("latin-1").translate(ESCAPES)


def _by_link(line: Line) -> list[tuple[str | None, list[tuple[Piece, float]]]]:
    """The line's pieces (with their x), split where a link starts or ends."""
    parts: list[tuple[str | None, list[tuple[Piece, float]]]] = []
    for piece, dx in zip(line.pieces, line.xs, strict=True):
        if parts and parts[-1][0] == piece.href:
            parts[-1][1].append((piece, dx))
        else:
            parts.append((piece.href, [(piece, dx)]))
    return parts


def _by_language(
    pieces: list[tuple[Piece, float]], lang: str | None
) -> list[tuple[str | None, list[tuple[Piece, float]]]]:
    """The pieces split where a part in another language than ``lang`` starts or ends
    (a space or number of the part, or between two pieces of it, goes with it), each with that
    language (None: ``lang``); one part when ``lang`` is None."""
    if lang is None:
        return [(None, pieces)]
    words = [any(map(str.isalpha, p.text)) for p, _ in pieces]  # digits belong to none
    flags = [p.lang if p.lang != lang and word else None
             for (p, _), word in zip(pieces, words, strict=True)]
    for n in range(1, len(pieces)):  # a space or comma of the part itself, or between two
        after = flags[n + 1] if n + 1 < len(pieces) else None
        if not words[n] and flags[n - 1] in (pieces[n][0].lang, after):
            flags[n] = flags[n - 1]
    parts: list[tuple[str | None, list[tuple[Piece, float]]]] = []
    for flag, item in zip(flags, pieces, strict=True):
        if parts and parts[-1][0] == flag:
            parts[-1][1].append(item)
        else:
            parts.append((flag, [item]))
    return parts


def _runs(group: list[tuple[Piece, float]]) -> list[tuple[list[Piece], float]]:
    """Neighbouring left-to-right pieces, each run drawn from one starting point."""
    out: list[tuple[list[Piece], float]] = []
    end = None
    for piece, dx in group:
        if end is not None and piece.level % 2 == 0 and abs(end - dx) < 0.01:
            out[-1][0].append(piece)
        else:
            out.append(([piece], dx))
        end = dx + piece.width if piece.level % 2 == 0 else None
    return out
