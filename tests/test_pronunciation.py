"""Pronunciation: what espeak-ng says for words and phrases of the sample leaflets.

Each shipped language has a list in ``tests/data/pronunciation/<lang>.tsv``: service
names, acronyms, numbers, a date, the phone number as the audio says it, hard words;
each with the IPA espeak-ng gives for it through the pipeline (lexicon, then vowel
marks for Arabic), reviewed against a dictionary (the file's first line says which).
A change of espeak-ng, of the diacritiser or of a lexicon that changes what a
listener hears fails here, on the word. Wrong readings found while making the lists
are fixed in ``pipeline/lexicons/`` (the files say which).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.audio.engines import voice_for
from pipeline.audio.lexicon import lexicon_for
from pipeline.audio.phonemes import phonemes
from pipeline.audio.vowels import vocalised

LISTS = Path(__file__).parent / "data" / "pronunciation"
LANGUAGES = ("en-GB", "cy", "pl", "ur", "pa", "ar")


def expectations(lang: str) -> list[tuple[str, str]]:
    rows = []
    for line in (LISTS / f"{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            written, said = line.split("\t")
            rows.append((written, said))
    return rows


def said(lang: str, text: str) -> str:
    """What the audio's espeak voice gives for ``text``, as a clip would say it."""
    return phonemes(voice_for(lang, ()).partition(":")[2],
                    vocalised(lang, lexicon_for(lang).apply(text)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_thirty_reviewed_words_and_phrases(lang):
    rows = expectations(lang)
    assert len(rows) >= 30
    assert {"MAPPA", "MAPP", "VLO", "SMB"} <= {written for written, _ in rows}
    assert any(written.count("0") >= 3 for written, _ in rows)  # the phone number


@pytest.mark.parametrize(("lang", "written", "expected"), [
    (lang, written, expected) for lang in LANGUAGES for written, expected in expectations(lang)
])
def test_pronunciation(lang, written, expected):
    assert said(lang, written) == expected


@pytest.mark.parametrize(("lang", "written", "unfixed", "wrong"), [
    # mahkame, not mehekme: the lexicon writes its vowels
    ("ur", "محکمے", "محکمے", "meːhˈeːkmeː"),
    ("ur", "محفوظ", "محفوظ", "mˌeːhfˈuːʐ"),  # mahfūz, the same word-initial مح
    ("pl", "ds.", "ds.", "dˌɛˈɛs"),  # "do spraw", not the letters d s
    # an English name, not read as Polish
    ("pl", "Jobcentre Plus", "Jobcentre Plus", "jɔptsˈɛntrɛ plˈus"),
    ("pa", "ਜੇਲ੍ਹ", "ਜੇਲ੍ਹ", "ɟˈelh"),  # jēl, with no h at the end
    # The letter names in the Arabic lexicon had no vowel marks, and the diacritiser
    # guessed them wrong: they are written with their marks now.
    ("ar", "SMB", "إس إم بي", "ʔˈas ʔˈumm baˌi"),
])
def test_what_the_lexicons_fixed_stays_fixed(lang, written, unfixed, wrong):
    assert phonemes(voice_for(lang, ()).partition(":")[2], vocalised(lang, unfixed)) == wrong
    assert said(lang, written) != wrong
