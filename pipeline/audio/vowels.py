"""Vowel marks for scripts that leave them out, added before espeak-ng speaks.

Arabic is written without most of its short vowels; espeak-ng guesses them, often
wrongly (وخدمة comes out with no vowels at all). :func:`vocalised` adds them with
``text2tashkeel`` (ONNX models shipped inside its wheel: offline, CPU, no torch),
one sentence at a time, and keeps every mark a translator wrote. Only what the
voice is given changes: readers see the text as translated.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DIACRITISERS = {"ar": "text2tashkeel 0.1.0 rawi-ensemble"}
"""The languages whose text is vocalised, and by what (part of each clip's cache key)."""
_SENTENCE = re.compile(r"((?<=[.!?؟\n])\s+)")
_TANWIN = "\u064b\u064c\u064d"
_WASLA = re.compile("([\u064f\u0650]\u0651?)\u0627")


def diacritiser(lang: str) -> str:
    """What vocalises text in ``lang`` for espeak-ng (``""`` for none)."""
    return DIACRITISERS.get(lang.lower().split("-")[0], "")


def vocalised(lang: str, text: str) -> str:
    """``text`` with the vowel marks of its language added, the translator's kept."""
    if not diacritiser(lang) or not any("\u0621" <= c <= "\u064a" for c in text):
        return text
    model = _model()
    said = "".join(part if _SENTENCE.fullmatch(part) or not part.strip()
                   else keep_marks(part, model.diacritize(part))
                   for part in _SENTENCE.split(text))
    # An alif after i or u (بِالـ, الِاجْتِمَاع) is the silent alif of a joined word, which
    # espeak-ng would say as a long aa: written as alif wasla (ٱ), it is left silent.
    return _WASLA.sub("\\1\u0671", said)


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    """The model, on one thread: a build's ``-j`` workers each use one core (onnxruntime
    would take every core in each of them, and they would fight over the cores)."""
    import os

    from text2tashkeel import Diacritizer

    os.environ.setdefault("TT_ORT_THREADS", "1")  # read by text2tashkeel 0.1.0's session
    return Diacritizer("rawi-ensemble")


def keep_marks(written: str, predicted: str) -> str:
    """``predicted`` with the marks of ``written`` wherever the translator wrote some.

    Word by word: where both spell the same letters, each letter keeps its written
    marks, or takes the predicted ones if it has none; where the model changed a
    letter (it restores hamzas), a word with written marks is kept as written.
    """
    words, guesses = re.split(r"(\s+)", written), re.split(r"(\s+)", predicted)
    if len(words) != len(guesses):
        return written
    return "".join(_merge(w, g) for w, g in zip(words, guesses, strict=True))


def _merge(written: str, predicted: str) -> str:
    mine, theirs = _clusters(written), _clusters(predicted)
    if not any(marks for _, marks in mine):
        return predicted
    if [b for b, _ in mine] != [b for b, _ in theirs]:
        return written
    if any(c in _TANWIN for c in written):  # written on its alif, as the model may not
        theirs = [(b, "".join(c for c in m if c not in _TANWIN)) for b, m in theirs]
    return "".join(base + (marks or guess)
                   for (base, marks), (_, guess) in zip(mine, theirs, strict=True))


def _clusters(word: str) -> list[tuple[str, str]]:
    """Each base letter of ``word`` with the combining marks after it."""
    out: list[tuple[str, str]] = []
    for char in word:
        if unicodedata.category(char) == "Mn" and out:
            out[-1] = (out[-1][0], out[-1][1] + char)
        else:
            out.append((char, ""))
    return out
