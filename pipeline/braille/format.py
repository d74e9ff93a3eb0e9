"""Braille pages: the edition laid out in cells and lines by UK braille conventions.

The rules are those of UKAAF's *Braille Formatting Principles* and RNIB's
*Braillists' Manual* (UEB edition), the UK guidance; each layout choice below
names the rule it follows. Everything here works in Unicode braille cells (one
character a cell, U+2800 the blank cell), so the same pages become BRF and PEF.

The document is a list of :class:`Unit` objects (rows already cut to the line
width, and how they may break across pages); :func:`paginate` fills pages with
them. Contents page numbers depend on how long the contents are, so
:func:`lay_out` pages the document until the numbers it prints are the ones it
gets (two passes in practice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from babel.dates import format_date

from ..model import Edition, ItemList, Paragraph, Table, Text
from .translate import BLANK, Translator

GUIDE = "\u2810"
"""Guide dots (dot 5) leading from a contents entry to its page number."""

PARAGRAPH_INDENT = 2
"""UKAAF, paragraphs: the first line of a paragraph starts in cell 3, runovers in cell 1."""
RUNOVER = 2
"""UKAAF, lists and contents: an entry starts in cell 1, its runover lines in cell 3."""
KEEP_AFTER_HEADING = 2
"""UKAAF, headings: a heading is followed on its page by at least two lines of text,
or it starts the next page (never a heading alone at the foot of a page)."""
NUMBER_GAP = 3
"""UKAAF, page numbering: at least three blank cells between text and a page number."""


@dataclass(frozen=True)
class Geometry:
    cells: int = 40
    lines: int = 25

    @property
    def text_lines(self) -> int:
        """Lines for text: the first line of every page holds its page number."""
        return self.lines - 1


@dataclass
class Unit:
    """Rows laid out together, and how they may meet a page break."""

    rows: list[str]
    blank_before: bool = False
    """A blank line before, left out at the top of a page."""
    blank_after: bool = False
    whole: bool = False
    """Never split across pages (a heading, a contents entry)."""
    keep_with_next: int = 0
    """Rows of the next unit that must be on the same page as this one."""
    new_page: bool = False
    heading: str | None = None
    """The id of the heading this unit is, to find its page for the contents."""
    level: int = 0
    """1 for the title, 2 for a section heading, 0 for text."""


@dataclass
class Page:
    number: int
    rows: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """(level, id) of the headings that start on this page."""


def wrap(cells: str, width: int, first: int = 0, runover: int = 0) -> list[str]:
    """Break braille into rows of at most ``width`` cells at blank cells, the first row
    indented by ``first`` cells and the others by ``runover``. A word longer than a
    line (a long address) is cut at the line's end."""
    rows: list[str] = []
    line, indent = "", first
    for word in filter(None, cells.split(BLANK)):
        while True:
            joined = line + BLANK + word if line else word
            if indent + len(joined) <= width:
                line = joined
                break
            if not line:
                cut = width - indent
                line, word = word[:cut], word[cut:]
            rows.append(BLANK * indent + line)
            line, indent = "", runover
            if not word:
                break
    if line:
        rows.append(BLANK * indent + line)
    return rows


def centre(cells: str, width: int) -> list[str]:
    """UKAAF, headings: a main heading is centred, each line with at least three blank
    cells either side; a long heading runs on to further centred lines."""
    rows = wrap(cells, max(width - 6, 10))
    return [BLANK * ((width - len(row)) // 2) + row for row in rows]


class Composer:
    """Turns an edition into units: title page, contents, text, contact, hard words."""

    def __init__(self, edition: Edition, translator: Translator, geometry: Geometry) -> None:
        self.edition = edition
        self.tr = translator
        self.geometry = geometry

    @property
    def width(self) -> int:
        return self.geometry.cells

    def compose(self, pages_of: dict[str, str]) -> list[Unit]:
        """The document; ``pages_of`` gives each heading's braille page number (as
        braille cells) for the contents, empty on the first pass."""
        leaflet = self.edition.leaflet
        words = self.edition.words
        units = self.title_page()
        sections = [(f"q{n}", q.heading) for n, q in enumerate(leaflet.questions)]
        units += self.heading("contents", words("Contents"), new_page=True)
        for key, text in sections:
            units.append(self.entry(text, pages_of.get(key, "")))
        if units[-1].rows:
            units[-1].blank_after = True
        first = True
        for block in leaflet.intro:
            units += self.blocks((block,), new_page=first)
            first = False
        for (key, text), question in zip(sections, leaflet.questions, strict=True):
            units += self.heading(key, text, new_page=first)
            first = False
            units += self.blocks(question.blocks)
        units += self.contact()
        if leaflet.glossary:
            units += self.heading("glossary", words("Hard words"))
            for entry in leaflet.glossary:
                units.append(self.labelled(entry.term, self.tr.braille(entry.definition)))
        return units

    def title_page(self) -> list[Unit]:
        """UKAAF, title page: the title centred near the top, then the summary and who
        publishes it; the title page stands alone, text starts on a new page."""
        leaflet = self.edition.leaflet
        units = [Unit(centre(self.tr.braille(leaflet.title), self.width), whole=True,
                      blank_after=True, heading="title", level=1)]
        for text in (leaflet.summary, leaflet.organisation):
            units.append(Unit(wrap(self.tr.braille(text), self.width), blank_after=True))
        if leaflet.date:
            units.append(Unit(wrap(self.tr.braille(self.dated()), self.width)))
        return units

    def heading(self, key: str, text: Text, new_page: bool = False) -> list[Unit]:
        """UKAAF, headings: a section heading is centred, with a blank line before and
        after it, and kept with the text that follows."""
        return [Unit(centre(self.tr.braille(text), self.width), blank_before=True,
                     blank_after=True, whole=True, keep_with_next=KEEP_AFTER_HEADING,
                     new_page=new_page, heading=key, level=2)]

    def blocks(self, blocks: tuple[Paragraph | ItemList | Table, ...], new_page: bool = False
               ) -> list[Unit]:
        units: list[Unit] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                units.append(Unit(wrap(self.tr.braille(block.text), self.width,
                                       PARAGRAPH_INDENT, 0)))
            elif isinstance(block, Table):
                units += self.item_list(block.linear())  # a row at a time
            else:
                units += self.item_list(block)
        if units:
            units[0].new_page = new_page
        return units

    def item_list(self, block: ItemList) -> list[Unit]:
        """UKAAF, lists: each item starts in cell 1 and runs over to cell 3; the layout
        shows where an item starts, so bullets are left out, and numbers kept."""
        units = []
        for n, item in enumerate(block.items, start=block.start):
            cells = self.tr.braille(item)
            if block.ordered:
                cells = self.tr.braille(f"{n}.") + BLANK + cells
            units.append(Unit(wrap(cells, self.width, 0, RUNOVER)))
        return units

    def labelled(self, label: Text, value: str) -> Unit:
        """A contact detail or a hard word, laid out as a list item: the label, a colon,
        then the value."""
        cells = self.tr.braille(label) + self.tr.braille(":") + BLANK + value
        return Unit(wrap(cells, self.width, 0, RUNOVER))

    def entry(self, text: Text, page: str) -> Unit:
        """UKAAF, contents: the entry starts in cell 1, runovers in cell 3, and its last
        line ends in guide dots and the page number at the right margin."""
        reserve = len(page) + NUMBER_GAP if page else 0
        rows = wrap(self.tr.braille(text), self.width - reserve, 0, RUNOVER)
        if page:
            last = rows[-1] + BLANK
            dots = self.width - len(last) - len(page) - 1
            rows[-1] = last + GUIDE * dots + BLANK + page
        return Unit(rows, whole=True)

    def contact(self) -> list[Unit]:
        contact = self.edition.leaflet.contact
        words = self.edition.words
        details: list[tuple[Text, str]] = []
        if contact.phone:
            details.append((words("Phone"), self.tr.braille(contact.phone)))
        if contact.web:
            details.append((words("Website"), self.tr.braille(contact.web)))
        if contact.email:
            details.append((words("Email"), self.tr.braille(contact.email)))
        if contact.address is not None:
            details.append((words("Address"), self.tr.braille(contact.address)))
        if not details:
            return []
        units = self.heading("contact", words("Contact"))
        return units + [self.labelled(label, value) for label, value in details]

    def dated(self) -> Text:
        """The publication date in the language of the words around it."""
        words = self.edition.words
        date = self.edition.leaflet.date
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return words("Published: %(date)s", date=date)
        text = words("Published: %(date)s", date=_long_date(day, self.edition.lang))
        if text.lang != self.edition.lang:
            text = words("Published: %(date)s", date=_long_date(day, text.lang))
        return text


def _long_date(day: dt.date, lang: str) -> str:
    try:
        return format_date(day, "long", locale=lang.replace("-", "_"))
    except (ValueError, LookupError):
        return day.isoformat()


def paginate(units: list[Unit], geometry: Geometry, number: Translator) -> list[Page]:
    """Fill pages with units, by the rules each unit carries."""
    pages = [Page(1)]
    room = geometry.text_lines

    def new_page() -> None:
        pages.append(Page(len(pages) + 1))

    for n, unit in enumerate(units):
        page = pages[-1]
        if unit.new_page and page.rows:
            new_page()
            page = pages[-1]
        blank = unit.blank_before and page.rows and page.rows[-1] != ""
        need = len(unit.rows) if unit.whole else min(len(unit.rows), 1)
        if unit.keep_with_next and n + 1 < len(units):
            after = units[n + 1]
            need += 1 if unit.blank_after else 0
            need += min(unit.keep_with_next, len(after.rows))
        if page.rows and len(page.rows) + blank + need > room:
            new_page()
            page = pages[-1]
            blank = False
        if blank:
            page.rows.append("")
        if unit.heading:
            page.headings.append((unit.level, unit.heading))
        for row in unit.rows:
            if len(page.rows) >= room:
                new_page()
                page = pages[-1]
            page.rows.append(row)
        if unit.blank_after and len(page.rows) < room:
            page.rows.append("")
    for page in pages:
        while page.rows and page.rows[-1] == "":
            page.rows.pop()
        # UKAAF, page numbering: the braille page number at the right of the first line.
        label = number.braille(str(page.number))
        page.rows.insert(0, BLANK * (geometry.cells - len(label)) + label)
    return pages


def lay_out(edition: Edition, translator: Translator, geometry: Geometry) -> list[Page]:
    """The edition's braille pages, the contents giving the page each section starts on."""
    composer = Composer(edition, translator, geometry)
    numbers: dict[str, str] = {}
    for _ in range(5):
        pages = paginate(composer.compose(numbers), geometry, translator)
        found = {key: translator.braille(str(page.number))
                 for page in pages for _, key in page.headings}
        if all(numbers.get(key) == value for key, value in found.items()):
            return pages
        numbers = found
    return pages
