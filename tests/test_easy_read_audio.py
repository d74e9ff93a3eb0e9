"""Easy-read audio: the easy-read sentences, slower, with longer pauses, beside them on
the page; one clip per question and the whole easy-read leaflet with chapters."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from audio_tools import probe
from lxml import html as lxml_html

from pipeline import layout
from pipeline.audio import AudioBuilder, clips, render_clip
from pipeline.audio.engines import SAMPLE_RATE, Voices, decode_mp3, voice_for
from pipeline.audio.script import easy_script, script
from pipeline.builders.base import OutputDir, Settings
from pipeline.catalog.publish import editions
from pipeline.catalog.workflow import read_sources
from pipeline.html import render_page
from pipeline.inline import plain
from pipeline.model import Edition
from pipeline.project import Project

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en-GB", "cy", "pl", "ur", "pa", "ar"]


def shipped_editions() -> dict[str, Edition]:
    project = Project.find(ROOT)
    found = editions(project, read_sources(project).leaflets, LANGUAGES)
    return {e.lang: e for e in found.editions}


EDITIONS = shipped_editions()


def page_sentences(page: str) -> dict[str, list[str]]:
    """The easy-read sentences the page shows, by question id (and 'introduction')."""
    tree = lxml_html.fromstring(page)
    found: dict[str, list[str]] = {}
    intro = tree.xpath("//main/ul[@class='easy-read']")[0]
    found["introduction"] = [" ".join(p.text_content().split())
                             for p in intro.xpath("./li/div[@class='sentence']/p[1]")]
    for section in tree.xpath("//section[@class='question']"):
        qid = section.xpath("./h2/@id")[0]
        found[qid] = [" ".join(p.text_content().split()) for p in
                      section.xpath("./ul[@class='easy-read']/li/div[@class='sentence']/p[1]")]
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_easy_read_audio_says_the_sentences_the_page_shows(lang: str) -> None:
    edition = EDITIONS[lang]
    settings = Settings()
    shown = page_sentences(render_page(edition, settings))
    spoken = {s.id: s for s in easy_script(edition, settings.easy_read_pause)}
    intro = [u.display for u in spoken["introduction"].units if u.role == "paragraph"]
    intro = intro[:1] + intro[1 + len(edition.notices):]
    assert intro[1:] == shown["introduction"] and len(intro) == 4
    assert intro[0] == plain(edition.leaflet.easy_summary.markdown)
    for question in edition.leaflet.questions:
        units = spoken[question.id].units
        assert units[0].display == plain(question.easy_title.markdown)
        said = [u.display for u in units[1:]]
        assert said == shown[question.id] and len(said) == len(question.easy_read)
        # and what the voice reads is what is shown (markup gone, nothing added)
        assert [" ".join(seg.text for seg in u.segments) for u in units[1:]] == said
    # the standard audio still reads the full answers
    standard = {s.id: s for s in script(edition)}
    assert [u.display for u in standard["victims"].units[1:]] != shown["victims"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_player_points_at_the_audio_of_what_it_sits_beside(lang: str) -> None:
    edition = EDITIONS[lang]
    page = render_page(edition, Settings())
    made = {layout.easy_question_audio_name(c.section.number, c.section.id)
            for c in clips(edition, Settings()) if c.easy}
    made |= {layout.question_audio_name(c.section.number, c.section.id)
             for c in clips(edition, Settings()) if not c.easy}
    tree = lxml_html.fromstring(page)
    for number, section in enumerate(tree.xpath("//section[@class='question']"), 1):
        qid = section.xpath("./h2/@id")[0]
        beside_easy = section.xpath("./div[@class='player']/audio/@src")
        in_full = section.xpath(".//div[@class='full-answer']/div[@class='player']/audio/@src")
        assert beside_easy == [layout.easy_question_audio_name(number, qid)]
        assert in_full == [layout.question_audio_name(number, qid)]
        assert set(beside_easy + in_full) <= made
    whole = tree.xpath("//section[@class='formats']//audio/@src")
    assert whole == [layout.easy_audio_name(edition)]


def test_easy_read_settings_change_the_easy_clips_only() -> None:
    edition = EDITIONS["en-GB"]
    normal = clips(edition, Settings())
    slower = clips(edition, Settings(easy_read_rate=100, easy_read_pause=2.0))
    assert [c.key for c in normal if not c.easy] == [c.key for c in slower if not c.easy]
    easy = [c for c in slower if c.easy]
    assert {u.rate for c in easy for unit in c.units for u in unit} == {100}
    assert {u.rate for c in normal if not c.easy for unit in c.units for u in unit} == {0}
    sentence = easy[1].units[1][0]
    assert sentence.pause == 2.0
    assert all(a.key != b.key for a, b in zip(
        [c for c in normal if c.easy], easy, strict=True))


def pauses_and_speech(samples: np.ndarray, least: float = 0.25) -> tuple[list[float], float]:
    """The silences of at least ``least`` seconds between speech, and the seconds of
    speech (everything else but the silence at the start and the end), in float samples:
    20 ms windows quieter than -40 dBFS are silent."""
    window = SAMPLE_RATE // 50
    frames = samples[: len(samples) // window * window].reshape(-1, window)
    quiet = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) < 10 ** (-40 / 20)
    runs: list[float] = []
    count = 0
    for q in quiet:
        if q:
            count += 1
        elif count:
            runs.append(count / 50)
            count = 0
    pauses = [r for r in runs[1:] if r >= least]  # runs[0]: the lead silence
    speech = (len(quiet) - count) / 50 - runs[0] - sum(pauses)
    return pauses, speech


@pytest.mark.slow
def test_easy_read_speech_is_slower_with_longer_pauses(tmp_path: Path) -> None:
    edition = EDITIONS["en-GB"]
    settings = Settings(cache_dir=str(tmp_path))
    parts = clips(edition, settings)
    easy = next(c for c in parts if c.easy and c.section.id == "victims")
    standard = next(c for c in parts if not c.easy and c.section.id == "victims")
    measured = {}
    for name, clip in (("easy", easy), ("standard", standard)):
        samples = decode_mp3(render_clip(clip, settings).mp3).astype(np.float64) / 32768
        pauses, speech = pauses_and_speech(samples)
        words = sum(len(u.text.split()) for unit in clip.units for u in unit)
        measured[name] = (words / speech * 60, pauses)
    easy_wpm, easy_pauses = measured["easy"]
    standard_wpm, _ = measured["standard"]
    print(f"easy read {easy_wpm:.0f} words a minute while speaking, standard {standard_wpm:.0f}")
    assert 110 <= easy_wpm <= 140, easy_wpm
    assert standard_wpm >= 150, standard_wpm
    # a pause of about 1.2 s after each of the 11 sentences (the last is the clip's end)
    long = [p for p in easy_pauses if p >= settings.easy_read_pause - 0.1]
    assert len(long) >= len(easy.units) - 2, easy_pauses
    assert max(easy_pauses) < settings.easy_read_pause + 0.6


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_speaks_easy_read_more_slowly(lang: str) -> None:
    edition = EDITIONS[lang]
    sentence = edition.leaflet.questions[1].easy_read[1].text
    voice = voice_for(sentence.lang, ())
    with Voices() as voices:
        normal = len(voices.say(voice, plain(sentence.markdown)))
        slow = len(voices.say(voice, plain(sentence.markdown), Settings().easy_read_rate))
    assert slow / normal >= 1.2, (lang, slow / normal)


@pytest.mark.slow
def test_the_whole_easy_read_leaflet_is_one_mp3_with_a_chapter_per_question(
    tmp_path: Path,
) -> None:
    edition = EDITIONS["cy"]
    out = OutputDir(tmp_path / "out")
    AudioBuilder(Settings(cache_dir=str(tmp_path / "cache"))).build(edition, out)
    info = probe(tmp_path / "out" / layout.easy_audio_name(edition))
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert len(titles) == len(edition.leaflet.questions) + 2
    assert titles[1] == plain(edition.leaflet.questions[0].easy_title.markdown)
    assert titles[0] == plain(edition.leaflet.easy_title.markdown)
    starts = [float(c["start_time"]) for c in info["chapters"]]
    assert starts == sorted(starts)
    for number, q in enumerate(edition.leaflet.questions, 1):
        easy = tmp_path / "out" / layout.easy_question_audio_name(number, q.id)
        standard = tmp_path / "out" / layout.question_audio_name(number, q.id)
        assert easy.is_file() and standard.is_file()
    # the standard files are untouched by easy read: same names, same chapters
    whole = probe(tmp_path / "out" / layout.audio_name(edition))
    assert [c["tags"]["title"] for c in whole["chapters"]][1] == plain(
        edition.leaflet.questions[0].heading.markdown)
    assert re.search(r"easy-read/01-offenders-at-meetings\.mp3",
                     " ".join(str(p) for p in (tmp_path / "out").rglob("*.mp3")))
