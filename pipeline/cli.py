"""The ``leaflets`` command. Thin: it parses arguments, calls the library and prints."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .config import FORMATS
from .errors import LeafletsError, Problem, printable
from .project import Project

out = Console(highlight=False, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)
"""Text from files is printed as text: no Rich markup, no emoji codes, and messages escape
control characters (see :func:`pipeline.errors.printable`)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 something failed, 2 bad usage)."""
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return int(args.run(args) or 0)
    except LeafletsError as exc:
        err.print(Text.assemble(("error:", "red"), f" {exc}"), soft_wrap=True)
        return 1
    except OSError as exc:  # the disk is full, a folder cannot be written...
        where = LeafletsError(exc.strerror or str(exc), exc.filename)
        err.print(Text.assemble(("error:", "red"), f" {where}"), soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: files being written were left as they were")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaflets",
        description="Turn one FAQ leaflet into accessible large print, easy read and audio "
        "in many languages.",
    )
    parser.add_argument("--version", action="version", version=f"leaflets {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=None, metavar="DIR",
                        help="the project folder (default: found from the current folder)")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help: str
                ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run, command=name)
        return p

    p = command("import", _import, "Turn an FAQ page copied from a website into a new source file.")
    p.add_argument("page", help="the page: a saved HTML or text file, or an https:// address")
    p.add_argument("-o", "--output", type=Path, help="where to write (default: source/<id>.md)")
    p.add_argument("--id", help="the leaflet id (default: from the page title)")

    p = command("extract", _extract, "Write the translation templates locales/*.pot.")
    p.add_argument("--check", action="store_true", help="exit 1 if a template would change")

    p = command("update", _update,
                "Extract, then merge the templates into every language's catalogues.")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if a catalogue would change (for CI)")

    p = command("add-language", _add_language, "Create the catalogues of a new language.")
    p.add_argument("language", help="a language code, like cy, pl, ur, pa, ar or pt-BR")

    command("status", _status, "Show how far each translation is and what will be published.")
    p = command("check", _check,
                "Check sources and translations for problems a translator can fix.")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--leaflet", action="append", help="only this leaflet id (repeatable)")
    p.add_argument("-v", "--details", action="store_true",
                   help="list every warning, fuzzy and untranslated message, not only "
                   "errors and a line per file")

    p = command("build", _build, "Build every leaflet, language and format into outputs/.")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--format", action="append", choices=FORMATS,
                   help="only this format (repeatable)")
    p.add_argument("--leaflet", action="append", help="only this leaflet id (repeatable)")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="parallel jobs on this machine (default: number of cores)")
    p.add_argument("--scheduler", help="a Dask scheduler address, like tcp://host:8786")
    p.add_argument("--print-size", type=int, choices=[16, 18, 24], help="large print size (pt)")
    p.add_argument("--audio-text", choices=["standard", "easy-read"],
                   help="which text the audio reads")
    p.add_argument("--prune", action="store_true",
                   help="withdraw outputs even if that removes a whole leaflet or more than "
                   "half of what is published")

    command("clean", _clean, "Remove what builds made in outputs/, and the build cache.")
    return parser


def _project(args: argparse.Namespace) -> Project:
    project = Project.find(args.project)
    for warning in project.config.warnings:
        err.print(f"warning: {printable(warning)}", soft_wrap=True)
    return project


def print_problems(problems: Sequence[Problem]) -> int:
    """Print problems one line each; return the number of errors."""
    colours = {"error": "red", "warning": "yellow", "note": "cyan"}
    for p in problems:
        err.print(Text(str(p), style=colours.get(p.severity, "white")), soft_wrap=True)
    return sum(p.severity == "error" for p in problems)


def _import(args: argparse.Namespace) -> int:
    from .importer import import_page, import_url, write_import

    if args.page.lower().startswith(("https://", "http://")):
        result = import_url(args.page, leaflet_id=args.id)
    else:
        result = import_page(Path(args.page), leaflet_id=args.id)
    print_problems(result.warnings)
    if args.output is None:
        path = write_import(result, source_dir=Project.find(args.project).source_dir)
    else:
        path = write_import(result, args.output)
    out.print(printable(str(path)), soft_wrap=True)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from .catalog.workflow import extract

    report = extract(_project(args), check=args.check)
    errors = print_problems(report.problems)
    for path in report.changed:
        out.print(f"{'would write' if args.check else 'wrote'} {printable(str(path))}")
    return 1 if errors or (args.check and report.changed) else 0


def _update(args: argparse.Namespace) -> int:
    from .catalog.workflow import update

    project = _project(args)
    report = update(project, check=args.check)
    errors = print_problems(report.problems)
    unchanged = 0
    for path, st in sorted(report.stats.items()):
        if path not in report.changed:
            unchanged += 1
            continue
        counts = ", ".join(f"{n} {what}" for what, n in (
            ("kept", st.kept), ("carried", st.carried), ("fuzzy", st.fuzzy), ("new", st.new),
            ("obsolete", st.obsolete)) if n)
        out.print(f"{'would update' if args.check else 'updated'} {project.relative(path)}: "
                  f"{counts}", soft_wrap=True)
    if unchanged:
        out.print(f"{unchanged} catalogues unchanged")
    for path in report.changed:
        if path in report.removed:
            out.print(f"{'would remove' if args.check else 'removed'} {project.relative(path)}")
        elif path not in report.stats:
            out.print(f"{'would write' if args.check else 'wrote'} {project.relative(path)}")
    return 1 if errors or (args.check and report.changed) else 0


def _add_language(args: argparse.Namespace) -> int:
    from .catalog.workflow import add_language
    from .config import add_language_setting

    project = _project(args)
    for path in add_language(project, args.language):
        out.print(f"created {project.relative(path)}")
    changed = add_language_setting(project.root, project.config, args.language)
    if changed is not None:
        out.print(f"added {args.language} to languages in {project.relative(changed)}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from .catalog.status import status

    project = _project(args)
    rows, problems = status(project)
    print_problems(problems)
    for leaflet in dict.fromkeys(row.leaflet for row in rows):
        table = Table("lang", "messages", "words", "done", "reviewed", "published",
                      title=leaflet, title_justify="left")
        table.columns[-1].overflow = "fold"
        for row in (r for r in rows if r.leaflet == leaflet):
            note = f" ({row.reason})" if row.reason else ""
            table.add_row(row.language, "/".join(map(str, row.progress.messages)),
                          "/".join(map(str, row.progress.words)), f"{row.progress.share:.0%}",
                          str(row.review), f"yes{note}" if row.published else f"no: {row.reason}")
        out.print(table)
    out.print("messages and words: done/fuzzy/new; reviewed: yes, no or messages marked")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .build.plan import preflight
    from .catalog.status import check_project
    from .settings_check import check_settings

    project = _project(args)
    problems = preflight(project) + check_project(project, args.lang or (), args.leaflet or ())
    problems += check_settings(project)
    errors = print_problems([p for p in problems if args.details or p.severity == "error"])
    kinds = ("error", "warning", "fuzzy", "untranslated")
    by_file: dict[str, Counter[str]] = {}
    for p in problems:
        by_file.setdefault(str(p.path), Counter())[p.severity] += 1
    for path, counts in by_file.items():
        if set(counts) - {"error"} and not args.details:
            out.print(f"{path}: {_counts(counts, kinds)}", soft_wrap=True)
    total = Counter(p.severity for p in problems)
    out.print(f"{_counts(total, kinds) or 'no problems'}"
              + (" (-v lists them all)" if set(total) - {"error"} and not args.details else ""))
    return 1 if errors else 0


def _counts(counts: Counter[str], kinds: Sequence[str]) -> str:
    """'2 errors, 1 warning, 3 fuzzy' from a count per kind."""
    plural = {"error": "errors", "warning": "warnings"}
    return ", ".join(f"{counts[k]} {plural.get(k, k) if counts[k] != 1 else k}"
                     for k in kinds if counts[k])


def _build(args: argparse.Namespace) -> int:
    from .build import BuildRequest, run_build

    project = _project(args)
    request = BuildRequest(
        languages=tuple(args.lang or ()),
        formats=tuple(args.format or ()),
        leaflets=tuple(args.leaflet or ()),
        jobs=args.jobs,
        scheduler=args.scheduler,
        print_size=args.print_size,
        audio_text=args.audio_text,
        prune=args.prune,
    )
    return run_build(project, request, out, err)


def _clean(args: argparse.Namespace) -> int:
    from .build import clean

    removed, notes = clean(_project(args))
    for path in removed:
        out.print(f"removed {printable(str(path))}")
    for note in notes:
        err.print(f"note: {printable(note)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
