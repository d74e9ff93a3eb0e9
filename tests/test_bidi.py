"""The PDF's line order (:mod:`pipeline.pdf.bidi`) against python-bidi, an independent
implementation of the Unicode bidirectional algorithm (UAX #9)."""

from __future__ import annotations

import pytest
from bidi import get_display
from pdf_samples import sample_edition, shipped_edition

from pipeline.inline import on_paper
from pipeline.model import block_texts
from pipeline.pdf.bidi import levels, visual_order


def displayed(text: str, base: int) -> str:
    """``text`` as one line, its characters left to right as the PDF places them (without
    mirroring: HarfBuzz mirrors brackets when it shapes, as python-bidi leaves them)."""
    runs: list[tuple[int, str]] = []
    for char, level in zip(text, levels(text, base), strict=True):
        if runs and runs[-1][0] == level:
            runs[-1] = (level, runs[-1][1] + char)
        else:
            runs.append((level, char))
    return "".join(
        runs[i][1][::-1] if runs[i][0] % 2 else runs[i][1]
        for i in visual_order([level for level, _ in runs])
    )


def printed_texts(lang: str) -> list[str]:
    """Every text the large-print PDF prints in the shipped and the sample edition."""
    found = []
    for edition in (shipped_edition(lang), sample_edition(lang)):
        leaflet = edition.leaflet
        texts = [leaflet.title, leaflet.summary, leaflet.organisation, *edition.notices]
        texts += [t for b in leaflet.intro for t in block_texts(b)]
        for question in leaflet.questions:
            texts += [question.heading, *(t for b in question.blocks for t in block_texts(b))]
        texts += [entry.definition for entry in leaflet.glossary]
        texts += [edition.words("Page %(page)s of %(pages)s", page=n, pages=16) for n in (1, 16)]
        found += ["".join(s.text for s in on_paper(t.markdown)) for t in texts]
    return found


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_every_right_to_left_text_is_ordered_as_uax9_says(lang: str) -> None:
    texts = printed_texts(lang)
    assert len(texts) > 100
    for text in texts:
        assert displayed(text, 1) == get_display(text, base_dir="R"), text


@pytest.mark.parametrize(("text", "base"), [
    ("اتصل على 0306 999 0123 أو 12% من (SMB)، ثم MAPPA: نعم.", 1),
    ("١٢٣ + 45 = ٤٥٦ -7.5", 1),
    ("Call \u2067منسق MAPPA\u2069 on 0306 999 0123, or write (to «SMB»).", 0),
    ("نسخه 1.0، 24 نومبر، 2026 کو شائع ہوا", 1),
])
def test_numbers_brackets_and_isolates_are_ordered_as_uax9_says(text: str, base: int) -> None:
    assert displayed(text, base) == get_display(text, base_dir="R" if base else "L")
