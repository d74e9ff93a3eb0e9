"""The XHTML content documents of an EPUB: title page, introduction, one per question,
contact details and hard words, each sentence that is spoken in its own ``span``.

The documents are written from the edition (for its markup: lists, bold, links)
walked in step with the spoken script (for its sentences): every sentence the
audio says and the text shows becomes a :class:`Fragment` that the media overlay
points at. A text's sentences come from :func:`pipeline.audio.script.sentences`,
the very cut the audio was spoken in, so text and voice cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from html import escape, unescape

from ..audio.script import Section, Segment, Unit, sentences
from ..html.languages import direction
from ..inline import Span, plain
from ..langparts import parts
from ..model import Block, EasySentence, Edition, ItemList, Paragraph, Question, Table, Text
from ..pictograms import PICTOGRAMS

XHTML_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="{lang}" xml:lang="{lang}" dir="{dir}">
<head>
<meta charset="UTF-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{css}"/>
</head>
"""


@dataclass(frozen=True)
class Fragment:
    """A spoken sentence shown in a document: its element id, and which utterance of
    which clip says it."""

    id: str
    clip: int
    said: int
    last: int | None = None
    """The last utterance, when one sentence is said in several (a frame in the voice of
    the output words around a title in its own language's voice)."""


@dataclass
class Document:
    """One content document: its file name, title, kind and XHTML."""

    name: str
    title: Text
    kind: str
    """Its ``epub:type`` (titlepage, introduction, chapter, glossary…)."""
    body: list[str] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)
    pages: list[PageMark] = field(default_factory=list)
    """Where pages of the printed edition begin in the body."""

    def starts(self) -> Iterator[tuple[int, str]]:
        """The body lines that open a heading, paragraph, item or term, with their text
        (a question's heading without its "Question 1 of 10")."""
        for index, line in enumerate(self.body):
            if _OPENS.match(line):
                text = _TAGS.sub("", _NUMBER.sub("", line))
                yield index, " ".join(unescape(text).split())

    def xhtml(self, lang: str, css: str) -> str:
        head = XHTML_HEAD.format(lang=lang, dir=direction(lang), css=css,
                                 title=escape(plain(self.title.markdown)))
        role = {"titlepage": "", "chapter": "doc-chapter", "introduction": "doc-introduction",
                "glossary": "doc-glossary"}.get(self.kind, "")
        roles = f' role="{role}"' if role else ""
        body = list(self.body)
        for mark in sorted(self.pages, key=lambda m: (m.line, -m.at)):  # later ones first
            line = body[mark.line]
            if mark.at:
                cut = _char_at(line, mark.at)
            elif line.startswith(("<li", "<dt", "<dd")):  # inside: lists hold only items
                cut = line.index(">") + 1
            else:
                cut = 0
            body[mark.line] = line[:cut] + page_marker(mark.page) + line[cut:]
        return (f'{head}<body>\n<section epub:type="{self.kind}"{roles} id="top">\n'
                + "\n".join(body) + "\n</section>\n</body>\n</html>\n")


@dataclass(frozen=True)
class PageMark:
    """A page of the printed edition begins at body line ``line``: at its start, or
    before the word after its first ``at`` characters that are not spaces."""

    line: int
    page: int
    at: int = 0


def page_marker(page: int) -> str:
    """The empty element a page list entry points at (EPUB 3 and DPUB-ARIA page break)."""
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" class="pagebreak" '
            f'id="page{page}" aria-label="{page}"></span>')


def _char_at(line: str, count: int) -> int:
    """The index in the XHTML ``line`` of the first character of its text that comes
    after ``count`` characters that are not spaces (tags skipped, an entity one character)."""
    seen, at = 0, 0
    while at < len(line):
        if line[at] == "<":
            at = line.index(">", at) + 1
            continue
        if not line[at].isspace():
            if seen == count:
                return at
            seen += 1
        at = line.index(";", at) + 1 if line[at] == "&" else at + 1
    return len(line)


_OPENS = re.compile(r"<(h1|p|li|dt|dd)\b")
_TAGS = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r'<span class="question-number"[^>]*>.*?</span>')


class _Script:
    """The spoken script of one clip, taken unit by unit in reading order."""

    def __init__(self, clip: int, section: Section) -> None:
        self.clip = clip
        self.units = iter(section.units)
        self.said = 0

    def take(self) -> tuple[Unit, int]:
        """The next unit, and the index (in its clip) of its first utterance."""
        unit = next(self.units)
        first = self.said
        self.said += len(unit.segments)
        return unit, first

    def rest(self) -> Iterator[tuple[Unit, int]]:
        while True:
            try:
                yield self.take()
            except StopIteration:
                return


class Writer:
    """Writes the documents of one edition from its script: the standard one
    (:func:`~pipeline.audio.script.script`), or with ``easy`` the easy-read one
    (:func:`~pipeline.audio.script.easy_script`: easy title, summary, introduction and
    headings)."""

    def __init__(self, edition: Edition, script: Sequence[Section], easy: bool) -> None:
        self.edition = edition
        self.words = edition.words
        self.script = script
        self.easy = easy
        self.ids = 0
        self.pictures: set[str] = set()

    def documents(self) -> list[Document]:
        leaflet = self.edition.leaflet
        intro = _Script(0, self.script[0])
        heading = leaflet.easy_title if self.easy else leaflet.title
        title = Document("title.xhtml", heading, "titlepage")
        intro.take()  # "This is the audio version of…": said, not shown
        title.body.append(f'<h1 class="title"{self.lang(heading)}>{_text(heading)}</h1>')
        self.paragraph(title, leaflet.easy_summary if self.easy else leaflet.summary, intro,
                       "summary")
        for notice in self.edition.notices:  # e.g. "This translation has not been checked yet"
            self.paragraph(title, notice, intro, "notice")
        if self.easy and leaflet.easy.intro:
            self.easy_read(title, leaflet.easy.intro, intro)
        title.body.append(f'<p class="organisation"{self.lang(leaflet.organisation)}>'
                          f'{_text(leaflet.organisation)}</p>')
        docs = [title]
        if leaflet.intro and not self.easy:
            doc = Document("introduction.xhtml", self.words("Introduction"), "introduction")
            doc.body.append(self.heading(doc.title))
            self.blocks(doc, leaflet.intro, intro)
            docs.append(doc)
        for number, question in enumerate(leaflet.questions, start=1):
            docs.append(self.question(number, question, _Script(number, self.script[number])))
        docs.append(self.contact(_Script(len(self.script) - 1, self.script[-1])))
        if leaflet.glossary:
            docs.append(self.glossary())
        return docs

    # -- documents ---------------------------------------------------------------------

    def question(self, number: int, question: Question, script: _Script) -> Document:
        title = question.easy_title if self.easy else question.heading
        doc = Document(f"q{number:02d}-{question.id}.xhtml", title, "chapter")
        unit, first = script.take()
        frame, *heading = unit.segments
        label = self.fragment(doc, script, first)
        said = self.sentences(doc, title, heading, script, first + 1)
        lang = self.lang(title)
        doc.body.append(f'<h1><span class="question-number" id="{label}">{escape(frame.text)}'
                        f'</span> {f"<span{lang}>{said}</span>" if lang else said}</h1>')
        if self.easy and question.easy_read:
            self.easy_read(doc, question.easy_read, script)
        else:
            self.blocks(doc, question.blocks, script)
        return doc

    def contact(self, script: _Script) -> Document:
        doc = Document("contact.xhtml", self.words("Contact details"), "chapter")
        unit, first = script.take()
        doc.body.append(f'<h1{self.lang(doc.title)}>'
                        f'{self.sentences(doc, doc.title, unit.segments, script, first)}</h1>')
        for unit, first in script.rest():
            segment = unit.segments[0]
            if segment.shown:  # a phone number or web address: one sentence, said otherwise
                label = self.fragment(doc, script, first)
                doc.body.append(f'<p{self.lang(unit.lang)}><span id="{label}">'
                                f'{escape(segment.shown)}</span></p>')
            else:
                doc.body.append(f'<p{self.lang(unit.lang)}>'
                                f'{self.sentences(doc, unit.display, unit.segments, script, first)}'
                                '</p>')
        return doc

    def glossary(self) -> Document:
        doc = Document("glossary.xhtml", self.words("Hard words"), "glossary")
        doc.body.append(self.heading(doc.title))
        doc.body.append("<dl>")
        for entry in self.edition.leaflet.glossary:
            doc.body.append(
                f'<dt epub:type="glossterm" id="term-{entry.id}"{self.lang(entry.term)}><dfn>'
                f'{_text(entry.term)}</dfn></dt>')
            doc.body.append(f'<dd epub:type="glossdef"{self.lang(entry.definition)}>'
                            f'{_text(entry.definition)}</dd>')
        doc.body.append("</dl>")
        return doc

    # -- pieces ------------------------------------------------------------------------

    def easy_read(self, doc: Document, found: Sequence[EasySentence], script: _Script) -> None:
        """Easy-read sentences as a list, each with its picture: as on the page, a picture
        that repeats its sentence is decoration (empty alt, so a screen reader does not say
        it twice); one that adds something (``[key, alt]``) has its description."""
        doc.body.append('<ul class="easy-read">')
        for sentence in found:
            unit, first = script.take()
            self.pictures.add(sentence.picture)
            alt = plain(self.words(PICTOGRAMS.get(sentence.picture, sentence.picture)).markdown
                        ) if sentence.described else ""
            doc.body.append(
                f'<li{self.lang(sentence.text)}><img src="images/{sentence.picture}.svg" '
                f'alt="{escape(alt)}" width="96" height="96"/> '
                f'<span class="sentence">'
                f'{self.sentences(doc, sentence.text, unit.segments, script, first)}'
                f'</span></li>')
        doc.body.append("</ul>")

    def heading(self, text: Text) -> str:
        return f"<h1{self.lang(text)}>{_text(text)}</h1>"

    def blocks(self, doc: Document, blocks: Sequence[Block], script: _Script) -> None:
        for block in blocks:
            if isinstance(block, Table):
                block = block.linear()  # read a row at a time, as the audio says it
            if isinstance(block, Paragraph):
                self.paragraph(doc, block.text, script)
            elif isinstance(block, ItemList):
                tag = "ol" if block.ordered else "ul"
                start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
                doc.body.append(f"<{tag}{start}>")
                for item in block.items:
                    unit, first = script.take()
                    doc.body.append(f"<li{self.lang(item)}>"
                                    f"{self.sentences(doc, item, unit.segments, script, first)}"
                                    "</li>")
                doc.body.append(f"</{tag}>")

    def paragraph(self, doc: Document, text: Text, script: _Script, css: str = "") -> None:
        unit, first = script.take()
        attrs = f' class="{css}"' if css else ""
        doc.body.append(f"<p{attrs}{self.lang(text)}>"
                        f"{self.sentences(doc, text, unit.segments, script, first)}</p>")

    def sentences(self, doc: Document, text: Text | str, said: Sequence[Segment],
                  script: _Script, first: int) -> str:
        """``text`` (Markdown, or plain when a str) with each sentence in a ``span`` the
        overlay points at, matched to the utterances ``said`` (from utterance ``first``)."""
        found = parts(text.markdown, text.lang) if isinstance(text, Text) else (Span(text),)
        full = "".join(s.text for s in found)
        out, start = [], 0
        pieces = [p for p in sentences(full) if p.strip()] if full.strip() else []
        if len(pieces) == 1 and len(said) > 1:  # one sentence, said in several voices
            lead = len(full) - len(full.lstrip())
            label = self.fragment(doc, script, first, last=first + len(said) - 1)
            return (_inline(_cut(found, 0, lead)) + f'<span id="{label}">'
                    f'{_inline(_cut(found, lead, len(full)))}</span>')
        groups = _by_sentence(pieces, said)
        if groups is None:
            raise ValueError(f"{doc.name}: {len(pieces)} sentences shown, {len(said)} said")
        for piece, (begin_said, end_said) in zip(pieces, groups, strict=True):
            begin = full.index(piece, start)
            lead = len(piece) - len(piece.lstrip())
            out.append(_inline(_cut(found, begin, begin + lead)))
            label = self.fragment(doc, script, first + begin_said,
                                  None if end_said == begin_said else first + end_said)
            out.append(f'<span id="{label}">'
                       f'{_inline(_cut(found, begin + lead, begin + len(piece)))}</span>')
            start = begin + len(piece)
        out.append(_inline(_cut(found, start, len(full))))
        return "".join(out)

    def fragment(self, doc: Document, script: _Script, said: int,
                 last: int | None = None) -> str:
        self.ids += 1
        label = f"s{self.ids}"
        doc.fragments.append(Fragment(label, script.clip, said, last))
        return label

    def lang(self, text: Text | str) -> str:
        return lang_attrs(text, self.edition.lang)


def lang_attrs(text: Text | str, book: str) -> str:
    """``lang``, ``xml:lang`` and ``dir`` for an element in another language than the
    book (a passage that fell back to English); empty otherwise."""
    lang = text if isinstance(text, str) else text.lang
    if lang == book:
        return ""
    return f' lang="{lang}" xml:lang="{lang}" dir="{direction(lang)}"'


def _by_sentence(pieces: Sequence[str], said: Sequence[Segment]) -> list[tuple[int, int]] | None:
    """The first and last utterance of each sentence shown: one each, or several where a
    phrase in another language is said in its own voice; None when they do not match."""
    if len(pieces) == len(said):
        return [(n, n) for n in range(len(said))]
    out, k = [], 0
    for piece in pieces:
        want, got, begin = "".join(piece.split()), "", k
        while k < len(said) and not got.endswith(want):
            got += "".join(said[k].display.split())
            k += 1
        if not got.endswith(want):
            return None
        out.append((begin, k - 1))
    return out if k == len(said) else None


def _cut(found: Sequence[Span], begin: int, end: int) -> list[Span]:
    """The spans covering characters ``begin`` to ``end`` of their joined text."""
    out, at = [], 0
    for span in found:
        a, b = max(begin, at), min(end, at + len(span.text))
        if a < b:
            out.append(replace(span, text=span.text[a - at:b - at]))
        at += len(span.text)
    return out


def _text(text: Text) -> str:
    """A text's inline Markdown as XHTML, its parts in other languages marked."""
    return _inline(parts(text.markdown, text.lang))


def _inline(found: Sequence[Span]) -> str:
    """Spans as XHTML: bold as ``strong``, links as ``a``, a hard break as ``br``, a part in
    another language as ``span lang``."""
    out = []
    for span in found:
        if span.text == "\n":
            out.append("\n<br/>")
            continue
        html = escape(span.text, quote=False)
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.lang:
            lang = escape(span.lang)
            html = (f'<span lang="{lang}" xml:lang="{lang}" '
                    f'dir="{direction(span.lang)}">{html}</span>')
        if span.href:
            html = f'<a href="{escape(span.href)}">{html}</a>'
        out.append(html)
    return "".join(out)
