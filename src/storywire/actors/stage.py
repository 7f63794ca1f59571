"""The ``actors`` analysis stage: mentions per article, resolved to actors.

NER runs before the write transaction (it is the slow part); resolution reads
and writes the store inside one transaction with ``mark_done``, so a killed run
leaves each batch whole or absent. Re-processed articles (new versions) first
lose their old mentions.
"""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..model import Article
from ..store import Store
from .ner import Recognizer, recognizer
from ..workflow.curation import apply_decisions
from .resolve import Resolver, group_mentions, refresh_key_actors


class ActorsStage:
    name = "actors"
    order = 30

    def __init__(self, ner: Recognizer | None = None):
        self._ner = ner

    @property
    def ner(self) -> Recognizer:
        if self._ner is None:
            self._ner = recognizer(Settings.from_env())
        return self._ner

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        found = [(a, group_mentions(self.ner.mentions(a))) for a in articles]
        mentions = 0
        with store.transaction() as c:
            resolver = Resolver(c)
            stories: set[str] = set()
            for article, (groups, unresolved) in found:
                c.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
                row = c.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article.id,)).fetchone()
                story = row[0] if row else None
                if story:
                    stories.add(story)
                rows = []
                for group in groups:
                    actor = resolver.resolve(group, article.id, story)
                    if actor is None:
                        continue
                    rows += [(article.id, actor, m.text, group.kind, m.start, m.end) for m in group.mentions]
                rows += [(article.id, None, m.text, m.kind, m.start, m.end) for m in unresolved]
                c.executemany(
                    "INSERT INTO mentions (article_id, actor_id, text, kind, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                mentions += len(rows)
            resolver.finish()
            refresh_key_actors(c, stories)
            apply_decisions(store, kinds=["actors"])  # analysts' merges and splits win
            store.mark_done(self.name, articles)
        return {"mentions": mentions, "actors touched": len(resolver.touched)}


STAGE = ActorsStage()
