"""The package document (OPF) with its accessibility metadata, and the navigation document.

The metadata follows EPUB Accessibility 1.1: access modes, features, hazards, a
summary and ``dcterms:conformsTo`` WCAG 2.2 AA; ``media:duration`` for every
overlay and the ``-epub-media-overlay-active`` class readers highlight with.
The navigation document is also the book's contents page (in the spine) and
holds the page list that maps each document to its page of the large-print PDF.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..html.languages import direction
from ..inline import plain
from ..model import Edition
from .content import XHTML_HEAD, Document, lang_attrs, page_marker

ACTIVE_CLASS = "-epub-media-overlay-active"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
SUMMARY = (
    "Every page can be read aloud: each sentence is highlighted as a synthetic voice reads "
    "it (media overlays). Headings, lists and a table of contents give structure; the text "
    "reflows and takes the reader's own fonts, sizes and colours; a page list points to the "
    "pages of the {printed} PDF.")
EASY_SUMMARY = (" Easy read: short sentences, each with a picture beside it; a picture that "
                "only repeats its sentence is marked as decoration, one that adds to it is "
                "described.")


@dataclass(frozen=True)
class Item:
    """A manifest entry: its id, path (relative to the OPF), media type and properties."""

    id: str
    href: str
    media_type: str
    properties: str = ""
    overlay: str = ""


def modified(edition: Edition) -> str:
    """``dcterms:modified``: SOURCE_DATE_EPOCH when set, else the leaflet's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    else:
        try:
            when = dt.datetime.fromisoformat(edition.leaflet.date or "2000-01-01")
        except ValueError:
            when = dt.datetime(2000, 1, 1)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def opf(edition: Edition, easy: bool, items: Sequence[Item], spine: Sequence[str],
        durations: dict[str, str], total: str, narrator: str, pdf: str) -> str:
    """The package document; ``durations`` maps overlay ids to their ``media:duration``."""
    leaflet = edition.leaflet
    lang = edition.lang
    book = f"{leaflet.id}/{lang}/{'easy-read' if easy else 'standard'}"
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"leaflets:{book}")
    title = plain(leaflet.title.markdown)
    modes = ["textual", "auditory", *(["visual"] if easy else [])]
    described = easy and any(s.described for s in (
        *leaflet.easy.intro, *(s for q in leaflet.questions for s in q.easy_read)))
    features = ["synchronizedAudioText", "structuralNavigation", "tableOfContents",
                "readingOrder", "displayTransformability", "pageNavigation",
                "printPageNumbers", *(["alternativeText"] if described else [])]
    meta = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f"<dc:publisher>{escape(plain(leaflet.organisation.markdown))}</dc:publisher>",
        f"<dc:description>{escape(plain(leaflet.summary.markdown))}</dc:description>",
        *([f"<dc:date>{escape(leaflet.date)}</dc:date>"] if leaflet.date else []),
        f'<dc:source id="pages">{escape(pdf)}</dc:source>',  # the page list's pages
        '<meta refines="#pages" property="source-of">pagination</meta>',
        f'<meta property="dcterms:modified">{modified(edition)}</meta>',
        *(f'<meta property="schema:accessMode">{m}</meta>' for m in modes),
        '<meta property="schema:accessModeSufficient">textual</meta>',
        *(f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary" xml:lang="en">'
        f'{SUMMARY.format(printed="easy-read" if easy else "large-print")}'
        f'{EASY_SUMMARY if easy else ""}</meta>',
        f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>',
        '<meta property="a11y:certifiedBy">the leaflets project (self-assessed: EPUBCheck '
        'and DAISY Ace run in its tests)</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
        f'<meta property="media:narrator">{escape(narrator)}</meta>',
        f'<meta property="media:duration">{total}</meta>',
        *(f'<meta property="media:duration" refines="#{id_}">{value}</meta>'
          for id_, value in durations.items()),
    ]
    manifest = []
    for item in items:
        attrs = f' properties="{item.properties}"' if item.properties else ""
        attrs += f' media-overlay="{item.overlay}"' if item.overlay else ""
        manifest.append(f'<item id="{item.id}" href="{item.href}" '
                        f'media-type="{item.media_type}"{attrs}/>')
    progression = ' page-progression-direction="rtl"' if direction(lang) == "rtl" else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{lang}" dir="{direction(lang)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        + f"<spine{progression}>\n"
        + "\n".join(f'<itemref idref="{ref}"/>' for ref in spine) + "\n</spine>\n</package>\n"
    )


def nav(edition: Edition, docs: Sequence[Document], css: str,
        in_contents: Sequence[int] = ()) -> str:
    """The navigation document: contents, page list and landmarks; ``in_contents`` are the
    pages of the printed edition that begin in its contents list, marked at the start of
    this one (the list's items may hold nothing else)."""
    words = edition.words
    contents = words("Contents")
    head = XHTML_HEAD.format(lang=edition.lang, dir=direction(edition.lang), css=css,
                             title=escape(plain(contents.markdown)))
    toc = "\n".join(f'<li><a href="{d.name}"{lang_attrs(d.title, edition.lang)}>'
                    f"{escape(plain(d.title.markdown))}</a></li>" for d in docs)
    marked = sorted([(mark.page, d.name) for d in docs for mark in d.pages]
                    + [(page, "nav.xhtml") for page in in_contents])
    pages = "\n".join(f'<li><a href="{name}#page{page}">{page}</a></li>'
                      for page, name in marked)
    body = next((d for d in docs if d.kind == "chapter"), docs[0])
    marks = [("toc", "nav.xhtml#toc", contents), ("bodymatter", body.name, body.title)]
    marks += [("glossary", d.name, d.title) for d in docs if d.kind == "glossary"]
    landmarks = "\n".join(f'<li><a epub:type="{kind}" href="{href}"'
                          f"{lang_attrs(text, edition.lang)}>"
                          f"{escape(plain(text.markdown))}</a></li>"
                          for kind, href, text in marks)
    return (
        f'{head}<body>\n{"".join(map(page_marker, in_contents))}'
        '<nav epub:type="toc" role="doc-toc" id="toc">\n'
        f"<h1{lang_attrs(contents, edition.lang)}>{escape(plain(contents.markdown))}</h1>\n"
        f"<ol>\n{toc}\n</ol>\n</nav>\n"
        f'<nav epub:type="page-list" role="doc-pagelist" hidden="hidden" aria-label="Pages">'
        f"\n<ol>\n{pages}\n</ol>\n</nav>\n"
        f'<nav epub:type="landmarks" hidden="hidden" aria-label="Landmarks">\n<ol>\n'
        f"{landmarks}\n</ol>\n</nav>\n</body>\n</html>\n"
    )
