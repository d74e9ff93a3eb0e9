"""Tables in large print: a grid when the columns fit side by side, else a group per row.

**Grid.** The columns side by side at the print size, the first on the start side (the
right in right-to-left languages), each as wide as its content asks, as in CSS's
automatic table layout: every column gets its *floor*, and the room left over goes to
the columns in proportion to how much more their longest line wants (a table whose
lines all fit is only as wide as they are). The header row is bold over a dark rule,
each row has a light rule under it, and a row is never split across pages; a page the
table runs on to starts with the header row again, as page furniture (an artifact: the
structure tree has it once). The header keeps at least the first row with it, and a
table no taller than half a page (:data:`SHORT`) is not split at all.

**When a grid fits.** A column's floor is its widest word (no word is ever broken), and
at least :data:`MIN_COLUMN_EMS` ems of the body size or, when narrower, its longest line:
a column of prose never becomes a strip of a word or two a line, and a column of short
values (a price, a phone number) takes no more than it needs. The grid fits when the
floors and the gaps between the columns fit the page's measure (and every row fits a
page). On A4 at 18 pt (28 ems) that is three columns of prose, or more short ones; at
24 pt (21 ems) two.

**Stacked.** Otherwise each row is a group, each value beside its column's header in
bold ("Phone:"), the headers in a label column on the start side as wide as they need
(at most :data:`LABEL_SHARE` of the measure); where that would leave the values less
than the column floor, each header goes over its value. A light rule closes each group,
and a group is never split across pages (unless it is taller than a page).

Both are tagged as the table they are: Table, THead, TBody, TR, TH (with /Scope
/Column, :mod:`.tagging`) and TD, each cell once. In the stacked form the first group's
labels are the TH elements' content; the labels drawn again beside the later groups'
values, and every colon after a label, are artifacts, so a screen reader finds one
clean table and reads no header twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..inline import plain
from ..model import Table, Text
from .bidi import is_rtl
from .layout import LEADING, Block
from .tagging import Element
from .text import Line, Segment

if TYPE_CHECKING:
    from .compose import Composer

MIN_COLUMN_EMS = 8.0
"""The least width, in ems of the body size, of a grid column whose lines want more."""
GAP_EMS = 1.5
"""Space between two columns, in ems: wide enough that no rule is needed between them."""
PAD_EMS = 0.25
"""Space between a row's rules and its text, in ems (the lines' own leading adds to it)."""
LABEL_SHARE = 0.4
"""The widest the label column of the stacked form may be, as a share of the measure."""
RULE_EMS = 0.05
"""Width of the rule under each row, in ems (0.9 pt at 18 pt)."""
HEADER_RULE_EMS = 0.1
"""Width of the rule under the header row, in ems."""
RULE_GREY = 0.45
"""Grey of the row rules (0 black, 1 white): 4.7:1 on white paper, over the 3:1 that
WCAG 2.2 (1.4.11) asks of graphics a reader needs; the header's rule is black."""
SHORT = 1 / 2
"""A table no taller than this share of a page is kept whole, not split across pages
(a longer one keeps at least its first row with its header)."""
BLANK = Line((), (), 0.0)
FUZZ = 0.01
"""Points allowed over a measured width when setting text into it (sums of floats)."""


@dataclass(frozen=True)
class Cell:
    """A cell's typeset lines, placed in its row: across the page by its block's ``box``."""

    block: Block
    top: float
    """From the top of the row down to the top of the cell's first line."""
    repeated: bool = False
    """A column's header drawn again beside a value: page furniture (an artifact)."""
    suffix: Line | None = None
    """Drawn, as page furniture, at the end of the last line: the colon after a label."""
    suffix_left: bool = False
    """The suffix goes on the left of the last line (whose text runs right to left)."""


@dataclass(eq=False)
class Row(Block):
    """A row of the grid, or a row's group of labelled values (or one value of a group
    taller than a page): its cells are drawn at their places, and its one blank line, as
    tall as the row, stands for them in pagination, so it is never split across pages.
    Its ``box`` is the table's extent across the page."""

    cells: tuple[Cell, ...] = ()
    rule: tuple[float, float] | None = None
    """Width and grey of the rule under the row, if it has one."""
    said: str = ""
    """The row as the talking book reads it ("Agency: Police; Number: 101"), by which the
    e-book's page list finds a page that begins with it (the header row: as its first)."""


class TableSetter:
    """Sets one table, as a grid or stacked, for one composer (print size and direction)."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.size = composer.size
        self.rtl = composer.rtl
        self.measure = composer.geometry.measure
        self.gap = GAP_EMS * self.size
        self.pad = PAD_EMS * self.size
        g = composer.geometry
        self.page_room = g.top - g.bottom

    def rows(self, table: Table, parent: Element) -> list[Row]:
        """The table's rows as blocks, its elements added under ``parent``."""
        composer = self.composer
        element = parent.add("Table")
        head = element.add("THead").add("TR")
        ths = [head.add("TH", composer.lang_of(cell)) for cell in table.header]
        body = element.add("TBody")
        trs: list[tuple[Element, list[Element]]] = []
        for row in table.rows:
            tr = body.add("TR")
            trs.append((tr, [tr.add("TD", composer.lang_of(cell)) for cell in row]))
        heads = [self.segments(cell, bold=True) for cell in table.header]
        cells = [[self.segments(cell) for cell in row] for row in table.rows]
        said = [plain(item.markdown) for item in table.linear().items]
        rows = self.grid(heads, cells, (head, ths), trs, said)
        if rows is None:
            rows = self.stacked(heads, cells, ths, trs, said)
        if sum(row.space_before + row.height for row in rows) <= SHORT * self.page_room:
            for row in rows[:-1]:  # a short table goes to the next page whole
                row.keep_with_next = True
        return rows

    def segments(self, cell: Text, bold: bool = False) -> list[Segment]:
        """A cell's text; an empty cell's is one empty segment (it is set as a blank line)."""
        return self.composer.segments(cell, bold) or [Segment("", bold, cell.lang)]

    # -- the grid ---------------------------------------------------------------------

    def widths(self, columns: Sequence[Sequence[Sequence[Segment]]]) -> list[float] | None:
        """Each column's width, or None when the floors do not fit (see the module)."""
        least = MIN_COLUMN_EMS * self.size
        spans = [[self.content_widths(cell) for cell in column] for column in columns]
        narrow = [max(lo for lo, _ in column) for column in spans]
        wide = [max(hi for _, hi in column) for column in spans]
        floors = [max(lo, min(hi, least)) for lo, hi in zip(narrow, wide, strict=True)]
        room = self.measure - self.gap * (len(columns) - 1)
        if sum(floors) > room + 0.01:
            return None
        wants = [max(hi, floor) for hi, floor in zip(wide, floors, strict=True)]
        if sum(wants) <= room:
            return wants
        share = (room - sum(floors)) / (sum(wants) - sum(floors))
        return [f + (w - f) * share for f, w in zip(floors, wants, strict=True)]

    def content_widths(self, segments: Sequence[Segment]) -> tuple[float, float]:
        """(widest word, longest line) of a cell set without a measure: its min-content
        and max-content widths."""
        lines = self.composer.typesetter.typeset(segments, 1 if is_rtl(segments[0].lang) else 0,
                                                 self.size, 1e9)
        word = longest = 0.0
        for line in lines:
            longest = max(longest, line.width)
            run = 0.0
            for piece in line.pieces:
                run = 0.0 if piece.is_space else run + piece.width
                word = max(word, run)
        return word, longest

    def grid(
        self,
        heads: list[list[Segment]],
        cells: list[list[list[Segment]]],
        head: tuple[Element, list[Element]],
        trs: list[tuple[Element, list[Element]]],
        said: list[str],
    ) -> list[Row] | None:
        """The rows side by side in columns, or None when they do not fit."""
        widths = self.widths(list(zip(heads, *cells, strict=True)))
        if widths is None:
            return None
        header = self.grid_row(heads, head, widths, (HEADER_RULE_EMS * self.size, 0.0))
        header.keep_with_next = True
        header.space_before = self.size * LEADING
        header.said = said[0] if said else ""  # a page that begins with the table
        rows = [header]
        for texts, (tr, tds), text in zip(cells, trs, said, strict=True):
            row = self.grid_row(texts, (tr, tds), widths, (RULE_EMS * self.size, RULE_GREY))
            row.continued = header
            row.said = text
            rows.append(row)
        if any(row.height + header.height > self.page_room for row in rows[1:]):
            return None  # a row taller than a page: stacked, it can break between values
        return rows

    def grid_row(
        self,
        texts: list[list[Segment]],
        elements: tuple[Element, list[Element]],
        widths: list[float],
        rule: tuple[float, float],
    ) -> Row:
        """One row of the grid: each cell set in its column, first baselines level."""
        tr, cells = elements
        width = sum(widths) + self.gap * (len(widths) - 1)
        origin = self.composer.geometry.left + (self.measure - width if self.rtl else 0.0)
        blocks = []
        left = 0.0
        for segments, element, column in zip(texts, cells, widths, strict=True):
            block = self.composer.make_block(segments, element, measure=column + FUZZ,
                                             space_before=0.0)
            at = width - left - column if self.rtl else left
            block.box = (origin + at, column)
            blocks.append(block)
            left += column + self.gap
        above = max(block.slot(0)[0] for block in blocks)
        placed = tuple(Cell(block, self.pad + above - block.slot(0)[0]) for block in blocks)
        return self.row(tr, placed, (origin, width), rule)

    def row(
        self,
        element: Element,
        cells: tuple[Cell, ...],
        box: tuple[float, float],
        rule: tuple[float, float] | None,
        space_after: float | None = None,
    ) -> Row:
        """A row block holding ``cells``, as tall as they are (and padding below)."""
        below = self.pad if space_after is None else space_after
        height = max(cell.top + cell.block.height for cell in cells) + below
        return Row(lines=[BLANK], element=element, size=self.size, line_height=height,
                   ascent=height, right_to_left=self.rtl, keep_together=True, box=box,
                   cells=cells, rule=rule)

    # -- stacked ----------------------------------------------------------------------

    def stacked(
        self,
        heads: list[list[Segment]],
        cells: list[list[list[Segment]]],
        ths: list[Element],
        trs: list[tuple[Element, list[Element]]],
        said: list[str],
    ) -> list[Row]:
        """Each row a group of its values, each beside (or under) its column's header."""
        composer = self.composer
        g = composer.geometry
        colons = [self.colon(segments) for segments in heads]
        colon = max([0.0, *(c.width for c in colons if c)])
        spans = [self.content_widths(s) for s in heads]
        label = colon + max(max([0.0, *(lo for lo, _ in spans)]),
                            min(max([0.0, *(hi for _, hi in spans)]),
                                LABEL_SHARE * self.measure - colon))
        beside = self.measure - label - self.gap >= MIN_COLUMN_EMS * self.size
        value = self.measure - label - self.gap if beside else self.measure
        label_x = g.left + (self.measure - label if self.rtl else 0.0) if beside else g.left
        value_x = g.left + (0.0 if self.rtl or not beside else label + self.gap)
        label_width = label if beside else self.measure
        rule = (RULE_EMS * self.size, RULE_GREY)
        rows: list[Row] = []
        for n, (texts, (tr, tds)) in enumerate(zip(cells, trs, strict=True)):
            pairs: list[tuple[Cell, ...]] = []
            for k, (segments, td) in enumerate(zip(texts, tds, strict=True)):
                owner = ths[k] if n == 0 else Element("Artifact")
                name = composer.make_block(heads[k], owner, measure=label_width - colon + FUZZ,
                                           space_before=0.0)
                name.box = (label_x, label_width)
                block = composer.make_block(segments, td, measure=value + FUZZ,
                                            space_before=0.0)
                block.box = (value_x, value)
                label_cell = Cell(name, 0.0, n > 0, colons[k],
                                  is_rtl(heads[k][-1].lang))
                if beside:
                    above = max(name.slot(0)[0], block.slot(0)[0])
                    pairs.append((replace(label_cell, top=above - name.slot(0)[0]),
                                  Cell(block, above - block.slot(0)[0])))
                else:
                    pairs.append((label_cell, Cell(block, name.height)))
            start = len(rows)
            group = self.row(tr, self.stack(pairs), (g.left, self.measure), rule)
            if group.height <= self.page_room:
                rows.append(group)
            else:  # taller than a page: a value at a time, the rule under the last
                for k, pair in enumerate(pairs):
                    last = k == len(pairs) - 1
                    rows.append(self.row(tr, self.stack([pair], first=k == 0),
                                         (g.left, self.measure), rule if last else None,
                                         space_after=None if last else 0.0))
            rows[start].space_before = self.size * LEADING if n == 0 else 0.0
            rows[start].said = said[n]
        return rows

    def colon(self, label: Sequence[Segment]) -> Line | None:
        """The colon after a label, in the label's language; None for an empty label."""
        if not any(segment.text.strip() for segment in label):
            return None
        lang = label[-1].lang
        segments = [Segment(":", True, lang)]
        return self.composer.typesetter.typeset(segments, 1 if is_rtl(lang) else 0,
                                                self.size, 1e9)[0]

    def stack(self, pairs: Sequence[tuple[Cell, ...]], first: bool = True) -> tuple[Cell, ...]:
        """The cells of ``pairs`` (each placed from the top of its pair) one pair under the
        other, after the padding when ``first``."""
        out: list[Cell] = []
        top = self.pad if first else 0.0
        for pair in pairs:
            out += [replace(cell, top=top + cell.top) for cell in pair]
            top = max(cell.top + cell.block.height for cell in out)
        return tuple(out)
