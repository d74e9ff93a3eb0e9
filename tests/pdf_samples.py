"""Editions for the PDF tests, in every script the leaflet ships in.

The shipped catalogues (``locales/``) give the real translations. The sample
editions replace each text with sample sentences of the language (long answers
get several, so paragraphs split across pages) and leave every fourth text in
English, as a half-done catalogue does.
"""

from __future__ import annotations

from functools import cache
from itertools import count
from pathlib import Path

from pipeline.catalog.publish import editions
from pipeline.catalog.translate import CatalogWords, translate
from pipeline.catalog.workflow import read_sources
from pipeline.model import Edition, Text
from pipeline.project import Project
from pipeline.source import read_leaflet

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "mappa-faq.md"
SHIPPED = ("cy", "pl", "ur", "pa", "ar")
"""Languages with a catalogue in ``locales/``."""

SENTENCES: dict[str, tuple[str, ...]] = {
    "cy": (
        "Mae'r heddlu a'r gwasanaeth prawf yn gweithio gyda'i gilydd i amddiffyn y cyhoedd.",
        "Nid yw troseddwyr yn mynd i gyfarfodydd **MAPP**.",
        "Bydd y swyddog yn siarad â chi am y dŵr, y tŷ a'r ŵyl.",
    ),
    "pl": (
        "Policja i służba kuratorska współpracują, aby chronić społeczeństwo.",
        "Przestępcy nie uczestniczą w spotkaniach **MAPP**.",
        "Zażółć gęślą jaźń: to zdanie ma wszystkie polskie litery.",
    ),
    "ar": (
        "تعمل الشرطة وخدمة المراقبة معًا لحماية الجمهور.",
        "يمكنك الاتصال بمنسق MAPPA على الرقم 0306 999 0123 في أي وقت.",
        "لا يحضر **الجناة** اجتماعات MAPP، لكن يتم إخبارهم بالقرارات.",
    ),
    "ur": (
        "پولیس اور پروبیشن سروس مل کر عوام کی حفاظت کرتی ہیں۔",
        "آپ MAPPA کوآرڈینیٹر سے 0306 999 0123 پر رابطہ کر سکتے ہیں۔",
        "**مجرم** MAPP میٹنگز میں شرکت نہیں کرتے، لیکن انہیں بتایا جاتا ہے۔",
    ),
    "pa": (
        "ਪੁਲਿਸ ਅਤੇ ਪ੍ਰੋਬੇਸ਼ਨ ਸੇਵਾ ਮਿਲ ਕੇ ਲੋਕਾਂ ਦੀ ਰੱਖਿਆ ਕਰਦੇ ਹਨ।",
        "ਤੁਸੀਂ MAPPA ਕੋਆਰਡੀਨੇਟਰ ਨਾਲ 0306 999 0123 'ਤੇ ਸੰਪਰਕ ਕਰ ਸਕਦੇ ਹੋ।",
        "ਕਿਰਪਾ ਕਰਕੇ **ਅਪਰਾਧੀ** ਨੂੰ ਮੀਟਿੰਗ ਬਾਰੇ ਦੱਸੋ।",
    ),
}

WORDS: dict[str, dict[str, str]] = {
    "cy": {"Contents": "Cynnwys", "Page %(page)s of %(pages)s": "Tudalen %(page)s o %(pages)s",
           "Contents (continued)": "Cynnwys (parhad)",
           "Contact": "Cysylltu", "Phone": "Ffôn", "Hard words": "Geiriau anodd"},
    "pl": {"Contents": "Spis treści", "Page %(page)s of %(pages)s": "Strona %(page)s z %(pages)s",
           "Contents (continued)": "Spis treści (ciąg dalszy)",
           "Contact": "Kontakt", "Phone": "Telefon", "Hard words": "Trudne słowa"},
    "ar": {"Contents": "المحتويات", "Page %(page)s of %(pages)s": "صفحة %(page)s من %(pages)s",
           "Contents (continued)": "المحتويات (تابع)",
           "Contact": "اتصل بنا", "Phone": "الهاتف", "Hard words": "كلمات صعبة"},
    "ur": {"Contents": "فہرست", "Page %(page)s of %(pages)s": "صفحہ %(page)s از %(pages)s",
           "Contents (continued)": "فہرست (جاری)",
           "Contact": "رابطہ", "Phone": "فون", "Hard words": "مشکل الفاظ"},
    "pa": {"Contents": "ਸਮੱਗਰੀ", "Page %(page)s of %(pages)s": "ਪੰਨਾ %(page)s ਵਿੱਚੋਂ %(pages)s",
           "Contents (continued)": "ਸਮੱਗਰੀ (ਜਾਰੀ)",
           "Contact": "ਸੰਪਰਕ", "Phone": "ਫ਼ੋਨ", "Hard words": "ਔਖੇ ਸ਼ਬਦ"},
}


@cache
def source_edition() -> Edition:
    return translate(read_leaflet(SOURCE).leaflet, "en-GB", None)


@cache
def shipped_editions() -> dict[str, Edition]:
    """Every edition of the leaflet that ``leaflets build`` publishes, by language: made by
    the build's own code, so with both catalogues (the leaflet's texts and the output
    words: "Contents", the page footers) and the notices the build adds."""
    project = Project.find(ROOT)
    found = editions(project, read_sources(project).leaflets, project.languages())
    return {e.lang: e for e in found.editions if e.leaflet.id == SOURCE.stem}


def shipped_edition(lang: str) -> Edition:
    """The leaflet in ``lang`` exactly as a build ships it."""
    return shipped_editions()[lang]


@cache
def sample_edition(lang: str) -> Edition:
    """The leaflet in ``lang`` with sample sentences; every fourth text stays English."""
    source = source_edition().leaflet
    sentences = SENTENCES[lang]
    numbers = count()

    def fill(context: str, text: Text) -> Text:
        n = next(numbers)
        if n % 4 == 3:
            return text
        plain = text.markdown
        if plain.endswith("?"):
            return Text(sentences[n % len(sentences)].rstrip("۔।.") + "?", lang, text.line)
        wanted = max(1, len(plain) // 70)
        chosen = [sentences[(n + k) % len(sentences)] for k in range(wanted)]
        return Text(" ".join(chosen), lang, text.line)

    leaflet = source.map_texts(fill)
    words = CatalogWords(lang, {k: (v,) for k, v in WORDS[lang].items()})
    return Edition(leaflet=leaflet, lang=lang, words=words, languages=(lang,))
