"""Configuration from leaflets.toml or pyproject.toml, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import LeafletsError


def test_defaults_build_everything(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.formats == ("pdf", "html", "audio", "epub")
    assert config.threshold == 0.8 and config.print_size == 18


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.leaflets]\nlanguages = ["en-GB", "cy"]\nthreshold = 0.5\nprint-size = 24\n'
        '[tool.leaflets.voices]\ncy = "gtts"\n[tool.leaflets.fonts]\nArab = "/x.ttf"\n')
    config = load_config(tmp_path)
    assert config.languages == ("en-GB", "cy")
    assert (config.threshold, config.print_size) == (0.5, 24)
    settings = config.settings(tmp_path)
    assert settings.voices == (("cy", "gtts"),) and settings.fonts == (("Arab", "/x.ttf"),)


def test_leaflets_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.leaflets]\nformats = ["pdf"]\n')
    (tmp_path / "leaflets.toml").write_text(
        'formats = ["html", "audio"]\naudio-text = "easy-read"\n')
    config = load_config(tmp_path)
    assert config.formats == ("html", "audio") and config.audio_text == "easy-read"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("threshold = 2", "'threshold' must be a number from 0 to 1"),
        ('formats = ["braille"]', "unknown format 'braille'"),
        ("print-size = 12", "'print-size' must be 16, 18 or 24"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("languages = 'cy'", "'languages' must be a list of strings"),
        ("threshold = ", "not valid TOML"),
    ],
)
def test_bad_configuration_is_one_clear_line(tmp_path: Path, text: str, needle: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "leaflets.toml").write_text(text + "\n")
    with pytest.raises(LeafletsError, match=needle):
        load_config(tmp_path)
    (tmp_path / "source").mkdir()
    assert main(["-C", str(tmp_path), "status"]) == 1
    err = capsys.readouterr().err
    assert "leaflets.toml" in err and needle.split("'")[0] in err and "Traceback" not in err
