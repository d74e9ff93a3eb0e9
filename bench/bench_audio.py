"""How much our audio pipeline costs per clip, against raw espeak-ng in the same run.

Yardstick: synthesising every utterance of the sample leaflet with espeak-ng alone
(one process, no loudness, no encoding). Then: rendering every clip cold (fresh
espeak child per clip, loudness, limiter, MP3), and again from the cache.

    python bench/bench_audio.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audio import clips, render_clip  # noqa: E402
from pipeline.audio.engines import Voices  # noqa: E402
from pipeline.builders.base import Settings  # noqa: E402
from pipeline.catalog.translate import translate  # noqa: E402
from pipeline.source import read_leaflet  # noqa: E402


def main() -> None:
    edition = translate(read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet, "en-GB", None)
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(cache_dir=cache)
        parts = clips(edition, settings)
        utterances = [u for clip in parts for unit in clip.units for u in unit]

        started = time.perf_counter()
        with Voices() as voices:
            samples = sum(len(voices.say(u.voice, u.text)) for u in utterances)
        raw = time.perf_counter() - started

        started = time.perf_counter()
        for clip in parts:
            render_clip(clip, settings)
        cold = time.perf_counter() - started

        started = time.perf_counter()
        for clip in parts:
            render_clip(clip, settings)
        cached = time.perf_counter() - started

    audio = samples / 22050
    print(f"{len(parts)} clips, {len(utterances)} utterances, {audio:.0f} s of speech")
    print(f"raw espeak-ng (yardstick): {raw:.2f} s ({raw / audio * 1000:.1f} ms per audio second)")
    print(f"render_clip, cold:        {cold:.2f} s  = {cold / raw:.1f}x raw espeak")
    print(f"render_clip, cached:      {cached:.3f} s = {cached / raw:.3f}x raw espeak")


if __name__ == "__main__":
    main()
