"""Independent measurements of audio files with ffmpeg/ffprobe (not our own code)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path


def probe(path: Path) -> dict:
    """ffprobe's view of a file: format (with tags), streams and chapters."""
    done = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def ffmpeg_filter(path: Path, audio_filter: str) -> str:
    """What ffmpeg reports on stderr after running ``audio_filter`` over the file."""
    done = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-af", audio_filter,
         "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP) measured by ffmpeg's ebur128 filter."""
    report = ffmpeg_filter(path, "ebur128=peak=true")
    summary = report[report.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.inf]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def silence_at_start(path: Path, threshold_db: float = -45.0) -> float:
    """Seconds before the first sound louder than ``threshold_db``, by ffmpeg silencedetect."""
    report = ffmpeg_filter(path, f"silencedetect=noise={threshold_db}dB:d=0.1")
    starts = re.findall(r"silence_start: (-?[\d.]+)", report)
    ends = re.findall(r"silence_end: ([\d.]+)", report)
    if not starts or float(starts[0]) > 0.01 or not ends:
        return 0.0
    return float(ends[0])
