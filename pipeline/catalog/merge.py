"""Merge a new template into a translator's catalogue without losing a translation.

The rules, in order, for each message of the template:

1. the same context and text: the translation stays as it is (fuzzy stays fuzzy);
2. the same text but for whitespace or typographic quotes: the translation
   carries over silently;
3. a similar text (word-level similarity, the same question preferred): the
   translation carries over marked fuzzy, with the previous text (``#|``) so the
   translator sees what changed;
4. otherwise: a new, untranslated message.

Every translation that is not carried over exactly stays in the file as an
obsolete message (``#~``), and comes back by rule 1 or 2 when its text returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

import polib

FUZZY_THRESHOLD = 0.6
SAME_QUESTION_BONUS = 0.1
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})
_WORD = re.compile(r"\w+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|n't|cannot|nobody|nothing|none)\b|n't\b", re.I)

Key = tuple[str, str]


def loose(text: str) -> str:
    """The text with whitespace folded and typographic quotes made plain."""
    return " ".join(text.translate(_QUOTES).split())


def similarity(old: str, new: str) -> float:
    """Word-level similarity of two texts, from 0 to 1."""
    a, b = _WORD.findall(old.lower()), _WORD.findall(new.lower())
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def meaning_changed(old: str, new: str) -> list[str]:
    """What changed that a fuzzy match must never hide: numbers and negations."""
    changes = []
    old_numbers, new_numbers = _NUMBER.findall(old), _NUMBER.findall(new)
    if old_numbers != new_numbers:
        changes.append(f"numbers changed ({', '.join(old_numbers) or 'none'} → "
                       f"{', '.join(new_numbers) or 'none'})")
    if len(_NEGATION.findall(old)) != len(_NEGATION.findall(new)):
        changes.append("a negation ('not', 'never', 'no') was added or removed")
    return changes


@dataclass
class MergeStats:
    kept: int = 0
    carried: int = 0
    fuzzy: int = 0
    new: int = 0
    obsolete: int = 0


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def merge(old: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, MergeStats]:
    """A new catalogue: ``template``'s messages with ``old``'s translations and header."""
    stats = MergeStats()
    merged = polib.POFile(wrapwidth=79)
    merged.header = old.header
    merged.metadata = dict(old.metadata)
    for field in ("Project-Id-Version", "POT-Creation-Date", "Report-Msgid-Bugs-To"):
        if field in template.metadata:
            merged.metadata[field] = template.metadata[field]
    merged.metadata_is_fuzzy = old.metadata_is_fuzzy

    previous = [e for e in old if _has_translation(e)]
    exact = {key(e): e for e in previous}
    by_loose: dict[Key, polib.POEntry] = {}
    for e in previous:
        by_loose.setdefault((e.msgctxt or "", loose(e.msgid)), e)
    used: set[int] = set()
    forms = _nplurals(merged.metadata.get("Plural-Forms", ""))

    for t in template:
        entry = _from_template(t, forms)
        found = exact.get(key(t)) or by_loose.get((t.msgctxt or "", loose(t.msgid)))
        if found is not None and (found.msgid_plural or "") == (t.msgid_plural or ""):
            _copy_translation(found, entry, fuzzy=found.fuzzy)
            entry.previous_msgid = found.previous_msgid if found.fuzzy else None
            entry.previous_msgctxt = found.previous_msgctxt if found.fuzzy else None
            if found.msgid == t.msgid:
                used.add(id(found))
                stats.kept += 1
            else:
                stats.carried += 1
        else:
            candidate = _best_fuzzy(t, previous)
            if candidate is not None:
                _copy_translation(candidate, entry, fuzzy=True)
                entry.previous_msgid = candidate.msgid
                if (candidate.msgctxt or "") != (t.msgctxt or ""):
                    entry.previous_msgctxt = candidate.msgctxt
                stats.fuzzy += 1
            else:
                stats.new += 1
        merged.append(entry)

    for e in old:
        if id(e) in used or not _has_translation(e):
            continue
        gone = polib.POEntry(
            msgctxt=e.msgctxt,
            msgid=e.msgid,
            msgid_plural=e.msgid_plural,
            msgstr=e.msgstr,
            msgstr_plural=dict(e.msgstr_plural),
            tcomment=e.tcomment,
            flags=list(e.flags),
            previous_msgid=e.previous_msgid,
            previous_msgctxt=e.previous_msgctxt,
            obsolete=True,
        )
        merged.append(gone)
        if not e.obsolete:
            stats.obsolete += 1
    return merged, stats


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid == "":
        return False
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _nplurals(header: str) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(found.group(1)) if found else 2


def _from_template(t: polib.POEntry, forms: int) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=t.msgctxt,
        msgid=t.msgid,
        msgstr="",
        comment=t.comment,
        occurrences=list(t.occurrences),
        flags=[f for f in t.flags if f != "fuzzy"],
    )
    if t.msgid_plural:
        entry.msgid_plural = t.msgid_plural
        entry.msgstr_plural = {i: "" for i in range(forms)}
    return entry


def _copy_translation(source: polib.POEntry, target: polib.POEntry, *, fuzzy: bool) -> None:
    target.tcomment = source.tcomment
    if target.msgid_plural:
        if source.msgid_plural:
            target.msgstr_plural = dict(source.msgstr_plural)
        else:
            target.msgstr_plural = {0: source.msgstr}
            fuzzy = True
    elif source.msgid_plural:
        target.msgstr = source.msgstr_plural.get(0, "")
        fuzzy = True
    else:
        target.msgstr = source.msgstr
    if fuzzy and "fuzzy" not in target.flags:
        target.flags.insert(0, "fuzzy")


def _best_fuzzy(t: polib.POEntry, candidates: Iterable[polib.POEntry]) -> polib.POEntry | None:
    best: polib.POEntry | None = None
    best_score = FUZZY_THRESHOLD
    for c in candidates:
        score = similarity(c.msgid, t.msgid)
        if (c.msgctxt or "") == (t.msgctxt or ""):
            score += SAME_QUESTION_BONUS
        if score > best_score:
            best, best_score = c, score
    return best
