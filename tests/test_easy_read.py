"""Easy read as a whole version of the leaflet: its title, summary, introduction and
question headings in easy words, each a message of its own that translators translate."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pipeline.catalog.extract import leaflet_template
from pipeline.config import load_config
from pipeline.errors import LeafletsError
from pipeline.source import parse_leaflet, read_leaflet

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["cy", "pl", "ur", "pa", "ar"]

HEAD = """---
id: demo
title: Demo of a hard title
summary: A demo.
organisation: Us
easy:
  title: An easy title
  summary: What this is about.
---

The standard introduction.

::: easy-read
- [people] This is for everyone.
:::
"""


def test_front_matter_and_blocks_give_the_easy_read_texts() -> None:
    leaflet = parse_leaflet(HEAD + """
## Is it hard? {#hard}

A long answer.

::: easy-read
# Is it easy?
- [yes] It is easy.
- [home, alt] You can stay at home.
:::
""").leaflet
    assert leaflet.easy_title.markdown == "An easy title"
    assert (leaflet.title.line, leaflet.easy_title.line, leaflet.easy_summary.line) == (3, 7, 8)
    assert leaflet.easy_summary.markdown == "What this is about."
    assert [s.text.markdown for s in leaflet.easy.intro] == ["This is for everyone."]
    assert leaflet.intro[0].text.markdown == "The standard introduction."
    question = leaflet.questions[0]
    assert question.easy_heading is not None
    assert question.easy_heading.markdown == "Is it easy?"
    assert question.easy_title.markdown == "Is it easy?"
    assert question.heading.markdown == "Is it hard?"
    assert [(s.picture, s.described) for s in question.easy_read] == [
        ("yes", False), ("home", True)]


def test_without_easy_texts_the_standard_ones_stand_in() -> None:
    leaflet = parse_leaflet("""---
id: demo
title: Demo
summary: A demo.
organisation: Us
---

## Is it hard? {#hard}

A long answer.
""").leaflet
    assert leaflet.easy_title.markdown == "Demo"
    assert leaflet.questions[0].easy_title.markdown == "Is it hard?"


@pytest.mark.parametrize(("text", "line", "message"), [
    (HEAD.replace("  summary: What", "  sumary: What"), 8, "unknown easy-read key 'sumary'"),
    (HEAD.replace("  summary: What this is about.", "  summary: [a, list]"), 8,
     "'easy: summary' must be a line of text"),
    (HEAD.replace("- [people]", "# A heading\n- [people]"), 14,
     "a heading in the easy-read introduction"),
])
def test_mistakes_in_easy_read_name_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(LeafletsError) as caught:
        parse_leaflet(text + "\n## Q? {#q}\n\nA.\n", "demo.md")
    assert caught.value.line == line
    assert message in caught.value.message


def test_each_easy_text_is_its_own_message_with_its_context() -> None:
    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    pot = leaflet_template(leaflet, "source/mappa-faq.md")
    by_id = {(e.msgctxt, e.msgid): e for e in pot}
    title = by_id["leaflet", "MAPPA: how services work together to keep people safe"]
    assert "Easy-read title" in title.comment
    heading = by_id["victims", "What happens for victims of crime?"]
    assert "Easy-read heading" in heading.comment
    assert "How are victims involved in MAPPA?" in heading.comment
    intro = by_id["leaflet", "They work together to keep people safe."]
    assert "Easy-read introduction" in intro.comment and "Picture: safe" in intro.comment
    # every question of the sample has an easy heading, and the page has an easy front
    assert all(q.easy_heading is not None for q in leaflet.questions)
    assert leaflet.easy.title and leaflet.easy.summary and leaflet.easy.intro


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_catalogues_translate_every_easy_text(lang: str) -> None:
    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    catalog = polib.pofile(str(ROOT / "locales" / lang / "LC_MESSAGES" / "mappa-faq.po"))
    assert "draft" in catalog.header.lower()
    done = {(e.msgctxt, e.msgid): e.msgstr for e in catalog
            if e.translated() and not e.obsolete}
    easy = [("leaflet", leaflet.easy_title.markdown), ("leaflet", leaflet.easy_summary.markdown)]
    easy += [("leaflet", s.text.markdown) for s in leaflet.easy.intro]
    easy += [(q.id, q.easy_title.markdown) for q in leaflet.questions]
    easy += [("glossary", e.term.markdown) for e in leaflet.glossary]
    missing = [key for key in easy if not done.get(key)]
    assert not missing
    assert all(done[key] != key[1] for key in easy if key[1] != "MAPPA")


def test_easy_read_settings_are_read_and_checked(tmp_path: Path) -> None:
    assert (load_config(tmp_path).easy_read_rate, load_config(tmp_path).easy_read_pause) == (
        110, 1.2)
    (tmp_path / "leaflets.toml").write_text(
        "easy-read-rate = 100\neasy-read-pause = 2\neasy-read-size = 20\n")
    config = load_config(tmp_path)
    settings = config.settings(tmp_path)
    assert (settings.easy_read_rate, settings.easy_read_pause, settings.easy_read_size) == (
        100, 2.0, 20)
    for bad, needle in (("easy-read-rate = 300", "'easy-read-rate' must be a number from 80"),
                        ("easy-read-pause = 0", "'easy-read-pause' must be a number from 0.3"),
                        ("easy-read-size = 12", "'easy-read-size' must be a number from 16"),
                        ("easy-read-rate = 1.5", "'easy-read-rate'")):
        (tmp_path / "leaflets.toml").write_text(bad + "\n")
        with pytest.raises(LeafletsError, match=needle):
            load_config(tmp_path)


def test_the_easy_read_texts_survive_the_plan_cache() -> None:
    from pipeline.build import plancache

    leaflet = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    again = plancache.loads(plancache.dumps(leaflet))
    assert again == leaflet and again.easy.intro == leaflet.easy.intro
    assert again.questions[0].easy_heading == leaflet.questions[0].easy_heading
    assert [s.described for s in again.questions[5].easy_read] == [
        s.described for s in leaflet.questions[5].easy_read]


@pytest.mark.slow
def test_every_shipped_language_page_is_clean_with_large_pictures(tmp_path: Path) -> None:
    """The real pages of all six languages: axe and the Nu checker find nothing, and every
    easy-read sentence has a picture of at least 100 CSS px on a 360 px phone."""
    from html_checkers import axe_violations, chromium, vnu_errors

    from pipeline.builders.base import Settings
    from pipeline.catalog.publish import editions
    from pipeline.catalog.workflow import read_sources
    from pipeline.html import render_page
    from pipeline.project import Project

    project = Project.find(ROOT)
    found = editions(project, read_sources(project).leaflets, ["en-GB", *LANGS]).editions
    assert len(found) == 6
    pages = []
    for edition in found:
        page = tmp_path / edition.lang / "index.html"
        page.parent.mkdir()
        page.write_text(render_page(edition, Settings()), encoding="utf-8")
        pages.append(page)
    assert vnu_errors(pages) == []
    with chromium() as browser:
        for page in pages:
            tab = browser.new_page(viewport={"width": 360, "height": 800})
            tab.goto(page.as_uri())
            assert axe_violations(tab) == [], page
            sizes = tab.eval_on_selector_all(
                ".easy-read li", "rows => rows.map(r => r.querySelector('.picture')"
                ".getBoundingClientRect().width)")
            assert len(sizes) > 60 and min(sizes) >= 100, page
            tab.close()
