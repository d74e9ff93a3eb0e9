"""The fonts of an EPUB: the large-print PDF's fonts, cut down to the characters used.

The web page embeds no font (it names Atkinson Hyperlegible and Noto in its
stylesheet), so the book carries the faces the PDF picks for each word
(:class:`pipeline.pdf.fonts.FontSet`), each subset with fontTools to the
characters the book shows in it. Subsetting keeps no timestamps: the same
text gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from ..pdf.fonts import FontSet


@dataclass(frozen=True)
class EmbeddedFont:
    """A subset face: its file name in the package, CSS family, weight and bytes."""

    name: str
    family: str
    weight: int
    data: bytes


def embedded_fonts(lang: str, overrides: Iterable[tuple[str, str]],
                   texts: Iterable[tuple[str, bool]]) -> list[EmbeddedFont]:
    """Subsets of the faces that show ``texts`` ((text, bold) pairs), in order of first use."""
    fonts = FontSet(lang, overrides)
    used: dict[tuple[str, bool], tuple[Path, set[str]]] = {}
    for text, bold in texts:
        for word in text.split():
            for run, family in fonts.runs(word):
                face = family.face(bold)
                bold_face = bold and not face.fake_bold  # else the reader emboldens
                stem = family.regular.path.stem.split("-")[0].split("[")[0]
                used.setdefault((stem, bold_face), (face.path, set()))[1].update(run)
    return [
        EmbeddedFont(f"fonts/{stem}-{'Bold' if bold else 'Regular'}.ttf", f"Leaflet {stem}",
                     700 if bold else 400, _subset(path, "".join(sorted(chars | {" "}))))
        for (stem, bold), (path, chars) in used.items()
    ]


def _subset(path: Path, chars: str) -> bytes:
    font = TTFont(str(path), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def font_faces(fonts: Iterable[EmbeddedFont], css_dir: str = "") -> str:
    """The ``@font-face`` rules of the embedded fonts."""
    return "".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'src: url("{css_dir}{f.name}"); }}\n' for f in fonts)


def families(fonts: Iterable[EmbeddedFont]) -> list[str]:
    return list(dict.fromkeys(f.family for f in fonts))
