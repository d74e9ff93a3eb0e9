"""The easy-read rules of ``leaflets check``, on the source: each finding names file:line.

From the guidance services follow (Mencap "Am I making myself clear?", the Department
of Health's "Making written information easier to understand"): at most 15 words a
sentence, one idea a sentence, hard words in bold and explained in the glossary, and
everyday words. Errors break the easy-read version (a sentence too long, a bold word
with no explanation); warnings are worth a look (two ideas in one sentence, a glossary
word never used, a hard word not in bold, a sentence that reads hard).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..inline import plain, spans
from ..model import SOURCE_LANGUAGE, EasySentence, Leaflet, Text

MAX_WORDS = 15
MIN_READING_EASE = 60
"""Flesch reading ease below which a sentence is reported as hard to read (60 to 70 is
plain English; easy read should be easier still)."""
DEFAULT_HARD_WORDS = (
    "accommodation", "arrangements", "assess", "assessed", "assessment", "authorise",
    "breach", "category", "comply", "compliance", "confidential", "consent",
    "disclose", "disclosed", "disclosure", "eligible", "hospital order", "implement",
    "licence", "multi-agency", "notification", "procedure", "register",
    "registered", "restriction order", "statutory", "supervised", "surveillance",
)
"""Words that need explaining, used when the configuration gives no ``hard-words``."""
_IDEAS = re.compile(
    r"\b(?:but|which)\b|,\s*and\b|\band\s+(?:I|you|he|she|it|we|they|there|this)\b",
    re.IGNORECASE)
"""Words that join two ideas: "but", "which", ", and", or "and" before a new subject
(not the "and" of a list: "police, probation and prison")."""
_SENTENCE_END = re.compile(r"[.!?](?=\s+\S)")
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


def check_easy_read(leaflet: Leaflet, shown: Path | str,
                    hard_words: Sequence[str] = DEFAULT_HARD_WORDS) -> list[Problem]:
    """Every easy-read finding of a source leaflet, in the order of its lines.

    A glossary word must be in bold where an answer (or the introduction) first uses it,
    where the page explains it; ``hard_words`` that are not glossary words, everywhere.
    """
    problems: list[Problem] = []

    def add(message: str, line: int, severity: str = "warning") -> None:
        problems.append(Problem(message, shown, line or None, severity))

    if leaflet.lang.split("-")[0] != SOURCE_LANGUAGE.split("-")[0]:
        return problems  # the wording rules below are English ones
    terms = {e.id: plain(e.term.markdown) for e in leaflet.glossary}
    others = [w for w in hard_words
              if not any(_pattern(t.lower()).fullmatch(w) for t in terms.values())]
    used: set[str] = set()
    for place in _places(leaflet):
        explained: set[str] = set()
        for sentence in place:
            line = sentence.text.line
            for message, severity in _sentence_findings(sentence):
                add(message, line, severity)
            bold = [s.text for s in spans(sentence.text.markdown) if s.bold]
            links = sentence.terms or (None,) * len(bold)
            for words, entry in zip(bold, links, strict=False):
                if entry is None:
                    add(f"'{words}' is bold but not in the glossary (explain it under "
                        "'::: glossary', or take away the **)", line, "error")
            new = [t for t in terms if t not in explained]
            for hard in _not_bold(sentence.text, [*others, *(terms[t] for t in new)]):
                add(f"'{hard}' is a hard word: put it in **bold** and explain it in the "
                    "glossary, or use an everyday word", line)
            explained.update(e for e in links if e)
        used |= explained
    for heading in _headings(leaflet):
        for hard in _not_bold(heading, others):
            add(f"'{hard}' is a hard word in an easy-read heading: use an everyday word",
                heading.line)
    for entry in leaflet.glossary:
        if entry.id not in used:
            add(f"the glossary word '{terms[entry.id]}' is never used in bold in easy read "
                "(use it, or take it out of the glossary)", entry.term.line)
    return sorted(problems, key=lambda p: p.line or 0)


def _sentence_findings(sentence: EasySentence) -> Iterator[tuple[str, str]]:
    """Length, ideas and reading ease of one sentence: (message, severity) pairs."""
    text = plain(sentence.text.markdown)
    count = len(_WORD.findall(text))
    if count > MAX_WORDS:
        yield (f"easy-read sentence has {count} words; keep it to {MAX_WORDS} or fewer "
               "(split it in two)", "error")
    idea = _more_than_one_idea(text)
    if idea:
        yield f"more than one idea ({idea}): give each idea its own sentence", "warning"
    ease = reading_ease(_outside_bold(sentence.text))
    if ease is not None and ease < MIN_READING_EASE:
        yield (f"this sentence reads hard (reading ease {ease:.0f}; aim for "
               f"{MIN_READING_EASE} or more): use shorter, everyday words", "warning")


def reading_ease(text: str) -> float | None:
    """The Flesch reading ease of ``text`` (higher is easier), with syllables counted
    from British English hyphenation; None for a text without words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len(_SENTENCE_END.findall(text)) + 1)
    syllables = sum(_syllables(word) for word in words)
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * syllables / len(words)


def _places(leaflet: Leaflet) -> Iterator[tuple[EasySentence, ...]]:
    """The easy-read introduction, then each answer's easy-read sentences."""
    yield leaflet.easy.intro
    for question in leaflet.questions:
        yield question.easy_read


def _headings(leaflet: Leaflet) -> Iterator[Text]:
    for text in (leaflet.easy.title, leaflet.easy.summary,
                 *(q.easy_heading for q in leaflet.questions)):
        if text is not None:
            yield text


def _more_than_one_idea(text: str) -> str | None:
    """What joins two ideas in ``text`` ("and", "but", "which", or a second sentence)."""
    if _SENTENCE_END.search(text):
        return "two sentences"
    found = _IDEAS.search(text)
    if found is None:
        return None
    return f"'{found.group(0).strip(', ').split()[0].lower()}'"


def _not_bold(text: Text, words: Iterable[str]) -> list[str]:
    """The ``words`` (and their simple inflections) used in ``text`` outside bold."""
    outside = _outside_bold(text)
    found = []
    for word in dict.fromkeys(w.lower() for w in words):
        match = _pattern(word).search(outside)
        if match:
            found.append(match.group(0))
    return found


def _outside_bold(text: Text) -> str:
    return " ".join(s.text for s in spans(text.markdown) if not s.bold)


@lru_cache(maxsize=512)
def _pattern(word: str) -> re.Pattern[str]:
    stem = re.escape(word).replace(r"\ ", r"\s+")
    if word.endswith("y"):  # agency, agencies
        stem = f"(?:{stem}|{stem[:-1]}ies)"
    return re.compile(rf"\b{stem}(?:s|es|d|ed|ing)?\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _syllables(word: str) -> int:
    letters = "".join(c for c in word if c.isalpha())
    if not letters or letters.isupper():  # an acronym is said letter by letter: short
        return 1
    return len(_hyphenator().positions(letters.lower())) + 1


@lru_cache(maxsize=1)
def _hyphenator():  # type: ignore[no-untyped-def]
    import pyphen

    return pyphen.Pyphen(lang="en_GB")
