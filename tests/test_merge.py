"""Merging a new template into a translator's catalogue: nothing is ever lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import merge as merge_module
from pipeline.catalog import pofile
from pipeline.catalog.merge import (
    FUZZY_THRESHOLD,
    SAME_QUESTION_BONUS,
    meaning_changed,
    merge,
    similarity,
)


def catalog(*entries: tuple[str | None, str, str], fuzzy: set[str] | frozenset[str] = frozenset()
            ) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "cy", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for ctxt, msgid, msgstr in entries:
        entry = polib.POEntry(msgctxt=ctxt, msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def template(*entries: tuple[str | None, str]) -> polib.POFile:
    return catalog(*((c, m, "") for c, m in entries))


def find(po: polib.POFile, msgid: str, *, obsolete: bool = False) -> polib.POEntry:
    matches = [e for e in po if e.msgid == msgid and e.obsolete == obsolete]
    assert len(matches) == 1, [e.msgid for e in po]
    return matches[0]


def test_exact_match_keeps_translation_and_fuzzy_state() -> None:
    old = catalog(("q1", "Offenders do not attend.", "Nid yw troseddwyr yn mynd."),
                  ("q1", "Second.", "Ail."), fuzzy={"Second."})
    new, stats = merge(old, template(("q1", "Offenders do not attend."), ("q1", "Second.")))
    assert find(new, "Offenders do not attend.").msgstr == "Nid yw troseddwyr yn mynd."
    assert not find(new, "Offenders do not attend.").fuzzy
    assert find(new, "Second.").fuzzy
    assert new.metadata["Language"] == "cy"
    assert stats.kept == 2


def test_only_whitespace_changes_carry_over_silently() -> None:
    old = catalog(("q", "the offender’s  release\non licence", "rhyddhau’r troseddwr"))
    new, stats = merge(old, template(("q", "the offender’s release on  licence")))
    entry = find(new, "the offender’s release on  licence")
    assert entry.msgstr == "rhyddhau’r troseddwr" and not entry.fuzzy
    assert stats.carried == 1
    assert [e.msgid for e in new if e.obsolete] == []  # carried under the new text


def test_quotes_change_is_fuzzy_with_previous_msgid() -> None:
    old = catalog(("q", "the offender’s “release”", "rhyddhau’r troseddwr"))
    new, stats = merge(old, template(("q", "the offender's \"release\"")))
    entry = find(new, "the offender's \"release\"")
    assert entry.fuzzy and entry.msgstr == "rhyddhau’r troseddwr"
    assert entry.previous_msgid == "the offender’s “release”"
    assert stats.fuzzy == 1 and stats.carried == 0


def test_a_trailing_newline_is_not_whitespace_to_fold() -> None:
    """msgfmt --check wants msgid and msgstr to end alike, so this change is fuzzy."""
    old = catalog(("q", "Call us.", "Ffoniwch ni."))
    new, _ = merge(old, template(("q", "Call us.\n")))
    assert find(new, "Call us.\n").fuzzy


def test_changed_sentence_becomes_fuzzy_with_previous_msgid() -> None:
    old = catalog(("victims", "Victims will not go to MAPP meetings but the VLO will attend.",
                   "Ni fydd dioddefwyr yn mynd."))
    new, stats = merge(old, template(
        ("victims", "Victims will not go to MAPP meetings, but the VLO will go."),
    ))
    entry = find(new, "Victims will not go to MAPP meetings, but the VLO will go.")
    assert entry.fuzzy and entry.msgstr == "Ni fydd dioddefwyr yn mynd."
    assert entry.previous_msgid == "Victims will not go to MAPP meetings but the VLO will attend."
    assert stats.fuzzy == 1


def test_same_question_is_preferred_for_fuzzy_matches() -> None:
    old = catalog(("a", "You will be told about the meeting.", "A"),
                  ("b", "You will be told about the meeting.", "B"))
    new, _ = merge(old, template(("b", "You will be told about the next meeting.")))
    assert find(new, "You will be told about the next meeting.").msgstr == "B"


def test_numbers_and_negations_are_never_carried_silently() -> None:
    old = catalog(("q", "up to five years in prison for 12 months", "hyd at 12 mis"),
                  ("r", "Offenders attend MAPP meetings.", "Mae troseddwyr yn mynd."))
    new, _ = merge(old, template(("q", "up to five years in prison for 24 months"),
                                 ("r", "Offenders do not attend MAPP meetings.")))
    months = find(new, "up to five years in prison for 24 months")
    negated = find(new, "Offenders do not attend MAPP meetings.")
    assert months.fuzzy and negated.fuzzy
    assert meaning_changed(months.previous_msgid, months.msgid) == ["numbers changed (12 → 24)"]
    assert "negation" in meaning_changed(negated.previous_msgid, negated.msgid)[0]


def test_unrelated_text_is_new_and_old_becomes_obsolete_then_returns() -> None:
    old = catalog(("q", "How long will I be in MAPPA?", "Am ba hyd?"))
    new, stats = merge(old, template(("q", "Where is the leisure centre?")))
    assert find(new, "Where is the leisure centre?").msgstr == ""
    assert find(new, "How long will I be in MAPPA?", obsolete=True).msgstr == "Am ba hyd?"
    assert stats.obsolete == 1
    back, _ = merge(new, template(("q", "How long will I be in MAPPA?")))
    returned = find(back, "How long will I be in MAPPA?")
    assert returned.msgstr == "Am ba hyd?" and not returned.fuzzy


def test_similarity_ignores_case_and_spacing() -> None:
    assert similarity("The cat sat  on the mat", "the cat sat on the\nmat") == 1.0
    assert similarity("the cat sat on the mat", "a dog ran") < 0.3


def near_threshold_pair() -> tuple[str, str]:
    """Two texts whose similarity is just under the threshold, within the bonus."""
    base = "Your probation officer will tell you about the meeting and what it decided"
    for cut in range(len(base), 0, -1):
        old, new = base, base[:cut] + "X" * (len(base) - cut)
        score = similarity(old, new)
        if FUZZY_THRESHOLD - SAME_QUESTION_BONUS < score <= FUZZY_THRESHOLD:
            return old, new
    raise AssertionError("no pair found")


def test_same_question_bonus_needs_equal_non_empty_contexts() -> None:
    old_text, new_text = near_threshold_pair()
    with_context, _ = merge(catalog(("q1", old_text, "T")), template(("q1", new_text)))
    assert find(with_context, new_text).msgstr == "T"
    without, _ = merge(catalog((None, old_text, "T")), template((None, new_text)))
    assert find(without, new_text).msgstr == ""
    other, _ = merge(catalog(("q1", old_text, "T")), template(("q2", new_text)))
    assert find(other, new_text).msgstr == ""


def plural_catalog(*entries: polib.POEntry, nplurals: int = 3) -> polib.POFile:
    po = catalog()
    po.metadata["Plural-Forms"] = (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        if nplurals == 3 else "nplurals=2; plural=(n != 1);"
    )
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in entries:
        po.append(entry)
    return po


def msgfmt_check(tmp_path: Path, po: polib.POFile) -> None:
    path = tmp_path / "out.po"
    path.write_text(pofile.dumps(po), encoding="utf-8")
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_singular_to_plural_is_fuzzy_with_every_form_and_no_duplicate(tmp_path: Path) -> None:
    old = plural_catalog(polib.POEntry(msgid="One file was sent.", msgstr="Wysłano plik."))
    pot = plural_catalog(polib.POEntry(msgid="One file was sent.",
                                       msgid_plural="%d files were sent.",
                                       msgstr_plural={0: "", 1: ""}))
    new, stats = merge(old, pot)
    entry = find(new, "One file was sent.")
    assert entry.fuzzy and entry.msgid_plural == "%d files were sent."
    assert entry.msgstr_plural == {0: "Wysłano plik.", 1: "Wysłano plik.", 2: "Wysłano plik."}
    assert entry.previous_msgid == "One file was sent."
    assert [e for e in new if e.obsolete] == [] and stats.fuzzy == 1
    msgfmt_check(tmp_path, new)
    again, _ = merge(new, pot)
    assert pofile.dumps(again) == pofile.dumps(new)


def test_plural_to_singular_is_fuzzy_with_the_first_form(tmp_path: Path) -> None:
    old = plural_catalog(polib.POEntry(msgid="a day", msgid_plural="%d days",
                                       msgstr_plural={0: "dzień", 1: "dni", 2: "dni."}))
    new, _ = merge(old, plural_catalog(polib.POEntry(msgid="a day", msgstr="")))
    entry = find(new, "a day")
    assert entry.fuzzy and entry.msgstr == "dzień" and entry.previous_msgid_plural == "%d days"
    assert [e for e in new if e.obsolete] == []
    msgfmt_check(tmp_path, new)


def test_changed_plural_text_is_fuzzy() -> None:
    old = plural_catalog(polib.POEntry(msgid="a day", msgid_plural="%d days",
                                       msgstr_plural={0: "dzień", 1: "dni", 2: "dni"}))
    new, _ = merge(old, plural_catalog(polib.POEntry(
        msgid="a day", msgid_plural="%d weeks", msgstr_plural={0: "", 1: ""})))
    assert find(new, "a day").fuzzy


def test_a_fuzzy_translation_is_never_the_source_of_another() -> None:
    old = catalog(("q", "You will be told about the meeting.", "Dywedir wrthych."),
                  fuzzy={"You will be told about the meeting."})
    new, _ = merge(old, template(("q", "You will be told about the next meeting.")))
    assert find(new, "You will be told about the next meeting.").msgstr == ""
    gone = find(new, "You will be told about the meeting.", obsolete=True)
    assert gone.fuzzy and gone.msgstr == "Dywedir wrthych."


def test_many_obsolete_entries_do_not_slow_the_merge_down() -> None:
    """20,000 obsolete messages against 500 new ones: the trigram index, not every pair.

    Not a timing test: it counts the full comparisons the index lets through.
    """
    words = VOCABULARY.split()
    old = catalog(*((f"q{i}", " ".join(words[(i * k) % len(words)] for k in range(1, 9)) + f" {i}",
                     f"T{i}") for i in range(20_000)))
    for entry in old:
        entry.obsolete = True
    pot = template(*((f"n{i}", f"Completely new message number {i} about licence")
                     for i in range(500)))
    calls = 0
    original = merge_module.similarity

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return original(a, b)

    merge_module.similarity = counting
    try:
        merge(old, pot)
    finally:
        merge_module.similarity = original
    assert calls <= 500 * merge_module.SHORTLIST


VOCABULARY = (
    "offenders victims meeting not never 12 months police probation the a will attend "
    "licence prison area is are told about"
)
WORDS = st.sampled_from(VOCABULARY.split())
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(
    sources=st.lists(SENTENCE, min_size=1, max_size=8, unique=True),
    edits=st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["drop", "change", "keep"]),
                             SENTENCE), max_size=8),
)
def test_no_translation_is_ever_lost(sources: list[str], edits: list[tuple[int, str, str]]
                                     ) -> None:
    """After any edit of the source, every old translation is active, fuzzy or obsolete."""
    old = catalog(*((f"q{i % 3}", s, f"T{i}") for i, s in enumerate(sources)))
    new_sources = list(sources)
    for index, action, text in edits:
        if index >= len(new_sources):
            continue
        if action == "drop":
            new_sources.pop(index)
        elif action == "change":
            new_sources[index] = text
    new_sources = list(dict.fromkeys(new_sources))
    ctx = {s: f"q{i % 3}" for i, s in enumerate(sources)}
    merged, _ = merge(old, template(*((ctx.get(s, "q9"), s) for s in new_sources)))
    again, _ = merge(merged, template(*((ctx.get(s, "q9"), s) for s in new_sources)))
    for po in (merged, again):
        kept = {e.msgstr for e in po if e.msgstr}
        assert {f"T{i}" for i in range(len(sources))} <= kept
        for e in po:
            if e.msgstr and not e.obsolete and not e.fuzzy:
                assert old.find(e.msgid, msgctxt=e.msgctxt) is not None


VARIANT = st.sampled_from(["", "  ", "\n", " “quoted”", "s"])
OLD_ENTRY = st.tuples(
    st.sampled_from([None, "a", "b"]), SENTENCE, VARIANT,
    st.sampled_from(["", "T"]), st.booleans(), st.booleans(), st.booleans(),
)
NEW_ENTRY = st.tuples(st.sampled_from([None, "a", "b"]), SENTENCE, VARIANT, st.booleans())


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old_rows=st.lists(OLD_ENTRY, max_size=10), new_rows=st.lists(NEW_ENTRY, max_size=10))
def test_a_second_merge_changes_nothing_and_msgfmt_accepts(
    tmp_path: Path,
    old_rows: list[tuple[str | None, str, str, str, bool, bool, bool]],
    new_rows: list[tuple[str | None, str, str, bool]],
) -> None:
    """merge(merge(x, t), t) == merge(x, t) on any input, fuzzy, obsolete and plural too."""
    old = plural_catalog(nplurals=2)
    seen: set[tuple[str | None, str]] = set()
    for n, (ctxt, text, variant, msgstr, fuzzy, obsolete, plural) in enumerate(old_rows):
        msgid = text + variant
        if (ctxt, msgid) in seen:
            continue
        seen.add((ctxt, msgid))
        entry = polib.POEntry(msgctxt=ctxt, msgid=msgid, msgstr=msgstr and f"T{n}{variant}",
                              obsolete=obsolete, flags=["fuzzy"] if fuzzy and msgstr else [])
        if plural:
            # msgfmt requires msgid and msgid_plural to end alike (a "\n" in both, or not)
            entry.msgid_plural, entry.msgstr = text + " (many)" + variant, ""
            entry.msgstr_plural = {0: msgstr and f"T{n}{variant}", 1: msgstr and f"P{n}{variant}"}
        old.append(entry)
    pot = plural_catalog(nplurals=2)
    taken: set[tuple[str | None, str]] = set()
    for ctxt, text, variant, plural in new_rows:
        if (ctxt, text + variant) in taken:
            continue
        taken.add((ctxt, text + variant))
        entry = polib.POEntry(msgctxt=ctxt, msgid=text + variant, msgstr="")
        if plural:
            entry.msgid_plural, entry.msgstr_plural = text + " (many)" + variant, {0: "", 1: ""}
        pot.append(entry)
    merged, _ = merge(old, pot)
    again, _ = merge(merged, pot)
    assert pofile.dumps(again) == pofile.dumps(merged)
    msgfmt_check(tmp_path, merged)
    kept = {form for e in merged for form in _forms_of(e)}
    # A plural message the template makes singular keeps only msgstr[0], as with msgmerge:
    # an obsolete copy of the same msgid would be a duplicate definition (README).
    singular = {(e.msgctxt, e.msgid) for e in pot if not e.msgid_plural}
    assert {form for e in old for form in _forms_of(e, (e.msgctxt, e.msgid) in singular)} <= kept


def _forms_of(entry: polib.POEntry, first_only: bool = False) -> set[str]:
    forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
    if entry.msgid_plural and first_only:
        forms = [entry.msgstr_plural.get(0, "")]
    return {form for form in forms if form}


def test_a_message_left_untranslated_gets_no_suggestion() -> None:
    old = catalog(("q", "You will be told about the meeting.", "Dywedir wrthych."),
                  ("q", "You will be told about the next meeting.", ""))
    new, _ = merge(old, template(("q", "You will be told about the next meeting."),
                                 ("q", "You will be told about a meeting.")))
    assert find(new, "You will be told about the next meeting.").msgstr == ""
    assert find(new, "You will be told about a meeting.").fuzzy


def test_a_message_left_untranslated_takes_a_text_that_differs_in_case_alone() -> None:
    old = catalog(("q", "Flat pages", ""), ("r", "flat  pages", "Strony proste"))
    new, _ = merge(old, template(("q", "Flat pages"), ("r", "flat  pages")))
    entry = find(new, "Flat pages")
    assert entry.fuzzy and entry.msgstr == "Strony proste" and entry.previous_msgid == "flat  pages"
