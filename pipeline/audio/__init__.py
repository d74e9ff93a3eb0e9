"""Audio: every leaflet spoken in every language, offline by default, easy to navigate.

The work comes in three steps a build engine can schedule separately::

    parts = clips(edition, settings)                       # cheap, picklable
    done = [render_clip(c, settings) for c in parts]       # synthesis, cached per clip
    assemble(edition, parts, done, out)                    # files, no re-encoding

:class:`AudioBuilder` runs all three for one edition and keeps the problems it
met (a network voice that failed and was replaced) in ``problems``. Audio no
listener could follow is never made: :func:`unreadable` says why, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..builders.base import Builder, OutputDir
from ..errors import FormatSkipped, Problem
from ..model import Edition
from .assemble import assemble
from .clip import Clip, RenderedClip, cached_clip, clips, keep_clip, render_clip
from .readable import unreadable

__all__ = [
    "AudioBuilder", "Clip", "RenderedClip", "assemble", "cached_clip", "clips", "keep_clip",
    "render_clip", "unreadable",
]


@dataclass
class AudioBuilder(Builder):
    """Per-question MP3s, the whole leaflet with chapters, a playlist and a DAISY book."""

    format: ClassVar[str] = "audio"
    network_timeout: float = 10.0
    """Seconds a network voice (gTTS) may take for one request before espeak takes over."""
    problems: list[Problem] = field(default_factory=list)

    def build(self, edition: Edition, out: OutputDir) -> None:
        reason = unreadable(edition, self.settings)
        if reason:
            raise FormatSkipped(reason)
        parts = clips(edition, self.settings)
        done = [render_clip(c, self.settings, self.network_timeout) for c in parts]
        for rendered in done:
            self.problems.extend(rendered.problems)
        assemble(edition, parts, done, out)
