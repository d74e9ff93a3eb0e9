"""The web page ships its own fonts: the PDF's faces, subset to its text, as WOFF2."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pdf_samples import shipped_edition, source_edition

from pipeline.builders.base import Settings
from pipeline.html.builder import render_page
from pipeline.html.webfonts import shown_text

pytestmark = pytest.mark.slow

FACE = re.compile(
    r'@font-face \{ font-family: "([^"]+)"; font-weight: (\d+); font-display: swap;'
    r"(?: size-adjust: (\d+)%;)? src: url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)")


def faces(page: str) -> dict[tuple[str, int], tuple[TTFont, int]]:
    """(family, weight) -> (the WOFF2 font, size-adjust %) of each @font-face of ``page``."""
    found = {}
    for family, weight, adjust, data in FACE.findall(page):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        found[family, int(weight)] = (font, int(adjust or 100))
    return found


@pytest.mark.parametrize(("lang", "script", "face"), [
    ("ur", "arabic", "Noto Nastaliq Urdu"),
    ("ar", "arabic", "Noto Sans Arabic"),
    ("pa", "gurmukhi", "Noto Sans Gurmukhi"),
    ("en-GB", None, None),
])
def test_pages_ship_the_pdf_faces_subset_to_their_text(
    tmp_path: Path, lang: str, script: str | None, face: str | None
) -> None:
    edition = source_edition() if lang == "en-GB" else shipped_edition(lang)
    page = render_page(edition, Settings(cache_dir=str(tmp_path)))
    found = faces(page)
    latin, _ = found["leaflets latin", 400]
    assert latin["name"].getDebugName(1) == "Atkinson Hyperlegible"
    assert ("leaflets latin", 700) in found
    text = {c for c in shown_text(page) if not c.isspace()}
    if script is None:
        assert set(found) == {("leaflets latin", 400), ("leaflets latin", 700)}
        assert text <= set(map(chr, latin.getBestCmap()))
        return
    own, adjust = found[f"leaflets {script}", 400]
    assert own["name"].getDebugName(1) == face
    # every character shown has a face: the page's own script, Latin, and the scripts of
    # the other languages' names in the language list (ਪੰਜਾਬੀ in the Urdu page)
    cmap = {chr(code) for font, _ in found.values() for code in font.getBestCmap()}
    assert text <= cmap, sorted(text - cmap)
    others = {"arabic", "gurmukhi"} - {script}
    assert {(f"leaflets {other}", 400) for other in others} <= set(found)
    assert all(len(font.getBestCmap()) < 400 for font, _ in found.values())  # subsets
    # Latin first, so English words in the page keep the Latin face.
    listed = re.search(r":root \{ --web-fonts: ([^;]+); \}", page).group(1)  # type: ignore[union-attr]
    assert listed.startswith('"leaflets latin", ') and f'"leaflets {script}"' in listed
    assert "font-family: var(--web-fonts" in page
    if lang == "ar":  # Arabic letters set larger, to look as large as Latin ones
        assert 110 <= adjust <= 140
    assert (tmp_path / "webfonts").is_dir()  # subsets kept for the next build
