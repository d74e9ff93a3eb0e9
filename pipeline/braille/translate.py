"""Print text to Unicode braille with liblouis, in the code of the language it is in.

A text is cut into *runs*, each translated with one table:

- a passage that fell back to English (its ``lang`` is the source language) is
  brailled with the English table at the English grade, like the print, which
  switches language there;
- a phrase the translator marked as in another language that has a braille code
  (``[Jobcentre Plus]{lang=en}`` in Welsh) is brailled with that code's uncontracted
  table;
- web and e-mail addresses are brailled with uncontracted English (UEB writes
  them in 6-dot braille; the Welsh and Punjabi tables switch to 8-dot computer
  braille, which a 6-dot embosser cannot emboss);
- words in Latin script or Latin digits inside a language that is not written in it
  (MAPP, 0300 123 4567 in Urdu) are brailled with uncontracted English, as Arabic
  and Bharati braille readers expect foreign words to be written;
- everything else with the language's own table.

Bold print (the hard words) is brailled with the table's bold indicators where the
table has a bold emphasis class of its code's own (UEB's bold word, passage and
terminator indicators; Welsh and Arabic braille's begin and end signs), and plain
where it has none (see :mod:`.tables`).

Characters a table does not define are first replaced by their plain form
(curly quotes, dashes and the ellipsis), then brailled with the English table;
what neither defines is left out and reported, never written as liblouis' escape
sequence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

from ..errors import Problem
from ..inline import Span, on_paper
from ..model import SOURCE_LANGUAGE, Text
from .louis import louis
from .tables import BORROWED_EMPHASIS, ENGLISH, BrailleCode, code_for

BLANK = "\u2800"
"""The blank braille cell: a space between words."""

PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u200c": "", "\u200d": "", "\u200f": "",
    "\u200e": "",
})
"""Plain forms of characters some tables lack (a table that has them keeps them)."""

_ADDRESS = re.compile(r"@|://|^www\.", re.IGNORECASE)
_LATIN_PIECE = re.compile(
    r"""([(\["'+]*[A-Za-z0-9](?:[A-Za-z0-9.'&-]*[A-Za-z0-9])?[)\]"'.,:;!?]*)""")
"""A piece of a word in Latin letters or digits (MAPP, Co-ordinator, 0300), with the
Latin punctuation around it (a lone full stop or colon would start a run of the other
table, which reads it back as a contraction), for the English table. Arabic, Urdu and
Bharati braille write digits with UEB's cells, but liblouis reads them back as the
print's digits only from the English table (contracted Arabic reads "3" back as "ال"),
and UEB keeps a spaced phone number on one line (numeric space, dot 5)."""
_NUKTA = {
    "\u0a16\u0a3c": "\u0a59", "\u0a17\u0a3c": "\u0a5a", "\u0a1c\u0a3c": "\u0a5b",
    "\u0a2b\u0a3c": "\u0a5e", "\u0a32\u0a3c": "\u0a33", "\u0a38\u0a3c": "\u0a36",
}
"""Gurmukhi letters with nukta, which Unicode keeps as two characters and Bharati
braille writes as one sign: the one character the Punjabi table defines."""


def _normal(text: str) -> str:
    """NFC, with Gurmukhi nukta letters as one character each."""
    text = unicodedata.normalize("NFC", text)
    for pair, letter in _NUKTA.items():
        text = text.replace(pair, letter)
    return text


Styled = tuple[str, tuple[bool, ...]]
"""Print text and, for each of its characters, whether print shows it bold."""


@dataclass(frozen=True)
class Run:
    """Print text and its braille, translated with one liblouis table list."""

    tables: tuple[str, ...]
    text: str
    braille: str
    spaced: bool = False
    """Whether a blank cell parts it from the run before (else it continues its word)."""
    typeform: tuple[int, ...] = ()
    """liblouis' typeform of each character of ``text``: the table's bold bit where print
    is bold; empty when nothing is (or the table has no bold)."""


@dataclass
class Translator:
    """Brailles the texts of one edition; ``problems`` lists characters it had to leave out.

    ``english_grade`` is 2 for contracted English, 1 for uncontracted; ``contracted``
    False uses the uncontracted table of the other languages too (for checks).
    """

    lang: str
    english_grade: int = 2
    contracted: bool = True
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        code = code_for(self.lang)
        if code is None:
            raise ValueError(f"no braille code for {self.lang}")
        self.code: BrailleCode = code

    def braille(self, text: Text | str) -> str:
        """The Unicode braille of a text (inline Markdown) or of a plain output string."""
        return "".join(BLANK * run.spaced + run.braille for run in self.runs(text))

    def runs(self, text: Text | str) -> list[Run]:
        """The text's runs, in order (each one a table and its braille); bold print is
        brailled with the table's bold indicators."""
        found, lang = (on_paper(text.markdown), text.lang) if isinstance(text, Text) \
            else ((Span(text),), self.lang)
        english = lang == SOURCE_LANGUAGE and self.code is not ENGLISH
        main = ENGLISH.table(self.english_grade == 2) if english or self.code is ENGLISH \
            else self.code.table(self.contracted)
        groups: list[tuple[tuple[str, ...], str, list[bool], bool]] = []
        for spaced, gap, tables, (part, bold) in self.parts(found, main, foreign=not english):
            if groups and groups[-1][0] == tables:
                _, text, marks, was = groups[-1]
                groups[-1] = (tables, text + " " * spaced + part, marks + [gap] * spaced
                              + list(bold), was)
            else:
                groups.append((tables, part, list(bold), spaced and bool(groups)))
        out = []
        for tables, text, marks, spaced in groups:
            typeform = tuple(emphasis(tables) * mark for mark in marks) \
                if emphasis(tables) and any(marks) else ()
            out.append(Run(tables, text, to_braille(tables, text, typeform), spaced, typeform))
        return out

    def parts(self, found: tuple[Span, ...], main: tuple[str, ...], foreign: bool
              ) -> Iterator[tuple[bool, bool, tuple[str, ...], Styled]]:
        """(after a space?, is that space bold?, tables, text) for each piece of each word
        of the spans: a passage marked as in another language that has a braille code
        (``[Jobcentre Plus]{lang=en}`` in Welsh) is in that code, uncontracted, as its
        readers may not know the other code's contractions; a web or e-mail address, or a
        Latin word in a language written in another script (``foreign``: the text is not
        already English), is uncontracted English; the rest is ``main``."""
        english = ENGLISH.table(contracted=False)
        spaced, gap = True, False
        for word, bold, marked in _words(found):
            if word is None:
                spaced, gap = True, bold[0]
                continue
            code = code_for(marked) if marked else None
            if code is not None and code.table(self.contracted) != main:
                pieces = [(code.table(contracted=False), word, bold)]
            elif _ADDRESS.search(word):
                pieces = [(english, word, bold)]
            else:
                split = _LATIN_PIECE.split(word) if foreign and not self.code.latin else [word]
                pieces, at = [], 0
                for n, piece in enumerate(split):
                    pieces.append((english if n % 2 else main, piece, bold[at:at + len(piece)]))
                    at += len(piece)
            for tables, piece, marks in pieces:
                for chosen, styled in self.defined_pieces((piece, marks), tables):
                    yield spaced, gap, chosen, styled
                    spaced = False

    def defined_pieces(self, styled: Styled, tables: tuple[str, ...]
                       ) -> Iterator[tuple[tuple[str, ...], Styled]]:
        """``styled`` in pieces ``tables`` can braille: a character they lack is replaced by
        its plain form, else brailled with the English table (Urdu's table has no Latin
        punctuation), else left out and reported."""
        english = ENGLISH.table(contracted=False)
        pieces: list[tuple[tuple[str, ...], str, tuple[bool, ...]]] = []
        for char, bold in zip(*styled, strict=True):
            if defined(tables, char):
                chosen, kept = tables, char
            elif all(defined(tables, c) for c in char.translate(PLAIN)):
                chosen, kept = tables, char.translate(PLAIN)
            elif defined(english, char):
                chosen, kept = english, char
            else:
                self.problems.append(Problem(
                    f"braille: {tables[1]} has no braille for {char!r} "
                    f"(U+{ord(char):04X}); left out"))
                continue
            if pieces and pieces[-1][0] == chosen:
                pieces[-1] = (chosen, pieces[-1][1] + kept, pieces[-1][2] + (bold,) * len(kept))
            else:
                pieces.append((chosen, kept, (bold,) * len(kept)))
        for chosen, text, bold in pieces:
            yield chosen, (text, bold)


def _words(found: tuple[Span, ...]
           ) -> Iterator[tuple[str | None, tuple[bool, ...], str | None]]:
    """The words of the spans, each cut where its marked language changes, as (text,
    bold of each character, marked language); (None, (bold,), None) for the space
    between two words, bold when print's space is."""
    chars = [(char, span.bold, span.lang) for span in found for char in _normal(span.text)]
    for space, group in groupby(chars, key=lambda c: c[0].isspace()):
        word = list(group)
        if space:
            yield None, (word[0][1],), None
            continue
        cuts = [list(cut) for _, cut in groupby(word, key=lambda c: c[2])]
        for n, cut in enumerate(cuts):
            text, marked = "".join(c for c, _, _ in cut), cut[0][2]
            if marked is None and all(unicodedata.category(c).startswith("P") for c in text):
                # Brackets and quotes around a marked passage go with it: a table writes
                # a bracket cut from its word as another sign (Welsh: ⠷ for ⠶).
                near = [cuts[i][0][2] for i in (n + 1, n - 1) if 0 <= i < len(cuts)]
                marked = next((lang for lang in near if lang), None)
            yield text, _bold_punctuation(text, tuple(b for _, b, _ in cut)), marked


def _bold_punctuation(word: str, bold: tuple[bool, ...]) -> tuple[bool, ...]:
    """``bold`` with the punctuation just before and after a bold word bold too: a UEB
    bold word indicator sets the whole symbols-sequence, punctuation included (Rules of
    UEB, section 9), and bold ending before a full stop would cost a terminator there
    for a difference print readers do not see."""
    if not any(bold):
        return bold
    first, last = bold.index(True), len(bold) - bold[::-1].index(True)
    edges = [*range(first), *range(last, len(word))]
    if all(unicodedata.category(word[i]).startswith("P") for i in edges):
        return (True,) * len(word)
    return bold


@cache
def defined(tables: tuple[str, ...], char: str) -> bool:
    """Whether ``tables`` braille ``char`` as itself, not as liblouis' escape for an
    undefined character."""
    lou = louis()
    return bool(lou.translateString(list(tables), char, mode=lou.noUndefined))


@cache
def emphasis(tables: tuple[str, ...]) -> int:
    """The typeform bit of the tables' bold emphasis class; 0 when they have none (Polish,
    Urdu) or it is not their code's (:data:`~.tables.BORROWED_EMPHASIS`)."""
    if tables[1] in BORROWED_EMPHASIS:
        return 0
    lou = louis()
    # python3-louis 3.24's getTypeformForEmphClass fails on Python 3 (it tests a flag the
    # module no longer defines), so liblouis' own function is called.
    return int(lou.liblouis.lou_getTypeformForEmphClass(
        lou._createTablesString(list(tables)), b"bold"))


@cache
def to_braille(tables: tuple[str, ...], text: str, typeform: tuple[int, ...] = ()) -> str:
    """liblouis' translation of ``text`` as Unicode braille (blank cell between words),
    with the emphasis indicators ``typeform`` asks for."""
    if not text:
        return ""
    lou = louis()
    return str(lou.translateString(list(tables), text, typeform=list(typeform) or None,
                                   mode=lou.dotsIO | lou.ucBrl))


def back_translate(run: Run) -> str:
    """The print text liblouis reads back from a run's braille without its emphasis
    indicators (for checks): liblouis 3.24 reads UEB's and Arabic's bold indicators back
    as escapes, not as emphasis."""
    return str(louis().backTranslateString(list(run.tables), to_braille(run.tables, run.text)))

