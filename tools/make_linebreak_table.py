"""Write pipeline/catalog/linebreak.txt: the line-break class and column width of every
code point, as the libunistring that GNU msgcat uses resolves them.

The class is measured, not copied from Unicode's LineBreak.txt: each code point is put
after and before one character of every class, with and without a space between, and
``u32_possible_linebreaks`` says where it may break; the class whose sample character
breaks the same way everywhere is its class.  A code point that breaks like no sample
stops the script.  The width is ``uc_width``.  Needs numpy and libunistring:

    python tools/make_linebreak_table.py
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "catalog" / "linebreak.txt"

# One character of each class the wrapping code knows, in the order of priority when two
# classes break alike (none do in libunistring 1.0).
SAMPLES = {
    "AL": "a", "BK": "\u2028", "CM": "\u0301", "ZWJ": "\u200d", "ZW": "\u200b", "SP": " ",
    "WJ": "\u2060", "GL": "\u00a0", "B2": "\u2014", "BA": "\u2010", "BB": "\u00b4", "HY": "-",
    "CL": "}", "CP": ")", "EX": "!", "IN": "\u2024", "NS": "\u3005", "OP": "(", "QU": '"',
    "IS": ",", "NU": "0", "PO": "%", "PR": "$", "SY": "/", "H2": "\uac00", "H3": "\uac01",
    "ID": "\u4e00", "JL": "\u1100", "JV": "\u1160", "JT": "\u11a8", "HL": "\u05d0",
    "RI": "\U0001f1e6", "EB": "\u261d", "EM": "\U0001f3fb", "OW": "\u3008",
}


def code_points() -> np.ndarray:
    every = np.arange(0x110000, dtype=np.uint32)
    return every[(every < 0xD800) | (every > 0xDFFF)]


def signatures(lib: ctypes.CDLL, cps: np.ndarray) -> np.ndarray:
    """For each code point, where libunistring breaks next to every sample character."""
    breaks = lib.u32_possible_linebreaks
    breaks.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
    columns = []
    for sample in SAMPLES.values():
        s = ord(sample)
        # X (as -1) after and before the sample, with and without a space between; the
        # mark read is the one before the last character
        for pattern in ([s, -1], [s, 32, -1], [-1, s], [-1, 32, s]):
            row = [10, ord("x"), *pattern]
            text = np.tile(np.array(row, dtype=np.int64), (len(cps), 1))
            text[:, row.index(-1)] = cps
            flat = np.ascontiguousarray(text.ravel(), dtype=np.uint32)
            out = ctypes.create_string_buffer(len(flat))
            breaks(flat.ctypes.data, len(flat), b"UTF-8", out)
            marks = np.frombuffer(out.raw, dtype=np.uint8).reshape(len(cps), len(row))
            columns.append(marks[:, -1])
    return np.stack(columns, axis=1)


def main() -> int:
    lib = ctypes.CDLL(ctypes.util.find_library("unistring") or "libunistring.so.2")
    cps = code_points()
    found = signatures(lib, cps)
    by_signature: dict[bytes, str] = {}
    for name, sample in SAMPLES.items():
        by_signature.setdefault(found[np.searchsorted(cps, ord(sample))].tobytes(), name)
    width = lib.uc_width
    width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    runs: list[tuple[int, str, int]] = []
    unknown = []
    for i, cp in enumerate(cps.tolist()):
        name = by_signature.get(found[i].tobytes())
        if name is None:
            unknown.append(cp)
            continue
        columns = max(width(cp, b"UTF-8"), 0)
        if not runs or runs[-1][1:] != (name, columns):
            runs.append((cp, name, columns))
    if unknown:
        print(f"{len(unknown)} code points break like no sample, e.g. "
              f"{', '.join(f'U+{cp:04X}' for cp in unknown[:10])}", file=sys.stderr)
        return 1
    lines = [f"{cp:X} {name} {columns}" for cp, name, columns in runs]
    header = ("# Line-break class and column width from this code point on, measured on "
              "libunistring (tools/make_linebreak_table.py).\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="ascii")
    print(f"{len(lines)} runs written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
