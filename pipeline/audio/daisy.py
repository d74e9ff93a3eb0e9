"""A DAISY 2.02 talking book: ncc.html, a text document, one SMIL file per section, the MP3s.

The NCC gives heading navigation (the title as ``h1 class="title"``, each
question and the contact details as ``h2``); ``content.html`` holds the text,
and each SMIL file pairs every heading, paragraph and list item with its stretch
of the section's MP3, so players show the text being read. All files sit flat
in one zip, stored with fixed timestamps so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..catalog.languages import is_rtl
from ..inline import plain
from ..model import Edition
from .script import Section

GENERATOR = "leaflets"
_XHTML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
)
_SMIL_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" '
    '"http://www.w3.org/TR/REC-smil/SMIL10.dtd">\n'
)


@dataclass(frozen=True)
class BookSection:
    """A section of the book: its script, its audio file name, and unit timings."""

    section: Section
    audio: str
    seconds: float
    marks: tuple[tuple[float, float], ...]


def daisy_zip(
    edition: Edition,
    sections: Sequence[BookSection],
    audio: Mapping[str, bytes],
    narrator: str,
) -> bytes:
    """The talking book as zip bytes; ``audio`` maps each section's MP3 name to its bytes."""
    files = book_files(edition, sections, narrator)
    ordered = [("ncc.html", files.pop("ncc.html")), *sorted(files.items())]
    payload = [(name, text.encode("utf-8")) for name, text in ordered]
    payload += [(name, audio[name]) for name in dict.fromkeys(s.audio for s in sections)]
    return write_zip(payload)


def book_files(edition: Edition, sections: Sequence[BookSection], narrator: str) -> dict[str, str]:
    """The text files of the book (``ncc.html``, ``content.html``, ``sNN.smil``) by name."""
    leaflet = edition.leaflet
    title = sections[0].section.title
    identifier = f"{leaflet.id}-{edition.lang}-{leaflet.version}"
    total = sum(s.seconds for s in sections)
    smil_names = [f"s{i:02d}.smil" for i in range(len(sections))]
    files: dict[str, str] = {}
    elapsed = 0.0
    for book, smil in zip(sections, smil_names, strict=True):
        files[smil] = _smil(book, title, identifier, elapsed, _ids(book))
        elapsed += book.seconds
    files["content.html"] = _content(edition, sections, smil_names)
    audio_count = len({s.audio for s in sections})
    meta = {
        "dc:title": title,
        "dc:creator": _plain_org(edition),
        "dc:publisher": _plain_org(edition),
        "dc:date": leaflet.date,
        "dc:format": "Daisy 2.02",
        "dc:identifier": identifier,
        "dc:language": edition.lang,
        "ncc:charset": "utf-8",
        "ncc:generator": GENERATOR,
        "ncc:narrator": narrator,
        "ncc:multimediaType": "audioFullText",
        "ncc:setInfo": "1 of 1",
        "ncc:depth": "2",
        "ncc:tocItems": str(len(sections)),
        "ncc:totalTime": _clock(total),
        "ncc:files": str(1 + 1 + len(smil_names) + audio_count),
        "ncc:pageFront": "0",
        "ncc:pageNormal": "0",
        "ncc:pageSpecial": "0",
        "ncc:maxPageNormal": "0",
    }
    headings = []
    for index, (book, smil) in enumerate(zip(sections, smil_names, strict=True)):
        tag = "h1" if index == 0 else "h2"
        klass = ' class="title"' if index == 0 else ""
        text_id = _ids(book)[0][1]
        headings.append(
            f'<{tag}{klass} id="n{index:02d}"{_lang(book.section.title_lang, edition.lang)}>'
            f'<a href="{smil}#{text_id}">{escape(book.section.title)}</a></{tag}>'
        )
    files["ncc.html"] = _page(edition, title, meta, "\n".join(headings))
    return files


def _ids(book: BookSection) -> list[tuple[str, str, str]]:
    """(par id, text id, content element id) of each unit of a section."""
    n = book.section.number
    return [(f"p{n:02d}_{i}", f"t{n:02d}_{i}", f"c{n:02d}_{i}") for i in range(len(book.marks))]


def _smil(
    book: BookSection, title: str, identifier: str, elapsed: float, ids: list[tuple[str, ...]]
) -> str:
    pars = []
    for (start, end), (par, text, element) in zip(book.marks, ids, strict=True):
        pars.append(
            f'<par endsync="last" id="{par}">'
            f'<text src="content.html#{element}" id="{text}"/>'
            f'<audio src="{escape(book.audio)}" clip-begin="npt={start:.3f}s" '
            f'clip-end="npt={end:.3f}s" id="a{text[1:]}"/></par>'
        )
    return (
        _SMIL_HEAD
        + "<smil>\n<head>\n"
        + _meta("dc:format", "Daisy 2.02")
        + _meta("dc:title", title)
        + _meta("dc:identifier", identifier)
        + _meta("ncc:generator", GENERATOR)
        + _meta("ncc:totalElapsedTime", _clock(elapsed))
        + _meta("ncc:timeInThisSmil", _clock(book.seconds))
        + '<layout><region id="txtView"/></layout>\n</head>\n<body>\n'
        + f'<seq dur="{book.seconds:.3f}s">\n'
        + "\n".join(pars)
        + "\n</seq>\n</body>\n</smil>\n"
    )


def _content(edition: Edition, sections: Sequence[BookSection], smil_names: list[str]) -> str:
    body = []
    for index, (book, smil) in enumerate(zip(sections, smil_names, strict=True)):
        in_list = False
        for unit, (_, text, element) in zip(book.section.units, _ids(book), strict=True):
            if unit.role == "item" and not in_list:
                body.append("<ul>")
            elif unit.role != "item" and in_list:
                body.append("</ul>")
            in_list = unit.role == "item"
            tag = {"heading": "h1" if index == 0 else "h2", "item": "li"}.get(unit.role, "p")
            body.append(
                f'<{tag} id="{element}"{_lang(unit.lang, edition.lang)}>'
                f'<a href="{smil}#{text}">{escape(unit.display)}</a></{tag}>'
            )
        if in_list:
            body.append("</ul>")
    return _page(edition, sections[0].section.title, {}, "\n".join(body))


def _page(edition: Edition, title: str, meta: dict[str, str], body: str) -> str:
    lang = escape(edition.lang)
    return (
        _XHTML_HEAD
        + f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}" '
        + f'dir="{_direction(edition.lang)}">\n'
        + "<head>\n"
        + '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n'
        + f"<title>{escape(title)}</title>\n"
        + "".join(_meta(k, v) for k, v in meta.items())
        + "</head>\n<body>\n"
        + body
        + "\n</body>\n</html>\n"
    )


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{escape(content)}"/>\n'


def _lang(lang: str, page_lang: str) -> str:
    """The attributes of a passage in ``lang`` on a page in ``page_lang``: its language,
    and its direction where that differs (English left untranslated in an Arabic book)."""
    if lang == page_lang:
        return ""
    way = _direction(lang)
    return f' lang="{escape(lang)}" xml:lang="{escape(lang)}"' + (
        f' dir="{way}"' if way != _direction(page_lang) else "")


def _direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


def _plain_org(edition: Edition) -> str:
    return plain(edition.leaflet.organisation.markdown)


def _clock(seconds: float) -> str:
    """``hh:mm:ss.mmm``, the clock value DAISY 2.02 metadata uses."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_zip(files: Sequence[tuple[str, bytes]], stored: tuple[str, ...] = (".mp3",)) -> bytes:
    """Zip ``files`` in the given order with fixed dates (``SOURCE_DATE_EPOCH`` or 1980);
    files whose names end with one of ``stored`` are stored, not compressed."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = time.gmtime(max(int(epoch), 315532800)) if epoch and epoch.isdigit() else None
    date_time = stamp[:6] if stamp else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=date_time)
            keep = name.endswith(stored)  # already compressed, or must be (EPUB's mimetype)
            info.compress_type = zipfile.ZIP_STORED if keep else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return buffer.getvalue()
