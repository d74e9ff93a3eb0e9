"""Print text to Unicode braille with liblouis, in the code of the language it is in.

A text is cut into *runs*, each translated with one table:

- a passage that fell back to English (its ``lang`` is the source language) is
  brailled with the English table at the English grade, like the print, which
  switches language there;
- web and e-mail addresses are brailled with uncontracted English (UEB writes
  them in 6-dot braille; the Welsh and Punjabi tables switch to 8-dot computer
  braille, which a 6-dot embosser cannot emboss);
- words in Latin script inside a language that is not written in it (MAPP in
  Urdu) are brailled with uncontracted English, as Arabic and Bharati braille
  readers expect foreign words to be written;
- everything else with the language's own table.

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

from ..errors import Problem
from ..inline import on_paper
from ..model import SOURCE_LANGUAGE, Text
from .louis import louis
from .tables import ENGLISH, BrailleCode, code_for

BLANK = "\u2800"
"""The blank braille cell: a space between words."""

PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u200c": "", "\u200d": "", "\u200f": "",
    "\u200e": "",
})
"""Plain forms of characters some tables lack (a table that has them keeps them)."""

_ADDRESS = re.compile(r"@|://|^www\.", re.IGNORECASE)
_LATIN_PIECE = re.compile(r"""([(\["']*[A-Za-z](?:[A-Za-z.'&-]*[A-Za-z])?[)\]"'.,:;!?]*)""")
"""A piece of a word in Latin letters (MAPP, Co-ordinator), with the Latin punctuation
around it, for the English table."""
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


@dataclass(frozen=True)
class Run:
    """Print text and its braille, translated with one liblouis table list."""

    tables: tuple[str, ...]
    text: str
    braille: str
    spaced: bool = False
    """Whether a blank cell parts it from the run before (else it continues its word)."""


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
        """The text's runs, in order (each one a table and its braille)."""
        if isinstance(text, Text):
            plain = "".join(span.text for span in on_paper(text.markdown))
            lang = text.lang
        else:
            plain, lang = text, self.lang
        english = lang == SOURCE_LANGUAGE and self.code is not ENGLISH
        main = ENGLISH.table(self.english_grade == 2) if english or self.code is ENGLISH \
            else self.code.table(self.contracted)
        groups: list[tuple[tuple[str, ...], str, bool]] = []
        for spaced, tables, part in self.parts(_normal(plain), main, foreign=not english):
            if groups and groups[-1][0] == tables:
                _, text, gap = groups[-1]
                groups[-1] = (tables, text + " " * spaced + part, gap)
            else:
                groups.append((tables, part, spaced and bool(groups)))
        return [Run(tables, text, to_braille(tables, text), gap) for tables, text, gap in groups]

    def parts(self, plain: str, main: tuple[str, ...], foreign: bool
              ) -> Iterator[tuple[bool, tuple[str, ...], str]]:
        """(after a space?, tables, text) for each piece of each word: a web or e-mail
        address, or a Latin word in a language written in another script (``foreign``:
        the text is not already English), is English; the rest is ``main``."""
        english = ENGLISH.table(contracted=False)
        for word in plain.split():
            if _ADDRESS.search(word):
                yield True, english, word
                continue
            pieces = _LATIN_PIECE.split(word) if foreign and not self.code.latin else [word]
            spaced = True
            for n, piece in enumerate(pieces):
                for tables, text in self.defined_pieces(piece, english if n % 2 else main):
                    yield spaced, tables, text
                    spaced = False

    def defined_pieces(self, text: str, tables: tuple[str, ...]
                       ) -> Iterator[tuple[tuple[str, ...], str]]:
        """``text`` in pieces ``tables`` can braille: a character they lack is replaced by
        its plain form, else brailled with the English table (Urdu's table has no Latin
        punctuation), else left out and reported."""
        english = ENGLISH.table(contracted=False)
        pieces: list[tuple[tuple[str, ...], str]] = []
        for char in text:
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
                pieces[-1] = (chosen, pieces[-1][1] + kept)
            else:
                pieces.append((chosen, kept))
        yield from pieces


@cache
def defined(tables: tuple[str, ...], char: str) -> bool:
    """Whether ``tables`` braille ``char`` as itself, not as liblouis' escape for an
    undefined character."""
    lou = louis()
    return bool(lou.translateString(list(tables), char, mode=lou.noUndefined))


@cache
def to_braille(tables: tuple[str, ...], text: str) -> str:
    """liblouis' translation of ``text`` as Unicode braille (blank cell between words)."""
    if not text:
        return ""
    lou = louis()
    return str(lou.translateString(list(tables), text, mode=lou.dotsIO | lou.ucBrl))


def back_translate(run: Run) -> str:
    """The print text liblouis reads back from a run's braille (for checks)."""
    return str(louis().backTranslateString(list(run.tables), run.braille))
