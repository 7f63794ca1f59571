"""The batch plan on one machine, without Spark.

Maps stream Parquet row batches through the same functions the Spark engine
calls; shuffles become sorts (LSH buckets: one ``argsort`` over every band key)
or in-memory groups of small rows; components use union-find.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

import numpy as np

from ..engine.local import LocalEngine
from ..model import Article, Rejected
from . import actors, copies, stories, tables
from .articles import article_row, rejected_row, row_article
from .graph import components
from .plan import BatchContext

# Columns the analyses read of an article: everything but the raw text, which is large.
ANALYSIS_COLUMNS = ["id", "outlet", "url", "title", "published", "language", "clean_text", "paragraphs", "version"]


class LocalBatch:
    def __init__(self, ctx: BatchContext, workers: int = 1):
        self.ctx = ctx
        self.engine = LocalEngine(workers)

    def _writer(self, table: str) -> tables.TableWriter:
        return tables.TableWriter(self.ctx.table(table), table)

    def _articles(self, ids: set[str] | None = None) -> Iterator[Article]:
        for row in tables.read_rows(self.ctx.table("articles"), ANALYSIS_COLUMNS):
            if ids is None or row["id"] in ids:
                yield row_article(row)

    # -- stages ---------------------------------------------------------------

    def articles(self) -> None:
        from ..pipeline import article_steps
        from .inputs import input_files, read_inputs

        ctx = self.ctx
        articles, rejected = self._writer("articles"), self._writer("rejected")
        seen: set[str] = set()
        records = read_inputs(input_files(ctx.inputs), ctx.settings)
        for record in self.engine.map(records, article_steps(ctx.settings)):
            if isinstance(record, Rejected):
                rejected.write(rejected_row(record))
            elif record.id not in seen:  # the same id read twice: the first one wins
                seen.add(record.id)
                articles.write(article_row(record, ctx.started_at))
        rejected.close()
        articles.close()

    def copy_candidates(self) -> None:
        ids: list[str] = []
        owners: list[np.ndarray] = []
        keys: list[np.ndarray] = []
        for row in tables.read_rows(self.ctx.table("articles"), ["id", "clean_text"]):
            band = copies.band_keys(row["clean_text"] or "")
            owners.append(np.full(len(band), len(ids), dtype=np.int64))
            keys.append(np.asarray(band, dtype=np.int64))
            ids.append(row["id"])
        writer = self._writer("copy_candidates")
        pairs: set[tuple[str, str]] = set()
        if keys:
            flat, owner = np.concatenate(keys), np.concatenate(owners)
            order = np.argsort(flat, kind="stable")
            flat, owner = flat[order], owner[order]
            # Runs of equal keys are the buckets.
            starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
            ends = np.r_[starts[1:], len(flat)]
            for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
                pairs.update(copies.bucket_pairs(ids[i] for i in owner[s:e]))
        writer.write_all(sorted(pairs))
        writer.close()

    def copy_pairs(self) -> None:
        candidates = [(r["a"], r["b"]) for r in tables.read_rows(self.ctx.table("copy_candidates"))]
        needed = {x for pair in candidates for x in pair}
        articles = {a.id: a for a in self._articles(needed)}
        writer = self._writer("copy_pairs")
        for a, b in candidates:
            row = copies.verify(articles[a], articles[b])
            if row is not None:
                writer.write(row)
        writer.close()

    def copy_groups(self) -> None:
        edges, votes = [], Counter()
        for r in tables.read_rows(self.ctx.table("copy_pairs"), ["a", "b", "verdict", "source_id"]):
            if r["verdict"] in copies.LINKED:
                edges.append((r["a"], r["b"]))
                if r["source_id"]:
                    votes[r["source_id"]] += 1
        groups: dict[str, list[str]] = defaultdict(list)
        for node, root in components(edges).items():
            groups[root].append(node)
        published = self._published({x for m in groups.values() for x in m})
        writer = self._writer("copy_groups")
        for root in sorted(groups):
            writer.write_all(copies.group_rows([(m, published.get(m), votes[m]) for m in groups[root]]))
        writer.close()

    def _published(self, ids: set[str]) -> dict[str, str | None]:
        return {
            r["id"]: r["published"]
            for r in tables.read_rows(self.ctx.table("articles"), ["id", "published"]) if r["id"] in ids
        }

    def stories(self) -> None:
        # Features and document frequencies in one pass; profiles in id order, so
        # that list positions sort like ids and stand for them in the buckets.
        found = sorted(
            (stories.article_features(a) for a in self._articles()), key=lambda af: af[0].id
        )
        df: Counter[str] = Counter()
        for _, feats in found:
            df.update(stories.feature_keys(feats))
        seen = len(found)
        profiles = [stories.profile(a, f, df, seen) for a, f in found]
        del found
        pairs = self._story_pairs(profiles, df, seen)
        edges: list[tuple[str, str]] = []
        best: dict[str, float] = {}
        for i, j in pairs:
            sim = stories.score(profiles[i], profiles[j])
            if stories.linked(sim):
                edges.append((profiles[i].id, profiles[j].id))
                for k in (i, j):
                    best[profiles[k].id] = max(best.get(profiles[k].id, 0.0), sim)
        for r in tables.read_rows(self.ctx.table("copy_groups"), ["article_id", "group_id"]):
            if r["article_id"] != r["group_id"]:
                edges.append((r["article_id"], r["group_id"]))
        label = components(edges)
        groups: dict[str, list] = defaultdict(list)
        for p in profiles:
            groups[label.get(p.id, p.id)].append(p)
        links, rows = self._writer("story_articles"), self._writer("stories")
        for root in sorted(groups):
            members, story = stories.story_rows(groups[root], best, self.ctx.started_at)
            links.write_all(members)
            rows.write(story)
        links.close()
        rows.close()

    @staticmethod
    def _story_pairs(profiles: list, df: Counter, seen: int) -> np.ndarray:
        """Candidate pairs (i < j, positions in ``profiles``) from the blocking keys,
        bucketed with one sort over (key hash, position)."""
        keys, owners = [], []
        for i, p in enumerate(profiles):
            ks = stories.blocking_keys(p, df, seen)
            keys.append(np.fromiter((hash(k) for k in ks), dtype=np.int64, count=len(ks)))
            owners.append(np.full(len(ks), i, dtype=np.int64))
        if not keys:
            return np.zeros((0, 2), dtype=np.int64)
        flat, owner = np.concatenate(keys), np.concatenate(owners)
        order = np.argsort(flat, kind="stable")
        flat, owner = flat[order], owner[order]
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        ends = np.r_[starts[1:], len(flat)]
        n = len(profiles)
        packed = []
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            members = [(profiles[i].day, int(i)) for i in owner[s:e]]
            packed.extend(a * n + b for a, b in stories.bucket_pairs(members))
        unique = np.unique(np.asarray(packed, dtype=np.int64))
        return np.stack([unique // n, unique % n], axis=1)

    def actors(self) -> None:
        ordered = sorted(self._articles(), key=actors.date_order)
        resolution = actors.Resolution(self.ctx.out, actors.read_links(self.ctx.table("story_articles")))
        try:
            actors.resolve_in_batches(resolution, actors.find_mentions(ordered, self.ctx.settings))
            mentions, found = self._writer("mentions"), self._writer("actors")
            mentions.write_all(resolution.mentions())
            found.write_all(resolution.actors())
            mentions.close()
            found.close()
        finally:
            resolution.close()

    def claims(self) -> None:
        names = {r["id"]: r["name"] for r in tables.read_rows(self.ctx.table("actors"), ["id", "name"])}
        by_article: dict[str, list[dict]] = defaultdict(list)
        for m in tables.read_rows(self.ctx.table("mentions")):
            by_article[m["article_id"]].append(m)
        story_of = actors.story_of(actors.read_links(self.ctx.table("story_articles")))
        by_story: dict[str, list[tuple]] = defaultdict(list)
        figures = self._writer("figures")
        for article in self._articles():
            quotes, found = actors.claims(article, actors.people(by_article.pop(article.id, []), names))
            figures.write_all(found)
            by_story[story_of.get(article.id, article.id)].extend(quotes)
        figures.close()
        quotes_out = self._writer("quotes")
        for key in sorted(by_story):
            quotes_out.write_all(actors.statement_rows(by_story[key]))
        quotes_out.close()
