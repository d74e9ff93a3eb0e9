"""espeak-ng in this process, for what it *would* say: phonemes, and whether it has a voice.

Synthesis runs in a child process (:mod:`.espeak_child`); asking espeak for the
phonemes of a text is quick and keeps no state that matters, so it is done here,
through the same library. Used to check that a voice can read a text before it
speaks it (:mod:`.readable`), by the pronunciation tests and the README voice table.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

from .espeak_child import _Voice

_PHONEMES_IPA = 0x02
_CHARS_UTF8 = 1


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) <= 0:
        raise OSError("espeak-ng did not start")
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = (ctypes.POINTER(ctypes.c_void_p), ctypes.c_int,
                                          ctypes.c_int)
    return lib


def has_voice(language: str) -> bool:
    """Whether espeak-ng has a voice for ``language`` (``ar``, ``en-gb``...)."""
    return _select(language)


_selected: list[str] = []


def _select(language: str) -> bool:
    """Select the voice of ``language``, unless it is selected already; False if none."""
    if _selected == [language]:
        return True
    if _library().espeak_SetVoiceByProperties(ctypes.byref(_Voice(languages=language.encode()))):
        return False
    _selected[:] = [language]
    return True


def phonemes(language: str, text: str) -> str:
    """The IPA espeak-ng gives for ``text`` in ``language``, clauses joined by spaces.

    A switch to another language's rules shows as ``(en)``...``(ja)``, as espeak writes it.
    """
    if not _select(language):
        raise LookupError(f"espeak-ng has no voice for {language!r}")
    lib = _library()
    data = ctypes.create_string_buffer(text.encode("utf-8"))
    pointer = ctypes.c_void_p(ctypes.addressof(data))
    out = []
    while pointer.value:
        clause = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
        if clause:
            out.append(clause.decode("utf-8"))
    return " ".join(out).strip()
