"""The ``claims`` analysis stage: quotes and figures per article, statements per story.

It runs after ``actors`` (quotes need the person mentions to name speakers) and
``stories`` (statements are grouped within a story; an article without a story
is its own group). Per batch, in one transaction: the articles' old quotes and
figures go, the new ones are written, the statements of every touched story
are regrouped, and the articles are marked done.
"""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..errors import StorywireError
from ..model import Article
from ..store import Store
from .figures import find_figures
from .quotes import Person, find_quotes
from .statements import EncoderSimilarity, LexicalSimilarity, group_statements


def load_similarity(store: Store, spec: str | None):
    """Sentence similarity for statements: the configured encoder (cached in the
    store), or word overlap when it is "none" or cannot be loaded."""
    try:
        from ..stories.encoder import CachedEncoder, load_encoder

        encoder = load_encoder(spec)
    except (StorywireError, ImportError):
        encoder = None
    return EncoderSimilarity(CachedEncoder(encoder, store)) if encoder else LexicalSimilarity()


def article_people(store: Store, article_id: str) -> list[Person]:
    rows = store.query(
        "SELECT m.start, m.end, m.actor_id, COALESCE(x.name, m.text) AS name FROM mentions m "
        "LEFT JOIN actors x ON x.id = m.actor_id WHERE m.article_id = ? AND m.kind = 'person' "
        "AND m.actor_id IS NOT NULL ORDER BY m.start",
        [article_id],
    )
    return [Person(r["start"], r["end"], r["actor_id"], r["name"]) for r in rows]


def regroup(store: Store, similarity, story: str | None, article_id: str | None = None) -> None:
    """Recompute statement ids for one story's quotes (or one story-less article's)."""
    if story is not None:
        rows = store.query(
            "SELECT q.id, q.actor_id, q.text FROM quotes q JOIN story_articles sa ON sa.article_id = q.article_id "
            "WHERE sa.story_id = ? ORDER BY q.id",
            [story],
        )
    else:
        rows = store.query("SELECT id, actor_id, text FROM quotes WHERE article_id = ? ORDER BY id", [article_id])
    ids = group_statements([(r["id"], r["actor_id"], r["text"]) for r in rows], similarity)
    store.conn.executemany("UPDATE quotes SET statement_id = ? WHERE id = ?", [(s, q) for q, s in ids.items()])


class ClaimsStage:
    name = "claims"
    order = 40

    def __init__(self, similarity=None):
        self._similarity = similarity

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        similarity = self._similarity or load_similarity(store, Settings.from_env().encoder)
        quotes = figures = 0
        with store.transaction() as c:
            stories: set[str] = set()
            loose: list[str] = []
            for article in articles:
                c.execute("DELETE FROM quotes WHERE article_id = ?", (article.id,))
                c.execute("DELETE FROM figures WHERE article_id = ?", (article.id,))
                found = find_quotes(article.text, article_people(store, article.id))
                c.executemany(
                    "INSERT INTO quotes (article_id, speaker, actor_id, text, kind, start, end) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(article.id, q.speaker.name if q.speaker else None, q.speaker.actor_id if q.speaker else None,
                      q.text, q.kind, q.start, q.end) for q in found],
                )
                date = (article.published or "")[:10] or None
                numbers = [("title", f) for f in find_figures(article.title or "", article.language)]
                numbers += [("text", f) for f in find_figures(article.text, article.language)]
                c.executemany(
                    "INSERT INTO figures (article_id, value, low, high, what, raw, start, end, date, part) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(article.id, f.value, f.low, f.high, f.what, f.raw, f.start, f.end, date, part)
                     for part, f in numbers],
                )
                quotes += len(found)
                figures += len(numbers)
                row = c.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article.id,)).fetchone()
                if row:
                    stories.add(row[0])
                else:
                    loose.append(article.id)
            for story in sorted(stories):
                regroup(store, similarity, story)
            for article_id in loose:
                regroup(store, similarity, None, article_id)
            store.mark_done(self.name, articles)
        return {"quotes": quotes, "figures": figures}


STAGE = ClaimsStage()
