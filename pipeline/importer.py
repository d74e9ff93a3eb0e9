"""Turn an FAQ page copied from a website (plain text or saved HTML) into a new leaflet source.

The page is read into blocks (questions, headings, paragraphs, list items and
page furniture), then assembled into the source format of :mod:`pipeline.source`:
front matter with ``TODO`` placeholders, then ``## Question? {#id}`` and its
answer. Anything the importer is unsure of is reported as a :class:`Problem`
naming the line of the page, so an editor can check it.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import urljoin

from .errors import LeafletsError, Problem
from .files import read_text
from .source import (
    ID_PATTERN,
    MAX_SOURCE_BYTES,
    MAX_TEXT_CHARS,
    RESERVED_IDS,
    question_slug,
    slugify,
)

TODO_TITLE = "TODO: the title of the leaflet"
TODO_SUMMARY = "TODO: one sentence saying what this leaflet is about"
TODO_ORGANISATION = "TODO: the organisation that publishes this leaflet"
TODO_ANSWER = "TODO: write the answer."
MAX_QUESTION = 300
MAX_TITLE = 120

_FURNITURE_PART = (
    r"(?:show|hide) summary|order by|sort by|then by|view(?: all| entry| more| details)?"
    r"|\d+ (?:entries|entry|results?|items?)|list of entries in this database"
    r"|(?:first|previous|prev|next|last) page|page \d+(?: of \d+)?|back to top"
    r"|skip to (?:main )?content|print(?: this page)?|share(?: this page)?|contents"
    r"|on this page|ascending|descending|search|reset|go|[«»‹›|]+|\d+"
    # cookie banners, share and feedback blocks, footers (English and the shipped languages)
    r"|(?:accept|reject) (?:all |additional |analytics )?cookies|cookie (?:settings|preferences)"
    r"|view cookies|change your cookie settings|hide (?:this )?(?:cookie )?message"
    r"|(?:derbyn|gwrthod) (?:pob |cwcis ychwanegol|cwcis)\S*|gosodiadau cwcis"
    r"|(?:akceptuj|odrzuć|zaakceptuj)\S* (?:wszystkie )?(?:pliki cookie|ciasteczka)"
    r"|قبول (?:جميع )?ملفات تعريف الارتباط|رفض ملفات تعريف الارتباط|کوکیز (?:قبول|مسترد) کریں"
    r"|ਕੂਕੀਜ਼ (?:ਸਵੀਕਾਰ|ਰੱਦ) ਕਰੋ"
    r"|share(?: this page| on \w+)?|facebook|twitter|linkedin|whatsapp|email this page"
    r"|rhannu(?:'r dudalen hon)?|udostępnij(?: tę stronę)?|شیئر کریں|مشاركة(?: هذه الصفحة)?"
    r"|ਸਾਂਝਾ ਕਰੋ"
    r"|(?:was|is) this page (?:useful|helpful)\??(?:\s*(?:yes|no|maybe))*"
    r"|(?:oedd|ydy)'?r dudalen hon yn ddefnyddiol\??(?:\s*(?:ydy|nac ydy|oedd|nac oedd|ie|na))*"
    r"|czy ta strona (?:była|jest) (?:przydatna|pomocna)\??(?:\s*(?:tak|nie))*"
    r"|هل كانت هذه الصفحة مفيدة[؟?]?(?:\s*(?:نعم|لا))*"
    r"|کیا یہ صفحہ مفید (?:تھا|ہے)[؟?]?(?:\s*(?:ہاں|نہیں))*"
    r"|ਕੀ ਇਹ ਪੰਨਾ ਲਾਭਦਾਇਕ (?:ਸੀ|ਹੈ)[?]?(?:\s*(?:ਹਾਂ|ਨਹੀਂ))*"
    r"|report a problem with this page|thank you for your feedback"
    r"|(?:© )?crown copyright|©[^\n]{0,60}|privacy(?: policy| notice)?|accessibility statement"
    r"|terms (?:and|&) conditions|cookies|contact us|site ?map|help|open government licence"
    r"|all content is available under the open government licence[^\n]{0,80}"
    r"|(?:page last reviewed|next review due|last updated|page last updated):?[^\n]{0,40}"
    r"|menu|sign in|log in|print this page"
    r"|hawlfraint y goron|preifatrwydd|datganiad hygyrchedd|telerau ac amodau|cwcis|cysylltu â ni"
    r"|polityka prywatności|deklaracja dostępności|regulamin|kontakt"
    r"|رازداری(?: کی پالیسی)?|سیاسة الخصوصية|بيان إمكانية الوصول|اتصل بنا|ہم سے رابطہ کریں"
    r"|ਗੋਪਨੀਯਤਾ(?: ਨੀਤੀ)?|ਸਾਡੇ ਨਾਲ ਸੰਪਰਕ ਕਰੋ"
    r"|skip to (?:main )?content|neidio i'r prif gynnwys|przejdź do (?:głównej )?treści"
    r"|مرکزی مواد پر جائیں|انتقل إلى المحتوى الرئيسي|ਮੁੱਖ ਸਮੱਗਰੀ 'ਤੇ ਜਾਓ"
)
_FURNITURE = re.compile(rf"(?:(?>{_FURNITURE_PART})[\s,.|·•/]*+)+", re.IGNORECASE)
"""Atomic: each piece matches one way, so a long line of digits or bars takes linear time."""
_FURNITURE_SECTION = re.compile(
    r"(?:related (?:pages|content|links|information|topics|services|guidance)"
    r"|more (?:in this section|on this topic)|explore the topic|you might also be interested in"
    r"|share this page|(?:was|is) this page (?:useful|helpful)|help us improve (?:this|our) \w+"
    r"|tudalennau cysylltiedig|cynnwys cysylltiedig|powiązane (?:strony|treści|artykuły)"
    r"|zobacz (?:też|także)|متعلقہ صفحات|صفحات ذات صلة|محتوى ذو صلة|ਸੰਬੰਧਿਤ ਪੰਨੇ)\W*",
    re.IGNORECASE)
"""A heading that starts page furniture: it and what follows, up to the next question."""
_COOKIE_WORDS = re.compile(r"\b(?:cookies?|cwci\w*|ciasteczk\w*|pliki cookie)\b"
                           r"|کوکیز|ملفات تعريف الارتباط|ਕੂਕੀਜ਼", re.IGNORECASE)
_SITE_NAME = re.compile(r"(?<![\w-])(?>[\w-]+)(?:\.(?>[\w-]+))+")
"""A line that is only a site's name, like GOV.UK: its logo, copied as text."""
_CRUMB_SEPARATOR = re.compile(r"(?<!\s)\s++[>›»/|]\s+|(?<!\s)\s*+[›»]\s*")
_HOME = re.compile(r"^(?:home|hafan|strona główna|الرئيسية|ہوم|صفحہ اول|ਮੁੱਖ ਪੰਨਾ)\s*[>›»/|]",
                   re.IGNORECASE)
_CLOSERS = r"\"'”’)\]"
_QUESTION_END = re.compile(rf"[?？؟፧][{_CLOSERS}]*$")
_SENTENCE_END = re.compile(rf"[.!?:;？؟۔।።][{_CLOSERS}]*$")
_Q_PREFIX = re.compile(r"^(?:Q|Question)\s*+\d*+\s*+[:.)]\s*+(?P<text>\S.*)$", re.IGNORECASE)
_A_PREFIX = re.compile(r"^(?:A|Answer)\s*+\d*+\s*+[:.)]\s*+(?P<text>.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\(?(?P<n>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-*•·▪◦‣–—]\s+(?P<text>\S.*)$")
_LABELLED = re.compile(r"^(?P<label>[^\W\d_]+) (?P<n>\d{1,3}|[A-Z])\s*[-–—:.)]\s")
_WORD = re.compile(r"[^\W\d_]+")
_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z])")
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<]")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])")
_HTML_MARKUP = re.compile(r"<(?:html|body|h[1-6]|p|dl|details|div|ul|ol)\b", re.IGNORECASE)
_HTML_FURNITURE = re.compile(
    r"\b(?:pagination|pager|breadcrumbs?|cookies?|cookie-banner|skip-link|menu|sidebar"
    r"|share|social|feedback|related|related-nav\w*|rating|helpful|page-useful|survey|footer"
    r"|back-to-top|print-link|banner|contextual-sidebar)\b",
    re.IGNORECASE,
)
_LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
_LINK = re.compile("\x01([^\x01\x02\x03]*)\x02(\\d+)\x03")
"""A link in a block's text, as the HTML reader marks it: start, text, end and its number
(control characters cannot come from the page: :func:`_clean` drops them)."""


@dataclass
class ImportResult:
    """A new leaflet source made from a web page, and what the editor must check."""

    markdown: str
    leaflet_id: str
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Block:
    """One piece of the page: ``kind`` is question, heading, para, item or furniture."""

    kind: str
    text: str
    line: int
    level: int = 0
    ordered: bool = False
    number: int = 0


def import_page(path: Path, *, leaflet_id: str | None = None) -> ImportResult:
    """Read a copied FAQ page (plain text or HTML) and make a leaflet source of it."""
    text = read_text(path, what="page", limit=MAX_SOURCE_BYTES,
                     hint="save only the FAQ part of the page")
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or None
    return import_text(text, path, leaflet_id=leaflet_id, html=is_html)


FETCH_TIMEOUT = 20.0
"""Seconds to wait for a web page."""


def import_url(url: str, *, leaflet_id: str | None = None,
               timeout: float = FETCH_TIMEOUT) -> ImportResult:
    """Fetch a web page (at most :data:`MAX_SOURCE_BYTES`, within ``timeout`` seconds)
    and import it; its relative links are read against its address."""
    request = urllib.request.Request(url, headers={"User-Agent": "leaflets-import"})
    offline = "check the address and the internet connection, or save the page and import " \
              "the file"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
            data = response.read(MAX_SOURCE_BYTES + 1)
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise LeafletsError(f"the site answered {exc.code} {exc.reason}", url,
                            hint="check the address") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LeafletsError(f"cannot fetch the page: {reason}", url, hint=offline) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise LeafletsError(f"the page is larger than {MAX_SOURCE_BYTES // 1_000_000} MB", url,
                            hint="save only the FAQ part of the page and import the file")
    if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise LeafletsError(f"the page is {kind}, not a web page or text", url,
                            hint="import an HTML page or a text file")
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
    return import_text(text, url, leaflet_id=leaflet_id, html=kind != "text/plain",
                       base=final)


def import_text(
    text: str, path: Path | str = "<page>", *, leaflet_id: str | None = None,
    html: bool | None = None, base: str = "",
) -> ImportResult:
    """Import page text; ``html=None`` guesses from the text whether it is HTML."""
    if leaflet_id is not None and (
        not ID_PATTERN.fullmatch(leaflet_id) or leaflet_id in RESERVED_IDS
    ):
        raise LeafletsError(
            f"leaflet id '{leaflet_id}' is not allowed", path,
            hint="use lower-case letters, digits and hyphens, like 'mappa-faq'",
        )
    text = _clean(text)
    if html is None:
        html = text.lstrip().startswith("<") and bool(_HTML_MARKUP.search(text))
    return _Importer(path if base else Path(path), leaflet_id, base).run(text, html)


def write_import(
    result: ImportResult, target: Path | None = None, *, source_dir: Path = Path("source")
) -> Path:
    """Write an imported leaflet to ``target`` (default ``source/<id>.md``); never overwrite."""
    target = target or source_dir / f"{result.leaflet_id}.md"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:
            out.write(result.markdown)
    except FileExistsError:
        raise LeafletsError(
            "already exists", target, hint="choose another leaflet id or another file name"
        ) from None
    except OSError as exc:
        raise LeafletsError(f"cannot write: {exc.strerror}", target) from None
    return target


def _clean(text: str) -> str:
    """Unix line ends; no control, unassigned or zero-width characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text
        if ch == "\n" or ch == "\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs", "Cn") and ch not in "\u200b\ufeff")
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    """A block's text as read: its links' texts without their addresses."""
    return _LINK.sub(r"\1", text)


def _is_question(text: str) -> bool:
    text = _plain(text)
    return bool(_QUESTION_END.search(text)) and len(text) <= MAX_QUESTION


def _is_crumbs(text: str) -> bool:
    """Breadcrumbs: 'Home > Crime > Probation', short parts between arrows or slashes."""
    parts = _CRUMB_SEPARATOR.split(text)
    return bool(_HOME.match(text)) or (
        len(parts) >= 3 and all(0 < len(part.split()) <= 5 for part in parts))


def _mark_furniture(blocks: list[_Block]) -> None:
    """Mark what is the website, not the FAQ: before the first question, cookie banners
    and breadcrumbs; anywhere, a section like 'Related pages' or 'Share this page' (its
    heading and everything up to the next question or heading of its level)."""
    asked = False
    section: _Block | None = None
    for block in blocks:
        text = _plain(block.text)
        if section is not None:
            ends = (block.kind == "question" and not _FURNITURE_SECTION.fullmatch(text)) or (
                block.kind == "heading" and 0 < block.level <= section.level)
            if not ends:
                block.kind = "furniture"
                continue
            section = None
        if _FURNITURE_SECTION.fullmatch(text):
            level = block.level if block.kind == "heading" else 0
            block.kind, block.level = "furniture", level
            section = block
        elif not asked and (_COOKIE_WORDS.search(text) or _is_crumbs(text)) \
                and block.kind != "question":
            block.kind = "furniture"
        asked = asked or block.kind == "question" or (
            block.kind == "heading" and _is_question(text))


def _escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup, so the text survives as written."""
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    text = _ENTITY.sub(r"\\&", text)
    number = _LEADING_NUMBER.match(text)
    if number:
        return f"{number[1]}\\{number[2]}{text[number.end():]}"
    if text[:1] in ("#", ">", "+", "-", "=", ":", "~", "|"):
        return "\\" + text
    return text


class _Importer:
    def __init__(self, path: Path | str, leaflet_id: str | None, base: str = "") -> None:
        self.base = base
        self.path = path
        self.leaflet_id = leaflet_id
        self.warnings: list[Problem] = []
        self.hrefs: list[str] = []

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(Problem(message, self.path, line))

    def run(self, text: str, html: bool) -> ImportResult:
        if html:
            reader = _HtmlReader(self.base)
            reader.feed(text)
            reader.close()
            reader.flush()
            for message, line in reader.problems:
                self.warn(message, line)
            blocks = reader.blocks
            self.hrefs = reader.hrefs
            _mark_furniture(blocks)
            title = self.html_title(blocks, reader.page_title)
        else:
            blocks = self.text_blocks(text.split("\n"))
            _mark_furniture(blocks)
            title = self.text_title(blocks)
        blocks = [b for b in blocks if not _repeats_title(b, title)]
        for block in blocks:
            if len(_escape(block.text)) > MAX_TEXT_CHARS:
                raise LeafletsError(
                    f"a paragraph of {len(block.text):,} characters; a leaflet allows "
                    f"{MAX_TEXT_CHARS:,}", self.path, block.line,
                    "split it into shorter paragraphs in the page, then import it again",
                )
        blocks = self.resolve_headings(blocks)
        self.repair_joined_words([b for b in blocks if b.kind != "furniture"])
        intro, questions = self.split(blocks)
        return ImportResult(self.render(title, intro, questions), self.choose_id(title),
                            self.warnings)

    # -- reading ----------------------------------------------------------------

    def text_blocks(self, lines: list[str]) -> list[_Block]:
        """Plain text: one block per paragraph, question or list item.

        A line is joined to the one before when that one ends mid-sentence, unless
        it starts a question or follows a list item with a capital letter.
        """
        lines = [_one_line(line) for line in lines]
        q_style = any(_Q_PREFIX.match(s) for s in lines)
        numbered_style = not q_style and sum(
            1 for s in lines if (m := _NUMBERED.match(s)) and _is_question(m["text"])
        ) >= 2
        plain_style = not (q_style or numbered_style)
        blocks: list[_Block] = []
        open_block: _Block | None = None
        for number, s in enumerate(lines, 1):
            if not s:
                open_block = None
                continue
            if _FURNITURE.fullmatch(s) or (
                    not any(b.kind == "question" for b in blocks)
                    and (_is_crumbs(s) or _COOKIE_WORDS.search(s) or _SITE_NAME.fullmatch(s))):
                blocks.append(_Block("furniture", s, number))
                open_block = None
                continue
            if _FURNITURE_SECTION.fullmatch(s):  # its own block: what follows is furniture
                blocks.append(_Block("para", s, number))
                open_block = None
                continue
            if q_style and (match := _Q_PREFIX.match(s)):
                blocks.append(_Block("question", match["text"], number))
                open_block = None
                continue
            if q_style and (match := _A_PREFIX.match(s)):
                open_block = None
                s = match["text"]
                if not s:
                    continue
            if match := _NUMBERED.match(s):
                kind = "question" if numbered_style and _is_question(match["text"]) else "item"
                blocks.append(_Block(kind, match["text"], number, ordered=True,
                                     number=int(match["n"])))
                open_block = blocks[-1] if kind == "item" else None
                continue
            if match := _BULLET.match(s):
                blocks.append(_Block("item", match["text"], number))
                open_block = blocks[-1]
                continue
            starts_new = plain_style and _is_question(s) and not s[0].islower()
            joins = open_block is not None and not _SENTENCE_END.search(open_block.text) and (
                s[0].islower() or not (starts_new or open_block.kind == "item")
            )
            if open_block and joins:
                if not s[0].islower():
                    self.warn(
                        "joined this line to the line before, which ends mid-sentence; "
                        "check they belong together", number,
                    )
                open_block.text += " " + s
                continue
            if plain_style and _is_question(s):
                blocks.append(_Block("question", s, number))
                open_block = None
                continue
            blocks.append(_Block("para", s, number))
            # The first line of a page is often its title: never join anything to it.
            open_block = blocks[-1] if any(b.kind != "furniture" for b in blocks[:-1]) else None
        return blocks

    def text_title(self, blocks: list[_Block]) -> str:
        """The first line, if it looks like a title rather than a sentence or a question."""
        first = next((b for b in blocks if b.kind != "furniture"), None)
        if first is None or first.kind not in ("para", "heading"):
            return ""
        if len(first.text) > MAX_TITLE or _SENTENCE_END.search(first.text):
            return ""
        return _plain(first.text)

    def html_title(self, blocks: list[_Block], page_title: str) -> str:
        """The first ``<h1>`` that is not a question, else the ``<title>`` before any ' | '."""
        for block in blocks:
            if block.kind == "heading" and block.level == 1 and not _is_question(block.text):
                return _plain(block.text)
        return _one_line(page_title.split(" | ")[0])[:MAX_TITLE]

    # -- structure ----------------------------------------------------------------

    def resolve_headings(self, blocks: list[_Block]) -> list[_Block]:
        """Headings at the level that holds the questions become questions; others go."""
        headings = [b for b in blocks if b.kind == "heading"]
        if not headings:
            return blocks
        asked = Counter(b.level for b in headings if _is_question(b.text))
        other_questions = any(b.kind == "question" for b in blocks)
        if asked:
            level = asked.most_common(1)[0][0]
        elif not other_questions:
            level = Counter(b.level for b in headings).most_common(1)[0][0]
        else:
            level = 0
        out: list[_Block] = []
        for block in blocks:
            if block.kind != "heading":
                out.append(block)
            elif block.level == level:
                out.append(_Block("question", block.text, block.line))
            elif block.level > level > 0:
                self.warn(f"sub-heading '{block.text}' kept as a paragraph of the answer",
                          block.line)
                out.append(_Block("para", block.text, block.line))
            else:
                self.warn(f"section heading '{block.text}' left out: a leaflet has no "
                          "sections; add it to a question if it matters", block.line)
        if not any(b.kind == "question" for b in out):
            for block in out:
                if block.kind == "para" and _is_question(block.text):
                    block.kind = "question"
        return out

    def split(
        self, blocks: list[_Block]
    ) -> tuple[list[_Block], list[tuple[_Block, list[_Block]]]]:
        """The introduction, then each question with its answer blocks."""
        intro: list[_Block] = []
        questions: list[tuple[_Block, list[_Block]]] = []
        last_content = max((i for i, b in enumerate(blocks) if b.kind != "furniture"), default=-1)
        for index, block in enumerate(blocks):
            if block.kind == "question":
                questions.append((block, []))
            elif block.kind != "furniture":
                (questions[-1][1] if questions else intro).append(block)
            elif questions and index < last_content:
                self.warn(f"left out '{block.text}' as page furniture; put it back if it is "
                          "part of the answer", block.line)
        if not questions:
            raise LeafletsError(
                "no questions found", self.path,
                hint="questions are lines ending in '?', 'Q:' lines or headings",
            )
        if intro:
            self.warn("text before the first question kept as the introduction; "
                      "check it is not page furniture", intro[0].line)
        later = Counter(_one_line(q.text).lower() for q, _ in questions)
        kept: list[tuple[_Block, list[_Block]]] = []
        for question, answer in questions:
            key = _one_line(question.text).lower()
            later[key] -= 1
            if not answer and later[key] > 0:
                continue  # a list of contents: the question comes again with its answer
            if not answer:
                self.warn(f"question '{question.text}' has no answer; wrote '{TODO_ANSWER}'",
                          question.line)
                answer.append(_Block("para", TODO_ANSWER, question.line))
            for block in answer:
                if block.kind == "para" and _is_question(block.text):
                    self.warn("this line looks like a question but is kept in the answer "
                              f"to '{question.text}'; make it a question if it is one",
                              block.line)
            kept.append((question, answer))
        return intro, kept

    def repair_joined_words(self, blocks: list[_Block]) -> None:
        """Split words like 'MAPPmeetings' when both halves occur on the page as words."""
        words = Counter(w for b in blocks for w in _WORD.findall(b.text))

        def repair(match: re.Match[str], block: _Block) -> str:
            word = match.group()
            for cut in _CAMEL_JOIN.finditer(word):
                left, right = word[: cut.start()], word[cut.start():]
                if len(left) > 1 and len(right) > 1 and words[left] and words[right]:
                    self.warn(f"'{word}' looks like two words run together; "
                              f"wrote '{left} {right}'", block.line)
                    return f"{left} {right}"
            return word

        for block in blocks:
            block.text = _WORD.sub(lambda m, b=block: repair(m, b), block.text)

    # -- writing ----------------------------------------------------------------

    def choose_id(self, title: str) -> str:
        if self.leaflet_id:
            return self.leaflet_id
        leaflet_id = slugify(title or Path(str(self.path).split("?")[0].rstrip("/")).stem)
        return f"{leaflet_id}-faq" if leaflet_id in RESERVED_IDS else leaflet_id

    def render(
        self, title: str, intro: list[_Block], questions: list[tuple[_Block, list[_Block]]]
    ) -> str:
        if not title:
            self.warn(f"no page title found; wrote '{TODO_TITLE}' in the front matter")
        self.warn("fill in 'summary' and 'organisation' in the front matter: they say TODO")
        front = {
            "id": self.choose_id(title),
            "title": _escape(title) if title else TODO_TITLE,
            "summary": TODO_SUMMARY,
            "organisation": TODO_ORGANISATION,
        }
        parts = ["---\n" + "".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front.items()
        ) + "language: en-GB\n---"]
        parts += _markdown_blocks(intro, self.hrefs)
        used: set[str] = set()
        for question, answer in questions:
            qid = _unique_id(question_slug(question.text), used)
            parts.append(f"## {_escape(_plain(question.text))} {{#{qid}}}")
            parts += _markdown_blocks(answer, self.hrefs)
        return "\n\n".join(parts) + "\n"


def _repeats_title(block: _Block, title: str) -> bool:
    return bool(title) and block.kind != "question" and _plain(block.text).lower() == \
        title.lower()


def _unique_id(base: str, used: set[str]) -> str:
    qid, count = base, 1
    while qid in used:
        count += 1
        qid = f"{base}-{count}"
    used.add(qid)
    return qid


def _markdown_blocks(blocks: list[_Block], hrefs: list[str]) -> list[str]:
    """Paragraphs, lists and tables as Markdown, one string per paragraph, list or table."""
    out: list[str] = []

    def md(text: str) -> str:
        return _with_links(text, hrefs)

    for group in _groups(_labelled_lists(blocks)):
        first = group[0]
        if first.kind == "table":
            out.append(first.text)
        elif first.kind == "para":
            out.append(md(first.text))
        elif not first.ordered:
            out.append("\n".join(f"- {md(b.text)}" for b in group))
        elif _counts_up([b.number for b in group]) and len(group) > 1:
            out.append("\n".join(f"{first.number + i}. {md(b.text)}"
                                 for i, b in enumerate(group)))
        else:
            out += [md(f"{b.number}. {b.text}") for b in group]
    return out


def _with_links(text: str, hrefs: list[str]) -> str:
    """Escaped Markdown of a block's text, its links written as ``[text](address)``."""
    out, pos = [], 0
    for match in _LINK.finditer(text):
        before = text[pos:match.start()]
        out.append(_escape(before) if pos == 0 else _escape_inline(before))
        inner = _one_line(match[1])
        if inner:
            link = f"[{_escape_inline(inner)}]({_link_target(hrefs[int(match[2])])})"
            out.append(link)
        pos = match.end()
    rest = text[pos:]
    out.append(_escape(rest) if pos == 0 else _escape_inline(rest))
    return "".join(out)


def _escape_inline(text: str) -> str:
    """Escape inline markup only (the text is not at the start of a line)."""
    return _ENTITY.sub(r"\\&", _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text))


def _link_target(href: str) -> str:
    """A link address Markdown reads back whole: spaces and brackets percent-encoded."""
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace(
        "<", "%3C").replace(">", "%3E")


def _groups(blocks: Iterable[_Block]) -> list[list[_Block]]:
    """Runs of list items of one kind; each paragraph alone."""
    groups: list[list[_Block]] = []
    for block in blocks:
        previous = groups[-1][-1] if groups else None
        if (block.kind == "item" and previous is not None and previous.kind == "item"
                and previous.ordered == block.ordered):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _labelled_lists(blocks: list[_Block]) -> list[_Block]:
    """Paragraphs like 'Level 1 – …', 'Level 2 – …' in a row become bulleted items."""
    out = list(blocks)
    start = 0
    while start < len(out):
        end = start
        labels: list[tuple[str, str]] = []
        while end < len(out) and out[end].kind == "para" and (
            match := _LABELLED.match(out[end].text)
        ):
            labels.append((match["label"], match["n"]))
            end += 1
        if len(labels) > 1 and len({label for label, _ in labels}) == 1 and _counts_up(
            [int(n) if n.isdigit() else ord(n) for _, n in labels]
        ):
            for block in out[start:end]:
                block.kind = "item"
            start = end
        else:
            start += 1
    return out


def _markdown_table(rows: list[list[tuple[str, bool]]]) -> str:
    """A GitHub-style Markdown table; the first row is the header (a table without header
    cells gets its first row as the header all the same: Markdown tables need one)."""
    width = max(len(row) for row in rows)

    def line(cells: list[str]) -> str:
        cells = [*cells, *[""] * (width - len(cells))]
        return "| " + " | ".join(_escape_inline(c).replace("|", "\\|") for c in cells) + " |"

    head, *body = rows
    return "\n".join([line([c for c, _ in head]), "| " + " | ".join(["---"] * width) + " |",
                      *(line([c for c, _ in row]) for row in body)])


def _counts_up(numbers: list[int]) -> bool:
    return all(b == a + 1 for a, b in pairwise(numbers))


class _HtmlReader(HTMLParser):
    """Blocks from HTML: ``h1``–``h6``, ``dt``/``summary`` as questions, ``li`` as items."""

    BLOCK = frozenset((
        "p", "div", "section", "article", "main", "aside", "li", "ul", "ol", "dl", "dt", "dd",
        "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
        "blockquote", "pre", "address", "figure", "figcaption", "body", "nav", "header",
        "footer", "form",
    ))
    """Elements that start and end a block of text; any other element is inline."""
    SKIP = frozenset((
        "script", "style", "nav", "header", "footer", "form", "button", "select", "noscript",
        "svg", "template", "iframe", "textarea",
    ))
    VOID = frozenset((
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ))
    QUESTIONS = frozenset(("dt", "summary"))

    def __init__(self, base: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.hrefs: list[str] = []
        self.link_open = False
        self.table: list[list[tuple[str, bool]]] | None = None
        self.blocks: list[_Block] = []
        self.problems: list[tuple[str, int]] = []
        self.page_title = ""
        self.stack: list[tuple[str, bool]] = []
        self.counts: list[int] = []
        self.buffer: list[str] = []
        self.line = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("base", "link", "meta"):
            self.note_base(dict(attrs))
            return
        if tag in self.VOID:
            if tag in ("br", "hr") and self.kind()[0] in ("para", "item"):
                self.flush()
            elif tag in ("br", "hr"):
                self.buffer.append(" ")
            return
        values = dict(attrs)
        if tag == "a":
            self.open_link(values.get("href") or "")
            return
        if tag in ("table", "tr", "td", "th") and not self.skipped():
            self.table_tag(tag)
        marks = f"{values.get('class') or ''} {values.get('id') or ''}"
        skip = (tag in self.SKIP or "hidden" in values or values.get("aria-hidden") == "true"
                or values.get("role") in ("navigation", "banner", "contentinfo", "search")
                or bool(_HTML_FURNITURE.search(marks)))
        if tag in self.BLOCK:
            self.flush()
        if tag in ("ul", "ol"):
            if any(t == "li" for t, _ in self.stack):
                self.problems.append(("a list inside a list item: written as one flat list",
                                      self.getpos()[0]))
            self.counts.append(0)
        elif tag == "li" and self.counts:
            self.counts[-1] += 1
        self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.close_link()
            return
        if tag in ("td", "th", "table") and self.table is not None:
            self.table_end(tag)
        found = [i for i, (t, _) in enumerate(self.stack) if t == tag]
        if not found:
            return
        if any(t in self.BLOCK for t, _ in self.stack[found[-1]:]):
            self.flush()
        for t, _ in self.stack[found[-1]:]:
            if t in ("ul", "ol") and self.counts:
                self.counts.pop()
        del self.stack[found[-1]:]

    def skipped(self) -> bool:
        return any(skip for _, skip in self.stack)

    def note_base(self, values: dict[str, str | None]) -> None:
        """The page's own address (``<base>``, its canonical link or ``og:url``), against
        which its relative links are read."""
        href = values.get("href") if values.get("rel") in (None, "canonical") else None
        found = href or (values.get("content") if values.get("property") == "og:url" else None)
        if found and found.startswith(("https://", "http://")) and not self.base:
            self.base = found

    def open_link(self, href: str) -> None:
        """Start a link: kept as a Markdown link if its address is absolute (or made so
        from the page's address) and of a scheme a leaflet links."""
        href = href.strip()
        if self.link_open or self.skipped() or not href or href.startswith("#"):
            return
        if not href.lower().startswith(_LINK_SCHEMES):
            if ":" in href.split("/", 1)[0]:
                self.problems.append((f"the link '{href[:60]}' is not a web, e-mail or phone "
                                      "link: kept its text only", self.getpos()[0]))
                return
            if not self.base:
                self.problems.append((f"the link '{href[:60]}' does not say which site it is "
                                      "on: kept its text only (import the page by its address "
                                      "to keep it)", self.getpos()[0]))
                return
            href = urljoin(self.base, href)
        self.hrefs.append(href)
        self.buffer.append("\x01")
        self.link_open = True

    def close_link(self) -> None:
        if self.link_open:
            self.buffer.append(f"\x02{len(self.hrefs) - 1}\x03")
            self.link_open = False

    def table_tag(self, tag: str) -> None:
        """Tables are read cell by cell into Markdown rows, written as one block."""
        if tag == "table":
            self.flush()
            self.table = []
        elif self.table is not None and tag == "tr":
            self.table.append([])
        elif self.table is not None:  # a cell holds its own text only
            self.buffer.clear()

    def table_end(self, tag: str) -> None:
        assert self.table is not None
        if tag in ("td", "th"):
            self.close_link()
            text = _one_line(_plain("".join(self.buffer)))
            self.buffer.clear()
            if not self.table:
                self.table.append([])
            self.table[-1].append((text, tag == "th"))
        else:
            rows, self.table = [r for r in self.table if r], None
            if rows and not all(header for _, header in rows[0]):
                self.problems.append(("a table without header cells: its first row is "
                                      "written as the header; check it", self.line))
            if rows:
                self.blocks.append(_Block("table", _markdown_table(rows), self.line))

    def handle_data(self, data: str) -> None:
        if self.skipped():
            return
        if self.stack and self.stack[-1][0] == "title":
            self.page_title += data
            return
        if data.strip() and not "".join(self.buffer).strip():
            self.line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self.buffer.append(data)

    def kind(self) -> tuple[str, int, bool]:
        """What text here is: (kind, heading level, in a numbered list)."""
        for index in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[index][0]
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                return "heading", int(tag[1]), False
            if tag in self.QUESTIONS:
                return "question", 0, False
            if tag == "li":
                lists = [t for t, _ in self.stack[:index] if t in ("ul", "ol")]
                return "item", 0, bool(lists) and lists[-1] == "ol"
        return "para", 0, False

    def flush(self) -> None:
        if self.table is not None:
            return  # a cell's text waits for its end tag
        self.close_link()
        text = _one_line("".join(self.buffer))
        self.buffer.clear()
        if not text:
            return
        kind, level, ordered = self.kind()
        number = self.counts[-1] if self.counts else 0
        if kind == "para" and _FURNITURE.fullmatch(_plain(text)):
            kind = "furniture"
        self.blocks.append(_Block(kind, text, self.line, level, ordered, number))
