"""Checks a translator can act on, each naming the file, the line and the message.

Errors are things that would break or falsify an output (a lost link, a changed
phone number, a broken placeholder); warnings are worth a look (same as the
source, different end punctuation). Only what would be published is compared with
the source: untranslated and fuzzy messages are shown in English, so they are
counted (severities ``untranslated`` and ``fuzzy``), not checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import polib

from ..errors import Problem
from ..inline import links, plain
from ..langparts import mark_errors, marked
from ..model import Leaflet
from .easyread import DEFAULT_HARD_WORDS, check_easy_read
from .merge import meaning_changed, nplurals

MAX_GROWTH = 5
"""A translation may be this many times longer than its source (plus some slack)."""

_URL = re.compile(r"(?:https?://|www\.)[^\s)\]<>\"]+[^\s)\]<>\".,;:!?]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ]{6,}\d(?![\w])")
_NUMBER = re.compile(r"\d+")
_PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
    r"|%[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
"""Every %-conversion, with its flags, width and precision: a translation keeps them exactly
(a width like %(n)100000000s would fill a page with a hundred million spaces)."""
_END_NAMES = (("QUESTION MARK", "?"), ("EXCLAMATION MARK", "!"), ("FULL STOP", "."),
              ("DANDA", "."), ("COLON", ":"))
"""End punctuation compared by kind, from the Unicode name: '።' (ETHIOPIC FULL STOP),
'۔' (ARABIC FULL STOP), '।' (DEVANAGARI DANDA) and '.' are all full stops."""
_END_ALSO = {"ja": {"?": {"."}}, "zh": {"?": {"."}}}
"""Per language, other kinds a translation may end with: a Japanese question often ends
with 'か。'."""


def end_kind(text: str) -> str | None:
    """The kind of the text's final punctuation ('?', '!', '.', ':'), past closing quotes
    and brackets; None when it does not end with one."""
    for char in reversed(text.rstrip()):
        if unicodedata.category(char) in ("Pe", "Pf", "Zs") or char in "\"'*_":
            continue
        name = unicodedata.name(char, "")
        if "SEMICOLON" in name:  # not a colon
            return None
        return next((kind for part, kind in _END_NAMES if part in name), None)
    return None


def _same_end(source: str, text: str, lang: str) -> bool:
    want, got = end_kind(source), end_kind(text)
    if want is None or got == want:
        return True
    return got in _END_ALSO.get(lang.replace("_", "-").split("-")[0], {}).get(want, set())


def _digits(text: str) -> str:
    """Text with every decimal digit (Arabic-Indic, Gurmukhi, ...) made ASCII."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def broken_markup(msgid: str, msgstr: str) -> str | None:
    """Why a translation's Markdown is broken (links, bold, lines, length), or None."""
    if len(msgstr) > MAX_GROWTH * len(msgid) + 500:
        return (f"the translation is {len(msgstr):,} characters, far longer than the "
                f"source ({len(msgid):,}): is something pasted by mistake?")
    if sorted(links(msgid)) != sorted(links(msgstr)):
        return "links differ from the source: keep each [text](address) with the same address"
    if msgid.count("**") != msgstr.count("**") or msgstr.count("**") % 2:
        return "bold markers (**) differ from the source: keep each **bold** pair"
    if msgid.count("\n") != msgstr.count("\n"):
        return "line breaks differ from the source: keep the same number of lines"
    return None


def translation_errors(source: str, text: str, plural: str | None = None) -> list[str]:
    """What makes a translation wrong enough that it must not be published (the checks'
    errors): it breaks its Markdown or links, changes a placeholder, an address, a phone
    number or a number, or its spaces at either end, or has a broken language mark
    (``[words]{lang=xx}`` with a language Babel does not know, or left open).
    ``plural``: the msgid_plural, whose forms may each leave out the number."""
    found = []
    broken = broken_markup(source, text)
    if broken:
        found.append(broken)
    if plural is None:
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
            found.append("placeholders like %(name)s differ from the source")
    elif set(_PLACEHOLDER.findall(text)) - set(_PLACEHOLDER.findall(source + plural)):
        found.append("placeholders like %(name)s differ from the source")
    for pattern, what in ((_URL, "web address"), (_EMAIL, "e-mail address"),
                          (_PHONE, "phone number")):
        for item in pattern.findall(source):
            if item not in text:
                found.append(f"{what} '{item}' is missing or changed")
    for item in _URL.findall(text):
        if item not in source:
            found.append(f"web address '{item}' is not in the source")
    if plural is None and \
            sorted(_NUMBER.findall(_digits(source))) != sorted(_NUMBER.findall(_digits(text))):
        found.append("numbers differ from the source: "
                     f"{' '.join(_NUMBER.findall(source)) or 'none'} in the source, "
                     f"{' '.join(_NUMBER.findall(_digits(text))) or 'none'} here")
    found += mark_errors(text)
    if (text[:1].isspace(), text[-1:].isspace()) != (
        source[:1].isspace(), source[-1:].isspace()
    ):
        found.append("leading or trailing spaces differ from the source")
    return found


def check_entry(entry: polib.POEntry, lang: str = "") -> list[tuple[str, str]]:
    """Findings for one message, as (severity, message) pairs.

    Severities: ``error``, ``warning``, and ``untranslated`` or ``fuzzy`` for messages
    that are not published (they are shown in English), which are not compared with the
    source: a fuzzy message says only what changed in the source.
    """
    if entry.obsolete or entry.msgid == "":
        return []
    translations = (
        [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        if entry.msgid_plural else [entry.msgstr]
    )
    if not any(translations):
        return [("untranslated", "shown in English until it is translated")]
    if entry.fuzzy:
        changes = meaning_changed(entry.previous_msgid, entry.msgid) \
            if entry.previous_msgid else []
        return [("fuzzy", "the source changed; check the translation and remove the fuzzy "
                          "flag" + (f" ({'; '.join(changes)})" if changes else ""))]
    found: list[tuple[str, str]] = []
    source = entry.msgid
    for text in translations:
        if not text:
            found.append(("warning", "a plural form is untranslated"))
            continue
        found.extend(("error", error) for error in translation_errors(
            source, text, entry.msgid_plural or None))
        if not _same_end(plain(source), plain(text), lang):  # past marks like {lang=en}
            found.append(("warning", f"the source ends with '{source.rstrip()[-1:]}' but the "
                                     "translation does not end the same way"))
        if len(plain(source).split()) > 2:
            own = marked(text).split()  # words the translator marked as another language
            if text == source or own == plain(source).split():  # are not its translation
                found.append(("warning", "same as the source: is it translated?"))
            elif not any(map(str.isalpha, "".join(own))):
                found.append(("warning", "all of it is marked as another language with "
                                         "{lang=…}: is it translated?"))
    return found


def plural_count(entry: polib.POEntry, count: int) -> str | None:
    """Why a plural message has the wrong number of forms for the header, or None.

    msgfmt refuses such a file unless the message is fuzzy, so it is an error."""
    if (not entry.msgid_plural or entry.obsolete or entry.fuzzy
            or len(entry.msgstr_plural) == count):
        return None
    return (f"this message has {len(entry.msgstr_plural)} plural forms but the header says "
            f"nplurals={count}: give it msgstr[0] to msgstr[{count - 1}]")


def check_catalog(catalog: polib.POFile, shown: Path | str) -> list[Problem]:
    """Every finding of one catalogue."""
    problems = []
    count = nplurals(catalog.metadata.get("Plural-Forms", ""))
    lang = catalog.metadata.get("Language", "")
    for entry in catalog:
        findings = check_entry(entry, lang)
        wrong = plural_count(entry, count) if count else None
        if wrong:
            findings.insert(0, ("error", wrong))
        for severity, message in findings:
            excerpt = plain(entry.msgid)[:50]
            problems.append(Problem(f"{message} — \"{excerpt}\"", shown, entry.linenum, severity))
    return problems


PLACEHOLDER_MARK = "TODO:"
"""What ``leaflets import`` writes where the editor must fill something in."""


def placeholders(leaflet: Leaflet, shown: Path | str) -> list[Problem]:
    """An error for each text of the source still holding a ``TODO:`` placeholder: it is
    never published."""
    texts = [text for _context, _comment, text in leaflet.texts()]
    return [Problem(f"a placeholder is left in the source: '{plain(text.markdown)[:60]}' "
                    "(write the real text; this leaflet is not built until then)",
                    shown, text.line or None, "error")
            for text in texts if PLACEHOLDER_MARK in text.markdown]


def check_source(leaflet: Leaflet, shown: Path | str,
                 hard_words: Sequence[str] = DEFAULT_HARD_WORDS) -> list[Problem]:
    """Source checks: no placeholder is left; there is a way to ask for another format;
    the easy-read rules (see :mod:`.easyread`), with ``hard_words`` to find outside bold;
    language marks (``[words]{lang=fr}``) are whole and name a language."""
    problems = placeholders(leaflet, shown)
    contact = leaflet.contact
    if not (contact.phone or contact.email or contact.address or contact.text_relay):
        problems.append(Problem(
            "no phone, e-mail or address under 'contact': readers cannot ask for another "
            "format (add at least one)", shown, 2, "warning"))
    problems += [Problem(error, shown, text.line or None, "error")
                 for _context, _comment, text in leaflet.texts()
                 for error in mark_errors(text.markdown)]
    problems += check_easy_read(leaflet, shown, hard_words)
    return problems
