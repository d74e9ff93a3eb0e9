"""BRF: braille pages as North American ASCII braille, the file embossers and braille
displays read.

Each cell is one of the 64 characters of ASCII braille (dots 1 to 6 as bits); lines
end in CR LF and each page ends in a form feed, so an embosser starts a new sheet
where the braille page ends.
"""

from __future__ import annotations

from .format import Page

ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""The ASCII braille character of each 6-dot pattern, by pattern (dot n is bit n-1)."""


def to_ascii(cells: str) -> str:
    """Unicode braille (6-dot) as ASCII braille."""
    return "".join(ASCII_BRAILLE[ord(cell) - 0x2800] for cell in cells)


def write_brf(pages: list[Page]) -> bytes:
    """The pages as a BRF file."""
    text = "".join("\r\n".join(to_ascii(row) for row in page.rows) + "\r\n\f"
                   for page in pages)
    return text.encode("ascii")
