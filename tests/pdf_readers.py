"""Reading a PDF back as its users' software does: lines of pages with their styles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

BOLD = 16
"""MuPDF's span flag for a bold face."""


@dataclass(frozen=True)
class PageLine:
    """One printed line: its baseline from the top, largest size, whether all of it is bold."""

    baseline: float
    size: float
    bold: bool
    text: str


def page_lines(path: Path) -> list[list[PageLine]]:
    """Each page's lines from the top (MuPDF), pieces on one baseline merged."""
    pages: list[list[PageLine]] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            spans = sorted(
                ((round(span["origin"][1], 1), span)
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                for span in line["spans"]
                if span["text"].strip()),
                key=lambda item: item[0],
            )
            lines: list[PageLine] = []
            for y, span in spans:
                bold = bool(span["flags"] & BOLD) or "Bold" in span["font"]
                if lines and abs(lines[-1].baseline - y) < 6:
                    last = lines[-1]
                    lines[-1] = PageLine(last.baseline, max(last.size, span["size"]),
                                         last.bold and bold, f"{last.text} {span['text']}")
                else:
                    lines.append(PageLine(y, span["size"], bold, span["text"]))
            pages.append(lines)
    return pages
