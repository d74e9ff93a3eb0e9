"""Build the Welsh sample's audio in a child process (run under ``unshare -n`` by the tests).

Usage: python tests/audio_offline.py OUT CACHE VOICE TIMEOUT
Prints one JSON line: the problems reported and the files written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audio_samples import sample_edition

from pipeline.audio import AudioBuilder
from pipeline.builders.base import OutputDir, Settings


def main(out: str, cache: str, voice: str, timeout: str) -> None:
    voices = (("cy", voice),) if voice != "default" else ()
    builder = AudioBuilder(Settings(voices=voices, cache_dir=cache), float(timeout))
    target = OutputDir(Path(out))
    builder.build(sample_edition("cy"), target)
    print(
        json.dumps(
            {
                "problems": [str(p) for p in builder.problems],
                "files": sorted(p.relative_to(out).as_posix() for p in target.written),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
