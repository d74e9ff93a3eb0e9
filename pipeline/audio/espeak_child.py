"""The espeak-ng voice, run as a small child process: ``python espeak_child.py``.

libespeak-ng keeps state between calls (for example a function-static pitch
"flutter" index in its wave generator that nothing resets), so the same text
comes out slightly different depending on what was said before. So the process
started once (per build worker) loads espeak-ng, then forks a *speaker* that
answers requests from that state; ``{"fresh": true, "language": "cy"}`` ends the
speaker, and the next request is answered by a new one, forked from the same state
with the voice of ``language`` selected (loading a voice takes tens of milliseconds;
it is done once, in the parent, not once a clip). A clip starts with it: every clip
depends on its own text only, builds are reproducible whatever order clips are made
in, and a fork costs a millisecond, not a start.

Protocol: each request is one JSON line ``{"language": "cy", "text": "..."}`` on stdin,
with ``"rate"`` (words a minute) when not :data:`RATE_WPM`; each reply is a signed
32-bit little-endian sample count, then that many 16-bit little-endian samples at 22050
Hz. A negative count is an error: -1 no voice for the language, -2 synthesis failed.
``{"fresh": ...}`` is answered by a count of 0. This file imports only the standard
library and ``espeakng_loader``.
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
import sys

RATE_WPM = 160
"""Words a minute: a little slower than espeak's 175, for listeners who need time."""
NO_VOICE = -1
FAILED = -2
FRESH = 3
"""A speaker's exit status when the next request needs a fresh one."""


class _Voice(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


def main() -> None:
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) <= 0:
        sys.exit("espeak-ng did not start")  # 2: AUDIO_OUTPUT_SYNCHRONOUS
    language = ""
    while True:  # a speaker at a time, each from this state; ends when stdin does
        told, tell = os.pipe()  # the speaker says in it which language comes next
        speaker = os.fork()
        if speaker == 0:
            os.close(told)
            os._exit(speak(lib, language, tell))
        os.close(tell)
        with os.fdopen(told, "rb") as pipe:
            following = pipe.read().decode()
        _, status = os.waitpid(speaker, 0)
        if os.waitstatus_to_exitcode(status) != FRESH:
            return
        if following and following != language:  # loaded once here, not once a clip
            language = following if _select(lib, following) else ""


def _select(lib: ctypes.CDLL, language: str) -> bool:
    """Select the voice of ``language`` at our rate; False if espeak has none."""
    # SetVoiceByName('en-gb') fails in 1.52; selecting by language works.
    if lib.espeak_SetVoiceByProperties(ctypes.byref(_Voice(languages=language.encode()))):
        return False
    lib.espeak_SetParameter(1, RATE_WPM, 0)  # 1: espeakRATE
    return True


def speak(lib: ctypes.CDLL, current: str, tell: int) -> int:
    """Answer requests until a fresh speaker is asked for (:data:`FRESH`; the language
    it will start with is written to ``tell``) or stdin ends. ``current`` is the
    voice already selected."""
    chunks: list[bytes] = []

    @ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
    def collect(wav, count, events):  # type: ignore[no-untyped-def]
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    lib.espeak_SetSynthCallback(collect)
    out = sys.stdout.buffer
    rate = RATE_WPM  # what _select set
    while True:
        # One line at a time, unbuffered: what follows belongs to the next speaker.
        line = _read_line(0)
        if not line:
            return 0
        request = json.loads(line)
        if request.get("fresh"):
            os.write(tell, str(request.get("language", "")).encode())
            out.write(struct.pack("<i", 0))
            out.flush()
            return FRESH
        language, text = request["language"], request["text"]
        if language != current:
            if not _select(lib, language):
                out.write(struct.pack("<i", NO_VOICE))
                out.flush()
                continue
            current = language
            rate = RATE_WPM
        if int(request.get("rate") or RATE_WPM) != rate:
            rate = int(request.get("rate") or RATE_WPM)
            lib.espeak_SetParameter(1, rate, 0)  # 1: espeakRATE
        chunks.clear()
        data = text.encode("utf-8")
        # Flags: espeakCHARS_UTF8 only. Never SSML or phoneme input: text is just text.
        status = lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, 1, None, None)
        lib.espeak_Synchronize()
        pcm = b"".join(chunks)
        out.write(struct.pack("<i", FAILED if status else len(pcm) // 2) + (b"" if status else pcm))
        out.flush()


def _read_line(fd: int) -> bytes:
    """One line from ``fd``, read in blocks but never past its newline (a request is one
    write of the parent, which waits for the answer before it writes again)."""
    data = bytearray()
    while not data.endswith(b"\n"):
        block = os.read(fd, 65536)
        if not block:
            break
        data += block
    return bytes(data)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # the parent stopped reading (Ctrl-C): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
