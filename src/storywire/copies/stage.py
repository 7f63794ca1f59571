"""The copies analysis stage: find, align and judge copies as articles arrive.

For each new or changed article, in publication order:

1. candidates — stored articles with the same content hash, plus those sharing
   a MinHash LSH band key (``copy_bands``, see :mod:`.index`), at most
   ``MAX_CANDIDATES`` by number of shared bands;
2. each candidate pair is aligned and judged (:func:`.pairs.compare`); an
   analyst's ``copy_verdict`` decision replaces the automatic verdict;
3. the pair is written to ``copy_pairs`` when it is ``copy`` or ``partial``,
   or when it is ``independent`` with a score of at least ``KEEP_INDEPENDENT``
   (a near miss worth showing in ``storywire copies``). Other candidates, which
   share only stock phrases, are not stored;
4. the article's band keys are added, so later articles find it;
5. the copy groups of every article touched are recomputed (:mod:`.groups`).

A changed article first loses its old band keys and pairs. Everything, with
``mark_done``, happens in one transaction per batch.
"""

from __future__ import annotations

from typing import Any

from ..model import Article
from ..store import Store
from .groups import regroup
from .index import text_keys
from .pairs import compare, decided_verdict, save

MAX_CANDIDATES = 200
KEEP_INDEPENDENT = 0.1


class CopiesStage:
    name = "copies"
    order = 10

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        stats = {"compared": 0, "copy": 0, "partial": 0, "independent": 0}
        cache: dict[str, Article] = {a.id: a for a in articles}
        with store.transaction() as conn:
            touched = set()
            for article in articles:
                touched |= self._forget(conn, article.id)
            for article in articles:
                keys = text_keys(article.text)
                for other_id in self._candidates(conn, article, keys):
                    other = cache.get(other_id) or store.get_article(other_id)
                    cache[other_id] = other
                    pair = compare(article, other, decided_verdict(conn, article.id, other_id))
                    stats["compared"] += 1
                    if pair.derived or pair.score >= KEEP_INDEPENDENT:
                        save(conn, pair)
                        stats[pair.verdict] += 1
                    if pair.derived:
                        touched |= {pair.a, pair.b}
                conn.executemany("INSERT INTO copy_bands (key, article_id) VALUES (?, ?)",
                                 [(k, article.id) for k in keys])
            stats["groups_written"] = regroup(conn, touched)
            store.mark_done(self.name, articles)
        return stats

    def rebuild(self, store: Store) -> None:
        """Forget every copy result; the next run recomputes them all."""
        with store.transaction() as conn:
            for table in ("copy_bands", "copy_pairs", "copy_groups"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM analysis_state WHERE stage = ?", (self.name,))

    @staticmethod
    def _forget(conn, article_id: str) -> set[str]:
        """Drop an article's band keys and pairs; return the articles it was paired with."""
        linked = {r[0] for r in conn.execute(
            "SELECT b FROM copy_pairs WHERE a = ? UNION SELECT a FROM copy_pairs WHERE b = ?",
            (article_id, article_id))}
        conn.execute("DELETE FROM copy_bands WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM copy_pairs WHERE a = ? OR b = ?", (article_id, article_id))
        return linked | {article_id} if linked else set()

    @staticmethod
    def _candidates(conn, article: Article, keys: list[int]) -> list[str]:
        found: dict[str, int] = {}
        if article.content_hash:
            for (aid,) in conn.execute("SELECT id FROM articles WHERE content_hash = ? AND id != ?",
                                       (article.content_hash, article.id)):
                found[aid] = len(keys) + 1
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = conn.execute(
                f"SELECT article_id, count(*) FROM copy_bands WHERE key IN ({','.join('?' * len(chunk))}) "
                "AND article_id != ? GROUP BY article_id", (*chunk, article.id))
            for aid, n in rows:
                found[aid] = max(found.get(aid, 0), n)
        return sorted(found, key=lambda aid: (-found[aid], aid))[:MAX_CANDIDATES]


STAGE = CopiesStage()
