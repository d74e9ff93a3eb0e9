"""liblouis, loaded from Debian's ``python3-louis`` into whatever Python runs the build.

Debian installs liblouis' own Python bindings (one pure-Python module that calls
``liblouis.so.20`` through ctypes) into the system Python's ``dist-packages``,
which a virtualenv does not see, and PyPI has no release of them. Putting all of
``dist-packages`` on ``sys.path`` would let every other Debian module shadow the
virtualenv's pinned packages, so this loads that one module by its file path:
the bindings liblouis ships and tests, no second copy of them to keep.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from ..errors import LeafletsError

BINDINGS = (
    Path("/usr/lib/python3/dist-packages/louis/__init__.py"),
    Path("/usr/local/lib/python3/dist-packages/louis/__init__.py"),
)
"""Where Debian's ``python3-louis`` (or a local build of liblouis) puts the bindings."""


@cache
def louis() -> ModuleType:
    """The ``louis`` module: an installed one if this Python has it, else Debian's."""
    spec = importlib.util.find_spec("louis")
    if spec is None:
        found = next((path for path in BINDINGS if path.is_file()), None)
        if found is None:
            raise LeafletsError("liblouis is not installed",
                                hint="apt-get install liblouis-bin liblouis-data python3-louis")
        spec = importlib.util.spec_from_file_location("louis", found)
    if spec is None or spec.loader is None:  # pragma: no cover - find_spec found a file
        raise LeafletsError("cannot load the liblouis bindings")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except OSError as exc:  # the bindings are there but liblouis.so is not
        raise LeafletsError(f"cannot load liblouis: {exc}",
                            hint="apt-get install liblouis20 liblouis-data") from None
    sys.modules.setdefault("louis", module)
    return module
