"""The site index ``outputs/index.html``: every leaflet, in every published language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..builders.base import OutputDir
from ..errors import LeafletsError
from ..model import SOURCE_LANGUAGE, Edition, Text
from .languages import LanguageLink, direction
from .markup import PageText, environment


@dataclass(frozen=True)
class LeafletEntry:
    """One leaflet on the index: its title and summary, and a link per language."""

    title: Text
    summary: Text
    links: tuple[LanguageLink, ...]


def render_site_index(editions: Sequence[Edition]) -> str:
    """The index page's HTML, in the source language when it is among the editions.

    Leaflets are listed by id and languages in their published order, so the
    same editions give the same bytes whatever order they come in.
    """
    if not editions:
        raise LeafletsError("there are no editions to list on the site index")
    by_leaflet: dict[str, list[Edition]] = {}
    for edition in sorted(editions, key=lambda e: e.leaflet.id):
        by_leaflet.setdefault(edition.leaflet.id, []).append(edition)
    groups = [_in_published_order(group) for group in by_leaflet.values()]
    page = next((e for e in groups[0] if e.lang == SOURCE_LANGUAGE), groups[0][0])
    entries = []
    for group in groups:
        shown = next((e for e in group if e.lang == page.lang), group[0])
        links = tuple(
            LanguageLink.to(
                e.lang, f"{layout.edition_dir(e.leaflet.id, e.lang)}/{layout.html_name()}"
            )
            for e in group
        )
        entries.append(LeafletEntry(shown.leaflet.title, shown.leaflet.summary, links))
    return (
        environment()
        .get_template("site.html")
        .render(_=page.words, text=PageText(page.lang), dir=direction(page.lang), entries=entries)
    )


def write_site_index(editions: Iterable[Edition], out: OutputDir) -> Path:
    """Write ``index.html`` into ``out`` (rooted at ``outputs/``)."""
    return out.write(layout.html_name(), render_site_index(tuple(editions)))


def _in_published_order(group: list[Edition]) -> list[Edition]:
    order = {lang: i for i, lang in enumerate(group[0].languages)}
    return sorted(group, key=lambda e: (order.get(e.lang, len(order)), e.lang))
