"""The batch plan on Spark: the same functions as the local engine, in RDD operations.

Maps run in partitions; the LSH buckets are ``groupByKey`` shuffles; article
texts reach candidate pairs by joins; connected components are found by
min-label propagation (one join per round, rounds = longest chain), or on the
driver when the graph is small enough to collect. The sequential stages
(stories, actors) sort the map's results by date and stream them to the driver.
"""

from __future__ import annotations

from ..engine.spark import SparkEngine
from ..model import Rejected
from . import actors, copies, stories, tables
from .articles import article_row, rejected_row, row_article
from .graph import components
from .local import ANALYSIS_COLUMNS
from .order import date_order
from .plan import BatchContext


# Up to this many edges, components are found on the driver (one collect, then
# union-find) instead of by rounds of joins; both give the same labels.
DRIVER_EDGES = 2_000_000


def label_components(edges, driver_edges: int = DRIVER_EDGES):
    """(node, smallest node of its component) for an RDD of (a, b) edges."""
    if driver_edges and edges.count() <= driver_edges:
        labels = components(edges.collect())
        return edges.context.parallelize(sorted(labels.items()), max(1, edges.getNumPartitions()))
    links = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).distinct().cache()
    labels = links.reduceByKey(min).map(lambda kv: (kv[0], min(kv[0], kv[1]))).cache()
    while True:
        spread = links.join(labels).map(lambda kv: (kv[1][0], kv[1][1]))
        new = labels.union(spread).reduceByKey(min).cache()
        changed = new.join(labels).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            links.unpersist()
            return labels


class SparkBatch:
    def __init__(self, ctx: BatchContext, master: str | None = None, session=None):
        self.ctx = ctx
        self.engine = SparkEngine(master, session=session)
        self.spark = self.engine.session
        # Shuffles get a few partitions per core, not Spark SQL's default of 200.
        self.parts = self.engine.partitions * 2
        self.spark.conf.set("spark.sql.shuffle.partitions", str(self.parts))

    def _write(self, rdd, table: str) -> None:
        df = self.spark.createDataFrame(rdd.map(lambda row: tables.coerce(table, row)), tables.spark_schema(table))
        df.write.mode("overwrite").option("compression", "zstd").parquet(str(self.ctx.table(table)))

    def _read(self, table: str):
        return self.spark.read.parquet(str(self.ctx.table(table)))

    def _analysis_articles(self, columns: list[str] = ANALYSIS_COLUMNS):
        """A DataFrame of (id, doc) where doc holds the columns the analyses read."""
        from pyspark.sql import functions as F

        art = self._read("articles").select(*columns)
        return art.select(F.col("id"), F.struct(*columns).alias("doc"))

    # -- stages ---------------------------------------------------------------

    def articles(self) -> None:
        from pyspark import StorageLevel

        from ..pipeline import article_steps

        ctx, started = self.ctx, self.ctx.started_at
        # Each record becomes its table row at once: (is rejected, row). Rows are
        # cheaper to cache and to read back than Article objects.
        rows = self.engine.read(ctx.inputs, ctx.settings, article_steps(ctx.settings)).map(
            lambda r: (True, rejected_row(r)) if isinstance(r, Rejected) else (False, article_row(r, started))
        ).persist(StorageLevel.MEMORY_AND_DISK)
        self._write(rows.filter(lambda r: r[0]).map(lambda r: r[1]), "rejected")
        # The same id read twice: the first in input order wins, as in the local
        # engine. Only (id, position) pairs are shuffled to find it, not the rows.
        indexed = rows.filter(lambda r: not r[0]).map(lambda r: r[1]).zipWithIndex()
        firsts = self.spark.sparkContext.broadcast(
            indexed.map(lambda ri: (ri[0][0], (ri[1], 1)))
            .reduceByKey(lambda x, y: (min(x[0], y[0]), x[1] + y[1]))
            .filter(lambda kv: kv[1][1] > 1)  # ids read more than once -> the first position
            .map(lambda kv: (kv[0], kv[1][0])).collectAsMap()
        )
        kept = indexed.filter(lambda ri: firsts.value.get(ri[0][0], ri[1]) == ri[1]).map(lambda ri: ri[0])
        self._write(kept, "articles")
        rows.unpersist()
        firsts.unpersist()

    def copy_candidates(self) -> None:
        texts = self._read("articles").select("id", "clean_text").rdd
        pairs = (
            texts.flatMap(lambda r: [(key, r["id"]) for key in copies.band_keys(r["clean_text"] or "")])
            .groupByKey(self.parts)
            .flatMap(lambda kv: copies.bucket_pairs(kv[1]))
            .distinct(self.parts)
        )
        self._write(pairs, "copy_candidates")

    def copy_pairs(self) -> None:
        art = self._analysis_articles(copies.PAIR_COLUMNS)
        cand = self._read("copy_candidates")
        joined = cand.join(art.toDF("a", "doc_a"), "a").join(art.toDF("b", "doc_b"), "b")
        rows = joined.rdd.map(
            lambda r: copies.verify(row_article(r["doc_a"].asDict()), row_article(r["doc_b"].asDict()))
        ).filter(lambda row: row is not None)
        self._write(rows, "copy_pairs")

    def copy_groups(self) -> None:
        linked = self._read("copy_pairs").select("a", "b", "verdict", "source_id").rdd.filter(
            lambda r: r["verdict"] in copies.LINKED
        ).cache()
        labels = label_components(linked.map(lambda r: (r["a"], r["b"])))
        votes = linked.filter(lambda r: r["source_id"]).map(lambda r: (r["source_id"], 1)).reduceByKey(lambda x, y: x + y)
        published = self._read("articles").select("id", "published").rdd.map(lambda r: (r["id"], r["published"]))
        rows = (
            labels.join(published)  # node -> (root, published)
            .leftOuterJoin(votes)  # node -> ((root, published), votes)
            .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1] or 0)))
            .groupByKey(self.parts)
            .flatMap(lambda kv: copies.group_rows(list(kv[1])))
        )
        self._write(rows, "copy_groups")
        linked.unpersist()

    def stories(self) -> None:
        from pyspark import StorageLevel

        spec = self.ctx.settings.encoder
        # Kept, so that sorting (which samples the keys first) runs the map once.
        mapped = (
            self._analysis_articles().rdd.map(lambda r: row_article(r["doc"].asDict()))
            .mapPartitions(lambda part: stories.story_features(part, spec))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        found = mapped.sortBy(lambda af: date_order(af[0]), numPartitions=self.parts)
        # Assignment is sequential: the driver runs the stories stage over the
        # stream, and writes its tables as it reads them from the scratch database.
        assignment = stories.Assignment(self.ctx.out, self._read("copy_groups").rdd.map(lambda r: r.asDict())
                                        .toLocalIterator(), self.ctx.settings)
        try:
            stories.assign_in_batches(assignment, found.toLocalIterator())
            for table, rows in (("story_articles", assignment.story_articles()),
                                ("stories", assignment.stories(self.ctx.started_at))):
                writer = tables.TableWriter(self.ctx.table(table), table)
                writer.write_all(rows)
                writer.close()
        finally:
            assignment.close()
            mapped.unpersist()

    def actors(self) -> None:
        from pyspark import StorageLevel

        settings = self.ctx.settings
        mapped = (  # kept: see stories
            self._read("articles").select(*actors.TEXT_COLUMNS).rdd.map(lambda r: row_article(r.asDict()))
            .mapPartitions(lambda part: actors.find_mentions(part, settings))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        found = mapped.sortBy(lambda am: date_order(am[0]), numPartitions=self.parts)
        # Resolution is sequential: the driver runs the actors stage over the
        # stream, and writes its tables as it reads them from the scratch database.
        resolution = actors.Resolution(self.ctx.out, actors.read_links(self.ctx.table("story_articles")))
        try:
            actors.resolve_in_batches(resolution, found.toLocalIterator())
            for table, rows in (("mentions", resolution.mentions()), ("actors", resolution.actors())):
                writer = tables.TableWriter(self.ctx.table(table), table)
                writer.write_all(rows)
                writer.close()
        finally:
            resolution.close()
            mapped.unpersist()

    def claims(self) -> None:
        from pyspark import StorageLevel

        sc = self.spark.sparkContext
        names = sc.broadcast(self._read("actors").select("id", "name").rdd.map(lambda r: (r["id"], r["name"])).collectAsMap())
        mentions = self._read("mentions").rdd.map(lambda r: (r["article_id"], r.asDict())).groupByKey(self.parts)
        found = (
            self._analysis_articles().rdd.map(lambda r: (r["id"], r["doc"]))
            .leftOuterJoin(mentions)
            .map(lambda kv: actors.claims(row_article(kv[1][0].asDict()), actors.people(kv[1][1] or [], names.value)))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        self._write(found.flatMap(lambda qf: qf[1]), "figures")
        links = self._read("story_articles").rdd.map(lambda r: (r["article_id"], r["story_id"]))
        quotes = (
            found.flatMap(lambda qf: qf[0]).map(lambda q: (q[1], q))
            .leftOuterJoin(links)  # article -> (quote, story)
            .map(lambda kv: (kv[1][1] or kv[0], kv[1][0]))
            .groupByKey(self.parts)
            .flatMap(lambda kv: actors.statement_rows(list(kv[1])))
        )
        self._write(quotes, "quotes")
        found.unpersist()
        names.unpersist()
