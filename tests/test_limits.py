"""Resources: big leaflets build in bounded memory or are refused with one clear line,
and a speech engine that hangs cannot stall the build."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.audio.engines import Voices
from pipeline.catalog import pofile
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "hostile"
BASE = (HOSTILE / "leaflet.md").read_text(encoding="utf-8")
MEMORY_LIMIT = 1 << 30


def project(tmp_path: Path, source: str, welsh: bool = False) -> Path:
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / "tiny.md").write_text(source, encoding="utf-8")
    if welsh:
        (root / "locales" / "cy" / "LC_MESSAGES").mkdir(parents=True)
        (root / "locales" / "cy" / "LC_MESSAGES" / "tiny.po").write_bytes(
            (HOSTILE / "cy.po").read_bytes())
    return root


def leaflets(root: Path, *args: str) -> tuple[int, str, int]:
    """Run the command in a child process: exit code, stderr, peak memory in bytes."""
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(root), *args, "-j", "1"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    err = child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, err, usage.ru_maxrss * 1024


def questions(count: int) -> str:
    head = BASE.split("## ")[0]
    body = "".join(
        f"## Question number {n}? {{#q{n}}}\n\nThe answer to question {n}, with **bold** words "
        f"and a [link](https://example.org/{n}).\n\n- One item.\n- Two items.\n\n"
        f"::: easy-read\n- [meeting] Offenders do not go to **meetings**.\n:::\n\n"
        for n in range(count)
    )
    return head + body


@pytest.mark.slow
def test_five_hundred_questions_build(tmp_path: Path) -> None:
    """Web page and PDF (audio is left out here: 500 clips take minutes)."""
    root = project(tmp_path, questions(500))
    code, err, peak = leaflets(root, "build", "--format", "html", "--format", "pdf")
    assert code == 0, err
    folder = root / "outputs" / "tiny" / "en-GB"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count('<section class="question">') == 500
    assert (folder / "tiny.en-GB.pdf").stat().st_size > 100_000
    assert peak < MEMORY_LIMIT


def test_one_megabyte_paragraph_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    root = project(tmp_path, BASE.replace("This is the introduction.", "word " * 200_000))
    code, err, peak = leaflets(root, "build")
    assert code == 1
    assert err.startswith("source/tiny.md:13: error: this text has 999,999 characters; the "
                          "limit is 10,000 (split it into shorter paragraphs)\n")
    assert "Traceback" not in err
    assert peak < MEMORY_LIMIT


def test_one_megabyte_translation_falls_back_to_english(tmp_path: Path) -> None:
    root = project(tmp_path, BASE, welsh=True)
    path = root / "locales" / "cy" / "LC_MESSAGES" / "tiny.po"
    catalog = pofile.load(path)
    catalog.find("This is the introduction.", msgctxt="leaflet").msgstr = "gair " * 200_000
    pofile.write(catalog, path)
    code, err, peak = leaflets(root, "build", "--format", "html", "--format", "pdf")
    assert code == 0, err
    assert "tiny.po:35: warning: the translation is 1,000,000 characters, far longer" in err
    html = (root / "outputs" / "tiny" / "cy" / "index.html").read_text(encoding="utf-8")
    assert '<p lang="en-GB">This is the introduction.</p>' in html
    assert "gair gair" not in html
    assert peak < MEMORY_LIMIT


HANGS = "import sys, time\nfor line in sys.stdin:\n    time.sleep(3600)\n"


def test_a_hanging_voice_fails_the_audio_not_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Voices, "child_command", (sys.executable, "-c", HANGS))
    monkeypatch.setattr(Voices, "speech_timeout", 1.0)
    root = project(tmp_path, BASE)
    started = time.monotonic()
    code = main(["-C", str(root), "build", "--format", "audio", "--format", "html", "-j", "1"])
    assert time.monotonic() - started < 30
    assert code == 1
    err = capsys.readouterr().err
    assert "failed: tiny/en-GB/audio: espeak-ng did not finish a text in 1 s" in err
    assert (root / "outputs" / "tiny" / "en-GB" / "index.html").is_file()
    assert not (root / "outputs" / "tiny" / "en-GB" / "audio").exists()
