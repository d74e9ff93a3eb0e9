"""Nothing lost: 'leaflets update' keeps every translation, and an interrupted update
leaves each catalogue either as it was or as the update writes it, never half-written."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.catalog import pofile
from pipeline.catalog.workflow import update
from pipeline.errors import LeafletsError
from pipeline.project import Project
from pipeline.source import read_leaflet

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "mappa-faq.md"
LINES = SOURCE.read_text(encoding="utf-8").split("\n")
FRONT_END = LINES.index("---", 1)
TEXT_LINES = [
    i for i, line in enumerate(LINES)
    if i > FRONT_END and line.strip() and not line.startswith((":::", "#"))
]
"""Lines of the sample that hold answer, easy-read or glossary text."""
WORDS = ["offender", "the", "12", "five", "MAPPA", "**risk**", "meeting,", "not", "’s", "safe."]


def copy_project(target: Path, languages: tuple[str, ...]) -> Path:
    """The sample's source, templates and the catalogues of ``languages`` under ``target``."""
    shutil.copytree(ROOT / "source", target / "source")
    (target / "locales").mkdir()
    for pot in (ROOT / "locales").glob("*.pot"):
        shutil.copy(pot, target / "locales")
    for lang in languages:
        shutil.copytree(ROOT / "locales" / lang, target / "locales" / lang)
    return target


def translations(path: Path) -> set[str]:
    """Every msgstr of a catalogue, whatever its state: active, fuzzy or obsolete."""
    return {e.msgstr for e in polib.pofile(str(path)) if e.msgstr}


edit = st.one_of(
    st.tuples(st.just("word"), st.sampled_from(TEXT_LINES), st.sampled_from(WORDS)),
    st.tuples(st.just("drop"), st.sampled_from(TEXT_LINES), st.just("")),
    st.tuples(st.just("swap"), st.sampled_from(TEXT_LINES), st.sampled_from(TEXT_LINES)),
    st.tuples(st.just("add"), st.sampled_from(TEXT_LINES), st.text(
        st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=30)),
)


def apply(lines: list[str], change: tuple) -> None:
    """One editor's change: a word replaced, a sentence dropped, two lines swapped or text added."""
    kind, at, value = change
    if kind == "word":
        words = lines[at].split(" ")
        words[len(words) // 2] = value
        lines[at] = " ".join(words)
    elif kind == "drop":
        lines[at] = lines[at].split(". ")[0]
    elif kind == "swap":
        lines[at], lines[value] = lines[value], lines[at]
    else:
        lines[at] = f"{lines[at]} {value.strip()}"


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.lists(edit, min_size=1, max_size=6), min_size=1, max_size=3))
def test_update_never_drops_a_translation(rounds: list[list[tuple]]) -> None:
    """Random edits of the real source, each round followed by the real update."""
    with tempfile.TemporaryDirectory() as folder:
        root = copy_project(Path(folder), ("cy",))
        catalogs = [root / "locales" / lang / "LC_MESSAGES" / "mappa-faq.po"
                    for lang in ("cy",)]
        kept = {path: translations(path) for path in catalogs}
        lines = list(LINES)
        project = Project.find(root)
        for changes in rounds:
            for change in changes:
                apply(lines, change)
            source = root / "source" / "mappa-faq.md"
            source.write_text("\n".join(lines), encoding="utf-8")
            try:
                read_leaflet(source)
            except LeafletsError:
                assume(False)
            report = update(project)
            assert not [p for p in report.problems if p.severity == "error"]
            for path in catalogs:
                now = translations(path)
                assert kept[path] <= now, kept[path] - now
                kept[path] |= now


def _edited_source() -> str:
    """The sample with changes that touch every catalogue."""
    text = SOURCE.read_text(encoding="utf-8")
    for old, new in (("up to five years", "up to six years"),
                     ("MAPPA stands for", "MAPPA is short for"),
                     ("the offender’s release", "the offender's release")):
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.slow
def test_killed_update_leaves_old_or_new_catalogues(tmp_path: Path) -> None:
    """SIGINT or SIGKILL at random moments: each file is its old bytes or its new bytes."""
    langs = tuple(p.name for p in (ROOT / "locales").iterdir() if (p / "LC_MESSAGES").is_dir())
    base = copy_project(tmp_path / "base", langs)
    (base / "source" / "mappa-faq.md").write_text(_edited_source(), encoding="utf-8")
    done = copy_project(tmp_path / "done", langs)
    shutil.copy(base / "source" / "mappa-faq.md", done / "source")
    update(Project.find(done))
    files = sorted(p.relative_to(base) for p in (base / "locales").rglob("*.po*"))
    old = {name: (base / name).read_bytes() for name in files}
    new = {name: (done / name).read_bytes() for name in files}
    assert sum(old[n] != new[n] for n in files) >= len(langs)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "-C", str(done), "update"], env=env,
                   check=True, capture_output=True)
    whole = time.perf_counter() - started
    chance = random.Random(7)
    seen: set[tuple[bool, ...]] = set()
    for attempt in range(10):
        root = tmp_path / f"run{attempt}"
        shutil.copytree(base, root)
        child = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "update"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(chance.uniform(0.3, 1.0) * whole)
        child.send_signal(signal.SIGINT if attempt % 2 else signal.SIGKILL)
        _, err = child.communicate(timeout=60)
        assert b"Traceback" not in err
        state = []
        for name in files:
            data = (root / name).read_bytes()
            assert data in (old[name], new[name]), f"{name} is half-written"
            if name.suffix == ".po":
                pofile.load(root / name)
            state.append(data == new[name])
        seen.add(tuple(state))
        if attempt % 2:
            assert not list(root.rglob(".*.po*")), "SIGINT left a temporary file"
    assert len(seen) > 1, "every kill landed at the same moment; widen the delays"
