"""Whether a voice can read a text at all, measured before any audio is made.

espeak-ng reads a letter it does not know by its name ("Chinese letter", "Ethiopic
letter one two eight eight"), and a word of an unknown alphabet letter by letter:
speech no listener can follow. A word counts as *spelled out* when espeak gives it
a stress for every letter or more (a spoken word has one or two; words with digits
are left out, as numbers have a stress per group of digits); in a script of
syllables or words, such as Chinese or Korean, a stress a character is normal, and
a word is spelled out when its phonemes switch language or are very long.
:func:`unreadable` says why an edition's audio would be unusable: a language with
no espeak voice, or more than :data:`MAX_SPELLED` of the letters spelled out.
Acronyms (NHS) are spelled out too, on purpose, and stay well under it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from ..builders.base import Settings
from ..model import Edition
from .phonemes import has_voice, phonemes

MAX_SPELLED = 0.10
"""The share of letters spelled out above which the audio is not made."""
_CHOOSE = "choose gtts or a Piper voice for it in the voices setting"


def spelled_share(language: str, texts: Iterable[str]) -> float:
    """The share of the letters of ``texts`` that espeak-ng's ``language`` voice spells out."""
    counts = Counter(word for text in texts for word in text.split())
    letters = spelled = 0
    for word, times in counts.items():
        if any(c.isdigit() for c in word):  # numbers have a stress per digit group
            continue
        n = sum(unicodedata.category(c).startswith("L") for c in word)
        letters += n * times
        if n and _spelled(language, word, n):
            spelled += n * times
    return spelled / letters if letters else 0.0


@lru_cache(maxsize=8192)
def _spelled(language: str, word: str, letters: int) -> bool:
    said = phonemes(language, word)
    if any(unicodedata.name(c, "").startswith(_SYLLABIC) for c in word):
        # A syllable (or word) a character: a stress each is normal. A name is read in
        # another language's words ("(en)Chinese (ja)letter"), or is long.
        return "(" in said or len(said) >= 10 * letters
    return said.count("ˈ") + said.count("ˌ") >= max(letters, 2)


_SYLLABIC = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "ETHIOPIC", "YI ", "CANADIAN",
             "CHEROKEE", "VAI ")
"""Scripts written a syllable or a word a character (Unicode name prefixes)."""


def unreadable(edition: Edition, settings: Settings) -> str | None:
    """Why no listener could follow ``edition``'s audio, in one line; None if one could.

    Each espeak-ng voice is checked on what it would say (lexicons applied); a network
    or Piper voice chosen in the settings is trusted to read its language.
    """
    from .clip import clips

    said: dict[str, list[str]] = {}
    for clip in clips(edition, settings):
        for unit in clip.units:
            for utterance in unit:
                engine, _, language = utterance.voice.partition(":")
                if engine == "espeak":
                    said.setdefault(language, []).append(utterance.text)
    for language, texts in said.items():
        reason = why_unreadable(language, texts)
        if reason:
            return reason
    return None


def why_unreadable(language: str, texts: Iterable[str]) -> str | None:
    """One line saying why espeak-ng's ``language`` voice cannot read ``texts``, or None."""
    name = language_name(language)
    if not has_voice(language):
        return f"no audio: espeak-ng has no voice for {name} ({_CHOOSE})"
    share = spelled_share(language, texts)
    if share > MAX_SPELLED:
        return (f"no audio: the espeak-ng {name} voice cannot read this script, it would "
                f"spell out {share:.0%} of the letters ({_CHOOSE})")
    return None


def language_name(code: str) -> str:
    """The English name of a language code (``am`` → Amharic), or the code itself."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code
