"""The picture keys an easy-read sentence may use, and what each picture shows.

Each key names an SVG file in ``pipeline/pictures/`` (``<key>.svg``): a Mulberry
symbol or an OpenMoji, chosen to show the idea concretely (see CREDITS.md there).
The description says what the picture shows, in English: it is the alt text of a
picture that adds to its sentence (``[key, alt]``); a picture that repeats its
sentence has none. It is an output word, translated through the output-words
catalogue like "Contents" or "Hard words".
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction into the output-words catalogue."""
    return message


PICTOGRAMS: dict[str, str] = {
    "agencies": N_("Office buildings: organisations"),
    "alcohol": N_("A glass of beer"),
    "area": N_("A signpost to places nearby"),
    "bus": N_("A bus"),
    "calendar": N_("A calendar"),
    "check": N_("A person thinking of a tick: checking"),
    "child": N_("A child"),
    "clock": N_("A clock"),
    "complaint": N_("A man who is not happy"),
    "court": N_("A judge with a hammer: a court"),
    "danger": N_("A warning sign"),
    "decision": N_("A person thinking"),
    "doctor": N_("A doctor"),
    "email": N_("Two computers: an email"),
    "family": N_("A family: 2 adults and 2 children"),
    "fine": N_("A pound note: money to pay"),
    "food": N_("Food"),
    "happy": N_("A happy man"),
    "health-centre": N_("A doctors' surgery"),
    "help": N_("A hand helping another hand"),
    "home": N_("A house"),
    "hospital": N_("A hospital"),
    "information": N_("A person telling you something"),
    "law": N_("Scales: the law"),
    "letter": N_("A letter"),
    "listen": N_("An ear: listening"),
    "medicine": N_("Tablets: medicine"),
    "meeting": N_("People meeting around a table"),
    "money": N_("Money"),
    "no": N_("A cross: no"),
    "offender": N_("A police officer with a man"),
    "people": N_("A group of people"),
    "phone": N_("A mobile phone"),
    "police": N_("A police officer"),
    "prison": N_("Handcuffs"),
    "probation-officer": N_("A probation officer with papers"),
    "question": N_("A question mark in a speech bubble"),
    "read": N_("A person reading"),
    "report": N_("An open book of writing: a report"),
    "rules": N_("A list of rules"),
    "safe": N_("A person protecting another person"),
    "school": N_("A school"),
    "secret": N_("Finger on lips: keep it private"),
    "share": N_("A hand giving something to another hand"),
    "shop": N_("A shop"),
    "talk": N_("2 people talking"),
    "today": N_("Today"),
    "victim": N_("A sad woman"),
    "visit": N_("A person going to a house"),
    "website": N_("A computer screen with www: a website"),
    "week": N_("A week"),
    "work": N_("A person working at a desk"),
    "worried": N_("A worried man"),
    "write": N_("A hand writing"),
    "yes": N_("A tick: yes"),
}
