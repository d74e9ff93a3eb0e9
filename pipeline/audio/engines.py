"""Voices: text in, 16-bit mono PCM out at :data:`SAMPLE_RATE`.

Three engines, named in ``Settings.voices`` as ``(language, "engine:voice")``:

* ``espeak`` (default, offline): libespeak-ng from the ``espeakng-loader`` wheel,
  driven through ctypes in a child process (:mod:`.espeak_child`), 160 words a
  minute (a little slower than espeak's 175). Text is plain UTF-8: no SSML. Arabic
  is given its vowel marks first (:mod:`.vowels`).
* ``gtts`` (needs the internet): Google Translate's voice, always with a timeout.
  A failure raises :class:`EngineFailure`, so the caller can fall back to espeak.
* ``piper`` (offline, optional): ``piper:voices/voice.onnx`` (a path relative to the
  project, or absolute), with its ``.onnx.json`` beside it; needs ``piper-tts``.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import LeafletsError
from .espeak_child import NO_VOICE, RATE_WPM
from .vowels import vocalised

SAMPLE_RATE = 22050
SPEECH_TIMEOUT = 120.0
"""Seconds espeak may take over one text (a long paragraph takes about one)."""
_ESPEAK_LANGUAGES = {"en": "en-gb"}
SLOW_GTTS_BELOW = 140
"""gTTS knows two paces: a rate asked for below this many words a minute is its slow one."""


class EngineFailure(Exception):
    """A voice could not speak this time (no network, timeout); another voice may."""


def voice_for(lang: str, voices: tuple[tuple[str, str], ...]) -> str:
    """The ``engine:voice`` that reads ``lang``: the settings' choice, else espeak's voice."""
    code = lang.lower().replace("_", "-")
    chosen = {k.lower().replace("_", "-"): v for k, v in voices}
    for key in (code, code.split("-")[0]):
        if key in chosen:
            spec = chosen[key]
            engine, _, name = spec.partition(":")
            if engine in ("gtts", "espeak") and not name:
                return f"{engine}:{code}"
            return spec
    return f"espeak:{_ESPEAK_LANGUAGES.get(code, code)}"


def voice_label(voice: str) -> str:
    """How a voice is named to listeners: a Piper voice by its model's file name."""
    engine, _, name = voice.partition(":")
    return f"piper:{Path(name).stem}" if engine == "piper" else voice


def voice_key(voice: str) -> str:
    """How a voice counts in a clip's cache key: a Piper voice by its model's name and
    the hash of its bytes (a new model makes new clips), not by where the file is."""
    engine, _, name = voice.partition(":")
    if engine != "piper" or not Path(name).is_file():
        return voice
    return f"{voice_label(voice)}:{_file_hash(Path(name))}"


@lru_cache(maxsize=8)
def _file_hash(path: Path) -> str:
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:16]


class Voices:
    """Speaks with any engine. One per process (:func:`process_voices`), or as a context
    manager.

    espeak runs in a child process of its own (see :mod:`.espeak_child`), started on
    first use and ended on close; :meth:`fresh` makes the next text start from
    espeak's initial state, as a clip must. A child that takes longer than
    ``speech_timeout`` seconds over one text is killed (with the speaker it forked)
    and the text fails, so a voice that hangs cannot stall a build; the next text
    starts a new child.
    """

    child_command: tuple[str, ...] = (sys.executable, str(Path(__file__).with_name(
        "espeak_child.py")))
    speech_timeout: float = SPEECH_TIMEOUT

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._child: subprocess.Popen[bytes] | None = None
        self._used = False

    def __enter__(self) -> Voices:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._child is not None:
            # Both pipes first: a child still writing a text's samples (Ctrl-C came while
            # they were read) gets a broken pipe and ends, instead of waiting for a reader.
            self._child.stdin.close()  # type: ignore[union-attr]
            self._child.stdout.close()  # type: ignore[union-attr]
            try:
                self._child.wait(self.speech_timeout)
            except subprocess.TimeoutExpired:
                self._kill()
            self._child = None

    def fresh(self, language: str = "") -> None:
        """The next text is said from the same espeak state whatever was said before: its
        initial state, with the voice of ``language`` (espeak's name) ready."""
        if self._child is None or not self._used:
            return
        self._used = False
        self._request({"fresh": True, "language": language},
                      time.monotonic() + self.speech_timeout)

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._child.pid, signal.SIGKILL)  # type: ignore[union-attr]
        self._child.wait()  # type: ignore[union-attr]

    def say(self, voice: str, text: str, rate: int = 0) -> np.ndarray:
        """``text`` said by ``voice`` (``engine:name``): int16 samples at :data:`SAMPLE_RATE`.

        ``rate`` asks for that many words a minute (0: the voice's own pace): espeak
        speaks at it, Piper stretches its pace to it, gTTS speaks slowly below 140.
        """
        engine, _, name = voice.partition(":")
        if engine == "espeak":
            return self._espeak(name, text, rate)
        if engine == "gtts":
            return _gtts(name, text, self.timeout, slow=0 < rate < SLOW_GTTS_BELOW)
        if engine == "piper":
            return _piper(name, text, rate)
        raise LeafletsError(
            f"unknown speech engine {engine!r} in voice {voice!r}",
            hint="use espeak:<language>, gtts or piper:/path/to/voice.onnx",
        )

    def _espeak(self, language: str, text: str, rate: int = 0) -> np.ndarray:
        text = vocalised(language, text)
        deadline = time.monotonic() + self.speech_timeout
        self._used = True
        count = self._request(
            {"language": language, "text": text, **({"rate": rate} if rate else {})}, deadline)
        if count == NO_VOICE:
            raise LeafletsError(
                f"espeak-ng has no voice for language {language!r}",
                hint="choose another voice for it in the voices setting",
            )
        if count < 0:
            raise LeafletsError(f"espeak-ng could not read a text in {language!r}")
        data = self._read(count * 2, deadline)
        return np.frombuffer(data, dtype="<i2").astype(np.int16)

    def _request(self, request: dict[str, object], deadline: float) -> int:
        """Send one request to the espeak child (started if need be); its answer's count."""
        if self._child is None:
            self._child = subprocess.Popen(
                self.child_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
                start_new_session=True,  # its own process group: killed with its speaker
            )
        try:
            self._child.stdin.write((json.dumps(request) + "\n").encode())  # type: ignore[union-attr]
        except BrokenPipeError:
            self._forget()
            raise LeafletsError("the espeak-ng voice stopped unexpectedly") from None
        head = self._read(4, deadline)
        if len(head) < 4:
            self._forget()
            raise LeafletsError("the espeak-ng voice stopped unexpectedly")
        return int(struct.unpack("<i", head)[0])

    def _forget(self) -> None:
        """Let go of a child that stopped: the next text starts a new one."""
        if self._child is not None:
            self._kill()
            for pipe in (self._child.stdin, self._child.stdout):
                pipe.close()  # type: ignore[union-attr]
            self._child = None

    def _read(self, size: int, deadline: float) -> bytes:
        """``size`` bytes from the child (fewer if it ended), or kill it at ``deadline``."""
        fd = self._child.stdout.fileno()  # type: ignore[union-attr]
        data = bytearray()
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self._forget()
                raise LeafletsError(
                    f"espeak-ng did not finish a text in {self.speech_timeout:g} s",
                    hint="shorten the text, or choose another voice in the voices setting",
                )
            chunk = os.read(fd, size - len(data))
            if not chunk:
                break
            data += chunk
        return bytes(data)


_PROCESS_VOICES: list[tuple[tuple[object, ...], Voices]] = []


def process_voices(timeout: float = 10.0) -> Voices:
    """This process's voices, made on first use, closed when it exits: a build worker
    starts espeak once, not once per clip."""
    owner = (os.getpid(), Voices.child_command, Voices.speech_timeout)  # tests change these
    if not _PROCESS_VOICES or _PROCESS_VOICES[0][0] != owner:
        if _PROCESS_VOICES:
            _PROCESS_VOICES.pop()[1].close()
        _PROCESS_VOICES.append((owner, Voices(timeout)))
        atexit.register(_PROCESS_VOICES[0][1].close)
    voices = _PROCESS_VOICES[0][1]
    voices.timeout = timeout
    return voices


def _forget_parents_voices() -> None:
    """In a forked process, the parent's child is not ours: close our copy of its pipes
    (so it still sees its parent go) and make our own when needed."""
    if _PROCESS_VOICES:
        child = _PROCESS_VOICES.pop()[1]._child
        if child is not None:
            for pipe in (child.stdin, child.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()  # type: ignore[union-attr]


os.register_at_fork(after_in_child=_forget_parents_voices)

_GTTS_LANGUAGES = {"en-gb": ("en", "co.uk")}


def _gtts(language: str, text: str, timeout: float, slow: bool = False) -> np.ndarray:
    from gtts import gTTS

    lang, tld = _GTTS_LANGUAGES.get(language, (language.split("-")[0], "com"))
    if shutil.which("ffmpeg") is None:
        raise EngineFailure("gTTS audio needs ffmpeg to decode it; install ffmpeg")
    buffer = io.BytesIO()
    try:
        gTTS(text, lang=lang, tld=tld, slow=slow, timeout=timeout).write_to_fp(buffer)
    except ValueError as error:  # an unsupported language
        raise EngineFailure(f"gTTS cannot speak {lang!r}: {error}") from error
    except Exception as error:  # gTTSError, requests errors: network trouble
        raise EngineFailure(f"gTTS failed: {error}") from error
    return decode_mp3(buffer.getvalue(), timeout)


def decode_mp3(data: bytes, timeout: float = 30.0) -> np.ndarray:
    """MP3 bytes to int16 mono samples at :data:`SAMPLE_RATE`, through ffmpeg."""
    try:
        done = subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-i",
                "pipe:0",
                "-f",
                "s16le",
                "-ac",
                "1",
                "-ar",
                str(SAMPLE_RATE),
                "pipe:1",
            ],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise EngineFailure(f"could not decode speech audio with ffmpeg: {error}") from error
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.int16)


def _piper(path: str, text: str, rate: int = 0) -> np.ndarray:
    """piper-tts 1.3+ API: ``synthesize`` yields chunks of float samples with their rate;
    a ``length_scale`` above 1 speaks more slowly."""
    voice = _piper_voice(path)
    config = None
    if rate:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=RATE_WPM / rate)
    chunks = [(chunk.audio_float_array, chunk.sample_rate)
              for chunk in voice.synthesize(text, syn_config=config)]
    if not chunks:
        return np.zeros(0, np.int16)
    samples = np.concatenate([c for c, _ in chunks]).astype(np.float64) * 32767
    return np.clip(_resample(samples, chunks[0][1]), -32768, 32767).astype(np.int16)


@lru_cache(maxsize=4)
def _piper_voice(path: str):  # type: ignore[no-untyped-def]
    try:
        from piper import PiperVoice
    except ImportError as error:
        raise LeafletsError(
            "the piper voice needs the piper-tts package",
            hint="pip install piper-tts, or use espeak for this language",
        ) from error
    if not Path(path).is_file():
        raise LeafletsError("piper voice file not found", path, hint="check the voices setting")
    return PiperVoice.load(path)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLE_RATE:
        return samples
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, SAMPLE_RATE)
    return np.clip(resample_poly(samples, SAMPLE_RATE // g, rate // g), -32768, 32767)
