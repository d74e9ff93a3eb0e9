"""The picture keys an easy-read sentence may use, and what each picture shows.

Each key names an SVG file in ``pipeline/pictures/`` (``<key>.svg``). The
description is the picture's alt text in English; it is an output word, so it is
translated through the output-words catalogue like "Contents" or "Hard words".
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction into the output-words catalogue."""
    return message


PICTOGRAMS: dict[str, str] = {
    "agencies": N_("Several organisations working together"),
    "alcohol": N_("A bottle and a glass"),
    "area": N_("A map of a local area"),
    "calendar": N_("A calendar"),
    "check": N_("A tick: checking something"),
    "child": N_("A child"),
    "clock": N_("A clock"),
    "complaint": N_("A person making a complaint"),
    "court": N_("A court building"),
    "danger": N_("A warning sign: danger"),
    "decision": N_("A person deciding"),
    "doctor": N_("A doctor: health services"),
    "fine": N_("Money: a fine"),
    "help": N_("A helping hand"),
    "home": N_("A house: a home"),
    "information": N_("Information"),
    "law": N_("A law book: the law"),
    "letter": N_("A letter"),
    "listen": N_("An ear: listening"),
    "meeting": N_("People meeting around a table"),
    "no": N_("No"),
    "offender": N_("A person who has committed a crime"),
    "people": N_("A group of people: the public"),
    "phone": N_("A telephone"),
    "police": N_("A police officer"),
    "prison": N_("A prison"),
    "probation-officer": N_("A probation officer"),
    "question": N_("A question mark"),
    "report": N_("A report"),
    "rules": N_("A list of rules"),
    "safe": N_("A shield: keeping people safe"),
    "secret": N_("A padlock: kept private"),
    "share": N_("Sharing information"),
    "talk": N_("People talking"),
    "victim": N_("A person who was hurt by a crime"),
    "website": N_("A website on a computer screen"),
    "yes": N_("Yes"),
}
