"""Setting one paragraph: font runs, HarfBuzz shaping, line breaks and bidi order.

A paragraph comes in as styled segments and leaves as :class:`Line` objects whose
pieces are kept in *logical* order (the order they are drawn and read in) with
the x position each takes in *visual* order. Lines break only at spaces (no
hyphenation); a word wider than the measure is split where it must be.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import uharfbuzz as hb

from .bidi import levels, visual_order
from .fonts import INVISIBLE, Face, FontSet

FEATURES = {"kern": True, "liga": True}

Move = tuple[float, float, float]


@dataclass(frozen=True)
class Segment:
    """A run of plain text in one style and one language."""

    text: str
    bold: bool
    lang: str


@dataclass(frozen=True, eq=False)
class Glyphs:
    """Shaped text in visual order (HarfBuzz reverses right-to-left runs, mirrors brackets)."""

    chars: str
    """One code point per glyph, the one the font maps to it (private use when it has none)."""
    moves: tuple[Move, ...] | None
    """Per glyph, in thousandths of an em: shift before it, correction after its natural
    advance, and rise. None when every glyph sits at its natural advance."""
    advance: float
    """Total advance, in thousandths of an em."""


@dataclass(frozen=True, eq=False)
class Piece:
    """Text drawn in one face at one bidi level: the unit of drawing and of ActualText."""

    text: str
    """What the piece says, in logical order (for ActualText and checks)."""
    glyphs: Glyphs
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
        return self.glyphs.chars != self.text


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]
    """In logical order; a trailing space keeps copied text from running words together."""
    xs: tuple[float, ...]
    """Left edge of each piece, measured from the start of the visible line."""
    width: float
    """Width of the visible pieces (without the trailing space)."""
    plain: bool = False
    """True when every piece runs left to right and spells its text: drawn as one run."""


def shape(text: str, face: Face, rtl: bool, lang: str) -> Glyphs:
    """Shape ``text`` in one direction with HarfBuzz."""
    font = face.font
    ttf = font.face
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    hb.shape(face.hb_font, buf, FEATURES)
    scale = 1000 / ttf.unitsPerEm
    glyph_chars = ttf.glyphToChar
    widths = ttf.charWidths
    chars: list[str] = []
    moves: list[Move] = []
    natural = True
    total = 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        try:
            uchar = glyph_chars[gid][0]
        except (KeyError, IndexError):
            uchar = font.hbAddPrivate(face.hb_font.glyph_to_string(gid), gid, pos.x_advance)
        advance = pos.x_advance * scale
        dx = pos.x_offset * scale
        dy = pos.y_offset * scale
        total += advance
        after = widths[uchar] - advance + dx
        natural = natural and not (dx or dy or after)
        chars.append(chr(uchar))
        moves.append((-dx, after, dy))
    return Glyphs("".join(chars), None if natural else tuple(moves), total)


Word = list[Piece]
Words = list[tuple[Word, Piece | None]]


class Typesetter:
    """Sets the paragraphs of one document; remembers shaped words and set paragraphs.

    Nothing is kept from one document to the next but the fonts themselves.
    """

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._shaped: dict[tuple[str, Face, bool, str], Glyphs] = {}
        self._pieces: dict[tuple[str, Face, float, int, str], Piece] = {}
        self._words: dict[tuple[str, bool, str, int, float], Word] = {}
        self._set: dict[tuple[tuple[Segment, ...], int, float, float], list[Line]] = {}

    def piece(self, text: str, face: Face, size: float, level: int, lang: str) -> Piece:
        key = (text, face, size, level, lang)
        piece = self._pieces.get(key)
        if piece is None:
            rtl = level % 2 == 1
            shaped = (text, face, rtl, lang)
            glyphs = self._shaped.get(shaped)
            if glyphs is None:
                drawn = "".join(c for c in text if c not in INVISIBLE) or text
                glyphs = self._shaped[shaped] = shape(drawn, face, rtl, lang)
            width = glyphs.advance * size / 1000
            piece = self._pieces[key] = Piece(text, glyphs, face, size, level, lang, width)
        return piece

    def word(self, text: str, bold: bool, lang: str, level: int, size: float) -> Word:
        """The pieces of a word in one style and at one level: one per font run."""
        key = (text, bold, lang, level, size)
        word = self._words.get(key)
        if word is None:
            word = self._words[key] = [
                self.piece(run, family.face(bold), size, level, lang)
                for run, family in self.fonts.runs(text)
            ]
        return word

    def typeset(
        self, segments: Sequence[Segment], base: int, size: float, measure: float
    ) -> list[Line]:
        """Break a paragraph into lines of at most ``measure`` points."""
        key = (tuple(segments), base, size, measure)
        lines = self._set.get(key)
        if lines is None:
            lines = self._set[key] = self._typeset(segments, base, size, measure)
        return lines

    def _typeset(
        self, segments: Sequence[Segment], base: int, size: float, measure: float
    ) -> list[Line]:
        lines: list[Line] = []
        text = "".join(s.text for s in segments)
        starts: list[int] = []
        at = 0
        for s in segments:
            starts.append(at)
            at += len(s.text)
        start = 0
        for part in text.split("\n"):
            end = start + len(part)
            words = self._split(text, segments, starts, start, end, base, size)
            lines.extend(_fill(words, base, measure, self.piece))
            start = end + 1
        return lines

    def _split(
        self,
        text: str,
        segments: Sequence[Segment],
        starts: list[int],
        start: int,
        end: int,
        base: int,
        size: float,
    ) -> Words:
        """The words of ``text[start:end]``, each with the space that follows it (if any)."""
        lv = levels(text[start:end], base)
        cuts = [s for s in starts if start < s < end]
        if lv.count(lv[0] if lv else base) != len(lv):
            cuts += [start + k for k in range(1, len(lv)) if lv[k] != lv[k - 1]]
            cuts.sort()
        out: Words = []
        i = start
        while i < end:
            j = text.find(" ", i, end)
            j = end if j < 0 else j
            n = bisect_right(cuts, i)
            if j == i:
                word: Word = []
            elif n == len(cuts) or cuts[n] >= j:  # one style, one level: the common case
                segment = segments[bisect_right(starts, i) - 1]
                word = self.word(text[i:j], segment.bold, segment.lang, lv[i - start], size)
            else:
                word = self._cut_word(text, segments, starts, cuts, i, j, lv[i - start :], size)
            space = None
            if j < end:
                segment = segments[bisect_right(starts, j) - 1]
                face = word[-1].face if word else self.fonts.runs("a")[0][1].face(segment.bold)
                space = self.piece(" ", face, size, lv[j - start], segment.lang)
            if word or space:
                out.append((word, space))
            i = j + 1
        return out

    def _cut_word(
        self,
        text: str,
        segments: Sequence[Segment],
        starts: list[int],
        cuts: list[int],
        i: int,
        j: int,
        lv: list[int],
        size: float,
    ) -> Word:
        """A word that changes style or bidi level: pieces end at font runs and at ``cuts``."""
        word: Word = []
        at = i
        for run, family in self.fonts.runs(text[i:j]):
            run_end = at + len(run)
            while at < run_end:
                n = bisect_right(cuts, at)
                stop = cuts[n] if n < len(cuts) and cuts[n] < run_end else run_end
                segment = segments[bisect_right(starts, at) - 1]
                face = family.face(segment.bold)
                word.append(self.piece(text[at:stop], face, size, lv[at - i], segment.lang))
                at = stop
        return word


PieceMaker = Callable[[str, Face, float, int, str], Piece]


def _fill(words: Words, base: int, measure: float, make_piece: PieceMaker) -> list[Line]:
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
            for chunk in _split_word(word, measure, make_piece):
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


def _split_word(word: Word, measure: float, make_piece: PieceMaker) -> list[Word]:
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
    plain = not any(p.level or p.needs_actual_text for p in pieces)
    return Line(tuple(pieces), tuple(xs), x, plain)
