"""Web fonts for one page: the PDF's faces, cut down to the page's characters, as WOFF2.

Each script on the page gets the face the large-print PDF uses for it (Atkinson
Hyperlegible for Latin, Noto Nastaliq Urdu for Urdu, Noto Sans Arabic, Noto Sans
Gurmukhi…), subset with fontTools to the characters the page shows in that face and
inlined as a ``data:`` URL, so the page stays one file and looks the same on every
system. Arabic-script faces get a ``size-adjust`` that makes their letters look as large
as Latin ones at the same nominal size.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from ..errors import LeafletsError
from ..files import write_atomic
from ..pdf.fonts import Family, FontSet

PLACEHOLDER = "/* web fonts */"
"""Where the page's stylesheet takes the @font-face rules."""

ARABIC_SHORT = "سصطمهوعدر"
"""Arabic letters that stand at about the height of Latin lower case (no ascender)."""


@dataclass(frozen=True)
class WebFace:
    """One @font-face: a family name, a weight and the subset font."""

    family: str
    weight: int
    woff2: bytes
    size_adjust: float

    def css(self) -> str:
        data = base64.b64encode(self.woff2).decode("ascii")
        adjust = f" size-adjust: {self.size_adjust:.0%};" if self.size_adjust != 1 else ""
        return (f'@font-face {{ font-family: "{self.family}"; font-weight: {self.weight};'
                f' font-display: swap;{adjust} src: url(data:font/woff2;base64,{data})'
                ' format("woff2"); }')


class _Text(HTMLParser):
    """The text a page shows: its text nodes, outside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def shown_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def web_faces(page: str, fonts: FontSet, cache_dir: Path) -> list[WebFace]:
    """The faces the page's text needs, in the order the stylesheet lists them (Latin
    first, so an English word in an Urdu page keeps the Latin face)."""
    chars: dict[Family, set[str]] = {}
    for word in set(shown_text(page).split()):
        try:
            runs = fonts.runs(word)
        except LeafletsError:  # no installed face has it: the reader's own fonts show it
            continue
        for run, family in runs:
            chars.setdefault(family, set()).update(run)
    latin = fonts.runs("a")[0][1]
    ordered = sorted(chars, key=lambda f: (f is not latin, f.key))
    faces: list[WebFace] = []
    for family in ordered:
        text = "".join(sorted(chars[family] | {" "}))
        adjust = _size_adjust(family.regular.path, latin.regular.path) \
            if family.key == "arabic" else 1.0
        name = f"leaflets {family.key}"
        faces.append(WebFace(name, 400, _woff2(family.regular.path, text, cache_dir), adjust))
        if not family.bold.fake_bold:
            faces.append(WebFace(name, 700, _woff2(family.bold.path, text, cache_dir), adjust))
    return faces


def with_web_fonts(page: str, fonts: FontSet, cache_dir: Path) -> str:
    """``page`` with @font-face rules for its text and those faces first in its font list."""
    faces = web_faces(page, fonts, cache_dir)
    families = ", ".join(dict.fromkeys(f'"{face.family}"' for face in faces))
    rules = [face.css() for face in faces]
    if families:
        rules.append(f":root {{ --web-fonts: {families}; }}")
    return page.replace(PLACEHOLDER, "\n".join(rules), 1)


def _woff2(path: Path, text: str, cache_dir: Path) -> bytes:
    """The font at ``path`` cut down to ``text`` (and what its layout features reach), WOFF2,
    kept under ``cache_dir``: subsetting a Nastaliq face takes seconds."""
    key = hashlib.sha256(f"{_digest(path)} {fontTools.version} {text}".encode()).hexdigest()
    stored = cache_dir / "webfonts" / f"{key}.woff2"
    if stored.is_file():
        return stored.read_bytes()
    data = _subset(path, text)
    write_atomic(stored, data)
    return data


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _subset(path: Path, text: str) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(path), recalcTimestamp=False)  # the same bytes every build
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


@cache
def _size_adjust(face: Path, latin: Path) -> float:
    """How much larger to set an Arabic-script face so its short letters stand as tall as
    the Latin face's x-height (clamped to 100–140%)."""
    x_height = _ink_top(latin, "xvwz")
    short = _ink_top(face, ARABIC_SHORT)
    return round(min(1.4, max(1.0, x_height / short)), 2) if short else 1.0


def _ink_top(path: Path, letters: str) -> float:
    """The median top of ``letters`` in the font at ``path``, in ems."""
    font = TTFont(str(path))
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    tops = []
    for letter in letters:
        name = cmap.get(ord(letter))
        if name is None:
            continue
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds:
            tops.append(pen.bounds[3])
    tops.sort()
    return tops[len(tops) // 2] / font["head"].unitsPerEm if tops else 0.0
