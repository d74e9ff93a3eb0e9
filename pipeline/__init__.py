"""leaflets: one FAQ leaflet into accessible large print, easy read and audio, in many languages."""

__version__ = "0.1.0"
