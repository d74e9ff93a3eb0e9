"""Each translator check finds its problem, and stays quiet on a good translation."""

from __future__ import annotations

import polib
import pytest

from pipeline.catalog.checks import check_entry, check_source
from pipeline.source import parse_leaflet


def findings(msgid: str, msgstr: str, **extra: object) -> list[tuple[str, str]]:
    return check_entry(polib.POEntry(msgid=msgid, msgstr=msgstr, **extra))


def errors(msgid: str, msgstr: str) -> list[str]:
    return [message for severity, message in findings(msgid, msgstr) if severity == "error"]


def test_good_translations_pass() -> None:
    assert findings("Call **0306 999 0123** or see [the site](https://a.example).",
                    "Ffoniwch **0306 999 0123** neu gweler [y wefan](https://a.example).") == []
    assert findings("Is it 12 months?", "کیا یہ 12 مہینے ہیں؟") == []
    assert findings("It is 12 months.", "ਇਹ 12 ਮਹੀਨੇ ਹਨ।") == []
    # Arabic-Indic digits are the same number
    assert findings("Up to 5 years.", "حتى ٥ سنوات.") == []


@pytest.mark.parametrize(
    ("msgid", "msgstr", "needle"),
    [
        ("See [the site](https://a.example).", "Gweler y wefan.", "links"),
        ("See [the site](https://a.example).", "Gweler [y wefan](https://b.example).", "links"),
        ("Do **not** go.", "Peidiwch â mynd.", "bold"),
        ("One\\\ntwo", "Un dau", "line breaks"),
        ("Up to 5 years.", "Hyd at 6 mlynedd.", "numbers differ"),
        ("Call 0306 999 0123.", "Ffoniwch 0306 999 0124.", "phone number"),
        ("Write to help@example.org.", "Ysgrifennwch at help@example.com.", "e-mail"),
        ("See https://mappa.justice.gov.uk now.", "Gweler https://mappa.gov.uk nawr.",
         "web address"),
        ("Hello.", " Helo.", "leading or trailing spaces"),
        ("Page %(page)s of %(pages)s", "Tudalen %(page)s", "placeholders"),
    ],
)
def test_each_error_is_found(msgid: str, msgstr: str, needle: str) -> None:
    assert any(needle in message for message in errors(msgid, msgstr)), findings(msgid, msgstr)


def test_warnings_for_punctuation_untranslated_same_and_fuzzy() -> None:
    assert findings("Is it private?", "Mae'n breifat.") == [
        ("warning", "the source ends with '?' but the translation does not end the same way")]
    assert findings("Is it private?", "") == [("warning", "untranslated")]
    assert ("warning", "same as the source: is it translated?") in findings(
        "Offenders do not attend meetings.", "Offenders do not attend meetings.")
    fuzzy = findings("Up to 10 years.", "Hyd at 5 mlynedd.", flags=["fuzzy"],
                     previous_msgid="Up to 5 years.")
    assert ("warning", "fuzzy: numbers changed (5 → 10)") in fuzzy


def test_source_easy_read_sentences_over_15_words_are_errors() -> None:
    leaflet = parse_leaflet("""---
id: demo
title: Demo
summary: Demo.
organisation: Us
---

## Q? {#q}

A.

::: easy-read
- [meeting] This sentence is far too long for easy read because it keeps on going and going.
- [letter] This one is fine.
:::
""").leaflet
    found = check_source(leaflet, "source/demo.md")
    assert [(p.line, p.severity) for p in found] == [(13, "error")]
    assert "16 words" in found[0].message
