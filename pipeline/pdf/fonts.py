"""Finding fonts for every script, and splitting text into runs a single font covers.

Fonts are found without configuration: Atkinson Hyperlegible for Latin script,
Noto Sans for what it covers, and ``Noto Sans <Script>`` for other scripts, from
the system font folders (Debian ``fonts-noto-core``) or the ``fontpkg-*`` PyPI
packages. ``Settings.fonts`` pairs override a script (``"arabic"``,
``"gurmukhi"``, ``"latin"``) or a language (``"ur"``): the font of that language
comes first for its editions. A character no font covers is a build error.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import LeafletsError

SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/local/share/fonts"),
)

# Script word (as in Unicode character names) -> font file stems, best first.
KNOWN_STEMS: dict[str, tuple[str, ...]] = {
    "latin": ("AtkinsonHyperlegible", "NotoSans"),
    "arabic": ("NotoSansArabic", "NotoNaskhArabic"),
    "common": ("NotoSans",),
    # Last resorts for symbols, pictographs and emoji (drawn in outline, a glyph each).
    "symbols": ("NotoSansSymbols2", "NotoSansSymbols"),
    "pictographs": ("Symbola",),
}

# Scripts whose Noto fonts Debian ships outside fonts-noto-core.
DEBIAN_PACKAGES: dict[str, str] = {
    **dict.fromkeys(("cjk", "hiragana", "katakana", "hangul", "bopomofo", "ideographic",
                     "halfwidth", "fullwidth"), "fonts-noto-cjk"),
    "pictographs": "fonts-symbola",
}

# (language, script word) -> the stems its readers expect, where they differ from the
# script's: Urdu is read in Nastaliq.
LANGUAGE_STEMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ur", "arabic"): ("NotoNastaliqUrdu",),
}

# Fonts Debian installs under another name than <stem>-Regular.ttf.
SYSTEM_FILES: dict[str, Path] = {
    "Symbola": Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
}

PYPI_FONTS: dict[str, tuple[str, str]] = {
    # stem -> (package, file name of the regular face); bold is the "-Bold" sibling if any
    "AtkinsonHyperlegible": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Regular.ttf"),
    "NotoSans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "NotoSansArabic": ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
}

# Characters that need no glyph of their own: HarfBuzz handles them (joiners, marks).
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\u00ad\ufeff")


@dataclass(frozen=True, eq=False)
class Face:
    """One registered TrueType face (a ReportLab font name) and what it covers."""

    name: str
    path: Path
    covered: frozenset[str]
    """The characters it has a glyph for, and the invisible ones."""
    ascent: float
    """Above the baseline, in thousandths of the font size."""
    descent: float
    """Below the baseline (negative), in thousandths of the font size."""
    fake_bold: bool = False
    """True when the family has no bold face and this regular face is drawn emboldened."""
    font: TTFont = field(default=None, repr=False)  # type: ignore[assignment]
    """The ReportLab font: metrics, subsets and embedding."""
    hb_font: hb.Font = field(default=None, repr=False)  # type: ignore[assignment]
    """The HarfBuzz font, in font units."""
    glyphs: dict[int, tuple[str, float]] = field(default_factory=dict, repr=False)
    """Glyph id -> the code point ReportLab draws it with and its width (filled by shaping)."""
    ink: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    """Glyph id -> top and bottom of its ink, in font units (filled by shaping)."""
    codes: dict[tuple[int, str, int], str] = field(default_factory=dict, repr=False)
    """(glyph id, text, width) -> the code point that draws the glyph, reads as the text and
    advances the width (see :mod:`.spelling`)."""
    outlines: dict[int, str] = field(default_factory=dict, repr=False)
    """Glyph id -> its outline as PDF path operators, in font units (see :mod:`.spelling`)."""

    def covers(self, text: str) -> bool:
        """True when every character has a glyph, or is composed of glyphs the face has
        (``ŵ`` as ``w`` and a combining circumflex: HarfBuzz puts the accent on)."""
        return self.covered.issuperset(text) or (
            not text.isascii() and self.covered.issuperset(unicodedata.normalize("NFD", text)))


@dataclass(frozen=True)
class Family:
    """The regular and bold face of one typeface."""

    key: str
    regular: Face
    bold: Face

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular


@cache
def load_face(path: Path, fake_bold: bool = False) -> Face:
    """Register ``path`` with ReportLab (shaped with HarfBuzz, embedded and subset).

    A fake bold face is the regular one drawn with an outline: the same ReportLab font,
    since two fonts from one file would give one document two subsets of the same name.
    """
    if fake_bold:
        return replace(load_face(path), fake_bold=True)
    name = f"lf{len(pdfmetrics.getRegisteredFontNames())}-{path.stem}"
    name = "".join(c for c in name if c.isalnum() or c == "-")
    try:
        font = TTFont(name, str(path))
    except Exception as exc:  # ReportLab raises TTFError and plain IOError alike
        raise LeafletsError(f"cannot read font: {exc}", path, hint="give a TrueType file") from exc
    pdfmetrics.registerFont(font)
    face = font.face
    return Face(
        name=name,
        path=path,
        covered=frozenset(map(chr, face.charToGlyph)) | INVISIBLE,
        ascent=float(face.ascent),
        descent=float(face.descent),
        fake_bold=fake_bold,
        font=font,
        # ReportLab 5.1 internals: TTFont.hbFont() also installs hbAddPrivate, which maps
        # glyphs without a code point (ligatures, contextual forms) to private-use ones.
        hb_font=font.hbFont(1000),
    )


def family_from_file(key: str, regular: Path) -> Family:
    """A family from its regular face; the ``-Bold`` sibling is used when present."""
    if not regular.is_file():
        raise LeafletsError("font file not found", regular, hint="check the fonts setting")
    bold = regular.with_name(regular.name.replace("-Regular", "-Bold"))
    if bold != regular and bold.is_file():
        return Family(key, load_face(regular), load_face(bold))
    return Family(key, load_face(regular), load_face(regular, fake_bold=True))


@cache
def find_stem(stem: str) -> Path | None:
    """The regular face of font ``stem``: static system files first, then PyPI packages."""
    for folder in SYSTEM_DIRS:
        candidate = folder / f"{stem}-Regular.ttf"
        if candidate.is_file():
            return candidate
    if stem in SYSTEM_FILES and SYSTEM_FILES[stem].is_file():
        return SYSTEM_FILES[stem]
    if stem in PYPI_FONTS:
        package, filename = PYPI_FONTS[stem]
        try:
            candidate = Path(str(importlib.resources.files(package) / "files" / filename))
        except ModuleNotFoundError:
            return None
        if candidate.is_file():
            return candidate
    return None


@cache
def script_of(char: str) -> str:
    """The script word of a character's Unicode name (``GURMUKHI LETTER KA`` -> gurmukhi).

    Names of shared characters give words such as ``digit`` or ``comma``, for
    which no font is found: such characters go to the Latin or common font.
    """
    name = unicodedata.name(char, "")
    if name.startswith(("LATIN", "GREEK", "CYRILLIC")):
        return "latin"
    return re.split("[ -]", name, maxsplit=1)[0].lower() or "common"


def debian_package(script: str) -> str:
    """The Debian package with the Noto fonts of ``script``."""
    return DEBIAN_PACKAGES.get(script, "fonts-noto-core")


def default_stems(script: str) -> tuple[str, ...]:
    return KNOWN_STEMS.get(script, ("NotoSans" + script.title().replace("_", ""),))


class FontSet:
    """The fonts of one edition: picks, for each word, a family that covers it."""

    def __init__(self, lang: str, overrides: Iterable[tuple[str, str]] = ()) -> None:
        self.lang = lang
        base = self.base = lang.split("-")[0].lower()
        self._overrides: dict[str, Path] = {}
        self._first: list[Family] = []
        for key, path in overrides:
            if key.lower() in (lang.lower(), base):
                self._first.append(family_from_file(key, Path(path)))
            else:
                self._overrides[key.lower()] = Path(path)
        self._families: dict[str, Family | None] = {}
        self._runs: dict[str, list[tuple[str, Family]]] = {}

    def family(self, script: str) -> Family | None:
        """The family for ``script``, or None when none is installed."""
        if script not in self._families:
            found: Family | None = None
            if script in self._overrides:
                found = family_from_file(script, self._overrides[script])
            else:
                for stem in (*LANGUAGE_STEMS.get((self.base, script), ()),
                             *default_stems(script)):
                    path = find_stem(stem)
                    if path is not None:
                        found = family_from_file(script, path)
                        break
            self._families[script] = found
        return self._families[script]

    def _candidates(self, text: str) -> Iterator[Family]:
        yield from self._first
        for script in dict.fromkeys([*map(script_of, text), "latin", "common", "symbols",
                                                  "pictographs"]):
            family = self.family(script)
            if family is not None:
                yield family

    def runs(self, word: str) -> list[tuple[str, Family]]:
        """Split ``word`` (no spaces) into runs, each in a family that covers it.

        A word one family covers stays in that family; otherwise each character
        takes the first family covering it, and neutral characters stay with
        their neighbour. Remembered per word, for the life of this font set.
        """
        found = self._runs.get(word)
        if found is None:
            found = self._runs[word] = self._split(word)
        return found

    def _split(self, word: str) -> list[tuple[str, Family]]:
        for family in self._candidates(word):
            if family.regular.covers(word):
                return [(word, family)]
        out: list[tuple[str, Family]] = []
        for char in word:
            if out and out[-1][1].regular.covers(char):
                out[-1] = (out[-1][0] + char, out[-1][1])
                continue
            family = next((f for f in self._candidates(char) if f.regular.covers(char)), None)
            if family is None:
                raise self.missing(char)
            out.append((char, family))
        return out

    def missing(self, char: str) -> LeafletsError:
        script = script_of(char)
        stem = default_stems(script)[0]
        return LeafletsError(
            f"no installed font has the character {char!r} (U+{ord(char):04X}, "
            f"{unicodedata.name(char, 'unnamed')}) used in the {self.lang} edition",
            hint=f"install a font such as {stem} (Debian: {debian_package(script)}) or set one "
            f"for {script!r} in the fonts setting",
        )
