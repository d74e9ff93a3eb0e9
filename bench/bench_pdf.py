"""How much tagging and script handling cost: our PDF against plain ReportLab and WeasyPrint.

Renders the sample leaflet from the shipped catalogues (``locales/<lang>``) three ways,
interleaved in one run, and prints the median times and the ratios:

* ours: the tagged large-print PDF (``PdfBuilder.render``, 18 pt);
* plain ReportLab, the yardstick: the same texts in reading order as untagged platypus
  ``Paragraph``s in a ``SimpleDocTemplate`` (A4, 15 mm margins, 18 pt body, headings
  bold at 1.5× and 1.25×, lists as bullet paragraphs, "Page n of m" footers), each
  paragraph in the same font file ours uses for its script, registered ``shapable``,
  with ``shaping=1`` (HarfBuzz, so kerned like ours) and right aligned for right-to-left
  ones; no tagging, no bidi
  reordering, no font runs within a paragraph (Welsh ŵ and English words in Arabic
  script come out as missing glyphs), contents entries without page numbers. Both
  write compressed streams without ASCII85.
* plain ReportLab unkerned, for information: the same, but Latin text not shaped, so
  not kerned (ours always kerns): the cheapest thing ReportLab can print.
* WeasyPrint: the same texts as HTML (``lang``, ``dir``), ``pdf_variant="pdf/ua-1"``.

No cache of shaped text survives from one render to the next (fonts do, as in a build
of many leaflets). Targets: ours at most 1.3× plain ReportLab and faster than WeasyPrint;
the exit status is 1 when a target is missed.

Run: ``python bench/bench_pdf.py [--quick] [lang ...]`` (default: all six languages).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph, SimpleDocTemplate

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdf_samples import shipped_edition, source_edition  # noqa: E402

from pipeline.builders.base import Settings  # noqa: E402
from pipeline.inline import plain  # noqa: E402
from pipeline.model import Edition, ItemList, Text, block_texts  # noqa: E402
from pipeline.pdf import PdfBuilder  # noqa: E402
from pipeline.pdf.bidi import is_rtl  # noqa: E402
from pipeline.pdf.fonts import Family, FontSet  # noqa: E402
from pipeline.pdf.render import binary_streams  # noqa: E402


def _set_rise(self: PDFTextObject, rise: float, _set=PDFTextObject.setRise) -> None:
    """ReportLab 5.1.0's ``setRise`` reads the text object's last operator before there is
    one, and fails (IndexError) when a line's first glyph is raised, as Nastaliq's are:
    the yardstick gives it an empty one first."""
    if not self._code:
        self._code.append("")
    _set(self, rise)


PDFTextObject.setRise = _set_rise  # the plain ReportLab yardstick only; ours never uses it

LANGS = ("en-GB", "cy", "pl", "ar", "ur", "pa")
TARGET = 1.3
SIZE = 18.0
MARGIN = 15 * mm


@dataclass(frozen=True)
class Item:
    """One paragraph of the leaflet: ``kind`` is h1, h2, p or li (with its label)."""

    kind: str
    text: Text
    bold: bool = False
    label: str = ""


def items(ed: Edition) -> Iterator[Item]:
    """What the large-print PDF says, in reading order, page footers apart."""
    leaflet, words = ed.leaflet, ed.words
    yield Item("h1", leaflet.title)
    yield Item("p", leaflet.summary)
    yield Item("p", leaflet.organisation, bold=True)
    yield Item("p", words("Published: %(date)s", date=leaflet.date))
    yield from blocks(leaflet.intro)
    yield Item("h2", words("Contents"))
    yield from (Item("li", q.heading) for q in leaflet.questions)
    for q in leaflet.questions:
        yield Item("h2", q.heading)
        yield from blocks(q.blocks)
    contact = leaflet.contact
    yield Item("h2", words("Contact"))
    for label, value in (("Phone", contact.phone), ("Website", contact.web),
                         ("Email", contact.email), ("Address", contact.address)):
        if value is not None:
            yield Item("p", words(label), bold=True)
            yield Item("p", value if isinstance(value, Text) else Text(value, ed.lang))
    yield Item("h2", words("Hard words"))
    for entry in leaflet.glossary:
        yield Item("p", entry.term, bold=True)
        yield Item("p", entry.definition)


def blocks(content: tuple) -> Iterator[Item]:  # type: ignore[type-arg]
    for block in content:
        for n, text in enumerate(block_texts(block)):
            if isinstance(block, ItemList):
                yield Item("li", text, label=f"{block.start + n}." if block.ordered else "•")
            else:
                yield Item("p", text)


def plain_reportlab(ed: Edition, kern_latin: bool = True) -> Callable[[], bytes]:
    """The yardstick: what plain ReportLab platypus makes of the same texts and fonts."""
    fonts = FontSet(ed.lang)
    styles: dict[tuple[str, bool, str], ParagraphStyle] = {}

    def style(item: Item) -> ParagraphStyle:
        text = plain(item.text.markdown)
        family = fonts.runs(next((c for c in text if c.isalpha()), "a"))[0][1]
        key = (item.kind, item.bold, family.key)
        if key not in styles:
            styles[key] = _style(item, family, is_rtl(item.text.lang), kern_latin)
        return styles[key]

    flowables = [
        (plain(i.text.markdown), style(i), i.label or None) for i in items(ed)
    ]
    face = fonts.runs("a")[0][1].regular.name

    class Numbered(Canvas):
        """Keeps each page until the page count is known, then writes its footer."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.states: list[dict[str, object]] = []

        def showPage(self) -> None:
            self.states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self.states, 1):
                self.__dict__.update(state)
                self.setFont(face, SIZE)
                footer = ed.words("Page %(page)s of %(pages)s", page=number, pages=len(self.states))
                self.drawString(MARGIN, MARGIN, footer.markdown)
                super().showPage()
            super().save()

    def run() -> bytes:
        buffer = io.BytesIO()
        with binary_streams():
            build(buffer)
        return buffer.getvalue()

    def build(buffer: io.BytesIO) -> None:
        doc = SimpleDocTemplate(
            buffer, pagesize=A4, invariant=1, pageCompression=1, lang=ed.lang,
            leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN + SIZE * 2.5, initialFontName=face,
        )
        story = [Paragraph(escape(t, quote=False), s, bulletText=b) for t, s, b in flowables]
        doc.build(story, canvasmaker=Numbered)

    return run


def _style(item: Item, family: Family, rtl: bool, kern_latin: bool) -> ParagraphStyle:
    scale = {"h1": 1.5, "h2": 1.25}.get(item.kind, 1.0)
    bold = item.bold or item.kind in ("h1", "h2")
    indent = 1.5 * SIZE if item.kind == "li" else 0.0
    return ParagraphStyle(
        item.kind,
        fontName=family.face(bold).name,
        fontSize=SIZE * scale,
        leading=SIZE * scale * 1.5,
        spaceBefore=SIZE * 1.5,
        alignment=TA_RIGHT if rtl else 0,
        leftIndent=0.0 if rtl else indent,
        rightIndent=indent if rtl else 0.0,
        bulletFontName=family.regular.name,
        bulletFontSize=SIZE,
        bulletIndent=0.0,
        shaping=int(kern_latin or family.key != "latin"),
    )


def weasyprint(ed: Edition) -> Callable[[], bytes]:
    from weasyprint import HTML

    def html(item: Item) -> str:
        tag = "p" if item.kind == "li" else item.kind
        text = escape(item.label + " " + plain(item.text.markdown)).strip()
        direction = "rtl" if is_rtl(item.text.lang) else "ltr"
        weight = ' style="font-weight:bold"' if item.bold else ""
        return f'<{tag} lang="{item.text.lang}" dir="{direction}"{weight}>{text}</{tag}>'

    page = ed.words("Page %(page)s of %(pages)s", page="\0", pages="\1").markdown
    footer = page.replace("\0", '" counter(page) "').replace("\1", '" counter(pages) "')
    html_page = (
        f'<html lang="{ed.lang}"><head><title>{escape(plain(ed.leaflet.title.markdown))}'
        f"</title><style>@page{{size:A4;margin:15mm 15mm 30mm;"
        f'@bottom-left{{content:"{footer}";font-size:{SIZE}pt}}}}'
        f"body{{font:{SIZE}pt 'Atkinson Hyperlegible','Noto Sans','Noto Sans Arabic',"
        "'Noto Sans Gurmukhi';line-height:1.5}</style></head>"
        f"<body>{''.join(html(i) for i in items(ed))}</body></html>"
    )
    return lambda: HTML(string=html_page).write_pdf(pdf_variant="pdf/ua-1")


def medians(renderers: dict[str, Callable[[], bytes]], repeats: int) -> dict[str, float]:
    """Median seconds of each renderer, runs interleaved so load spikes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in renderers}
    for fn in renderers.values():
        fn()  # load fonts and imports once, as a build of many leaflets has them
    for _ in range(repeats):
        for name, fn in renderers.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*", default=LANGS)
    parser.add_argument("--quick", action="store_true", help="3 runs each instead of 9")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    print(__doc__.split("\n\n")[2])
    print(f"\nmedian of {repeats} interleaved runs, ms; target ours/plain <= {TARGET}, "
          "ours/WeasyPrint < 1")
    print(f"{'lang':6} {'ours':>7} {'plain':>7} {'unkern':>7} {'weasy':>7} {'ours/plain':>10} "
          f"{'/unkerned':>10} {'ours/weasy':>10}")
    missed = []
    for lang in args.langs:
        ed = source_edition() if lang == "en-GB" else shipped_edition(lang)
        t = medians(
            {"ours": partial(PdfBuilder(Settings()).render, ed), "plain": plain_reportlab(ed),
             "unkerned": plain_reportlab(ed, kern_latin=False), "weasy": weasyprint(ed)},
            repeats,
        )
        vs_plain, vs_weasy = t["ours"] / t["plain"], t["ours"] / t["weasy"]
        ok = vs_plain <= TARGET and vs_weasy < 1
        missed += [] if ok else [lang]
        print(
            f"{lang:6} {t['ours'] * 1000:7.1f} {t['plain'] * 1000:7.1f} "
            f"{t['unkerned'] * 1000:7.1f} {t['weasy'] * 1000:7.1f} {vs_plain:10.2f} "
            f"{t['ours'] / t['unkerned']:10.2f} {vs_weasy:10.2f}  {'ok' if ok else 'MISSED'}"
        )
    if missed:
        print(f"target missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
