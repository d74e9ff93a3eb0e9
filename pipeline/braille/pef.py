"""PEF: the same braille pages as Portable Embosser Format 2008-1 (Unicode braille, XML).

One volume, one section: ``cols`` and ``rows`` are the page size the pages were laid
out for, single-sided (``duplex="false"``), no extra gap between rows.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .format import Geometry, Page

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"


def write_pef(pages: list[Page], geometry: Geometry, *, identifier: str, title: str,
              lang: str, date: str) -> bytes:
    """The pages as a PEF document; ``date`` is YYYY-MM-DD, or empty."""
    meta = [
        "<dc:format>application/x-pef+xml</dc:format>",
        f"<dc:identifier>{escape(identifier)}</dc:identifier>",
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{escape(lang)}</dc:language>",
    ]
    if date:
        meta.append(f"<dc:date>{escape(date)}</dc:date>")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<pef version="2008-1" xmlns="{PEF_NS}">',
        f'<head><meta xmlns:dc="{DC_NS}">',
        *(f"  {line}" for line in meta),
        "</meta></head>",
        "<body>",
        f'<volume cols="{geometry.cells}" rows="{geometry.lines}" rowgap="0" duplex="false">',
        "<section>",
    ]
    for page in pages:
        out.append("<page>")
        out += [f"<row>{row}</row>" if row else "<row/>" for row in page.rows]
        out.append("</page>")
    out += ["</section>", "</volume>", "</body>", "</pef>", ""]
    return "\n".join(out).encode("utf-8")
