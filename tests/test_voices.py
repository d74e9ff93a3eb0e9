"""What espeak-ng makes of the text: Arabic vowels, scripts a voice cannot read."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.audio.phonemes import phonemes
from pipeline.audio.vowels import keep_marks, vocalised

SENTENCE = "كيف تعمل الشرطة وخدمة مراقبة السلوك والسجون معًا لحماية الجمهور"
"""From the Arabic leaflet's summary, as translated (no vowel marks)."""


@pytest.mark.parametrize(("word", "unvocalised", "vocalised_start"), [
    # espeak alone: no vowels at all, another word, a wrong first syllable.
    ("وخدمة", "wχdmt", "waχˈidma"),       # wa-khidmat: "and the service of"
    ("تعمل", "tˈaʕammˌul", "tˈaʕmal"),     # taʿmalu: "(it) works", not taʿammul
    ("لحماية", "lħmaːˈijjah", "liħˌimaːj"),  # li-ḥimāyat: "to protect"
])
def test_arabic_words_get_their_vowels_in_context(word, unvocalised, vocalised_start):
    said = vocalised("ar", SENTENCE)
    words = dict(zip(SENTENCE.split(), said.split(), strict=True))
    assert phonemes("ar", word) == unvocalised  # what was wrong, still wrong without us
    assert phonemes("ar", words[word]).startswith(vocalised_start)


def test_the_whole_arabic_sentence_has_a_vowel_in_every_word():
    said = phonemes("ar", vocalised("ar", SENTENCE)).split()
    assert len(said) == len(SENTENCE.split())
    assert all(any(v in word for v in "aiuə") for word in said), said


def test_vowel_marks_a_translator_wrote_are_kept():
    assert keep_marks("كبارُ", "كِبَارِ") == "كِبَارُ"  # the written ending wins
    assert keep_marks("معاً", "مَعًا") == "مَعاً"  # tanwin stays on the alif, not twice
    assert keep_marks("اجتماع", "اجْتِمَاعٌ") == "اجْتِمَاعٌ"  # none written: the model's
    assert keep_marks("اِجتماع", "إِجْتِمَاع") == "اِجتماع"  # letters changed: as written
    said = vocalised("ar", "ويحضر اجتماعاتِ SMB كبارُ المديرين. ماذا يعني ذلك؟")
    assert "اجْتِمَاعَاتِ SMB كِبَارُ" in said and "الْمُدِيرِينَ. مَ" in said


def test_other_languages_and_latin_text_are_left_alone():
    assert vocalised("ur", "محکمے") == "محکمے"
    assert vocalised("ar", "MAPPA 0300") == "MAPPA 0300"


@pytest.mark.slow
def test_the_diacritiser_runs_without_a_network():
    code = "from pipeline.audio.vowels import vocalised; print(vocalised('ar', 'وخدمة'))"
    done = subprocess.run(["unshare", "-rn", sys.executable, "-c", code],
                          capture_output=True, text=True, check=False)
    if "unshare" in done.stderr and done.returncode:
        pytest.skip(f"no network namespace here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("وَخِدْمَة")
