"""A table in a source: a table in the page, a tagged table in the PDF, read row by row."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from build_project import LEAFLET, build, make_project

from pipeline.audio.script import script
from pipeline.catalog.translate import translate
from pipeline.model import Table
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
