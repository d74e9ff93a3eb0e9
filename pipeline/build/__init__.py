"""The build engine: leaflet × language × format tasks, incremental, parallel, atomic.

Each task renders one edition in one format: a worker process on this machine
writes the files into a staging folder beside the outputs, a worker on another
machine (Dask) sends them back in memory. Audio is split into one job per clip;
clips already in the cache need no job, and the edition's files are assembled
from the clips without re-encoding them.

For each edition's files a stamp, kept in the cache, records what they were made from
(hashes of the edition, the settings, the code, the libraries and the environment), so
a rebuild with nothing changed does no work, and says why it rebuilt the rest.
A task's files are staged first and renamed into place, then its stamp written, with
Ctrl-C held off meanwhile: an interrupted or failed task leaves the last good output,
and its stamp, exactly as they were. Outputs are withdrawn only for a reason, and a
build that would withdraw a whole leaflet or most of what is published stops unless
asked to ``--prune``.

One module a concern: :mod:`.tasks` (what a task is), :mod:`.inputs` (what an
output is made from), :mod:`.folders` (where outputs, cache and stamps are),
:mod:`.plan`, :mod:`.plancache`, :mod:`.stamps`, :mod:`.lock`, :mod:`.signals`,
:mod:`.pool` (where jobs run), :mod:`.execute`, :mod:`.clips` (audio clip jobs),
:mod:`.report` (index, manifest, summary), :mod:`.run` and :mod:`.clean`.
"""

from .clean import clean
from .plan import read_editions
from .run import run_build
from .tasks import BuildRequest

__all__ = ["BuildRequest", "clean", "read_editions", "run_build"]
