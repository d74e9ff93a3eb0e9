"""The spoken script: what the audio says, written for listening, from an edition.

An audio edition is a list of :class:`Section` objects (introduction, one per
question, contact details). Each section is a list of :class:`Unit` objects, the
pieces a talking-book player synchronises with the text (a heading, a paragraph,
a list item); each unit is said as :class:`Segment` objects, each in its own
language, with a pause after; a text of several sentences is said one sentence per
segment (see :func:`sentences`), so players can follow the text sentence by
sentence (EPUB media overlays). Framing words ("Question 3 of 10") come from
``edition.words`` so translators translate them like any other output word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..inline import plain, spans
from ..model import Block, Edition, ItemList, Paragraph, Table, Text
from ..notices import other_formats

LEAD_SILENCE = 0.45
"""Seconds of silence at the start of every section (the file starts quietly)."""
PAUSE_AFTER_FRAME = 0.35
PAUSE_AFTER_HEADING = 0.6
PAUSE_AFTER_PARAGRAPH = 0.6
PAUSE_AFTER_ITEM = 0.3
PAUSE_AFTER_SENTENCE = 0.35
"""Between the sentences of one text, about what espeak-ng leaves inside one utterance."""
PAUSE_AT_END = 0.1


@dataclass(frozen=True)
class Segment:
    """A stretch of speech in one language, then ``pause`` seconds of silence."""

    text: str
    lang: str
    pause: float = 0.0
    shown: str = ""
    """What the text shows where it is said differently (a phone number said digit by
    digit); empty when it shows what is said."""

    @property
    def display(self) -> str:
        return self.shown or self.text


@dataclass(frozen=True)
class Unit:
    """One piece of the text as shown (``display``) and as said (``segments``).

    ``role`` is ``heading``, ``paragraph`` or ``item``: the element that holds the
    text in a talking book.
    """

    role: str
    display: str
    lang: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Section:
    """One file of the audio: the introduction, a question, or the contact details.

    ``number`` orders the files: 0 for the introduction, 1..n for the questions,
    n+1 for the contact details.
    """

    id: str
    number: int
    title: str
    title_lang: str
    units: tuple[Unit, ...]


def script(edition: Edition, audio_text: str = "standard") -> tuple[Section, ...]:
    """The whole spoken script of ``edition``; ``audio_text`` is ``standard`` or ``easy-read``."""
    leaflet = edition.leaflet
    words = edition.words
    total = len(leaflet.questions)
    sections = [_introduction(edition, audio_text)]
    for number, question in enumerate(leaflet.questions, start=1):
        frame = words("Question %(number)s of %(total)s", number=number, total=total)
        heading = _segment(question.heading, PAUSE_AFTER_HEADING)
        units = [
            Unit(
                "heading",
                heading.text,
                heading.lang,
                (_segment(frame, PAUSE_AFTER_FRAME),
                 *_said(question.heading, PAUSE_AFTER_HEADING)),
            )
        ]
        if audio_text == "easy-read" and question.easy_read:
            units += [_paragraph(s.text) for s in question.easy_read]
        else:
            units += _blocks(question.blocks)
        sections.append(Section(question.id, number, heading.text, heading.lang, _end(units)))
    sections.append(_contact(edition, total + 1))
    return tuple(sections)


def easy_script(edition: Edition, pause: float) -> tuple[Section, ...]:
    """The easy-read leaflet as it is spoken: the easy title, summary and introduction,
    then each question's easy heading and easy-read sentences (its standard answer when
    it has none), ``pause`` seconds after each sentence, then the contact details.

    Its sections have the same ids and numbers as :func:`script`'s.
    """
    leaflet = edition.leaflet
    words = edition.words
    total = len(leaflet.questions)
    sentence_pause = max(pause, PAUSE_AFTER_PARAGRAPH)
    heading_pause = max(pause, PAUSE_AFTER_HEADING)
    title = plain(leaflet.easy_title.markdown)
    intro = [
        _welcome(edition, leaflet.easy_title, heading_pause),
        _paragraph(leaflet.easy_summary, sentence_pause),
        *(_paragraph(notice, sentence_pause) for notice in edition.notices),
        *(_paragraph(s.text, sentence_pause) for s in leaflet.easy.intro),
    ]
    sections = [Section("introduction", 0, title, leaflet.easy_title.lang, _end(intro))]
    for number, question in enumerate(leaflet.questions, start=1):
        frame = words("Question %(number)s of %(total)s", number=number, total=total)
        heading = _segment(question.easy_title, heading_pause)
        units = [Unit("heading", heading.text, heading.lang,
                      (_segment(frame, PAUSE_AFTER_FRAME),
                       *_said(question.easy_title, heading_pause)))]
        if question.easy_read:
            units += [_paragraph(s.text, sentence_pause) for s in question.easy_read]
        else:
            units += _blocks(question.blocks)
        sections.append(Section(question.id, number, heading.text, heading.lang, _end(units)))
    sections.append(_contact(edition, total + 1))
    return tuple(sections)


def _introduction(edition: Edition, audio_text: str) -> Section:
    leaflet = edition.leaflet
    title = plain(leaflet.title.markdown)
    units = [
        _welcome(edition, leaflet.title, PAUSE_AFTER_HEADING),
        _paragraph(leaflet.summary),
        *(_paragraph(notice) for notice in edition.notices),
    ]
    if audio_text != "easy-read":
        units += _blocks(leaflet.intro)
    return Section("introduction", 0, title, leaflet.title.lang, _end(units))


def _welcome(edition: Edition, title: Text, pause: float) -> Unit:
    """The title, said inside "This is the audio version of …", then how many questions."""
    leaflet = edition.leaflet
    words = edition.words
    welcome = words(
        "This is the audio version of %(title)s, from %(organisation)s.",
        title=plain(title.markdown),
        organisation=plain(leaflet.organisation.markdown),
    )
    count = words.plural(
        "It has %(num)d question.", "It has %(num)d questions.", len(leaflet.questions)
    )
    return Unit("heading", plain(title.markdown), title.lang,
                (_framed(welcome, PAUSE_AFTER_FRAME, title, leaflet.organisation),
                 _segment(count, pause)))


def _contact(edition: Edition, number: int) -> Section:
    leaflet = edition.leaflet
    words = edition.words
    contact = leaflet.contact
    heading = _segment(words("Contact details"), PAUSE_AFTER_HEADING)
    units = [Unit("heading", heading.text, heading.lang, (heading,)),
             _paragraph(other_formats(words))]
    if contact.phone:
        shown = words("Phone: %(phone)s", phone=contact.phone)
        said = words("Phone: %(phone)s", phone=spoken_phone(contact.phone))
        units.append(_shown_as(shown, said))
    if contact.text_relay:
        shown = words("Text relay: %(phone)s", phone=contact.text_relay)
        said = words("Text relay: %(phone)s", phone=spoken_phone(contact.text_relay))
        units.append(_shown_as(shown, said))
    if contact.email:
        units.append(_paragraph(words("Email: %(email)s", email=contact.email)))
    if contact.web:
        shown = words("Website: %(web)s", web=contact.web)
        said = words("Website: %(web)s", web=spoken_web(contact.web))
        units.append(_shown_as(shown, said))
    if contact.address is not None:
        units.append(_paragraph(contact.address))
    end = words("This is the end of %(title)s.", title=plain(leaflet.title.markdown))
    units.append(Unit("paragraph", _segment(end).text, end.lang,
                      (_framed(end, PAUSE_AFTER_PARAGRAPH, leaflet.title),)))
    return Section("contact", number, heading.text, heading.lang, _end(units))


def _blocks(blocks: tuple[Block, ...]) -> list[Unit]:
    units: list[Unit] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            units.append(_paragraph(block.text))
        elif isinstance(block, ItemList):
            units += _items(block)
        elif isinstance(block, Table):
            units += _items(block.linear())  # a row at a time: "header: cell; ..."
    return units


def _items(block: ItemList) -> list[Unit]:
    """A list read item by item, with a short pause after each and a longer one at its end."""
    units = []
    last = len(block.items) - 1
    for index, item in enumerate(block.items):
        pause = PAUSE_AFTER_PARAGRAPH if index == last else PAUSE_AFTER_ITEM
        segment = _segment(item, pause)
        said = _said(item, pause)
        if block.ordered:
            number = f"{block.start + index}. "
            segment = Segment(number + segment.text, segment.lang, pause)
            said = (Segment(number + said[0].text, said[0].lang, said[0].pause), *said[1:])
        units.append(Unit("item", segment.text, segment.lang, said))
    return units


def _paragraph(text: Text, pause: float = PAUSE_AFTER_PARAGRAPH) -> Unit:
    segment = _segment(text, pause)
    return Unit("paragraph", segment.text, segment.lang, _said(text, pause))


def _shown_as(shown: Text, said: Text) -> Unit:
    """A paragraph said otherwise than it is shown (one segment: it is one sentence)."""
    text = plain(shown.markdown)
    return Unit("paragraph", text, shown.lang, (Segment(_segment(said).text, said.lang,
                                                        PAUSE_AFTER_PARAGRAPH, text),))


def _said(text: Text, pause: float) -> tuple[Segment, ...]:
    """``text`` as one segment per sentence: a short pause between them, ``pause`` after.
    A phrase the translator marked as another language (``[words]{lang=en}``) is a
    segment of its own, in that language's voice, with no pause around it."""
    found = spans(text.markdown)
    langs = [lang for span in found for lang in [span.lang or text.lang] * len(span.text)]
    parts = []
    at = 0
    for sentence in sentences("".join(span.text for span in found)):
        voices = _voices(sentence, langs[at:at + len(sentence)])
        at += len(sentence)
        parts += [(said, lang, n == len(voices) - 1) for n, (said, lang) in enumerate(voices)]
    if not parts:
        return (Segment("", text.lang, pause),)
    return tuple(
        Segment(said, lang, pause if n == len(parts) - 1 else PAUSE_AFTER_SENTENCE if ends
                else 0.0)
        for n, (said, lang, ends) in enumerate(parts)
    )


def _voices(sentence: str, langs: list[str]) -> list[tuple[str, str]]:
    """A sentence cut where its language changes, each part with its language, spaces
    folded; what has no letter or digit (a comma) goes with the part before it."""
    parts: list[list[str]] = []
    for char, lang in zip(sentence, langs, strict=True):
        if parts and (parts[-1][1] == lang or not char.isalnum()):
            parts[-1][0] += char
        elif parts and not any(map(str.isalnum, parts[-1][0])):  # only spaces, a quote
            parts[-1] = [parts[-1][0] + char, lang]
        else:
            parts.append([char, lang])
    folded = [(" ".join(said.split()), lang) for said, lang in parts]
    return [(said, lang) for said, lang in folded if said]


_SENTENCE_END = re.compile(r"[.!?…։۔؟।॥።][\"'”’»)\]]*(?=\s+[^\s])")
"""The end of a sentence: a full stop (of any script) and closing quotes or brackets,
before a space."""


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, each with its spaces (joined, they give ``text`` again).

    A stop followed by a lower-case letter ends no sentence ("e.g. police"), nor does
    one inside a word (``gov.uk``).
    """
    out, start = [], 0
    for found in _SENTENCE_END.finditer(text):
        rest = text[found.end():].lstrip()
        if rest[:1].islower():
            continue
        out.append(text[start:found.end()])
        start = found.end()
    out.append(text[start:])
    return [part for part in out if part]


def _segment(text: Text, pause: float = PAUSE_AFTER_PARAGRAPH) -> Segment:
    """Plain text only: markup or SSML in a translation is spoken as text, never obeyed."""
    return Segment(" ".join(plain(text.markdown).split()), text.lang, pause)


def _framed(frame: Text, pause: float, *inserts: Text) -> Segment:
    """A framing sentence. Left untranslated (English) around a text in another script
    (an Amharic title), it is said by that text's voice, which reads the English words
    by English rules: the English voice would spell the other script out letter by letter.
    """
    said = _segment(frame, pause)
    for insert in inserts:
        text = plain(insert.markdown)
        if insert.lang != frame.lang and text in said.text and not _latin(text):
            return Segment(said.text, insert.lang, pause)
    return said


def _latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _end(units: list[Unit]) -> tuple[Unit, ...]:
    """The units of a section, with the last pause shortened (the next section starts quietly)."""
    *body, last = units
    *head, final = last.segments
    ending = Segment(final.text, final.lang, PAUSE_AT_END, final.shown)
    return (*body, Unit(last.role, last.display, last.lang, (*head, ending)))


def spoken_phone(phone: str) -> str:
    """A phone number said digit by digit, in its groups: ``0306 999`` → ``0 3 0 6, 9 9 9``."""
    groups = [g for g in re.split(r"[\s\-.()]+", phone) if g]
    return ", ".join(" ".join(g) if g.isdigit() else g for g in groups)


def spoken_web(url: str) -> str:
    """A web address as people say it: no ``https://``, no ``www.``, no trailing slash."""
    address = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.IGNORECASE)
    address = re.sub(r"^www\.", "", address, flags=re.IGNORECASE)
    return address.rstrip("/")
