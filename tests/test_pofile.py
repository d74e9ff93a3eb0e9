"""pofile.dumps() must write what GNU msgcat writes; load() must name the bad line."""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import pofile
from pipeline.errors import LeafletsError

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")

WELSH = (
    "Os ydych chi wedi cael eich cyhuddo o drosedd, bydd y llys yn penderfynu a ydych chi'n "
    "euog ai peidio. Gall hyn gymryd amser hir-hir, felly ŵyr a ŷd: gofynnwch am gymorth."
)
POLISH = (
    "Jeśli zostałeś oskarżony o przestępstwo, sąd zdecyduje, czy jesteś winny. Może to potrwać "
    "długo — zażółć gęślą jaźń; biało-czerwony wniosek „o pomoc” złóż w sądzie rejonowym."
)
ARABIC = (
    "إذا تم اتهامك بارتكاب جريمة، ستقرر المحكمة ما إذا كنت مذنباً أم لا. قد يستغرق هذا "
    "وقتاً طويلاً؛ اتصل بنا على ٠١٢٣٤٥٦٧٨٩ للمساعدة؟"
)
URDU = (
    "اگر آپ پر کسی جرم کا الزام لگایا گیا ہے، تو عدالت فیصلہ کرے گی کہ آپ قصوروار ہیں یا "
    "نہیں۔ اس میں کافی وقت لگ سکتا ہے۔"
)
PUNJABI = (
    "ਜੇ ਤੁਹਾਡੇ ਉੱਤੇ ਕਿਸੇ ਜੁਰਮ ਦਾ ਦੋਸ਼ ਲਗਾਇਆ ਗਿਆ ਹੈ, ਤਾਂ ਅਦਾਲਤ ਇਹ ਫੈਸਲਾ ਕਰੇਗੀ ਕਿ ਤੁਸੀਂ ਦੋਸ਼ੀ "
    "ਹੋ ਜਾਂ ਨਹੀਂ। ਇਸ ਵਿੱਚ ਲੰਮਾ ਸਮਾਂ ਲੱਗ ਸਕਦਾ ਹੈ।"
)
URL = "https://www.gov.uk/guidance/mappa-guidance-and-some/very/long/path/indeed/?a=1&b=2"
LONG = (
    "If you have been accused of a crime, the court will decide whether you are guilty or "
    "not. This can take a long time, so ask for help early."
)


def catalogue(plural_forms: str = "nplurals=2; plural=(n != 1);") -> polib.POFile:
    po = polib.POFile()
    po.header = "Translation of the MAPPA leaflet.\n\nCopyright the authors."
    po.metadata = {
        "Project-Id-Version": "leaflets 0.1.0",
        "Language": "cy",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    return po


def msgcat(tmp_path: Path, text: str) -> str:
    """Write ``text``, run ``msgcat -o`` on it and return what msgcat wrote."""
    src, out = tmp_path / "in.po", tmp_path / "out.po"
    src.write_bytes(text.encode("utf-8"))
    subprocess.run(["msgcat", "-o", str(out), str(src)], check=True, capture_output=True)
    return out.read_bytes().decode("utf-8")


def assert_msgcat_identical(tmp_path: Path, po: polib.POFile) -> str:
    text = pofile.dumps(po)
    assert msgcat(tmp_path, text) == text
    return text


def test_hand_made_catalogue_is_unchanged_by_msgcat_and_passes_msgfmt(tmp_path: Path) -> None:
    po = catalogue(
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    )
    add = po.append
    add(polib.POEntry(msgid="Short", msgstr="Byr", occurrences=[("leaflet.md", "3")]))
    add(polib.POEntry(msgid=LONG, msgstr=WELSH, tcomment="Keep it plain.\n\nSecond note."))
    add(polib.POEntry(msgid="Line one\nLine two\n", msgstr="Llinell un\nLlinell dau\n"))
    add(polib.POEntry(msgid="Ends with newline\n", msgstr=POLISH + "\n"))
    add(polib.POEntry(msgid='Say "yes" or \\no\\\tnow', msgstr='Dywedwch "ie"\t\\ neu na'))
    add(polib.POEntry(msgctxt="heading", msgid="Help", msgstr="Cymorth"))
    add(polib.POEntry(msgctxt="a context that is itself rather long " * 3, msgid="x", msgstr="y"))
    refs = [(f"content/leaflets/mappa/section-{i}.md", str(i * 17)) for i in range(14)]
    add(
        polib.POEntry(
            msgid="Where to go",
            msgstr="Ble i fynd",
            comment="Heading of the last section.\nShown in bold.\nKeep it short.",
            occurrences=[("./leaflet.md", "9"), ("no-line-number.md", ""), *refs],
        )
    )
    add(
        polib.POEntry(
            msgid=LONG + " Changed.",
            msgstr=WELSH,
            flags=["python-format", "fuzzy"],
            previous_msgid=LONG + " " + LONG,
            previous_msgctxt="old context",
        )
    )
    add(
        polib.POEntry(
            msgid=f"Read more at {URL}",
            msgstr=f"Darllenwch {URL} yn ofalus",
        )
    )
    add(polib.POEntry(msgid="A" * 120, msgstr="B" * 100 + " " + "C" * 90))
    add(polib.POEntry(msgid="well-known risk-management arrangements " * 3, msgstr="hir-hir " * 12))
    add(polib.POEntry(msgid="Arabic", msgstr=ARABIC))
    add(polib.POEntry(msgid="Urdu", msgstr=URDU))
    add(polib.POEntry(msgid="Punjabi", msgstr=PUNJABI))
    add(polib.POEntry(msgid="Polish", msgstr=POLISH))
    add(
        polib.POEntry(
            msgid="one day", msgid_plural="%d days", msgstr_plural={0: "dzień", 1: "dni", 2: POLISH}
        )
    )
    add(polib.POEntry(msgid="Untranslated " + LONG, msgstr=""))
    add(
        polib.POEntry(
            msgid="Gone " + LONG,
            msgstr="Wedi mynd " + WELSH,
            obsolete=True,
            flags=["fuzzy"],
            previous_msgid="Older " + LONG,
        )
    )
    add(polib.POEntry(msgid="Old", msgstr="Hen", obsolete=True, tcomment="kept"))
    text = assert_msgcat_identical(tmp_path, po)
    # Layout facts that must hold, independently of msgcat.
    assert text.startswith("# Translation of the MAPPA leaflet.\n#\n# Copyright the authors.\n")
    assert '#, fuzzy, python-format\n#| msgctxt "old context"\n#| msgid ""\n' in text
    assert '#~| msgid ""\n' in text and text.rindex("#~ msgid") > text.rindex("\nmsgid")
    assert '"Line one\\n"\n"Line two\\n"\n' in text
    assert "#: leaflet.md:9 no-line-number.md" in text
    (tmp_path / "check.po").write_text(text, encoding="utf-8")
    subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(tmp_path / "check.po")],
        check=True,
        capture_output=True,
    )


def test_arabic_six_plural_forms_and_header_fuzzy(tmp_path: Path) -> None:
    po = catalogue(
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);"
    )
    po.metadata_is_fuzzy = True
    forms = {i: f"{i} {ARABIC}" for i in range(6)}
    po.append(polib.POEntry(msgid="%d day", msgid_plural="%d days", msgstr_plural=forms))
    text = assert_msgcat_identical(tmp_path, po)
    assert '#, fuzzy\nmsgid ""\n' in text and 'msgstr[5] ""\n' in text


def test_no_wrap_flag_and_unknown_flags_as_msgcat_writes_them(tmp_path: Path) -> None:
    po = catalogue()
    po.append(polib.POEntry(msgid=LONG, msgstr=WELSH, flags=["no-wrap", "bogus", "fuzzy"]))
    text = assert_msgcat_identical(tmp_path, po)
    assert f'msgid "{LONG}"\n' in text and "#, fuzzy, no-wrap\n" in text


TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcdefghij ABC  xyz--/\\\"'.,;:!?()%$0123456789\n\t")
        + list("ŵŷâłąęśćżź„”«»—–…")
        + list("بتثجحخدذرسشصضطظعغفقكلمنهوي،؛؟ٔ ًٌٍ")
        + list("ਕਖਗਘਚਛਜਝਟਠਡਢਣਤਥਦਧਨਪਫਬਭਮ ਾਿੀੁੂੇੈੋੌੰੱ।")
        + ["\u00a0", "\u200b", "\u200c", "漢", "字"]
    ),
    max_size=200,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=6))
def test_msgcat_leaves_random_text_unchanged(
    tmp_path: Path, rows: list[tuple[str, str, str]]
) -> None:
    po = catalogue()
    for i, (msgid, msgstr, previous) in enumerate(rows):
        po.append(
            polib.POEntry(
                msgctxt=f"k{i}",
                msgid=msgid,
                msgstr=msgstr,
                previous_msgid=previous,
                flags=["fuzzy"],
                occurrences=[("".join(c for c in previous if c.isalnum()) or "f", str(i))],
            )
        )
    assert_msgcat_identical(tmp_path, po)


def test_break_classes_match_libunistring() -> None:
    """Every code point in the tabulated blocks breaks as in the libunistring msgcat uses."""
    name = ctypes.util.find_library("unistring")
    if name is None:
        pytest.skip("libunistring not installed")
    breaks = ctypes.CDLL(name).u8_possible_linebreaks
    breaks.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
    probes = "a( )0-\u00a0\u0301,\"'/%$\u2014!\u3008\u4e00}"
    blocks = [range(0x20, 0x800), range(0xA00, 0xA80), range(0x2000, 0x2070), range(0xFB50, 0xFF00)]
    for cp in (cp for block in blocks for cp in block):
        for probe in probes:
            for text in (f"x{probe}{chr(cp)}", f"x{chr(cp)}{probe}", f"x{chr(cp)} {probe}"):
                data = text.encode()
                out = ctypes.create_string_buffer(len(data))
                breaks(data, len(data), b"UTF-8", out)
                starts = [len(text[:i].encode()) for i in range(len(text))]
                theirs = [out.raw[s] == 2 for s in starts]
                ours = [b == 2 for b in pofile._possible_breaks(text)]
                assert ours == theirs, (hex(cp), text)


def test_write_is_atomic_and_round_trips(tmp_path: Path) -> None:
    po = catalogue()
    po.append(polib.POEntry(msgid="Help", msgstr=ARABIC))
    target = tmp_path / "cy.po"
    pofile.write(po, target)
    assert target.read_text(encoding="utf-8") == pofile.dumps(po)
    assert [p.name for p in tmp_path.iterdir()] == ["cy.po"]
    assert pofile.load(target).find("Help").msgstr == ARABIC


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "\xc3("\n', 8),
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 7),
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\nbogus line\n', 6),
    ],
    ids=["invalid-utf8", "duplicate", "syntax"],
)
def test_load_errors_name_the_line(tmp_path: Path, content: bytes, line: int) -> None:
    path = tmp_path / "pl.po"
    path.write_bytes(content)
    with pytest.raises(LeafletsError) as caught:
        pofile.load(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")


# Neighbours for every code point in the all-Unicode test: one of each common class.
NEIGHBOURS = "a (0-,)\u00a0\u4e00/\u2014\"!%$}\u3008\u0301\u05d0\u200b"


RAW_IN_MSGCAT = {chr(cp) for cp in (*range(0x20), 0x7F)} - set("\a\b\f\n\r\t\v")
"""Control characters msgcat writes raw and we write as octal escapes, on purpose: a
translator's file never holds a raw control byte (see test_hostile.py's
test_update_keeps_control_characters_escaped)."""


def every_code_point_catalogue() -> polib.POFile:
    """Every code point but the surrogates and the controls msgcat writes raw (NUL and EOT,
    gettext's context separator, among them), each beside many neighbours, in messages long
    enough to wrap, so that msgcat breaks lines next to each of them."""
    po = catalogue()
    points = [chr(cp) for cp in range(0x110000)
              if chr(cp) not in RAW_IN_MSGCAT and not 0xD800 <= cp <= 0xDFFF]
    size = 24
    for n in range(0, len(points), size):
        group = points[n:n + size]
        shift = n // size % len(NEIGHBOURS)
        around = NEIGHBOURS[shift:] + NEIGHBOURS[:shift]
        text = "".join(ch + around[i % len(around)] + around[(i * 7 + 3) % len(around)]
                       for i, ch in enumerate(group))
        po.append(polib.POEntry(msgid=f"U+{ord(group[0]):04X}", msgstr=text))
    return po


@pytest.mark.slow
def test_every_code_point_wraps_as_msgcat_wraps(tmp_path: Path) -> None:
    """Our line breaking against real msgcat, for all of Unicode (issue 12)."""
    text = pofile.dumps(every_code_point_catalogue())
    theirs = msgcat(tmp_path, text)
    if theirs != text:
        ours_lines, their_lines = text.splitlines(), theirs.splitlines()
        first = next(i for i, (a, b) in enumerate(zip(ours_lines, their_lines, strict=False))
                     if a != b)
        pytest.fail(f"line {first + 1} differs:\nours:   {ours_lines[first]!r}\n"
                    f"msgcat: {their_lines[first]!r}")
