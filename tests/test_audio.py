"""Audio: spoken script, voices, loudness, chapters, playlist and DAISY book, measured with
ffmpeg/ffprobe and read back with independent parsers (mutagen, zipfile, ElementTree)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest
from audio_samples import FALLBACK_PARAGRAPH, LANGUAGES, sample_edition
from audio_tools import ebur128, probe, silence_at_start

from pipeline import layout
from pipeline.audio import AudioBuilder, cached_clip, clips, render_clip
from pipeline.audio.engines import Voices, _piper_voice, voice_for
from pipeline.audio.lexicon import lexicon_for, parse_lexicon
from pipeline.audio.mp3 import Chapter, Tags, id3_tag
from pipeline.audio.script import script, spoken_phone, spoken_web
from pipeline.builders.base import OutputDir, Settings
from pipeline.catalog.translate import translate
from pipeline.errors import LeafletsError
from pipeline.model import Paragraph, Text
from pipeline.source import read_leaflet

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
ISO = {"en-GB": "eng", "cy": "cym", "pl": "pol", "ur": "urd", "pa": "pan", "ar": "ara"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def source_edition():
    return translate(read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet, "en-GB", None)


def spoken_words(clip) -> int:
    return sum(len(u.text.split()) for unit in clip.units for u in unit)


# --- script, lexicon, voices: fast ------------------------------------------------------


def test_script_frames_questions_with_translated_output_words():
    edition = sample_edition("cy")
    sections = script(edition)
    assert [s.id for s in sections] == [
        "introduction",
        "offenders-at-meetings",
        "how-mappa-works",
        "contact",
    ]
    first = sections[1].units[0]
    assert first.role == "heading"
    assert [seg.text for seg in first.segments] == [
        "Cwestiwn 1 o 2",
        "A yw troseddwyr yn mynd i gyfarfodydd MAPP?",
    ]
    intro = " ".join(seg.text for seg in sections[0].units[0].segments)
    assert "It has 2 questions." in intro  # untranslated plural: English, marked so
    welcome, count = sections[0].units[0].segments
    assert welcome.lang == count.lang == "en-GB"  # a Welsh title: Latin, read in English


def test_lists_are_read_item_by_item_with_short_pauses():
    units = script(sample_edition("pl"))[1].units
    items = [u for u in units if u.role == "item"]
    assert [u.display for u in items] == ["Policja.", "Służba kuratorska.", "Służba więzienna."]
    pauses = [u.segments[-1].pause for u in items]
    paragraph_pause = units[1].segments[-1].pause
    assert units[1].role == "paragraph" and pauses[0] == pauses[1] < paragraph_pause


def test_markup_and_ssml_in_a_translation_are_spoken_as_text():
    edition = sample_edition("cy")
    evil = '<speak><break time="20s"/>Helo</speak> **trwm**'
    question = dataclasses.replace(
        edition.leaflet.questions[0], blocks=(Paragraph(Text(evil, "cy")),)
    )
    leaflet = dataclasses.replace(edition.leaflet, questions=(question,))
    unit = script(dataclasses.replace(edition, leaflet=leaflet))[1].units[1]
    assert unit.segments[0].text == '<speak><break time="20s"/>Helo</speak> trwm'
    # espeak receives it without the SSML flag: no 20-second break appears.
    with Voices() as voices:
        samples = voices.say("espeak:cy", unit.segments[0].text)
    assert len(samples) / 22050 < 8


def test_easy_read_setting_reads_the_easy_read_sentences():
    edition = source_edition()
    standard = script(edition)[1]
    easy = script(edition, "easy-read")[1]
    assert [u.display for u in easy.units[1:]] == [
        "Offenders do not go to MAPP meetings.",
        "They are usually told about the meeting.",
        "They are told what the meeting decided.",
    ]
    assert standard.units[1].display.startswith("Offenders do not attend MAPP meetings")


def test_contact_details_are_said_the_way_people_say_them():
    assert spoken_phone("0306 999 0123") == "0 3 0 6, 9 9 9, 0 1 2 3"
    assert spoken_web("https://www.mappa.justice.gov.uk/") == "mappa.justice.gov.uk"
    contact = script(source_edition())[-1]
    said = " ".join(s.text for u in contact.units for s in u.segments)
    assert "Phone: 0 3 0 6, 9 9 9, 0 1 2 3" in said
    assert "Website: mappa.justice.gov.uk" in said
    assert contact.units[1].display.startswith("Ask us for this leaflet in another format")
    assert contact.units[2].display == "Phone: 0306 999 0123"


def test_lexicon_replaces_whole_words_only_and_longest_first():
    lexicon = parse_lexicon("MAPP = Mapp\nMAPP meeting = Mapp meeting\nVLO = V L O\n# note\n")
    assert lexicon.apply("MAPP meeting, MAPPA, VLOs, VLO.") == "Mapp meeting, MAPPA, VLOs, V L O."
    assert lexicon.apply("vlo") == "vlo"  # case-sensitive
    with pytest.raises(LeafletsError) as error:
        parse_lexicon("MAPPA = Mappa\nVLO V L O\n", "cy.txt")
    assert str(error.value).startswith("cy.txt:2: ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shipped_lexicons_parse_and_spell_out_vlo(lang):
    lexicon = lexicon_for(lang)
    assert lexicon.apply("VLO") != "VLO"
    assert lexicon_for("en-GB").apply("the victim(s) and the VLO") == (
        "the victim or victims and the V L O"
    )


def test_clips_apply_the_lexicon_of_each_passage_language():
    parts = clips(sample_edition("ur"), Settings())
    said = [u for unit in parts[1].units for u in unit]
    heading = said[1]
    assert heading.voice == "espeak:ur" and "میپ" in heading.text and "MAPP" not in heading.text
    fallback = [u for unit in parts[2].units for u in unit if u.text == FALLBACK_PARAGRAPH]
    assert fallback and fallback[0].voice == "espeak:en-gb"


def test_loudness_meter_agrees_with_pyloudnorm_on_real_speech():
    import pyloudnorm

    from pipeline.audio.loudness import loudness

    with Voices() as voices:
        speech = voices.say("espeak:en-gb", "MAPPA helps agencies keep people safe.") / 32768
    speech = np.concatenate([speech, speech, speech])
    rate = 22050
    whole = speech[: int(0.4 * rate) + (len(speech) - int(0.4 * rate)) // 2205 * 2205]
    assert abs(loudness(whole, rate) - pyloudnorm.Meter(rate).integrated_loudness(whole)) < 0.01
    assert loudness(np.zeros(rate), rate) == float("-inf")
    assert abs(loudness(whole * 10 ** (3 / 20), rate) - loudness(whole, rate) - 3) < 0.01


def test_loudness_is_measured_block_by_block_as_over_the_whole_speech():
    """Speech many blocks long: the blocks carry the K-weighting's state and the
    half-band filter's context across their edges, so nothing changes at an edge."""
    import pyloudnorm
    from scipy.signal import firwin, sosfilt

    from pipeline.audio import loudness as meter

    rate = 22050
    with Voices() as voices:
        said = voices.say("espeak:en-gb", "Probation, police and prisons work together, "
                          "and they share what they know.") / 32768
    speech = np.concatenate([said * 0.5 ** (i % 3) for i in range(12)])  # about 30 s
    assert len(speech) > 3 * meter.BLOCK_ROWS * meter._chunk(rate)
    whole = speech[: len(speech) // 2205 * 2205]
    expected = pyloudnorm.Meter(rate).integrated_loudness(whole)
    assert abs(meter.loudness(whole, rate) - expected) < 0.01
    # the halfway points, by pairs of samples, are the 23-tap half-band filter's odd phase
    rows = meter._rows(speech, rate)
    energies, peaks = meter._measure(rows, rate)
    weighted = sosfilt(meter._k_weighting(rate).astype(np.float64), rows.ravel())
    np.testing.assert_allclose(energies, (weighted.reshape(rows.shape) ** 2).sum(axis=1),
                               rtol=1e-3, atol=1e-6 * energies.max())
    odd = firwin(2 * meter.HALFBAND_TAPS - 1, 0.5)[0::2] * 2
    halfway = np.convolve(rows.ravel(), odd)[meter.HALFBAND_TAPS // 2:][:rows.size]
    highest = np.maximum(np.abs(rows), np.abs(halfway.reshape(rows.shape))).max(axis=1)
    np.testing.assert_allclose(peaks, highest * 10 ** (meter.PEAK_ALLOWANCE_DB / 20),
                               rtol=1e-5, atol=1e-7)


def test_normalised_speech_is_at_target_with_true_peaks_under_the_ceiling():
    import pyloudnorm
    from scipy.signal import resample_poly

    from pipeline.audio import loudness as meter

    rate = 22050
    with Voices() as voices:
        speech = np.concatenate([voices.say("espeak:en-gb", text) / 32768 for text in (
            "Shh.", "THIS IS LOUD AND CLEAR!", "A quiet word about the panel meeting.")])
    out = meter.normalise(speech * 0.05, rate)
    assert out.dtype == np.float32 and len(out) == len(speech)
    measured = pyloudnorm.Meter(rate).integrated_loudness(out.astype(np.float64))
    assert abs(measured - meter.TARGET_LUFS) < 0.3, measured
    true_peak = 20 * np.log10(np.abs(resample_poly(out, 8, 1)).max())
    assert true_peak <= meter.CEILING_DBTP + 0.1, true_peak


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    settings = Settings(cache_dir=str(tmp_path))
    clip = clips(source_edition(), settings)[-1]
    made = render_clip(clip, settings)
    entry = next(tmp_path.rglob("*.json"))
    meta = json.loads(entry.read_text())
    entry.write_text(json.dumps({**meta, "marks": [[0, "not a time"]]}))
    assert cached_clip(clip, settings) is None
    assert render_clip(clip, settings).mp3 == made.mp3
    assert cached_clip(clip, settings) is not None  # and kept again


def test_voice_choice():
    assert voice_for("cy", ()) == "espeak:cy"
    assert voice_for("en-GB", ()) == "espeak:en-gb"
    assert voice_for("cy", (("cy", "gtts"),)) == "gtts:cy"
    assert voice_for("en-GB", (("en", "piper:/v/en.onnx"),)) == "piper:/v/en.onnx"


def test_piper_without_the_package_is_a_clear_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "piper", None)  # as if piper-tts were not installed
    _piper_voice.cache_clear()
    with pytest.raises(LeafletsError) as error, Voices() as voices:
        voices.say("piper:/nowhere/voice.onnx", "Hello")
    assert "piper-tts" in str(error.value) and "\n" not in str(error.value)


def test_missing_espeak_voice_is_a_clear_error():
    with pytest.raises(LeafletsError, match="no voice for language 'xx'"), Voices() as voices:
        voices.say("espeak:xx", "Hello")


def test_chapter_tag_reads_back_in_order_with_mutagen():
    from mutagen.id3 import ID3

    chapters = tuple(
        Chapter(f"ch{i}", title, i * 1000, (i + 1) * 1000)
        for i, title in enumerate(["A long first chapter title", "B", "Ćwiczenie ۳"])
    )
    tag = id3_tag(Tags("Title", "Album", "Org", "pol", (2, 5)), chapters)
    from io import BytesIO

    tags = ID3(BytesIO(tag))
    assert str(tags["TLAN"]) == "pol" and str(tags["TRCK"]) == "2/5"
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["ch0", "ch1", "ch2"]
    assert int(toc.flags) == 3  # top-level, ordered
    assert [str(tags[f"CHAP:ch{i}"].sub_frames["TIT2"]) for i in range(3)] == [
        c.title for c in chapters
    ]
    # In the file, CHAP frames follow start-time order (mutagen would sort them by size).
    assert tag.index(b"ch0\x00") < tag.index(b"ch1\x00", tag.index(b"CHAP")) < tag.rindex(b"ch2")


# --- real builds: slow ------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_build(tmp_path_factory):
    """The whole sample leaflet in English, built cold."""
    root = tmp_path_factory.mktemp("audio-en")
    edition = source_edition()
    builder = AudioBuilder(Settings(cache_dir=str(root / "cache")))
    builder.build(edition, OutputDir(root / "out"))
    return edition, root, builder


@pytest.mark.slow
def test_whole_leaflet_has_a_chapter_per_question_in_order(full_build):
    edition, root, builder = full_build
    assert builder.problems == []
    info = probe(root / "out" / layout.audio_name(edition))
    titles = [c["tags"]["title"] for c in info["chapters"]]
    questions = [q.heading.markdown for q in edition.leaflet.questions]
    assert titles == [edition.leaflet.title.markdown, *questions, "Contact details"]
    starts = [float(c["start_time"]) for c in info["chapters"]]
    ends = [float(c["end_time"]) for c in info["chapters"]]
    assert starts == sorted(starts) and starts[0] == 0
    assert starts[1:] == ends[:-1]
    assert abs(ends[-1] - float(info["format"]["duration"])) < 0.05
    tags = info["format"]["tags"]
    assert tags["album"] == edition.leaflet.title.markdown
    assert tags["language"] == "eng"
    assert tags["artist"].startswith("MAPPA Responsible Authority")
    # Question 7's chapter starts where the question 7 file's audio would start.
    q7 = probe(root / "out" / layout.question_audio_name(7, edition.leaflet.questions[6].id))
    assert abs(float(q7["format"]["duration"]) - (ends[7] - starts[7])) < 0.05
    assert q7["format"]["tags"]["track"] == "8/12"
    assert q7["format"]["tags"]["title"] == questions[6]


@pytest.mark.slow
def test_every_file_meets_the_loudness_standard(full_build):
    _, root, _ = full_build
    for path in sorted((root / "out" / "audio").glob("*.mp3")):
        integrated, peak = ebur128(path)
        assert -17.0 <= integrated <= -15.0, (path.name, integrated)
        assert peak <= -1.0, (path.name, peak)


@pytest.mark.slow
def test_each_clip_holds_speech_of_a_plausible_length(full_build):
    edition, root, _ = full_build
    for clip in (c for c in clips(edition, Settings()) if not c.easy):
        name = layout.question_audio_name(clip.section.number, clip.section.id)
        path = root / "out" / name
        seconds = float(probe(path)["format"]["duration"])
        per_word = seconds / spoken_words(clip)
        assert 0.25 < per_word < 0.8, (name, per_word)
        lead = silence_at_start(path)
        assert 0.3 < lead < 0.9, (name, lead)


@pytest.mark.slow
def test_playlist_lists_every_section_with_relative_paths(full_build):
    edition, root, _ = full_build
    playlist = root / "out" / layout.playlist_name(edition)
    lines = playlist.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [line for line in lines if line and not line.startswith("#")]
    titles = [line.split(" - ", 1)[1] for line in lines if line.startswith("#EXTINF:")]
    assert len(entries) == len(titles) == len(edition.leaflet.questions) + 2
    assert titles[3] == edition.leaflet.questions[2].heading.markdown
    for entry in entries:
        assert not entry.startswith("/") and (playlist.parent / entry).is_file()


@pytest.mark.slow
def test_daisy_book_references_all_resolve(full_build):
    edition, root, _ = full_build
    with zipfile.ZipFile(root / "out" / layout.daisy_name(edition)) as book:
        names = set(book.namelist())
        ncc = ET.fromstring(book.read("ncc.html"))
        content = ET.fromstring(book.read("content.html"))
        content_ids = {e.get("id") for e in content.iter() if e.get("id")}
        meta = {m.get("name"): m.get("content") for m in ncc.iter(f"{XHTML}meta")}
        assert meta["dc:format"] == "Daisy 2.02" and meta["dc:language"] == "en-GB"
        assert int(meta["ncc:files"]) == len(names)
        body = list(ncc.find(f"{XHTML}body"))
        assert body[0].tag == f"{XHTML}h1" and body[0].get("class") == "title"
        headings = [e for e in body if e.tag == f"{XHTML}h2"]
        assert len(headings) == len(edition.leaflet.questions) + 1
        assert "".join(headings[6].itertext()) == edition.leaflet.questions[6].heading.markdown
        total = 0.0
        for heading in body:
            smil_name, fragment = heading.find(f"{XHTML}a").get("href").split("#")
            smil = ET.fromstring(book.read(smil_name))
            ids = {e.get("id") for e in smil.iter()}
            assert fragment in ids
            for text in smil.iter("text"):
                assert text.get("src").split("#")[1] in content_ids
            clip_ends = []
            for audio in smil.iter("audio"):
                assert audio.get("src") in names
                begin = float(re.sub(r"npt=|s", "", audio.get("clip-begin")))
                end = float(re.sub(r"npt=|s", "", audio.get("clip-end")))
                assert begin < end
                clip_ends.append((begin, end, audio.get("src")))
            # Paragraph clips follow each other without gaps, to the end of the file.
            assert all(a[1] == b[0] for a, b in itertools.pairwise(clip_ends))
            last_file = root / "out" / "audio" / clip_ends[-1][2]
            duration = float(probe(last_file)["format"]["duration"])
            assert abs(clip_ends[-1][1] - duration) < 0.01
            total += duration
        h, m, s = meta["ncc:totalTime"].split(":")
        assert abs(int(h) * 3600 + int(m) * 60 + float(s) - total) < 0.1
        # Text synchronised at paragraph level: one par per paragraph of question 2.
        paragraphs = [b for b in edition.leaflet.questions[1].blocks if isinstance(b, Paragraph)]
        smil = ET.fromstring(book.read("s02.smil"))
        assert len(list(smil.iter("par"))) == 1 + len(paragraphs)


@pytest.mark.slow
def test_rebuild_resynthesises_only_changed_clips(full_build, tmp_path):
    edition, root, _ = full_build
    cache = root / "cache"
    before = set(cache.rglob("*.mp3"))
    question = edition.leaflet.questions[4]
    changed = dataclasses.replace(question, heading=Text("How long will I be in MAPPA, then?"))
    questions = list(edition.leaflet.questions)
    questions[4] = changed
    leaflet = dataclasses.replace(edition.leaflet, questions=tuple(questions))
    AudioBuilder(Settings(cache_dir=str(cache))).build(
        dataclasses.replace(edition, leaflet=leaflet), OutputDir(tmp_path)
    )
    assert len(set(cache.rglob("*.mp3")) - before) == 1
    old = (root / "out" / "audio" / "04-how-mappa-works.mp3").read_bytes()
    assert (tmp_path / "audio" / "04-how-mappa-works.mp3").read_bytes() == old


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_is_spoken_tagged_and_loud_enough(lang, tmp_path):
    edition = sample_edition(lang)
    builder = AudioBuilder(Settings(cache_dir=str(tmp_path / "cache")))
    builder.build(edition, OutputDir(tmp_path / "out"))
    whole = tmp_path / "out" / layout.audio_name(edition)
    info = probe(whole)
    assert info["format"]["tags"]["language"] == ISO[lang]
    assert len(info["chapters"]) == 4
    assert info["chapters"][1]["tags"]["title"] == edition.leaflet.questions[0].heading.markdown
    for clip in (c for c in clips(edition, Settings()) if not c.easy):
        path = tmp_path / "out" / layout.question_audio_name(clip.section.number, clip.section.id)
        integrated, peak = ebur128(path)
        assert -17.0 <= integrated <= -15.0 and peak <= -1.0, (path.name, integrated, peak)
        per_word = float(probe(path)["format"]["duration"]) / spoken_words(clip)
        assert 0.2 < per_word < 1.2, (path.name, per_word)


@pytest.mark.slow
def test_same_input_gives_byte_identical_files(tmp_path):
    edition = sample_edition("ar")
    outputs = []
    for run in ("a", "b"):
        AudioBuilder(Settings(cache_dir=str(tmp_path / run / "cache"))).build(
            edition, OutputDir(tmp_path / run / "out")
        )
        outputs.append(tmp_path / run / "out")
    for name in (
        layout.audio_name(edition),
        layout.daisy_name(edition),
        layout.playlist_name(edition),
    ):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _unshare_works(), reason="unshare -n needs root here")
@pytest.mark.parametrize("voice", ["default", "gtts"])
def test_builds_with_the_network_switched_off(voice, tmp_path):
    started = time.monotonic()
    done = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            str(TESTS / "audio_offline.py"),
            str(tmp_path / "out"),
            str(tmp_path / "cache"),
            voice,
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "audio/sample.cy.mp3" in report["files"] and "sample.cy.daisy.zip" in report["files"]
    if voice == "default":
        assert report["problems"] == []
    else:
        # One warning per clip that needed the Welsh voice; the build used espeak instead.
        assert report["problems"] and all(
            "gtts:cy" in p and "espeak:cy" in p for p in report["problems"]
        )
        assert time.monotonic() - started < 60


@pytest.mark.slow
def test_gtts_on_a_network_that_never_answers_times_out_and_falls_back(tmp_path):
    # A proxy that accepts connections and never replies: without a timeout, gTTS
    # would wait for ever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        proxy = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = {**os.environ, "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "NO_PROXY": ""}
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                str(TESTS / "audio_offline.py"),
                str(tmp_path / "out"),
                str(tmp_path / "cache"),
                "gtts",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # Three sections hold Welsh text; each waits out one timeout, then uses espeak.
    assert len(report["problems"]) == 3, report["problems"]
    assert all("espeak:cy instead" in p for p in report["problems"])
    assert "audio/sample.cy.mp3" in report["files"]
    assert 3 <= elapsed < 60


@pytest.mark.parametrize(("lang", "way"), [("ar", "rtl"), ("ur", "rtl"), ("cy", "ltr")])
def test_daisy_book_pages_run_in_the_direction_of_their_language(lang, way):
    from pipeline.audio.daisy import BookSection, book_files

    edition = sample_edition(lang)
    sections = [BookSection(s, f"{s.number:02d}.mp3", 1.0, tuple((0.0, 1.0) for _ in s.units))
                for s in script(edition)]
    files = book_files(edition, sections, "espeak")
    for name in ("ncc.html", "content.html"):
        page = ET.fromstring(files[name])
        assert page.get("dir") == way and page.get("lang") == lang
    english = [e for e in ET.fromstring(files["content.html"]).iter()
               if e.get("lang") == "en-GB"]  # the question left untranslated
    assert english
    assert all(e.get("dir") == ("ltr" if way == "rtl" else None) for e in english)
