import json

from storywire.pipeline import run_analysis
from storywire.workflow.stage import STAGE
from storywire.workflow.summary import summarize

LEAD = "A magnitude 6.1 earthquake struck the coastal town of Marrel early on Sunday morning."
TOLL = "At least 40 people were killed and hundreds injured, the civil protection agency said."
RESCUE = "Rescue teams from three neighbouring provinces were searching the rubble overnight."


def art(id, outlet, *sentences, language="en"):
    return {"id": id, "outlet": outlet, "language": language, "text": " ".join(sentences)}


def test_summary_keeps_the_sentences_most_outlets_carry_word_for_word():
    articles = [
        art("1", "Wire", LEAD, TOLL, RESCUE, "The wire adds its own closing line about tourism numbers."),
        art("2", "Daily", LEAD.replace("early on Sunday", "on Sunday"), TOLL, "Our reporter saw collapsed houses."),
        art("3", "Herald", "Local view first: the market square was empty and silent today.", TOLL, RESCUE),
        art("4", "Le Soir", "Un séisme de magnitude 6,1 a frappé la ville côtière de Marrel dimanche matin.",
            language="fr"),
    ]
    summary = summarize(articles)
    assert summary["language"] == "en" and summary["articles"] == 3
    texts = [s["text"] for s in summary["sentences"]]
    assert texts == [LEAD, TOLL, RESCUE]  # in the order of the earliest article, its own words
    by_text = {s["text"]: s for s in summary["sentences"]}
    assert by_text[TOLL]["outlets"] == ["Daily", "Herald", "Wire"]
    assert by_text[LEAD]["outlets"] == ["Daily", "Wire"]  # the edited lead still counts
    for s in summary["sentences"]:  # nothing invented: every sentence is in an article
        assert any(s["text"] in a["text"] for a in articles)


def test_single_article_story_summary_is_its_lead():
    summary = summarize([art("1", "Wire", LEAD, TOLL, RESCUE, "A fourth sentence that closes the report.")])
    assert [s["text"] for s in summary["sentences"]] == [LEAD, TOLL, RESCUE]


def test_stage_stores_summaries_of_touched_stories(store, helpers):
    helpers.add_article(store, "e1", f"{LEAD} {TOLL}", outlet="Wire")
    helpers.add_article(store, "e2", f"{TOLL} {RESCUE}", outlet="Daily")
    helpers.add_story(store, "quake", ["e1", "e2"])
    run_analysis(store, [STAGE])
    summary = json.loads(store.query("SELECT summary FROM stories WHERE id = 'quake'")[0][0])
    assert [s["text"] for s in summary["sentences"]] == [TOLL]
    assert summary["sentences"][0]["outlets"] == ["Daily", "Wire"]
