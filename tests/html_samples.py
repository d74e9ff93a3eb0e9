"""Sample editions for the web-page tests: the real source, plus Welsh, Arabic and
Urdu editions with sample translations of some texts (the rest falls back to
English, as a half-translated catalogue does)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.catalog.translate import CatalogWords, translate
from pipeline.model import Edition, Leaflet, Paragraph, Text
from pipeline.source import read_leaflet

SOURCE = Path(__file__).resolve().parents[1] / "source" / "mappa-faq.md"
LANGUAGES = ("en-GB", "cy", "ar", "ur")
HOSTILE = 'Prawf: <script>alert("x")</script> & <b>dim</b> &amp;'
"""A Welsh intro text holding markup and entities that must show as plain text."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "cy": {
        "MAPPA: frequently asked questions": "MAPPA: cwestiynau cyffredin",
        "Do offenders go to MAPP meetings?": "A yw troseddwyr yn mynd i gyfarfodydd MAPP?",
        "**Offenders** do not go to **MAPP meetings**.":
            "Nid yw **troseddwyr** yn mynd i **gyfarfodydd MAPP**.",
        "They are usually told about the meeting.":
            "Fel arfer, maen nhw'n cael gwybod am y cyfarfod.",
        "Offender": "Troseddwr",
        "MAPP meeting": "Cyfarfod MAPP",
    },
    "ar": {
        "MAPPA: frequently asked questions": "MAPPA: أسئلة شائعة",
        "MAPPA: how services work together to keep people safe":
            "MAPPA: كيف تعمل الجهات معًا لحماية الناس",
        "Do offenders go to the meetings about them?": "هل يحضر الجناة الاجتماعات التي تخصهم؟",
        "Do offenders go to MAPP meetings?": "هل يحضر الجناة اجتماعات MAPP؟",
        "**Offenders** do not go to **MAPP meetings**.": "**الجناة** لا يحضرون **اجتماع MAPP**.",
        "They are usually told about the meeting.": "يتم إخبارهم عادةً بالاجتماع.",
        "They are told what the meeting decided.": "يتم إخبارهم بما قرره الاجتماع.",
        "MAPP meeting": "اجتماع MAPP",
        "Offender": "الجاني",
    },
    "ur": {
        "MAPPA: frequently asked questions": "MAPPA: اکثر پوچھے جانے والے سوالات",
        "Do offenders go to MAPP meetings?": "کیا مجرم MAPP میٹنگز میں جاتے ہیں؟",
        "**Offenders** do not go to **MAPP meetings**.": "**مجرم** **MAPP میٹنگ** میں نہیں جاتے۔",
        "They are usually told about the meeting.": (
            "انہیں عام طور پر میٹنگ کے بارے میں بتایا جاتا ہے۔"
        ),
        "MAPP meeting": "MAPP میٹنگ",
        "Offender": "مجرم",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "cy": {
        "Contents": "Cynnwys",
        "Hard words": "Geiriau anodd",
        "Languages": "Ieithoedd",
        "Listen to this answer": "Gwrando ar yr ateb hwn",
        "Question %(number)s of %(total)s": "Cwestiwn %(number)s o %(total)s",
        "A house": "Tŷ",
    },
    "ar": {
        "Contents": "المحتويات",
        "Hard words": "كلمات صعبة",
        "Languages": "اللغات",
        "Skip to main content": "انتقل إلى المحتوى الرئيسي",
        "Listen to this answer": "استمع إلى هذه الإجابة",
        "Read the full answer": "اقرأ الإجابة الكاملة",
        "Question %(number)s of %(total)s": "السؤال %(number)s من %(total)s",
        "A house": "منزل",
        "Listen to the easy-read answer": "استمع إلى الإجابة السهلة",
    },
    "ur": {
        "Contents": "فہرست",
        "Hard words": "مشکل الفاظ",
        "Languages": "زبانیں",
        "Listen to this answer": "یہ جواب سنیں",
        "Question %(number)s of %(total)s": "سوال %(number)s از %(total)s",
    },
}


def source_leaflet() -> Leaflet:
    return read_leaflet(SOURCE).leaflet


def source_edition(languages: tuple[str, ...] = LANGUAGES) -> Edition:
    return translate(source_leaflet(), "en-GB", None, languages=languages)


def sample_edition(lang: str, languages: tuple[str, ...] = LANGUAGES) -> Edition:
    """``lang``'s sample edition; texts without a sample translation stay English."""
    table = TRANSLATIONS[lang]

    def lookup(_context: str, text: Text) -> Text:
        found = table.get(text.markdown)
        return Text(found, lang, text.line) if found else text

    leaflet = source_leaflet().map_texts(lookup)
    if lang == "cy":
        last = leaflet.questions[-1]
        leaflet = replace(
            leaflet,
            intro=(*leaflet.intro, Paragraph(Text(HOSTILE, "cy"))),
            questions=(*leaflet.questions[:-1], replace(last, easy_read=())),
        )
    words = CatalogWords(lang, {k: (v,) for k, v in WORDS[lang].items()})
    return Edition(leaflet, lang, words, languages)
