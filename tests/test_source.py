"""The Markdown source reader, on the sample and on small hand-made leaflets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import LeafletsError
from pipeline.inline import plain, spans
from pipeline.model import ItemList, Paragraph
from pipeline.source import normalise, parse_leaflet, read_leaflet, write_missing_ids

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_4379d3b417b3d0cf.txt"

HEAD = """---
id: demo
title: Demo
summary: A demo.
organisation: Us
---
"""


def test_sample_has_the_ten_questions_of_the_seed_page() -> None:
    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    headings = [q.heading.markdown for q in leaflet.questions]
    assert headings == [
        "Do offenders go to MAPP meetings?",
        "How are victims involved in MAPPA?",
        "How do I find out more about MAPPA in my area?",
        "How does MAPPA work?",
        "How long will I be in MAPPA?",
        "I am a MAPPA offender. How does this affect me?",
        "Is information ever disclosed to the public?",
        "Is information shared at MAPP meetings confidential?",
        "What happens if the offender doesn’t comply?",
        "What if I have a complaint about how I am being dealt with?",
    ]
    assert all(q.easy_read for q in leaflet.questions)
    terms = {e.term.markdown for e in leaflet.glossary}
    assert {"MAPPA", "MAPP meeting", "Offender", "Licence", "Disclosure",
            "Victim Liaison Officer", "Strategic Management Board"} <= terms


def test_sample_answers_keep_the_seed_text_word_for_word() -> None:
    """Every sentence of the seed answers is in the sample, with lines joined."""
    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    answers = " ".join(
        plain(t.markdown)
        for q in leaflet.questions
        for b in q.blocks
        for t in ((b.text,) if isinstance(b, Paragraph) else b.items)
    )
    seed = SEED.read_text(encoding="utf-8")
    for phrase in (
        "the victim(s) will be offered contact by the probation service Victim Liaison Officer",
        "sharing information and meeting, as necessary, to ensure that effective plans",
        "Category 2: violent and other sexual offenders - until your licence or hospital order",
        "and give advice on what will happen afterwards.",
        "does not necessarily mean that an offence has been committed",
    ):
        assert phrase in answers
    assert "Show Summary" not in answers and "Next page" not in answers
    assert "13 entries" not in answers
    assert "Registered sexual offenders who do not comply" in seed


def test_sample_levels_and_categories_are_lists() -> None:
    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    by_id = {q.id: q for q in leaflet.questions}
    levels = [b for b in by_id["how-mappa-works"].blocks if isinstance(b, ItemList)]
    assert [t.markdown[:7] for t in levels[0].items] == ["Level 1", "Level 2", "Level 3"]
    categories = by_id["how-long"].blocks[0]
    assert isinstance(categories, ItemList) and len(categories.items) == 3


def test_easy_read_sentences_carry_pictures_and_bold_hard_words() -> None:
    leaflet = parse_leaflet(HEAD + """
## Do I go? {#go}

No.

::: easy-read
- [meeting] You do **not** go to the **meeting**.
- [letter] You get a letter.
:::
""").leaflet
    easy = leaflet.questions[0].easy_read
    assert [(s.picture, s.text.markdown) for s in easy] == [
        ("meeting", "You do **not** go to the **meeting**."),
        ("letter", "You get a letter."),
    ]
    assert [s.text for s in spans(easy[0].text.markdown) if s.bold] == ["not", "meeting"]


def test_reflowing_a_paragraph_changes_no_text() -> None:
    one = parse_leaflet(HEAD + "\n## Q? {#q}\n\nA long answer that is\nwrapped   here.\n")
    two = parse_leaflet(HEAD + "\n## Q? {#q}\n\nA long answer that is wrapped here.\n")
    assert one.leaflet.questions == two.leaflet.questions
    assert normalise("a  b\nc") == "a b c"


def test_glossary_is_a_definition_list() -> None:
    leaflet = parse_leaflet(HEAD + """
## Q? {#q}

A.

::: glossary
Licence
: Rules after prison.

MAPP meeting
: A meeting.
:::
""").leaflet
    assert [(e.id, e.term.markdown, e.definition.markdown) for e in leaflet.glossary] == [
        ("licence", "Licence", "Rules after prison."),
        ("mapp-meeting", "MAPP meeting", "A meeting."),
    ]


def test_missing_id_is_derived_and_written_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.md"
    path.write_text(HEAD + "\n## Do offenders go to meetings?\n\nNo.\n", encoding="utf-8")
    result = read_leaflet(path)
    assert result.leaflet.questions[0].id == "do-offenders-go-to-meetings"
    assert "has no id" in result.problems[0].message
    write_missing_ids(path, result.missing_ids)
    assert "## Do offenders go to meetings? {#do-offenders-go-to-meetings}" in path.read_text()
    assert read_leaflet(path).missing_ids == {}


def test_every_text_is_in_the_language_the_front_matter_names() -> None:
    text = HEAD[:-4] + "language: cy\n---\n" + (
        "\nCroeso.\n\n## Pwy sy'n dod? {#who}\n\nDim ond yr **asiantaethau**.\n\n"
        "::: easy-read\n- [agencies] Dim ond yr **asiantaethau**.\n:::\n\n"
        "::: glossary\nasiantaethau\n: Gwasanaethau sy'n gweithio gyda'i gilydd.\n:::\n")
    leaflet = parse_leaflet(text).leaflet
    assert {t.lang for _, _, t in leaflet.texts()} == {"cy"}
    assert leaflet.questions[0].easy_read[0].text.lang == "cy"


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("\n## Q? {#q}\n\nA.\n\n## R? {#q}\n\nB.\n", 12, "used twice"),
        ("\n## Q? {#q}\n\nA.\n\n::: easy-read\n- No picture here.\n:::\n", 13, "without a picture"),
        ("\n## Q? {#q}\n\nA.\n\n::: easy-read\n- [unicorn] Hi.\n:::\n", 13, "unknown picture"),
        ("\n## Q? {#Bad_Id}\n\nA.\n", 8, "not allowed"),
        ("\n## Q? {#q}\n\n```\ncode\n```\n", 10, "code block"),
        ("\n# Title\n", 8, "level-1 heading"),
        ("\n## Q? {#q}\n", 8, "has no answer"),
    ],
)
def test_bad_source_names_the_line_and_what_to_do(body: str, line: int, needle: str) -> None:
    with pytest.raises(LeafletsError) as caught:
        parse_leaflet(HEAD + body, "source/demo.md")
    error = caught.value
    assert needle in error.message
    assert error.line == line
    assert str(error).startswith(f"source/demo.md:{line}: ")
    assert error.hint


def test_bad_front_matter() -> None:
    with pytest.raises(LeafletsError, match="front matter needs 'summary'"):
        parse_leaflet("---\nid: x\ntitle: T\norganisation: O\n---\n\n## Q? {#q}\n\nA.\n")
    with pytest.raises(LeafletsError, match=r"leaflet id '\.\./etc' is not allowed"):
        parse_leaflet("---\nid: ../etc\ntitle: T\nsummary: S\norganisation: O\n---\n")
    with pytest.raises(LeafletsError, match="no front matter"):
        parse_leaflet("## Q?\n\nA.\n")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(HEAD.encode() + b"\n## Q? {#q}\n\nCaf\xe9\n")
    with pytest.raises(LeafletsError) as caught:
        read_leaflet(path)
    assert caught.value.line == 10 and "UTF-8" in caught.value.message


def test_inline_html_and_javascript_links_stay_text() -> None:
    found = spans('<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)')
    assert found[0].text.startswith("<script>alert(1)</script>")
    assert not any(s.href and s.href.startswith("javascript") for s in found)
    assert found[-1].href == "https://a.example"
