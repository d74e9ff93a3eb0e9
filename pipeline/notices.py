"""Sentences every output carries, written once for every renderer."""

from __future__ import annotations

from .model import Text, Words


def other_formats(words: Words) -> Text:
    """How to get the leaflet in another format: the NHS Accessible Information Standard
    asks every leaflet to say it, beside the contact details."""
    return words("Ask us for this leaflet in another format or language, such as large "
                 "print, easy read, audio or braille.")
