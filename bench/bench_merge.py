"""Our catalogue merge against GNU ``msgmerge --previous`` on a real corpus, in the same run.

Corpus: Django's catalogues (about 1,200 files, 100 languages, every contrib app), from
two releases downloaded from PyPI with pip into a cache folder (never committed).  Each
language's catalogue of the old release is merged into the new release's template (its
``en`` catalogue, which has every msgid and no translation), once with our merge and once
with msgmerge, and both results are compared with what the translators actually wrote
in the new release.  Yardstick: msgmerge's time for the whole corpus (a process per file,
as a project runs it); ours is load + merge + write in one process, each template read
once per domain, as ``leaflets update`` does.

The quality table (issue 12), for both tools:

- wrong carry-overs: messages published without a fuzzy mark although the msgid
  changed (more than whitespace) or was fuzzy before;
- outputs ``msgfmt --check`` refuses;
- outputs changed by running the same merge again;
- translations lost: an old translation found nowhere in the output (active, fuzzy or
  obsolete);
- old files refused on reading although ``msgcat`` reads them;
- fuzzy suggestions: new fuzzy messages; "correct" when the translators' message in the
  new release is the suggestion or nearly (character similarity >= 0.8); precision =
  correct / suggestions; "left untranslated" when the translators left it empty.

Targets: the first five are 0, our precision >= msgmerge's with at least as many correct
suggestions, and our time <= 1.0x msgmerge's.  Exits 1 if a target is missed.
``--calibrate`` also prints our precision for each fuzzy threshold above the one in force
(``--threshold`` sets it for the run).

    python bench/bench_merge.py [--calibrate] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.catalog import merge as merge_module  # noqa: E402
from pipeline.catalog import pofile  # noqa: E402
from pipeline.catalog.merge import folded, merge  # noqa: E402
from pipeline.errors import LeafletsError  # noqa: E402

OLD, NEW = "3.2.25", "5.0.9"
"""Two Django releases, two long-term releases apart: what a project that updates rarely sees."""
NEARLY = 0.8
"""A suggestion the translators changed less than this (character similarity) was kept."""
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "leaflets-bench"


@dataclass
class Pair:
    old: Path
    template: Path
    truth: Path


@dataclass
class Quality:
    wrong: int = 0
    refused_by_msgfmt: int = 0
    changed_again: int = 0
    lost: int = 0
    refused_on_reading: int = 0
    suggestions: int = 0
    correct: int = 0
    left_untranslated: int = 0
    scores: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.suggestions if self.suggestions else 1.0


def corpus(version: str) -> Path:
    """Django ``version``'s .po files, downloaded once into the cache."""
    target = CACHE / f"django-{version}"
    if (target / "done").exists():
        return target
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", f"django=={version}", "-d", download],
                       check=True)
        wheel = next(Path(download).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".po"):
                    archive.extract(name, target)
    (target / "done").write_text(version)
    return target


def pairs(old_root: Path, new_root: Path) -> list[Pair]:
    found = []
    for truth in sorted(new_root.rglob("*.po")):
        rel = truth.relative_to(new_root)
        parts = rel.parts
        at = parts.index("locale")
        if parts[at + 1] == "en" or not (old_root / rel).exists():
            continue
        template = new_root.joinpath(*parts[:at + 1], "en", *parts[at + 2:])
        found.append(Pair(old_root / rel, template, truth))
    return found


def reads_with_msgcat(path: Path) -> bool:
    return subprocess.run(["msgcat", "-o", "/dev/null", str(path)],
                          capture_output=True).returncode == 0


def run_gnu(work: list[Pair], out: Path) -> tuple[float, dict[int, Path]]:
    outputs: dict[int, Path] = {}
    started = time.perf_counter()
    for n, pair in enumerate(work):
        target = out / f"{n}.po"
        done = subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(target),
                               str(pair.old), str(pair.template)], capture_output=True)
        if done.returncode == 0:
            outputs[n] = target
    return time.perf_counter() - started, outputs


def run_ours(work: list[Pair], out: Path) -> tuple[float, dict[int, Path]]:
    outputs: dict[int, Path] = {}
    templates: dict[Path, polib.POFile] = {}
    started = time.perf_counter()
    for n, pair in enumerate(work):
        if pair.template not in templates:
            templates[pair.template] = pofile.load(pair.template)
        try:
            old = pofile.load(pair.old)
        except LeafletsError:
            continue
        merged, _ = merge(old, templates[pair.template])
        target = out / f"{n}.po"
        pofile.write(merged, target)
        outputs[n] = target
    return time.perf_counter() - started, outputs


def forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def translated(entry: polib.POEntry) -> bool:
    return entry.msgid != "" and any(forms(entry))


def nearly(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEARLY


def judge(pair: Pair, output: Path, again: bytes, quality: Quality) -> None:
    """Add one output's findings to ``quality``."""
    text = output.read_bytes()
    if again != text:
        quality.changed_again += 1
    if subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(output)],
                      capture_output=True).returncode != 0:
        quality.refused_by_msgfmt += 1
    old = [e for e in polib.pofile(str(pair.old)) if translated(e)]
    merged = polib.pofile(str(output))
    truth = {(e.msgctxt, e.msgid): forms(e)[0] for e in polib.pofile(str(pair.truth))
             if translated(e) and not e.fuzzy and not e.obsolete}
    sure = {(e.msgctxt or "", folded(e.msgid), folded(e.msgid_plural or ""), tuple(forms(e)))
            for e in old if not e.fuzzy}
    was_fuzzy = {(e.msgctxt, e.msgid) for e in old if e.fuzzy and not e.obsolete}
    everything = {form for e in merged for form in forms(e)}
    quality.lost += sum(1 for e in old if forms(e)[0] not in everything)
    for e in merged:
        if e.obsolete or not translated(e):
            continue
        if not e.fuzzy:
            key = (e.msgctxt or "", folded(e.msgid), folded(e.msgid_plural or ""),
                   tuple(forms(e)))
            quality.wrong += key not in sure
            continue
        if (e.msgctxt, e.msgid) in was_fuzzy:
            continue
        quality.suggestions += 1
        kept = truth.get((e.msgctxt, e.msgid))
        good = kept is not None and nearly(forms(e)[0], kept)
        quality.correct += good
        quality.left_untranslated += kept is None
        if e.previous_msgid is not None:
            bonus = merge_module.SAME_QUESTION_BONUS if e.msgctxt and \
                e.msgctxt == e.previous_msgctxt else 0.0
            quality.scores.append((merge_module.similarity(e.previous_msgid, e.msgid) + bonus,
                                   good))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibrate", action="store_true",
                        help="also print our precision for a range of fuzzy thresholds")
    parser.add_argument("--threshold", type=float,
                        help="our fuzzy threshold for this run (to calibrate below it)")
    args = parser.parse_args()
    if args.threshold is not None:
        merge_module.FUZZY_THRESHOLD = args.threshold
    work = pairs(corpus(OLD), corpus(NEW))
    messages = sum(1 for pair in {p.template for p in work} for _ in polib.pofile(str(pair)))
    print(f"corpus: Django {OLD} catalogues merged into {NEW} templates: {len(work)} files, "
          f"{len(work) * messages // len({p.template for p in work}):,} messages (about)")
    readable = [reads_with_msgcat(pair.old) for pair in work]
    results: dict[str, tuple[float, Quality]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, runner in (("GNU msgmerge", run_gnu), ("ours", run_ours)):
            out = Path(tmp) / name.split()[0]
            out.mkdir()
            seconds, outputs = runner(work, out)
            quality = Quality()
            quality.refused_on_reading = sum(
                1 for n in range(len(work)) if n not in outputs and readable[n])
            second = Path(tmp) / "again"
            second.mkdir(exist_ok=True)
            for n, output in outputs.items():
                redo = [Pair(output, work[n].template, work[n].truth)]
                runner(redo, second)
                again = second / "0.po"
                judge(work[n], output, again.read_bytes() if again.exists() else b"", quality)
                again.unlink(missing_ok=True)
            results[name] = (seconds, quality)
    gnu_time, gnu = results["GNU msgmerge"]
    our_time, ours = results["ours"]
    rows = [
        ("wrong carry-overs", "wrong"),
        ("outputs msgfmt --check refuses", "refused_by_msgfmt"),
        ("outputs changed by a second merge", "changed_again"),
        ("translations lost", "lost"),
        ("old files refused that msgcat reads", "refused_on_reading"),
        ("fuzzy suggestions", "suggestions"),
        ("  correct (kept or nearly kept)", "correct"),
        ("  left untranslated by the translators", "left_untranslated"),
    ]
    print(f"{'':42} {'GNU msgmerge':>14} {'ours':>10}")
    for label, attr in rows:
        print(f"{label:42} {getattr(gnu, attr):>14,} {getattr(ours, attr):>10,}")
    print(f"{'fuzzy precision':42} {gnu.precision:>14.1%} {ours.precision:>10.1%}")
    print(f"{'time (s)':42} {gnu_time:>14.2f} {our_time:>10.2f}")
    print(f"{'time ratio, ours / msgmerge (target <= 1.0)':42} {'1.00':>14} "
          f"{our_time / gnu_time:>10.2f}")
    if args.calibrate:
        calibrate(ours)
    missed = [label for label, attr in rows[:5] if getattr(ours, attr)]
    if ours.precision < gnu.precision:
        missed.append("fuzzy precision below msgmerge's")
    if ours.correct < gnu.correct:
        missed.append("fewer correct suggestions than msgmerge")
    if our_time > gnu_time:
        missed.append("slower than msgmerge")
    for label in missed:
        print(f"MISSED: {label}")
    return 1 if missed else 0


def calibrate(quality: Quality) -> None:
    """Precision and correct suggestions had the threshold been each of these."""
    by_threshold: dict[float, list[bool]] = defaultdict(list)
    for score, good in quality.scores:
        for step in range(30, 100, 5):
            if score > step / 100:
                by_threshold[step / 100].append(good)
    print(f"calibration (current threshold {merge_module.FUZZY_THRESHOLD}):")
    for threshold, goods in sorted(by_threshold.items()):
        print(f"  > {threshold:.2f}: {len(goods):5} suggestions, {sum(goods):5} correct, "
              f"precision {sum(goods) / len(goods):.1%}")


if __name__ == "__main__":
    sys.exit(main())
