"""The one small interface every output format implements, and where outputs go.

A builder turns one :class:`~pipeline.model.Edition` (a leaflet in one
language) into files. It never reads ``.po`` files or source Markdown: all it
knows comes in the edition and the settings. It writes through an
:class:`OutputDir`, which makes every file appear atomically.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ..files import write_atomic
from ..model import Edition


@dataclass(frozen=True)
class Settings:
    """What the configuration tells the renderers. Part of every output's fingerprint."""

    print_size: int = 18
    fonts: tuple[tuple[str, str], ...] = ()
    """(script or language, font file) pairs that override the fonts found by themselves."""
    voices: tuple[tuple[str, str], ...] = ()
    """(language, "engine:voice") pairs, e.g. ("cy", "espeak:cy") or ("en-GB", "gtts")."""
    audio_text: str = "standard"
    """"standard" or "easy-read": which text the audio reads."""
    easy_read_rate: int = 110
    """The easy-read audio's speech rate in words a minute (the standard audio's: 160);
    110 measures about 130 words a minute while speaking, a slow and clear pace."""
    easy_read_pause: float = 1.2
    """Seconds of silence after each easy-read sentence."""
    easy_read_size: int = 18
    """Body text size of the printed easy-read edition, in points (headings larger)."""
    cache_dir: str = ".leaflets-cache"
    formats: tuple[str, ...] = ("pdf", "html", "audio")
    """The formats being built: the web page links only to what exists."""
    project_dir: str = ""
    """The project's folder: font and voice files named relative to it are found there,
    wherever the build runs from. Like ``cache_dir``, not part of any fingerprint."""
    braille_cells: int = 40
    """Braille: cells a line."""
    braille_lines: int = 25
    """Braille: lines a page, the page number's line included."""
    braille_english_grade: int = 2
    """Braille: 2 for contracted English (UEB grade 2), 1 for uncontracted."""

    def resolve(self, path: str) -> Path:
        """A font or voice file named in the configuration, relative to the project."""
        return Path(self.project_dir) / Path(path).expanduser()


class OutputDir:
    """The folder of one edition's outputs; every write lands whole or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []

    def path(self, name: str) -> Path:
        """The final path of output ``name`` (a relative, ``/``-separated name)."""
        return self.root / name

    def write(self, name: str, data: bytes | str) -> Path:
        """Write ``data`` to a temporary file beside the target, then rename it into place."""
        target = self.path(name)
        write_atomic(target, data.encode("utf-8") if isinstance(data, str) else data)
        self.written.append(target)
        return target


@dataclass
class Builder(ABC):
    """Renders editions in one format (``pdf``, ``html``, ``audio``)."""

    settings: Settings = field(default_factory=Settings)
    format: ClassVar[str]

    @abstractmethod
    def build(self, edition: Edition, out: OutputDir) -> None:
        """Write this format's files for ``edition`` into ``out``."""
