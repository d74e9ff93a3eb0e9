"""Small editions in the six sample languages, for the audio tests.

Each has two questions: the first translated (a paragraph and a list), the
second left in English (lang en-GB), so the English fallback voice is exercised.
"""

from __future__ import annotations

from pipeline.catalog.translate import CatalogWords
from pipeline.model import Contact, Edition, ItemList, Leaflet, Paragraph, Question, Text

LANGUAGES = ("en-GB", "cy", "pl", "ur", "pa", "ar")

_ENGLISH = {
    "title": "MAPPA: frequently asked questions",
    "heading": "Do offenders go to MAPP meetings?",
    "para": "Offenders do not attend MAPP meetings but they are usually told about the "
    "meeting and the decisions made.",
    "items": ("The police.", "The probation service.", "The prison service."),
    "question": "Question %(number)s of %(total)s",
    "contact": "Contact details",
}
SAMPLES: dict[str, dict[str, object]] = {
    "cy": {
        "title": "MAPPA: cwestiynau cyffredin",
        "heading": "A yw troseddwyr yn mynd i gyfarfodydd MAPP?",
        "para": "Nid yw troseddwyr yn mynd i gyfarfodydd MAPP, ond fel arfer dywedir "
        "wrthynt am y cyfarfod a'r penderfyniadau.",
        "items": ("Yr heddlu.", "Y gwasanaeth prawf.", "Y gwasanaeth carchardai."),
        "question": "Cwestiwn %(number)s o %(total)s",
        "contact": "Manylion cyswllt",
    },
    "pl": {
        "title": "MAPPA: najczęściej zadawane pytania",
        "heading": "Czy sprawcy chodzą na spotkania MAPP?",
        "para": "Sprawcy nie uczestniczą w spotkaniach MAPP, ale zwykle są informowani "
        "o spotkaniu i podjętych decyzjach.",
        "items": ("Policja.", "Służba kuratorska.", "Służba więzienna."),
        "question": "Pytanie %(number)s z %(total)s",
        "contact": "Dane kontaktowe",
    },
    "ur": {
        "title": "MAPPA: اکثر پوچھے جانے والے سوالات",
        "heading": "کیا مجرم MAPP میٹنگز میں جاتے ہیں؟",
        "para": "مجرم MAPP میٹنگز میں شرکت نہیں کرتے لیکن عام طور پر انہیں میٹنگ اور "
        "کیے گئے فیصلوں کے بارے میں بتایا جاتا ہے۔",
        "items": ("پولیس۔", "پروبیشن سروس۔", "جیل سروس۔"),
        "question": "سوال %(number)s از %(total)s",
        "contact": "رابطے کی تفصیلات",
    },
    "pa": {
        "title": "MAPPA: ਅਕਸਰ ਪੁੱਛੇ ਜਾਂਦੇ ਸਵਾਲ",
        "heading": "ਕੀ ਅਪਰਾਧੀ MAPP ਮੀਟਿੰਗਾਂ ਵਿੱਚ ਜਾਂਦੇ ਹਨ?",
        "para": "ਅਪਰਾਧੀ MAPP ਮੀਟਿੰਗਾਂ ਵਿੱਚ ਸ਼ਾਮਲ ਨਹੀਂ ਹੁੰਦੇ ਪਰ ਉਨ੍ਹਾਂ ਨੂੰ ਆਮ ਤੌਰ 'ਤੇ "
        "ਮੀਟਿੰਗ ਅਤੇ ਫ਼ੈਸਲਿਆਂ ਬਾਰੇ ਦੱਸਿਆ ਜਾਂਦਾ ਹੈ।",
        "items": ("ਪੁਲਿਸ।", "ਪ੍ਰੋਬੇਸ਼ਨ ਸੇਵਾ।", "ਜੇਲ੍ਹ ਸੇਵਾ।"),
        "question": "ਸਵਾਲ %(number)s / %(total)s",
        "contact": "ਸੰਪਰਕ ਵੇਰਵੇ",
    },
    "ar": {
        "title": "MAPPA: الأسئلة الشائعة",
        "heading": "هل يحضر الجناة اجتماعات MAPP؟",
        "para": "لا يحضر الجناة اجتماعات MAPP ولكن عادة ما يتم إخبارهم بالاجتماع "
        "والقرارات المتخذة.",
        "items": ("الشرطة.", "خدمة المراقبة.", "خدمة السجون."),
        "question": "السؤال %(number)s من %(total)s",
        "contact": "تفاصيل الاتصال",
    },
}
FALLBACK_PARAGRAPH = (
    "Risk management plans are then worked out for each offender to manage those risks."
)


def sample_edition(lang: str) -> Edition:
    """A two-question edition in ``lang``; the second question stays in English."""
    s = SAMPLES.get(lang, _ENGLISH)
    t_lang = lang if lang in SAMPLES else "en-GB"

    def t(value: object) -> Text:
        return Text(str(value), t_lang)

    leaflet = Leaflet(
        id="sample",
        lang=lang,
        title=t(s["title"]),
        summary=Text("How agencies work together to protect the public.", "en-GB"),
        organisation=Text("MAPPA Responsible Authority", "en-GB"),
        contact=Contact(phone="0306 999 0123", web="https://mappa.justice.gov.uk"),
        date="2026-11-24",
        version="1.0",
        questions=(
            Question(
                "offenders-at-meetings",
                t(s["heading"]),
                (Paragraph(t(s["para"])), ItemList(tuple(t(i) for i in s["items"]))),  # type: ignore[attr-defined]
            ),
            Question(
                "how-mappa-works",
                Text("How does MAPPA work?", "en-GB"),
                (Paragraph(Text(FALLBACK_PARAGRAPH, "en-GB")),),
            ),
        ),
    )
    words = CatalogWords(
        lang,
        {}
        if lang not in SAMPLES
        else {
            "Question %(number)s of %(total)s": (str(s["question"]),),
            "Contact details": (str(s["contact"]),),
        },
    )
    return Edition(leaflet, lang, words, LANGUAGES)
