"""Every output says how to ask for another format and how to reach the service."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from build_project import LEAFLET, build, make_project

ASK = "Ask us for this leaflet in another format or language, such as large print, easy " \
      "read, audio or braille."
RELAY = "18001 0100 000 0000"


@pytest.mark.slow
def test_page_pdf_audio_and_talking_book_say_how_to_get_another_format(
        tmp_path: Path) -> None:
    root = make_project(tmp_path)
    source = root / "source" / f"{LEAFLET}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '  phone: "0100 000 0000"\n', f'  phone: "0100 000 0000"\n  text-relay: "{RELAY}"\n'),
        encoding="utf-8")
    assert build(root, "--lang", "en-GB") == 0
    folder = root / "outputs" / LEAFLET / "en-GB"
    page = (folder / "index.html").read_text(encoding="utf-8")
    footer = page.split("<footer>", 1)[1]
    assert f"<p>{ASK}</p>" in footer
    assert f'<a href="tel:1800101000000000" dir="ltr">{RELAY}</a>' in footer
    pdf = " ".join(subprocess.run(["pdftotext", str(folder / f"{LEAFLET}.en-GB.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    assert f"Contact {ASK}" in pdf and f"Text relay {RELAY}" in pdf
    with zipfile.ZipFile(folder / f"{LEAFLET}.en-GB.daisy.zip") as book:
        content = book.read("content.html").decode("utf-8")
    assert ASK in content and f"Text relay: {RELAY}" in content
