"""A leaflets project on disk: where sources, catalogues and outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .catalog.languages import gettext_code, web_code
from .config import Config, load_config
from .errors import LeafletsError
from .model import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project holding ``start`` (default: the current folder)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "leaflets.toml").is_file() or (folder / "source").is_dir():
                return cls(folder, load_config(folder))
        raise LeafletsError(
            f"no leaflets project in {here} or above",
            hint="run this in a folder with a source/ folder or a leaflets.toml",
        )

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output_dir

    def sources(self) -> list[Path]:
        """Every leaflet source, in name order. A missing, unreadable or empty ``source/`` is
        an error: read as "no leaflets", it would withdraw everything published."""
        names = self._listing(self.source_dir, "source/",
                              "restore it, or run leaflets in the project's folder")
        found = sorted(self.source_dir / name for name in names if name.endswith(".md"))
        if not found:
            raise LeafletsError("no leaflet (*.md) in source/", self.relative(self.source_dir),
                                hint="restore the sources, or write one with 'leaflets import'")
        return found

    def _listing(self, folder: Path, what: str, hint: str) -> list[str]:
        """The names in ``folder``, or a LeafletsError saying why it cannot be read."""
        try:
            return os.listdir(folder)
        except FileNotFoundError:
            raise LeafletsError(f"there is no {what} folder", self.relative(folder),
                                hint=hint) from None
        except OSError as exc:
            raise LeafletsError(f"cannot read {what}: {exc.strerror}", self.relative(folder),
                                hint=hint) from None

    def relative(self, path: Path) -> str:
        """``path`` relative to the project, with ``/`` separators, for messages and refs."""
        for candidate in (Path(os.path.abspath(path)), path.resolve()):  # a link: its name
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return str(path)

    def template_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def catalog_path(self, lang: str, domain: str) -> Path:
        return self.locales_dir / gettext_code(lang) / "LC_MESSAGES" / f"{domain}.po"

    def catalog_languages(self) -> list[str]:
        """Languages with a catalogue folder, as BCP 47 codes, in name order."""
        if not self.locales_dir.exists():
            return []
        found = []
        names = self._listing(self.locales_dir, "locales/", "make it readable, or restore it")
        for folder in sorted(self.locales_dir / name for name in names):
            if (folder / "LC_MESSAGES").is_dir():
                try:
                    found.append(web_code(folder.name))
                except LeafletsError:
                    continue
        return found

    def languages(self) -> list[str]:
        """The languages to publish in: the configured ones, or the source and every catalogue."""
        if self.config.languages:
            wanted = [web_code(code) for code in self.config.languages]
            if set(wanted) - {SOURCE_LANGUAGE} and not self.catalog_languages():
                raise LeafletsError(
                    "locales/ has no catalogues, but the configuration names "
                    f"{', '.join(c for c in wanted if c != SOURCE_LANGUAGE)}",
                    self.relative(self.locales_dir),
                    hint="restore locales/, or run 'leaflets add-language' for each language")
            return wanted
        return [SOURCE_LANGUAGE, *[c for c in self.catalog_languages() if c != SOURCE_LANGUAGE]]
