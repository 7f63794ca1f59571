"""The batch plan on one machine, without Spark.

Maps stream Parquet row batches through the same functions the Spark engine
calls; shuffles become sorts (LSH buckets: one ``argsort`` over every band key;
the date order of the sequential stages: a table on disk) or in-memory groups
of small rows; components use union-find.
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
from .order import DateOrder
from .plan import BatchContext

# Columns the analyses read of an article: everything but the raw text, which is large.
ANALYSIS_COLUMNS = ["id", "outlet", "url", "title", "published", "language", "clean_text", "paragraphs", "version"]


class LocalBatch:
    def __init__(self, ctx: BatchContext, workers: int = 1):
        self.ctx = ctx
        self.engine = LocalEngine(workers)

    def _writer(self, table: str) -> tables.TableWriter:
        return tables.TableWriter(self.ctx.table(table), table)

    def _articles(self) -> Iterator[Article]:
        for row in tables.read_rows(self.ctx.table("articles"), ANALYSIS_COLUMNS):
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
        folder = self.ctx.table("articles")
        # One row of band keys per article (8 bytes a key: 512 MB at 1M articles),
        # -1 for a text without words; flat position k then belongs to article
        # k // BANDS, so no owner array is needed.
        keys = np.full((tables.row_count(folder), copies.BANDS), -1, dtype=np.int64)
        ids: list[str] = []
        for row in tables.read_rows(folder, ["id", "clean_text"]):
            band = copies.band_keys(row["clean_text"] or "")
            if band:
                keys[len(ids)] = band
            ids.append(row["id"])
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        flat = flat[order]
        del keys
        # Runs of equal keys are the buckets.
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        ends = np.r_[starts[1:], len(flat)]
        pairs: set[tuple[str, str]] = set()
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            if flat[s] >= 0:  # -1: the articles without keys
                pairs.update(copies.bucket_pairs(ids[i] for i in order[s:e] // copies.BANDS))
        writer = self._writer("copy_candidates")
        writer.write_all(sorted(pairs))
        writer.close()

    def copy_pairs(self) -> None:
        candidates = ((r["a"], r["b"]) for r in tables.read_rows(self.ctx.table("copy_candidates")))
        writer = self._writer("copy_pairs")
        for block, needed in copies.pair_blocks(candidates):
            rows = tables.read_rows_in(self.ctx.table("articles"), "id", needed, copies.PAIR_COLUMNS)
            articles = {r["id"]: row_article(r) for r in rows}
            for a, b in block:
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
        rows = tables.read_rows_in(self.ctx.table("articles"), "id", ids, ["id", "published"])
        return {r["id"]: r["published"] for r in rows}

    def stories(self) -> None:
        order = DateOrder(self.ctx.out, "stories")
        assignment = stories.Assignment(self.ctx.out, tables.read_rows(self.ctx.table("copy_groups")),
                                        self.ctx.settings)
        try:
            order.add_all(self.engine.map(self._articles(), [stories.FeatureStep(self.ctx.settings.encoder)]))
            stories.assign_in_batches(assignment, order)
            links, rows = self._writer("story_articles"), self._writer("stories")
            links.write_all(assignment.story_articles())
            rows.write_all(assignment.stories(self.ctx.started_at))
            links.close()
            rows.close()
        finally:
            order.close()
            assignment.close()

    def actors(self) -> None:
        articles = (row_article(r) for r in tables.read_rows(self.ctx.table("articles"), actors.TEXT_COLUMNS))
        order = DateOrder(self.ctx.out, "actors")
        resolution = actors.Resolution(self.ctx.out, actors.read_links(self.ctx.table("story_articles")))
        try:
            order.add_all(self.engine.map(articles, [actors.MentionsStep(self.ctx.settings)]))
            actors.resolve_in_batches(resolution, order)
            mentions, found = self._writer("mentions"), self._writer("actors")
            mentions.write_all(resolution.mentions())
            found.write_all(resolution.actors())
            mentions.close()
            found.close()
        finally:
            order.close()
            resolution.close()

    def claims(self) -> None:
        # Lookups and the group-by by story go through a scratch database on disk.
        scratch = actors.ClaimsScratch(self.ctx.out)
        try:
            scratch.load(
                tables.read_rows(self.ctx.table("mentions")),
                tables.read_rows(self.ctx.table("actors"), ["id", "name"]),
                actors.read_links(self.ctx.table("story_articles")),
            )
            figures = self._writer("figures")
            articles = (row_article(r) for r in tables.read_rows(self.ctx.table("articles"), actors.TEXT_COLUMNS))
            for quotes, found in self.engine.map(articles, [actors.ClaimsStep(scratch.lookup)]):
                figures.write_all(found)
                scratch.add_quotes(quotes)
            figures.close()
            quotes_out = self._writer("quotes")
            for quotes in scratch.story_quotes():
                quotes_out.write_all(actors.statement_rows(quotes))
            quotes_out.close()
        finally:
            scratch.close()
