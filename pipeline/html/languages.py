"""What a web page needs to know about a language: its direction and its own name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang.replace("-", "_"))


def direction(lang: str) -> str:
    """``"rtl"`` or ``"ltr"``: the writing direction of ``lang`` (a BCP 47 code)."""
    return "rtl" if _locale(lang).text_direction == "rtl" else "ltr"


def own_name(lang: str) -> str:
    """The language's name in itself, as a reader looks for it: "Cymraeg", "اردو"."""
    name = _locale(lang).display_name or lang
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class LanguageLink:
    """A link to a page in another language, named in that language."""

    lang: str
    name: str
    dir: str
    href: str
    current: bool = False

    @classmethod
    def to(cls, lang: str, href: str, current: bool = False) -> LanguageLink:
        return cls(lang, own_name(lang), direction(lang), href, current)
