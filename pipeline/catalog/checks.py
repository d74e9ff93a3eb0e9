"""Checks a translator can act on, each naming the file, the line and the message.

Errors are things that would break or falsify an output (a lost link, a changed
phone number, a broken placeholder); warnings are worth a look (untranslated,
same as the source, different end punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import polib

from ..errors import Problem
from ..inline import links, plain
from ..model import Leaflet
from .merge import meaning_changed, nplurals

EASY_READ_MAX_WORDS = 15
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
_END = {
    "?": "?؟;՞？",
    ".": ".。।۔॥",
    "!": "!！",
    ":": ":：",
}


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
    number or a number, or its spaces at either end. ``plural``: the msgid_plural, whose
    forms may each leave out the number."""
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
    if (text[:1].isspace(), text[-1:].isspace()) != (
        source[:1].isspace(), source[-1:].isspace()
    ):
        found.append("leading or trailing spaces differ from the source")
    return found


def check_entry(entry: polib.POEntry) -> list[tuple[str, str]]:
    """Findings for one message, as (severity, message) pairs."""
    if entry.obsolete or entry.msgid == "":
        return []
    translations = (
        [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        if entry.msgid_plural else [entry.msgstr]
    )
    if not any(translations):
        return [("warning", "untranslated")]
    found: list[tuple[str, str]] = []
    if entry.fuzzy:
        found.append(("warning", "fuzzy: the source changed; check the translation and "
                                 "remove the fuzzy flag"))
        if entry.previous_msgid:
            found.extend(("warning", f"fuzzy: {change}")
                         for change in meaning_changed(entry.previous_msgid, entry.msgid))
    source = entry.msgid
    for text in translations:
        if not text:
            found.append(("warning", "a plural form is untranslated"))
            continue
        found.extend(("error", error) for error in translation_errors(
            source, text, entry.msgid_plural or None))
        end = source.rstrip()[-1:]
        if end in _END and text.rstrip()[-1:] not in _END[end]:
            found.append(("warning", f"the source ends with '{end}' but the translation "
                                     "does not end the same way"))
        if text == source and len(plain(source).split()) > 2:
            found.append(("warning", "same as the source: is it translated?"))
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
    for entry in catalog:
        findings = check_entry(entry)
        wrong = plural_count(entry, count) if count else None
        if wrong:
            findings.insert(0, ("error", wrong))
        for severity, message in findings:
            excerpt = plain(entry.msgid)[:50]
            problems.append(Problem(f"{message} — \"{excerpt}\"", shown, entry.linenum, severity))
    return problems


def check_source(leaflet: Leaflet, shown: Path | str) -> list[Problem]:
    """Source checks: easy-read sentences must be short."""
    problems = []
    for question in leaflet.questions:
        for sentence in question.easy_read:
            count = len(plain(sentence.text.markdown).split())
            if count > EASY_READ_MAX_WORDS:
                problems.append(Problem(
                    f"easy-read sentence has {count} words; keep it to {EASY_READ_MAX_WORDS} "
                    "or fewer (split it in two)", shown, sentence.text.line, "error"))
    return problems
