"""Broken catalogues give one line naming file:line and what to do; nothing else."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.catalog.checks import check_catalog
from pipeline.catalog.pofile import load
from pipeline.errors import LeafletsError

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: pl\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || '
    'n%100>=20) ? 1 : 2);\\n"\n\n'
)


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ('msgid "a"\nmsgstr "\\qb"\n', 8, "unknown escape"),
        ('msgid "a"\nmsgstr "open\n', 8, "not closed"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 8, "without a msgstr"),
        ('msgid "a"\nmsgstr "x"\nmsgstr "y"\n', 9, "cannot come here"),
        ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', 10, "duplicate"),
        ('msgid "a"\nmsgstr "x"\nwhat is this\n', 9, "cannot read"),
        ('msgid "x', 7, "not closed"),
    ],
)
def test_broken_catalogue_names_the_line(tmp_path: Path, body: str, line: int,
                                         needle: str) -> None:
    path = tmp_path / "pl.po"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(LeafletsError) as caught:
        load(path)
    assert needle in str(caught.value)
    assert caught.value.line == line
    assert "\n" not in str(caught.value)
    assert caught.value.hint


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("Plural-Forms: nplurals=2; plural=(n > 1 ? 5 : 0);", "Plural-Forms header is not valid"),
        ("Content-Type: text/plain; charset=ISO-8859-1", "charset=ISO-8859-1"),
    ],
)
def test_a_bad_header_field_is_refused_at_its_line(
    tmp_path: Path, field: str, message: str
) -> None:
    path = tmp_path / "cy.po"
    path.write_text(f'msgid ""\nmsgstr ""\n"{field}\\n"\n', encoding="utf-8")
    with pytest.raises(LeafletsError, match=message) as caught:
        load(path)
    assert caught.value.line == 3


def test_wrong_number_of_plural_forms_is_read_and_checked_at_its_line(tmp_path: Path) -> None:
    """msgcat reads it, so it is read: `check` reports it, `update` goes on."""
    path = tmp_path / "pl.po"
    path.write_text(HEADER + 'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "a"\n'
                    'msgstr[1] "b"\n', encoding="utf-8")
    catalog = load(path)
    problems = [p for p in check_catalog(catalog, "pl.po") if p.severity == "error"]
    assert [(p.line, "nplurals=3" in p.message) for p in problems] == [(7, True)]


ACCEPTED = [
    # what msgfmt --check accepts, each once: a fuzzy plural short of forms, obsolete
    # plural and context entries, previous strings, every escape
    HEADER + '#, fuzzy\nmsgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "a"\n',
    HEADER + '#~ msgctxt "k"\n#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "x"\n'
    '#~ msgstr[1] "y"\n#~ msgstr[2] "z"\n',
    HEADER + '#, fuzzy\n#| msgctxt "old"\n#| msgid "b"\nmsgctxt "new"\nmsgid "bb"\nmsgstr "x"\n',
    HEADER + 'msgid "tab\\there \\x41 \\101"\nmsgstr "\\a\\b\\f\\v\\r tab\\there"\n',
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_files_msgfmt_accepts_are_read(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pl.po"
    path.write_text(text, encoding="utf-8")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)
    if checked.returncode != 0:  # a sample msgfmt refuses proves nothing: say so
        pytest.fail(f"msgfmt refuses the sample: {checked.stderr}")
    assert load(path) is not None
