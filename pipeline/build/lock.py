"""One build at a time per output folder."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from ..errors import LeafletsError

LOCK = ".leaflets.lock"


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused, not queued."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LeafletsError("another build is writing to this folder", root,
                                hint="wait for it to finish, then run the build again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
