"""The parts of the Unicode bidirectional algorithm (UAX #9) a leaflet needs.

ReportLab 5.1 has no bidi support when shaping, so lines are ordered here:
:func:`levels` resolves an embedding level per character (rules W1–W7, N1–N2,
I1–I2, with directional isolates LRI/RLI/FSI…PDI; no legacy embeddings), and
:func:`visual_order` applies rule L2 to the runs of one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from babel import Locale
from babel.core import get_global

ISOLATE_OPEN = {"\u2066": 0, "\u2067": 1, "\u2068": None}  # LRI, RLI, FSI
ISOLATE_CLOSE = "\u2069"  # PDI
STRONG = {"L": "L", "R": "R", "AL": "R"}


@lru_cache(maxsize=64)
def is_rtl(lang: str) -> bool:
    """True when ``lang`` is written right to left (Babel's CLDR data)."""
    try:
        return Locale.parse(lang.replace("-", "_")).text_direction == "rtl"
    except (ValueError, LookupError):
        return False


@lru_cache(maxsize=64)
def writes_in_latin(lang: str) -> bool:
    """True when ``lang`` is written in Latin script (CLDR's likely script; True if unknown)."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], "")
    return likely.split("_")[1:2] in ([], ["Latn"])


LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
"""A letter of Latin script (basic and extended)."""


def base_level(text: str) -> int:
    """The paragraph level of ``text`` by its first strong character (rules P2–P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in STRONG:
            return 0 if kind == "L" else 1
    return 0


RIGHT_TO_LEFT_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u2066-\u2069]")
"""Hebrew, Arabic, Syriac, Thaana, NKo… and isolates: text without them is all level 0."""


def levels(text: str, base: int) -> list[int]:
    """The resolved embedding level of every character of one paragraph."""
    out = [base] * len(text)
    if base == 0 and not RIGHT_TO_LEFT_CHARS.search(text):
        return out
    _resolve(text, range(len(text)), base, out)
    return out


def _resolve(text: str, indexes: Sequence[int], level: int, out: list[int]) -> None:
    """Resolve the characters at ``indexes`` (one isolating run) at embedding ``level``."""
    kinds: list[str] = []
    positions: list[int] = []
    i = 0
    while i < len(indexes):
        at = indexes[i]
        char = text[at]
        if char in ISOLATE_OPEN:
            end = _matching_pdi(text, indexes, i)
            inner = [indexes[j] for j in range(i + 1, end)]
            direction = ISOLATE_OPEN[char]
            if direction is None:
                direction = base_level("".join(text[j] for j in inner))
            inner_level = level + 1 + ((level + 1) % 2 != direction)
            _resolve(text, inner, inner_level, out)
            for j in (indexes[i], *([indexes[end]] if end < len(indexes) else ())):
                kinds.append("ON")
                positions.append(j)
            i = end + 1
            continue
        kinds.append(unicodedata.bidirectional(char) or "L")
        positions.append(at)
        i += 1
    resolved = _weak_and_neutral(kinds, "R" if level % 2 else "L")
    for at, kind in zip(positions, resolved, strict=True):
        if level % 2 == 0:
            out[at] = level + (1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            out[at] = level + (1 if kind in ("L", "AN", "EN") else 0)


def _matching_pdi(text: str, indexes: Sequence[int], start: int) -> int:
    depth = 0
    for j in range(start, len(indexes)):
        char = text[indexes[j]]
        if char in ISOLATE_OPEN:
            depth += 1
        elif char == ISOLATE_CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return len(indexes)


def _weak_and_neutral(kinds: list[str], embedding: str) -> list[str]:
    """Rules W1–W7 and N1–N2 over one isolating run sequence."""
    n = len(kinds)
    t = list(kinds)
    # W1: non-spacing marks take the type of what they follow.
    for i in range(n):
        if t[i] == "NSM":
            t[i] = t[i - 1] if i else embedding
    # W2 and W3: European numbers after Arabic letters are Arabic numbers; AL is R.
    last_strong = embedding
    for i in range(n):
        if t[i] in ("L", "R", "AL"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "AL":
            t[i] = "AN"
    t = ["R" if k == "AL" else k for k in t]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        if t[i] == "ES" and t[i - 1] == t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    # W5: terminators (%, currency) next to European numbers are numbers.
    for i in range(n):
        if t[i] == "ET":
            j = i
            while j < n and t[j] == "ET":
                j += 1
            if (i > 0 and t[i - 1] == "EN") or (j < n and t[j] == "EN"):
                for k in range(i, j):
                    t[k] = "EN"
    # W6: remaining separators and terminators are neutral.
    t = ["ON" if k in ("ES", "ET", "CS") else k for k in t]
    # W7: European numbers after a left-to-right strong type are L.
    last_strong = embedding
    for i in range(n):
        if t[i] in ("L", "R"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "L":
            t[i] = "L"
    # N1, N2: neutrals take the direction around them, else the embedding direction.
    i = 0
    while i < n:
        if t[i] in ("L", "R", "EN", "AN"):
            i += 1
            continue
        j = i
        while j < n and t[j] not in ("L", "R", "EN", "AN"):
            j += 1
        before = embedding if i == 0 else ("R" if t[i - 1] in ("R", "EN", "AN") else "L")
        after = embedding if j == n else ("R" if t[j] in ("R", "EN", "AN") else "L")
        fill = before if before == after else embedding
        for k in range(i, j):
            t[k] = fill
        i = j
    return t


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Indexes of a line's runs in left-to-right display order (rule L2)."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    highest = max(run_levels)
    lowest_odd = min((lv for lv in run_levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
