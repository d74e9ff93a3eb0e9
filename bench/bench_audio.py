"""How close our audio comes to the floor: synthesis plus MP3 encoding, in the same run.

Floor: the sample leaflet's English clips made the least possible way: each
utterance synthesised by espeak-ng (one engine, nothing else), the pieces of each
clip put together with their pauses, and encoded by LAME with our settings. Then,
one clip after another in this process: every clip rendered cold (a fresh espeak
state per clip, Arabic vowels where needed, loudness and limiter, MP3), and again
from the cache. Last, the whole audio of the sample project (six languages) built
by the command line with ``-j 1`` and ``-j 2``, each into an empty cache.
Imports and the engine's start are made before anything is timed (a build pays
them once per worker, not per clip). The floor and the cold build are timed side by
side in five rounds and the median ratio taken, as the machine may be busy with
other work.

Targets (issue 14): cold at most 1.25x the floor; cached at least 20x faster than
cold; the project's audio with ``-j 2`` at least 1.7x as fast as with ``-j 1``
(needs two free cores). Exits 1 if a target is missed.

    python bench/bench_audio.py [--quick]     # --quick: no -j comparison
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audio import clips, render_clip  # noqa: E402
from pipeline.audio.engines import SAMPLE_RATE, Voices  # noqa: E402
from pipeline.audio.mp3 import encode  # noqa: E402
from pipeline.audio.script import LEAD_SILENCE  # noqa: E402
from pipeline.builders.base import Settings  # noqa: E402
from pipeline.catalog.translate import translate  # noqa: E402
from pipeline.source import read_leaflet  # noqa: E402

RUNS = 3
ROUNDS = 5


def best(run: Callable[[], object], runs: int = RUNS) -> float:
    """The shortest of ``runs`` timings of ``run()``, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    edition = translate(read_leaflet(ROOT / "source" / "mappa-faq.md").leaflet, "en-GB", None)
    with tempfile.TemporaryDirectory() as warm:  # imports and first-use set-up, untimed
        render_clip(clips(edition, Settings(cache_dir=warm))[-1], Settings(cache_dir=warm))
    parts = clips(edition, Settings())
    utterances = [u for clip in parts for unit in clip.units for u in unit]

    def synthesise(voices: Voices) -> list[np.ndarray]:
        return [voices.say(u.voice, u.text, u.rate) for u in utterances]

    def cold_build() -> None:
        with tempfile.TemporaryDirectory() as cache:
            for clip in parts:
                render_clip(clip, Settings(cache_dir=cache))

    with Voices() as voices:
        speech = synthesise(voices)  # and the engine started
        pieces = iter(speech)
        raw_clips = [np.concatenate([np.zeros(int(LEAD_SILENCE * SAMPLE_RATE), np.float32)] + [
            np.concatenate([next(pieces) / np.float32(32768),
                            np.zeros(int(u.pause * SAMPLE_RATE), np.float32)])
            for unit in clip.units for u in unit]) for clip in parts]  # as render_clip has them
        rounds = []  # (synthesis, encoding, cold), measured side by side on a busy machine
        for _ in range(ROUNDS):
            rounds.append((best(lambda: synthesise(voices), 1),
                           best(lambda: [encode(c, SAMPLE_RATE) for c in raw_clips], 1),
                           best(cold_build, 1)))
    synthesis, encoding, cold = (statistics.median(r[i] for r in rounds) for i in range(3))
    floor = synthesis + encoding
    ratio = statistics.median(c / (s + e) for s, e, c in rounds)
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(cache_dir=cache)
        for clip in parts:
            render_clip(clip, settings)
        cached = best(lambda: [render_clip(clip, settings) for clip in parts], 5)

    audio = sum(len(c) for c in raw_clips) / SAMPLE_RATE
    print(f"{len(parts)} clips, {len(utterances)} utterances, {audio:.0f} s of audio")
    print(f"floor: synthesis {synthesis:.2f} s + LAME encoding {encoding:.2f} s = {floor:.2f} s")
    print(f"render_clip, cold:   {cold:.2f} s; cold / floor in each of {ROUNDS} rounds: "
          + ", ".join(f"{c / (s + e):.2f}" for s, e, c in rounds) + f"; median {ratio:.2f}")
    print(f"render_clip, cached: {cached:.4f} s ({cold / cached:.0f}x faster than cold)")
    checks = [
        ("cold / floor (target <= 1.25)", ratio <= 1.25, f"{ratio:.2f}"),
        ("cold / cached (target >= 20)", cold / cached >= 20, f"{cold / cached:.0f}"),
    ]
    if "--quick" not in sys.argv:
        one, two = project_audio(1), project_audio(2)
        print(f"sample project's audio, 6 languages: -j 1 {one:.1f} s, -j 2 {two:.1f} s "
              f"({one / two:.2f}x; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
        checks.append(("-j 1 / -j 2 (target >= 1.7)", one / two >= 1.7, f"{one / two:.2f}"))
    missed = 0
    for what, ok, value in checks:
        missed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {value}")
    return 1 if missed else 0


def project_audio(jobs: int) -> float:
    """Seconds to build the sample project's audio, every language, into an empty cache."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        for name in ("source", "locales"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "-C", str(project), "build",
                        "--format", "audio", "-j", str(jobs)], check=True,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
