"""Inline Markdown (bold, emphasis, links) as plain spans every renderer can use.

Renderers never see Markdown syntax: they get :class:`Span` objects holding
plain text. HTML written inside a text is kept as literal text, only
``http``, ``https``, ``mailto`` and ``tel`` links survive (markdown-it already
refuses ``javascript:`` links), and control characters are gone: a translation
is untrusted text, and a bell or escape character has no place in any output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Control characters (Unicode Cc), the line and paragraph separators, and what XML
cannot hold (U+FFFE, U+FFFF, surrogates): no output's text or metadata gets them."""


@dataclass(frozen=True)
class Span:
    """A run of plain text with one set of styles. ``text`` is ``"\\n"`` for a hard break."""

    text: str
    bold: bool = False
    href: str | None = None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


@lru_cache(maxsize=4096)
def spans(markdown: str) -> tuple[Span, ...]:
    """Split inline Markdown into spans; adjacent spans of the same style are merged.

    Emphasis (``*text*``) is shown as bold: large print never uses italics.
    """
    tokens = _parser().parseInline(markdown, {})
    out: list[Span] = []
    bold = 0
    href: list[str | None] = []
    for tok in tokens[0].children or () if tokens else ():
        kind = tok.type
        if kind in ("strong_open", "em_open"):
            bold += 1
        elif kind in ("strong_close", "em_close"):
            bold -= 1
        elif kind == "link_open":
            href.append(safe_href(str(tok.attrs.get("href", ""))))
        elif kind == "link_close":
            href.pop()
        elif kind == "hardbreak":
            out.append(Span("\n"))
        elif kind == "softbreak":
            _add(out, Span(" ", bold > 0, href[-1] if href else None))
        elif kind in ("text", "code_inline", "html_inline", "image"):
            text = _CONTROLS.sub(_control, tok.content)
            _add(out, Span(text, bold > 0, href[-1] if href else None))
    return tuple(out)


@lru_cache(maxsize=4096)
def links(markdown: str) -> tuple[str, ...]:
    """Every link target in a text as the renderers parse it: links, autolinks and images,
    whatever their form (titles, nested brackets, angle brackets)."""
    tokens = _parser().parseInline(markdown, {})
    return tuple(
        str(tok.attrs.get("href" if tok.type == "link_open" else "src", ""))
        for tok in (tokens[0].children or () if tokens else ())
        if tok.type in ("link_open", "image")
    )


def _control(match: re.Match[str]) -> str:
    """A space for a character that separates (tab, line separator); nothing for the rest."""
    return " " if match.group().isspace() else ""


def _add(out: list[Span], span: Span) -> None:
    if not span.text:
        return
    if out and out[-1].bold == span.bold and out[-1].href == span.href and out[-1].text != "\n":
        out[-1] = Span(out[-1].text + span.text, span.bold, span.href)
    else:
        out.append(span)


def safe_href(href: str) -> str | None:
    """``href`` if its scheme is one every output may link to (:data:`SAFE_SCHEMES`), else
    None. The one allow-list: the web page, the PDF and the talking book all use it."""
    return href if href.strip().lower().startswith(SAFE_SCHEMES) else None


def web_link(web: str) -> str | None:
    """The link of a contact web address: ``www.example.org`` is an https address; any
    scheme but http and https (``file:``, ``javascript:``) is no link."""
    if "://" not in web and ":" not in web.split("/", 1)[0]:
        web = f"https://{web}"
    return safe_href(web) if web.lower().startswith(("https://", "http://")) else None


def address(href: str) -> str:
    """A link's target as a reader would type it: no scheme, no trailing slash."""
    for scheme in SAFE_SCHEMES:
        if href.lower().startswith(scheme):
            rest = href[len(scheme):]
            return rest.partition("?")[0] if scheme == "mailto:" else rest.removesuffix("/")
    return href


def on_paper(markdown: str) -> tuple[Span, ...]:
    """The spans for print, where a reader cannot follow a link: each link's address is
    added in brackets after its text (and is part of the link), unless the text shows it."""
    found = spans(markdown)
    out: list[Span] = []
    for n, span in enumerate(found):
        out.append(span)
        last = n + 1 == len(found) or found[n + 1].href != span.href
        if span.href and last:
            start = n
            while start and found[start - 1].href == span.href:
                start -= 1
            text = "".join(s.text for s in found[start:n + 1])
            shown = address(span.href)
            if _bare(text) not in (_bare(shown), _bare(span.href)):
                out.append(Span(f" ({shown})", span.bold, span.href))
    return tuple(out)


def _bare(text: str) -> str:
    """A web address or e-mail address, compared without case, scheme, www or trailing /."""
    text = address(text.strip()).lower()
    return text.removeprefix("www.")


def plain(markdown: str) -> str:
    """The text a reader sees, without any markup (for speech, search and checks)."""
    return "".join(s.text for s in spans(markdown))
