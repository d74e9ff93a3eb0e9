"""A table in a source: a table in the page, a tagged table in the PDF, read row by row."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from build_project import LEAFLET, build, make_project
from pdf_readers import BIDI_CONTROLS, BOLD

from pipeline.audio.script import script
from pipeline.builders.base import Settings
from pipeline.catalog.translate import CatalogWords, translate
from pipeline.model import Edition, Table, Text
from pipeline.pdf import PdfBuilder
from pipeline.source import parse_leaflet

TABLE = """
| Licence | Cost |
| --- | --- |
| Dog | £10 |
| Cat | £5 |
"""


def with_table(markdown: str) -> str:
    return markdown.replace("Call the council on the number below.\n",
                            "Call the council on the number below.\n" + TABLE)


def test_a_table_is_read_with_its_cells_and_spoken_row_by_row() -> None:
    from build_project import SOURCE

    leaflet = parse_leaflet(with_table(SOURCE)).leaflet
    table = leaflet.questions[1].blocks[1]
    assert isinstance(table, Table)
    assert [c.markdown for c in table.header] == ["Licence", "Cost"]
    assert [[c.markdown for c in row] for row in table.rows] == [["Dog", "£10"], ["Cat", "£5"]]
    texts = [t.markdown for _c, _m, t in leaflet.texts()]
    assert {"Licence", "Cost", "Dog", "£10", "Cat", "£5"} <= set(texts)
    said = [u.display for s in script(translate(leaflet, "en-GB", None)) for u in s.units]
    assert "Licence: Dog; Cost: £10" in said and "Licence: Cat; Cost: £5" in said


@pytest.mark.slow
def test_tables_in_the_page_and_the_pdf(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    source = root / "source" / f"{LEAFLET}.md"
    source.write_text(with_table(source.read_text(encoding="utf-8")), encoding="utf-8")
    assert build(root, "--lang", "en-GB", "--format", "html", "--format", "pdf") == 0
    folder = root / "outputs" / LEAFLET / "en-GB"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert ('<thead><tr><th scope="col">Licence</th><th scope="col">Cost</th></tr></thead>'
            in page)
    assert "<tr><td>Dog</td><td>£10</td></tr>" in page
    with pikepdf.open(folder / f"{LEAFLET}.en-GB.pdf") as pdf:
        tags: list[str] = []

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                tags.append(str(element.S))
                if element.S == "/TH":
                    assert element.A.Scope == "/Column"
            kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []):
                walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert tags.count("/TH") == 2 and tags.count("/TD") == 4 and "/Table" in tags
    text = subprocess.run(["pdftotext", str(folder / f"{LEAFLET}.en-GB.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = re.sub(r"Page \d+ of \d+", " ", text)  # a page may end inside the table
    assert re.search(r"Licence\s+Cost\s+Dog\s+£10\s+Cat\s+£5", text)


# -- large print: a grid when the columns fit, else a labelled group per row -------------

AGENCY_ROWS = [
    ("Agency", "What it does", "Number"),
    ("Probation Service",
     "Supervises people on licence after prison and helps them stay out of trouble",
     "0300 123 4567"),
    ("Police", "Keeps the public safe and looks into crimes", "101"),
    ("Council housing team", "Helps you find a safe place to live", "0300 555 0199"),
]


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    lines = [f"| {' | '.join(row)} |" for row in rows]
    return "\n" + "\n".join([lines[0], "|" + " --- |" * len(rows[0]), *lines[1:]]) + "\n"


AGENCIES = markdown_table(AGENCY_ROWS)
ARABIC = {
    "Agency": "الجهة", "What it does": "ما تقوم به", "Number": "الرقم",
    "Probation Service": "خدمة المراقبة",
    "Supervises people on licence after prison and helps them stay out of trouble":
        "تشرف على الأشخاص بعد خروجهم من السجن وتساعدهم على الابتعاد عن المشاكل",
    "Police": "الشرطة",
    "Keeps the public safe and looks into crimes": "تحمي الجمهور وتحقق في الجرائم",
    "Council housing team": "فريق الإسكان في المجلس",
    "Helps you find a safe place to live": "يساعدك في العثور على مكان آمن للعيش",
}
FIRST_WORDS = {
    "en-GB": [("Agency", "What", "Number"), ("Probation", "Supervises", "4567"),
              ("Police", "Keeps", "101"), ("Council", "Helps", "0199")],
    "ar": [("الجهة", "ما", "الرقم"), ("خدمة", "تشرف", "4567"),
           ("الشرطة", "تحمي", "101"), ("فريق", "يساعدك", "0199")],
}
"""The first word of each cell (the last of a phone number), row by row, for each language."""
DAY_ROWS = [("Day", "Who to see", "Room"), *(
    (f"Day {n}", "The officer who looks after your case this week", f"Room {n}")
    for n in range(1, 31))]
DAYS = markdown_table(DAY_ROWS)
SEVEN_ROWS = [tuple(f"Head {c}" for c in "ABCDEFG"),
              *(tuple(f"value {c}{r}" for c in "ABCDEFG") for r in (1, 2, 3))]
SEVEN = markdown_table(SEVEN_ROWS)


def table_edition(lang: str, tables: str, easy_read: bool = True) -> Edition:
    """The mini leaflet with ``tables`` in its second answer, in English or with the
    table's texts in Arabic (the rest left in English, as a half-done catalogue)."""
    from build_project import SOURCE

    source = with_table(SOURCE).replace(TABLE, tables)
    if not easy_read:  # the second question's easy read goes: its answer is printed instead
        source = source.replace("::: easy-read\n- [phone] Call the council.\n:::\n", "")
    leaflet = parse_leaflet(source).leaflet
    if lang == "en-GB":
        return translate(leaflet, lang, None)
    leaflet = leaflet.map_texts(
        lambda _, t: Text(ARABIC[t.markdown], lang, t.line) if t.markdown in ARABIC else t)
    return Edition(leaflet=leaflet, lang=lang, words=CatalogWords(lang, {}), languages=(lang,))


def large_print(tmp_path: Path, edition: Edition, size: int = 18) -> Path:
    path = tmp_path / f"{edition.lang}-{size}.pdf"
    path.write_bytes(PdfBuilder(Settings(print_size=size)).render(edition))
    return path


@dataclass(frozen=True)
class Word:
    page: int
    left: float
    right: float
    baseline: float
    """From the top of the page (MuPDF's y)."""
    bold: bool


def words(path: Path) -> dict[str, list[Word]]:
    """Every word of the PDF where MuPDF finds it, with its span's baseline and weight."""
    found: dict[str, list[Word]] = {}
    with pymupdf.open(path) as document:
        for number, page in enumerate(document, 1):
            spans = [span for block in page.get_text("dict")["blocks"]
                     for line in block.get("lines", []) for span in line["spans"]]
            for x0, y0, x1, y1, word, *_ in page.get_text("words"):
                x, y = (x0 + x1) / 2, (y0 + y1) / 2
                span = next(s for s in spans if s["bbox"][0] - 1 <= x <= s["bbox"][2] + 1
                            and s["bbox"][1] - 1 <= y <= s["bbox"][3] + 1)
                found.setdefault(word, []).append(Word(
                    number, x0, x1, span["origin"][1],
                    bool(span["flags"] & BOLD) or "Bold" in span["font"]))
    return found


def structure(path: Path) -> list[tuple[str, str]]:
    """(tag, text) of each table cell in the structure tree, in its order, as poppler reads
    it (text of elements inside a cell included); every /TH must head its column."""
    cells: list[list] = []  # tag, depth, text, scope
    for line in run_text("pdfinfo", "-struct-text", path).splitlines():
        depth = len(line) - len(line.lstrip())
        body = line.strip()
        current = cells[-1] if cells and depth > cells[-1][1] else None
        if body.startswith('"') and current:  # poppler keeps the RLM of an RTL space's
            current[2] += body[1:-1].translate(BIDI_CONTROLS)  # ToUnicode: not spoken
        elif body.startswith("/") and current:
            current[3] = current[3] or body == "/Scope /Column"
        elif body.split()[0].rstrip(":") in ("TH", "TD") if body else False:
            cells.append([body[:2], depth, "", False])
        elif current is None and cells:
            cells[-1][1] = 10**6  # past the cell: nothing more is its
    assert all(scope for tag, _, _, scope in cells if tag == "TH"), cells
    return [(tag, text) for tag, _, text, _ in cells]


def run_text(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=True).stdout


def assert_pdfua(path: Path) -> None:
    result = subprocess.run(["pdfua", "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "PASS (no findings)" in result.stdout, result.stdout
    assert "[skip" not in result.stdout, result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_a_table_that_fits_is_a_grid_its_columns_in_reading_order(
        tmp_path: Path, lang: str) -> None:
    path = large_print(tmp_path, table_edition(lang, AGENCIES))
    found = words(path)
    head = min(found[FIRST_WORDS[lang][0][0]], key=lambda w: (w.page, w.baseline))
    rows = [[[w for w in found[word] if (w.page, w.baseline) >= (head.page, head.baseline)]
             for word in row] for row in FIRST_WORDS[lang]]
    rows[0] = [[w for w in places if w.page == head.page] for places in rows[0]]
    assert all(len(places) == 1 for row in rows for places in row), rows
    cells = [[places[0] for places in row] for row in rows]
    for row in cells:  # one baseline per row, the columns in reading order across it
        assert max(w.baseline for w in row) - min(w.baseline for w in row) < 0.5, row
        order = [w.left for w in row]
        assert order == (sorted(order) if lang == "en-GB" else sorted(order, reverse=True))
    for above, below in pairwise(cells):  # each row under the one before, the header first
        assert (below[0].page, below[0].baseline) > (above[0].page, above[0].baseline + 20)
    assert all(w.bold for w in cells[0]) and not any(w.bold for row in cells[1:] for w in row)
    assert len({row[0].page for row in cells}) == 1  # under half a page: never split
    for column in list(zip(*cells, strict=True))[:2]:  # a column's cells start at one edge
        edges = [w.left for w in column] if lang == "en-GB" else [w.right for w in column]
        assert max(edges) - min(edges) < 1, column
    # "Supervises people on licence ..." wraps in its column: its second line is under its
    # first, left of the phone number (right of it in Arabic)
    second = found["licence" if lang == "en-GB" else "خروجهم"][0]
    supervises, phone = cells[1][1], cells[1][2]
    assert second.baseline > supervises.baseline + 20
    assert (second.right < phone.left) if lang == "en-GB" else (second.left > phone.right)
    # the rules on each page of the table: a dark one under the header (repeated on a
    # continued page), a light one (3:1 or more on white) under each row
    for number in sorted({row[0].page for row in cells}):
        with pymupdf.open(path) as document:
            rules = sorted((item["rect"].y0, item["width"], item["color"][0])
                           for item in document[number - 1].get_drawings()
                           if item["rect"].height < 3)
        tops = [row[0].baseline for row in cells[1:] if row[0].page == number]
        assert len(rules) == 1 + len(tops), rules
        assert rules[0][2] == 0 and rules[0][1] > rules[1][1]
        assert all(contrast(grey) >= 3 for _, _, grey in rules[1:])
        assert all(a < y < b for (y, _, _), a, b in zip(rules[1:], tops, [*tops[1:], 1e9],
                                                        strict=True))
    translated = [[ARABIC.get(c, c) if lang == "ar" else c for c in row] for row in AGENCY_ROWS]
    assert structure(path) == [("TH" if n == 0 else "TD", cell)
                               for n, row in enumerate(translated) for cell in row]
    assert_pdfua(path)


def contrast(grey: float) -> float:
    """WCAG contrast of a grey (0 black, 1 white) on white."""
    linear = grey / 12.92 if grey <= 0.04045 else ((grey + 0.055) / 1.055) ** 2.4
    return 1.05 / (linear + 0.05)


@pytest.mark.slow
def test_a_long_table_repeats_its_header_on_each_page_and_never_splits_a_row(
        tmp_path: Path) -> None:
    path = large_print(tmp_path, table_edition("en-GB", DAYS))
    found = words(path)
    pages = sorted({w.page for w in found["Room"]})
    assert len(pages) >= 3
    heads = [w for w in found["see"] if w.bold]  # "Who to see"
    assert [w.page for w in heads] == pages  # the header on every page of the table
    for head in heads:  # above every row of its page
        rows = [w for w in found["Day"] if w.page == head.page and not w.bold]
        assert rows and head.baseline < min(w.baseline for w in rows)
    numbers = [(int(text), w) for text in found if text.isdigit() for w in found[text]]

    def numbered(word: str) -> dict[int, tuple[int, float]]:
        """Page and baseline of each "Day n" (or "Room n") by its n."""
        return {n: (w.page, w.baseline) for d in found[word] if not d.bold
                for n, w in numbers if w.page == d.page and w.baseline == d.baseline
                and 0 < w.left - d.right < 10}

    # "Day n" and "Room n" on one baseline: their row on one page
    assert numbered("Day") == numbered("Room") and set(numbered("Day")) == set(range(1, 31))
    for page in pages:  # and each row's second line on its page too
        on_page = [w for w in found["week"] if w.page == page]
        assert len(on_page) == len([w for w in found["Day"] if w.page == page and not w.bold])
    # the repeated headers are page furniture: the structure has the header row once
    cells = structure(path)
    assert [text for tag, text in cells if tag == "TH"] == ["Day", "Who to see", "Room"]
    assert len(cells) == 3 + 30 * 3
    assert_pdfua(path)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "tables", "size"), [
    ("en-GB", SEVEN, 18), ("en-GB", AGENCIES, 24), ("ar", AGENCIES, 24)])
def test_a_table_too_wide_for_its_columns_gives_each_value_its_header(
        tmp_path: Path, lang: str, tables: str, size: int) -> None:
    """Seven columns at 18 pt, or three at the largest print size, do not fit side by
    side: each row is a group of "Header: value" lines, the label in bold."""
    path = large_print(tmp_path, table_edition(lang, tables), size)
    header, *rows = [[ARABIC.get(c, c) if lang == "ar" else c for c in row]
                     for row in (SEVEN_ROWS if tables == SEVEN else AGENCY_ROWS)]
    text = run_text("pdftotext", "-layout", path, "-")
    found = words(path)
    for row in rows:
        for label, value in zip(header, row, strict=True):
            # the label (bold, a colon after it) and its value on one baseline, the label
            # on the reading-start side
            last = label.split()[-1] + (":" if lang == "en-GB" else "")
            first = value.split()[0]
            pairs = [(a, b) for a in found[last] for b in found[first]
                     if abs(a.baseline - b.baseline) < 0.5 and a.page == b.page]
            assert pairs, (label, value)
            a, b = pairs[0]
            assert a.bold and not b.bold
            assert (a.right < b.left) if lang == "en-GB" else (a.left > b.right)
            if lang == "ar":  # the colon after the label: on its left
                assert any(c.page == a.page and c.baseline == a.baseline and c.bold
                           and abs(c.right - a.left) < 1 for c in found[":"])
        if lang == "en-GB":
            assert re.search(rf"{re.escape(header[0])}:\s+{re.escape(row[0])}", text)
    labels = found[header[-1].split()[-1] + (":" if lang == "en-GB" else "")]
    assert len(labels) == len(rows)  # every group labels its values
    # the structure: one header row (the first group's labels, without the colon), then
    # every value once
    cells = structure(path)
    assert [text for tag, text in cells if tag == "TH"] == header
    assert [tag for tag, _ in cells] == ["TH"] * len(header) + ["TD"] * len(header) * len(rows)
    assert [text for tag, text in cells if tag == "TD"] == [c for row in rows for c in row]
    assert_pdfua(path)


@pytest.mark.slow
def test_the_printed_easy_read_at_28_pt_stacks_a_table_it_prints(tmp_path: Path) -> None:
    edition = table_edition("en-GB", AGENCIES, easy_read=False)
    path = tmp_path / "easy.pdf"
    path.write_bytes(PdfBuilder(Settings(easy_read_size=28)).render_easy(edition))
    found = words(path)
    assert len(found["Number:"]) == 3 and all(w.bold for w in found["Number:"])
    assert [text for tag, text in structure(path) if tag == "TH"] == [
        "Agency", "What it does", "Number"]


@pytest.mark.slow
@pytest.mark.parametrize("size", [18, 24])
def test_empty_cells_are_blank_and_an_empty_header_has_no_label(
        tmp_path: Path, size: int) -> None:
    rows = [("Agency", "", "Number"), ("", "Call any time", ""), ("Police", "", "101")]
    wide = [(*row, f"{row[2]} more words to set" if row[2] else "") * 2 for row in rows]
    table = rows if size == 18 else wide  # a grid at 18 pt, stacked at 24
    path = large_print(tmp_path, table_edition("en-GB", markdown_table(table)), size)
    cells = structure(path)
    assert cells == [("TH" if n == 0 else "TD", c) for n, row in enumerate(table) for c in row]
    found = words(path)
    assert (len(found.get("Agency:", [])), len(found.get(":", []))) == (
        (0, 0) if size == 18 else (2 * (len(table) - 1), 0))  # two "Agency" columns
    assert_pdfua(path)


@pytest.mark.slow
def test_a_page_that_begins_in_a_table_begins_with_its_row_as_the_book_reads_it() -> None:
    """The e-book's page list finds where each printed page begins by its first words:
    a page that begins with a table row begins, for it, with the row as the talking book
    reads it ("Day: Day 8; Who to see: …; Room: Room 8")."""
    from pipeline.pdf.fonts import FontSet
    from pipeline.pdf.render import page_starts

    edition = table_edition("en-GB", DAYS)
    linear = [item.markdown for item in edition.leaflet.questions[1].blocks[1].linear().items]
    firsts = [page.openings[0].first for page in page_starts(edition, 18, FontSet("en-GB", []))
              if page.openings]
    continued = [first for first in firsts if first.startswith("Day: Day")]
    assert len(continued) >= 2 and set(continued) <= set(linear[1:])
