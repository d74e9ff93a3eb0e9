"""Sessions: ``nox -s build`` builds every output, ``nox -s tests`` runs the tests,
``nox -s lint`` checks the code, ``nox -s bench`` runs the benchmarks.

On a machine without nox, ``python3 noxfile.py -s tests`` first makes ``.venv``
(installing Debian's python3-venv if the Python lacks it) with nox in it, then
runs nox. Each session installs what it needs: Python packages into its own
virtualenv, and, on Debian, the system packages the real tools come from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

NOX = "nox==2026.10.20"


def _bootstrap() -> None:
    """Make .venv with nox in it, then hand over to nox with this command's arguments."""
    venv = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".venv")
    nox_bin = os.path.join(venv, "bin", "nox")
    if not os.path.exists(nox_bin):
        if subprocess.run([sys.executable, "-m", "venv", "--clear", venv]).returncode != 0:
            sudo = [] if os.geteuid() == 0 else ["sudo"]
            subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
            subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "python3-venv"], check=True)
            subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", NOX], check=True)
    os.execv(nox_bin, [nox_bin, "-f", os.path.abspath(__file__), *sys.argv[1:]])


if __name__ == "__main__":
    _bootstrap()

import nox  # noqa: E402  (after the bootstrap, which runs without nox)

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"

# What the real tools come from, by the command (or file) that shows each is there:
# fonts for every script, and the tools the tests measure outputs with.
NOTO = "/usr/share/fonts/truetype/noto/NotoSansGurmukhi-Regular.ttf"
BUILD_PACKAGES = {
    "fonts-noto-core": NOTO,
    "fonts-symbola": "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    # Braille: liblouis, its tables and its own Python bindings. PyPI has no release of
    # the bindings, so pipeline/braille/louis.py loads Debian's module by its path into
    # the session's virtualenv (not the whole of dist-packages, which would shadow the
    # pinned packages); liblouis itself stays the one Debian tests and updates.
    "liblouis-bin": "lou_translate",
    "liblouis-data": "/usr/share/liblouis/tables/en-ueb-g2.ctb",
    "python3-louis": "/usr/lib/python3/dist-packages/louis/__init__.py",
}
TEST_PACKAGES = {
    **BUILD_PACKAGES,
    "gettext": "msgcat",
    "poppler-utils": "pdfinfo",
    "ffmpeg": "ffprobe",
    "chromium": "chromium",
    "default-jre-headless": "java",
    "npm": "npm",
    "util-linux": "unshare",
    "epubcheck": "/usr/share/java/epubcheck.jar",
}
NPM_TOOLS = ["vnu-jar@26.9.27", "axe-core@4.14.1", "@daisy/ace@1.4.6", "epubjs@0.3.93",
             "pdfjs-dist@6.5.438"]
NPM_ENV = {
    # Ace checks EPUBs in a browser: the Chromium the tests already use, not one downloaded
    # by puppeteer (or by Ace's Electron runner, which the tests do not use).
    "PUPPETEER_SKIP_DOWNLOAD": "1",
    "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1",
    "ELECTRON_SKIP_BINARY_DOWNLOAD": "1",
}


def _missing(packages: dict[str, str]) -> list[str]:
    """The packages whose command (or file) is not on this machine."""
    return [
        name for name, thing in packages.items()
        if not (os.path.exists(thing) if thing.startswith("/") else shutil.which(thing))
    ]


def apt_install(session: nox.Session, packages: dict[str, str]) -> None:
    """Install the Debian packages whose tools are missing; says what to do where it cannot."""
    missing = _missing(packages)
    if not missing:
        return
    if shutil.which("apt-get") is None:
        session.error(f"not a Debian system: install {' '.join(missing)} (or their equivalents)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-qq", external=True, env=env)
    session.run(*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing,
                external=True, env=env)


@nox.session
def build(session: nox.Session) -> None:
    """Build every leaflet, language and format into outputs/."""
    apt_install(session, BUILD_PACKAGES)
    session.install("-e", ".")
    session.run("leaflets", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite, slow tests included, with the real tools."""
    apt_install(session, TEST_PACKAGES)
    session.install("-e", ".[test]")
    tools = ("vnu-jar/build/dist/vnu.jar", "axe-core/axe.min.js", ".bin/ace-puppeteer",
             "epubjs/dist/epub.min.js", "pdfjs-dist/legacy/build/pdf.mjs")
    if not all(os.path.exists(f".tools/node_modules/{path}") for path in tools):
        session.run("npm", "install", "--silent", "--no-audit", "--no-fund",
                    "--prefix", ".tools", *NPM_TOOLS, external=True, env=NPM_ENV)
    session.run("ruff", "check", "pipeline", "tests", "bench", "tools", "noxfile.py")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the code."""
    session.install("ruff==0.17.5")
    session.run("ruff", "check", "pipeline", "tests", "bench", "tools", "noxfile.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark; each prints ratios against a yardstick measured in the same run.
    The session fails at the end if any benchmark missed a target."""
    apt_install(session, TEST_PACKAGES)
    session.install("-e", ".[test,bench]")
    missed = []
    for script in sorted(os.listdir("bench")):
        if script.startswith("bench_") and script.endswith(".py"):
            try:
                session.run("python", f"bench/{script}")
            except nox.command.CommandFailed:
                missed.append(script)
    if missed:
        session.error(f"targets missed in {', '.join(missed)} (see above)")
