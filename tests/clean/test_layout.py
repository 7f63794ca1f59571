"""Cleaning rules on small invented texts."""

from __future__ import annotations

from storywire.clean import CleanArticle, OutletLines
from storywire.clean.boilerplate import boilerplate_reason
from storywire.clean.glued import split_glued
from storywire.clean.layout import read_layout
from storywire.config import Settings
from storywire.model import Article

BODY = ("The council voted on Tuesday to rebuild the old bridge, the mayor said. "
        "Work will start in the spring and last two years.")


def test_markdown_heading_link_line_and_bold_outlet_trailer():
    raw = f"\n# *Bridge to be rebuilt*\n\n---\n\n**A crane on the river bank. Photo: J. Doe/Agency**\n\n{BODY}\n\n---\n\n<https://news.example/bridge>\n\n**Valley Courier**"
    out = read_layout(raw)
    assert (out.title, out.url, out.outlet) == ("Bridge to be rebuilt", "https://news.example/bridge", "Valley Courier")
    assert out.captions == ["A crane on the river bank. Photo: J. Doe/Agency"]
    assert out.paragraphs == [BODY]


def test_short_first_line_is_title_and_duplicate_caption_goes():
    raw = f"Bridge to be rebuilt\n\nThe old bridge at dusk\nThe old bridge at dusk\n\n{BODY}"
    out = read_layout(raw)
    assert out.title == "Bridge to be rebuilt" and out.captions == ["The old bridge at dusk"]
    assert out.paragraphs == [BODY]


def test_first_sentence_is_never_taken_as_title():
    out = read_layout(f"{BODY}\n{BODY}\nSecond paragraph here.")
    assert out.title is None and out.paragraphs[0] == BODY


def test_outlet_prefix_and_glued_sentences():
    out = read_layout("Valley Times - The council met.It voted to rebuild the bridge.Work starts in May.")
    assert out.outlet == "Valley Times"
    assert out.paragraphs == ["The council met. It voted to rebuild the bridge. Work starts in May."]


def test_dateline_is_not_an_outlet():
    out = read_layout("PARIS - The council met on Monday and voted to rebuild the bridge.")
    assert out.outlet is None and out.paragraphs[0].startswith("PARIS - ")


def test_boilerplate_before_headline_byline_and_repeated_title():
    raw = ("Loading...\nMenu\n\nRiver Post Telegram\n\nBridge to be rebuilt\n\nBridge to be rebuilt\n"
           "folder_openCity access_time3 hours ago\nstarAdd to favorites\n\nBy Jane Roe\n\n" + BODY +
           "\n\nShare this article\nHome | City | Sport | Weather")
    out = read_layout(raw)
    assert out.title == "Bridge to be rebuilt" and out.byline == "By Jane Roe"
    assert out.paragraphs == [BODY]
    assert {reason for reason, _ in out.removed} >= {"interface text", "interface icon text", "title repeated",
                                                      "navigation"}


def test_markup_quotes_and_unicode_are_normalised():
    raw = "Some **bold** and _italic_ text with a [link](https://x.example) and “quotes” it’s cafe\u0301."
    (p,) = read_layout(raw).paragraphs
    assert p == 'Some bold and italic text with a link and "quotes" it\'s café.'


def test_hard_wrapped_lines_are_joined():
    out = read_layout("The council voted on Tuesday to rebuild\nthe old bridge, the mayor said.\nWork starts soon.")
    assert out.paragraphs == ["The council voted on Tuesday to rebuild the old bridge, the mayor said.",
                              "Work starts soon."]


def test_boilerplate_rules_leave_sentences_alone():
    for line in ["Russia will print more money.", "Facebook fined in Europe", "Search and rescue continues", BODY]:
        assert boilerplate_reason(line) is None, line
    for line in ["Please wait...", "Follow us on Telegram", "© 2024 Valley Courier", "2 months ago", "Teilen"]:
        assert boilerplate_reason(line), line


def test_split_glued_keeps_abbreviations_and_numbers():
    assert split_glued('in Gaza.He said "no.""Then') == 'in Gaza. He said "no." "Then'
    assert split_glued("the U.S.Army paid 3.5 million for report.PDF") == "the U.S.Army paid 3.5 million for report.PDF"


def test_lines_an_outlet_repeats_are_learnt():
    table = OutletLines(min_articles=3, min_share=0.5)
    for n in range(4):
        table.observe("Valley Courier", f"Story {n}\n\nIndependent voices since 1887\n\n{BODY} Item {n}.")
    step = CleanArticle(Settings(extra={"outlet_lines": table}))
    article = step.process(Article(id="x", raw_text=f"Independent voices since 1887\n\n{BODY}\n\nSupport local news today",
                                   outlet="Valley Courier"))
    assert article.clean_text == f"{BODY}\n\nSupport local news today"
    assert article.extra["removed"] == [["repeated in the outlet's articles", "Independent voices since 1887"]]
    other = step.process(Article(id="y", raw_text=f"{BODY}\n\nIndependent voices since 1887", outlet="Hill Herald"))
    assert "Independent voices" in other.clean_text


def test_clean_step_sets_fields_and_rejects_furniture_only():
    step = CleanArticle()
    a = step.process(Article(id="a", raw_text=f"Bridge to be rebuilt\n\n{BODY}", title="Bridge to be rebuilt"))
    assert a.clean_text == BODY and [p.text for p in a.paragraphs] == [BODY]
    assert a.extra["removed"] == [["title repeated", "Bridge to be rebuilt"]]
    records = list(step([Article(id="b", raw_text="Share\nPrint\nFollow us on Telegram")]))
    assert records[0].stage == "clean" and "no article text left" in records[0].reason
