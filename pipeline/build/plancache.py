"""The parsed sources and editions, kept in the cache between builds as JSON.

The cache may be shared between machines, so nothing read back from it may run
code: it is plain JSON, and only the model's own dataclasses (those of
``pipeline.model``, and the catalogue's few named below) are made from it. A
file that does not decode to them is ignored and made again.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import model
from ..catalog.publish import Editions
from ..catalog.translate import CatalogWords
from ..catalog.workflow import Sources
from ..errors import Problem

TYPES = {cls.__name__: cls for cls in (
    Sources, Editions, Problem, CatalogWords,
    *(v for v in vars(model).values() if dataclasses.is_dataclass(v) and isinstance(v, type)
      and v.__module__ == model.__name__),
)}
"""The only classes a cached plan can hold."""


def dumps(value: object) -> str:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value :func:`dumps` wrote; ValueError for anything else."""
    try:
        return _decode(json.loads(text))
    except (TypeError, RecursionError):  # an unhashable key, a nesting too deep
        raise ValueError("not a cached plan") from None


def _encode(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if dataclasses.is_dataclass(value) and type(value).__name__ in TYPES:
        return {"d": type(value).__name__,
                "f": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"s": [_encode(v) for v in sorted(value)]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {"m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {"p": str(value)}
    raise TypeError(f"cannot keep a {type(value).__name__} in the plan cache")


def _decode(value: object) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise ValueError("not a cached plan")
    if "d" in value:
        cls = TYPES.get(value["d"])  # type: ignore[arg-type]
        fields = value.get("f")
        if cls is None or not isinstance(fields, dict):
            raise ValueError("not a cached plan")
        try:
            return cls(**{str(k): _decode(v) for k, v in fields.items()})
        except TypeError:
            raise ValueError("not a cached plan") from None
    (kind, items), = value.items()
    if kind == "p" and isinstance(items, str):
        return Path(items)
    if not isinstance(items, list):
        raise ValueError("not a cached plan")
    if kind == "t":
        return tuple(_decode(v) for v in items)
    if kind == "s":
        return {_decode(v) for v in items}
    if kind == "m":
        return {_decode(k): _decode(v) for k, v in items}
    raise ValueError("not a cached plan")
