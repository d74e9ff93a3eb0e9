"""Configuration from leaflets.toml or pyproject.toml, and its errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import LeafletsError

ROOT = Path(__file__).resolve().parent.parent


def _project(folder: Path) -> None:
    """A project with the sample leaflet and no catalogues yet (an empty source/ is an error)."""
    shutil.copytree(ROOT / "source", folder / "source")
    (folder / "locales").mkdir()


def test_defaults_build_everything(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.formats == ("pdf", "html", "audio", "braille", "epub")
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
        ('formats = ["tactile"]', "unknown format 'tactile'"),
        ("braille-cells = 8", "'braille-cells' must be a whole number from 20 to 100"),
        ("braille-english-grade = 3", "'braille-english-grade' must be 1 or 2"),
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
    _project(tmp_path)
    assert main(["-C", str(tmp_path), "status"]) == 1
    err = capsys.readouterr().err
    assert "leaflets.toml" in err and needle.split("'")[0] in err and "Traceback" not in err


def test_setting_errors_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.leaflets]\nthreshold = 0.8\nformats = ["pdf", "brail"]\n')
    with pytest.raises(LeafletsError) as raised:
        load_config(tmp_path)
    assert str(raised.value).startswith("pyproject.toml:6: unknown format 'brail'")


@pytest.mark.parametrize(
    ("languages", "needle"),
    [
        ('["en-GB", "xx"]', "leaflets.toml:2: unknown language 'xx'"),
        ('["en", "ro"]', 'leaflets.toml:2: \'languages\' must include the source language en-GB'
                         ' (for example languages = ["en-GB", "ro"])'),
    ],
)
def test_languages_are_known_and_include_the_source(tmp_path: Path, languages: str,
                                                    needle: str) -> None:
    (tmp_path / "leaflets.toml").write_text(f"# settings\nlanguages = {languages}\n")
    with pytest.raises(LeafletsError) as raised:
        load_config(tmp_path)
    assert str(raised.value).startswith(needle), str(raised.value)


def test_ignored_pyproject_table_is_a_warning(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.leaflets]\nformats = ["pdf"]\n')
    (tmp_path / "leaflets.toml").write_text('formats = ["html"]\n')
    assert main(["-C", str(tmp_path), "status"]) == 0
    assert ("warning: pyproject.toml: [tool.leaflets] is ignored because leaflets.toml exists"
            in capsys.readouterr().err)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert main(["-C", str(tmp_path), "status"]) == 0
    assert "ignored" not in capsys.readouterr().err


PYPROJECT = """\
[project]
name = "demo"

[tool.leaflets]
# the languages we publish
languages = ["en-GB", "cy"]  # keep English first
threshold = 0.8
"""


def test_add_language_adds_it_to_the_configuration(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    assert main(["-C", str(tmp_path), "add-language", "ro"]) == 0
    assert "added ro to languages in pyproject.toml" in capsys.readouterr().out
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT.replace(
        '["en-GB", "cy"]', '["en-GB", "cy", "ro"]')
    assert load_config(tmp_path).languages == ("en-GB", "cy", "ro")


def test_add_language_says_what_to_add_when_it_cannot(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    _project(tmp_path)
    (tmp_path / "leaflets.toml").write_text('languages = ["en-GB", "cy"]\n')
    monkeypatch.setattr("pipeline.config.write_atomic", refuse)
    assert main(["-C", str(tmp_path), "add-language", "ro"]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: leaflets.toml: cannot write the configuration: Permission denied "
        '(add "ro" to languages in leaflets.toml, then build)')


def test_check_finds_voice_and_font_typos(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    (tmp_path / "leaflets.toml").write_text(
        '[fonts]\narabic = "fonts/Missing-Regular.ttf"\n\n'
        '[voices]\ncy = "espeak:cy"\nro = "espeak:rom"\npl = "piper:voices/none.onnx"\n'
        'ur = "festival:ur"\n')
    assert main(["-C", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "leaflets.toml:2: error: fonts.arabic: font file not found: fonts/Missing-Regular.ttf "
        "(give a TrueType font file)",
        "leaflets.toml:7: error: voices.pl: Piper voice file not found: voices/none.onnx",
        "leaflets.toml:6: error: voices.ro: espeak-ng has no voice for language 'rom' "
        "(choose another voice for it in the voices setting)",
        "leaflets.toml:8: error: voices.ur: unknown speech engine 'festival' "
        "(use espeak:<voice>, gtts or piper:<model.onnx>)",
    ]
