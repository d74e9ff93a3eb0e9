"""One build at a time per output folder."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator

from ..errors import LeafletsError
from .folders import Folders


@contextlib.contextmanager
def build_lock(where: Folders) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused, not queued. The lock
    file is in the build's state folder in the cache, not among the outputs."""
    where.make_cache()
    where.state.mkdir(parents=True, exist_ok=True)
    with open(where.state / "lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LeafletsError("another build is writing to this folder", where.outputs,
                                hint="wait for it to finish, then run the build again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
