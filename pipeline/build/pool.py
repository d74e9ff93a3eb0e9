"""Where jobs run: this process, local worker processes, or a Dask cluster."""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_first
from importlib import import_module
from typing import Any

from ..errors import LeafletsError
from .inputs import ENVIRONMENT, code_fingerprint, environment
from .tasks import BUILDERS, BuildRequest

Key = tuple[int, int | None]
"""A job's place: (task number, clip number or None for a whole task)."""
Job = tuple[Key, str, Callable[..., Any], tuple]
"""(key, format, function, arguments)."""


class JobQueue:
    """The jobs: those that results asked for (``later``) first, then the planned ones.

    Running out is not the end: a result can still add jobs, and the pool asks again.
    """

    def __init__(self, planned: Iterator[Job]) -> None:
        self.planned = planned
        self.later: collections.deque[Job] = collections.deque()

    def __iter__(self) -> JobQueue:
        return self

    def __next__(self) -> Job:
        return self.later.popleft() if self.later else next(self.planned)


def work(fn: Callable[..., Any], fmt: str, code: str, env: tuple[tuple[str, str], ...],
         *args: Any) -> tuple[Any, float]:
    """Run one job where it was sent: ``(result or failure message, seconds)``. Never raises.

    The job runs with the build's environment (SOURCE_DATE_EPOCH), and only if this
    worker renders ``fmt`` with the same code as the machine that planned the build.
    """
    started = time.perf_counter()
    if code_fingerprint(fmt) != code:
        return ("this worker runs other leaflets code (install the same version of the "
                "project and its packages on every worker)", 0.0)
    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    os.environ.update(env)
    for name in set(ENVIRONMENT) - {name for name, _ in env}:
        os.environ.pop(name, None)
    try:
        value = fn(*args)
    except Exception as exc:  # a renderer bug must not stop the other jobs
        value = failure(exc)
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
    return value, time.perf_counter() - started


def failure(exc: Exception) -> str:
    """The one-line message of a failed job: the error, or the bug, in its own words."""
    if isinstance(exc, LeafletsError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


class Pool:
    """Where jobs run: a Dask cluster, local processes, or this process.

    At most ``window`` jobs are out at once, so results come back as they are
    written and memory stays flat however many leaflets there are.
    """

    def __init__(self, submit: Callable[..., Any] | None,
                 wait: Callable[[list], Iterable[Any]] | None, window: int,
                 remote: bool = False) -> None:
        self.submit = submit
        self.wait = wait
        self.window = window
        self.remote = remote
        """Jobs run on other machines, whose clip caches this one does not share."""

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Key, Any, float]]:
        """Run ``jobs``, pulled as workers free up (``jobs`` may grow while results come)."""
        env = environment()
        if self.submit is None or self.wait is None:
            for key, fmt, fn, args in jobs:
                yield key, *work(fn, fmt, code_fingerprint(fmt), env, *args)
            return
        pending: dict[Any, Key] = {}
        while True:
            for key, fmt, fn, args in itertools.islice(jobs, max(self.window - len(pending), 0)):
                pending[self.submit(work, fn, fmt, code_fingerprint(fmt), env, *args)] = key
            if not pending:
                return
            for future in self.wait(list(pending)):
                key = pending.pop(future)
                try:
                    value, seconds = future.result()
                except Exception as exc:  # a worker that died, or cannot load the job
                    value, seconds = f"worker failed: {type(exc).__name__}: {exc}", 0.0
                yield key, value, seconds


@contextlib.contextmanager
def open_pool(request: BuildRequest, count: int) -> Iterator[Pool]:
    """A pool for up to ``count`` tasks: the Dask scheduler asked for, else ``-j`` processes."""
    if request.scheduler:
        with dask_pool(request.scheduler) as pool:
            yield pool
        return
    workers = min(request.jobs or default_jobs(), count)
    if workers <= 1:
        yield Pool(None, None, 1)
        return
    for spec in BUILDERS.values():  # imported once here, inherited by every forked worker
        import_module(spec.partition(":")[0])
    pool = ProcessPoolExecutor(max_workers=workers, initializer=signal.signal,
                               initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        yield Pool(pool.submit,
                    lambda futures: wait_first(futures, return_when=FIRST_COMPLETED).done,
                    2 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def dask_pool(address: str) -> Iterator[Pool]:
    try:
        from distributed import Client
        from distributed import wait as dask_wait
    except ImportError:  # pragma: no cover - a declared dependency
        raise LeafletsError("dask.distributed is not installed",
                            hint="pip install distributed") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, ValueError) as exc:
        # The half-made client closes itself when collected, through its event loop's
        # thread: collect it now, or a process forked later (a -j worker in the same
        # Python) inherits it without that thread and waits 60 s in its __del__.
        gc.collect()
        raise LeafletsError(f"cannot reach the scheduler {address}: {exc}",
                            hint="start it with 'dask scheduler' and its workers") from None
    with client:
        threads = sum(client.nthreads().values()) or 1
        yield Pool(lambda fn, *args: client.submit(fn, *args, pure=False),
                    lambda futures: dask_wait(futures, return_when="FIRST_COMPLETED").done,
                    2 * threads, remote=True)


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
