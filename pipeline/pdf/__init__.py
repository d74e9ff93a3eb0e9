"""The large-print tagged PDF: A4, UKAAF sizes, every script, readable by screen readers."""

from __future__ import annotations

from typing import ClassVar

from ..builders.base import Builder, OutputDir
from ..errors import LeafletsError
from ..layout import easy_pdf_name, pdf_name
from ..model import Edition
from .easyread import render_easy
from .fonts import FontSet
from .render import render

PRINT_SIZES = (16, 18, 24)


class PdfBuilder(Builder):
    """Writes ``<leaflet>.<lang>.pdf`` for each edition, and its printed easy-read
    edition ``<leaflet>.<lang>.easy-read.pdf`` when the leaflet has easy read."""

    format: ClassVar[str] = "pdf"

    def build(self, edition: Edition, out: OutputDir) -> None:
        out.write(pdf_name(edition), self.render(edition))
        if edition.leaflet.has_easy_read:
            out.write(easy_pdf_name(edition), self.render_easy(edition))

    def render_easy(self, edition: Edition) -> bytes:
        """The printed easy-read edition as bytes."""
        fonts = [(key, str(self.settings.resolve(path))) for key, path in self.settings.fonts]
        return render_easy(edition, self.settings.easy_read_size, FontSet(edition.lang, fonts))

    def render(self, edition: Edition) -> bytes:
        """The PDF as bytes (one write, so a failed build leaves no file)."""
        size = self.settings.print_size
        if size not in PRINT_SIZES:
            raise LeafletsError(
                f"print size {size} pt is not a large-print size",
                hint=f"use one of {', '.join(map(str, PRINT_SIZES))}",
            )
        fonts = [(key, str(self.settings.resolve(path))) for key, path in self.settings.fonts]
        return render(edition, size, FontSet(edition.lang, fonts))


__all__ = ["PRINT_SIZES", "PdfBuilder"]
