"""From an edition to blocks: what the large-print PDF says, in reading order.

Title block (H1, summary, organisation, date), introduction, a contents list
when the leaflet runs past two pages, each question (H2 and its answer),
contact details and the hard words. Every output word comes from
``edition.words``. Easy-read sentences are the web page's job, not this one's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from babel.dates import format_date

from ..inline import on_paper, spans, web_link
from ..langparts import split
from ..model import Block as ModelBlock
from ..model import Edition, ItemList, Paragraph, Table, Text
from ..notices import other_formats
from .bidi import is_rtl
from .layout import LEADING, Block, Geometry
from .tables import TableSetter
from .tagging import Element, StructureTree
from .text import Line, Segment, Typesetter

H1_SCALE = 1.5
H2_SCALE = 1.25
LABEL_GAP = 0.5
"""Space between a list label and its text, in ems."""


class Composer:
    """Builds the blocks and the structure tree of one edition at one print size."""

    def __init__(self, edition: Edition, typesetter: Typesetter, geometry: Geometry) -> None:
        self.edition = edition
        self.typesetter = typesetter
        self.geometry = geometry
        self.size = geometry.size
        self.rtl = is_rtl(edition.lang)
        self.tree = StructureTree()
        self.blocks: list[Block] = []
        self.contents: set[Block] = set()
        """The contents list's blocks (its heading and entries)."""

    # -- building blocks -------------------------------------------------------------

    def segments(self, text: Text, bold: bool = False) -> list[Segment]:
        return [Segment(s.text, bold or s.bold, text.lang, s.href, s.lang)
                for s in split(on_paper(text.markdown), text.lang)]

    def lang_of(self, text: Text) -> str | None:
        """The /Lang an element needs: only where it differs from the document's."""
        return None if text.lang == self.edition.lang else text.lang

    def block(
        self,
        segments: Sequence[Segment],
        element: Element,
        *,
        scale: float = 1.0,
        base: int | None = None,
        space_before: float = 1.0,
        indent: float = 0.0,
        reserve: float = 0.0,
    ) -> Block:
        """Typeset ``segments`` as the next block; ``space_before`` is in body lines."""
        block = self.make_block(segments, element, scale=scale, base=base,
                                space_before=space_before, indent=indent, reserve=reserve)
        self.blocks.append(block)
        return block

    def make_block(
        self,
        segments: Sequence[Segment],
        element: Element,
        *,
        scale: float = 1.0,
        base: int | None = None,
        space_before: float = 1.0,
        indent: float = 0.0,
        reserve: float = 0.0,
        measure: float | None = None,
    ) -> Block:
        """Typeset ``segments`` as one block, not (yet) placed in the document: across the
        page's measure less ``indent`` and ``reserve``, or across ``measure`` (a table's
        column, aligned as the edition is)."""
        size = self.size * scale
        lang = segments[0].lang if segments else self.edition.lang
        rtl = is_rtl(lang)
        base = (1 if rtl else 0) if base is None else base
        inset = bool(indent or reserve or measure is not None)
        if measure is None:
            measure = self.geometry.measure - indent - reserve
        lines = self.typesetter.typeset(segments, base, size, measure)
        line_height, ascent = self.standard_line(size)
        block = Block(
            lines=lines,
            element=element,
            size=size,
            line_height=line_height,
            ascent=ascent,
            right_to_left=self.rtl if inset else rtl,
            indent=indent,
            space_before=space_before * self.size * LEADING,
            slots=_slots(lines, line_height, ascent),
        )
        return block

    def standard_line(self, size: float) -> tuple[float, float]:
        """Line height and baseline (from the top of a line) of text in the Latin face:
        the spacing every line keeps unless its ink needs more."""
        face = self.typesetter.fonts.runs("a")[0][1].regular
        box = (face.ascent - face.descent) * size / 1000
        line_height = max(size * LEADING, box * 1.15)
        return line_height, (line_height - box) / 2 + face.ascent * size / 1000

    def heading(self, text: Text, tag: str, scale: float, bookmark: bool = True) -> Block:
        element = self.tree.root.add(tag, self.lang_of(text))
        block = self.block(self.segments(text, bold=True), element, scale=scale)
        block.keep_with_next = True
        if bookmark:
            block.bookmark = "".join(s.text for s in spans(text.markdown)).replace("\n", " ")
        return block

    def paragraph(self, text: Text, parent: Element, bold: bool = False) -> Block:
        element = parent.add("P", self.lang_of(text))
        return self.block(self.segments(text, bold), element)

    def label_line(self, label: str, bold: bool = False) -> Line:
        lang = self.edition.lang
        segments = [Segment(label, bold, lang)]
        return self.typesetter.typeset(segments, 1 if self.rtl else 0, self.size, 1e9)[0]

    def item_list(self, items: ItemList, parent: Element) -> None:
        """A real list: L, LI, Lbl (bullet or number) and LBody."""
        lst = parent.add("L")
        labels = [f"{items.start + n}." if items.ordered else "•" for n in range(len(items.items))]
        lines = [self.label_line(label) for label in labels]
        indent = max(line.width for line in lines) + LABEL_GAP * self.size
        for n, (text, line) in enumerate(zip(items.items, lines, strict=True)):
            li = lst.add("LI")
            lbl = li.add("Lbl")
            body = li.add("LBody", self.lang_of(text))
            block = self.block(
                self.segments(text), body, indent=indent, space_before=1.0 if n == 0 else 0.5
            )
            block.label = (line, lbl)

    def labelled(
        self, parent: Element, label: Text, value: Sequence[Segment], base: int | None
    ) -> None:
        """A labelled list item (contact detail, hard word): the label's line, then the value."""
        li = parent.add("LI")
        lbl = li.add("Lbl", self.lang_of(label))
        head = self.block(self.segments(label, bold=True), lbl, space_before=1.0)
        head.keep_with_next = True
        lang = value[0].lang if value else self.edition.lang
        body = li.add("LBody", None if lang == self.edition.lang else lang)
        self.block(value, body, base=base, space_before=0.0)

    def table(self, table: Table, parent: Element) -> None:
        """A real table (Table, THead, TBody, TR, TH, TD): a grid when its columns fit
        side by side at the print size, else a group of labelled values per row
        (:mod:`.tables`)."""
        self.blocks += TableSetter(self).rows(table, parent)

    def blocks_of(self, content: Sequence[ModelBlock], parent: Element) -> None:
        for item in content:
            if isinstance(item, Table):
                self.table(item, parent)
            elif isinstance(item, Paragraph):
                self.paragraph(item.text, parent)
            else:
                self.item_list(item, parent)

    # -- the leaflet ---------------------------------------------------------------

    def front(self, title: Text, summary: Text) -> None:
        """The title at the top of the first page, the summary, and the edition's notices
        (that the translation is not checked yet, for one)."""
        heading = self.heading(title, "H1", H1_SCALE, bookmark=False)
        heading.space_before = 0.0
        self.paragraph(summary, self.tree.root)
        for notice in self.edition.notices:
            self.paragraph(notice, self.tree.root, bold=True)

    def compose(self, with_contents: bool) -> list[Block]:
        leaflet = self.edition.leaflet
        words = self.edition.words
        root = self.tree.root
        self.front(leaflet.title, leaflet.summary)
        self.paragraph(leaflet.organisation, root, bold=True)
        if leaflet.date or leaflet.version:
            self.paragraph(self.dated(), root)
        self.blocks_of(leaflet.intro, root)
        details = self.contact_details()
        sections = [q.heading for q in leaflet.questions]
        if details:
            sections.append(words("Contact"))
        if leaflet.glossary:
            sections.append(words("Hard words"))
        entries = self.contents_list(sections) if with_contents else []
        headings: list[Block] = []
        for q in leaflet.questions:
            headings.append(self.heading(q.heading, "H2", H2_SCALE))
            self.blocks_of(q.blocks, root)
        if details:
            headings.append(self.heading(words("Contact"), "H2", H2_SCALE))
            self.paragraph(other_formats(words), self.tree.root)
            lst = self.tree.root.add("L")
            for label, value, base in details:
                self.labelled(lst, label, value, base)
        if leaflet.glossary:
            headings.append(self.heading(words("Hard words"), "H2", H2_SCALE))
            terms = root.add("L")
            for entry in leaflet.glossary:
                self.labelled(terms, entry.term, self.segments(entry.definition), base=None)
        for entry, heading in zip(entries, headings, strict=bool(entries)):
            entry.page_of = heading
        return self.blocks

    def contents_list(self, sections: list[Text]) -> list[Block]:
        """The contents: a heading, then one line per section, each a link to its page
        (TOC, TOCI, Link). A page the list runs on to starts with "Contents (continued)"."""
        words = self.edition.words
        self.contents.add(self.heading(words("Contents"), "H2", H2_SCALE))
        toc = self.tree.root.add("TOC")
        reserve = self.label_line("999").width + LABEL_GAP * self.size
        again = words("Contents (continued)")
        continued = self.make_block(self.segments(again, bold=True), Element("Artifact"),
                                    scale=H2_SCALE, space_before=0.0)
        entries = []
        for n, text in enumerate(sections):
            link = toc.add("TOCI").add("Link", self.lang_of(text))
            entry = self.block(self.segments(text), link, reserve=reserve,
                               space_before=1.0 if n == 0 else 0.5)
            entry.continued = continued
            entries.append(entry)
        self.contents.update(entries)
        return entries

    def contact_details(self) -> list[tuple[Text, list[Segment], int | None]]:
        """(label, value, paragraph level) of each contact detail the leaflet gives."""
        contact = self.edition.leaflet.contact
        words = self.edition.words
        details: list[tuple[Text, list[Segment], int | None]] = []
        # Phone numbers, web and e-mail addresses read left to right in every language.
        lang = self.edition.lang
        if contact.phone:
            details.append((words("Phone"), [Segment(contact.phone, False, lang)], 0))
        if contact.text_relay:
            details.append((words("Text relay"), [Segment(contact.text_relay, False, lang)], 0))
        if contact.web:
            details.append((words("Website"),
                            [Segment(contact.web, False, lang, web_link(contact.web))], 0))
        if contact.email:
            mail = f"mailto:{contact.email}"
            details.append((words("Email"), [Segment(contact.email, False, lang, mail)], 0))
        if contact.address is not None:
            details.append((words("Address"), self.segments(contact.address), None))
        return details

    def dated(self) -> Text:
        """The version and publication date (as the web page prints them), written in the
        language of the words around them."""
        words = self.edition.words
        leaflet = self.edition.leaflet
        if not leaflet.date:
            return words("Version %(version)s", version=leaflet.version)
        try:
            day = dt.date.fromisoformat(leaflet.date)
        except ValueError:
            day = None

        def say(lang: str) -> Text:
            date = leaflet.date if day is None else _long_date(day, lang)
            if leaflet.version:
                return words("Version %(version)s, published %(date)s",
                             version=leaflet.version, date=date)
            return words("Published: %(date)s", date=date)

        text = say(self.edition.lang)
        return text if text.lang == self.edition.lang else say(text.lang)


def _long_date(day: dt.date, lang: str) -> str:
    try:
        return format_date(day, "long", locale=lang.replace("-", "_"))
    except (ValueError, LookupError):
        return day.isoformat()


INK_GAP = 0.1
"""Least room, in ems, between a line's ink and its neighbour's slot."""


def _slots(lines: list[Line], line_height: float, ascent: float) -> tuple[tuple[float, float], ...]:
    """Room above and below each line's baseline: the standard line's, or more where the
    line's ink (tall stacks of Nastaliq, marks above and below) needs it. Empty when no line
    needs more, as in Latin text."""
    slots = []
    taller = False
    for line in lines:
        above, below = ascent, line_height - ascent
        for p in line.pieces:
            gap = INK_GAP * p.size
            above = max(above, p.glyphs.top * p.size / 1000 + gap)
            below = max(below, -p.glyphs.bottom * p.size / 1000 + gap)
        taller = taller or above + below > line_height + 0.01
        slots.append((above, below))
    return tuple(slots) if taller else ()
