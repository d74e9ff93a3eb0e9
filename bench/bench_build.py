"""What `leaflets build` costs: cold, nothing changed, one changed message, and scaling.

Every figure is one `python -m pipeline build` process (start-up included), timed in
this run on a temporary copy of the sample (6 languages, every format):

1. cold build with an empty clip cache (the yardstick for the next two);
2. the same build again, nothing changed: under 1 s and under 5% of cold;
3. one Welsh message changed: under 10% of cold;
4. 1, 10 and 50 generated copies of the sample (ids mappa-faq-01..., catalogues copied),
   every format, 6 languages. The copies speak the same words, so their audio clips
   come from the clip cache the cold build filled: audio here is assembly and writing,
   not synthesis (the cold build measures synthesis). 50 copies in at most 55x the time
   of 1; -j 2 at least 1.6x faster than -j 1 on 10 copies; peak memory of the 50-copy
   build (build process and its workers together) under 1 GB.

    python bench/bench_build.py            # about 4 minutes on 2 cores
    python bench/bench_build.py --quick    # 1 and 5 copies, -j on 5 copies: about 1.5 minutes

Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "mappa-faq"
LANGUAGES = ["en-GB", "cy", "pl", "ur", "pa", "ar"]
ROUNDS = 3

try:
    import psutil
except ImportError:  # memory then comes from getrusage: the largest single process
    psutil = None


@dataclass
class Run:
    seconds: float
    peak_mb: float
    """Peak resident memory of the build process and its children together (MB)."""
    output: str


def build(project: Path, *args: str) -> Run:
    """One build in a child process, timed, with its memory sampled."""
    command = [sys.executable, "-m", "pipeline", "-C", str(project), "build", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "160"}
    started = time.perf_counter()
    if psutil is None:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = max_child_rss_mb()
        code, output = done.returncode, done.stdout + done.stderr
    else:
        child = psutil.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, tree_rss_mb(child))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        code, output = child.returncode, child.stdout.read()
    if code != 0:
        sys.exit(f"build {' '.join(args)} in {project} failed ({code}):\n{output}")
    return Run(seconds, peak, output)


def tree_rss_mb(process: psutil.Process) -> float:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def max_child_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def make_project(folder: Path, copies: int, cache: Path) -> Path:
    """The sample (``copies`` = 0) or that many copies of it, with one clip cache."""
    (folder / "source").mkdir(parents=True)
    shutil.copytree(ROOT / "locales", folder / "locales",
                    ignore=shutil.ignore_patterns("*.pot"))
    text = (ROOT / "source" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    ids = [f"{SAMPLE}-{n:02d}" for n in range(1, copies + 1)] or [SAMPLE]
    for leaflet in ids:
        (folder / "source" / f"{leaflet}.md").write_text(
            re.sub(rf"^id: {SAMPLE}$", f"id: {leaflet}", text, count=1, flags=re.M),
            encoding="utf-8")
        for po in (folder / "locales").glob(f"*/LC_MESSAGES/{SAMPLE}.po"):
            if leaflet != SAMPLE:
                shutil.copy(po, po.with_name(f"{leaflet}.po"))
    if copies:
        for po in (folder / "locales").glob(f"*/LC_MESSAGES/{SAMPLE}.po"):
            po.unlink()
    (folder / "leaflets.toml").write_text(
        f"languages = {json.dumps(LANGUAGES)}\n"
        'formats = ["pdf", "html", "audio"]\n'
        f"cache-dir = {json.dumps(str(cache))}\n", encoding="utf-8")
    return folder


def change_one_message(project: Path) -> str:
    """Change the Welsh translation of one paragraph of one answer; return its question."""
    path = project / "locales" / "cy" / "LC_MESSAGES" / f"{SAMPLE}.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if not e.obsolete and e.msgstr and not e.fuzzy
                 and e.msgctxt not in ("leaflet", "glossary")
                 and "Easy read" not in e.comment and "heading" not in e.comment)
    entry.msgstr += " Diolch."
    po.save()
    return entry.msgctxt or ""


def clips_in(cache: Path) -> int:
    return sum(1 for _ in (cache / "audio").rglob("*.json"))


class Verdicts:
    """PASS/FAIL lines against the issue's targets."""

    def __init__(self) -> None:
        self.failed = 0

    def check(self, what: str, value: float, limit: float, unit: str = "") -> None:
        ok = value <= limit
        self.failed += not ok
        verdict = "PASS" if ok else "FAIL"
        print(f"  {verdict}  {what}: {value:.3g}{unit} (target <= {limit:g}{unit})")

    def at_least(self, what: str, value: float, limit: float) -> None:
        ok = value >= limit
        self.failed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {value:.3g} (target >= {limit:g})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 5 copies only")
    args = parser.parse_args()
    big, middle = (5, 5) if args.quick else (50, 10)
    cores = len(os.sched_getaffinity(0))
    verdicts = Verdicts()
    memory = ("psutil: RSS summed over the build process and its workers" if psutil
              else "getrusage: the largest single process")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{cores} cores (load average before: {load}); peak memory from {memory}")

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        sample = make_project(work / "sample", 0, cache)

        print(f"\nsample: 1 leaflet x {len(LANGUAGES)} languages x 3 formats, default -j ({cores})")
        cold = build(sample)
        print(f"  cold build, empty clip cache:  {cold.seconds:6.2f} s  "
              f"({clips_in(cache)} clips synthesised)")
        noop = build(sample)
        assert "Nothing changed" in noop.output, noop.output
        print(f"  nothing changed:               {noop.seconds:6.2f} s  "
              f"= {noop.seconds / cold.seconds:.1%} of cold")
        before = clips_in(cache)
        question = change_one_message(sample)
        one = build(sample)
        rebuilt = sorted({(e["language"], e["format"]) for e in json.loads(
            (sample / "outputs" / "manifest.json").read_text())["outputs"]
            if e["made"] == "built"})
        print(f"  one cy message changed ({question}): {one.seconds:6.2f} s  "
              f"= {one.seconds / cold.seconds:.1%} of cold; "
              f"{clips_in(cache) - before} clip synthesised; rebuilt {rebuilt}")
        verdicts.check("nothing changed, seconds", noop.seconds, 1.0, " s")
        verdicts.check("nothing changed / cold", noop.seconds / cold.seconds * 100, 5, "%")
        verdicts.check("one message / cold", one.seconds / cold.seconds * 100, 10, "%")

        print(f"\nscaling: copies of the sample, {len(LANGUAGES)} languages, pdf + html + audio;"
              " audio clips from the warm cache (assembly and writing only)")
        times: dict[int, Run] = {}
        for copies in sorted({1, middle, big}):
            project = make_project(work / f"copies-{copies}", copies, cache)
            times[copies] = build(project, "-j", "2")
            print(f"  {copies:3d} copies, -j 2: {times[copies].seconds:7.2f} s "
                  f"({times[copies].seconds / copies:.2f} s per copy), "
                  f"peak memory {times[copies].peak_mb:.0f} MB")
            shutil.rmtree(project / "outputs")
        verdicts.check(f"{big} copies / 1 copy, time",
                       times[big].seconds / times[1].seconds, big * 1.1)
        if middle != big:  # without the fixed start-up cost that flatters the ratio above
            ratio = times[big].seconds / times[middle].seconds
            print(f"  (for information: {big} copies / {middle} copies, time: {ratio:.2f} "
                  f"for {big / middle:g}x the work)")

        project = make_project(work / "jobs", middle, cache)
        seconds: dict[str, list[float]] = {"1": [], "2": []}
        for jobs in ["1", "2"] * ROUNDS:  # alternated: the cores are shared with others
            seconds[jobs].append(build(project, "-j", jobs).seconds)
            shutil.rmtree(project / "outputs")
        for jobs, runs in seconds.items():
            print(f"  {middle} copies, -j {jobs}: " + ", ".join(f"{t:.2f} s" for t in runs))
        verdicts.at_least(f"-j 1 / -j 2 on {middle} copies (best of {ROUNDS} each)",
                          min(seconds["1"]) / min(seconds["2"]), 1.6)
        verdicts.check(f"peak memory of the {big}-copy build", times[big].peak_mb, 1024, " MB")

    print("\nall targets met" if not verdicts.failed else f"\n{verdicts.failed} target(s) missed")
    return 1 if verdicts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
