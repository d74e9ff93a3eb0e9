"""The easy-read pictograms, ready to inline into a page (one SVG per picture key)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from markupsafe import Markup

from ..errors import LeafletsError

_ROOT_TAG = re.compile(r"<svg\b[^>]*>")
_SIZE_AND_CLASS = re.compile(r'\s(?:width|height|class)="[^"]*"')
_SPACE_BETWEEN_TAGS = re.compile(r">\s+<")


@lru_cache(maxsize=128)
def picture_svg(key: str) -> Markup:
    """The picture ``key`` as inline SVG, hidden from assistive technology.

    The caller gives the picture its text alternative (``role="img"`` and a label
    on the element around it), so the SVG itself carries no text.
    """
    resource = files("pipeline") / "pictures" / f"{key}.svg"
    try:
        source = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LeafletsError(
            f"no picture for the key {key!r}",
            str(resource),
            hint=f"add {key}.svg to pipeline/pictures/ (see CREDITS.md there)",
        ) from None
    root = _ROOT_TAG.search(source)
    if root is None or "viewBox=" not in root.group(0) or "</svg>" not in source:
        raise LeafletsError("not an SVG picture with a viewBox", str(resource))
    attributes = " ".join(_SIZE_AND_CLASS.sub("", root.group(0)[4:-1]).split())
    inner = _SPACE_BETWEEN_TAGS.sub("><", source[root.end() : source.rindex("</svg>")].strip())
    return Markup(f'<svg {attributes} aria-hidden="true" focusable="false">{inner}</svg>')
