"""EPUB 3 with media overlays: the text and its voice together, sentence by sentence.

Each edition gives two books: ``<leaflet>.<lang>.epub`` (the full answers) and
``<leaflet>.<lang>.easy-read.epub`` (the easy-read sentences with their pictures).
Easy read is a book of its own, not a second reading order inside one: a reading
system opens a book at its one spine, so a reader who needs easy read would
otherwise have to find it past the full text, and each book's metadata
(pictures, alternative text) can say exactly what that book holds.

The overlays use the audio format's clips (:mod:`pipeline.audio.clip`), taken
from the clip cache where the audio build put them; a clip not there yet is
made once and cached for the audio format too. The easy-read book speaks with the
easy-read audio's clips (slower, longer pauses), and is made, like that audio and
the easy-read PDF, only for a leaflet that has easy read. Each book's page list
maps to the pages of the printed edition its ``dc:source`` names: the large-print
PDF, or the easy-read PDF.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from html import unescape
from importlib.resources import files
from typing import ClassVar

from .. import layout
from ..audio import SpokenBuilder, clips
from ..audio.assemble import narrator
from ..audio.clip import RenderedClip
from ..audio.daisy import write_zip
from ..builders.base import OutputDir
from ..inline import plain
from ..model import Edition
from ..pdf.easyread import easy_page_starts
from ..pdf.fonts import FontSet
from ..pdf.render import Opening, PageStart, page_starts
from . import overlays
from .content import Document, PageMark, Writer
from .fonts import EmbeddedFont, embedded_fonts, families, font_faces
from .package import Item, nav, opf

MIMETYPE = b"application/epub+zip"
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


@dataclass
class EpubBuilder(SpokenBuilder):
    """Writes the standard and the easy-read EPUB of each edition."""

    format: ClassVar[str] = "epub"

    def build(self, edition: Edition, out: OutputDir) -> None:
        self.readable(edition, "EPUB (it reads aloud)")  # not by a voice that cannot read it
        every = clips(edition, replace(self.settings, audio_text="standard"))
        for easy in (False, True) if edition.leaflet.has_easy_read else (False,):
            # the easy-read book speaks with the easy-read audio's clips (slower, longer pauses)
            parts = [c for c in every if c.easy == easy]
            done = self.speak(parts)
            writer = Writer(edition, [c.section for c in parts], easy)
            docs = writer.documents()
            contents = _number_pages(docs, self.pages(edition, easy))
            names = [posixpath.basename(layout.question_audio_name(c.section.number,
                                                                   c.section.id))
                     for c in parts]
            pdf = layout.easy_pdf_name(edition) if easy else layout.pdf_name(edition)
            book = Book(edition, easy, docs, writer.pictures, names, done,
                        narrator(parts), pdf, contents)
            out.write(layout.epub_name(edition, easy), book.zip(self.fonts(edition, docs)))

    def pages(self, edition: Edition, easy: bool) -> list[PageStart]:
        """How each page of the printed edition the book's page list maps to begins: the
        large-print PDF, or for the easy-read book the easy-read PDF."""
        overrides = [(k, str(self.settings.resolve(p))) for k, p in self.settings.fonts]
        fonts = FontSet(edition.lang, overrides)
        if easy:
            return easy_page_starts(edition, self.settings.easy_read_size, fonts)
        return page_starts(edition, self.settings.print_size, fonts)

    def fonts(self, edition: Edition, docs: list[Document]) -> list[EmbeddedFont]:
        overrides = [(k, str(self.settings.resolve(p))) for k, p in self.settings.fonts]
        return embedded_fonts(edition.lang, overrides, _shown(edition, docs))


def _number_pages(docs: list[Document], pages: list[PageStart]) -> list[int]:
    """Mark where each page of the printed edition begins; return the pages that begin
    in its contents list (their marks go in the navigation document, the book's contents).

    A page is marked at the heading, paragraph or item it begins in, found in reading
    order by its first line. When it begins in the middle of a paragraph or item, the
    mark is at the word it begins with, where the text before it on earlier pages is
    the same in the book; else at the start of that paragraph or item (and always of a
    heading). A page whose first block the book does not show as such (or shows only
    further on than the page's second or third block) is marked at the next block of
    that page the book shows, or at the heading just before it (a heading the book words
    otherwise: "Contact details" for "Contact"); a page with none of those, at the
    book's next heading, paragraph or item after the previous mark.
    """
    starts = [(doc, index, text) for doc in docs for index, text in doc.starts()]
    contents: list[int] = []
    last = -1
    for number, page in enumerate(pages, start=1):
        if page.contents:
            contents.append(number)
            continue
        # the page's next blocks too: where one is found before the first, the first's
        # match (a short heading: "Contact") was a paragraph further on that starts alike
        places = [_find(starts, opening, last) for opening in page.openings[:3]]
        found = min((place for place in places if place), default=None)
        if found is None and starts:
            found = (min(last + 1, len(starts) - 1), 0)
        elif found is not None and found != places[0] and _heading_before(starts, found[0],
                                                                          last):
            found = (found[0] - 1, 0)
        if found is not None:
            last, at = found
            doc, index, _ = starts[last]
            doc.pages.append(PageMark(index, number, at))
    return contents


def _find(starts: list[tuple[Document, int, str]], opening: Opening,
          last: int) -> tuple[int, int] | None:
    """The start ``opening`` is in (after start ``last``, or in it when the opening began
    on an earlier page) and how many of its characters that are not spaces come before
    the page's first word (0: the mark goes at its start)."""
    first, before = _solid(opening.first), _solid(opening.before)
    if not first:
        return None
    for n in range(max(last if before else last + 1, 0), len(starts)):
        doc, index, text = starts[n]
        if not _solid(text).startswith(first):
            continue
        at = len(before)
        if not before or doc.body[index].startswith("<h1") or not _solid(text).startswith(
                before) or not _word_starts(text, at):
            at = 0
        return n, at
    return None


def _heading_before(starts: list[tuple[Document, int, str]], n: int, last: int) -> bool:
    """Whether start ``n`` comes right after a heading of its document not yet marked
    (start ``last`` is the last marked): where a page begins when its first block is a
    heading the book words otherwise ("Contact details" for the PDF's "Contact")."""
    if n - 1 <= last:
        return False
    (doc, _, _), (before, index, _) = starts[n], starts[n - 1]
    return before is doc and doc.body[index].startswith("<h1")


def _solid(text: str) -> str:
    """``text`` without its spaces (line breaks fall where the two layouts differ)."""
    return "".join(text.split())


def _word_starts(text: str, count: int) -> bool:
    """Whether a word starts after the first ``count`` characters of ``text`` that are
    not spaces."""
    seen = 0
    for at, char in enumerate(text):
        if not char.isspace():
            if seen == count:
                return at > 0 and text[at - 1].isspace()
            seen += 1
    return False


def _shown(edition: Edition, docs: list[Document]) -> list[tuple[str, bool]]:
    """Every text the book shows, and whether it may be bold (for the font subsets)."""
    out = []
    for doc in docs:
        out.append((plain(doc.title.markdown), False))
        for line in doc.body:
            text = unescape(_TAGS.sub(" ", line))
            out += [(text, False), (text, bool(_BOLD.search(line)))]
    out.append((plain(edition.words("Contents").markdown), True))
    return out


_TAGS = re.compile(r"<[^>]+>")
_BOLD = re.compile(r"<(h1|strong|dt)\b|organisation")


@dataclass
class Book:
    """One EPUB: its documents, overlays, audio, pictures and fonts."""

    edition: Edition
    easy: bool
    docs: list[Document]
    pictures: set[str]
    audio: list[str]
    rendered: list[RenderedClip]
    narrator: str
    pdf: str
    """The printed edition the page list maps to."""
    contents: list[int]
    """The pages of that edition that begin in its contents list."""

    def zip(self, fonts: list[EmbeddedFont]) -> bytes:
        lang = self.edition.lang
        css = [font_faces(fonts, "../"),
               "body { font-family: " + ", ".join(f'"{f}"' for f in families(fonts))
               + ", sans-serif; }\n",
               (files("pipeline") / "epub" / "leaflet.css").read_text(encoding="utf-8")]
        content: dict[str, bytes] = {
            "EPUB/css/leaflet.css": "".join(css).encode(),
            "EPUB/nav.xhtml": nav(self.edition, self.docs, "css/leaflet.css",
                                   self.contents).encode(),
        }
        items = [Item("css", "css/leaflet.css", "text/css"),
                 Item("nav", "nav.xhtml", "application/xhtml+xml", "nav")]
        durations: dict[str, str] = {}
        total = 0.0
        for n, doc in enumerate(self.docs):
            content[f"EPUB/{doc.name}"] = doc.xhtml(lang, "css/leaflet.css").encode()
            overlay = ""
            if doc.fragments:
                overlay = f"smil{n}"
                smil = f"smil/{doc.name.removesuffix('.xhtml')}.smil"
                content[f"EPUB/{smil}"] = overlays.smil(doc, [f"audio/{a}" for a in self.audio],
                                                        self.rendered).encode()
                items.append(Item(overlay, smil, "application/smil+xml"))
                seconds = overlays.duration(doc, self.rendered)
                durations[overlay] = overlays.clock(seconds)
                total += seconds
            items.append(Item(f"doc{n}", doc.name, "application/xhtml+xml", overlay=overlay))
        used = sorted({self.audio[f.clip] for d in self.docs for f in d.fragments})
        for name in used:
            index = self.audio.index(name)
            content[f"EPUB/audio/{name}"] = self.rendered[index].mp3
            items.append(Item(f"audio{index}", f"audio/{name}", "audio/mpeg"))
        for key in sorted(self.pictures):
            data = (files("pipeline") / "pictures" / f"{key}.svg").read_bytes()
            content[f"EPUB/images/{key}.svg"] = data
            items.append(Item(f"img-{key}", f"images/{key}.svg", "image/svg+xml"))
        for n, font in enumerate(fonts):
            content[f"EPUB/{font.name}"] = font.data
            items.append(Item(f"font{n}", font.name, "font/ttf"))
        # the contents after the title page and introduction, where the print has it
        front = sum(d.kind in ("titlepage", "introduction") for d in self.docs)
        spine = [f"doc{n}" for n in range(len(self.docs))]
        spine.insert(front, "nav")
        content["EPUB/package.opf"] = opf(
            self.edition, self.easy, items, spine, durations, overlays.clock(total),
            self.narrator, self.pdf).encode()
        content["META-INF/container.xml"] = CONTAINER.encode()
        return write_zip([("mimetype", MIMETYPE), *sorted(content.items())],
                         stored=("mimetype", ".mp3"))


__all__ = ["EpubBuilder"]
