"""Put rendered clips together: per-section files, the whole leaflet, playlist, DAISY book.

No audio is re-encoded here: files are ID3 tags followed by the clips' MP3
frames, so chapter starts fall exactly on frame boundaries.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from .. import layout
from ..builders.base import OutputDir
from ..inline import plain
from ..model import Edition
from . import mp3
from .clip import Clip, RenderedClip
from .daisy import BookSection, daisy_zip
from .engines import voice_label


def assemble(
    edition: Edition, clips: Sequence[Clip], rendered: Sequence[RenderedClip], out: OutputDir
) -> None:
    """Write every audio output of ``edition`` from its clips, rendered in the same order."""
    for clip, done in zip(clips, rendered, strict=True):
        if clip.key != done.key:
            raise ValueError(f"rendered clip does not match clip {clip.section.id!r}")
    leaflet = edition.leaflet
    album = plain(leaflet.title.markdown)
    organisation = plain(leaflet.organisation.markdown)
    language = mp3.iso639_2(edition.lang)
    names = [layout.question_audio_name(c.section.number, c.section.id) for c in clips]
    seconds = [r.seconds for r in rendered]

    files: dict[str, bytes] = {}
    for index, (clip, done, name) in enumerate(zip(clips, rendered, names, strict=True)):
        tags = mp3.Tags(clip.section.title, album, organisation, language, (index + 1, len(clips)))
        files[name] = mp3.id3_tag(tags) + done.mp3
        out.write(name, files[name])

    chapters = []
    start = 0.0
    for clip, length in zip(clips, seconds, strict=True):
        end = start + length
        chapters.append(
            mp3.Chapter(
                f"ch{clip.section.number:02d}",
                clip.section.title,
                round(start * 1000),
                round(end * 1000),
            )
        )
        start = end
    whole = mp3.Tags(album, album, organisation, language)
    out.write(
        layout.audio_name(edition),
        mp3.id3_tag(whole, tuple(chapters)) + b"".join(r.mp3 for r in rendered),
    )

    playlist = layout.playlist_name(edition)
    here = posixpath.dirname(playlist)
    lines = ["#EXTM3U", f"#PLAYLIST:{album}"]
    for clip, name, length in zip(clips, names, seconds, strict=True):
        lines += [
            f"#EXTINF:{round(length)},{organisation} - {clip.section.title}",
            posixpath.relpath(name, here),
        ]
    out.write(playlist, "\n".join(lines) + "\n")

    book = [
        BookSection(clip.section, posixpath.basename(name), length, done.marks)
        for clip, done, name, length in zip(clips, rendered, names, seconds, strict=True)
    ]
    audio = {posixpath.basename(name): data for name, data in files.items()}
    out.write(layout.daisy_name(edition), daisy_zip(edition, book, audio, narrator(clips)))


def narrator(clips: Sequence[Clip]) -> str:
    """The voices used, e.g. ``synthetic speech: espeak:cy, espeak:en-gb``."""
    voices = sorted({voice_label(u.voice) for c in clips for unit in c.units for u in unit})
    return "synthetic speech: " + ", ".join(voices)
