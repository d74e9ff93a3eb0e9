"""The leaflet model: what a leaflet says, independent of any file format.

Data flows one way: the source reader builds a :class:`Leaflet` in the source
language, the catalogue layer turns it into an :class:`Edition` (the same
leaflet in one language, every text carrying the language it is really in),
and the renderers turn editions into files.

Texts hold *inline Markdown* (bold, emphasis, links); :mod:`pipeline.inline`
turns them into spans for the renderers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol

SOURCE_LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Text:
    """A run of inline Markdown, and the language it is written in.

    ``line`` is the line of the source file it came from (0 when unknown); it
    takes no part in equality, so reflowing a source changes no text.
    """

    markdown: str
    lang: str = SOURCE_LANGUAGE
    line: int = field(default=0, compare=False, repr=False)

    def __str__(self) -> str:
        return self.markdown


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class ItemList:
    """A bulleted (``ordered=False``) or numbered list; one text per item."""

    items: tuple[Text, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table: its header row and its body rows, one text per cell."""

    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]

    def linear(self) -> ItemList:
        """The table read row by row, each row as "header: cell; header: cell", for the
        outputs that read in a line (audio, braille, the talking book)."""
        items = []
        for row in self.rows:
            parts = [f"{h.markdown}: {c.markdown}" if h.markdown else c.markdown
                     for h, c in zip(self.header, row, strict=False) if c.markdown]
            lang = next((c.lang for c in row if c.markdown), self.header[0].lang)
            line = next((c.line for c in row), 0)
            items.append(Text("; ".join(parts), lang, line))
        return ItemList(tuple(items))


Block = Paragraph | ItemList | Table


@dataclass(frozen=True)
class EasySentence:
    """One easy-read sentence and the key of the picture shown beside it."""

    text: Text
    picture: str
    terms: tuple[str | None, ...] = ()
    """For each bold span of the source sentence, the id of the glossary entry it
    names (None for bold that is only emphasis). Translations keep these links by
    position, so an inflected hard word still links to its entry."""
    described: bool = False
    """True when the picture adds to the sentence (``[key, alt]``): it gets its alt
    text. Otherwise it repeats the sentence and is decoration (empty alt)."""


@dataclass(frozen=True)
class Question:
    """One question: its heading, the standard answer and the easy-read answer."""

    id: str
    heading: Text
    blocks: tuple[Block, ...]
    easy_read: tuple[EasySentence, ...] = ()
    easy_heading: Text | None = None
    """The question in easy words (the ``# ...`` line that opens its easy-read part)."""

    @property
    def easy_title(self) -> Text:
        """The heading an easy-read reader sees: the easy heading, else the question."""
        return self.easy_heading or self.heading


@dataclass(frozen=True)
class GlossaryEntry:
    """A hard word and its plain explanation."""

    id: str
    term: Text
    definition: Text


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    address: Text | None = None
    text_relay: str | None = None
    """A number to call through Relay UK (text relay), like ``18001 0306 999 0123``."""


@dataclass(frozen=True)
class EasyFront:
    """The leaflet's front in easy words: a title, a summary and introduction sentences."""

    title: Text | None = None
    summary: Text | None = None
    intro: tuple[EasySentence, ...] = ()


@dataclass(frozen=True)
class Leaflet:
    """A whole leaflet in one language (the source language when read from source)."""

    id: str
    lang: str
    title: Text
    summary: Text
    organisation: Text
    contact: Contact
    date: str
    version: str
    questions: tuple[Question, ...]
    intro: tuple[Block, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    easy: EasyFront = field(default_factory=EasyFront)
    """The easy-read title, summary and introduction (the front matter's ``easy:``)."""
    source_path: str = field(default="", compare=False, repr=False)

    @property
    def easy_title(self) -> Text:
        """The title in easy words, else the title."""
        return self.easy.title or self.title

    @property
    def has_easy_read(self) -> bool:
        """Whether anything is in easy read (then there is easy-read audio and print)."""
        return bool(self.easy.intro or any(q.easy_read for q in self.questions))

    @property
    def easy_summary(self) -> Text:
        """The summary in easy words, else the summary."""
        return self.easy.summary or self.summary

    def texts(self) -> Iterator[tuple[str, str, Text]]:
        """Every translatable text as ``(context, comment, text)``, in reading order.

        The context is the question id for a question's texts, ``leaflet`` for the
        title block and introduction, and ``glossary`` for hard words. The catalogue
        layer extracts and translates exactly these texts, in this order.
        """
        yield "leaflet", "Leaflet title", self.title
        yield "leaflet", "One-line summary of the leaflet", self.summary
        yield "leaflet", "Organisation that publishes the leaflet", self.organisation
        if self.contact.address is not None:
            yield "leaflet", "Contact address: translate only the words, not names", (
                self.contact.address
            )
        for block in self.intro:
            for text in block_texts(block):
                yield "leaflet", "Introduction", text
        easy = "Easy read: at most 15 words, one idea, everyday words."
        if self.easy.title is not None:
            yield "leaflet", f"Easy-read title. {easy}", self.easy.title
        if self.easy.summary is not None:
            yield "leaflet", f"Easy-read summary. {easy}", self.easy.summary
        for sentence in self.easy.intro:
            yield "leaflet", (
                f"Easy-read introduction. {easy} Picture: {sentence.picture}"
            ), sentence.text
        for q in self.questions:
            comment = f"Question: {q.heading.markdown}"
            yield q.id, "Question heading", q.heading
            if q.easy_heading is not None:
                yield q.id, f"{comment}\nEasy-read heading: the question in everyday words", (
                    q.easy_heading
                )
            for block in q.blocks:
                for text in block_texts(block):
                    yield q.id, comment, text
            for sentence in q.easy_read:
                yield q.id, (
                    f"{comment}\nEasy read: at most 15 words, one idea, everyday words. "
                    f"Picture: {sentence.picture}"
                ), sentence.text
        for entry in self.glossary:
            yield "glossary", f"Hard word (glossary term) {entry.id}", entry.term
            yield "glossary", f"Plain explanation of the hard word: {entry.term.markdown}", (
                entry.definition
            )

    def map_texts(self, fn: TextMap) -> Leaflet:
        """A copy with every translatable text replaced by ``fn(context, text)``."""

        def blocks(context: str, bs: tuple[Block, ...]) -> tuple[Block, ...]:
            out: list[Block] = []
            for b in bs:
                if isinstance(b, Paragraph):
                    out.append(Paragraph(fn(context, b.text)))
                elif isinstance(b, Table):
                    out.append(Table(tuple(fn(context, t) for t in b.header),
                                     tuple(tuple(fn(context, t) for t in row)
                                           for row in b.rows)))
                else:
                    out.append(replace(b, items=tuple(fn(context, t) for t in b.items)))
            return tuple(out)

        address = self.contact.address
        return replace(
            self,
            title=fn("leaflet", self.title),
            summary=fn("leaflet", self.summary),
            organisation=fn("leaflet", self.organisation),
            contact=replace(
                self.contact, address=None if address is None else fn("leaflet", address)
            ),
            intro=blocks("leaflet", self.intro),
            easy=EasyFront(
                title=None if self.easy.title is None else fn("leaflet", self.easy.title),
                summary=None if self.easy.summary is None else fn("leaflet", self.easy.summary),
                intro=tuple(replace(s, text=fn("leaflet", s.text)) for s in self.easy.intro),
            ),
            questions=tuple(
                replace(
                    q,
                    heading=fn(q.id, q.heading),
                    easy_heading=None if q.easy_heading is None else fn(q.id, q.easy_heading),
                    blocks=blocks(q.id, q.blocks),
                    easy_read=tuple(
                        replace(s, text=fn(q.id, s.text)) for s in q.easy_read
                    ),
                )
                for q in self.questions
            ),
            glossary=tuple(
                replace(e, term=fn("glossary", e.term), definition=fn("glossary", e.definition))
                for e in self.glossary
            ),
        )


class TextMap(Protocol):
    def __call__(self, context: str, text: Text, /) -> Text: ...


def block_texts(block: Block) -> tuple[Text, ...]:
    """The texts of one block, in order."""
    if isinstance(block, Paragraph):
        return (block.text,)
    if isinstance(block, Table):
        cells = (*block.header, *(cell for row in block.rows for cell in row))
        return tuple(cell for cell in cells if cell.markdown)  # an empty cell says nothing
    return block.items


class Words(Protocol):
    """The words of the outputs themselves ("Contents", "Page 2 of 6"), in one language.

    Each call returns a :class:`Text` whose ``lang`` says which language the
    words really are in (the source language when untranslated). Placeholders
    use Python's ``%(name)s`` syntax and are filled from ``values``.
    """

    def __call__(self, message: str, /, **values: object) -> Text: ...

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> Text: ...


@dataclass(frozen=True)
class Edition:
    """A leaflet in one language, ready for the renderers.

    ``leaflet`` holds the translated texts; a text that fell back to the source
    keeps ``lang`` = the source language, so renderers can mark it (HTML lang,
    PDF /Lang, an English voice). ``languages`` lists every published language
    of this leaflet, for language switchers and links.
    """

    leaflet: Leaflet
    lang: str
    words: Words
    languages: tuple[str, ...] = ()
    notices: tuple[Text, ...] = ()
    """Short notices every output shows near its start, in the edition's language (for
    example that the translation has not been checked yet)."""
