"""Glyph codes that spell their text: what PDF readers extract from shaped glyphs.

A reader gets a page's text from the order glyphs are drawn in and each font's
ToUnicode map (glyph code -> characters). Shaped text breaks both in most scripts:
HarfBuzz gives glyphs in visual order (right-to-left runs reversed, Gurmukhi's short
i before its consonant), ligatures and contextual forms have no character of their
own, and Nastaliq draws a letter's dots as glyphs of their own. So each cluster (the
glyphs HarfBuzz makes from one run of characters) is drawn with one glyph that spells
the cluster, under a code of its own whose ToUnicode entry is the cluster's text;
clusters are drawn in logical order, each glyph at its own place; and the cluster's
other glyphs (dots, marks, a vowel sign drawn before its consonant) are drawn as
outlines, not as text, so no reader meets them twice or out of order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfbase import ttfonts

from .fonts import Face

FIRST_CODE = 0xF0000
"""Glyph codes of their own come from Unicode's plane 15 private-use area, which ReportLab's
own codes for glyphs without a character (in the BMP's private-use area) never reach."""

SPOKEN: dict[str, dict[int, str]] = {}
"""Per font (its PostScript name), the text of each code given out by :func:`code_for`."""


def code_for(face: Face, gid: int, text: str, width: float) -> str:
    """The code point that draws glyph ``gid`` of ``face``, reads as ``text`` and advances
    ``width`` thousandths of an em (a reader's box for the text)."""
    key = (gid, text, round(width))
    found = face.codes.get(key)
    if found is None:
        ttf = face.font.face
        spoken = SPOKEN.setdefault(ttf.name.decode("latin-1"), {})
        code = max(spoken) + 1 if spoken else FIRST_CODE
        ttf.charToGlyph[code] = gid
        ttf.glyphToChar.setdefault(gid, []).append(code)
        ttf.charWidths[code] = key[2]
        spoken[code] = text
        found = face.codes[key] = chr(code)
    return found


def to_unicode(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap for one font subset: each code's own character, or the text
    :func:`code_for` gave it (UTF-16, so also characters beyond the BMP)."""
    spoken = SPOKEN.get(fontname.split("+", 1)[-1], {})
    entries = [
        f"<{code:02X}> <{_utf16(spoken.get(char, chr(char) if char else ''))}>"
        for code, char in enumerate(subset)
    ]
    blocks: list[str] = []
    for start in range(0, len(entries), 100):  # at most 100 entries a block
        chunk = entries[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        *blocks,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper() or "0000"


@contextmanager
def spelled_fonts() -> Iterator[None]:
    """Fonts written while inside get :func:`to_unicode` maps (ReportLab 5.1 writes
    each subset's map with ``ttfonts.makeToUnicodeCMap``)."""
    saved = ttfonts.makeToUnicodeCMap
    ttfonts.makeToUnicodeCMap = to_unicode
    try:
        yield
    finally:
        ttfonts.makeToUnicodeCMap = saved


class _PathPen:
    """Collects a glyph outline as PDF path operators, in font units."""

    def __init__(self) -> None:
        self.ops: list[str] = []
        self.at = (0.0, 0.0)

    def moveTo(self, p: tuple[float, float]) -> None:  # the pen protocol's names
        self.ops.append(f"{p[0]:g} {p[1]:g} m")
        self.at = p

    def lineTo(self, p: tuple[float, float]) -> None:
        self.ops.append(f"{p[0]:g} {p[1]:g} l")
        self.at = p

    def curveTo(self, a: tuple[float, float], b: tuple[float, float],
                p: tuple[float, float]) -> None:
        self.ops.append(f"{a[0]:g} {a[1]:g} {b[0]:g} {b[1]:g} {p[0]:g} {p[1]:g} c")
        self.at = p

    def qCurveTo(self, c: tuple[float, float], p: tuple[float, float]) -> None:
        (x0, y0), (cx, cy) = self.at, c
        a = (x0 + 2 * (cx - x0) / 3, y0 + 2 * (cy - y0) / 3)
        b = (p[0] + 2 * (cx - p[0]) / 3, p[1] + 2 * (cy - p[1]) / 3)
        self.curveTo(a, b, p)

    def closePath(self) -> None:
        self.ops.append("h")


def outline(face: Face, gid: int) -> str:
    """Glyph ``gid`` of ``face`` as PDF path operators in font units ('' when it has no ink)."""
    found = face.outlines.get(gid)
    if found is None:
        pen = _PathPen()
        face.hb_font.draw_glyph_with_pen(gid, pen)
        found = face.outlines[gid] = " ".join(pen.ops)
    return found


def draw_outline(face: Face, gid: int, x: float, y: float, size: float) -> str:
    """Operators that fill glyph ``gid`` at ``size`` points with its origin at (x, y), outside
    any text object (emboldened like the text when the face is a fake bold)."""
    path = outline(face, gid)
    if not path:
        return ""
    scale = size / face.font.face.unitsPerEm
    paint = "B" if face.fake_bold else "f"
    return f"q {scale:g} 0 0 {scale:g} {x:.2f} {y:.2f} cm {path} {paint} Q"
