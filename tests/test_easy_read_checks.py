"""`leaflets check` knows the easy-read rules; each finding names the source file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.catalog.easyread import check_easy_read, reading_ease
from pipeline.cli import main
from pipeline.source import parse_leaflet

ROOT = Path(__file__).resolve().parent.parent

LEAFLET = """---
id: demo
title: Demo
summary: A demo.
organisation: Us
contact:
  phone: "0306 999 0123"
---

## Is it good? {#good}

Yes.

::: easy-read
# Is it good?
- [yes] The **agency** checks it.
- [rules] The agencies look at it again.
:::

::: glossary
Agency
: An organisation.
:::
"""


def found(text: str, hard_words: tuple[str, ...] = ("disclosed",)) -> list[tuple[int, str, str]]:
    leaflet = parse_leaflet(text, "demo.md").leaflet
    return [(p.line or 0, p.severity, p.message)
            for p in check_easy_read(leaflet, "demo.md", hard_words)]


def test_a_good_easy_read_part_has_no_findings() -> None:
    assert found(LEAFLET) == []


@pytest.mark.parametrize(("old", "new", "line", "severity", "needle"), [
    ("- [rules] The agencies look at it again.",
     "- [rules] The agencies look at it again and again every day and every week for a "
     "long time.",
     17, "error", "17 words; keep it to 15 or fewer"),
    ("- [rules] The agencies look at it again.",
     "- [rules] The agencies look at it, but they do not change it.",
     17, "warning", "more than one idea ('but')"),
    ("- [rules] The agencies look at it again.",
     "- [rules] They look at it, and they write it down.",
     17, "warning", "more than one idea ('and')"),
    ("- [rules] The agencies look at it again.",
     "- [rules] They look at the report, which is long.",
     17, "warning", "more than one idea ('which')"),
    ("- [rules] The agencies look at it again.",
     "- [rules] They look at it. Then they stop.",
     17, "warning", "more than one idea (two sentences)"),
    ("- [rules] The agencies look at it again.",
     "- [rules] The **board** looks at it again.",
     17, "error", "'board' is bold but not in the glossary"),
    ("- [yes] The **agency** checks it.",
     "- [yes] The agency checks it.",
     16, "warning", "'agency' is a hard word: put it in **bold**"),
    ("- [rules] The agencies look at it again.",
     "- [rules] What they found is disclosed to you.",
     17, "warning", "'disclosed' is a hard word"),
    ("- [rules] The agencies look at it again.",
     "- [rules] Multidisciplinary organisational accountability considerations apply.",
     17, "warning", "reads hard (reading ease"),
    ("Agency\n: An organisation.\n",
     "Agency\n: An organisation.\n\nBoard\n: A group of people.\n",
     24, "warning", "the glossary word 'Board' is never used"),
])
def test_each_rule_names_its_line(old: str, new: str, line: int, severity: str,
                                  needle: str) -> None:
    assert old in LEAFLET
    findings = found(LEAFLET.replace(old, new))
    assert any(f[0] == line and f[1] == severity and needle in f[2] for f in findings), findings


def test_a_glossary_word_needs_bold_only_where_an_answer_first_uses_it() -> None:
    text = LEAFLET.replace("- [rules] The agencies look at it again.",
                           "- [rules] The agencies look at it again.\n- [no] No agency says no.")
    assert found(text) == []
    second = text + """
## Is it bad? {#bad}

No.

::: easy-read
- [no] The agency says no.
:::
"""
    assert [f[0] for f in found(second)] == [31]


def test_hard_words_come_from_the_configuration(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "demo.md").write_text(
        LEAFLET.replace("- [rules] The agencies look at it again.",
                        "- [rules] You must comply with it.")
        + "\n## Is it new? {#new}\n\nYes, new.\n", encoding="utf-8")
    assert main(["-C", str(tmp_path), "check", "-v"]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert re.search(r"source/demo\.md:17: warning: 'comply' is a hard word", text), text
    # a question without easy read and an unknown picture key, each with its line
    assert re.search(r"source/demo\.md:25: warning: question 'new' has no easy-read", text)
    (tmp_path / "leaflets.toml").write_text('hard-words = ["checks"]\n')
    assert main(["-C", str(tmp_path), "check", "-v"]) == 0
    text = "".join(capsys.readouterr())
    assert "'comply'" not in text and "source/demo.md:16: warning: 'checks' is a hard word" in text
    (tmp_path / "source" / "demo.md").write_text(
        LEAFLET.replace("[rules]", "[unicorn]"), encoding="utf-8")
    assert main(["-C", str(tmp_path), "check"]) == 1
    text = "".join(capsys.readouterr())
    assert re.search(r"source/demo\.md:17: error: unknown picture 'unicorn'", text), text


def test_the_shipped_sample_follows_the_rules() -> None:
    leaflet = parse_leaflet((ROOT / "source" / "mappa-faq.md").read_text(encoding="utf-8"),
                            "source/mappa-faq.md").leaflet
    assert [p for p in check_easy_read(leaflet, "x")] == []


def test_reading_ease_ranks_plain_words_above_long_ones() -> None:
    plain = reading_ease("You can get help with this.")
    hard = reading_ease("Accommodation eligibility considerations are multidisciplinary.")
    assert plain is not None and hard is not None and plain > 80 > 20 > hard
