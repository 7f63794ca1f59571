"""Helpers that put articles and other stages' results in a store directly,
so workflow tests do not depend on how those stages compute them."""

from __future__ import annotations

import json

import pytest

from storywire.model import Article, Paragraph
from storywire.store import Store, now


def add_article(store: Store, id: str, text: str, *, outlet: str = "Outlet", published: str = "2026-01-01",
                language: str = "en", title: str | None = None, url: str | None = None) -> Article:
    article = Article(id=id, raw_text=text, clean_text=text, outlet=outlet, published=published,
                      language=language, title=title or id, url=url,
                      paragraphs=[Paragraph(p, language) for p in text.split("\n\n")])
    with store.transaction():
        store.save_article(article)
    return store.get_article(id)


def add_story(store: Store, story_id: str, article_ids: list[str], title: str | None = None) -> None:
    with store.transaction() as c:
        c.execute("INSERT OR REPLACE INTO stories (id, title, article_count, updated_at) VALUES (?, ?, ?, ?)",
                  (story_id, title or story_id, len(article_ids), now()))
        for a in article_ids:
            c.execute("INSERT OR REPLACE INTO story_articles (article_id, story_id, score) VALUES (?, ?, 1.0)",
                      (a, story_id))


def add_copy(store: Store, a: str, b: str, verdict: str = "copy", source: str | None = None) -> None:
    a, b = sorted((a, b))
    with store.transaction() as c:
        c.execute(
            "INSERT OR REPLACE INTO copy_pairs (a, b, verdict, score, source_id, direction_conf, containment_ab, "
            "containment_ba, edits, passages, computed_at) VALUES (?, ?, ?, 0.9, ?, 0.8, 0.9, 0.9, ?, '[]', ?)",
            (a, b, verdict, source, json.dumps([{"op": "replace", "a": "x", "b": "y"}]), now()),
        )


def add_actor(store: Store, actor_id: str, name: str, mentions: list[tuple[str, str]], kind: str = "person") -> None:
    """``mentions``: (article id, text as written)."""
    with store.transaction() as c:
        c.execute("INSERT OR REPLACE INTO actors (id, name, kind, key) VALUES (?, ?, ?, ?)",
                  (actor_id, name, kind, name.casefold()))
        for article_id, text in mentions:
            c.execute("INSERT INTO mentions (article_id, actor_id, text, kind, start, end) VALUES (?, ?, ?, ?, 0, ?)",
                      (article_id, actor_id, text, kind, len(text)))


def add_quote(store: Store, article_id: str, actor_id: str, speaker: str, text: str, start: int = 0) -> None:
    with store.transaction() as c:
        c.execute("INSERT INTO quotes (article_id, speaker, actor_id, text, kind, start, end) "
                  "VALUES (?, ?, ?, ?, 'direct', ?, ?)", (article_id, speaker, actor_id, text, start, start + len(text)))


def add_figure(store: Store, article_id: str, what: str, value: float, raw: str, start: int = 0) -> None:
    with store.transaction() as c:
        c.execute("INSERT INTO figures (article_id, value, what, raw, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                  (article_id, value, what, raw, start, start + len(raw)))


@pytest.fixture
def helpers():
    """The helpers above, for tests that prefer a fixture to an import."""
    import types

    return types.SimpleNamespace(add_article=add_article, add_story=add_story, add_copy=add_copy,
                                 add_actor=add_actor, add_quote=add_quote, add_figure=add_figure)
