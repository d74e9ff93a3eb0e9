"""Clips: the unit of audio work, one per section, each rendered on its own.

``clips(edition, settings)`` turns the spoken script into :class:`Clip` objects
(picklable, each with a stable content key); ``render_clip(clip, settings)``
synthesises, normalises and encodes one of them, through the cache. A build
engine can run ``render_clip`` calls as separate tasks and hand the results to
:func:`pipeline.audio.assemble.assemble`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np

from ..builders.base import Settings
from ..errors import Problem
from ..model import Edition
from . import loudness, mp3
from .cache import ClipCache
from .engines import SAMPLE_RATE, EngineFailure, Voices, process_voices, voice_for, voice_key
from .lexicon import lexicon_for
from .script import LEAD_SILENCE, Section, easy_script, script
from .vowels import DIACRITISERS

AUDIO_VERSION = 6
"""Bump when a change here alters the sound of clips already in caches."""


@dataclass(frozen=True)
class Utterance:
    """What one voice says (lexicon applied), then ``pause`` seconds of silence."""

    text: str
    lang: str
    voice: str
    pause: float
    rate: int = 0
    """Words a minute (0: the voice's own pace, as in the standard audio)."""


@dataclass(frozen=True)
class Clip:
    """One section, ready to synthesise: its utterances grouped by unit of the script."""

    section: Section
    units: tuple[tuple[Utterance, ...], ...]
    key: str
    easy: bool = False
    """A section of the easy-read audio (slower, with longer pauses)."""


@dataclass(frozen=True)
class RenderedClip:
    """An encoded clip: MP3 frames only, where each unit starts and ends, what went wrong."""

    key: str
    mp3: bytes
    marks: tuple[tuple[float, float], ...]
    """(start, end) seconds of each unit in the decoded MP3."""
    said: tuple[tuple[float, float], ...]
    """(start, end) seconds of each utterance (a sentence, mostly), all units in a row:
    each starts where its speech starts and ends where the next one starts."""
    seconds: float
    """The length of the MP3, counted in frames once, when it was encoded."""
    problems: tuple[Problem, ...] = ()


def clips(edition: Edition, settings: Settings) -> list[Clip]:
    """The clips of ``edition``: introduction, one per question, contact details; then,
    when the leaflet has easy read, the same sections of the easy-read audio."""
    out = _clips(script(edition, settings.audio_text), settings)
    if edition.leaflet.has_easy_read:
        easy = easy_script(edition, settings.easy_read_pause)
        out += _clips(easy, settings, settings.easy_read_rate)
    return out


def _clips(sections: tuple[Section, ...], settings: Settings, rate: int = 0) -> list[Clip]:
    out = []
    for section in sections:
        units = tuple(
            tuple(
                Utterance(
                    lexicon_for(s.lang).apply(s.text),
                    s.lang,
                    _located(voice_for(s.lang, settings.voices), settings),
                    s.pause,
                    rate,
                )
                for s in unit.segments
            )
            for unit in section.units
        )
        recipe = {
            "version": AUDIO_VERSION,
            # a standard clip (rate 0) keeps the key it had before rates existed
            "units": [[{**_without_rate(asdict(u)), "voice": voice_key(u.voice)} for u in unit]
                      for unit in units],
            "lead": LEAD_SILENCE,
            "target": loudness.TARGET_LUFS,
            "ceiling": loudness.CEILING_DBTP,
            "bit_rate": mp3.BIT_RATE,
            "diacritisers": DIACRITISERS,
        }
        key = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()
        out.append(Clip(section, units, key, easy=bool(rate)))
    return out


def _without_rate(fields: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in fields.items() if k != "rate" or v}


def _located(voice: str, settings: Settings) -> str:
    """A Piper voice with its model's path resolved against the project folder."""
    engine, _, name = voice.partition(":")
    return f"piper:{settings.resolve(name)}" if engine == "piper" else voice


def render_clip(clip: Clip, settings: Settings, network_timeout: float = 10.0) -> RenderedClip:
    """The clip synthesised, at the target loudness, encoded; from the cache when possible.

    A voice that fails (gTTS without network) is replaced by espeak for the rest
    of the clip and reported as a problem; such a clip is not cached, so the next
    build tries the chosen voice again. Two processes that want the same clip (the audio
    and the EPUB of one edition) take turns: the second finds it in the cache.
    """
    hit = cached_clip(clip, settings)
    if hit is not None:
        return hit
    with ClipCache(settings.cache_dir).making(clip.key):
        hit = cached_clip(clip, settings)
        return hit if hit is not None else _render(clip, settings, network_timeout)


def _render(clip: Clip, settings: Settings, network_timeout: float) -> RenderedClip:
    voices = process_voices(network_timeout)
    engines = [u.voice.partition(":") for unit in clip.units for u in unit]
    voices.fresh(next((name for engine, _, name in engines if engine == "espeak"), ""))
    speak = _Speaker(clip.section.id, voices)
    said = [speak(utterance) for unit in clip.units for utterance in unit]
    speeches = iter(said)
    pieces = [np.zeros(int(LEAD_SILENCE * SAMPLE_RATE), np.float32)]
    position = len(pieces[0])
    bounds = []
    starts = []
    for unit in clip.units:
        start = 0 if not bounds else position
        for utterance in unit:
            speech = loudness.fade(next(speeches), SAMPLE_RATE, scale=1 / 32768)
            silence = np.zeros(int(utterance.pause * SAMPLE_RATE), np.float32)
            starts.append(position)
            pieces += [speech, silence]
            position += len(speech) + len(silence)
        bounds.append((start, position))
    samples = loudness.normalise(np.concatenate(pieces), SAMPLE_RATE)
    data = mp3.encode(samples, SAMPLE_RATE)
    seconds = mp3.frame_info(data).seconds
    marks = tuple(
        (_mp3_time(a), _mp3_time(b) if i < len(bounds) - 1 else seconds)
        for i, (a, b) in enumerate(bounds)
    )
    said = tuple(zip([_mp3_time(a) for a in starts],
                     [*(_mp3_time(a) for a in starts[1:]), seconds], strict=True))
    rendered = RenderedClip(clip.key, data, marks, said, seconds, tuple(speak.problems))
    keep_clip(rendered, settings)
    return rendered


def cached_clip(clip: Clip, settings: Settings) -> RenderedClip | None:
    """The clip from the cache, or None if it must be synthesised."""
    hit = ClipCache(settings.cache_dir).get(clip.key)
    if hit is None:
        return None
    data, meta = hit
    try:
        marks = tuple((float(a), float(b)) for a, b in meta["marks"])  # type: ignore[union-attr]
        said = tuple((float(a), float(b)) for a, b in meta["said"])  # type: ignore[union-attr]
        seconds = meta.get("seconds")
        if not isinstance(seconds, float):  # kept by an older version
            seconds = mp3.frame_info(data).seconds
    except (KeyError, TypeError, ValueError):  # a damaged entry: made again
        return None
    if len(said) != sum(len(unit) for unit in clip.units):
        return None
    return RenderedClip(clip.key, data, marks, said, seconds)


def keep_clip(rendered: RenderedClip, settings: Settings) -> None:
    """Cache a rendered clip (also one rendered on another machine); not one with problems."""
    if not rendered.problems:
        ClipCache(settings.cache_dir).put(
            rendered.key, rendered.mp3,
            {"marks": [list(m) for m in rendered.marks], "said": [list(m) for m in rendered.said],
             "seconds": rendered.seconds},
        )


def _mp3_time(sample: int) -> float:
    return 0.0 if sample == 0 else round((sample + mp3.ENCODER_DELAY) / SAMPLE_RATE, 3)


class _Speaker:
    """Speaks utterances; a voice that fails once is replaced for the rest of the clip."""

    def __init__(self, where: str, voices: Voices) -> None:
        self.where = where
        self.voices = voices
        self.failed: set[str] = set()
        self.problems: list[Problem] = []

    def __call__(self, utterance: Utterance) -> np.ndarray:
        fallback = voice_for(utterance.lang, ())
        if utterance.voice not in self.failed:
            try:
                return self.voices.say(utterance.voice, utterance.text, utterance.rate)
            except EngineFailure as failure:
                self.failed.add(utterance.voice)
                self.problems.append(
                    Problem(
                        f"audio section {self.where!r}: {utterance.voice} could not speak "
                        f"({failure}); used the offline voice {fallback} instead"
                    )
                )
        return self.voices.say(fallback, utterance.text, utterance.rate)
