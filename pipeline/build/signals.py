"""Ctrl-C: held off while files are renamed into place, and never lost between jobs."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    if caught:
        raise KeyboardInterrupt


@contextlib.contextmanager
def ctrl_c() -> Iterator[Callable[[], None]]:
    """Ctrl-C raises KeyboardInterrupt at once, and again from the check this yields (called
    between jobs): Python drops an exception raised inside a finaliser or an import's
    callback, and a build must not carry on as if Ctrl-C had not been pressed."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pressed: list[int] = []

    def press(signum: int, _frame: object) -> None:
        pressed.append(signum)
        raise KeyboardInterrupt

    def check() -> None:
        if pressed:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, press)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
