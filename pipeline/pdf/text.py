"""Setting one paragraph: font runs, HarfBuzz shaping, line breaks and bidi order.

A paragraph comes in as styled segments and leaves as :class:`Line` objects whose
pieces are kept in *logical* order (the order they are drawn and read in) with
the x position each takes in *visual* order. Lines break only at spaces (no
hyphenation); a word wider than the measure is split where it must be.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import NamedTuple

import uharfbuzz as hb

from .bidi import levels, visual_order
from .fonts import INVISIBLE, Face, FontSet
from .spelling import code_for

FEATURES = {"kern": True, "liga": True}
POSITION = attrgetter("position")
CODEPOINT = attrgetter("codepoint")

RTL_SPACE = " \u200f"
"""What a space between right-to-left words reads as: a space and a right-to-left mark
(RLM), the mark hidden by an /ActualText of a plain space from the readers that take it.
pdf.js (Firefox) keeps a space only when the glyph after it starts less than 0.2 em left of
where the glyph before it ended, forgetting a glyph that reads as white space alone; each
right-to-left word, drawn in logical order, starts left of the one before. A space that
reads as more than white space it keeps, as a text item of its own."""
SPACES = re.compile("( )")
MARK_SHARE = 1.0
"""Room, in thousandths of an em, a right-to-left mark takes when it reads on its own."""
Move = tuple[float, float, float]
"""Shift before a glyph, correction after its natural advance, rise (thousandths of an em)."""


@dataclass(frozen=True)
class Segment:
    """A run of plain text in one style and one language."""

    text: str
    bold: bool
    lang: str
    href: str | None = None
    """Where the run links to, if it is (part of) a link."""
    part: str | None = None
    """The language of the run when it is a part in another language than ``lang`` (the
    paragraph's): "MAPPA" in Urdu, a phrase marked ``{lang=en}`` (:mod:`pipeline.langparts`)."""

    @property
    def run_lang(self) -> str:
        """The language the run is really in: its pieces are shaped and tagged as it."""
        return self.part or self.lang


@dataclass(frozen=True, eq=False)
class Glyphs:
    """Shaped text: glyphs in the order they are drawn and read, each at its visual place."""

    chars: str
    """One code point per glyph drawn as text, in the order they are drawn (logical): the
    character a glyph stands for, or a code of its own that reads as its cluster."""
    moves: tuple[Move, ...] | None
    """Per glyph, in thousandths of an em: shift before it, correction after its natural
    advance, and rise. None when every glyph sits at its natural advance."""
    advance: float
    """Total advance, in thousandths of an em."""
    top: float = 0.0
    """Highest point of the ink above the baseline, in thousandths of an em."""
    bottom: float = 0.0
    """Lowest point of the ink (negative below the baseline), in thousandths of an em."""
    outlines: tuple[tuple[int, float, float], ...] = ()
    """Glyphs drawn as outlines, not text (glyph id, x and y in thousandths of an em)."""
    hidden: tuple[bool, ...] | None = None
    """Per glyph drawn as text, True when it is invisible (it reads as a cluster drawn in
    outlines); None when all are seen."""


@dataclass(eq=False, slots=True)
class Piece:
    """Text drawn in one face at one bidi level: the unit of drawing."""

    text: str
    """What the piece says, in logical order."""
    glyphs: Glyphs
    face: Face
    size: float
    level: int
    lang: str
    width: float
    href: str | None = None
    """Where the piece links to, if it is part of a link."""

    @property
    def is_space(self) -> bool:
        return self.text == " "


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]
    """In logical order; a trailing space keeps copied text from running words together."""
    xs: tuple[float, ...]
    """Left edge of each piece, measured from the start of the visible line."""
    width: float
    """Width of the visible pieces (without the trailing space)."""
    plain: bool = False
    """True when every piece runs left to right and links nowhere: drawn as one run."""


def shape(text: str, face: Face, rtl: bool, lang: str) -> Glyphs:
    """Shape ``text`` in one direction with HarfBuzz."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    hb.shape(face.hb_font, buf, FEATURES)
    infos = buf.glyph_infos
    # (x offset, y offset, x advance, y advance) in font units
    positions = list(map(POSITION, buf.glyph_positions))
    if not face.covered.issuperset(text):  # HarfBuzz decomposed what the face lacks
        _centre_marks(face, infos, positions)
    gids = list(map(CODEPOINT, infos))
    glyphs = list(map(face.glyphs.get, gids))
    if None in glyphs:
        for n, gid in enumerate(gids):
            glyphs[n] = glyphs[n] or _glyph(face, gid)
    chars = "".join(map(itemgetter(0), glyphs))
    advances = list(map(itemgetter(2), positions))
    scale = 1000 / face.font.face.unitsPerEm
    top, bottom = _ink(face, infos, positions)
    if rtl or chars != text or not all(map(itemgetter(0), glyphs)) or \
            len({info.cluster for info in infos}) < len(infos):
        # glyphs out of logical order, not each spelling its own character, or marks
        return _spelled(text, face, rtl, infos, positions, glyphs, scale, (top, bottom))
    if (
        scale == 1
        and advances == list(map(itemgetter(1), glyphs))
        and not any(map(itemgetter(0), positions))
        and not any(map(itemgetter(1), positions))
    ):  # every glyph at its own width
        return Glyphs(chars, None, float(sum(advances)), top, bottom)
    moves = tuple(
        (-x * scale, natural - (a - x) * scale, y * scale)
        for (x, y, a, _), (_, natural) in zip(positions, glyphs, strict=True)
    )
    return Glyphs(chars, moves, sum(advances) * scale, top * scale, bottom * scale)


def _spelled(
    text: str,
    face: Face,
    rtl: bool,
    infos: list[hb.GlyphInfo],
    positions: list,
    glyphs: list[tuple[str, float]],
    scale: float,
    ink: tuple[float, float],
) -> Glyphs:
    """Glyphs drawn cluster by cluster in logical order, each at its visual place: a glyph
    that is its cluster's one character keeps it; otherwise one glyph gets a code reading as
    the whole cluster and the rest are drawn as outlines (:mod:`.spelling`)."""
    places: list[tuple[float, float]] = []  # each glyph's origin, visual order, 1/1000 em
    pens: list[float] = []  # where each glyph's advance starts
    pen = 0
    for x, y, advance, _ in positions:
        places.append(((pen + x) * scale, y * scale))
        pens.append(pen * scale)
        pen += advance
    members: dict[int, list[int]] = {}
    for n, info in enumerate(infos):
        members.setdefault(info.cluster, []).append(n)
    starts = sorted(members)
    clusters = []  # (text, glyphs in logical order, left, width), in logical order
    for k, start in enumerate(starts):
        cluster = members[start][::-1] if rtl else members[start]
        clusters.append((text[start : starts[k + 1] if k + 1 < len(starts) else len(text)],
                         cluster, min(pens[n] for n in cluster),
                         sum(positions[n][2] for n in cluster) * scale))
    if rtl and not all(
        width > 0 and after[2] + after[3] <= left + 0.5
        for (_, _, left, width), after in zip(clusters, [*clusters[1:], ("", [], -1e9, 0)],
                                               strict=True)
    ):  # clusters overlap (Nastaliq): each reads from its share of the run, right to left
        weights = [max(width, 0.0) + 50 for *_, width in clusters]
        right = pen * scale
        for k, (said, cluster, _, _) in enumerate(clusters):
            share = pen * scale * weights[k] / sum(weights)
            right -= share
            clusters[k] = (said, cluster, right, share)
        overlapping = True
    else:
        overlapping = False
    drawn: list[tuple[str, float, float, float]] = []  # character, width, x, y
    outlines: list[tuple[int, float, float]] = []
    hidden: set[int] = set()
    for said, cluster, left, width in clusters:
        if not overlapping and len(cluster) == 1 and glyphs[cluster[0]][0] == said:
            drawn.append((said, glyphs[cluster[0]][1], *places[cluster[0]]))
            continue
        # A glyph that starts where the cluster does, on the baseline, reads as the cluster,
        # its width the cluster's: readers box the cluster where it is, with no gap that
        # looks like a space. With none (Nastaliq's raised letters, a dot leftmost), all are
        # outlines and invisible glyphs there read as the cluster: right to left, one a
        # character, as readers reverse a code that reads as several.
        level = [n for n in cluster if places[n] == (left, 0.0) and positions[n][2]] \
            if not overlapping and (not rtl or len(said) == 1) else []
        main = level[0] if level else cluster[0]
        if level:
            drawn.append((code_for(face, infos[main].codepoint, said, width), width,
                          *places[main]))
        else:
            # (a mark takes a sliver past its letter: readers keep it with the letter, after it)
            parts = [said] if not rtl else list(said)
            marks = sum(1 for part in parts if unicodedata.combining(part[0]))
            share = (width - marks * MARK_SHARE) / ((len(parts) - marks) or 1)
            x = left + width
            for part in parts:
                room = MARK_SHARE if unicodedata.combining(part[0]) else share
                x -= room
                hidden.add(len(drawn))
                drawn.append((code_for(face, infos[main].codepoint, part, room), room, x, 0.0))
        outlines += [(infos[n].codepoint, *places[n]) for n in cluster
                     if n != main or not level]
    advance = pen * scale
    moves = [(-x, x + width, y) for _, width, x, y in drawn]
    if moves:
        x, end, y = moves[-1]
        moves[-1] = (x, end - advance, y)
    return Glyphs("".join(d[0] for d in drawn), tuple(moves), advance,
                  ink[0] * scale, ink[1] * scale, tuple(outlines),
                  tuple(n in hidden for n in range(len(drawn))) if hidden else None)


def _ink(face: Face, infos: list[hb.GlyphInfo], positions: list) -> tuple[float, float]:
    """Top and bottom of the shaped glyphs' ink, in font units (for line spacing)."""
    extents = face.ink
    top = bottom = 0
    for info, (_, y, _, _) in zip(infos, positions, strict=True):
        box = extents.get(info.codepoint)
        if box is None:
            found = face.hb_font.get_glyph_extents(info.codepoint)
            box = extents[info.codepoint] = (
                (found.y_bearing, found.y_bearing + found.height) if found else (0, 0))
        top = max(top, y + box[0])
        bottom = min(bottom, y + box[1])
    return top, bottom


def _centre_marks(face: Face, infos: list[hb.GlyphInfo], positions: list[list[int]]) -> None:
    """Put each accent HarfBuzz split off a letter the face lacks (``ŵ``: ``w`` + U+0302)
    over the middle of its letter, above a capital's top, when the face does not place it."""
    font = face.hb_font
    x_top = font.get_glyph_extents(font.get_nominal_glyph(ord("x")) or 0).y_bearing
    for n in range(1, len(infos)):
        x, y, advance, _ = positions[n]
        base = infos[n - 1].codepoint
        if advance or x or y or infos[n].cluster != infos[n - 1].cluster:
            continue
        mark = font.get_glyph_extents(infos[n].codepoint)
        letter = font.get_glyph_extents(base)
        centre = letter.x_bearing + letter.width / 2 if letter.width else positions[n - 1][2] / 2
        positions[n] = [
            round(centre - positions[n - 1][2] - mark.x_bearing - mark.width / 2),
            max(0, letter.y_bearing - x_top), 0, 0,
        ]


def _glyph(face: Face, gid: int) -> tuple[str, float]:
    """The character glyph ``gid`` stands for in the face's own character map ('' for a
    glyph that has none: a contextual form, a ligature, a dot), and its width."""
    ttf = face.font.face
    chars = [c for c in ttf.glyphToChar.get(gid, ()) if chr(c) in face.covered]
    if not chars:
        found = ("", face.hb_font.get_glyph_h_advance(gid) * 1000 / ttf.unitsPerEm)
    else:
        found = (chr(chars[0]), ttf.charWidths[chars[0]])
    face.glyphs[gid] = found
    return found


DASHES = frozenset("-\u2013\u2014")
HAS_DIGIT = re.compile(r"\d")
DAY = re.compile(r"\d{1,2}\.?")
YEAR = re.compile(r"\d{4}\W*")
SHORT_NUMBER = re.compile(r"\d{1,3}\W*")


def joined_words(text: str) -> list[str]:
    """``text`` split at the spaces a line may break at.

    Phone numbers, postcodes and other digit groups (``0808 800 4444``, ``SW1A 1AA``),
    dates (``24 November 2026``, ``November 24, 2026``) and a word with a short number
    after it (``Tier 1``) hold together, their spaces kept inside one word, and so does a
    dash set between spaces with the word after it.
    """
    tokens = text.split(" ")
    out = [tokens[0]]
    for k in range(1, len(tokens)):
        before, after = tokens[k - 1], tokens[k]
        if before in DASHES:  # a dash never ends a line (readers take it for a hyphen)
            out[-1] += " " + after
            continue
        after_next = tokens[k + 1] if k + 1 < len(tokens) else ""
        two_back = tokens[k - 2] if k >= 2 else ""
        after_two = tokens[k + 2] if k + 2 < len(tokens) else ""
        starts_date = DAY.fullmatch(after) and YEAR.fullmatch(after_two)
        join = before and after and (
            (HAS_DIGIT.search(before) and HAS_DIGIT.search(after))
            or (DAY.fullmatch(before) and YEAR.fullmatch(after_next))  # 24 | November 2026
            or (DAY.fullmatch(two_back) and YEAR.fullmatch(after))  # 24 November | 2026
            or (YEAR.fullmatch(after) and DAY.fullmatch(before.rstrip(",")))  # 24, | 2026
            or (DAY.fullmatch(after.rstrip(",")) and YEAR.fullmatch(after_next))  # Nov | 24,
            or (SHORT_NUMBER.fullmatch(after) and not HAS_DIGIT.search(before)
                and not starts_date)  # Tier | 1
        )
        if join:
            out[-1] += " " + after
        else:
            out.append(after)
    return out


class Word(NamedTuple):
    """A word's pieces (one per font run, style or bidi level) and its width in points."""

    pieces: list[Piece]
    width: float


Words = list[tuple[Word, Piece | None]]
"""Each word of a paragraph with the space after it (None at the end)."""
EMPTY = Word([], 0.0)
NOT_DRAWN = dict.fromkeys(map(ord, INVISIBLE))


class Typesetter:
    """Sets the paragraphs of one document; remembers shaped words and set paragraphs.

    Nothing is kept from one document to the next but the fonts themselves.
    """

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._shaped: dict[tuple[str, Face, bool, str], Glyphs] = {}
        self._pieces: dict[tuple[str, Face, float, int, str, str | None], Piece] = {}
        self._words: dict[tuple[str, bool, str, int, float, str | None], Word] = {}
        self._spaces: dict[tuple[Face | None, float, int, str, str | None], Piece] = {}
        self._set: dict[tuple[tuple[Segment, ...], int, float, float], list[Line]] = {}
        self.spaces = fonts.runs("a")[0][1].regular
        """The face spaces between right-to-left words are drawn in (:meth:`rtl_space`)."""

    def piece(
        self, text: str, face: Face, size: float, level: int, lang: str, href: str | None = None
    ) -> Piece:
        key = (text, face, size, level, lang, href)
        piece = self._pieces.get(key)
        if piece is None and text == " " and level % 2:
            piece = self._pieces[key] = self.rtl_space(face, size, level, lang, href)
        if piece is None:
            rtl = level % 2 == 1
            shaped = (text, face, rtl, lang)
            glyphs = self._shaped.get(shaped)
            if glyphs is None:
                drawn = text if INVISIBLE.isdisjoint(text) else text.translate(NOT_DRAWN) or text
                glyphs = self._shaped[shaped] = shape(drawn, face, rtl, lang)
            width = glyphs.advance * size / 1000
            piece = self._pieces[key] = Piece(
                text, glyphs, face, size, level, lang, width, href)
        return piece

    def rtl_space(
        self, face: Face, size: float, level: int, lang: str, href: str | None = None
    ) -> Piece:
        """A space between right-to-left words, as wide as ``face``'s, reading as
        :data:`RTL_SPACE` and drawn in :attr:`spaces`: pdf.js ends a text item where the
        font changes, so it never takes the space into the item of a letter beside it (a
        Nastaliq letter and space can be less than 0.2 em wide), turning them round."""
        advance = shape(" ", face, True, lang).advance
        gid = self.spaces.font.face.charToGlyph[ord(" ")]
        glyphs = Glyphs(code_for(self.spaces, gid, RTL_SPACE, advance), None, advance)
        return Piece(" ", glyphs, self.spaces, size, level, lang, advance * size / 1000, href)

    def run(
        self, text: str, face: Face, size: float, level: int, lang: str, href: str | None = None
    ) -> list[Piece]:
        """The pieces of ``text`` in one face: one, or at a right-to-left level one a word
        and one a space between (:meth:`rtl_space`)."""
        if level % 2 == 0 or " " not in text:
            return [self.piece(text, face, size, level, lang, href)]
        return [self.piece(part, face, size, level, lang, href)
                for part in SPACES.split(text) if part]

    def word(
        self, text: str, bold: bool, lang: str, level: int, size: float, href: str | None = None
    ) -> Word:
        """The pieces of a word in one style and at one level (one per font run), its width."""
        key = (text, bold, lang, level, size, href)
        word = self._words.get(key)
        if word is None:
            runs = self.fonts.runs(text)
            if len(runs) == 1 and (level % 2 == 0 or " " not in text):  # most words
                piece = self.piece(text, runs[0][1].face(bold), size, level, lang, href)
                word = self._words[key] = Word([piece], piece.width)
            else:
                pieces = [p for r, f in runs
                          for p in self.run(r, f.face(bold), size, level, lang, href)]
                word = self._words[key] = Word(pieces, sum(p.width for p in pieces))
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
        if not cuts:  # one style, one level: the common case
            segment = segments[bisect_right(starts, start) - 1]
            bold, lang, level = segment.bold, segment.run_lang, lv[0] if lv else base
            href = segment.href
            known = self._words
            spaces: dict[Face | None, Piece] = {}  # the space after a word in each face
            for token in joined_words(text[start:end]):
                word = known.get((token, bold, lang, level, size, href)) if token else EMPTY
                if word is None:
                    word = self.word(token, bold, lang, level, size, href)
                face = word.pieces[-1].face if word.pieces else None
                space = spaces.get(face)
                if space is None:
                    space = spaces[face] = self.space(word, bold, size, level, lang, href)
                out.append((word, space))
        else:
            i = start
            for token in joined_words(text[start:end]):
                j = i + len(token)
                n = bisect_right(cuts, i)
                if j == i:
                    word = EMPTY
                elif n == len(cuts) or cuts[n] >= j:
                    segment = segments[bisect_right(starts, i) - 1]
                    word = self.word(text[i:j], segment.bold, segment.run_lang, lv[i - start], size,
                                     segment.href)
                else:
                    word = self._cut_word(text, segments, starts, cuts, i, j, lv[i - start :], size)
                at = min(j, end - 1)
                segment = segments[bisect_right(starts, at) - 1]
                space = self.space(word, segment.bold, size, lv[at - start], segment.run_lang,
                                   segment.href)
                out.append((word, space))
                i = j + 1
        last, _ = out.pop()  # no space after the last word
        if last.pieces:
            out.append((last, None))
        return out

    def space(self, before: Word, bold: bool, size: float, level: int, lang: str,
              href: str | None = None) -> Piece:
        """The space after a word, in the word's face (part of a link inside one)."""
        key = (before.pieces[-1].face if before.pieces else None, size, level, lang, href)
        space = self._spaces.get(key)
        if space is None:
            face = key[0] or self.fonts.runs("a")[0][1].face(bold)
            space = self._spaces[key] = self.piece(" ", face, size, level, lang, href)
        return space

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
        word: list[Piece] = []
        at = i
        for run, family in self.fonts.runs(text[i:j]):
            run_end = at + len(run)
            while at < run_end:
                n = bisect_right(cuts, at)
                stop = cuts[n] if n < len(cuts) and cuts[n] < run_end else run_end
                segment = segments[bisect_right(starts, at) - 1]
                face = family.face(segment.bold)
                word += self.run(text[at:stop], face, size, lv[at - i], segment.run_lang,
                                 segment.href)
                at = stop
        return Word(word, sum(p.width for p in word))


PieceMaker = Callable[[str, Face, float, int, str, str | None], Piece]


def _fill(words: Words, base: int, measure: float, make_piece: PieceMaker) -> list[Line]:
    """Greedy line filling: as many words as fit; never split a word that fits a line."""
    lines: list[Line] = []
    current: list[Piece] = []
    width = 0.0
    pending_space: Piece | None = None
    for (word, word_width), space in words:
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


def _split_word(word: list[Piece], measure: float, make_piece: PieceMaker) -> list[list[Piece]]:
    """Cut a word wider than the line (a long web address) into pieces that fit."""
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    width = 0.0
    for piece in word:
        for char in piece.text:
            part = make_piece(char, piece.face, piece.size, piece.level, piece.lang, piece.href)
            if current and width + part.width > measure:
                chunks.append(current)
                current, width = [], 0.0
            if current and current[-1].face is part.face and current[-1].level == part.level \
                    and current[-1].href == part.href:
                merged = make_piece(
                    current[-1].text + char, part.face, part.size, part.level, part.lang, part.href
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
    run_levels = [p.level for p in pieces]
    xs = [0.0] * len(pieces)
    x = 0.0
    for index in visual_order(run_levels) if any(run_levels) else range(len(pieces)):
        xs[index] = x
        x += pieces[index].width
    if trailing is not None:
        pieces = [*pieces, trailing]
        xs.append(x if base % 2 == 0 else -trailing.width)
    plain = not any(p.level or p.href for p in pieces)
    return Line(tuple(pieces), tuple(xs), x, plain)
