"""``leaflets check`` of the settings: every font file and voice the configuration names
can be used, so a typo fails the check, not a build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .config import setting_line
from .errors import LeafletsError, Problem
from .project import Project


def check_settings(project: Project) -> list[Problem]:
    """One error per font or voice setting that a build could not use."""
    config = project.config
    if not config.path or not (config.fonts or config.voices):
        return []
    path = project.root / config.path
    settings = config.settings(project.root)
    problems = []

    def problem(message: str, table: str, key: str) -> None:
        problems.append(Problem(f"{table}.{key}: {message}", config.path,
                                setting_line(path, key, table), "error"))

    from .pdf.fonts import family_from_file

    for key, font in sorted(config.fonts.items()):
        try:
            family_from_file(key, settings.resolve(font))
        except LeafletsError as exc:
            problem(f"{exc.message}: {font} (give a TrueType font file)", "fonts", key)
    for lang, spec in sorted(config.voices.items()):
        found = voice_problem(lang, spec, settings.resolve)
        if found:
            problem(found, "voices", lang)
    return problems


def voice_problem(lang: str, spec: str, resolve: Callable[[str], Path]) -> str | None:
    """Why the voice setting ``spec`` for ``lang`` cannot speak, or None."""
    from .audio.engines import Voices, voice_for

    voice = voice_for(lang, ((lang, spec),))
    engine, _, name = voice.partition(":")
    if engine == "piper":
        model = resolve(name)
        if not model.is_file():
            return f"Piper voice file not found: {name}"
        if not model.with_name(model.name + ".json").is_file():
            return f"the Piper voice needs {model.name}.json beside it"
        return None
    if engine == "gtts":
        from gtts.lang import tts_langs

        known = tts_langs()
        return None if name in known or name.split("-")[0] in known else \
            f"gTTS has no voice for {name!r}"
    if engine != "espeak":
        return (f"unknown speech engine {engine!r} (use espeak:<voice>, gtts or "
                "piper:<model.onnx>)")
    try:
        with Voices() as voices:
            voices.say(voice, "a")
    except LeafletsError as exc:
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    return None
