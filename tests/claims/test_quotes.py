"""Quotes and their speakers: one test per pattern and language."""

import re

import pytest

from storywire.claims.quotes import Person, find_quotes, quote_spans


def people_in(text, *names):
    """Person mentions at each occurrence of the given names, actor id = the first name given."""
    out = []
    for group in names:
        variants = group if isinstance(group, tuple) else (group,)
        for v in variants:
            for m in re.finditer(re.escape(v), text):
                out.append(Person(m.start(), m.end(), variants[0], variants[0]))
    return sorted(out, key=lambda p: p.start)


def quotes(text, *names):
    return [(q.kind, q.speaker.actor_id if q.speaker else None, q.text) for q in find_quotes(text, people_in(text, *names))]


@pytest.mark.parametrize(
    "text",
    [
        'Lena Okafor said: "The bridge will reopen next week for all traffic."',              # colon intro
        'Lena Okafor told reporters, “The bridge will reopen next week for all traffic.”',    # curly quotes
        '"The bridge will reopen next week for all traffic," said Lena Okafor.',             # said X
        '"The bridge will reopen next week for all traffic," Lena Okafor said.',             # X said
        'Lena Okafor spoke at noon.\n\n"The bridge will reopen next week for all traffic," she said.',  # pronoun
    ],
)
def test_english_patterns(text):
    assert quotes(text, "Lena Okafor") == [("direct", "Lena Okafor", "The bridge will reopen next week for all traffic.")] or \
        quotes(text, "Lena Okafor") == [("direct", "Lena Okafor", "The bridge will reopen next week for all traffic,")]


def test_he_said_goes_to_the_last_named_person_outside_the_quote():
    text = ('Mayor Jan Novak met Anna Kowalczyk. Novak was brief.\n\n'
            '"We never asked Kowalczyk for anything like this plan," he said.')
    (q,) = find_quotes(text, people_in(text, ("Jan Novak", "Novak"), ("Anna Kowalczyk", "Kowalczyk")))
    assert q.speaker.actor_id == "Jan Novak"


def test_french_guillemets_and_a_declare():
    text = "« Nous ne céderons rien sur la réforme des retraites », a déclaré Paul Durand."
    assert quotes(text, "Paul Durand") == [("direct", "Paul Durand", "Nous ne céderons rien sur la réforme des retraites")]
    text = "Paul Durand a déclaré : « Nous ne céderons rien sur la réforme des retraites. »"
    assert quotes(text, "Paul Durand")[0][1] == "Paul Durand"


def test_german_low_high_quotes():
    text = "Karl Huber sagte: „Wir werden die Brücke im Frühjahr wieder öffnen.“"
    assert quotes(text, "Karl Huber") == [("direct", "Karl Huber", "Wir werden die Brücke im Frühjahr wieder öffnen.")]


def test_spanish_dijo():
    text = '"Vamos a reconstruir todas las escuelas del distrito", dijo Luis Ortega.'
    assert quotes(text, "Luis Ortega")[0][:2] == ("direct", "Luis Ortega")


def test_quote_across_a_paragraph_break_is_one_quote():
    text = ('Lena Okafor said: "The first span is finished and tested.\n\n'
            '"The second span will follow in the spring," she added.')
    spans = quote_spans(text)
    assert len(spans) == 1
    (q,) = [x for x in find_quotes(text, people_in(text, "Lena Okafor")) if x.kind == "direct"]
    assert q.text.startswith("The first span") and q.text.endswith("in the spring,")
    assert "\n" not in q.text


def test_scare_quotes_and_unattributed_quotes_are_not_kept():
    text = 'Lena Okafor criticised the "unacceptable" delay. The film "A Long Way Home Again Tonight" opens.'
    assert [q for q in find_quotes(text, people_in(text, "Lena Okafor")) if q.kind == "direct"] == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("Lena Okafor said that the bridge would reopen next week.", "Lena Okafor"),
        ("Lena Okafor said the bridge would reopen next week.", "Lena Okafor"),
        ("Paul Durand a affirmé que le pont rouvrira la semaine prochaine.", "Paul Durand"),
        ("Karl Huber sagte, dass die Brücke nächste Woche wieder öffnet.", "Karl Huber"),
        ("Luis Ortega dijo que el puente abrirá la próxima semana.", "Luis Ortega"),
    ],
)
def test_indirect_speech(text, name):
    (q,) = find_quotes(text, people_in(text, name))
    assert (q.kind, q.speaker.actor_id) == ("indirect", name)
    assert q.text.split()[0].lower() in {"the", "le", "die", "el"}


def test_no_indirect_speech_without_a_clear_pattern():
    text = "Lena Okafor stressed the importance of the bridge for the whole region."
    assert find_quotes(text, people_in(text, "Lena Okafor")) == []


def test_single_quotes_but_not_apostrophes():
    text = "Mayor Lena Okafor's office replied. 'We don't close schools on a whim,' Okafor said."
    assert quotes(text, ("Lena Okafor", "Okafor")) == [("direct", "Lena Okafor", "We don't close schools on a whim,")]


def test_unattributed_quote_right_after_an_attributed_one_continues_its_speaker():
    text = '"We will rebuild every school in the valley," Okafor said. "Nobody will be forgotten here."'
    assert [q[1] for q in quotes(text, "Okafor")] == ["Okafor", "Okafor"]


def test_french_inverted_pronoun():
    text = "Paul Durand est arrivé tard. « Personne ne nous avait prévenus du danger », a-t-il déclaré."
    assert quotes(text, "Paul Durand")[0][1] == "Paul Durand"
