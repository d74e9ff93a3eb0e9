"""Language of parts (WCAG 3.1.2): which runs of a text are in another language.

Two kinds of part, found here once for every output (the web page, the PDF, the EPUB and
the audio): a phrase the translator marked (``[Youth Offending Teams]{lang=en}``, see
:mod:`pipeline.inline`), and, in a language not written in Latin script, a run of Latin
words ("MAPPA", "Multi-Agency Public Protection Arrangements"), taken as English. Numbers,
phone numbers, web and e-mail addresses belong to no language and are never a part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .inline import Span, spans

FOREIGN = "en"
"""The language of Latin-script words inside a text in another script."""

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_WORD = rf"[{_LETTER}](?:[{_LETTER}0-9'’.&-]*[{_LETTER}0-9])?"
LATIN_RUN = re.compile(rf"{_WORD}(?: +{_WORD})*")
"""Latin words (a letter first; digits, apostrophes, hyphens inside) with spaces between."""
ADDRESS = re.compile(
    r"(?:https?://|mailto:|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?:/\S*)?(?=[\s),;:!?]|\.?$|\.\s)")
"""A web or e-mail address (``https://…``, ``www.…``, ``a@b.org``, ``gov.uk/mappa``)."""
_MARK = re.compile(r"\]\s*\{[^}]*\}|\{\s*lang\s*=|\]\{")
"""What is left of a language mark markdown-it did not read as one."""


@lru_cache(maxsize=64)
def writes_in_latin(lang: str) -> bool:
    """True when ``lang`` is written in Latin script (CLDR's likely script; True if unknown)."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], "")
    return likely.split("_")[1:2] in ([], ["Latn"])


def runs(text: str, lang: str) -> list[tuple[str, str | None]]:
    """``text`` (plain) cut into runs, each with its language, None where it is ``lang``'s:
    in a language not written in Latin script, Latin words are :data:`FOREIGN`."""
    if writes_in_latin(lang):
        return [(text, None)]
    masked = ADDRESS.sub(lambda m: "\0" * len(m.group()), text)
    out: list[tuple[str, str | None]] = []
    at = 0
    for found in LATIN_RUN.finditer(masked):
        if found.start() > at:
            out.append((text[at:found.start()], None))
        out.append((found.group(), FOREIGN))
        at = found.end()
    if at < len(text) or not out:
        out.append((text[at:], None))
    return out


def split(found: Sequence[Span], lang: str) -> tuple[Span, ...]:
    """The spans of a text in ``lang``, cut where a part in another language starts or ends;
    each span's ``lang`` is its part's (None: ``lang``). Marked spans are kept whole."""
    out: list[Span] = []
    for span in found:
        if span.lang is not None or span.text == "\n":
            out.append(span if span.lang != lang else replace(span, lang=None))
            continue
        out += [replace(span, text=text, lang=part) for text, part in runs(span.text, lang)]
    return tuple(out)


def parts(markdown: str, lang: str) -> tuple[Span, ...]:
    """The spans of inline Markdown in ``lang``, cut into parts (see :func:`split`)."""
    return split(spans(markdown), lang)


def marked(markdown: str) -> str:
    """The plain text outside the translator's language marks."""
    return "".join(span.text for span in spans(markdown) if span.lang is None)


def mark_errors(markdown: str) -> list[str]:
    """What is wrong with the language marks of a text: a mark left open or unread, or a
    language Babel does not know."""
    found = []
    for span in spans(markdown):
        if span.lang is not None and not known(span.lang):
            found.append(f"unknown language '{span.lang}' in {{lang={span.lang}}} "
                         "(use a code such as en, fr or pt-BR)")
        if span.lang is None and _MARK.search(span.text):
            found.append("a language mark is broken: write it as [words]{lang=en}, "
                         "with no space between ] and {")
    return list(dict.fromkeys(found))


@lru_cache(maxsize=256)
def known(lang: str) -> bool:
    """True when ``lang`` is a language code Babel knows, written as HTML and PDF want it
    (``en``, ``pt-BR``; not ``pt_BR``)."""
    if "_" in lang:
        return False
    code = lang.replace("-", "_")
    try:
        found = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return str(found).casefold() == code.casefold()  # Babel drops what it does not know
