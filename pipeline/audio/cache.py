"""A content-addressed store of rendered clips under ``Settings.cache_dir``.

A clip's key hashes everything that shapes its sound (spoken texts, voices,
loudness target, encoder settings), so a rebuild re-synthesises only the clips
whose words changed. Entries are two files, ``<key>.mp3`` and ``<key>.json``,
written atomically; a damaged entry is treated as missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator
from pathlib import Path

from ..files import write_atomic


class ClipCache:
    """Encoded MP3 frames and their timing metadata (``marks``), by content key."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root) / "audio"

    def _path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> tuple[bytes, dict[str, object]] | None:
        try:
            meta = json.loads(self._path(key, ".json").read_text(encoding="utf-8"))
            data = self._path(key, ".mp3").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("bytes") != len(data):
            return None
        if not isinstance(meta.get("marks"), list):
            return None
        return data, meta

    def put(self, key: str, data: bytes, meta: dict[str, object]) -> None:
        # Audio first, metadata last: an entry counts only once its metadata is there.
        self._write(self._path(key, ".mp3"), data)
        self._write(self._path(key, ".json"), json.dumps({**meta, "bytes": len(data)}).encode())

    @contextlib.contextmanager
    def making(self, key: str) -> Iterator[None]:
        """Held while clip ``key`` is made: one process at a time makes a given clip."""
        path = self._path(key, ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        write_atomic(target, data)
