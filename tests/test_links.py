"""Every link in every page resolves, after normal, narrowed and failing builds."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from build_project import LEAFLET, build, make_project


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None and tag != "base":
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def broken_links(outputs: Path) -> list[str]:
    """Every local link (file or #fragment) in outputs/**/*.html that leads nowhere."""
    pages = {path: _Links() for path in sorted(outputs.rglob("*.html"))}
    for path, parser in pages.items():
        parser.feed(path.read_text(encoding="utf-8"))
    broken = []
    for path, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # http(s), mailto, tel, data: not ours to check
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(outputs)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{path.relative_to(outputs)}: {link} (no such id)")
    return broken


def page(root: Path, lang: str) -> str:
    return (root / "outputs" / LEAFLET / lang / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_links_resolve_after_narrowed_failing_and_full_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    outputs = root / "outputs"
    # narrowed: one language, pages only
    assert build(root, "--lang", "cy", "--format", "html") == 0
    assert broken_links(outputs) == []
    assert "../pl/index.html" not in page(root, "cy") and ".pdf" not in page(root, "cy")
    assert f"{LEAFLET}/cy/index.html" in (outputs / "index.html").read_text(encoding="utf-8")
    assert f"{LEAFLET}/pl/" not in (outputs / "index.html").read_text(encoding="utf-8")
    # failing: the Welsh PDF cannot be made, the others can
    with open(root / "leaflets.toml", "a", encoding="utf-8") as fh:
        fh.write('[fonts]\ncy = "/nowhere/Missing-Regular.ttf"\n')
    assert build(root, "--format", "pdf", "--format", "html") == 1
    assert broken_links(outputs) == []
    assert ".pdf" not in page(root, "cy") and f"{LEAFLET}.pl.pdf" in page(root, "pl")
    assert "../pl/index.html" in page(root, "cy")
    # full: every format and language; the fixed font brings the PDF link back
    config = root / "leaflets.toml"
    config.write_text(config.read_text(encoding="utf-8").split("[fonts]")[0], encoding="utf-8")
    assert build(root) == 0
    assert broken_links(outputs) == []
    assert f"{LEAFLET}.cy.pdf" in page(root, "cy") and ".mp3" in page(root, "cy")


def test_the_walker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/index.html">b</a><a href="#here">x</a><a href="https://x.org">y</a>'
        '<p id="here"></p><a href="#gone">z</a><audio src="x.mp3"></audio>')
    assert broken_links(tmp_path) == ["a/index.html: ../b/index.html",
                                      "a/index.html: #gone (no such id)",
                                      "a/index.html: x.mp3"]
