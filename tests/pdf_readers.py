"""Reading a PDF back as its users' software does: lines of pages with their styles."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pypdfium2

BOLD = 16
"""MuPDF's span flag for a bold face."""


@dataclass(frozen=True)
class PageLine:
    """One printed line: its baseline from the top, largest size, whether all of it is bold."""

    baseline: float
    size: float
    bold: bool
    text: str


def page_lines(path: Path) -> list[list[PageLine]]:
    """Each page's lines from the top (MuPDF), pieces on one baseline merged."""
    pages: list[list[PageLine]] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            spans = sorted(
                ((round(span["origin"][1], 1), span)
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                for span in line["spans"]
                if span["text"].strip()),
                key=lambda item: item[0],
            )
            lines: list[PageLine] = []
            for y, span in spans:
                bold = bool(span["flags"] & BOLD) or "Bold" in span["font"]
                if lines and abs(lines[-1].baseline - y) < 6:
                    last = lines[-1]
                    lines[-1] = PageLine(last.baseline, max(last.size, span["size"]),
                                         last.bold and bold, f"{last.text} {span['text']}")
                else:
                    lines.append(PageLine(y, span["size"], bold, span["text"]))
            pages.append(lines)
    return pages


READERS = ("poppler", "poppler-struct", "pdf.js", "pdfium", "mupdf")
"""The programs a PDF's text is read with: poppler's pdftotext (Evince, Okular, search
indexers) and its structure tree (pdfinfo -struct-text), pdf.js (Firefox, many web
viewers), PDFium (Chrome, Edge) and MuPDF (SumatraPDF, many mobile readers)."""

PDFJS = Path(__file__).resolve().parents[1] / ".tools" / "node_modules" / "pdfjs-dist"
PDFJS_SCRIPT = """
Promise.withResolvers ??= function () {  // Node 20 has none; pdf.js 6 needs it
  let resolve, reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
};
const { getDocument } = await import(process.argv[1]);
const data = new Uint8Array((await import("node:fs")).readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const content = await (await doc.getPage(n)).getTextContent();
  pages.push(content.items.map((i) => i.str + (i.hasEOL ? "\\n" : "")).join(""));
}
process.stdout.write(JSON.stringify(pages));
"""


def read_pages(path: Path, reader: str) -> list[str]:
    """The text of each page of ``path`` as ``reader`` extracts it (the structure tree's
    text as one page)."""
    if reader == "poppler":
        return _run("pdftotext", str(path), "-").split("\f")[:-1]
    if reader == "poppler-struct":  # an element's text, inline elements (spans) and all
        chunks: list[str] = []
        for line in _run("pdfinfo", "-struct-text", str(path)).splitlines()[1:]:
            body = line.strip()
            if body.startswith('"'):
                chunks[-1] += body[1:-1]
            elif not body.endswith("(inline)"):
                chunks.append("")
        return ["\n".join(chunks)]
    if reader == "pdf.js":
        module = PDFJS / "legacy" / "build" / "pdf.mjs"
        return json.loads(_run("node", "--input-type=module", "-e", PDFJS_SCRIPT,
                               module.as_uri(), str(path)))
    if reader == "pdfium":
        document = pypdfium2.PdfDocument(str(path))
        try:
            return [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()
    if reader == "mupdf":
        with pymupdf.open(path) as document:
            return [page.get_text() for page in document]
    raise ValueError(reader)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                        "\u2066\u2067\u2068\u2069"))
"""Direction marks a reader adds around runs of another direction (poppler does)."""


def folded(text: str) -> str:
    """``text`` in NFC, without direction marks, with each run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS).split())


def without_furniture(extracted: str, furniture: list[str]) -> str:
    """``extracted`` folded, each line that is page furniture taken out."""
    things = set(map(folded, furniture))
    return folded("\n".join(line for line in extracted.splitlines()
                             if folded(line) not in things))


def missing_in_order(extracted: str, expected: list[str], furniture: list[str]) -> list[str]:
    """The texts of ``expected`` not found in ``extracted`` after the one before (both
    folded, the page furniture taken out), in reading order."""
    text = without_furniture(extracted, furniture)
    at = 0
    missing = []
    for item in expected:
        found = text.find(folded(item), at)
        if found < 0:
            missing.append(item)
        else:
            at = found + len(folded(item))
    return missing
