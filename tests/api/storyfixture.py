"""A small invented database for the story view's tests: two stories, a copy, a hostile article.

Rows go straight into the contract tables (store/migrations/0002_analysis.sql),
as the copies, stories, actors and claims stages would write them. The other
test folders import it as ``api.storyfixture``.
"""

from __future__ import annotations

import json

from storywire.model import Article, Paragraph
from storywire.store import Store, now

SOURCE = ("A storm hit the harbour town of Kelport on Monday. Mayor Ilse Brandt said: "
          "\"We will rebuild every house.\" At least 12 people were killed and 40 injured, officials said.")
COPY = ("A flood hit the harbour town of Kelport on Monday. Mayor Ilse Brant said: "
        "\"We will rebuild every house.\" At least 14 people were killed and 40 injured, officials said. "
        "Critics blamed the port authority.")
FRENCH = ("Une tempête a frappé Kelport lundi. « Nous reconstruirons chaque maison », a déclaré la maire "
          "Ilse Brandt. Douze personnes ont été tuées.")
HOSTILE_TAIL = (" <script>alert('x')</script> Robert'); DROP TABLE articles;-- "
                "<img src=x onerror=alert(1)> Click javascript:alert(2) now.")
HOSTILE = SOURCE.split(" Mayor")[0] + HOSTILE_TAIL
HOSTILE_OUTLET = "<script>alert('outlet')</script>"
HOSTILE_TITLE = "<img src=x onerror=alert(1)> Kelport'; DELETE FROM stories;--"
BUDGET = "Der Stadtrat von Kelport hat den Haushalt für das kommende Jahr beschlossen."

ARTICLES = [
    # id, outlet, title, published, language, url, text
    ("w1", "Coast Wire", "Storm hits Kelport harbour", "2025-03-03T08:00:00+00:00", "en",
     "https://coastwire.example/kelport-storm", SOURCE),
    ("c1", "Daily Echo", "Flood hits Kelport harbour", "2025-03-03T11:30:00+00:00", "en",
     "https://echo.example/kelport", COPY),
    ("f1", "Le Courrier", "Tempête à Kelport", "2025-03-04T09:00:00+00:00", "fr",
     "https://courrier.example/kelport", FRENCH),
    ("h1", HOSTILE_OUTLET, HOSTILE_TITLE, "2025-03-04T12:00:00+00:00", "en", "javascript:alert(document.cookie)",
     HOSTILE),
    ("b1", "Tagesblatt", "Haushalt beschlossen", "2025-02-10T10:00:00+00:00", "de",
     "https://tagesblatt.example/haushalt", BUDGET),
]


def span(text: str, phrase: str, start: int = 0) -> tuple[int, int]:
    i = text.index(phrase, start)
    return i, i + len(phrase)


def edit(op: str, a_text: str, a_phrase: str, b_text: str, b_phrase: str, at: tuple[str, str] = ("", "")) -> dict:
    """An edit in stored orientation (a -> b); an empty phrase is placed after the anchor ``at``."""
    def where(text, phrase, anchor):
        if phrase:
            return span(text, phrase)
        end = span(text, anchor)[1] if anchor else len(text)
        return end, end
    a_start, a_end = where(a_text, a_phrase, at[0])
    b_start, b_end = where(b_text, b_phrase, at[1])
    return {"op": op, "a": a_phrase, "b": b_phrase, "a_start": a_start, "a_end": a_end, "b_start": b_start, "b_end": b_end}


def build(store: Store) -> None:
    """Fill ``store`` with the fixture stories."""
    with store.transaction() as c:
        for id_, outlet, title, published, lang, url, text in ARTICLES:
            store.save_article(Article(id=id_, raw_text=text, clean_text=text, outlet=outlet, title=title,
                                       published=published, language=lang, url=url,
                                       paragraphs=[Paragraph(text, lang)]))
        # Stored a < b: "c1" < "w1", so edits go from the copy (c1) to its source (w1).
        edits = [
            edit("replace", COPY, "A flood hit", SOURCE, "A storm hit"),
            edit("replace", COPY, "Ilse Brant", SOURCE, "Ilse Brandt"),
            edit("replace", COPY, "At least 14", SOURCE, "At least 12"),
            edit("delete", COPY, " Critics blamed the port authority.", SOURCE, "", at=("", "officials said.")),
        ]
        passages = [{"a_start": 0, "a_end": len(COPY) - 36, "b_start": 0, "b_end": len(SOURCE), "words": 30}]
        c.execute(
            "INSERT INTO copy_pairs VALUES (?, ?, 'copy', 0.86, 'w1', 0.9, 0.85, 0.95, ?, ?, ?)",
            ("c1", "w1", json.dumps(edits), json.dumps(passages), now()),
        )
        hostile_edits = [edit("insert", HOSTILE, HOSTILE_TAIL, SOURCE, "", at=("", "on Monday."))]
        # h1 -> w1 stored as a=h1, b=w1: the insert above is seen from h1, i.e. h1 has text w1 lacks.
        hostile_edits[0]["op"] = "delete"
        c.execute(
            "INSERT INTO copy_pairs VALUES (?, ?, 'partial', 0.41, 'w1', 0.7, 0.5, 0.3, ?, '[]', ?)",
            ("h1", "w1", json.dumps(hostile_edits), now()),
        )
        c.execute("INSERT INTO copy_pairs VALUES ('f1', 'w1', 'independent', 0.05, NULL, NULL, 0.0, 0.0, '[]', '[]', ?)",
                  (now(),))
        c.executemany("INSERT INTO copy_groups VALUES (?, 'g1', ?)", [("w1", 1), ("c1", 0), ("h1", 0)])
        c.execute(
            "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, updated_at) "
            "VALUES ('s-harbour', 'Storm hits Kelport harbour', '2025-03-03T08:00:00+00:00', "
            "'2025-03-04T12:00:00+00:00', 4, ?, ?, ?)",
            (json.dumps(["en", "fr"]), json.dumps(["Coast Wire", "Daily Echo", "Le Courrier", HOSTILE_OUTLET]), now()),
        )
        c.execute(
            "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, updated_at) "
            "VALUES ('s-budget', 'Kelport budget passed', '2025-02-10T10:00:00+00:00', '2025-02-10T10:00:00+00:00', "
            "1, '[\"de\"]', '[\"Tagesblatt\"]', ?)",
            (now(),),
        )
        c.executemany("INSERT INTO story_articles (article_id, story_id, score) VALUES (?, ?, 1.0)",
                      [("w1", "s-harbour"), ("c1", "s-harbour"), ("f1", "s-harbour"), ("h1", "s-harbour"),
                       ("b1", "s-budget")])
        c.executemany("INSERT INTO actors VALUES (?, ?, ?, ?)",
                      [("a-brandt", "Ilse Brandt", "person", "ilse brandt"), ("a-kelport", "Kelport", "place", "kelport")])
        texts = {a[0]: a[6] for a in ARTICLES}
        for article_id, actor_id, variant in [
            ("w1", "a-brandt", "Ilse Brandt"), ("c1", "a-brandt", "Ilse Brant"), ("f1", "a-brandt", "Ilse Brandt"),
            ("w1", "a-kelport", "Kelport"), ("c1", "a-kelport", "Kelport"), ("f1", "a-kelport", "Kelport"),
            ("b1", "a-kelport", "Kelport"),
        ]:
            start, end = span(texts[article_id], variant)
            c.execute("INSERT INTO mentions (article_id, actor_id, text, kind, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                      (article_id, actor_id, variant, "person" if actor_id == "a-brandt" else "place", start, end))
        for article_id, quote in [("w1", "We will rebuild every house."), ("c1", "We will rebuild every house."),
                                  ("f1", "Nous reconstruirons chaque maison")]:
            start, end = span(texts[article_id], quote)
            c.execute("INSERT INTO quotes (article_id, speaker, actor_id, text, kind, start, end, statement_id) "
                      "VALUES (?, 'Ilse Brandt', 'a-brandt', ?, 'direct', ?, ?, 'st-rebuild')",
                      (article_id, quote, start, end))
        for article_id, value, what, raw in [("w1", 12, "killed", "12 people were killed"),
                                             ("w1", 40, "injured", "40 injured"),
                                             ("c1", 14, "killed", "14 people were killed"),
                                             ("c1", 40, "injured", "40 injured"),
                                             ("f1", 12, "killed", "Douze personnes ont été tuées")]:
            start, end = span(texts[article_id], raw)
            c.execute("INSERT INTO figures (article_id, value, what, raw, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                      (article_id, value, what, raw, start, end))
