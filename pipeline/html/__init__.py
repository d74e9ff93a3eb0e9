"""The easy-read web page of each edition, and the site index that lists them all."""

from __future__ import annotations

from .builder import HtmlBuilder, render_page
from .site import render_site_index, write_site_index

__all__ = ["HtmlBuilder", "render_page", "render_site_index", "write_site_index"]
