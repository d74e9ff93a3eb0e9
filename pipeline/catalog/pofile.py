"""Read and write PO files; the writer's output is byte-identical to GNU gettext 0.21's msgcat."""

from __future__ import annotations

import contextlib
import gettext
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import polib

from pipeline.errors import LeafletsError
from pipeline.files import read_bytes, write_atomic

PAGE_WIDTH = 79
MAX_CATALOGUE_BYTES = 20_000_000
MAX_NPLURALS = 6
"""CLDR needs at most six plural forms (Arabic); more is a mistake, and each form is
written for every plural message."""

_DIRECT, _INDIRECT, _NEVER = 0, 1, 2

# Line breaking follows UAX #14 exactly as libunistring 1.0 (which msgcat uses) does it.
# Neither Python's unicodedata nor ICU (PyICU) gives libunistring's classes: ICU has newer
# rules and its own tailorings, and unicodedata has no line-break property at all.  So the
# class and width of every code point come from a table measured on libunistring itself
# (tools/make_linebreak_table.py writes linebreak.txt; tests/test_pofile.py compares our
# output with real msgcat over all of Unicode).  Classes AI, SA and XX behave as AL there,
# CB and CJ as ID and NS; "OW" is an East Asian wide opening bracket, which (AL|HL|NU) may
# break before.  The pair table was measured on libunistring's u8_possible_linebreaks:
# D = break allowed, I = break only after a space, P = no break.  Rows: class before;
# columns: after.  BK, SP, ZW, CM and ZWJ are handled by the code, not the table.
_CLASSES = (
    "WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI EB EM OW "
    "BK SP ZW CM ZWJ"
)
_PAIRS = """
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PIPIDIPPPIIDIPDDDPDDDDDDDDDDDD
PDDIDIPPPIIDIPDDDPDDDDDDDDDDDD
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PDDIDIPPPIIDIPIDDPDDDDDDDDDDDD
PIDIDIPPPIPDIPDIIPDDDDDDDDDDDD
PIDIDIPPPIIDIPIIIPIDDDDDDIDDDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDDDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDDDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PIIIIIPPPIIPIPIIIPIIIIIIIIIIIP
PIDIDIPPPIIDIPIDDPDDDDDDDDDDDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDDDD
PIDIDIPPPIIIIPIDDPIDDDDDDIDDDI
PIDIDIPPPIIIIPIDDPIIIIIIIIDIII
PIDIDIPPPIIDIPIDDPDDDDDDDIDDDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDDDD
PIDIDIPPPIIDIPDIDPDDDDDIIDDDDD
PIDIDIPPPIIDIPDIDPDDDDDDIDDDDD
PIDIDIPPPIIDIPDIDPDDDDDDDDDDDD
PIDIDIPPPIIDIPDIDPDIIDIIDDDDDD
PIDIDIPPPIIDIPDIDPDDDDDIIDDDDD
PIDIDIPPPIIDIPDIDPDDDDDDIDDDDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDDDD
PIDIDIPPPIIDIPDDDPDDDDDDDDIDDD
PIDIDIPPPIIDIPDIDPDDDDDDDDDDID
PIDIDIPPPIIDIPDIDPDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
"""
_INDEX = {name: i for i, name in enumerate(_CLASSES.split())}
_TABLE = [[{"D": _DIRECT, "I": _INDIRECT, "P": _NEVER}[c] for c in row] for row in _PAIRS.split()]
_AL, _BK, _SP, _ZW, _CM, _ZWJ = (_INDEX[name] for name in ("AL", "BK", "SP", "ZW", "CM", "ZWJ"))


@cache
def _properties() -> tuple[bytearray, bytearray]:
    """The line-break class index and the column width of every code point."""
    classes, widths = bytearray(0x110000), bytearray(0x110000)
    rows = [line.split() for line in
            (Path(__file__).with_name("linebreak.txt")).read_text("ascii").splitlines()
            if not line.startswith("#")]
    ends = [int(row[0], 16) for row in rows[1:]] + [0x110000]
    for (start, name, width), end in zip(rows, ends, strict=True):
        first, count = int(start, 16), end - int(start, 16)
        classes[first:end] = bytes([_INDEX[name]]) * count
        widths[first:end] = bytes([int(width)]) * count
    return classes, widths


_PROHIBITED, _POSSIBLE, _MANDATORY = 1, 2, 3


def _possible_breaks(text: str) -> list[int]:
    """Break opportunities before each character: libunistring's u8_possible_linebreaks."""
    classes = _properties()[0]
    result = [_PROHIBITED] * len(text)
    last = _BK  # class of the last non-space character
    space = False  # was there a space after it?
    joiner = False  # was the character before a zero-width joiner?
    for i, ch in enumerate(text):
        cls = classes[ord(ch)]
        after_joiner, joiner = joiner, cls == _ZWJ
        if cls == _BK:
            result[i] = _MANDATORY
            last, space = _BK, False
        elif cls == _SP:
            space = True
        elif cls == _ZW:
            last, space = _ZW, False
        elif cls in (_CM, _ZWJ):
            if last != _ZW and not space:
                continue  # a combining mark stays with the character before it
            # After a space or a zero-width space it stands alone, as a letter.
            if last != _BK and not after_joiner:
                result[i] = _POSSIBLE
            last, space = _AL, False
        else:
            if last == _ZW:
                result[i] = _POSSIBLE
            elif last != _BK and not after_joiner:
                rule = _TABLE[last][cls]
                if rule == _DIRECT or (rule == _INDIRECT and space):
                    result[i] = _POSSIBLE
            last, space = cls, False
    return result


def _width_breaks(text: str, width: int, start: int, overrides: list[int | None]) -> list[bool]:
    """Where to break ``text``: libunistring's u8_width_linebreaks with no end columns."""
    if start + (len(text) if text.isascii() else 2 * len(text)) <= width:
        return [False] * len(text)  # it fits: no character is wider than 2 columns
    widths = _properties()[1]
    marks = _possible_breaks(text)
    result = [False] * len(text)
    last: int | None = None
    column, piece = start, 0
    for i, ch in enumerate(text):
        mark = overrides[i] if overrides[i] is not None else marks[i]
        if mark != _PROHIBITED and last is not None and column + piece > width:
            result[last] = True
            column = 0
        if mark == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if mark == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += widths[ord(ch)]
    if last is not None and column + piece > width:
        result[last] = True
    return result


_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


def _escape(portion: str) -> tuple[str, list[int | None]]:
    """The portion as written between quotes, and the break overrides for each character."""
    out: list[str] = []
    overrides: list[int | None] = []
    for ch in portion:
        if ch in _ESCAPES or ch in '\\"':
            out += ["\\", _ESCAPES.get(ch, ch)]
            overrides += [None, _PROHIBITED]
        elif ch < " " or ch == "\x7f":  # other controls, NUL included, stay escaped
            out += ["\\", f"{ord(ch):03o}"]
            overrides += [None, _PROHIBITED, _PROHIBITED, _PROHIBITED]
        else:
            out.append(ch)
            overrides.append(None)
    if portion.endswith("\n"):
        overrides[-2] = _PROHIBITED  # don't break just before the final "\n"
    return "".join(out), overrides


def _wrap(prefix: str, name: str, value: str, wrap: bool) -> list[str]:
    """The lines GNU's write-po.c wrap() writes for one keyword and its string."""
    lines: list[str] = []
    after_break = len(prefix) + 1
    width = (PAGE_WIDTH if wrap else sys.maxsize) - 1 - after_break
    portions = _split_newline(value) or [""]
    first = True
    for n, portion in enumerate(portions):
        text, overrides = _escape(portion)
        start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
        breaks = _width_breaks(text, width, start, overrides)
        if first and text and (n + 1 < len(portions) or start > width or any(breaks)):
            lines.append(f'{prefix}{name} ""')
            first = False
            start = len(prefix) + 1 - after_break
            breaks = _width_breaks(text, width, start, overrides)
        lead = f"{prefix}{name} " if first else prefix
        first = False
        pieces, begin = [], 0
        for i, brk in enumerate(breaks):
            if brk:
                pieces.append(text[begin:i])
                begin = i
        pieces.append(text[begin:])
        lines.append(f'{lead}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
    return lines


def _split_newline(value: str) -> list[str]:
    """Split after each "\\n", keeping it."""
    pieces = value.split("\n")
    return [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


# Format flags in the order msgcat writes them (gettext 0.21's format_language).
_FORMATS = (
    "c objc python python-brace java java-printf csharp javascript scheme lisp elisp librep ruby",
    "sh awk lua object-pascal smalltalk qt qt-plural kde kde-kuit boost tcl perl perl-brace php",
    "gcc-internal gfc-internal ycp",
)


def _wraps(entry: polib.POEntry) -> bool:
    """False if the entry's flags say no-wrap (the last wrap/no-wrap flag wins)."""
    marks = [flag for flag in entry.flags if flag in ("wrap", "no-wrap")]
    return not marks or marks[-1] == "wrap"


def _flags(entry: polib.POEntry, translated: bool) -> str | None:
    """The "#," line as msgcat writes it, or None; flags msgcat does not know are dropped."""
    flags = entry.flags
    out = ["fuzzy"] if "fuzzy" in flags and translated else []
    for lang in " ".join(_FORMATS).split():
        for form in (f"{lang}-format", f"no-{lang}-format", f"possible-{lang}-format"):
            if form in flags:
                out.append(form.removeprefix("possible-"))
                break
    out += [flag for flag in flags if flag.startswith("range: ")][:1]
    if not _wraps(entry):
        out.append("no-wrap")
    return "#, " + ", ".join(out) if out else None


def _comment_lines(mark: str, text: str) -> list[str]:
    return [f"{mark} {line}" if line else mark for line in text.split("\n")] if text else []


def _references(entry: polib.POEntry) -> list[str]:
    """The "#:" lines, wrapped at the page width like write-po.c does."""
    refs: list[str] = []
    for path, line in entry.occurrences:
        while path.startswith("./"):
            path = path[2:]
        ref = f"{path}:{line}" if line else path
        if ref not in refs:
            refs.append(ref)
    lines: list[str] = []
    current, column = "#:", 2
    for ref in refs:
        if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += len(ref) + 1
    return [*lines, current] if refs else []


def _entry_lines(entry: polib.POEntry) -> list[str]:
    """The lines of one entry, without the blank line before it."""
    prefix = "#~ " if entry.obsolete else ""
    plural = bool(entry.msgid_plural)
    forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] if plural else []
    wrap = _wraps(entry)
    lines = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    lines += _references(entry)
    if entry.obsolete:
        lines += ["#, fuzzy"] if "fuzzy" in entry.flags else []
    else:
        flags = _flags(entry, (forms[0] if forms else entry.msgstr) != "")
        lines += [flags] if flags else []
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, f"previous_{name}")
        if value is not None:
            lines += _wrap("#~| " if entry.obsolete else "#| ", name, value, wrap)
    if entry.msgctxt is not None:
        lines += _wrap(prefix, "msgctxt", entry.msgctxt, wrap)
    lines += _wrap(prefix, "msgid", entry.msgid, wrap)
    if plural:
        lines += _wrap(prefix, "msgid_plural", entry.msgid_plural, wrap)
        for i, form in enumerate(forms):
            lines += _wrap(prefix, f"msgstr[{i}]", form, wrap)
    else:
        lines += _wrap(prefix, "msgstr", entry.msgstr, wrap)
    return lines


def _header(catalog: polib.POFile) -> polib.POEntry:
    """The header entry: translator comments, fuzzy flag and metadata in catalogue order."""
    return polib.POEntry(
        msgid="",
        msgstr="".join(f"{key}: {value}\n" for key, value in catalog.metadata.items()),
        tcomment=catalog.header,
        flags=["fuzzy"] if catalog.metadata_is_fuzzy else [],
    )


def dumps(catalog: polib.POFile) -> str:
    """The whole PO file, exactly as GNU msgcat (gettext 0.21, width 79) would write it."""
    entries = [e for e in catalog if not e.obsolete]
    obsolete = [
        e
        for e in catalog.obsolete_entries()
        if (e.msgstr_plural[min(e.msgstr_plural)] if e.msgid_plural else e.msgstr)
    ]
    if catalog.metadata or catalog.header:
        entries.insert(0, _header(catalog))
    blocks = ["\n".join(_entry_lines(e)) + "\n" for e in entries + obsolete]
    return "\n".join(blocks)


def content(catalog: polib.POFile) -> list[tuple[object, ...]]:
    """What a catalogue says, without its layout: the header, then every message with
    its translations, flags, previous strings and comments (whitespace folded, since
    tools rewrap comments too) and references, in order."""
    def fold(text: str | None) -> str:
        return " ".join((text or "").split())

    said: list[tuple[object, ...]] = [
        (fold(catalog.header), tuple(catalog.metadata.items()), catalog.metadata_is_fuzzy)
    ]
    for e in catalog:
        forms = (tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
                 if e.msgid_plural else (e.msgstr,))
        said.append((e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, forms, tuple(e.flags),
                     e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural,
                     fold(e.tcomment), fold(e.comment), tuple(e.occurrences)))
    return said


def write(catalog: polib.POFile, path: str | Path) -> None:
    """Write ``dumps(catalog)`` to ``path`` in UTF-8, atomically (temp file + os.replace)."""
    write_atomic(Path(path), dumps(catalog).encode("utf-8"))


_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}
_ESCAPED = re.compile(r'\\([ntrabfv\\"\'?]|[0-7]{1,3}|x[0-9A-Fa-f]+)')


def unescape(text: str) -> str:
    """A PO string's escapes decoded as GNU gettext decodes them (polib 1.2 skips
    ``\\a``, ``\\?``, octal and hex, so ``\\a`` and ``\\\\a`` came back alike)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _UNESCAPES:
            return _UNESCAPES[code]
        value = int(code[1:], 16) if code[0] == "x" else int(code, 8)
        return chr(value) if value < 0x110000 else match.group(0)

    return _ESCAPED.sub(one, text)


@contextlib.contextmanager
def _gnu_unescape() -> Iterator[None]:
    """polib's parser calls its module-level ``unescape``; use the complete one meanwhile."""
    original = polib.unescape
    polib.unescape = unescape
    try:
        yield
    finally:
        polib.unescape = original


def load(path: str | Path) -> polib.POFile:
    """Parse a PO file; a syntax error, bad UTF-8 or a duplicate entry raises LeafletsError."""
    data = read_bytes(Path(path), what="catalogue", limit=MAX_CATALOGUE_BYTES,
                      hint="is it a catalogue? one leaflet's is well under 1 MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise LeafletsError(
            f"invalid UTF-8 (byte 0x{data[err.start]:02x})",
            path,
            line,
            "save the file as UTF-8",
        ) from err
    _check_syntax(text, path)
    try:
        # From the file, not the text: polib splits a text at U+2028, \x1c, \x85 too.
        with _gnu_unescape():
            catalog = polib.pofile(str(path), encoding="utf-8", check_for_duplicates=False)
    except (OSError, ValueError) as err:
        found = re.search(r"line (\d+)", str(err))
        raise LeafletsError(
            f"PO syntax error: {err}",
            path,
            int(found.group(1)) if found else None,
            "fix the line, or run `msgfmt --check` on the file for details",
        ) from err
    seen: set[tuple[bool, str | None, str]] = set()
    for entry in catalog:
        key = (bool(entry.obsolete), entry.msgctxt, entry.msgid)
        if key in seen:
            raise LeafletsError(
                f"duplicate entry for msgid {entry.msgid!r}",
                path,
                entry.linenum,
                "delete one of the two entries",
            )
        seen.add(key)
    _check_header(catalog, path, text)
    return catalog


_NPLURALS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def _check_header(catalog: polib.POFile, path: str | Path, text: str) -> None:
    """A header msgfmt would refuse: a charset other than UTF-8, bad Plural-Forms.

    A message with more or fewer ``msgstr[n]`` than the header's nplurals is read
    (msgcat reads it): ``checks.check_catalog`` reports it at its line."""
    charset = re.search(r"charset=([\w-]+)", catalog.metadata.get("Content-Type", ""))
    if charset and charset.group(1).lower() not in ("utf-8", "charset"):
        raise LeafletsError(f"the header says charset={charset.group(1)}", path,
                            _header_line(text, "Content-Type"),
                            "save the file as UTF-8 and set charset=UTF-8 in Content-Type")
    forms = catalog.metadata.get("Plural-Forms")
    if forms is None:
        return
    parsed = _NPLURALS.match(forms)
    if parsed and not 1 <= int(parsed.group(1)) <= MAX_NPLURALS:
        raise LeafletsError(
            f"the Plural-Forms header says nplurals={int(parsed.group(1))}; no language needs "
            f"more than {MAX_NPLURALS}", path, _header_line(text, "Plural-Forms"),
            "copy it from 'leaflets add-language' or the gettext manual for this language")
    try:
        if not parsed:
            raise ValueError(forms)
        rule = gettext.c2py(parsed.group(2))
        count = int(parsed.group(1))
        if any(not 0 <= rule(n) < count for n in range(1000)):
            raise ValueError(forms)
    except Exception:  # any failure of the expression: a syntax error, n%0, too deep...
        raise LeafletsError(
            f"the Plural-Forms header is not valid: {forms!r}", path,
            _header_line(text, "Plural-Forms"),
            "copy it from 'leaflets add-language' or the gettext manual for this language",
        ) from None


def _header_line(text: str, name: str) -> int:
    """The line of the header field ``name`` in the file's text (1 if it is not found)."""
    found = re.search(rf'^\s*"{re.escape(name)}\s*:', text, re.M | re.I)
    return text.count("\n", 0, found.start()) + 1 if found else 1


_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(".*)$')
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r'\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+)')
_FOLLOWS = {
    # keyword: the keywords that may come after it within one entry
    "": {"msgctxt", "msgid"},
    "msgctxt": {"msgid"},
    "msgid": {"msgid_plural", "msgstr"},
    "msgid_plural": {"msgstr[]"},
    "msgstr": set(),
    "msgstr[]": {"msgstr[]"},
}


def _check_syntax(text: str, path: str | Path) -> None:
    """Refuse what msgfmt refuses and polib lets through: bad strings, escapes, order."""
    last = ""  # the keyword the current entry is at
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        elif line.startswith("#") or not line:
            if not line and last not in ("", "msgstr", "msgstr[]"):
                raise _syntax(path, number, f"entry ends after {last} without a msgstr")
            if last in ("msgstr", "msgstr[]"):
                last = ""
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            name = "msgstr[]" if keyword.group(2) is not None else keyword.group(1)
            if last in ("msgstr", "msgstr[]") and name in ("msgctxt", "msgid"):
                last = ""
            if name not in _FOLLOWS[last]:
                raise _syntax(path, number, f"'{keyword.group(1)}' cannot come here")
            last = name
            value = keyword.group(3)
        elif line.startswith('"'):
            if not last:
                raise _syntax(path, number, "a string outside any msgid or msgstr")
            value = line
        else:
            raise _syntax(path, number, f"cannot read '{line[:30]}'")
        string = _STRING.match(value)
        if not string:
            raise _syntax(path, number, "the string is not closed with a double quote")
        bad = _ESCAPE.sub("", string.group(1))
        if "\\" in bad:
            raise _syntax(path, number, "unknown escape sequence (use \\n, \\t, \\\\ or \\\")")
        for escape in _ESCAPE.findall(string.group(1)):
            if escape[1] == "x" and not _is_character(int(escape[2:], 16)):
                raise _syntax(path, number, f"the escape {escape} is not a character "
                              "(write the character itself)")
    if last not in ("", "msgstr", "msgstr[]"):
        raise _syntax(path, len(text.split("\n")), f"file ends after {last} without a msgstr")


def _is_character(value: int) -> bool:
    return value < 0x110000 and not 0xD800 <= value <= 0xDFFF


def _syntax(path: str | Path, line: int, message: str) -> LeafletsError:
    return LeafletsError(f"PO syntax error: {message}", path, line,
                         "fix this line in a PO editor, or run 'msgfmt --check' on the file")
