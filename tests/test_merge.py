"""Merging a new template into a translator's catalogue: nothing is ever lost."""

from __future__ import annotations

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog.merge import meaning_changed, merge, similarity


def catalog(*entries: tuple[str, str, str], fuzzy: set[str] | frozenset[str] = frozenset()
            ) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "cy", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for ctxt, msgid, msgstr in entries:
        entry = polib.POEntry(msgctxt=ctxt, msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def template(*entries: tuple[str, str]) -> polib.POFile:
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


def test_whitespace_and_typographic_quotes_carry_over_silently() -> None:
    old = catalog(("q", "the offender’s  “release”", "rhyddhau’r troseddwr"))
    new, stats = merge(old, template(("q", "the offender's \"release\"")))
    entry = find(new, "the offender's \"release\"")
    assert entry.msgstr == "rhyddhau’r troseddwr" and not entry.fuzzy
    assert stats.carried == 1
    # the old text is kept as obsolete, so it comes back if the quotes return
    assert find(new, "the offender’s  “release”", obsolete=True).msgstr == "rhyddhau’r troseddwr"


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


def test_similarity_is_word_level() -> None:
    assert similarity("the cat sat on the mat", "the cat sat on the mat") == 1.0
    assert similarity("the cat sat on the mat", "a dog ran") < 0.3


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
