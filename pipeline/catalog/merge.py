"""Merge a new template into a translator's catalogue without losing a translation.

The rules, in order, for each message of the template:

1. the same context and text: the translation stays as it is (fuzzy stays fuzzy);
2. the same context and text but for whitespace (spacing, line breaks): the
   translation carries over silently; any other change, quotes included, is rule 3;
3. a similar text: the translation carries over marked fuzzy, with the previous
   text (``#|``) so the translator sees what changed.  Only a translated message
   that is not fuzzy (active or obsolete) is a source, so a fuzzy suggestion is
   never the source of another, and merging twice changes nothing;
4. otherwise: a new, untranslated message.  A message that was already there,
   untranslated, stays so (the translators have not reached it yet), unless another
   message differs from it in case alone.

A singular message that becomes plural (or the reverse) is rule 3: a fuzzy plural
entry with every ``msgstr[n]``, each the old translation, as GNU msgmerge writes.
Every translation that is not carried over under its own text stays in the file
as an obsolete message (``#~``), and comes back by rule 1 when its text returns.

Similar texts are found through an index of character trigrams, so the time grows
with the number of messages, not with its square.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import polib

FUZZY_THRESHOLD = 0.7
"""A fuzzy suggestion needs a similarity (0 to 1) above this.  Calibrated on Django's
catalogues with bench/bench_merge.py --calibrate: at 0.7 our suggestions are a little
more precise than msgmerge's and as many are right; below it precision falls fast, above
it many right ones are lost."""
SAME_QUESTION_BONUS = 0.1
"""Added to the similarity when both messages have the same, non-empty context."""
SHORTLIST = 5
"""How many of the candidates sharing the most trigrams are compared in full."""
_WORD = re.compile(r"\w+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|n't|cannot|nobody|nothing|none)\b|n't\b", re.I)

Key = tuple[str, str]


def folded(text: str) -> str:
    """The text with runs of whitespace made one space; a leading or trailing newline
    is kept, since ``msgfmt --check`` wants the translation to have it too."""
    return (
        ("\n" if text.startswith("\n") else "")
        + " ".join(text.split())
        + ("\n" if text.endswith("\n") and text.strip() else "")
    )


def similarity(old: str, new: str) -> float:
    """Character-level similarity of two texts (case and spacing ignored), from 0 to 1."""
    return _ratio(" ".join(old.lower().split()), " ".join(new.lower().split()))


@lru_cache(maxsize=1 << 14)
def _ratio(a: str, b: str) -> float:
    """difflib's ratio; cached, since every language compares the same source texts."""
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

    translated = [e for e in old if _has_translation(e)]
    exact: dict[tuple[str, str, str], polib.POEntry] = {}
    by_fold: dict[tuple[str, str, str], polib.POEntry] = {}
    same_msgid: dict[Key, polib.POEntry] = {}
    for e in sorted(translated, key=lambda e: bool(e.obsolete)):  # active entries first
        exact.setdefault((*key(e), e.msgid_plural or ""), e)
        by_fold.setdefault(_fold_key(e), e)
        same_msgid.setdefault(key(e), e)
    index = _Index([e for e in translated if not e.fuzzy])
    # A message that was there, untranslated, is one the translators have not reached
    # yet: a suggestion from another message would mostly be noise (msgmerge agrees).
    # It gets a suggestion only from a text that differs from it in case alone.
    waiting = {key(e) for e in old if not e.obsolete and not _has_translation(e)}
    caseless: dict[str, polib.POEntry] = {}
    for e in index.entries:
        caseless.setdefault(_caseless(e.msgid), e)
    used: set[int] = set()
    forms = nplurals(merged.metadata.get("Plural-Forms", "")) or 2

    for t in template:
        if t.msgid == "" or t.obsolete:
            continue
        entry = _from_template(t, forms)
        found = exact.get((*key(t), t.msgid_plural or "")) or by_fold.get(_fold_key(t))
        if found is not None:
            _copy_translation(found, entry, forms, fuzzy=found.fuzzy)
            if found.fuzzy:
                entry.previous_msgctxt = found.previous_msgctxt
                entry.previous_msgid = found.previous_msgid
                entry.previous_msgid_plural = found.previous_msgid_plural
            used.add(id(found))
            if found.msgid == t.msgid and found.msgid_plural == t.msgid_plural:
                stats.kept += 1
            else:
                stats.carried += 1
        else:
            # The same msgid with another (or no) plural: that one, else the most similar.
            same = same_msgid.get(key(t))
            source = same or (caseless.get(_caseless(t.msgid)) if key(t) in waiting
                              else index.best(t))
            if source is not None:
                _copy_translation(source, entry, forms, fuzzy=True)
                entry.previous_msgid = source.msgid
                entry.previous_msgid_plural = source.msgid_plural or None
                if source.msgctxt is not None:
                    entry.previous_msgctxt = source.msgctxt
                if source is same:  # an obsolete copy would be a duplicate definition
                    used.add(id(source))
                stats.fuzzy += 1
            else:
                stats.new += 1
        merged.append(entry)

    active = {key(e): e for e in merged}
    for e in translated:
        if id(e) in used or _duplicates(e, active.get(key(e))):
            continue
        merged.append(_obsolete(e))
        if not e.obsolete:
            stats.obsolete += 1
    return merged, stats


def _fold_key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", folded(entry.msgid), folded(entry.msgid_plural or ""))


def _caseless(text: str) -> str:
    return " ".join(text.lower().split())


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid == "":
        return False
    return any(_forms(entry))


def _forms(entry: polib.POEntry) -> list[str]:
    """The translation's forms: msgstr[0..n] of a plural message, else [msgstr]."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _duplicates(entry: polib.POEntry, active: polib.POEntry | None) -> bool:
    """True if ``entry`` has an active twin of the same text that holds its translation,
    so an obsolete copy would only make ``msgfmt`` see a duplicate definition."""
    return active is not None and set(_forms(entry)) <= set(_forms(active))


def _obsolete(e: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=e.msgctxt,
        msgid=e.msgid,
        msgid_plural=e.msgid_plural,
        msgstr=e.msgstr,
        msgstr_plural=dict(e.msgstr_plural),
        tcomment=e.tcomment,
        flags=list(e.flags),
        previous_msgid=e.previous_msgid,
        previous_msgid_plural=e.previous_msgid_plural,
        previous_msgctxt=e.previous_msgctxt,
        obsolete=True,
    )


def nplurals(header: str) -> int | None:
    """The number of plural forms a Plural-Forms header gives, or None."""
    found = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(found.group(1)) if found else None


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


def _copy_translation(source: polib.POEntry, target: polib.POEntry, forms: int, *,
                      fuzzy: bool) -> None:
    target.tcomment = source.tcomment
    if target.msgid_plural:
        if source.msgid_plural:
            target.msgstr_plural = dict(source.msgstr_plural)
        else:
            target.msgstr_plural = dict.fromkeys(range(forms), source.msgstr)
            fuzzy = True
    elif source.msgid_plural:
        target.msgstr = _forms(source)[0]
        fuzzy = True
    else:
        target.msgstr = source.msgstr
    if fuzzy and "fuzzy" not in target.flags:
        target.flags.insert(0, "fuzzy")


@lru_cache(maxsize=1 << 13)
def _trigrams(msgid: str) -> frozenset[str]:
    text = f" {' '.join(msgid.lower().split())} "
    return frozenset(text[i:i + 3] for i in range(len(text) - 2))


class _Index:
    """Translated messages by the character trigrams of their text.

    A trigram found in more than a tenth of a long catalogue tells little and would
    make each look-up scan most of it; such trigrams are left out of the index.
    """

    def __init__(self, entries: list[polib.POEntry]) -> None:
        self.entries = entries
        self.grams = [_trigrams(e.msgid) for e in entries]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, grams in enumerate(self.grams):
            for gram in grams:
                postings[gram].append(i)
        limit = max(200, len(entries) // 10)
        self.postings = {g: ids for g, ids in postings.items() if len(ids) <= limit}

    def best(self, t: polib.POEntry) -> polib.POEntry | None:
        """The most similar entry above the threshold, or None."""
        grams = _trigrams(t.msgid)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        if not shared:
            return None
        dice = sorted(
            ((2 * len(grams & self.grams[i]) / (len(grams) + len(self.grams[i])), i)
             for i, _ in heapq.nlargest(8 * SHORTLIST, shared.items(),
                                        key=lambda pair: (pair[1], -pair[0]))),
            key=lambda pair: (-pair[0], pair[1]),
        )
        best: polib.POEntry | None = None
        best_score = FUZZY_THRESHOLD
        for _, i in dice[:SHORTLIST]:
            c = self.entries[i]
            bonus = SAME_QUESTION_BONUS if c.msgctxt and c.msgctxt == t.msgctxt else 0.0
            score = similarity(c.msgid, t.msgid) + bonus
            if score > best_score:
                best, best_score = c, score
        return best
