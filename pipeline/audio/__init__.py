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
    "AudioBuilder", "Clip", "RenderedClip", "SpokenBuilder", "assemble", "cached_clip",
    "clips", "keep_clip", "render_clip", "unreadable",
]


@dataclass
class SpokenBuilder(Builder):
    """A format read aloud (the audio, the EPUB's narration): skipped when the voice cannot
    read the edition, and keeping the problems its voices met."""

    network_timeout: float = 10.0
    """Seconds a network voice (gTTS) may take for one request before espeak takes over."""
    problems: list[Problem] = field(default_factory=list)

    def readable(self, edition: Edition, what: str = "audio") -> None:
        """Raise :class:`FormatSkipped` saying "no ``what``" and why when no listener could
        follow the voice that would read ``edition``."""
        reason = unreadable(edition, self.settings)
        if reason:
            raise FormatSkipped(reason.replace("no audio", f"no {what}", 1))

    def speak(self, parts: list[Clip]) -> list[RenderedClip]:
        """``parts`` rendered (from the cache where possible), their problems kept."""
        done = [render_clip(c, self.settings, self.network_timeout) for c in parts]
        for rendered in done:
            self.problems.extend(rendered.problems)
        return done


@dataclass
class AudioBuilder(SpokenBuilder):
    """Per-question MP3s, the whole leaflet with chapters, a playlist and a DAISY book."""

    format: ClassVar[str] = "audio"

    def build(self, edition: Edition, out: OutputDir) -> None:
        self.readable(edition)
        parts = clips(edition, self.settings)
        assemble(edition, parts, self.speak(parts), out)
