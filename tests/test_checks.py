"""Each translator check finds its problem, and stays quiet on a good translation."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from build_project import catalogue, make_project

from pipeline.catalog.checks import check_entry, check_source
from pipeline.cli import main
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
    assert findings("Is it private?", "") == [
        ("untranslated", "shown in English until it is translated")]
    assert ("warning", "same as the source: is it translated?") in findings(
        "Offenders do not attend meetings.", "Offenders do not attend meetings.")


def test_fuzzy_is_not_compared_with_the_source() -> None:
    """A fuzzy message is not published, so it says what changed, and nothing else."""
    fuzzy = findings("Up to 10 years.", "Hyd at 5 mlynedd?", flags=["fuzzy"],
                     previous_msgid="Up to 5 years.")
    assert fuzzy == [("fuzzy", "the source changed; check the translation and remove the "
                               "fuzzy flag (numbers changed (5 → 10))")]


@pytest.mark.parametrize(
    ("msgid", "msgstr", "lang", "same"),
    [
        ("It is 12 months.", "12 ወራት ነው።", "am", True),
        ("It is 12 months.", "یہ 12 مہینے ہے۔", "ur", True),
        ("It is 12 months.", "এটি 12 মাস।", "bn", True),
        ("Is it 12 months?", "هل هي 12 شهرا؟", "ar", True),
        ("Is it 12 months?", "12 ወራት ነው፧", "am", True),
        ("Is it 12 months?", "12か月ですか。", "ja", True),
        ("Is it 12 months?", "12か月ですか？", "ja", True),
        ("Say “yes.”", "Dywedwch “ie.”", "cy", True),
        ("Is it 12 months?", "12 ወራት ነው።", "am", False),
        ("Is it 12 months?", "Mae'n 12 mis.", "cy", False),
        ("It is 12 months.", "Mae'n 12 mis!", "cy", False),
        ("It is 12 months.", "Mae'n 12 mis;", "cy", False),
    ],
)
def test_end_punctuation_compares_by_kind_and_language(msgid: str, msgstr: str, lang: str,
                                                      same: bool) -> None:
    found = check_entry(polib.POEntry(msgid=msgid, msgstr=msgstr), lang)
    assert (found == []) == same, found


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
    assert [(p.line, p.severity) for p in found] == [(2, "warning"), (13, "error")]
    assert "readers cannot ask for another format" in found[0].message
    assert "16 words" in found[1].message


def test_check_command_summarises_per_file_and_narrows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    for lang in ("cy", "pl"):
        po = polib.pofile(str(catalogue(root, lang)))
        for entry in po:
            entry.msgstr = f"({lang}) {entry.msgid}"
        po.save()
    for lang, msgid, msgstr, flags in [
        ("cy", "Who do I call?", "Pwy ydw i'n ei ffonio 2?", ["fuzzy"]),
        ("pl", "Who do I call?", "", []),
        ("pl", "Only the agencies come to the **MAPP meeting**.", "Tylko agencje.", []),
        ("pl", "Call the council.", "Zadzwoń do rady?", []),
    ]:
        po = polib.pofile(str(catalogue(root, lang)))
        entry = next(e for e in po if e.msgid == msgid)
        entry.msgstr, entry.flags = msgstr, flags
        po.save()
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "mini.po" in err and "bold markers" in err
    words = len(polib.pofile(str(catalogue(root, "cy", "leaflets"))).untranslated_entries())
    assert out.splitlines() == [
        "locales/cy/LC_MESSAGES/mini.po: 1 fuzzy",
        f"locales/cy/LC_MESSAGES/leaflets.po: {words} untranslated",
        "locales/pl/LC_MESSAGES/mini.po: 1 error, 1 warning, 1 untranslated",
        f"locales/pl/LC_MESSAGES/leaflets.po: {words} untranslated",
        f"1 error, 1 warning, 1 fuzzy, {2 * words + 1} untranslated (-v lists them all)",
    ]
    assert main(["-C", str(root), "check", "--leaflet", "mini"]) == 1
    assert "leaflets.po" not in capsys.readouterr().out
    assert main(["-C", str(root), "check", "--lang", "cy", "--leaflet", "mini"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "locales/cy/LC_MESSAGES/mini.po: 1 fuzzy", "1 fuzzy (-v lists them all)"]
    assert main(["-C", str(root), "check", "--lang", "cy", "-v"]) == 0
    out, err = capsys.readouterr()
    assert "mini.po:" in err and "fuzzy: the source changed" in err and "Who do I call" in err
    assert main(["-C", str(root), "check", "--leaflet", "nope"]) == 1
    assert "no leaflet 'nope'" in capsys.readouterr().err


def test_placeholders_fail_check_and_are_never_built(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    source = root / "source" / "mini.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        'summary: "A short leaflet for build tests."',
        'summary: "TODO: one sentence saying what this leaflet is about"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--leaflet", "mini"]) == 1
    assert capsys.readouterr().err.strip() == (
        "source/mini.md:4: error: a placeholder is left in the source: 'TODO: one sentence "
        "saying what this leaflet is about' (write the real text; this leaflet is not built "
        "until then)")
    assert main(["-C", str(root), "build", "--format", "html"]) == 1
    out, err = capsys.readouterr()
    assert err.count("placeholder is left") == 1
    assert not (root / "outputs" / "mini").exists() and "TODO" not in out
