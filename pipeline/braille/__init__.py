"""Braille: each edition as a BRF file for embossers and braille displays, and as PEF.

The text is translated with liblouis in the language's own braille code
(:mod:`.tables`, :mod:`.translate`), laid out in pages by UK braille conventions
(:mod:`.format`), then written as ASCII braille (:mod:`.brf`) and as Portable
Embosser Format (:mod:`.pef`). A language with no braille code in liblouis is
skipped (the build table says why, and the build exits 3), and its web page links
no braille.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from .. import layout
from ..builders.base import Builder, OutputDir
from ..errors import FormatSkipped, LeafletsError, Problem
from ..inline import plain
from ..model import Edition
from .brf import write_brf
from .format import Geometry, Page, lay_out
from .pef import write_pef
from .tables import code_for
from .translate import Translator

MIN_CELLS, MIN_LINES = 20, 10
"""The smallest page the layout works on (a heading, its two lines, a page number)."""


def has_braille(lang: str) -> bool:
    """Whether a language has a braille code, so its braille files are made."""
    return code_for(lang) is not None


@dataclass
class BrailleBuilder(Builder):
    """Writes ``<leaflet>.<lang>.brf`` and ``<leaflet>.<lang>.pef`` for each edition."""

    format: ClassVar[str] = "braille"
    problems: list[Problem] = field(default_factory=list)

    def build(self, edition: Edition, out: OutputDir) -> None:
        if not has_braille(edition.lang):
            raise FormatSkipped(f"no braille: liblouis has no braille code for "
                                f"'{edition.lang}'")
        geometry = self.geometry()
        pages = self.pages(edition, geometry)
        leaflet = edition.leaflet
        date = leaflet.date if re.fullmatch(r"\d{4}-\d\d-\d\d", leaflet.date) else ""
        out.write(layout.brf_name(edition), write_brf(pages))
        out.write(layout.pef_name(edition), write_pef(
            pages, geometry, identifier=f"{leaflet.id}.{edition.lang}.{leaflet.version}",
            title=plain(leaflet.title.markdown), lang=edition.lang, date=date))

    def geometry(self) -> Geometry:
        cells, lines = self.settings.braille_cells, self.settings.braille_lines
        if cells < MIN_CELLS or lines < MIN_LINES:
            raise LeafletsError(f"a braille page of {cells} cells by {lines} lines is too small",
                                hint=f"use at least {MIN_CELLS} cells and {MIN_LINES} lines")
        return Geometry(cells, lines)

    def pages(self, edition: Edition, geometry: Geometry) -> list[Page]:
        """The edition's braille pages (the problems met go to ``problems``)."""
        translator = Translator(edition.lang, self.settings.braille_english_grade)
        pages = lay_out(edition, translator, geometry)
        self.problems += list(dict.fromkeys(translator.problems))
        return pages


__all__ = ["BrailleBuilder", "has_braille"]
