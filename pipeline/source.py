"""Read a leaflet's Markdown source into a :class:`~pipeline.model.Leaflet`.

The format (see the README for an example):

* YAML front matter: ``id``, ``title``, ``summary``, ``organisation``,
  ``contact`` (``phone``, ``text-relay``, ``email``, ``web``, ``address``), ``date``,
  ``version`` and ``language`` (default ``en-GB``).
* Paragraphs before the first question are the introduction.
* ``## Question? {#stable-id}``: one per question; the answer follows as
  paragraphs and bulleted or numbered lists.
* ``::: easy-read`` … ``:::`` inside a question: a bulleted list, one sentence
  per item, each starting with its picture key: ``- [meeting] Offenders do not go.``
  An optional first line ``# Question in easy words?`` is its easy-read heading.
  The same block before the first question is the easy-read introduction.
* ``easy:`` in the front matter: ``title`` and ``summary`` in easy words.
* ``::: glossary`` … ``:::``: the hard words, as a definition list
  (``Term`` on one line, ``: explanation`` on the next).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date as Date
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .catalog.languages import web_code
from .errors import LeafletsError, Problem
from .files import read_text, write_atomic
from .hardwords import bold_terms, term_index
from .model import (
    SOURCE_LANGUAGE,
    Block,
    Contact,
    EasyFront,
    EasySentence,
    GlossaryEntry,
    ItemList,
    Leaflet,
    Paragraph,
    Question,
    Table,
    Text,
)
from .pictograms import PICTOGRAMS

MAX_SOURCE_BYTES = 5_000_000
MAX_TEXT_CHARS = 10_000
MAX_FRONT_MATTER_DEPTH = 4
"""The front matter nests two deep (contact: then its lines); a little room beyond that."""
"""The longest paragraph, list item or heading: about 1,500 words, 10 minutes of speech."""
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
RESERVED_IDS = frozenset({
    "leaflets", "leaflet", "glossary",
    # Windows refuses these as file names, whatever follows a dot: con.cy.pdf too.
    "con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10)),
})
_HEADING_ID = re.compile(r"\s*\{#([^}\s]*)\}\s*$")
_PICTURE = re.compile(r"^\[([a-z0-9-]+)(,\s*alt)?\]\s+")
_FRONT_MATTER_KEYS = {
    "id", "title", "summary", "organisation", "contact", "date", "version", "language", "easy",
}


def markdown_parser() -> MarkdownIt:
    """The one Markdown parser of the project: CommonMark plus our containers."""
    return (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(container_plugin, name="easy-read")
        .use(container_plugin, name="glossary")
        .use(deflist_plugin)
    )


def normalise(markdown: str) -> str:
    """Fold soft line breaks and runs of spaces: reflowing a source changes no text."""
    lines = markdown.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        hard = i < len(lines) - 1 and (line.endswith("  ") or line.endswith("\\"))
        line = " ".join(line.split())
        if hard:
            line = line.rstrip("\\").rstrip() + "\\\n"
        elif i < len(lines) - 1:
            line += " "
        out.append(line)
    return "".join(out).strip()


def slugify(text: str) -> str:
    """A stable id from a heading: lower case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = "-".join(words)[:60].strip("-")
    return slug or "question"


def question_slug(heading: str) -> str:
    """The id a question without ``{#id}`` gets: its slug, never a reserved id."""
    slug = slugify(heading)
    return f"{slug}-question" if slug in RESERVED_IDS else slug


@dataclass
class SourceResult:
    """A leaflet read from source, with the warnings found on the way.

    ``missing_ids`` maps a question heading's line number to the id derived for
    it; :func:`write_missing_ids` writes them into the file once.
    """

    leaflet: Leaflet
    problems: list[Problem] = field(default_factory=list)
    missing_ids: dict[int, str] = field(default_factory=dict)


def read_leaflet(path: Path) -> SourceResult:
    """Read and check one source file. Raises :class:`LeafletsError` on bad input."""
    text = read_text(path, what="source", limit=MAX_SOURCE_BYTES,
                     hint="split it into several leaflets")
    return parse_leaflet(text, path)


def parse_leaflet(text: str, path: Path | str = "<string>") -> SourceResult:
    """Parse source text (see the module docstring for the format)."""
    return _Reader(text, Path(path)).read()


class _Reader:
    def __init__(self, text: str, path: Path) -> None:
        self.text = _clean_controls(text)
        self.path = path
        self.problems: list[Problem] = []
        self.missing_ids: dict[int, str] = {}
        self.language = SOURCE_LANGUAGE
        """The front matter's ``language``: the language of every text in the file."""

    def error(self, message: str, line: int | None, hint: str | None = None) -> LeafletsError:
        return LeafletsError(message, self.path, line, hint)

    def check_length(self, text: str, line: int | None) -> None:
        """Refuse a text longer than :data:`MAX_TEXT_CHARS` (the audio would run for hours)."""
        if len(text) > MAX_TEXT_CHARS:
            raise self.error(
                f"this text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}",
                line, "split it into shorter paragraphs",
            )

    def warn(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, self.path, line))

    def read(self) -> SourceResult:
        tokens = markdown_parser().parse(self.text)
        if not tokens or tokens[0].type != "front_matter":
            raise self.error(
                "no front matter",
                1,
                "start the file with '---', then id, title, summary and organisation, then '---'",
            )
        meta = self.front_matter(tokens[0])
        pos = 1
        intro, pos = self.blocks(tokens, pos, context="introduction")
        easy_intro: list[EasySentence] = []
        if pos < len(tokens) and tokens[pos].type == "container_easy-read_open":
            heading, easy_intro, pos = self.easy_read(tokens, pos)
            if heading is not None:
                raise self.error("a heading in the easy-read introduction", heading.line,
                                 "put the easy-read title in the front matter, under 'easy:'")
            more, pos = self.blocks(tokens, pos, context="introduction")
            intro += more
        questions: list[Question] = []
        glossary: list[GlossaryEntry] = []
        seen: dict[str, int] = {}
        while pos < len(tokens):
            tok = tokens[pos]
            line = _line(tok)
            if tok.type == "heading_open" and tok.tag == "h2":
                question, pos = self.question(tokens, pos)
                if question.id in seen:
                    raise self.error(
                        f"question id '{question.id}' is used twice (first on line "
                        f"{seen[question.id]})",
                        line,
                        "give each question its own {#id}",
                    )
                seen[question.id] = line
                questions.append(question)
            elif tok.type == "container_glossary_open":
                if glossary:
                    raise self.error("a second glossary", line, "keep one '::: glossary'")
                glossary, pos = self.glossary(tokens, pos)
            elif tok.type == "heading_open":
                raise self.error(
                    f"a level-{tok.tag[1]} heading here",
                    line,
                    "use '## Question?' for questions; the title goes in the front matter",
                )
            else:
                raise self.error(
                    f"unexpected {_describe(tok)} after the questions",
                    line,
                    "move it under a '## question' or into the introduction",
                )
        if not questions:
            raise self.error("no questions", None, "add at least one '## Question? {#id}'")
        if glossary:
            index = term_index(glossary)

            def linked(sentences: Sequence[EasySentence]) -> tuple[EasySentence, ...]:
                return tuple(replace(s, terms=bold_terms(s.text.markdown, index))
                             for s in sentences)

            questions = [replace(q, easy_read=linked(q.easy_read)) for q in questions]
            easy_intro = list(linked(easy_intro))
        meta["easy"] = replace(meta["easy"], intro=tuple(easy_intro))
        leaflet = Leaflet(
            questions=tuple(questions),
            intro=intro,
            glossary=tuple(glossary),
            source_path=str(self.path),
            **meta,
        )
        return SourceResult(leaflet, self.problems, self.missing_ids)

    def front_matter(self, tok: Token) -> dict:
        self.refuse_yaml_bombs(tok.content)
        try:
            data = yaml.safe_load(tok.content) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise self.error(
                f"front matter: {problem}", line, "check quotes and colons"
            ) from None
        except ValueError as exc:  # a date YAML reads but no calendar has: 2026-13-40
            raise self.error(f"front matter: {exc}", _key_line(tok.content, "date"),
                             "write the date as YYYY-MM-DD") from None
        if not isinstance(data, dict):
            raise self.error("front matter is not a list of 'key: value' lines", 2)
        unknown = sorted(set(map(str, data)) - _FRONT_MATTER_KEYS)
        if unknown:
            raise self.error(
                f"unknown front matter key '{unknown[0]}'",
                _key_line(tok.content, unknown[0]),
                f"use only {', '.join(sorted(_FRONT_MATTER_KEYS))}",
            )
        for key in ("id", "title", "summary", "organisation"):
            if not isinstance(data.get(key), str | int) or not str(data[key]).strip():
                raise self.error(
                    f"front matter needs '{key}'", _key_line(tok.content, key) or 2,
                    f"add a line '{key}: ...'",
                )
        leaflet_id = str(data["id"])
        if not ID_PATTERN.fullmatch(leaflet_id) or leaflet_id in RESERVED_IDS:
            raise self.error(
                f"leaflet id {leaflet_id[:90]!r} is not allowed",
                _key_line(tok.content, "id"),
                "use lower-case letters, digits and hyphens, like 'mappa-faq', and not a "
                "reserved name (leaflets, leaflet, glossary, con, nul, aux, prn, com1, lpt1)",
            )
        contact = data.get("contact") or {}
        if not isinstance(contact, dict):
            raise self.error("'contact' must hold phone, email, web and address lines",
                             _key_line(tok.content, "contact"))
        bad = sorted(set(map(str, contact)) - {"phone", "text-relay", "email", "web", "address"})
        if bad:
            raise self.error(f"unknown contact key '{bad[0]}'", _key_line(tok.content, bad[0]),
                             "use phone, text-relay, email, web and address")
        try:
            language = self.language = web_code(str(data.get("language") or SOURCE_LANGUAGE))
        except LeafletsError as exc:
            raise self.error(exc.message, _key_line(tok.content, "language"), exc.hint) from None
        fm_line = 2

        def text(key: str, value: object, after: int = 0) -> Text:
            line = _key_line(tok.content, key, after) or fm_line
            self.check_length(str(value), line)
            return Text(normalise(str(value)), language, line)

        easy = data.get("easy") or {}
        if not isinstance(easy, dict):
            raise self.error("'easy' must hold title and summary lines",
                             _key_line(tok.content, "easy"))
        easy_line = _key_line(tok.content, "easy") or 0
        bad = sorted(set(map(str, easy)) - {"title", "summary"})
        if bad:
            raise self.error(f"unknown easy-read key '{bad[0]}'",
                             _key_line(tok.content, bad[0], easy_line),
                             "use title and summary under 'easy:'")
        for key, value in easy.items():
            if not isinstance(value, str | int) or not str(value).strip():
                raise self.error(f"'easy: {key}' must be a line of text",
                                 _key_line(tok.content, str(key), easy_line),
                                 f"write {key}: \"...\" under 'easy:'")
        raw_date = data.get("date")
        version = data.get("version")
        if raw_date is not None and not isinstance(raw_date, Date | str):
            raise self.error("'date' must look like 2026-11-24", _key_line(tok.content, "date"))
        return {
            "id": leaflet_id,
            "lang": language,
            "title": text("title", data["title"]),
            "summary": text("summary", data["summary"]),
            "organisation": text("organisation", data["organisation"]),
            "contact": Contact(
                phone=_opt(contact.get("phone")),
                email=_opt(contact.get("email")),
                web=_opt(contact.get("web")),
                text_relay=_opt(contact.get("text-relay")),
                address=(
                    text("address", contact["address"]) if contact.get("address") else None
                ),
            ),
            "easy": EasyFront(**{key: text(key, value, easy_line) for key, value in easy.items()}),
            "date": "" if raw_date is None else str(raw_date),
            "version": "" if version is None else str(version),
        }

    def refuse_yaml_bombs(self, content: str) -> None:
        """Refuse what no leaflet needs and an attacker would use: aliases (``*name``,
        which can multiply a few bytes into gigabytes) and deep nesting (a recursion
        error). Read as a stream of events, which takes neither."""
        depth = 0
        try:
            for event in yaml.parse(content, Loader=yaml.SafeLoader):
                line = event.start_mark.line + 2
                if isinstance(event, yaml.AliasEvent):
                    raise self.error("front matter: an alias (*name) is not allowed", line,
                                     "write the value itself")
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_FRONT_MATTER_DEPTH:
                        raise self.error(
                            f"front matter is nested more than {MAX_FRONT_MATTER_DEPTH} deep",
                            line, "use 'key: value' lines, and contact: with its lines")
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.YAMLError:
            return  # said with its line by the loader

    def blocks(
        self, tokens: list[Token], pos: int, context: str
    ) -> tuple[tuple[Block, ...], int]:
        """Paragraphs and lists from ``pos`` up to the next heading or container."""
        out: list[Block] = []
        while pos < len(tokens):
            tok = tokens[pos]
            if tok.type == "paragraph_open":
                out.append(Paragraph(self.inline(tokens[pos + 1])))
                pos += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                items, pos = self.list_items(tokens, pos)
                start = int(tok.attrs.get("start", 1) or 1)
                out.append(ItemList(tuple(items), tok.type == "ordered_list_open", start))
            elif tok.type == "heading_open" or tok.type.startswith("container_"):
                break
            elif tok.type == "table_open":
                table, pos = self.table(tokens, pos)
                out.append(table)
            elif tok.type == "hr":
                pos += 1
            else:
                raise self.error(
                    f"{_describe(tok)} is not allowed in {context}",
                    _line(tok),
                    "use paragraphs and bulleted or numbered lists",
                )
        return tuple(out), pos

    def table(self, tokens: list[Token], pos: int) -> tuple[Table, int]:
        """A Markdown table: its header row and body rows, a text per cell."""
        rows: list[list[Text]] = []
        while tokens[pos].type != "table_close":
            tok = tokens[pos]
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline":
                rows[-1].append(self.inline(tok))
            pos += 1
        header, *body = rows
        width = len(header)
        return Table(tuple(header), tuple(
            tuple([*row, *[Text("", self.language)] * (width - len(row))][:width])
            for row in body)), pos + 1

    def list_items(self, tokens: list[Token], pos: int) -> tuple[list[Text], int]:
        close = tokens[pos].type.replace("_open", "_close")
        level = tokens[pos].level
        items: list[Text] = []
        pos += 1
        while not (tokens[pos].type == close and tokens[pos].level == level):
            tok = tokens[pos]
            if tok.type == "list_item_open":
                parts: list[Text] = []
                pos += 1
                while tokens[pos].type != "list_item_close":
                    inner = tokens[pos]
                    if inner.type == "paragraph_open":
                        parts.append(self.inline(tokens[pos + 1]))
                        pos += 3
                    else:
                        raise self.error(
                            f"{_describe(inner)} inside a list item is not supported",
                            _line(inner),
                            "keep one paragraph per item and no nested lists",
                        )
                if len(parts) != 1:
                    raise self.error(
                        "a list item must hold exactly one paragraph",
                        _line(tok),
                        "split it into several items, or remove the blank line inside it",
                    )
                items.append(parts[0])
            pos += 1
        return items, pos + 1

    def inline(self, tok: Token) -> Text:
        line = _line(tok)
        self.check_length(tok.content, line)
        if any(child.type == "html_inline" for child in tok.children or ()):
            self.warn("HTML in the source is shown as text, not as markup", line)
        return Text(normalise(tok.content), self.language, line)

    def question(self, tokens: list[Token], pos: int) -> tuple[Question, int]:
        line = _line(tokens[pos])
        inline = tokens[pos + 1]
        content = normalise(inline.content)
        match = _HEADING_ID.search(content)
        if match:
            qid = match.group(1)
            content = content[: match.start()].rstrip()
            if not ID_PATTERN.fullmatch(qid) or qid in RESERVED_IDS:
                raise self.error(
                    f"question id '{qid}' is not allowed",
                    line,
                    "use lower-case letters, digits and hyphens, like {#offenders-at-meetings}",
                )
        else:
            qid = question_slug(content)
            setext = tokens[pos].markup in ("-", "=")  # the id goes on its last text line
            self.missing_ids[tokens[pos].map[1] - 1 if setext and tokens[pos].map else line] = qid
            self.warn(
                f"question has no id; using {{#{qid}}} "
                "('leaflets update' writes it into the file)",
                line,
            )
        if not content:
            raise self.error("empty question heading", line, "write the question after '## '")
        heading = Text(content, self.language, line)
        blocks, pos = self.blocks(tokens, pos + 3, context="an answer")
        easy: list[EasySentence] = []
        easy_heading: Text | None = None
        while pos < len(tokens) and tokens[pos].type == "container_easy-read_open":
            if easy:
                raise self.error(
                    "a second easy-read part for one question", _line(tokens[pos]),
                    "keep one '::: easy-read' per question",
                )
            easy_heading, easy, pos = self.easy_read(tokens, pos)
            more, pos = self.blocks(tokens, pos, context="an answer")
            blocks += more
        if not blocks:
            raise self.error(
                f"question '{content}' has no answer", line, "write the answer below the heading"
            )
        if not easy:
            self.warn(f"question '{qid}' has no easy-read version", line)
        return Question(qid, heading, blocks, tuple(easy), easy_heading), pos

    def easy_read(
        self, tokens: list[Token], pos: int
    ) -> tuple[Text | None, list[EasySentence], int]:
        """An easy-read part: its optional ``# heading``, then its sentences."""
        open_line = _line(tokens[pos])
        pos += 1
        heading: Text | None = None
        if tokens[pos].type == "heading_open" and tokens[pos].tag == "h1":
            heading = self.inline(tokens[pos + 1])
            if not heading.markdown:
                raise self.error("empty easy-read heading", heading.line,
                                 "write the question in easy words after '# '")
            pos += 3
        sentences: list[EasySentence] = []
        while tokens[pos].type != "container_easy-read_close":
            tok = tokens[pos]
            if tok.type != "bullet_list_open":
                raise self.error(
                    f"{_describe(tok)} in easy read", _line(tok),
                    "write each easy-read sentence as '- [picture] Sentence.'",
                )
            items, pos = self.list_items(tokens, pos)
            for item in items:
                match = _PICTURE.match(item.markdown)
                if not match:
                    raise self.error(
                        "easy-read sentence without a picture", item.line,
                        "start it with a picture key, like '- [meeting] ...'",
                    )
                key = match.group(1)
                if key not in PICTOGRAMS:
                    raise self.error(
                        f"unknown picture '{key}'", item.line,
                        f"use one of: {', '.join(sorted(PICTOGRAMS))}",
                    )
                body = item.markdown[match.end():].strip()
                if not body:
                    raise self.error("easy-read sentence is empty", item.line)
                sentences.append(EasySentence(Text(body, self.language, item.line), key,
                                              described=bool(match.group(2))))
        if not sentences:
            raise self.error("empty easy-read part", open_line, "add '- [picture] Sentence.' lines")
        return heading, sentences, pos + 1

    def glossary(self, tokens: list[Token], pos: int) -> tuple[list[GlossaryEntry], int]:
        open_line = _line(tokens[pos])
        pos += 1
        entries: list[GlossaryEntry] = []
        ids: set[str] = set()
        term: Text | None = None
        while tokens[pos].type != "container_glossary_close":
            tok = tokens[pos]
            if tok.type == "dt_open":
                term = self.inline(tokens[pos + 1])
                pos += 3
            elif tok.type == "dd_open":
                pos += 1
                parts: list[Text] = []
                while tokens[pos].type != "dd_close":
                    if tokens[pos].type == "paragraph_open":
                        parts.append(self.inline(tokens[pos + 1]))
                        pos += 3
                    else:
                        raise self.error(
                            f"{_describe(tokens[pos])} in a glossary explanation",
                            _line(tokens[pos]), "keep each explanation to one paragraph",
                        )
                pos += 1
                if term is None or len(parts) != 1:
                    raise self.error(
                        "glossary explanation without its own term", _line(tok),
                        "write the term on one line and ': explanation' on the next",
                    )
                entry_id = slugify(term.markdown)
                if entry_id in ids:
                    raise self.error(f"glossary term '{term}' appears twice", term.line)
                ids.add(entry_id)
                entries.append(GlossaryEntry(entry_id, term, parts[0]))
                term = None
            elif tok.type in ("dl_open", "dl_close"):
                pos += 1
            else:
                raise self.error(
                    f"{_describe(tok)} in the glossary", _line(tok),
                    "write each hard word as 'Term' then ': explanation' on the next line",
                )
        if term is not None:
            raise self.error(f"glossary term '{term}' has no explanation", term.line,
                             "add ': explanation' on the next line")
        if not entries:
            raise self.error("empty glossary", open_line, "add 'Term' and ': explanation' lines")
        return entries, pos + 1


_LINE_ENDS = re.compile(r"(\r\n|\r|\n)")
_ATX = re.compile(r"^( {0,3}#{1,6}(?:[ \t].*?)??)((?:[ \t]+#+)?[ \t]*)$")
"""An ATX heading line: (the opening sequence and text, the closing sequence and spaces)."""


def write_missing_ids(path: Path, missing: dict[int, str]) -> None:
    """Write ``{#id}`` into the question headings on the given lines, in place, changing
    nothing else: the line endings, a byte-order mark and an ATX heading's closing ``##``
    stay as they are. ``missing`` gives the line the id goes on (the last text line of a
    setext heading)."""
    if not missing:
        return
    parts = _LINE_ENDS.split(path.read_bytes().decode("utf-8"))
    lines, ends = parts[0::2], parts[1::2]
    for line, qid in missing.items():
        text = lines[line - 1]
        atx = _ATX.match(text)
        if atx:
            lines[line - 1] = f"{atx.group(1).rstrip()} {{#{qid}}}{atx.group(2)}"
        else:
            stripped = text.rstrip(" \t")
            lines[line - 1] = f"{stripped} {{#{qid}}}{text[len(stripped):]}"
    joined = "".join(line + end for line, end in zip(lines, [*ends, ""], strict=True))
    write_atomic(path, joined.encode("utf-8"))


def _clean_controls(text: str) -> str:
    """Drop control characters other than tab and newline, and U+FFFE and U+FFFF, which
    no XML can hold (they break every output)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text
        if ch in "\t\n" or (unicodedata.category(ch) != "Cc" and ch not in "\ufffe\uffff")
    )


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


def _key_line(front_matter: str, key: str, after: int = 0) -> int | None:
    """The line of ``key:`` in the front matter (the first after line ``after``)."""
    for number, line in enumerate(front_matter.split("\n"), start=2):
        if number > after and re.match(rf"^\s*{re.escape(key)}\s*:", line):
            return number
    return None


def _opt(value: object) -> str | None:
    return None if value is None else " ".join(str(value).split()) or None


def _describe(tok: Token) -> str:
    names = {
        "fence": "a code block",
        "code_block": "an indented code block",
        "blockquote_open": "a quotation",
        "html_block": "an HTML block",
        "heading_open": "a heading",
        "bullet_list_open": "a list",
        "ordered_list_open": "a numbered list",
        "paragraph_open": "a paragraph",
        "container_glossary_open": "a glossary",
        "container_easy-read_open": "an easy-read part",
        "dl_open": "a definition list",
    }
    return names.get(tok.type, f"'{tok.type.replace('_open', '')}'")
