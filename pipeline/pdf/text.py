"""Setting one paragraph: font runs, HarfBuzz shaping, line breaks and bidi order.

A paragraph comes in as styled segments and leaves as :class:`Line` objects whose
pieces are kept in *logical* order (the order they are drawn and read in) with
the x position each takes in *visual* order. Lines break only at spaces (no
hyphenation); a word wider than the measure is split where it must be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from .bidi import levels, visual_order
from .fonts import INVISIBLE, Face, FontSet

FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True)
class Segment:
    """A run of plain text in one style and one language."""

    text: str
    bold: bool
    lang: str


@dataclass(frozen=True)
class Piece:
    """Text drawn in one face at one bidi level: the unit of drawing and of ActualText."""

    text: str
    """What the piece says, in logical order (for ActualText and checks)."""
    glyphs: str
    """What is drawn: a ReportLab ``ShapedStr`` when shaping changed anything."""
    face: Face
    size: float
    level: int
    lang: str
    width: float

    @property
    def is_space(self) -> bool:
        return self.text == " "

    @property
    def needs_actual_text(self) -> bool:
        """True when the glyphs do not spell the text (ligatures, reordering, RTL)."""
        return str(self.glyphs) != self.text


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]
    """In logical order; a trailing space keeps copied text from running words together."""
    xs: tuple[float, ...]
    """Left edge of each piece, measured from the start of the visible line."""
    width: float
    """Width of the visible pieces (without the trailing space)."""


@cache
def _hb_font(face_name: str) -> hb.Font:
    # ReportLab 5.1 internals: TTFont.hbFont() also installs hbAddPrivate, which maps
    # glyphs without a code point (ligatures, contextual forms) to private-use ones.
    return pdfmetrics.getFont(face_name).hbFont(1000)


@lru_cache(maxsize=65536)
def shape(text: str, face_name: str, size: float, rtl: bool, lang: str) -> tuple[str, float]:
    """Shape ``text`` in one direction; returns what to draw and its width in points.

    Glyphs come back in visual order (HarfBuzz reverses right-to-left runs and
    mirrors brackets), as a ReportLab ``ShapedStr`` carrying the positions.
    """
    font = pdfmetrics.getFont(face_name)
    hbf = _hb_font(face_name)
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    hb.shape(hbf, buf, FEATURES)
    ttf = font.face
    chars: list[str] = []
    data: list[ShapeData] = []
    changed = False
    for i, (info, pos) in enumerate(zip(buf.glyph_infos, buf.glyph_positions, strict=True)):
        gid = info.codepoint
        try:
            uchar = ttf.glyphToChar[gid][0]
        except (KeyError, IndexError):
            uchar = font.hbAddPrivate(hbf.glyph_to_string(gid), gid, pos.x_advance)
        natural = ttf.charWidths[uchar]
        advance = ttf._pdfScale(pos.x_advance)
        x_offset = ttf._pdfScale(pos.x_offset)
        y_offset = ttf._pdfScale(pos.y_offset)
        changed = changed or bool(
            x_offset or y_offset or advance != natural or i >= len(text) or text[i] != chr(uchar)
        )
        chars.append(chr(uchar))
        data.append(ShapeData(info.cluster, advance, 0, x_offset, y_offset, natural))
    width = sum(d.x_advance for d in data) * size / 1000
    if not changed and len(data) == len(text):
        return text, width
    return ShapedStr("".join(chars), shapeData=data), width


def make_piece(text: str, face: Face, size: float, level: int, lang: str) -> Piece:
    drawn = "".join(c for c in text if c not in INVISIBLE) or text
    glyphs, width = shape(drawn, face.name, size, level % 2 == 1, lang)
    return Piece(text, glyphs, face, size, level, lang, width)


def typeset(
    segments: Sequence[Segment], base: int, fonts: FontSet, size: float, measure: float
) -> list[Line]:
    """Break a paragraph into lines of at most ``measure`` points."""
    return list(_typeset(tuple(segments), base, fonts, size, measure))


@lru_cache(maxsize=4096)
def _typeset(
    segments: tuple[Segment, ...], base: int, fonts: FontSet, size: float, measure: float
) -> tuple[Line, ...]:
    # Cached: the contents list makes a leaflet be composed twice with the same texts.
    lines: list[Line] = []
    text = "".join(s.text for s in segments)
    styles = [(s.bold, s.lang) for s in segments for _ in s.text]
    start = 0
    for part in text.split("\n"):
        end = start + len(part)
        lines.extend(_fill(_words(text, styles, start, end, base, fonts, size), base, measure))
        start = end + 1
    return tuple(lines)


Word = list[Piece]


def _words(
    text: str,
    styles: list[tuple[bool, str]],
    start: int,
    end: int,
    base: int,
    fonts: FontSet,
    size: float,
) -> list[tuple[Word, Piece | None]]:
    """The words of ``text[start:end]``, each with the space that follows it (if any)."""
    lv = levels(text[start:end], base)
    out: list[tuple[Word, Piece | None]] = []
    i = start
    while i < end:
        j = text.find(" ", i, end)
        j = end if j < 0 else j
        word: Word = []
        if j > i:
            at = i
            for run, family in fonts.runs(text[i:j]):
                run_end = at + len(run)
                while at < run_end:
                    bold, lang = styles[at]
                    level = lv[at - start]
                    k = at + 1
                    while k < run_end and styles[k] == styles[at] and lv[k - start] == level:
                        k += 1
                    word.append(make_piece(text[at:k], family.face(bold), size, level, lang))
                    at = k
        space = None
        if j < end:
            bold, lang = styles[j]
            face = word[-1].face if word else fonts.runs("a")[0][1].face(bold)
            space = make_piece(" ", face, size, lv[j - start], lang)
        if word or space:
            out.append((word, space))
        i = j + 1
    return out


def _fill(words: list[tuple[Word, Piece | None]], base: int, measure: float) -> list[Line]:
    """Greedy line filling: as many words as fit; never split a word that fits a line."""
    lines: list[Line] = []
    current: list[Piece] = []
    width = 0.0
    pending_space: Piece | None = None
    for word, space in words:
        word_width = sum(p.width for p in word)
        gap = pending_space.width if (pending_space and current) else 0.0
        if current and width + gap + word_width > measure:
            lines.append(_line(current, pending_space, base))
            current, width, gap = [], 0.0, 0.0
        if current and pending_space:
            current.append(pending_space)
        if word_width > measure:
            for chunk in _split_word(word, measure):
                if current:
                    lines.append(_line(current, None, base))
                current = list(chunk)
            width = sum(p.width for p in current)
        else:
            current.extend(word)
            width += gap + word_width
        pending_space = space
    if current or not lines:
        lines.append(_line(current, None, base))
    return lines


def _split_word(word: Word, measure: float) -> list[Word]:
    """Cut a word wider than the line (a long web address) into pieces that fit."""
    chunks: list[Word] = []
    current: Word = []
    width = 0.0
    for piece in word:
        for char in piece.text:
            part = make_piece(char, piece.face, piece.size, piece.level, piece.lang)
            if current and width + part.width > measure:
                chunks.append(current)
                current, width = [], 0.0
            if current and current[-1].face is part.face and current[-1].level == part.level:
                merged = make_piece(
                    current[-1].text + char, part.face, part.size, part.level, part.lang
                )
                width += merged.width - current[-1].width
                current[-1] = merged
            else:
                current.append(part)
                width += part.width
    if current:
        chunks.append(current)
    return chunks


def _line(pieces: list[Piece], trailing: Piece | None, base: int) -> Line:
    """Place a line's pieces in visual order; a trailing space goes at the line's end."""
    order = visual_order([p.level for p in pieces])
    xs = [0.0] * len(pieces)
    x = 0.0
    for index in order:
        xs[index] = x
        x += pieces[index].width
    if trailing is not None:
        pieces = [*pieces, trailing]
        xs.append(x if base % 2 == 0 else -trailing.width)
    return Line(tuple(pieces), tuple(xs), x)
