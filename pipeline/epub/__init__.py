"""EPUB 3 with media overlays: the text and its voice together, sentence by sentence.

Each edition gives two books: ``<leaflet>.<lang>.epub`` (the full answers) and
``<leaflet>.<lang>.easy-read.epub`` (the easy-read sentences with their pictures).
Easy read is a book of its own, not a second reading order inside one: a reading
system opens a book at its one spine, so a reader who needs easy read would
otherwise have to find it past the full text, and each book's metadata
(pictures, alternative text) can say exactly what that book holds.

The overlays use the audio format's clips (:mod:`pipeline.audio.clip`), taken
from the clip cache where the audio build put them; a clip not there yet is
made once and cached for the audio format too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from html import unescape
from importlib.resources import files
from typing import ClassVar

from .. import layout
from ..audio import clips, render_clip, unreadable
from ..audio.assemble import narrator
from ..audio.clip import RenderedClip
from ..audio.daisy import write_zip
from ..builders.base import Builder, OutputDir
from ..errors import FormatSkipped, Problem
from ..inline import plain
from ..model import Edition
from ..pdf.fonts import FontSet
from ..pdf.render import page_starts
from . import overlays
from .content import Document, Writer
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
class EpubBuilder(Builder):
    """Writes the standard and the easy-read EPUB of each edition."""

    format: ClassVar[str] = "epub"
    network_timeout: float = 10.0
    problems: list[Problem] = field(default_factory=list)

    def build(self, edition: Edition, out: OutputDir) -> None:
        reason = unreadable(edition, self.settings)
        if reason:  # its text is read aloud: not by a voice that cannot read it
            raise FormatSkipped(reason.replace("no audio:", "no EPUB (it reads aloud):", 1))
        pages = self.pages(edition)
        for easy in (False, True):
            settings = replace(self.settings, audio_text="easy-read" if easy else "standard")
            parts = [c for c in clips(edition, settings) if not c.easy]  # one voice track
            done = [render_clip(c, settings, self.network_timeout) for c in parts]
            for rendered in done:
                self.problems.extend(rendered.problems)
            writer = Writer(edition, [c.section for c in parts], easy)
            docs = writer.documents()
            _number_pages(docs, pages)
            names = [posixpath.basename(layout.question_audio_name(c.section.number,
                                                                   c.section.id))
                     for c in parts]
            book = Book(edition, easy, docs, writer.pictures, names, done,
                        narrator(parts), layout.pdf_name(edition))
            out.write(layout.epub_name(edition, easy), book.zip(self.fonts(edition, docs)))

    def pages(self, edition: Edition) -> list[str]:
        """The first line of each page of the large-print PDF (see :func:`page_starts`)."""
        overrides = [(k, str(self.settings.resolve(p))) for k, p in self.settings.fonts]
        return page_starts(edition, self.settings.print_size, FontSet(edition.lang, overrides))

    def fonts(self, edition: Edition, docs: list[Document]) -> list[EmbeddedFont]:
        overrides = [(k, str(self.settings.resolve(p))) for k, p in self.settings.fonts]
        return embedded_fonts(edition.lang, overrides, _shown(edition, docs))


def _number_pages(docs: list[Document], pages: list[str]) -> None:
    """Mark where each page of the large-print PDF begins: at the heading, paragraph or
    item whose text starts with the page's first line, found in reading order. A page
    whose first line is not found (one that begins inside a paragraph) gets no mark."""
    starts = [(doc, index, text) for doc in docs for index, text in doc.starts()]
    at = 0
    for number, line in enumerate(pages, start=1):
        line = " ".join(line.split())
        found = next((n for n in range(at, len(starts))
                      if line and starts[n][2].startswith(line)), None)
        if found is not None:
            doc, index, _ = starts[found]
            doc.pages[index] = number
            at = found + 1


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

    def zip(self, fonts: list[EmbeddedFont]) -> bytes:
        lang = self.edition.lang
        css = [font_faces(fonts, "../"),
               "body { font-family: " + ", ".join(f'"{f}"' for f in families(fonts))
               + ", sans-serif; }\n",
               (files("pipeline") / "epub" / "leaflet.css").read_text(encoding="utf-8")]
        content: dict[str, bytes] = {
            "EPUB/css/leaflet.css": "".join(css).encode(),
            "EPUB/nav.xhtml": nav(self.edition, self.docs, "css/leaflet.css").encode(),
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
        spine = ["doc0", "nav", *(f"doc{n}" for n in range(1, len(self.docs)))]
        content["EPUB/package.opf"] = opf(
            self.edition, self.easy, items, spine, durations, overlays.clock(total),
            self.narrator, self.pdf).encode()
        content["META-INF/container.xml"] = CONTAINER.encode()
        return write_zip([("mimetype", MIMETYPE), *sorted(content.items())],
                         stored=("mimetype", ".mp3"))


__all__ = ["EpubBuilder"]
