"""The README's voice table, measured: ``python -m pipeline.audio.voice_table [--write README.md]``.

For every language Babel knows (without a region) that espeak-ng has a voice for:
whether that voice reads the language's own script, measured as the build measures
it (:mod:`.readable`) on a sample Babel gives in that script (the language's name,
the days and the months); the extras that apply (a diacritiser, a pronunciation
lexicon and its size); and whether gTTS (online) speaks it. Piper reads any
language it has a voice file for. ``--write`` puts the table in the file between
the ``<!-- voice-table -->`` and ``<!-- /voice-table -->`` lines.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel import Locale
from babel.localedata import locale_identifiers

from .engines import voice_for
from .lexicon import lexicon_for
from .phonemes import has_voice
from .readable import MAX_SPELLED, language_name, spelled_share
from .vowels import diacritiser

START, END = "<!-- voice-table -->", "<!-- /voice-table -->"


def sample(code: str) -> list[str]:
    """Words in the language's script, from Babel: its name, days and months."""
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or ""
    words = [*locale.days["format"]["wide"].values(), *locale.months["format"]["wide"].values()]
    # Where Babel has no names in the language's own script, it gives English ones.
    return [name, *(w for w in words if not w.isascii() or name.isascii())]


def rows() -> list[tuple[str, ...]]:
    from gtts.lang import tts_langs  # a list in the package: no network

    online = set(tts_langs())
    out = []
    for code in sorted(i for i in locale_identifiers() if "_" not in i):
        voice = voice_for(code, ()).partition(":")[2]
        if not has_voice(voice):
            continue
        share = spelled_share(voice, sample(code))
        reads = "yes" if share <= MAX_SPELLED else f"**no**: spells out {share:.0%}"
        lexicon = len(lexicon_for(code).entries)
        extras = [e for e in (diacritiser(code) and f"vowels: {diacritiser(code)}",
                              lexicon and f"lexicon: {lexicon} entries") if e]
        out.append((code, language_name(code), f"espeak:{voice}", reads,
                    "; ".join(extras) or "-", "yes" if code in online else "-"))
    return out


def table() -> str:
    lines = ["| code | language | offline voice | reads its script | extras | gTTS (online) |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = table()
    if argv[:1] != ["--write"]:
        print(text)
        return 0
    path = Path(argv[1])
    old = path.read_text(encoding="utf-8")
    new, count = re.subn(f"{re.escape(START)}.*?{re.escape(END)}",
                         lambda _: f"{START}\n{text}\n{END}", old, flags=re.DOTALL)
    if not count:
        print(f"{path}: no {START} ... {END} lines to write the table between", file=sys.stderr)
        return 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
