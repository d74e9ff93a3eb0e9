"""How much tagging and script handling cost: our PDF against plain ReportLab and WeasyPrint.

Renders the same edition three ways in one run, several times each, and prints the
median times and their ratios to plain ReportLab (the yardstick measured here):

* ours: the tagged large-print PDF (``PdfBuilder.render``);
* plain: untagged ReportLab, SimpleDocTemplate + Paragraphs, same texts and fonts;
* weasyprint: the same texts as HTML, ``pdf_variant="pdf/ua-1"``.

Run: ``python bench/bench_pdf.py [lang ...]`` (default: en-GB ar). Needs weasyprint.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdf_samples import sample_edition, source_edition  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from pipeline.builders.base import Settings  # noqa: E402
from pipeline.inline import plain  # noqa: E402
from pipeline.model import Edition, block_texts  # noqa: E402
from pipeline.pdf import PdfBuilder  # noqa: E402
from pipeline.pdf.fonts import FontSet  # noqa: E402

REPEATS = 7


def texts(edition: Edition) -> list[tuple[str, str]]:
    """(kind, text) in reading order: the standard text the PDF carries."""
    leaflet = edition.leaflet
    out = [("h1", leaflet.title), ("p", leaflet.summary), ("p", leaflet.organisation)]
    out += [("p", t) for b in leaflet.intro for t in block_texts(b)]
    for q in leaflet.questions:
        out.append(("h2", q.heading))
        out += [("p", t) for b in q.blocks for t in block_texts(b)]
    return [(kind, plain(t.markdown)) for kind, t in out]


def plain_reportlab(edition: Edition) -> Callable[[], bytes]:
    fonts = FontSet(edition.lang)
    script = "latin" if edition.lang in ("en-GB", "cy", "pl") else None
    family = fonts.family(script) if script else fonts.runs(texts(edition)[0][1][:1])[0][1]
    assert family is not None
    body = ParagraphStyle("b", fontName=family.regular.name, fontSize=18, leading=27)
    head = ParagraphStyle("h", fontName=family.bold.name, fontSize=22.5, leading=34)
    items = texts(edition)

    def run() -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
        doc.build([Paragraph(escape(t), head if k != "p" else body) for k, t in items])
        return buffer.getvalue()

    return run


def weasyprint(edition: Edition) -> Callable[[], bytes]:
    from weasyprint import HTML

    body = "".join(f"<{k}>{escape(t)}</{k}>" for k, t in texts(edition))
    page = (
        f'<html lang="{edition.lang}"><head><title>t</title><style>'
        "@page{size:A4;margin:15mm} body{font:18pt 'Atkinson Hyperlegible','Noto Sans',"
        "'Noto Sans Arabic','Noto Sans Gurmukhi';line-height:1.5}</style></head>"
        f"<body>{body}</body></html>"
    )
    return lambda: HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")


def median_time(fn: Callable[[], bytes]) -> float:
    fn()  # warm caches (fonts, shaping) as a long build would have them
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(langs: list[str]) -> None:
    for lang in langs:
        edition = source_edition() if lang == "en-GB" else sample_edition(lang)
        ours = median_time(lambda e=edition: PdfBuilder(Settings()).render(e))
        base = median_time(plain_reportlab(edition))
        weasy = median_time(weasyprint(edition))
        print(
            f"{lang:6} ours {ours * 1000:7.1f} ms   plain ReportLab {base * 1000:7.1f} ms   "
            f"WeasyPrint {weasy * 1000:7.1f} ms   ours/plain {ours / base:5.2f}   "
            f"ours/WeasyPrint {ours / weasy:5.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["en-GB", "ar"])
