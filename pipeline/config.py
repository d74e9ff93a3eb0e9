"""Project configuration: ``leaflets.toml``, or ``[tool.leaflets]`` in ``pyproject.toml``.

When both exist, ``leaflets.toml`` wins whole and a warning says that
``[tool.leaflets]`` is ignored (the two are never merged key by key).

Every key is optional::

    languages = ["en-GB", "cy", "pl"]   # default: the source language and every catalogue
    threshold = 0.8                     # share of words translated to publish a language
    formats = ["pdf", "html", "audio", "epub"]
    print-size = 18                     # 16, 18 or 24 pt
    audio-text = "standard"             # or "easy-read"
    easy-read-rate = 110                # words a minute of the easy-read audio (80 to 200)
    easy-read-pause = 1.2               # seconds after each easy-read sentence (0.3 to 3)
    easy-read-size = 18                 # pt, the printed easy-read edition (16 to 28)
    hard-words = ["disclosed", "comply"]  # check: words to put in bold in easy read
    reviewed-only = false               # true: publish only reviewed translations
    [fonts]                             # per script or language, a font file
    Arab = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"
    [voices]                            # per language: espeak:<voice>, gtts, piper:<file>
    cy = "espeak:cy"
    braille-cells = 40                  # braille: cells a line (embosser or display)
    braille-lines = 25                  # braille: lines a page
    braille-english-grade = 2           # 2: contracted UEB; 1: uncontracted
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from .builders.base import Settings
from .catalog.easyread import DEFAULT_HARD_WORDS
from .catalog.languages import web_code
from .errors import LeafletsError
from .files import read_text, write_atomic
from .model import SOURCE_LANGUAGE

FORMATS = ("pdf", "html", "audio", "braille", "epub")
PRINT_SIZES = (16, 18, 24)
_KEYS = {
    "languages", "threshold", "formats", "print-size", "audio-text", "fonts", "voices",
    "output-dir", "cache-dir", "braille-cells", "braille-lines", "braille-english-grade",
    "reviewed-only", "easy-read-rate", "easy-read-pause", "easy-read-size", "hard-words",
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
    hard_words: tuple[str, ...] = DEFAULT_HARD_WORDS
    """Words ``leaflets check`` wants in bold (and explained) in easy read."""
    braille_cells: int = 40
    braille_lines: int = 25
    braille_english_grade: int = 2
    reviewed_only: bool = False
    """Publish only translations marked reviewed (see pipeline/catalog/review.py)."""
    path: str = field(default="", compare=False)
    """The file the settings were read from (empty when there is none)."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """One line each, for the command to print: e.g. a settings table that is ignored."""

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
            braille_cells=self.braille_cells,
            braille_lines=self.braille_lines,
            braille_english_grade=self.braille_english_grade,
        )


def load_config(root: Path) -> Config:
    """Read ``leaflets.toml`` if present, else ``pyproject.toml``'s ``[tool.leaflets]``."""
    path = root / "leaflets.toml"
    pyproject = root / "pyproject.toml"
    table: dict = {}
    warnings: tuple[str, ...] = ()
    if path.exists() or path.is_symlink():  # a FIFO or a device is refused, not ignored
        table = _read_toml(path)
        if pyproject.is_file() and "leaflets" in _read_toml(pyproject).get("tool", {}):
            warnings = (f"{pyproject.name}: [tool.leaflets] is ignored because "
                        f"{path.name} exists (move its settings into {path.name})",)
    else:
        path = pyproject
        if path.is_file():
            table = _read_toml(path).get("tool", {}).get("leaflets", {})
    config = _parse(table, path)
    found = path.name if path.is_file() else ""
    return Config(**{**config.__dict__, "path": found, "warnings": warnings})


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(read_text(path, what="configuration", limit=1_000_000,
                                       hint="keep only the leaflets settings in it"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*?) \(at line (\d+)", str(exc))
        message, line = (found.group(1), int(found.group(2))) if found else (str(exc), None)
        raise LeafletsError(f"configuration is not valid TOML: {message}", path, line,
                            "check quotes and brackets") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LeafletsError(f"cannot read configuration: {exc}", path) from None


def _at(path: Path, key: str) -> tuple[Path, int | None]:
    """The file's name (it is at the project's root) and the line that sets ``key``."""
    return Path(path.name), setting_line(path, key)


def setting_line(path: Path, key: str, table: str = "") -> int | None:
    """The line of ``path`` that sets ``key`` (in ``table``, like ``voices``), or opens
    its table, if it can be found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    start = 0
    if table:
        header = re.compile(rf"^\s*\[(tool\.leaflets\.)?{re.escape(table)}\]")
        start = next((n for n, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(rf"^\s*(\"?{re.escape(key)}\"?\s*=|\[(tool\.leaflets\.)?"
                         rf"{re.escape(key)}\])")
    return next((n for n, line in enumerate(lines[start:], start + 1) if pattern.match(line)),
                None)


def _parse(table: dict, path: Path) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise LeafletsError(f"unknown setting '{unknown[0]}'", *_at(path, unknown[0]),
                            hint=f"use {', '.join(sorted(_KEYS))}")
    config = Config()
    values: dict = {}
    if "languages" in table:
        values["languages"] = _languages(table["languages"], path)
    if "threshold" in table:
        threshold = table["threshold"]
        if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
            raise LeafletsError("'threshold' must be a number from 0 to 1", *_at(path, "threshold"),
                                hint="for example threshold = 0.8")
        values["threshold"] = float(threshold)
    if "formats" in table:
        formats = _strings(table["formats"], "formats", path)
        bad = [f for f in formats if f not in FORMATS]
        if bad:
            raise LeafletsError(f"unknown format '{bad[0]}'", *_at(path, "formats"),
                                hint=f"use {', '.join(FORMATS)}")
        values["formats"] = tuple(formats)
    if "print-size" in table:
        if table["print-size"] not in PRINT_SIZES:
            raise LeafletsError("'print-size' must be 16, 18 or 24", *_at(path, "print-size"))
        values["print_size"] = int(table["print-size"])
    if "audio-text" in table:
        if table["audio-text"] not in ("standard", "easy-read"):
            raise LeafletsError("'audio-text' must be \"standard\" or \"easy-read\"",
                                *_at(path, "audio-text"))
        values["audio_text"] = table["audio-text"]
    for name in ("fonts", "voices"):
        if name in table:
            mapping = table[name]
            if not isinstance(mapping, dict) or not all(
                isinstance(v, str) for v in mapping.values()
            ):
                raise LeafletsError(f"'{name}' must be a table of names to strings",
                                    *_at(path, name))
            values[name] = dict(mapping)
    for name, (low, high, example) in EASY_READ_LIMITS.items():
        if name in table:
            value = table[name]
            whole = name != "easy-read-pause"
            if isinstance(value, bool) or not isinstance(value, int if whole else int | float) \
                    or not low <= value <= high:
                raise LeafletsError(f"'{name}' must be a number from {low:g} to {high:g}",
                                    *_at(path, name), hint=example)
            values[name.replace("-", "_")] = int(value) if whole else float(value)
    for name, low, high in (("braille-cells", 20, 100), ("braille-lines", 10, 100)):
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise LeafletsError(f"'{name}' must be a whole number from {low} to {high}",
                                    *_at(path, name), hint=f"for example {name} = "
                                    f"{Config().__dict__[name.replace('-', '_')]}")
            values[name.replace("-", "_")] = value
    if "braille-english-grade" in table:
        if table["braille-english-grade"] not in (1, 2):
            raise LeafletsError("'braille-english-grade' must be 1 or 2",
                                *_at(path, "braille-english-grade"),
                                hint="2 is contracted braille, 1 uncontracted")
        values["braille_english_grade"] = int(table["braille-english-grade"])
    if "reviewed-only" in table:
        if not isinstance(table["reviewed-only"], bool):
            raise LeafletsError("'reviewed-only' must be true or false",
                                *_at(path, "reviewed-only"))
        values["reviewed_only"] = table["reviewed-only"]
    if "hard-words" in table:
        values["hard_words"] = tuple(_strings(table["hard-words"], "hard-words", path))
    for name in ("output-dir", "cache-dir"):
        if name in table:
            values[name.replace("-", "_")] = str(table[name])
    return Config(**{**config.__dict__, **values})


def _strings(value: object, name: str, path: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LeafletsError(f"'{name}' must be a list of strings", *_at(path, name),
                            hint=f'for example {name} = ["a", "b"]')
    return list(value)


def _languages(value: object, path: Path) -> tuple[str, ...]:
    """The configured languages, each a code Babel knows, the source language among them."""
    codes = []
    for code in _strings(value, "languages", path):
        try:
            codes.append(web_code(code))
        except LeafletsError as exc:
            raise LeafletsError(exc.message, *_at(path, "languages"), hint=exc.hint) from None
    if SOURCE_LANGUAGE not in codes:
        fixed = json.dumps([SOURCE_LANGUAGE, *[c for c in codes if c != "en"]])
        raise LeafletsError(f"'languages' must include the source language {SOURCE_LANGUAGE}",
                            *_at(path, "languages"), hint=f"for example languages = {fixed}")
    return tuple(codes)


def add_language_setting(root: Path, config: Config, code: str) -> Path | None:
    """Add ``code`` to the configured ``languages``, keeping the file's layout and comments.

    Returns the file changed, or None when there is nothing to change (no ``languages``
    list, so every catalogue is published, or the code is in it already). A file that
    cannot be edited is a LeafletsError saying what to add by hand.
    """
    code = web_code(code)
    if not config.languages or code in config.languages or not config.path:
        return None
    path = root / config.path
    by_hand = f'add "{code}" to languages in {path.name}, then build'
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
        table = document if path.name == "leaflets.toml" else document["tool"]["leaflets"]
        languages = table["languages"]
        languages.append(code)
        text = tomlkit.dumps(document)
    except (OSError, UnicodeDecodeError, KeyError, AttributeError, TOMLKitError) as exc:
        raise LeafletsError(f"cannot add the language to the configuration: {exc}", path.name,
                            hint=by_hand) from None
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise LeafletsError(f"cannot write the configuration: {exc.strerror}", path.name,
                            hint=by_hand) from None
    return path
