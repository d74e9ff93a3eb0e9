"""Reading input and writing output files safely: the one place that does either.

Every write goes to a temporary file beside the target and is renamed into
place, so a reader (or a crash, or Ctrl-C) never sees half a file; every read
of a person's file checks its size and its encoding and says which line is bad.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import LeafletsError

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all, keeping the target's permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_UMASK
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_bytes(path: Path, *, what: str, limit: int, hint: str) -> bytes:
    """A person's file, refused unless it is a regular file (or a link to one) of at most
    ``limit`` bytes. Judged by what the file is, not by the size it reports: a FIFO or
    ``/dev/zero`` is refused at once, and a file that grows is cut off at the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise LeafletsError(f"cannot read {what}: {exc.strerror}", path) from None
    with os.fdopen(fd, "rb") as handle:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            found = _KINDS.get(stat.S_IFMT(kind), "not a file")
            raise LeafletsError(f"{what} is not a regular file ({found})", path,
                                hint=f"replace it with the {what} itself")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise LeafletsError(f"cannot read {what}: {exc.strerror}", path) from None
    if len(raw) > limit:
        raise LeafletsError(f"{what} is over the limit of {limit / 1_000_000:.0f} MB", path,
                            hint=hint)
    return raw


_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_text(path: Path, *, what: str, limit: int, hint: str) -> str:
    """A person's UTF-8 text file (see :func:`read_bytes`); not UTF-8 is a LeafletsError.

    ``what`` names the file for messages ("source", "page"); ``hint`` says what to
    do when it is too large.
    """
    raw = read_bytes(path, what=what, limit=limit, hint=hint)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LeafletsError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path, line,
            hint=f"save the {what} as UTF-8",
        ) from None
