"""Broken catalogues give one line naming file:line and what to do; nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

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
        ('msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "a"\nmsgstr[1] "b"\n', 7,
         "nplurals=3"),
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
