"""Where each output lives under ``outputs/``: one place, so pages can link to files.

``outputs/<leaflet>/<lang>/`` holds one edition's files::

    index.html                          easy-read web page
    <leaflet>.<lang>.pdf                large-print PDF
    audio/<leaflet>.<lang>.mp3          whole leaflet, one chapter per question
    audio/NN-<question-id>.mp3          one file per question
    audio/<leaflet>.<lang>.m3u8         playlist
    <leaflet>.<lang>.daisy.zip          DAISY 2.02 talking book
    <leaflet>.<lang>.easy-read.pdf      printed easy-read edition
    audio/<leaflet>.<lang>.easy-read.mp3  easy-read leaflet, slower, one chapter per question
    audio/easy-read/NN-<question-id>.mp3  one file per question's easy-read sentences
    <leaflet>.<lang>.brf                braille for embossers and braille displays
    <leaflet>.<lang>.pef                the same braille as PEF (Portable Embosser Format)
    <leaflet>.<lang>.epub               EPUB 3 with read-aloud (media overlays)
    <leaflet>.<lang>.easy-read.epub     the same for the easy-read text

Leaflet ids and question ids are checked slugs (see :mod:`pipeline.source`) and
language codes are checked by Babel, so every name here is safe on any system.
"""

from __future__ import annotations

from .model import Edition


def edition_dir(leaflet_id: str, lang: str) -> str:
    return f"{leaflet_id}/{lang}"


def _named(edition: Edition, suffix: str) -> str:
    """``<leaflet>.<lang>.<suffix>``: how every file of an edition is named."""
    return f"{edition.leaflet.id}.{edition.lang}.{suffix}"


def html_name() -> str:
    return "index.html"


def pdf_name(edition: Edition) -> str:
    return _named(edition, "pdf")


def audio_name(edition: Edition) -> str:
    return f"audio/{_named(edition, 'mp3')}"


def question_audio_name(number: int, question_id: str) -> str:
    return f"audio/{number:02d}-{question_id}.mp3"


def playlist_name(edition: Edition) -> str:
    return f"audio/{_named(edition, 'm3u8')}"


def daisy_name(edition: Edition) -> str:
    return _named(edition, "daisy.zip")


def easy_pdf_name(edition: Edition) -> str:
    """The printed easy-read edition."""
    return _named(edition, "easy-read.pdf")


def easy_audio_name(edition: Edition) -> str:
    """The whole easy-read leaflet as one MP3, one chapter per question."""
    return f"audio/{_named(edition, 'easy-read.mp3')}"


def easy_question_audio_name(number: int, question_id: str) -> str:
    """One question's easy-read sentences, spoken slowly."""
    return f"audio/easy-read/{number:02d}-{question_id}.mp3"


def brf_name(edition: Edition) -> str:
    return _named(edition, "brf")


def pef_name(edition: Edition) -> str:
    return _named(edition, "pef")


def epub_name(edition: Edition, easy: bool = False) -> str:
    return _named(edition, "easy-read.epub" if easy else "epub")
