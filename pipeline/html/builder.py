"""The easy-read web page of one edition: ``outputs/<leaflet>/<lang>/index.html``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from babel.dates import format_date

from .. import hardwords, layout
from ..audio.readable import unreadable
from ..braille.tables import code_for
from ..builders.base import Builder, OutputDir, Settings
from ..errors import LeafletsError
from ..inline import web_link
from ..model import Edition, Text
from ..notices import other_formats
from ..pdf.fonts import FontSet
from ..pictograms import PICTOGRAMS
from . import glossary
from .languages import LanguageLink, direction
from .markup import PageText, environment
from .pictures import picture_svg
from .webfonts import with_web_fonts


@dataclass(frozen=True)
class Download:
    label: Text
    href: str
    type: str


def render_page(edition: Edition, settings: Settings) -> str:
    """The page's HTML: the same edition and settings always give the same bytes."""
    leaflet = edition.leaflet
    words = edition.words
    has_audio = "audio" in settings.formats and unreadable(edition, settings) is None
    downloads: list[Download] = []
    if "pdf" in settings.formats and leaflet.has_easy_read:
        downloads.append(Download(words("Easy read to print (PDF)"),
                                  layout.easy_pdf_name(edition), "application/pdf"))
    if "pdf" in settings.formats:
        downloads.append(
            Download(words("Large print (PDF)"), layout.pdf_name(edition), "application/pdf")
        )
    if "braille" in settings.formats and code_for(edition.lang) is not None:
        downloads.append(Download(
            words("Braille for an embosser or a braille display (BRF)"),
            layout.brf_name(edition), "text/plain",
        ))
    if "epub" in settings.formats:
        downloads.append(Download(words("E-book that reads itself aloud (EPUB)"),
                                  layout.epub_name(edition), "application/epub+zip"))
    if "epub" in settings.formats and leaflet.has_easy_read:  # made like the easy-read audio
        downloads.append(Download(words("Easy-read e-book that reads itself aloud (EPUB)"),
                                  layout.epub_name(edition, easy=True), "application/epub+zip"))
    if has_audio:
        downloads += [
            Download(
                words("The whole leaflet as one audio file (MP3)"),
                layout.audio_name(edition),
                "audio/mpeg",
            ),
            Download(
                words("Playlist of the answers (M3U)"),
                layout.playlist_name(edition),
                "audio/x-mpegurl",
            ),
            Download(
                words("Talking book (DAISY, zip file)"),
                layout.daisy_name(edition),
                "application/zip",
            ),
        ]
    web = leaflet.contact.web
    sentences = [*leaflet.easy.intro, *(s for q in leaflet.questions for s in q.easy_read)]
    used = sorted({s.picture for s in sentences if s.described})
    entries = {e.id: e for e in leaflet.glossary}
    fonts = FontSet(edition.lang)  # the PDF's own faces; a [fonts] override is for the PDF
    return with_web_fonts(
        environment()
        .get_template("page.html")
        .render(
            edition=edition,
            leaflet=leaflet,
            _=words,
            text=PageText(edition.lang, hardwords.term_index(leaflet.glossary)),
            dir=direction(edition.lang),
            languages=_language_links(edition),
            downloads=downloads,
            whole_audio=layout.audio_name(edition) if has_audio else None,
            easy_whole_audio=(
                layout.easy_audio_name(edition) if has_audio and leaflet.has_easy_read else None
            ),
            question_audio=layout.question_audio_name if has_audio else None,
            easy_question_audio=layout.easy_question_audio_name if has_audio else None,
            picture=picture_svg,
            picture_alt={key: words(PICTOGRAMS.get(key, key)) for key in used},
            glossary_anchor=glossary.anchor,
            use_anchor=glossary.use_anchor,
            first_uses=lambda sentences: glossary.first_uses(sentences, entries),
            uses=glossary.uses(leaflet),
            introduction=glossary.INTRODUCTION,
            other_formats=other_formats(words),
            web=web_link(web) if web else None,
            published=_long_date(leaflet.date, edition.lang, leaflet.source_path),
        ),
        fonts,
        Path(settings.cache_dir),
    )


def _language_links(edition: Edition) -> list[LanguageLink]:
    return [
        LanguageLink.to(lang, f"../{lang}/{layout.html_name()}", current=lang == edition.lang)
        for lang in edition.languages or (edition.lang,)
    ]


def _long_date(iso: str, lang: str, path: str) -> str:
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        raise LeafletsError(
            f"the date {iso!r} is not a date", path or None, hint="write it as YYYY-MM-DD"
        ) from None
    return format_date(day, "long", locale=lang.replace("-", "_"))


@dataclass
class HtmlBuilder(Builder):
    """Writes the easy-read web page of each edition (everything inline: one file)."""

    format: ClassVar[str] = "html"

    def build(self, edition: Edition, out: OutputDir) -> None:
        out.write(layout.html_name(), render_page(edition, self.settings))
