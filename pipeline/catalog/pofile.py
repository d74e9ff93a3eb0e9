"""Read and write PO files; the writer's output is byte-identical to GNU gettext 0.21's msgcat."""

from __future__ import annotations

import contextlib
import gettext
import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import polib

from pipeline.errors import LeafletsError
from pipeline.files import write_atomic

PAGE_WIDTH = 79

# Line-break classes as libunistring 1.0 (used by msgcat) resolves them: AI, SA and XX are AL,
# CB is ID.  "OW" is an East Asian wide opening bracket, which (AL|HL|NU) may break before.
# The pair table below was measured on libunistring's u8_possible_linebreaks: D = break
# allowed, I = break only after a space, P = no break.  Rows: class before; columns: after.
_CLASSES = (
    "WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI EB EM OW"
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
_TABLE = _PAIRS.split()

# Code points whose class the rules in _lbclass() do not give, for the scripts and punctuation
# blocks that translations use (Latin, Greek, Cyrillic, Hebrew, Arabic, Gurmukhi and others in
# U+0000-07FF and U+0900-0A7F, general punctuation and symbols, CJK punctuation, presentation
# forms, emoji).  Generated from libunistring 1.0; checked by tests/test_pofile.py.
_EXCEPTIONS = (
    "0-8:CM 9:BA A-D:BK E-1F:CM 20:SP 21:EX 22:QU 24:PR 25:PO 27:QU 28:OP 29:CP 2B:PR 2C:IS "
    "2D:HY 2E:IS 2F:SY 3A-3B:IS 3F:EX 5B:OP 5C:PR 5D:CP 7B:OP 7C:BA 7D:CL 7F-84:CM 85:BK "
    "86-9F:CM A0:GL A1:OP A2:PO A3-A5:PR AB:QU AD:BA B0:PO B1:PR B4:BB BB:QU BF:OP 2C8:BB "
    "2CC:BB 2DF:BB 34F:GL 35C-362:GL 37E:IS 589:IS 58A:BA 58F:PR 5BE:BA 5C6:EX 5D0-5EA:HL "
    "5EF-5F2:HL 609-60B:PO 60C-60D:IS 61B:EX 61C:CM 61D-61F:EX 66A:PO 66B-66C:NU 6D4:EX "
    "7F8:IS 7F9:EX 7FE-7FF:PR 964-965:BA 9F2-9F3:PO 9F9:PO 9FB:PR 1FFD:BB 2000-2006:BA "
    "2007:GL 2008-200A:BA 200B:ZW 200C:CM 200D:ZWJ 200E-200F:CM 2010:BA 2011:GL 2012-2013:BA "
    "2014:B2 2018-2019:QU 201A:OP 201B-201D:QU 201E:OP 201F:QU 2024-2026:IN 2027:BA "
    "2028-2029:BK 202A-202E:CM 202F:GL 2030-2037:PO 2039-203A:QU 203C-203D:NS 2044:IS 2045:OP "
    "2046:CL 2047-2049:NS 2056:BA 2058-205B:BA 205D-205F:BA 2060:WJ 2066-206F:CM 207D:OP "
    "207E:CL 208D:OP 208E:CL 20A0-20A6:PR 20A7:PO 20A8-20B5:PR 20B6:PO 20B7-20BA:PR 20BB:PO "
    "20BC-20BD:PR 20BE:PO 20BF:PR 20C0:PO 20C1-20CF:PR 2103:PO 2109:PO 2116:PR 2212-2213:PR "
    "22EF:IN 2308:OP 2309:CL 230A:OP 230B:CL 2329:OW 232A:CL 23E9-23EC:AL 23F1-23F2:ID "
    "25FD-25FE:AL 2600-2603:ID 2618:ID 261A-261C:ID 261D:EB 261E-261F:ID 2639-263B:ID "
    "2648-2653:AL 2668:ID 2693:AL 26A1:AL 26AA-26AB:AL 26BF-26C3:ID 26C6-26C8:ID 26CD:ID "
    "26CE:AL 26CF-26D1:ID 26D3:ID 26D8-26D9:ID 26DC:ID 26DF-26E1:ID 26F1:ID 26F4:ID "
    "26F7-26F8:ID 26F9:EB 26FE-2704:ID 2705:AL 2708-2709:ID 270A-270D:EB 2728:AL 274C:AL "
    "274E:AL 2753-2755:AL 2757:AL 275B-2760:QU 2762-2763:EX 2764:ID 2768:OP 2769:CL 276A:OP "
    "276B:CL 276C:OP 276D:CL 276E:OP 276F:CL 2770:OP 2771:CL 2772:OP 2773:CL 2774:OP 2775:CL "
    "2795-2797:AL 27B0:AL 27BF:AL 27C5:OP 27C6:CL 27E6:OP 27E7:CL 27E8:OP 27E9:CL 27EA:OP "
    "27EB:CL 27EC:OP 27ED:CL 27EE:OP 27EF:CL 2983:OP 2984:CL 2985:OP 2986:CL 2987:OP 2988:CL "
    "2989:OP 298A:CL 298B:OP 298C:CL 298D:OP 298E:CL 298F:OP 2990:CL 2991:OP 2992:CL 2993:OP "
    "2994:CL 2995:OP 2996:CL 2997:OP 2998:CL 29D8:OP 29D9:CL 29DA:OP 29DB:CL 29FC:OP 29FD:CL "
    "2B1B-2B1C:AL 2B50:AL 2B55:AL 3000:BA 3001-3002:CL 3005:NS 3008:OW 3009:CL 300A:OW "
    "300B:CL 300C:OW 300D:CL 300E:OW 300F:CL 3010:OW 3011:CL 3014:OW 3015:CL 3016:OW 3017:CL "
    "3018:OW 3019:CL 301A:OW 301B:CL 301C:NS 301D:OW 301E-301F:CL 3035:CM 303B-303C:NS "
    "303F:ID FB1D:HL FB1F-FB28:HL FB2A-FB36:HL FB38-FB3C:HL FB3E:HL FB40-FB41:HL FB43-FB44:HL "
    "FB46-FB4F:HL FD3E:CL FD3F:OP FDFC:PO FE10:IS FE11-FE12:CL FE13-FE14:IS FE15-FE16:EX "
    "FE17:OW FE18:CL FE19:IN FE35:OW FE36:CL FE37:OW FE38:CL FE39:OW FE3A:CL FE3B:OW FE3C:CL "
    "FE3D:OW FE3E:CL FE3F:OW FE40:CL FE41:OW FE42:CL FE43:OW FE44:CL FE47:OW FE48:CL FE50:CL "
    "FE52:CL FE54-FE55:NS FE56-FE57:EX FE59:OW FE5A:CL FE5B:OW FE5C:CL FE5D:OW FE5E:CL "
    "FE69:PR FE6A:PO FEFF:WJ FF01:EX FF04:PR FF05:PO FF08:OW FF09:CL FF0C:CL FF0E:CL "
    "FF10-FF19:ID FF1A-FF1B:NS FF1F:EX FF3B:OW FF3D:CL FF5B:OW FF5D:CL FF5F:OW FF60-FF61:CL "
    "FF62:OW FF63-FF64:CL FF65:NS FF66:ID FF67-FF70:NS FF71-FF9D:ID FF9E-FF9F:NS FFA0-FFBE:ID "
    "FFC2-FFC7:ID FFCA-FFCF:ID FFD2-FFD7:ID FFDA-FFDC:ID FFE0:PO FFE1:PR FFE5-FFE6:PR "
    "FFF9-FFFB:CM FFFC:ID 1F02C-1F02F:EB 1F094-1F09F:EB 1F0AF-1F0B0:EB 1F0C0:EB 1F0D0:EB "
    "1F0F6-1F0FF:EB 1F100-1F10C:AL 1F110-1F16C:AL 1F170-1F1AC:AL 1F1AE-1F1E5:EB "
    "1F1E6-1F1FF:RI 1F203-1F20F:EB 1F23C-1F23F:EB 1F249-1F24F:EB 1F252-1F25F:EB "
    "1F266-1F2FF:EB 1F385:EB 1F39C-1F39D:AL 1F3B5-1F3B6:AL 1F3BC:AL 1F3C2-1F3C4:EB 1F3C7:EB "
    "1F3CA-1F3CC:EB 1F3FB-1F3FF:EM 1F442-1F443:EB 1F446-1F450:EB 1F466-1F478:EB 1F47C:EB "
    "1F481-1F483:EB 1F485-1F487:EB 1F48F:EB 1F491:EB 1F4A0:AL 1F4A2:AL 1F4A4:AL 1F4AA:EB "
    "1F4AF:AL 1F4B1-1F4B2:AL 1F500-1F506:AL 1F517-1F524:AL 1F532-1F549:AL 1F574-1F575:EB "
    "1F57A:EB 1F590:EB 1F595-1F596:EB 1F5D4-1F5DB:AL 1F5F4-1F5F9:AL 1F645-1F647:EB "
    "1F64B-1F64F:EB 1F650-1F675:AL 1F676-1F678:QU 1F679-1F67B:NS 1F67C-1F67F:AL 1F6A3:EB "
    "1F6B4-1F6B6:EB 1F6C0:EB 1F6CC:EB 1F6D8-1F6DC:EB 1F6ED-1F6EF:EB 1F6FD-1F6FF:EB "
    "1F700-1F773:AL 1F774-1F77F:EB 1F780-1F7D4:AL 1F7D9-1F7DF:EB 1F7EC-1F7EF:EB "
    "1F7F1-1F7FF:EB 1F800-1F80B:AL 1F80C-1F80F:EB 1F810-1F847:AL 1F848-1F84F:EB "
    "1F850-1F859:AL 1F85A-1F85F:EB 1F860-1F887:AL 1F888-1F88F:EB 1F890-1F8AD:AL "
    "1F8AE-1F8AF:EB 1F8B2-1F8FF:EB 1F900-1F90B:AL 1F90C:EB 1F90F:EB 1F918-1F91F:EB 1F926:EB "
    "1F930-1F939:EB 1F93C-1F93E:EB 1F977:EB 1F9B5-1F9B6:EB 1F9B8-1F9B9:EB 1F9BB:EB "
    "1F9CD-1F9CF:EB 1F9D1-1F9DD:EB 1FA00-1FA53:AL 1FA54-1FA5F:EB 1FA6E-1FA6F:EB "
    "1FA75-1FA77:EB 1FA7D-1FA7F:EB 1FA87-1FA8F:EB 1FAAD-1FAAF:EB 1FABB-1FABF:EB "
    "1FAC3-1FACF:EB 1FADA-1FADF:EB 1FAE8-1FAFF:EB "
)


@cache
def _exceptions() -> dict[int, str]:
    table: dict[int, str] = {}
    for token in "".join(_EXCEPTIONS).split():
        span, cls = token.split(":")
        first, _, last = span.partition("-")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[cp] = cls
    return table


def _lbclass(ch: str) -> str:
    """Line-break class of one character, as libunistring resolves it."""
    cp = ord(ch)
    found = _exceptions().get(cp)
    if found is not None:
        return found
    category = unicodedata.category(ch)
    if category == "Cn":
        return "ID" if 0x20000 <= cp <= 0x3FFFD or 0x1F000 <= cp <= 0x1FAFF else "AL"
    if category in ("Mn", "Mc", "Me"):
        return "CM"
    if category == "Nd":
        return "NU"
    if 0xAC00 <= cp <= 0xD7A3:
        return "H2" if (cp - 0xAC00) % 28 == 0 else "H3"
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return "JL"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "JV"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "JT"
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return "ID"
    return "AL"


def _width(ch: str) -> int:
    """Display columns of one character, as libunistring's uc_width (controls count 0)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if cp in (0xCBF, 0xCC6):
        return 1
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf") or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
        return 0
    if category == "Cn":
        wide = (0x2E80, 0xA4CF), (0xF900, 0xFAFF), (0x1F000, 0x1FBFF), (0x20000, 0x3FFFD)
        return 2 if any(lo <= cp <= hi for lo, hi in wide) else 1
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_PROHIBITED, _POSSIBLE, _MANDATORY = 1, 2, 3


def _possible_breaks(text: str) -> list[int]:
    """Break opportunities before each character: libunistring's u8_possible_linebreaks."""
    result = [_PROHIBITED] * len(text)
    last = "BK"  # class of the last non-space character
    space = False  # was there a space after it?
    for i, ch in enumerate(text):
        cls = _lbclass(ch)
        if cls == "BK":
            result[i] = _MANDATORY
            last, space = "BK", False
            continue
        if cls == "SP":
            space = True
            continue
        if cls == "ZW":
            last, space = "ZW", False
            continue
        if cls in ("CM", "ZWJ"):
            if last != "ZW" and not space:
                continue  # a combining mark stays with the character before it
            # After a space or a zero-width space it stands alone, as a letter.
            if last != "BK":
                result[i] = _POSSIBLE
            last, space = "AL", False
            continue
        if last == "ZW":
            result[i] = _POSSIBLE
        elif last != "BK":
            rule = _TABLE[_INDEX[last]][_INDEX[cls]]
            if rule == "D" or (rule == "I" and space):
                result[i] = _POSSIBLE
        last, space = cls, False
    # Never break just after a zero-width joiner.
    return [
        _PROHIBITED if i and text[i - 1] == "\u200d" and mark == _POSSIBLE else mark
        for i, mark in enumerate(result)
    ]


def _width_breaks(text: str, width: int, start: int, overrides: list[int | None]) -> list[bool]:
    """Where to break ``text``: libunistring's u8_width_linebreaks with no end columns."""
    marks = _possible_breaks(text)
    result = [False] * len(text)
    last: int | None = None
    column, piece = start, 0
    for i, ch in enumerate(text):
        mark = overrides[i] if overrides[i] is not None else marks[i]
        if mark in (_POSSIBLE, _MANDATORY) and last is not None and column + piece > width:
            result[last] = True
            column = 0
        if mark == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if mark == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += _width(ch)
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
    data = Path(path).read_bytes()
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
    try:
        if not parsed or int(parsed.group(1)) < 1:
            raise ValueError(forms)
        rule = gettext.c2py(parsed.group(2))
        count = int(parsed.group(1))
        if any(not 0 <= rule(n) < count for n in range(200)):
            raise ValueError(forms)
    except (ValueError, SyntaxError, RecursionError):
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
    if last not in ("", "msgstr", "msgstr[]"):
        raise _syntax(path, len(text.split("\n")), f"file ends after {last} without a msgstr")


def _syntax(path: str | Path, line: int, message: str) -> LeafletsError:
    return LeafletsError(f"PO syntax error: {message}", path, line,
                         "fix this line in a PO editor, or run 'msgfmt --check' on the file")
