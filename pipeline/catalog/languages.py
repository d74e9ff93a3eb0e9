"""Language codes: checked by Babel, spelled one way for files and one way for the web.

Catalogue folders and the ``Language`` header use gettext's spelling (``pa``,
``pt_BR``); editions and HTML use BCP 47 (``pa``, ``pt-BR``). Only codes Babel
knows are accepted, so no code can name a path outside ``locales/``.
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from ..errors import LeafletsError

_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")


def parse_language(code: str) -> Locale:
    """The Babel locale of ``code``, or a LeafletsError saying what to type instead."""
    if not _SHAPE.fullmatch(code):
        raise LeafletsError(
            f"{code[:40]!r} is not a language code",
            hint="use a code like cy, pl, ur, pa, ar or pt-BR",
        )
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise LeafletsError(
            f"unknown language '{code}'",
            hint="use a code Babel knows, like cy, pl, ur, pa, ar or pt-BR",
        ) from None
    if locale.language != re.split("[-_]", code)[0].lower():  # und, iw, mo: read as another
        raise LeafletsError(
            f"'{code}' is not a language's own code (it would be read as "
            f"'{str(locale).replace('_', '-')}')",
            hint="use the language's current code, like cy, pl, ur, pa, ar or pt-BR",
        )
    return locale


def gettext_code(code: str) -> str:
    """The folder and header spelling: ``pt_BR``."""
    return str(parse_language(code))


def web_code(code: str) -> str:
    """The BCP 47 spelling: ``pt-BR``."""
    return str(parse_language(code)).replace("_", "-")


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` header value for ``code``."""
    forms = get_plural(parse_language(code)).plural_forms
    return forms if forms.endswith(";") else f"{forms};"


def language_header(code: str, project: str) -> dict[str, str]:
    """The header fields of a new catalogue in ``code``."""
    locale = parse_language(code)
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": f"{locale.english_name} <>",
        "Language": gettext_code(code),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(code),
    }


def is_rtl(code: str) -> bool:
    return parse_language(code).text_direction == "rtl"
