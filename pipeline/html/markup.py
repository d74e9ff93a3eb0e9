"""Texts as safe HTML: inline spans, language marks and glossary links.

Nothing here ever passes a text's Markdown through as HTML: every text is split
into :func:`pipeline.inline.spans` and each span's plain text is escaped, so a
translation holding ``<script>`` or ``&`` shows as those characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import hardwords
from ..inline import Span, plain, spans
from ..langparts import split
from ..model import Text
from . import glossary
from .languages import direction


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of every page (autoescaping on, templates from the package)."""
    return Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class PageText:
    """Turns texts into HTML for one page, in the page's language ``lang``.

    ``terms`` maps glossary spellings to entry ids (see :func:`hardwords.term_index`).
    """

    lang: str
    terms: dict[str, str] = field(default_factory=dict)

    def lang_attrs(self, text: Text | str) -> Markup:
        """`` lang="…"`` (and ``dir``) for an element holding ``text``, when it is
        in another language than the page; empty otherwise. Takes a Text or a code."""
        lang = text if isinstance(text, str) else text.lang
        if lang == self.lang:
            return Markup("")
        attrs = Markup(' lang="{}"').format(lang)
        if direction(lang) != direction(self.lang):
            attrs += Markup(' dir="{}"').format(direction(lang))
        return attrs

    def inline(self, text: Text, terms: tuple[str | None, ...] | None = None) -> Markup:
        """The text's spans as HTML; with ``terms`` (an easy-read sentence's glossary
        links, by position), bold hard words link to the glossary."""
        out: list[Markup] = []
        bold = [span for span in spans(text.markdown) if span.bold]
        by_position = terms is not None and len(terms) == len(bold)
        index = 0
        for span in spans(text.markdown):
            if span.text == "\n":
                out.append(Markup("<br>"))
                continue
            html = self.parts(span, text.lang)
            target = span.href
            if span.bold:
                html = Markup("<strong>{}</strong>").format(html)
                if target is None and terms is not None:
                    entry = terms[index] if by_position else hardwords.find(self.terms, span.text)
                    target = None if entry is None else f"#{glossary.anchor(entry)}"
                index += 1
            if target is not None:
                html = Markup('<a href="{}">{}</a>').format(target, html)
            out.append(html)
        return Markup("").join(out)

    def parts(self, span: Span, lang: str) -> Markup:
        """A span's text, escaped, each part in another language than ``lang`` (the text's)
        in a ``<span lang>``, with ``dir`` where its direction differs."""
        out = []
        for part in split((span,), lang):
            html = escape(part.text)
            if part.lang is not None:
                attrs = Markup(' lang="{}"').format(part.lang)
                if direction(part.lang) != direction(lang):
                    attrs += Markup(' dir="{}"').format(direction(part.lang))
                html = Markup("<span{}>{}</span>").format(attrs, html)
            out.append(html)
        return Markup("").join(out)

    def say(self, text: Text, terms: tuple[str | None, ...] | None = None) -> Markup:
        """The text inline, wrapped in a ``<span lang>`` when it is in another language."""
        attrs = self.lang_attrs(text)
        html = self.inline(text, terms)
        return Markup("<span{}>{}</span>").format(attrs, html) if attrs else html

    @staticmethod
    def plain(text: Text) -> str:
        """The text without markup, for attributes and the page title."""
        return plain(text.markdown)
