"""The batch plan on one machine, without Spark.

Maps stream Parquet row batches through the same functions the Spark engine
calls; shuffles become sorts (LSH buckets: one ``argsort`` over every band key)
or in-memory groups of small rows; components use union-find.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
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
        with tempfile.TemporaryDirectory(dir=self.ctx.out, prefix="_stories-") as scratch:
            corpus = stories.CorpusProfiles(Path(scratch))
            # Pass 1, a map: features; their keys and document frequencies.
            for meta, feats in self.engine.map(self._articles(), [stories.FeatureStep()]):
                corpus.add(meta, feats)
            corpus.weigh()  # pass 2: profiles and blocking keys
            # Articles by rank in id order: ranks sort like ids, so they stand for them.
            by_id = sorted(range(len(corpus)), key=lambda pos: corpus.meta[pos].id)
            pairs = self._story_pairs(corpus, by_id)
            a, b, best = self._story_edges(corpus, by_id, pairs, Path(scratch))
        del pairs
        rank = {corpus.meta[pos].id: r for r, pos in enumerate(by_id)}
        copied = [(rank[r["article_id"]], rank[r["group_id"]])
                  for r in tables.read_rows(self.ctx.table("copy_groups"), ["article_id", "group_id"])
                  if r["article_id"] != r["group_id"]]
        del rank
        label = components(itertools.chain(zip(a.tolist(), b.tolist()), copied))
        del a, b, copied
        groups: dict[int, list[int]] = defaultdict(list)
        for r in range(len(by_id)):
            groups[label.get(r, r)].append(r)
        del label
        links, rows = self._writer("story_articles"), self._writer("stories")
        for root in sorted(groups):
            ranks = groups.pop(root)
            members = [corpus.member(by_id[r]) for r in ranks]
            top = {m.id: float(best[r]) for m, r in zip(members, ranks) if best[r] >= 0}
            found, story = stories.story_rows(members, top, self.ctx.started_at)
            links.write_all(found)
            rows.write(story)
        links.close()
        rows.close()

    @staticmethod
    def _story_pairs(corpus: stories.CorpusProfiles, by_id: list[int]) -> np.ndarray:
        """Candidate pairs (a < b, ranks in id order) from the blocking keys,
        bucketed with one sort over (key id, rank)."""
        n = len(by_id)
        rank = np.empty(n, dtype=np.int64)
        rank[by_id] = np.arange(n)
        keys = np.frombuffer(corpus.block_keys, dtype=np.int64)
        owners = rank[np.frombuffer(corpus.block_owners, dtype=np.int64)]
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        day = [corpus.days[pos] for pos in by_id]
        chunks, packed = [np.zeros(0, dtype=np.int64)], []
        for s, e in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist()):
            members = [(day[r], r) for r in owners[s:e].tolist()]
            packed.extend(a * n + b for a, b in stories.bucket_pairs(members))
            if len(packed) >= 1 << 20:  # deduplicated in chunks, as int64 rather than Python ints
                chunks.append(np.unique(np.asarray(packed, dtype=np.int64)))
                packed = []
        chunks.append(np.unique(np.asarray(packed, dtype=np.int64)))
        unique = np.unique(np.concatenate(chunks))
        return np.stack([unique // n, unique % n], axis=1)

    def _story_edges(self, corpus: stories.CorpusProfiles, by_id: list[int], pairs: np.ndarray, scratch: Path
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs (ranks ``a``, ``b``) scored at or above the merge threshold, and
        each article's best score by rank (-1 without one); scored in day order
        (:func:`stories.linked_pairs`), in parts over the worker processes. The
        parts wait on disk as arrays, not in memory as Python objects."""
        n = len(by_id)
        day = [corpus.days[pos] for pos in by_id]
        in_days = sorted(range(n), key=lambda r: (day[r] is not None, day[r] or 0, r))
        del day
        when = np.empty(n, dtype=np.int64)
        when[in_days] = np.arange(n)
        del in_days
        first = np.minimum(when[pairs[:, 0]], when[pairs[:, 1]])
        order = np.argsort(first, kind="stable")
        position = np.asarray(by_id, dtype=np.int64)
        when_at = np.empty(n, dtype=np.int64)
        when_at[position] = when
        parts = []
        for k, chunk in enumerate(np.array_split(order, max(1, 4 * self.engine.workers if len(order) > 100_000 else 1))):
            ab = position[pairs[chunk]]
            parts.append(scratch / f"pairs-{k}.npy")
            np.save(parts[-1], np.stack([ab[:, 0], ab[:, 1], first[chunk]], axis=1))
        del first, order, ab
        reader = corpus.stories()
        when_path = scratch / "when.npy"
        np.save(when_path, when_at)
        if self.engine.workers > 1 and len(parts) > 1:
            ctx = mp.get_context("spawn")
            with ctx.Pool(self.engine.workers) as pool:
                found = pool.starmap(stories.linked_pairs, [(reader, part, when_path) for part in parts])
        else:
            found = [stories.linked_pairs(reader, part, when_path) for part in parts]
        rank = np.empty(n, dtype=np.int64)
        rank[position] = np.arange(n)
        a = rank[np.concatenate([f[0] for f in found])]
        b = rank[np.concatenate([f[1] for f in found])]
        sim = np.concatenate([f[2] for f in found])
        best = np.full(n, -1.0)
        np.maximum.at(best, a, sim)
        np.maximum.at(best, b, sim)
        return a, b, best

    def actors(self) -> None:
        articles = (row_article(r) for r in tables.read_rows(self.ctx.table("articles"), actors.TEXT_COLUMNS))
        order = actors.DateOrder(self.ctx.out)
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
