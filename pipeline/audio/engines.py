"""Voices: text in, 16-bit mono PCM out at :data:`SAMPLE_RATE`.

Three engines, named in ``Settings.voices`` as ``(language, "engine:voice")``:

* ``espeak`` (default, offline): libespeak-ng from the ``espeakng-loader`` wheel,
  driven through ctypes. Text is plain UTF-8: no SSML, no phoneme input.
* ``gtts`` (needs the internet): Google Translate's voice, always with a timeout.
  A failure raises :class:`EngineFailure`, so the caller can fall back to espeak.
* ``piper`` (offline, optional): ``piper:/path/to/voice.onnx``; needs ``piper-tts``.
"""

from __future__ import annotations

import ctypes
import io
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import LeafletsError

SAMPLE_RATE = 22050
ESPEAK_RATE = 160
"""Words a minute: a little slower than espeak's 175, for listeners who need time."""
_ESPEAK_LANGUAGES = {"en": "en-gb"}


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


def synthesize(voice: str, text: str, timeout: float = 10.0) -> np.ndarray:
    """Say ``text`` with ``voice`` (``engine:name``); int16 samples at :data:`SAMPLE_RATE`."""
    engine, _, name = voice.partition(":")
    if engine == "espeak":
        return _espeak().say(name, text)
    if engine == "gtts":
        return _gtts(name, text, timeout)
    if engine == "piper":
        return _piper(name, text)
    raise LeafletsError(
        f"unknown speech engine {engine!r} in voice {voice!r}",
        hint="use espeak:<language>, gtts or piper:/path/to/voice.onnx",
    )


class _Espeak:
    """libespeak-ng in synchronous mode; one instance a process, one caller at a time."""

    _CALLBACK = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
    )

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

    def __init__(self) -> None:
        import espeakng_loader

        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        rate = self._lib.espeak_Initialize(2, 0, data, 0)  # 2: AUDIO_OUTPUT_SYNCHRONOUS
        if rate != SAMPLE_RATE:
            raise LeafletsError(f"espeak-ng did not start (returned {rate})")
        self._chunks: list[np.ndarray] = []
        self._callback = self._CALLBACK(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()
        self._voice = ""

    def _collect(self, wav: ctypes._Pointer, count: int, events: int) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, (count,)).copy())
        return 0

    def say(self, language: str, text: str) -> np.ndarray:
        with self._lock:
            if language != self._voice:
                # SetVoiceByName('en-gb') fails in 1.52; selecting by language works.
                wanted = self._Voice(languages=language.encode())
                if self._lib.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != 0:
                    raise LeafletsError(
                        f"espeak-ng has no voice for language {language!r}",
                        hint="choose another voice for it in the voices setting",
                    )
                self._lib.espeak_SetParameter(1, ESPEAK_RATE, 0)  # 1: espeakRATE
                self._voice = language
            self._chunks.clear()
            data = text.encode("utf-8")
            # position 0, POS_CHARACTER, no end, flags espeakCHARS_UTF8 only (no SSML).
            status = self._lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, 1, None, None)
            self._lib.espeak_Synchronize()
            if status != 0:
                raise LeafletsError(f"espeak-ng could not read a text (error {status})")
            samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
            self._chunks.clear()
            return samples.astype(np.int16)


@lru_cache(maxsize=1)
def _espeak() -> _Espeak:
    return _Espeak()


_GTTS_LANGUAGES = {"en-gb": ("en", "co.uk")}


def _gtts(language: str, text: str, timeout: float) -> np.ndarray:
    from gtts import gTTS

    lang, tld = _GTTS_LANGUAGES.get(language, (language.split("-")[0], "com"))
    if shutil.which("ffmpeg") is None:
        raise EngineFailure("gTTS audio needs ffmpeg to decode it; install ffmpeg")
    buffer = io.BytesIO()
    try:
        gTTS(text, lang=lang, tld=tld, timeout=timeout).write_to_fp(buffer)
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


def _piper(path: str, text: str) -> np.ndarray:
    voice = _piper_voice(path)
    chunks = [(chunk.audio_int16_array, chunk.sample_rate) for chunk in voice.synthesize(text)]
    if not chunks:
        return np.zeros(0, np.int16)
    samples = np.concatenate([c for c, _ in chunks]).astype(np.float64)
    return _resample(samples, chunks[0][1]).astype(np.int16)


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
