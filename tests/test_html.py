"""The easy-read web page: content, language marks, escaping, and real-browser checks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.extract import extract
from html_checkers import axe_violations, chromium, vnu_errors
from html_samples import HOSTILE, LANGUAGES, sample_edition, source_edition
from playwright.sync_api import Browser, Page

from pipeline import layout
from pipeline.builders.base import OutputDir, Settings
from pipeline.catalog.translate import translate
from pipeline.errors import LeafletsError
from pipeline.hardwords import find, term_index
from pipeline.html import HtmlBuilder, render_page, render_site_index, write_site_index
from pipeline.html.pictures import picture_svg
from pipeline.inline import plain
from pipeline.model import EasySentence, Text
from pipeline.pictograms import PICTOGRAMS

TEMPLATES = Path(__file__).resolve().parents[1] / "pipeline" / "templates"
PICTURES = Path(__file__).resolve().parents[1] / "pipeline" / "pictures"


def page_html(edition=None, formats=("pdf", "html", "audio")) -> str:  # type: ignore[no-untyped-def]
    return render_page(edition or source_edition(), Settings(formats=formats))


# --- content -------------------------------------------------------------------------------


def test_every_question_has_heading_easy_read_full_answer_and_player() -> None:
    edition = source_edition()
    html = page_html(edition)
    questions = edition.leaflet.questions
    for number, q in enumerate(questions, 1):
        assert f'<h2 id="{q.id}">' in html
        assert f"Question {number} of {len(questions)}" in html
        assert f'src="{layout.question_audio_name(number, q.id)}"' in html
        assert f'src="{layout.easy_question_audio_name(number, q.id)}"' in html
    # the introduction's sentences, then one list per answer
    assert html.count('<ul class="easy-read">') == len(questions) + 1
    assert html.count("<summary>Read the full answer</summary>") == len(questions)
    assert html.count("<audio ") == 2 * len(questions) + 1
    assert html.count('preload="none"') == 2 * len(questions) + 1
    assert "autoplay" not in html
    assert "<script" not in html, "the page must need no JavaScript"
    assert html.count("<h1") == 1
    # One sentence per line, each with its picture; a picture that repeats its
    # sentence is decoration, hidden from screen readers (no label read twice).
    first = questions[0].easy_read[0]
    assert first.picture == "offender" and not first.described
    assert re.search(
        r'<li>\n<span class="picture"><svg [^>]*aria-hidden="true"[^>]*>.*</svg></span>\n'
        r'<div class="sentence"><p><a href="#glossary-offender"><strong>Offenders</strong>',
        html,
    )
    # A picture that adds to its sentence ([home, alt]) is an image with its description.
    assert html.count('role="img"') == 1
    assert re.search(r'<span class="picture" role="img" aria-label="A house"><svg', html)


def test_hard_words_link_to_their_glossary_entry() -> None:
    html = page_html()
    assert '<a href="#glossary-offender"><strong>Offenders</strong></a>' in html
    assert '<a href="#glossary-mapp-meeting"><strong>MAPP meetings</strong></a>' in html
    assert '<a href="#glossary-agency"><strong>agencies</strong></a>' in html
    assert '<a href="#glossary-licence"><strong>licence</strong></a>' in html
    targets = set(re.findall(r'href="#(glossary-[a-z0-9-]+)"', html))
    anchors = set(re.findall(r'<dt id="(glossary-[a-z0-9-]+)"', html))
    assert targets <= anchors
    assert len(anchors) == len(source_edition().leaflet.glossary)


def test_hard_words_are_explained_at_first_use_in_each_answer_and_linked_back() -> None:
    html = page_html()
    sections = html.split('<section class="question">')
    q1, q2 = sections[1], sections[2]
    # In question 1, "Offenders" and "MAPP meetings" are explained under the first sentence.
    first = q1[q1.index('<div class="sentence">'):q1.index("</li>")]
    assert ('<p class="meaning" id="use-offenders-at-meetings-offender"><strong>Offender'
            '</strong>: <span>A person who has been found guilty of a crime.</span></p>') in first
    assert 'id="use-offenders-at-meetings-mapp-meeting"' in first
    # "MAPP meetings" comes twice in question 2: explained once, at its first use.
    assert q2.count('id="use-victims-mapp-meeting"') == 1
    assert q2.index('id="use-victims-mappa"') < q2.index("Each meeting looks at who")
    # Every explanation is linked from the hard-words list, and every link has its target.
    glossary = html[html.index('<section class="hard-words"'):]
    back = re.findall(r'<a href="#(use-[a-z0-9-]+)">', glossary)
    explained = re.findall(r'<p class="meaning" id="(use-[a-z0-9-]+)"', html)
    assert sorted(back) == sorted(explained) and len(back) > 15
    mapp = glossary[glossary.index('id="glossary-mapp-meeting"'):]
    mapp = mapp[:mapp.index("</dd>")]
    assert "Explained in:" in mapp
    assert '<a href="#use-offenders-at-meetings-mapp-meeting">Question 1</a>,' in mapp
    assert '<a href="#use-introduction-mappa">Introduction</a>' in glossary
    # The words the review found unexplained are bold hard words now.
    for entry in ("category", "sex-offenders-register", "hospital-order"):
        assert f'href="#glossary-{entry}"' in html and f'id="use-how-long-{entry}"' in html


def test_page_leads_with_easy_words_and_keeps_the_standard_text_one_click_away() -> None:
    html = page_html()
    main = html[html.index("<main"):]
    assert main.index("<h1>MAPPA: how services work together") < main.index(
        "<summary>Read the full introduction</summary>") < main.index(
        "<strong>MAPPA: frequently asked questions</strong>") < main.index(
        "MAPPA stands for Multi-Agency")
    contents = html[html.index('<nav class="contents"'):html.index("</nav>", html.index(
        '<nav class="contents"'))]
    assert ">Do offenders go to the meetings about them?</a>" in contents
    assert "Do offenders go to MAPP meetings?" not in contents
    q1 = html.split('<section class="question">')[1]
    assert q1.index("Do offenders go to the meetings about them?</span></h2>") < q1.index(
        "easy-read/01-offenders-at-meetings.mp3") < q1.index('<ul class="easy-read">') < (
        q1.index("<summary>Read the full answer</summary>")) < q1.index(
        "<strong>Do offenders go to MAPP meetings?</strong>") < q1.index(
        'src="audio/01-offenders-at-meetings.mp3"') < q1.index("Offenders do not attend")
    assert "<title>MAPPA: how services work together to keep people safe</title>" in html


def test_glossary_matching_is_case_insensitive_with_simple_plurals() -> None:
    entries = source_edition().leaflet.glossary
    index = term_index(entries)
    assert find(index, "AGENCIES") == "agency"
    assert find(index, "Agency") == "agency"
    assert find(index, "mapp  Meetings") == "mapp-meeting"
    assert find(index, "offenders") == "offender"
    assert find(index, "probation") is None


def test_inflected_hard_words_in_translations_link_by_position() -> None:
    """Welsh 'droseddwyr' (a mutated plural) still links to the 'offender' entry."""
    source = source_edition().leaflet
    first = source.questions[0].easy_read[0]
    assert first.terms == ("offender", "mapp-meeting")

    def welsh(context: str, text: Text) -> Text:
        if text == first.text:
            return Text("Nid yw **troseddwyr** yn mynd i **gyfarfodydd MAPP**.", "cy", text.line)
        return text

    html = page_html(translate(source.map_texts(welsh), "cy", None))
    assert '<a href="#glossary-offender"><strong>troseddwyr</strong></a>' in html
    assert '<a href="#glossary-mapp-meeting"><strong>gyfarfodydd MAPP</strong></a>' in html


def test_formats_not_built_are_not_linked_and_the_page_says_so() -> None:
    html = page_html(formats=("html",))
    assert "<audio" not in html
    assert "Audio is not available for this page" in html
    assert ".pdf" not in html and ".mp3" not in html and ".daisy.zip" not in html
    with_pdf = page_html(formats=("pdf", "html"))
    assert 'href="mappa-faq.en-GB.pdf"' in with_pdf and ".mp3" not in with_pdf
    full = page_html()
    for name in ("mappa-faq.en-GB.pdf", "audio/mappa-faq.en-GB.mp3",
                 "audio/mappa-faq.en-GB.m3u8", "mappa-faq.en-GB.daisy.zip"):
        assert f'href="{name}"' in full
    assert "Audio is not available" not in full


def test_answer_without_easy_read_says_so_and_shows_the_standard_answer() -> None:
    html = page_html(sample_edition("cy"))
    last = html[html.index('id="complaints"'):]
    assert "This answer has no easy-read version yet" in last
    assert "<details>" not in last.split("</section>")[0]
    assert "you have the right to complain to that agency" in last


def test_language_switcher_names_each_language_in_itself() -> None:
    html = page_html(sample_edition("ur"))
    assert '<html lang="ur" dir="rtl">' in html
    assert ('<a href="../cy/index.html" hreflang="cy" lang="cy" dir="ltr">Cymraeg</a>') in html
    assert ('<a href="../ar/index.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>') in html
    assert 'hreflang="ur" lang="ur" dir="rtl" aria-current="page">اردو</a>' in html


def test_fallback_passages_and_words_carry_their_own_language() -> None:
    cy = page_html(sample_edition("cy"))
    assert '<html lang="cy" dir="ltr">' in cy
    assert '<h1 lang="en-GB">MAPPA: how services' in cy
    assert "<strong>MAPPA: cwestiynau cyffredin</strong>" in cy
    # An untranslated summary and output words that fell back are marked English.
    assert '<p class="summary" lang="en-GB">This leaflet tells you' in cy
    assert '<span lang="en-GB">Skip to main content</span>' in cy
    assert '<h2 id="contents_heading">Cynnwys</h2>' in cy
    assert 'aria-label="Tŷ">' in cy
    assert 'aria-label="A house" lang="en-GB" dir="ltr">' in page_html(sample_edition("ur"))
    ar = page_html(sample_edition("ar"))
    assert '<html lang="ar" dir="rtl">' in ar
    # English inside a right-to-left page also needs its own direction.
    assert '<p class="summary" lang="en-GB" dir="ltr">This leaflet tells you' in ar
    assert ('<a href="#glossary-mapp-meeting"><strong>اجتماع '
            '<span lang="en" dir="ltr">MAPP</span></strong></a>') in ar
    assert '<dt id="glossary-mapp-meeting">اجتماع <span lang="en" dir="ltr">MAPP</span></dt>' in ar
    assert '<dt id="glossary-agency" lang="en-GB" dir="ltr">Agency</dt>' in ar


def test_translations_are_escaped_not_interpreted() -> None:
    html = page_html(sample_edition("cy"))
    assert "<script" not in html and "<b>dim</b>" not in html
    assert (
        "Prawf: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;dim&lt;/b&gt; &amp;"
        in html
    )
    leaflet = source_edition().leaflet
    hostile = replace(leaflet, title=Text('A "title" <img src=x onerror=alert(1)>', "en-GB"))
    html = page_html(replace(source_edition(), leaflet=hostile))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_same_input_gives_the_same_bytes() -> None:
    edition = sample_edition("ar")
    assert page_html(edition) == page_html(sample_edition("ar"))
    assert render_site_index([source_edition(), edition]) == render_site_index(
        [edition, source_edition()]
    )


def test_builder_writes_the_page_through_the_output_dir(tmp_path: Path) -> None:
    out = OutputDir(tmp_path)
    HtmlBuilder(Settings()).build(source_edition(), out)
    assert HtmlBuilder.format == "html"
    assert out.written == [tmp_path / layout.html_name()]
    assert "<h1>MAPPA: how services work together to keep people safe</h1>" in (
        out.written[0].read_text())


def test_site_index_lists_every_leaflet_and_language(tmp_path: Path) -> None:
    editions = [sample_edition("ur"), source_edition(), sample_edition("cy")]
    path = write_site_index(editions, OutputDir(tmp_path))
    html = path.read_text()
    assert path == tmp_path / "index.html"
    assert '<html lang="en-GB" dir="ltr">' in html
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html)
    assert links == [
        ("mappa-faq/en-GB/index.html", "en-GB"),
        ("mappa-faq/cy/index.html", "cy"),
        ("mappa-faq/ur/index.html", "ur"),
    ]
    with pytest.raises(LeafletsError):
        render_site_index([])


# --- pictures ------------------------------------------------------------------------------


def test_every_picture_key_has_one_svg_with_its_credit_and_licence() -> None:
    files = {p.stem for p in PICTURES.glob("*.svg")}
    assert files == set(PICTOGRAMS)
    assert len(PICTOGRAMS) >= 50
    for idea in ("court", "money", "home", "hospital", "doctor", "work", "family", "clock",
                 "week", "area", "school", "shop"):
        assert idea in PICTOGRAMS
    credits = (PICTURES / "CREDITS.md").read_text()
    assert "Mulberry Symbols" in credits and "Steve Lee" in credits and "OpenMoji" in credits
    assert "CC BY-SA 4.0" in credits
    assert "Attribution-ShareAlike 4.0" in (PICTURES / "LICENSE.txt").read_text()
    for key in PICTOGRAMS:
        source = (PICTURES / f"{key}.svg").read_text()
        root = ET.fromstring(source)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", key
        assert root.get("viewBox"), key
        # many pictures share one page: no ids, classes or style sheets to collide
        assert not re.search(r"<style|\sid=|\sclass=", source), key
        assert f"| `{key}.svg` |" in credits
        inline = picture_svg(key)
        assert 'aria-hidden="true"' in inline and "\n" not in inline


def test_a_missing_picture_is_a_one_line_error() -> None:
    edition = source_edition()
    q = edition.leaflet.questions[0]
    broken = replace(q, easy_read=(EasySentence(Text("Hello."), "no-such-picture"),))
    leaflet = replace(edition.leaflet, questions=(broken,))
    with pytest.raises(LeafletsError) as error:
        page_html(replace(edition, leaflet=leaflet))
    assert "no-such-picture" in str(error.value) and "\n" not in str(error.value)


def test_templates_output_words_are_extractable_by_babel() -> None:
    found: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        with template.open("rb") as fh:
            found |= {m[1] for m in extract("jinja2.ext:babel_extract", fh)}
    for words in (
        "Hard words", "Listen to this answer", "Read the full answer", "Contents",
        "Question %(number)s of %(total)s", "Skip to main content", "Languages",
        "This answer has no easy-read version yet", "Audio is not available for this page",
        "Listen to the easy-read answer", "Listen to the full answer", "Explained in:",
        "Read the full introduction", "Listen to the whole leaflet in easy read",
    ):
        assert words in found


# --- in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample site on disk: four editions, the site index and a page without audio."""
    root = tmp_path_factory.mktemp("outputs")
    editions = [source_edition()] + [sample_edition(lang) for lang in LANGUAGES[1:]]
    pages: dict[str, Path] = {}
    for edition in editions:
        out = OutputDir(root / layout.edition_dir(edition.leaflet.id, edition.lang))
        HtmlBuilder(Settings()).build(edition, out)
        pages[edition.lang] = out.path(layout.html_name())
    pages["index"] = write_site_index(editions, OutputDir(root))
    no_audio = OutputDir(tmp_path_factory.mktemp("no-audio"))
    HtmlBuilder(Settings(formats=("html",))).build(source_edition(), no_audio)
    pages["no-audio"] = no_audio.path(layout.html_name())
    return pages


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@contextmanager
def open_page(browser: Browser, path: Path, width: int = 1280) -> Iterator[Page]:
    """The page at ``path`` in a new tab, closed afterwards."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(path.as_uri())
        yield page
    finally:
        page.close()


def horizontal_overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["en-GB", "cy", "ar", "ur", "index", "no-audio"])
def test_axe_finds_no_violations(browser: Browser, site: dict[str, Path], name: str) -> None:
    with open_page(browser, site[name]) as page:
        assert axe_violations(page) == []


@pytest.mark.slow
def test_nu_html_checker_finds_no_errors(site: dict[str, Path]) -> None:
    assert vnu_errors(sorted(site.values())) == []


WCAG_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["en-GB", "cy", "ar", "ur", "index"])
def test_reflows_at_320_px_with_text_zoom_and_spacing(
    browser: Browser, site: dict[str, Path], name: str
) -> None:
    with open_page(browser, site[name], width=320) as page:
        assert horizontal_overflow(page) == 0
        page.add_style_tag(content=WCAG_SPACING)
        assert horizontal_overflow(page) == 0, "WCAG 1.4.12 text spacing"
        page.set_viewport_size({"width": 640, "height": 900})
        page.add_style_tag(content="html { font-size: 200% !important; }")
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "42px"
        assert horizontal_overflow(page) == 0, "200% text"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "start_side"), [("en-GB", "left"), ("cy", "left"),
                                                  ("ar", "right"), ("ur", "right")])
def test_pictures_sit_on_the_reading_start_side(
    browser: Browser, site: dict[str, Path], name: str, start_side: str
) -> None:
    with open_page(browser, site[name], width=320) as page:
        rows = page.locator(".easy-read li")
        assert rows.count() > 40
        for i in (0, 5, rows.count() - 1):
            picture = rows.nth(i).locator(".picture").bounding_box()
            sentence = rows.nth(i).locator(".sentence").bounding_box()
            assert picture and sentence and picture["width"] >= 100
            if start_side == "left":
                assert picture["x"] + picture["width"] <= sentence["x"]
            else:
                assert sentence["x"] + sentence["width"] <= picture["x"]


@pytest.mark.slow
@pytest.mark.parametrize(("width", "least"), [(360, 100), (1280, 140)])
def test_every_sentence_has_a_picture_of_at_least_100_px_on_a_phone(
    browser: Browser, site: dict[str, Path], width: int, least: int
) -> None:
    for name in ("en-GB", "ar"):
        with open_page(browser, site[name], width=width) as page:
            assert horizontal_overflow(page) == 0
            sizes = page.eval_on_selector_all(
                ".easy-read li", """rows => rows.map(r => {
                    const p = r.querySelector('.picture svg');
                    return p ? Math.min(p.getBoundingClientRect().width,
                                        p.getBoundingClientRect().height) : 0; })""")
            assert len(sizes) > 40
            assert min(sizes) >= least - 12  # the box is `least`; the drawing sits inside
            boxes = page.eval_on_selector_all(
                ".easy-read .picture", "ps => ps.map(p => p.getBoundingClientRect().width)")
            assert min(boxes) >= least


@pytest.mark.slow
def test_easy_read_text_is_large_with_generous_line_height(
    browser: Browser, site: dict[str, Path]
) -> None:
    with open_page(browser, site["en-GB"]) as page:
        size, height = page.evaluate(
            """() => { const s = getComputedStyle(document.querySelector('.sentence'));
                      return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"""
        )
        assert size >= 21 and height / size >= 1.5
        # Controls that stand alone are at least 24 by 24 CSS pixels.
        for selector in (".languages a", ".contents a", ".downloads a", "summary", "audio"):
            for box in page.eval_on_selector_all(
                selector, "els => els.map(e => e.getBoundingClientRect().toJSON())"
            ):
                assert box["width"] >= 24 and box["height"] >= 24, selector


@pytest.mark.slow
def test_accessibility_tree_has_the_headings_and_labelled_players(
    browser: Browser, site: dict[str, Path]
) -> None:
    with open_page(browser, site["ar"]) as page:
        tree = page.locator("body").aria_snapshot()
        assert tree.count("[level=1]") == 1
        assert 'heading "MAPPA: كيف تعمل الجهات معًا لحماية الناس" [level=1]' in tree
        assert 'heading "السؤال 1 من 10 هل يحضر الجناة الاجتماعات التي تخصهم؟" [level=2]' in tree
        assert 'heading "كلمات صعبة" [level=2]' in tree
        assert "[level=3]" not in tree
        for landmark in ("banner", "main", "contentinfo", 'navigation "اللغات"',
                         'navigation "المحتويات"'):
            assert landmark in tree
        assert tree.count("- img") == 1 and 'img "منزل"' in tree
        cdp = page.context.new_cdp_session(page)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        players = [n["name"]["value"] for n in nodes if n.get("role", {}).get("value") == "Audio"]
        assert players[0] == "Listen to the whole leaflet in easy read"
        assert players[1] == (
            "استمع إلى الإجابة السهلة السؤال 1 من 10 هل يحضر الجناة الاجتماعات التي تخصهم؟")
        assert len(players) == 11  # the full answers' players are inside closed <details>
        page.locator("#offenders-at-meetings ~ details > summary").click()
        page.wait_for_timeout(200)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        players = [n["name"]["value"] for n in nodes if n.get("role", {}).get("value") == "Audio"]
        assert len(players) == 12
        assert any(p.startswith("Listen to the full answer السؤال 1 من 10") for p in players)


@pytest.mark.slow
def test_skip_link_appears_on_focus_and_focus_is_visible(
    browser: Browser, site: dict[str, Path]
) -> None:
    with open_page(browser, site["cy"], width=320) as page:
        skip = page.locator(".skip-link")
        assert skip.bounding_box()["width"] <= 1  # type: ignore[index]
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert skip.bounding_box()["width"] >= 24  # type: ignore[index]
        assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main_content"


@pytest.mark.slow
def test_print_shows_full_answers_and_hides_players(
    browser: Browser, site: dict[str, Path]
) -> None:
    with open_page(browser, site["en-GB"]) as page:
        answer = page.locator(".full-answer").first
        assert not answer.is_visible()
        page.emulate_media(media="print")
        assert answer.is_visible()
        assert not page.locator("audio").first.is_visible()


@pytest.mark.slow
def test_hostile_translation_shows_as_text(browser: Browser, site: dict[str, Path]) -> None:
    with open_page(browser, site["cy"]) as page:
        page.locator("summary").first.click()  # the standard introduction holds it
        assert page.locator("main p", has_text="Prawf:").inner_text() == plain(HOSTILE)
        assert page.locator("script").count() == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["en-GB", "ar", "index"])
def test_page_works_offline_and_fetches_nothing(
    browser: Browser, site: dict[str, Path], name: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    try:
        page.goto(site[name].as_uri())
        page.wait_for_load_state("networkidle")
        assert fetched == [site[name].as_uri()]
        leaflet = source_edition().leaflet
        sentences = sum(len(q.easy_read) for q in leaflet.questions) + len(leaflet.easy.intro)
        assert page.locator("svg").count() == (0 if name == "index" else sentences)
    finally:
        page.close()
