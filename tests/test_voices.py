"""What espeak-ng makes of the text: Arabic vowels, scripts a voice cannot read."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polib
import pytest
from audio_samples import LANGUAGES, sample_edition
from build_project import LEAFLET, build, catalogue, make_project

from pipeline.audio import clips, render_clip, unreadable
from pipeline.audio.engines import SAMPLE_RATE, Voices, process_voices
from pipeline.audio.phonemes import phonemes
from pipeline.audio.readable import spelled_share, why_unreadable
from pipeline.audio.script import script
from pipeline.audio.vowels import keep_marks, vocalised
from pipeline.build.run import SKIPPED
from pipeline.builders.base import Settings
from pipeline.catalog.translate import CatalogWords
from pipeline.cli import main
from pipeline.errors import LeafletsError

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


def test_a_voice_that_spells_out_its_script_is_unreadable():
    assert why_unreadable("ja", ["日本語の音声です。多機関公衆保護協定"]).startswith(
        "no audio: the espeak-ng Japanese voice cannot read this script, it would spell out ")
    assert spelled_share("en-gb", ["Привет, как дела"]) == 1.0  # letter names, one by one
    assert why_unreadable("so", ["Su'aalaha"]) == (
        "no audio: espeak-ng has no voice for Somali (choose gtts or a Piper voice for it "
        "in the voices setting)")
    assert why_unreadable("am", ["የማፓ ጥያቄዎች"]) is None  # espeak has an Amharic voice


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_languages_are_readable(lang):
    edition = sample_edition(lang)
    assert unreadable(edition, Settings()) is None
    said = [u for c in clips(edition, Settings()) for unit in c.units for u in unit]
    for language in {u.voice.partition(":")[2] for u in said}:
        assert spelled_share(language, [u.text for u in said
                                        if u.voice == f"espeak:{language}"]) < 0.03


def test_a_title_in_another_script_is_said_by_its_own_voice_in_an_english_frame():
    leaflet = sample_edition("ar").leaflet
    edition = dataclasses.replace(sample_edition("ar"), words=CatalogWords("ar"))
    welcome, count = script(edition)[0].units[0].segments
    assert welcome.text.startswith(f"This is the audio version of {leaflet.title.markdown}")
    assert welcome.lang == "ar" and count.lang == "en-GB"  # by the Arabic voice
    said = phonemes("ar", welcome.text)  # which reads the English words in English
    assert said.startswith("(en)ðɪs ɪz ðɪ ˈɔːdɪˌəʊ vˈɜːʃən ɒv")


WORDS = {"ja": "多機関公衆保護協定", "am": "የማፓ", "so": "Su'aalaha"}


def _translate_all(root: Path, lang: str) -> None:
    """Every message of the leaflet in ``lang``'s script (markup and placeholders kept);
    the output words (leaflets.po) left untranslated."""
    po = polib.pofile(str(catalogue(root, lang)))
    for entry in po:
        entry.msgstr = re.sub(r"%\(\w+\)s|\{#[^}]*\}|[A-Za-z]+",
                              lambda m: m.group(0) if m.group(0)[0] in "%{" else WORDS[lang],
                              entry.msgid)
    po.save()


@pytest.mark.slow
def test_audio_no_voice_can_read_is_not_published_and_the_build_says_why(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "leaflets.toml").write_text(
        'languages = ["en-GB", "ja", "am", "so"]\nformats = ["html", "audio", "epub"]\n'
        'threshold = 0\n', encoding="utf-8")
    for lang in WORDS:
        assert main(["-C", str(root), "add-language", lang]) == 0
        _translate_all(root, lang)
    capsys.readouterr()
    assert build(root) == SKIPPED == 3
    out = capsys.readouterr().out
    table = " ".join(line.strip("│ ") for line in out.splitlines())
    assert "espeak-ng Japanese voice cannot read this script" in table
    assert "espeak-ng has no voice for Somali" in table
    assert "no EPUB (it reads aloud): the espeak-ng Japanese voice" in table
    outputs = root / "outputs" / LEAFLET
    for lang in ("ja", "so"):
        assert not list((outputs / lang).rglob("*.mp3"))
        assert not list((outputs / lang).rglob("*.zip"))
        assert not list((outputs / lang).rglob("*.epub"))
        page = (outputs / lang / "index.html").read_text(encoding="utf-8")
        assert "<audio" not in page and ".mp3" not in page and ".zip" not in page
    for lang in ("en-GB", "am"):  # espeak reads Ethiopic: Amharic is spoken, and linked
        page = (outputs / lang / "index.html").read_text(encoding="utf-8")
        assert "<audio" in page and (outputs / lang / f"audio/{LEAFLET}.{lang}.mp3").is_file()
        assert list((outputs / lang).rglob("*.epub"))
    assert build(root) == 3  # and again, every build: nothing is silently "up to date"


def test_the_english_voice_never_spells_another_script():
    """Amharic with its output words untranslated: the English frames keep the title,
    but the Amharic voice says it."""
    edition = dataclasses.replace(sample_edition("ar"), lang="am", words=CatalogWords("am"))
    leaflet = edition.leaflet
    title = dataclasses.replace(leaflet.title, markdown="የማፓ ጥያቄዎች", lang="am")
    edition = dataclasses.replace(edition, leaflet=dataclasses.replace(leaflet, title=title))
    said = [u for c in clips(edition, Settings()) for unit in c.units for u in unit]
    english = [u.text for u in said if u.voice == "espeak:en-gb"]
    assert english and not any("\u1200" <= c <= "\u137f" for text in english for c in text)
    framed = [u for u in said if "የማፓ ጥያቄዎች" in u.text]
    assert len(framed) == 2 and all(u.voice == "espeak:am" for u in framed)  # start, end
    assert phonemes("am", framed[1].text) == "(en)ðɪs ɪz ðɪ ˈɛnd ɒv(am) jˈəmapa t`ˈɨjak`ewotʃ"


def test_each_clip_starts_from_the_same_espeak_state():
    with Voices() as voices:
        first = voices.say("espeak:en-gb", "Question 1 of 10")
        voices.say("espeak:en-gb", "A longer text that moves espeak's pitch flutter on. " * 3)
        unreset = voices.say("espeak:en-gb", "Question 1 of 10")
        for language, text in (("ar", "مرحبا بكم"), ("cy", "Croeso"), ("en-gb", "")):
            voices.fresh(language)  # the next clip's voice, loaded before its speaker starts
            said = voices.say(f"espeak:{language}", text or "Question 1 of 10")
    assert np.array_equal(first, said)  # whatever was said before, in whatever voice
    assert not np.array_equal(first, unreset)  # why a clip needs a fresh state


def test_a_hung_espeak_is_killed_with_its_speaker_and_the_next_text_restarts_it():
    voices = Voices()
    real = voices.child_command
    voices.child_command = (sys.executable, "-c", "import sys, time\nsys.stdin.readline()\n"
                            "time.sleep(3600)\n")
    voices.speech_timeout = 1.0
    with pytest.raises(LeafletsError, match="did not finish a text in 1 s"):
        voices.say("espeak:en-gb", "Hello.")
    assert voices._child is None
    voices.child_command = real
    with voices:
        assert len(voices.say("espeak:en-gb", "Hello.")) > SAMPLE_RATE // 4


def test_a_build_worker_keeps_one_espeak_for_all_its_clips(tmp_path):
    edition = sample_edition("cy")
    first, second = clips(edition, Settings(cache_dir=str(tmp_path)))[:2]
    render_clip(first, Settings(cache_dir=str(tmp_path)))
    child = process_voices()._child
    render_clip(second, Settings(cache_dir=str(tmp_path)))
    assert child is not None and process_voices()._child is child


@pytest.mark.slow
def test_the_readme_voice_table_is_what_the_tool_measures():
    from pipeline.audio.voice_table import END, START, table

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split(START)[1].split(END)[0].strip()
    assert shown == table()
    rows = {line.split(" | ")[0].strip("| "): line for line in shown.splitlines()[2:]}
    assert "vowels: text2tashkeel" in rows["ar"] and "| yes |" in rows["ar"]
    assert "**no**" in rows["ja"] and "| yes |" in rows["am"]
