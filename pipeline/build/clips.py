"""An edition's audio: its clips from the cache or one job each, assembled here."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pool import failure
from .tasks import StagedOutput, Task, TaskResult


@dataclass
class AudioJob:
    """One edition's audio: its clips (from the cache or one job each), then assembled here."""

    task: Task
    clips: list
    rendered: dict[int, Any] = field(default_factory=dict)
    failure: str = ""
    seconds: float = 0.0

    @classmethod
    def plan(cls, task: Task, clips: list) -> AudioJob:
        """The edition's audio, with the clips the cache has."""
        from ..audio import cached_clip

        job = cls(task, clips)
        for index, clip in enumerate(job.clips):
            hit = cached_clip(clip, task.settings)
            if hit is not None:
                job.rendered[index] = hit
        return job

    def missing(self) -> list[int]:
        return [i for i in range(len(self.clips)) if i not in self.rendered]

    def add(self, index: int, value: Any, seconds: float, keep: bool) -> None:
        """A clip back from a job (or its failure); ``keep`` caches one made elsewhere."""
        from ..audio import keep_clip

        self.seconds += seconds
        if isinstance(value, str):
            self.failure = self.failure or value
        elif keep:
            keep_clip(value, self.task.settings)
        self.rendered[index] = value

    @property
    def complete(self) -> bool:
        return len(self.rendered) == len(self.clips)

    def assemble(self, folder: Path) -> TaskResult:
        """The edition's files, written into ``folder`` (its staging folder)."""
        from ..audio import assemble

        label = self.task.label
        if self.failure:
            return TaskResult(label, "failed", self.failure, seconds=self.seconds)
        started = time.perf_counter()
        done = [self.rendered[i] for i in range(len(self.clips))]
        shutil.rmtree(folder, ignore_errors=True)
        out = StagedOutput(folder)
        try:
            assemble(self.task.edition, self.clips, done, out)
        except Exception as exc:
            return TaskResult(label, "failed", failure(exc), seconds=self.seconds)
        return TaskResult(label, "built", made=out.made,
                          problems=[p for r in done for p in r.problems],
                          seconds=self.seconds + time.perf_counter() - started)


def run_audio(task: Task, staging: str) -> TaskResult | list:
    """Assemble an edition's audio from the clip cache (a worker job on this machine), or,
    when clips are missing, return the edition's clips to be synthesised one job each.
    Audio the voice cannot read is skipped, and says why."""
    from ..audio import clips, unreadable

    reason = unreadable(task.edition, task.settings)
    if reason:
        return TaskResult(task.label, "skipped", reason)
    job = AudioJob.plan(task, clips(task.edition, task.settings))
    return job.assemble(Path(staging)) if job.complete else job.clips
