"""Project configuration: ``leaflets.toml``, or ``[tool.leaflets]`` in ``pyproject.toml``.

Every key is optional::

    languages = ["en-GB", "cy", "pl"]   # default: the source language and every catalogue
    threshold = 0.8                     # share of words translated to publish a language
    formats = ["pdf", "html", "audio"]
    print-size = 18                     # 16, 18 or 24 pt
    audio-text = "standard"             # or "easy-read"
    easy-read-rate = 110                # words a minute of the easy-read audio (80 to 200)
    easy-read-pause = 1.2               # seconds after each easy-read sentence (0.3 to 3)
    easy-read-size = 18                 # pt, the printed easy-read edition (16 to 28)
    [fonts]                             # per script or language, a font file
    Arab = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"
    [voices]                            # per language: espeak:<voice>, gtts, piper:<file>
    cy = "espeak:cy"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .builders.base import Settings
from .errors import LeafletsError

FORMATS = ("pdf", "html", "audio")
PRINT_SIZES = (16, 18, 24)
_KEYS = {
    "languages", "threshold", "formats", "print-size", "audio-text", "fonts", "voices",
    "output-dir", "cache-dir", "easy-read-rate", "easy-read-pause", "easy-read-size",
}
EASY_READ_LIMITS = {
    "easy-read-rate": (80, 200, "words a minute, for example easy-read-rate = 110"),
    "easy-read-pause": (0.3, 3.0, "seconds, for example easy-read-pause = 1.2"),
    "easy-read-size": (16, 28, "points, for example easy-read-size = 18"),
}
"""Each easy-read setting's smallest and largest value, and how to write it."""


@dataclass(frozen=True)
class Config:
    """What the project asks for; the defaults build everything."""

    languages: tuple[str, ...] = ()
    threshold: float = 0.8
    formats: tuple[str, ...] = FORMATS
    print_size: int = 18
    audio_text: str = "standard"
    fonts: dict[str, str] = field(default_factory=dict)
    voices: dict[str, str] = field(default_factory=dict)
    output_dir: str = "outputs"
    cache_dir: str = ".leaflets-cache"
    easy_read_rate: int = 110
    easy_read_pause: float = 1.2
    easy_read_size: int = 18

    def settings(self, root: Path, formats: tuple[str, ...] | None = None) -> Settings:
        """The renderers' settings (relative paths resolved against ``root``)."""
        return Settings(
            print_size=self.print_size,
            fonts=tuple(sorted(self.fonts.items())),
            voices=tuple(sorted(self.voices.items())),
            audio_text=self.audio_text,
            easy_read_rate=self.easy_read_rate,
            easy_read_pause=self.easy_read_pause,
            easy_read_size=self.easy_read_size,
            cache_dir=str(root / self.cache_dir),
            formats=formats or self.formats,
            project_dir=str(root),
        )


def load_config(root: Path) -> Config:
    """Read ``leaflets.toml`` if present, else ``pyproject.toml``'s ``[tool.leaflets]``."""
    path = root / "leaflets.toml"
    table: dict = {}
    if path.is_file():
        table = _read_toml(path)
    else:
        path = root / "pyproject.toml"
        if path.is_file():
            table = _read_toml(path).get("tool", {}).get("leaflets", {})
    return _parse(table, path)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*?) \(at line (\d+)", str(exc))
        message, line = (found.group(1), int(found.group(2))) if found else (str(exc), None)
        raise LeafletsError(f"configuration is not valid TOML: {message}", path, line,
                            "check quotes and brackets") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LeafletsError(f"cannot read configuration: {exc}", path) from None


def _parse(table: dict, path: Path) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise LeafletsError(f"unknown setting '{unknown[0]}'", path,
                            hint=f"use {', '.join(sorted(_KEYS))}")
    config = Config()
    values: dict = {}
    if "languages" in table:
        values["languages"] = tuple(_strings(table["languages"], "languages", path))
    if "threshold" in table:
        threshold = table["threshold"]
        if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
            raise LeafletsError("'threshold' must be a number from 0 to 1", path,
                                hint="for example threshold = 0.8")
        values["threshold"] = float(threshold)
    if "formats" in table:
        formats = _strings(table["formats"], "formats", path)
        bad = [f for f in formats if f not in FORMATS]
        if bad:
            raise LeafletsError(f"unknown format '{bad[0]}'", path,
                                hint=f"use {', '.join(FORMATS)}")
        values["formats"] = tuple(formats)
    if "print-size" in table:
        if table["print-size"] not in PRINT_SIZES:
            raise LeafletsError("'print-size' must be 16, 18 or 24", path)
        values["print_size"] = int(table["print-size"])
    if "audio-text" in table:
        if table["audio-text"] not in ("standard", "easy-read"):
            raise LeafletsError("'audio-text' must be \"standard\" or \"easy-read\"", path)
        values["audio_text"] = table["audio-text"]
    for name in ("fonts", "voices"):
        if name in table:
            mapping = table[name]
            if not isinstance(mapping, dict) or not all(
                isinstance(v, str) for v in mapping.values()
            ):
                raise LeafletsError(f"'{name}' must be a table of names to strings", path)
            values[name] = dict(mapping)
    for name, (low, high, example) in EASY_READ_LIMITS.items():
        if name in table:
            value = table[name]
            whole = name != "easy-read-pause"
            if isinstance(value, bool) or not isinstance(value, int if whole else int | float) \
                    or not low <= value <= high:
                raise LeafletsError(f"'{name}' must be a number from {low:g} to {high:g}", path,
                                    hint=example)
            values[name.replace("-", "_")] = int(value) if whole else float(value)
    for name in ("output-dir", "cache-dir"):
        if name in table:
            values[name.replace("-", "_")] = str(table[name])
    return Config(**{**config.__dict__, **values})


def _strings(value: object, name: str, path: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LeafletsError(f"'{name}' must be a list of strings", path,
                            hint=f'for example {name} = ["a", "b"]')
    return list(value)
