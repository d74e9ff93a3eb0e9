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
    """Write every audio output of ``edition`` from its clips, rendered in the same order:
    the standard audio, and the easy-read audio from the clips marked ``easy``."""
    for clip, done in zip(clips, rendered, strict=True):
        if clip.key != done.key:
            raise ValueError(f"rendered clip does not match clip {clip.section.id!r}")
    pairs = list(zip(clips, rendered, strict=True))
    _standard([c for c, _ in pairs if not c.easy], [r for c, r in pairs if not c.easy],
              edition, out)
    easy = [(c, r) for c, r in pairs if c.easy]
    if easy:
        names = [layout.easy_question_audio_name(c.section.number, c.section.id)
                 for c, _ in easy]
        _files(edition, [c for c, _ in easy], [r for _, r in easy], names, out)
        _whole(edition, [c for c, _ in easy], [r for _, r in easy],
               layout.easy_audio_name(edition), out)


def _files(
    edition: Edition, clips: Sequence[Clip], rendered: Sequence[RenderedClip],
    names: Sequence[str], out: OutputDir,
) -> dict[str, bytes]:
    """One tagged MP3 per section; returns their bytes by name."""
    leaflet = edition.leaflet
    album = plain(leaflet.title.markdown)
    organisation = plain(leaflet.organisation.markdown)
    language = mp3.iso639_2(edition.lang)
    files: dict[str, bytes] = {}
    for index, (clip, done, name) in enumerate(zip(clips, rendered, names, strict=True)):
        tags = mp3.Tags(clip.section.title, album, organisation, language, (index + 1, len(clips)))
        files[name] = mp3.id3_tag(tags) + done.mp3
        out.write(name, files[name])
    return files


def _whole(
    edition: Edition, clips: Sequence[Clip], rendered: Sequence[RenderedClip], name: str,
    out: OutputDir,
) -> None:
    """The sections as one MP3, one chapter each, in start-time order."""
    leaflet = edition.leaflet
    album = plain(leaflet.title.markdown)
    organisation = plain(leaflet.organisation.markdown)
    language = mp3.iso639_2(edition.lang)
    chapters = []
    start = 0.0
    for clip, done in zip(clips, rendered, strict=True):
        end = start + done.seconds
        chapters.append(
            mp3.Chapter(
                f"ch{clip.section.number:02d}",
                clip.section.title,
                round(start * 1000),
                round(end * 1000),
            )
        )
        start = end
    title = plain(clips[0].section.title) if clips else album
    whole = mp3.Tags(title, album, organisation, language)
    out.write(name, mp3.id3_tag(whole, tuple(chapters)) + b"".join(r.mp3 for r in rendered))


def _standard(
    clips: Sequence[Clip], rendered: Sequence[RenderedClip], edition: Edition, out: OutputDir
) -> None:
    """The standard audio: per-section files, the whole leaflet, playlist, DAISY book."""
    leaflet = edition.leaflet
    album = plain(leaflet.title.markdown)
    organisation = plain(leaflet.organisation.markdown)
    names = [layout.question_audio_name(c.section.number, c.section.id) for c in clips]
    seconds = [r.seconds for r in rendered]

    files = _files(edition, clips, rendered, names, out)
    _whole(edition, clips, rendered, layout.audio_name(edition), out)

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
