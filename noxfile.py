"""Sessions: ``nox -s build`` builds every output, ``nox -s tests`` runs the tests,
``nox -s lint`` checks the code, ``nox -s bench`` runs the benchmarks.

Each session installs what it needs: Python packages into its own virtualenv,
and, on Debian, the system packages the real tools come from (apt-get, once).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"

# What the real tools come from: fonts for every script, and the tools the tests
# measure outputs with (poppler, gettext, ffmpeg, Chromium, Java for the Nu checker).
BUILD_PACKAGES = ["fonts-noto-core"]
TEST_PACKAGES = [
    *BUILD_PACKAGES,
    "gettext",
    "poppler-utils",
    "ffmpeg",
    "chromium",
    "default-jre-headless",
    "npm",
    "util-linux",
]
NPM_TOOLS = ["vnu-jar@26.9.27", "axe-core@4.14.1"]


def _missing(packages: list[str]) -> list[str]:
    missing = []
    for name in packages:
        found = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        )
        if "install ok installed" not in found.stdout:
            missing.append(name)
    return missing


def apt_install(session: nox.Session, packages: list[str]) -> None:
    """Install missing Debian packages; says what to do where it cannot."""
    if shutil.which("dpkg-query") is None:
        session.warn(f"not a Debian system: make sure these are installed: {' '.join(packages)}")
        return
    missing = _missing(packages)
    if not missing:
        return
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
    session.run("leaflets", "update", "--check", success_codes=[0, 1])
    session.run("leaflets", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite, slow tests included, with the real tools."""
    apt_install(session, TEST_PACKAGES)
    session.install("-e", ".[test]")
    tools = (".tools/node_modules/vnu-jar/build/dist/vnu.jar", ".tools/node_modules/axe-core/axe.min.js")
    if not all(os.path.exists(path) for path in tools):
        session.run("npm", "install", "--silent", "--no-audit", "--no-fund",
                    "--prefix", ".tools", *NPM_TOOLS, external=True)
    session.run("ruff", "check", "pipeline", "tests", "bench", "noxfile.py")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the code."""
    session.install("ruff==0.17.5")
    session.run("ruff", "check", "pipeline", "tests", "bench", "noxfile.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks; each prints ratios against a yardstick measured in the same run."""
    apt_install(session, TEST_PACKAGES)
    session.install("-e", ".[test,bench]")
    for script in sorted(os.listdir("bench")):
        if script.startswith("bench_") and script.endswith(".py"):
            session.run("python", f"bench/{script}")
