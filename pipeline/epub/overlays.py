"""Media overlays: one SMIL file per content document, one ``par`` per spoken sentence.

Each ``par`` pairs a sentence's ``span`` with its stretch of the section's MP3,
taken from the rendered clip's utterance timings (:attr:`RenderedClip.said`):
the same clips the audio format is assembled from, never a second synthesis.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..audio.clip import RenderedClip
from .content import Document, Fragment

SMIL_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" \
version="3.0">
<body>"""


def smil(doc: Document, audio: Sequence[str], rendered: Sequence[RenderedClip]) -> str:
    """The overlay of ``doc``; ``audio[i]`` is the package path of clip ``i``'s MP3,
    relative to the SMIL file."""
    lines = [SMIL_HEAD, f'<seq id="seq" epub:textref="../{doc.name}#top" '
                        f'epub:type="{doc.kind}">']
    for n, fragment in enumerate(doc.fragments, start=1):
        begin, end = span(fragment, rendered)
        lines.append(
            f'<par id="p{n}"><text src="../{doc.name}#{fragment.id}"/>'
            f'<audio src="../{audio[fragment.clip]}" clipBegin="{begin:.3f}s" '
            f'clipEnd="{end:.3f}s"/></par>')
    lines.append("</seq>\n</body>\n</smil>\n")
    return "\n".join(lines)


def duration(doc: Document, rendered: Sequence[RenderedClip]) -> float:
    """Seconds of audio the overlay of ``doc`` plays."""
    return sum(end - begin for begin, end in (span(f, rendered) for f in doc.fragments))


def span(fragment: Fragment, rendered: Sequence[RenderedClip]) -> tuple[float, float]:
    """Where in its clip's MP3 the fragment is said: (begin, end) in seconds."""
    said = rendered[fragment.clip].said
    return said[fragment.said][0], said[fragment.said if fragment.last is None
                                        else fragment.last][1]


def clock(seconds: float) -> str:
    """A SMIL clock value for ``media:duration``: ``0:01:02.345``."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
