"""`leaflets import`: FAQ pages copied from websites become leaflet sources."""

from __future__ import annotations

import contextlib
import http.server
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.errors import LeafletsError
from pipeline.importer import TODO_ANSWER, import_page, import_text, import_url, write_import
from pipeline.inline import spans
from pipeline.model import Block, ItemList, Leaflet, Paragraph, Table
from pipeline.source import parse_leaflet, read_leaflet, slugify

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("/work/shared/seeds/000_4379d3b417b3d0cf.txt")
DATA = Path(__file__).parent / "data" / "import"


def plain(markdown: str) -> str:
    """The text a reader sees: Markdown escapes and markup gone, spaces folded."""
    return " ".join("".join(span.text for span in spans(markdown)).split())


def answers(block: Block) -> tuple[str, ...] | str:
    """A block's visible text: a paragraph's text, or a list's item texts."""
    if isinstance(block, Paragraph):
        return plain(block.text.markdown)
    assert isinstance(block, ItemList)
    return tuple(plain(item.markdown) for item in block.items)


def imported(path: Path) -> tuple[Leaflet, list[str]]:
    """Import a page, check the source reads back, and return it with warning lines."""
    result = import_page(path)
    leaflet = parse_leaflet(result.markdown, f"{result.leaflet_id}.md").leaflet
    return leaflet, [str(w) for w in result.warnings]


def qa(leaflet: Leaflet) -> list[tuple[str, list]]:
    return [(plain(q.heading.markdown), [answers(b) for b in q.blocks])
            for q in leaflet.questions]


@pytest.mark.skipif(not SEED.exists(), reason="seed page not on this machine")
def test_seed_page_gives_the_ten_questions_of_the_sample() -> None:
    leaflet, warnings = imported(SEED)
    sample = read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet
    # Ids in the sample were chosen by hand: compare by position, not by id.
    assert qa(leaflet) == qa(sample)
    assert len(leaflet.questions) == 10
    # The sample's introduction was written by its editor; the page has none.
    assert sample.intro and not leaflet.intro
    ids = [q.id for q in leaflet.questions]
    assert ids == [slugify(plain(q.heading.markdown)) for q in leaflet.questions]
    assert ids[0] == "do-offenders-go-to-mapp-meetings"
    assert leaflet.id == "frequently-asked-questions"
    assert str(leaflet.title) == "Frequently Asked Questions"
    assert str(leaflet.summary).startswith("TODO:")
    assert str(leaflet.organisation).startswith("TODO:")
    seed = str(SEED)
    assert f"{seed}:15: warning: 'MAPPmeetings' looks like two words run together; " \
        "wrote 'MAPP meetings'" in warnings
    assert any(w.startswith(f"{seed}:21: warning: joined this line") for w in warnings)
    assert any("fill in 'summary' and 'organisation'" in w for w in warnings)
    # "as" / "necessary" starts with a small letter: joined without a warning.
    assert not any(w.startswith(f"{seed}:31:") for w in warnings)


def test_numbered_entries() -> None:
    leaflet, warnings = imported(DATA / "numbered.txt")
    assert str(leaflet.title) == "Parking permits: your questions answered"
    assert leaflet.id == "parking-permits-your-questions-answered"
    assert qa(leaflet) == [
        ("How do I apply for a permit?", [
            "You can apply online or at the town hall. You will need:",
            ("proof of address", "the vehicle's registration document"),
        ]),
        ("How much does a permit cost?", [
            "It costs £40 a year. To pay:",
            ("Fill in the form.", "Pay by card.", "Wait for your letter."),
        ]),
        ("Can I park in any zone?", [
            "No. Your permit is for your own zone only.",
            "2019. That was the year the zones were last changed.",
            "Do I need a permit on Sundays?",
        ]),
    ]
    steps = leaflet.questions[1].blocks[1]
    assert isinstance(steps, ItemList) and steps.ordered
    assert any(":17: warning: this line looks like a question" in w for w in warnings)


def test_q_and_a_pairs_escape_markdown() -> None:
    leaflet, warnings = imported(DATA / "q-and-a.txt")
    assert qa(leaflet) == [
        ("Who can join the library?", [
            "Anyone who lives, works or studies in the borough can join *for free*.",
            "Children under 16 need a parent_or_guardian to sign.",
        ]),
        ("What do I bring?", [
            "Bring one of these:",
            ("a passport", "a driving licence", "a <b>council tax</b> bill"),
            "Have you lost your card?",
            "# is the mark on the card & the number is next to it.",
        ]),
        ("Can I renew online?", ["Yes, at any time, up to 3 times."]),
    ]
    assert any(":12: warning: this line looks like a question" in w for w in warnings)


def test_blank_line_separated_and_empty_answer() -> None:
    leaflet, warnings = imported(DATA / "blank-lines.txt")
    assert qa(leaflet) == [
        ("How often are bins emptied?", [
            "Your general waste bin is emptied every two weeks.",
            "Your recycling bin is emptied every week, on the same day.",
        ]),
        ("What goes in the green bin?", ["Garden waste only: grass, leaves and small branches."]),
        ("Who do I call about a missed bin?", [TODO_ANSWER]),
    ]
    assert any(":14: warning: question 'Who do I call about a missed bin?' has no answer" in w
               for w in warnings)


def test_contents_list_and_repeated_titles_are_dropped() -> None:
    leaflet, warnings = imported(DATA / "repeated-headings.txt")
    assert str(leaflet.title) == "Council Tax help"
    assert qa(leaflet) == [
        ("What is Council Tax?", ["Council Tax is a charge on homes to pay for local services."]),
        ("Can I get a discount?", [
            "You can get 25% off if you live alone.",
            ("Step 1: check you live alone.", "Step 2: fill in the single person form."),
        ]),
    ]
    # 'Back to top' between answers might be content; at the end of the page it is not.
    assert any(":8: warning: left out 'Back to top'" in w for w in warnings)
    assert not any(":14:" in w or ":15:" in w for w in warnings)


def test_html_headings() -> None:
    leaflet, warnings = imported(DATA / "headings.html")
    assert str(leaflet.title) == "Blue Badge scheme"
    assert qa(leaflet) == [
        ("Who can get a Blue Badge?", [
            "You can get a badge if you:",
            ("get the higher rate of the mobility part of DLA", "are registered blind"),
        ]),
        ("How long does it take?", ["It usually takes up to 12 weeks."]),
        ("Where can I park?", [
            "On streets with yellow lines, for up to 3 hours & in disabled bays.",
        ]),
    ]
    assert any(":11: warning: section heading 'Applying' left out" in w for w in warnings)
    assert any(":21: warning: section heading 'Using your badge'" in w for w in warnings)


def test_html_definition_list() -> None:
    leaflet, _ = imported(DATA / "definitions.html")
    assert str(leaflet.title) == "Voting by post"
    assert qa(leaflet) == [
        ("Who can vote by post?", ["Anyone registered to vote can apply."]),
        ("How do I apply?", [
            "Send us the form. Then:",
            ("We check your details.", "We send your ballot pack."),
        ]),
        ("When must I send my vote back?", ["By 10pm on polling day."]),
    ]
    steps = leaflet.questions[1].blocks[1]
    assert isinstance(steps, ItemList) and steps.ordered


def test_html_details_summary() -> None:
    leaflet, _ = imported(DATA / "details.html")
    assert leaflet.id == "dog-licences"
    assert qa(leaflet) == [
        ("Do I need a licence for my dog?", ["Yes, if your dog is older than 6 months."]),
        ("What do I need to tell you?", [
            ("Your name and address.", "The dog's name and breed."),
        ]),
    ]


def test_leaflet_id_argument_and_bad_id() -> None:
    result = import_page(DATA / "details.html", leaflet_id="dogs")
    assert parse_leaflet(result.markdown).leaflet.id == "dogs"
    with pytest.raises(LeafletsError, match="leaflet id 'Dogs!' is not allowed"):
        import_page(DATA / "details.html", leaflet_id="Dogs!")


def test_page_without_questions_is_an_error() -> None:
    with pytest.raises(LeafletsError, match="no questions found"):
        import_text("Just a page.\nNothing to ask here.", "page.txt")


def test_unreadable_page_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"Why?\nBecause\n\xff")
    with pytest.raises(LeafletsError, match=r"page.txt:3: not valid UTF-8"):
        import_page(page)


def test_write_import_never_overwrites(tmp_path: Path) -> None:
    result = import_page(DATA / "details.html")
    written = write_import(result, source_dir=tmp_path / "source")
    assert written == tmp_path / "source" / "dog-licences.md"
    assert read_leaflet(written).leaflet.id == "dog-licences"
    with pytest.raises(LeafletsError, match=r"dog-licences\.md: already exists"):
        write_import(result, source_dir=tmp_path / "source")
    assert written.read_text(encoding="utf-8") == result.markdown


def test_title_without_question_mark_line_uses_file_name() -> None:
    result = import_text("Can I come?\nYes.", "My Page.txt")
    assert result.leaflet_id == "my-page"
    assert any("no page title found" in str(w) for w in result.warnings)


def survives(text: str, *, html: bool | None = None) -> None:
    """Importing gives a readable source whose texts are the page's texts, or a LeafletsError."""
    try:
        result = import_text(text, "fuzz.txt", html=html)
    except LeafletsError:
        return
    leaflet = parse_leaflet(result.markdown).leaflet
    assert leaflet.questions
    if not html:
        page = squeezed(text)
        for question in leaflet.questions:
            assert squeezed(plain(question.heading.markdown)) in page
            for block in question.blocks:
                for part in [block.text] if isinstance(block, Paragraph) else block.items:
                    shown = plain(part.markdown)
                    assert shown == TODO_ANSWER or squeezed(shown) in page


def squeezed(text: str) -> str:
    """Text without spaces and without the characters the importer drops."""
    return "".join(
        ch for ch in "".join(text.split()) if unicodedata.category(ch) not in ("Cc", "Cs", "Cn")
    ).replace("\u200b", "").replace("\ufeff", "")


LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", "1. How?", "Q: Why?", "A: *b* _c_ <d>", "- item", "Level 1 – x",
                         "Level 2 – y", "Next page", "::: glossary", "---", "# h", ": d",
                         "&amp;", "{#x}", "`code`", "2.", "\\", "[a](b)", "~~~", "Term?"]),
    ),
    max_size=12,
).map("\n".join)

TAGS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["<h2>", "</h2>", "<dt>", "</dt>", "<dd>", "<details>", "<summary>",
                         "</summary>", "<ul>", "<li>", "</ul>", "<ol>", "<br>", "<p>", "</p>",
                         "<h1>", "<title>", "<nav>", "</nav>", "Why?", "<script>", "&lt;"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_any_text_gives_a_source_or_a_leaflets_error(text: str) -> None:
    survives(text, html=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TAGS)
def test_any_html_gives_a_source_or_a_leaflets_error(text: str) -> None:
    survives(text, html=True)


CORPUS = sorted(p for p in (DATA / "corpus").iterdir() if not p.name.endswith(".expected.md"))
NOISE = re.compile(
    r"cookie|cwci|ciasteczk|ملفات تعريف|facebook|twitter|page (?:useful|helpful)|pomocna|مفيدة"
    r"|مفید|related|cysylltiedig|ذات صلة|share this|udostępnij|skip to|neidio|przejdź|انتقل"
    r"|مرکزی مواد|home ?[>›/]|hafan|©|crown copyright|hawlfraint|privacy|preifatrwydd"
    r"|licence v3|page last reviewed|report a problem|site map|\bmenu\b", re.IGNORECASE)
"""Page furniture that must never reach a leaflet."""


def test_the_corpus_has_pages_of_every_kind() -> None:
    assert len(CORPUS) >= 15
    assert {p.suffix for p in CORPUS} == {".html", ".txt"}


@pytest.mark.parametrize("page", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_page_gives_its_expected_source(page: Path) -> None:
    """Each real-shaped page gives exactly the source an editor would keep: the FAQ with
    its links and tables, and none of the website around it."""
    result = import_page(page)
    expected = page.with_name(page.stem + ".expected.md").read_text(encoding="utf-8")
    assert result.markdown == expected
    body = expected.split("\n---\n", 1)[1]
    assert not NOISE.search(body), NOISE.search(body)
    leaflet = parse_leaflet(result.markdown, f"{result.leaflet_id}.md").leaflet
    assert len(leaflet.questions) >= 2


def test_links_and_tables_are_kept() -> None:
    govuk = import_page(DATA / "corpus" / "01-govuk-accordion.html").markdown
    assert "[online at GOV.UK](https://www.gov.uk/prison-visits)" in govuk
    links = import_page(DATA / "corpus" / "14-links.html")
    assert "[our offices](https://probation.example.gov.uk/offices/)" in links.markdown
    assert "[0306 999 0123](tel:+443069990123)" in links.markdown
    assert "javascript" not in links.markdown
    assert any("is not a web, e-mail or phone link" in str(w) for w in links.warnings)
    leaflet = parse_leaflet(import_page(DATA / "corpus" / "05-details-with-table.html").markdown
                            ).leaflet
    table = leaflet.questions[0].blocks[0]
    assert isinstance(table, Table)
    assert [plain(c.markdown) for c in table.header] == ["Permit", "Cost per year"]
    assert [plain(c.markdown) for c in table.rows[2]] == ["Visitor (10 days)", "£10"]


@contextlib.contextmanager
def serve(pages: dict[str, tuple[str, bytes]], delay: float = 0.0) -> Iterator[str]:
    """Serve ``pages`` (path -> (content type, body)) on 127.0.0.1; yields the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            if self.path not in pages:
                self.send_error(404, "Not Found")
                return
            kind, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


PAGE = b"""<html><head><title>Blue badges</title></head><body>
<h1>Blue badges</h1><h2>Who can get a blue badge?</h2>
<p>Read <a href="/eligibility">who can apply</a> first.</p>
<h2>How long does it last?</h2><p>Up to 3 years.</p></body></html>"""


def test_import_fetches_a_page_by_its_address(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "source").mkdir()
    with serve({"/faq/badges": ("text/html; charset=utf-8", PAGE)}) as base:
        result = import_url(f"{base}/faq/badges")
        assert f"[who can apply]({base}/eligibility)" in result.markdown
        assert result.leaflet_id == "blue-badges"
        assert main(["-C", str(tmp_path), "import", f"{base}/faq/badges"]) == 0
    assert capsys.readouterr().out.strip().endswith("source/blue-badges.md")
    assert "## How long does it last?" in (tmp_path / "source" / "blue-badges.md").read_text()


def test_fetch_errors_are_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve({"/big": ("text/html", b"<p>x</p>" * 200),
                "/picture": ("image/png", b"\x89PNG")}) as base:
        with pytest.raises(LeafletsError, match="the site answered 404 Not Found"):
            import_url(f"{base}/missing")
        with pytest.raises(LeafletsError, match="the page is image/png, not a web page"):
            import_url(f"{base}/picture")
        monkeypatch.setattr("pipeline.importer.MAX_SOURCE_BYTES", 1000)
        with pytest.raises(LeafletsError, match="the page is larger than"):
            import_url(f"{base}/big")
    with serve({"/slow": ("text/html", PAGE)}, delay=2.0) as base, \
            pytest.raises(LeafletsError, match=r"cannot fetch the page: .*timed out"):
        import_url(f"{base}/slow", timeout=0.3)
    with socket.socket() as unused:  # a port nothing listens on: as good as offline
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(LeafletsError) as raised:
        import_url(f"http://127.0.0.1:{port}/faq")
    assert "cannot fetch the page" in str(raised.value)
    assert "check the address and the internet connection" in str(raised.value)
