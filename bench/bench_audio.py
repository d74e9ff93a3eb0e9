"""How much our audio pipeline costs per clip, against raw espeak-ng in the same run.

Yardstick: synthesising every utterance of the sample leaflet (English) with espeak-ng
alone (one child process, no loudness, no encoding). Then, one clip after another on one
core: rendering every clip cold (a fresh espeak child per clip, loudness, limiter, MP3),
and again from the cache. For reference, MP3 encoding alone: the yardstick's speech
encoded with the same settings. Imports are made before anything is timed (a build pays
them once per worker, not per language).

Targets (issue 5): everything we add costs less than 50% on top of synthesis (cold at
most 1.5x raw espeak) and a cached rebuild is at least 20x faster than a cold one.
espeak-ng speaks about 1000x faster than real time, and LAME encodes 64 kbps speech
about 350x faster than real time, so encoding alone costs more than the synthesis:
the first target cannot be met while the audio is MP3 (the run prints by how much).
Exits 1 if a target is missed.

    python bench/bench_audio.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audio import clips, render_clip  # noqa: E402
from pipeline.audio.engines import SAMPLE_RATE, Voices  # noqa: E402
from pipeline.audio.mp3 import encode  # noqa: E402
from pipeline.builders.base import Settings  # noqa: E402
from pipeline.catalog.translate import translate  # noqa: E402
from pipeline.source import read_leaflet  # noqa: E402


def main() -> int:
    edition = translate(read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet, "en-GB", None)
    with tempfile.TemporaryDirectory() as warm:  # imports and first-use set-up, untimed
        render_clip(clips(edition, Settings(cache_dir=warm))[-1], Settings(cache_dir=warm))
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(cache_dir=cache)
        parts = clips(edition, settings)
        utterances = [u for clip in parts for unit in clip.units for u in unit]

        started = time.perf_counter()
        with Voices() as voices:
            speech = [voices.say(u.voice, u.text, u.rate) for u in utterances]
        raw = time.perf_counter() - started

        started = time.perf_counter()
        for clip in parts:
            render_clip(clip, settings)
        cold = time.perf_counter() - started

        started = time.perf_counter()
        for clip in parts:
            render_clip(clip, settings)
        cached = time.perf_counter() - started

    samples = np.concatenate(speech) / 32768.0
    started = time.perf_counter()
    encode(samples, SAMPLE_RATE)
    encoding = time.perf_counter() - started

    audio = len(samples) / SAMPLE_RATE
    print(f"{len(parts)} clips, {len(utterances)} utterances, {audio:.0f} s of speech")
    print(f"raw espeak-ng (yardstick): {raw:.2f} s ({raw / audio * 1000:.1f} ms per audio second)")
    print(f"render_clip, cold:         {cold:.2f} s = {cold / raw:.1f}x raw espeak")
    print(f"  for reference, MP3 encoding of the same speech alone: {encoding:.2f} s "
          f"= {encoding / raw:.1f}x raw espeak")
    print(f"render_clip, cached:       {cached:.3f} s = {cached / raw:.3f}x raw espeak")
    missed = 0
    for what, ok, value in (
        ("cold / raw espeak (target <= 1.5)", cold / raw <= 1.5, f"{cold / raw:.1f}"),
        ("cold / cached (target >= 20)", cold / cached >= 20, f"{cold / cached:.0f}"),
    ):
        missed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {value}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
