"""Page geometry and pagination: blocks of typeset lines onto A4 pages.

Pagination keeps a heading with at least two lines of what follows it, leaves
at least two lines of a paragraph at the foot and at the head of a page, and
never splits a block marked ``keep_together``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from .tagging import Element
from .text import Line

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
LEADING = 1.5
"""Line height as a multiple of the font size (generous, as UKAAF asks)."""


@dataclass(frozen=True)
class Geometry:
    """Where text goes on the page at one print size."""

    size: float

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def measure(self) -> float:
        return PAGE_WIDTH - 2 * MARGIN

    @property
    def top(self) -> float:
        return PAGE_HEIGHT - MARGIN

    @property
    def footer_baseline(self) -> float:
        return MARGIN

    @property
    def bottom(self) -> float:
        """Lowest point of body text: a blank line above the footer."""
        return MARGIN + self.size * (1 + LEADING)


@dataclass(eq=False)
class Block:
    """Lines of one element set together: a heading, a paragraph, a list item's body."""

    lines: list[Line]
    element: Element
    size: float
    line_height: float
    ascent: float
    """From the top of a line box down to the baseline."""
    right_to_left: bool
    indent: float = 0.0
    """Space on the start side (list items), already taken out of the measure."""
    space_before: float = 0.0
    keep_with_next: bool = False
    keep_together: bool = False
    label: tuple[Line, Element] | None = None
    """A list label (bullet, number, term) drawn in the indent beside the first line."""
    bookmark: str | None = None
    """Outline title, for headings readers jump to."""
    page_of: Block | None = None
    """For a contents entry: the block whose page number ends the entry (and it links to)."""
    continued: Block | None = None
    """A heading drawn (as page furniture) above the block when it starts a page."""
    box: tuple[float, float] | None = None
    """Left edge and width of the column the lines are set in (a table's cell, a table);
    None: the page's measure."""

    slots: tuple[tuple[float, float], ...] = ()
    """Per line, the room it takes above and below its baseline (taller than ``line_height``
    where its ink needs it); empty when every line takes ``line_height``."""

    def slot(self, n: int) -> tuple[float, float]:
        """Room above and below the baseline of line ``n``."""
        if self.slots:
            return self.slots[n]
        return self.ascent, self.line_height - self.ascent

    def lines_height(self, first: int, stop: int) -> float:
        """Height of lines ``first`` to ``stop`` (exclusive) set one under the other."""
        if not self.slots:
            return (stop - first) * self.line_height
        return sum(above + below for above, below in self.slots[first:stop])

    def fitting(self, first: int, room: float) -> int:
        """How many lines from ``first`` on fit in ``room`` points."""
        if not self.slots:
            return int((room + 0.01) // self.line_height)
        count = 0
        for above, below in self.slots[first:]:
            room -= above + below
            if room < -0.01:
                break
            count += 1
        return count

    def baseline(self, first: int, n: int) -> float:
        """How far below the top of a placement starting at line ``first`` line ``n`` sits."""
        return self.lines_height(first, n) + self.slot(n)[0]

    @property
    def height(self) -> float:
        return self.lines_height(0, len(self.lines))


@dataclass
class Placement:
    """Lines ``first`` to ``stop`` (exclusive) of ``block``, the first line's top at ``top``."""

    block: Block
    first: int
    stop: int
    top: float
    artifact: bool = False
    """Page furniture (a repeated heading), not part of the structure."""


@dataclass
class Pages:
    pages: list[list[Placement]] = field(default_factory=list)

    def page_of(self, block: Block) -> int:
        """1-based number of the page a block starts on."""
        for number, page in enumerate(self.pages, 1):
            if any(p.block is block and p.first == 0 for p in page):
                return number
        raise KeyError("block not placed")


MIN_LINES = 2


def paginate(blocks: list[Block], geometry: Geometry) -> Pages:
    """Place ``blocks`` on as many pages as they need."""
    result = Pages([[]])
    y = geometry.top
    for index, block in enumerate(blocks):
        first = 0
        while first < len(block.lines):
            page = result.pages[-1]
            if not page and block.continued is not None and index:
                head = block.continued
                page.append(Placement(head, 0, len(head.lines), y, artifact=True))
                y -= head.height
            space = block.space_before if (page and first == 0) else 0.0
            room = y - space - geometry.bottom
            fits = block.fitting(first, room)
            remaining = len(block.lines) - first
            kept = fits >= remaining
            if kept and block.keep_with_next and index + 1 < len(blocks):
                kept = room + 0.01 >= block.height + _kept_height(blocks, index + 1)
            take = remaining if kept else _split_point(block, first, fits)
            if take == 0:
                if page:
                    result.pages.append([])
                    y = geometry.top
                    continue
                take = max(1, min(fits, remaining))  # taller than a page: split anyway
            page.append(Placement(block, first, first + take, y - space))
            y -= space + block.lines_height(first, first + take)
            first += take
            if first < len(block.lines):
                result.pages.append([])
                y = geometry.top
    return result


def _kept_height(blocks: list[Block], start: int) -> float:
    """Height of what must follow a heading on its page: :data:`MIN_LINES` lines of text, as
    the blocks would really be placed (a block that cannot leave two lines at the head of the
    next page goes whole; a one-line block takes the next one's lines too), or one block kept
    together (a table row), and for a heading or label met on the way, what it must keep in
    turn."""
    height = 0.0
    lines = MIN_LINES
    for block in blocks[start:]:
        height += block.space_before
        count = len(block.lines)
        if block.keep_with_next:  # another heading or label: what it keeps comes too
            height += block.height
            lines = MIN_LINES
            continue
        take = count if block.keep_together or count < max(lines, MIN_LINES) + MIN_LINES \
            else max(lines, MIN_LINES)
        height += block.lines_height(0, take)
        lines = 0 if block.keep_together else lines - take
        if lines <= 0:
            break
    return height


def _split_point(block: Block, first: int, fits: int) -> int:
    """How many lines to leave on this page when the block does not fit (0: move it)."""
    remaining = len(block.lines) - first
    if block.keep_together or block.keep_with_next or fits < MIN_LINES:
        return 0
    return max(0, min(fits, remaining - MIN_LINES))
