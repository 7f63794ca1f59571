"""The one entry point for the main job: read, clean, detect language, store, analyse.

Two kinds of work happen here:

* **Steps** (:mod:`storywire.engine`) turn inputs into clean articles one at a
  time; any engine can run them.
* **Analysis stages** need a view of the whole store (copies, stories, actors,
  claims, alerts). Each is an object with ``name``, ``order`` and
  ``update(store, articles) -> dict``, published as ``STAGE`` in a module
  ``storywire/<package>/stage.py``. ``update`` gets the articles the stage has not
  processed yet (new or changed, in date order), writes its results and marks the
  articles done with :meth:`Store.mark_done` in the same transaction, so a killed
  run resumes where it stopped. A stage may also offer ``rebuild(store)`` to
  recompute everything from scratch.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import storywire

from .config import Settings
from .engine import Step, young_collections
from .engine.local import LocalEngine
from .model import Article, Record, Rejected
from .store import Store


class AnalysisStage(Protocol):
    name: str
    order: int

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]: ...


def analysis_stages() -> list[AnalysisStage]:
    """Every ``STAGE`` found in ``storywire.<package>.stage``, by ``order``."""
    found = []
    for info in pkgutil.iter_modules(storywire.__path__):
        if not info.ispkg:
            continue
        modname = f"storywire.{info.name}.stage"
        if importlib.util.find_spec(modname) is None:
            continue
        found.append(importlib.import_module(modname).STAGE)
    return sorted(found, key=lambda s: s.order)


def article_steps(settings: Settings) -> list[Step]:
    """The per-article steps of the main job, in order."""
    from .clean import CleanArticle
    from .lang import DetectLanguage

    return [CleanArticle(settings), DetectLanguage()]


@dataclass
class IngestReport:
    run_id: int
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "duplicate": 0, "failed": 0})
    failures: list[Rejected] = field(default_factory=list)
    analysis: dict[str, dict] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.failures


def ingest(
    sources: Sequence[str],
    store: Store,
    settings: Settings | None = None,
    *,
    engine: LocalEngine | None = None,
    analyse: bool = True,
    on_record: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Read ``sources`` (paths, folders, URLs), store the articles, run the analyses.

    Articles are written in transactions of ``settings.batch_size``; a re-run adds
    nothing twice (an article whose raw text is already stored under its id is not
    cleaned again). Each transaction also updates the per-outlet line table that
    the cleaning step uses to drop an outlet's furniture (clean/outlet_lines.py). Every input that fails is recorded with its reason in the run's
    items and in the report; it never stops the batch. ``on_record(source, status)``
    is called for each input, for progress display.
    """
    from .clean import OutletLines
    from .ingest import read_sources

    settings = settings or Settings.from_env()
    engine = engine or LocalEngine()
    # The per-outlet line table is shared with the cleaning step (see clean/outlet_lines.py).
    outlet_lines = OutletLines.load(store)
    settings = replace(settings, extra={**settings.extra, "outlet_lines": outlet_lines})
    run_id = store.start_run("ingest", {"sources": list(sources)})
    report = IngestReport(run_id)
    batch: list[Article] = []

    def flush() -> None:
        if not batch:
            return
        with store.transaction():
            items = []
            for article in batch:
                status = store.save_article(article)
                report.counts[status] += 1
                items.append((article.source_path or article.url or article.id, status, article.id, None))
                if status == "new":
                    outlet_lines.observe(article.outlet, article.raw_text)
            store.record_items(run_id, items)
            outlet_lines.save(store)
        if on_record:
            for source, status, _, _ in items:
                on_record(source, status)
        batch.clear()

    status = "failed"
    try:
        for record in engine.map(_stored_if_unchanged(read_sources(sources, settings), store), article_steps(settings)):
            if isinstance(record, Rejected):
                report.failures.append(record)
                report.counts["failed"] += 1
                with store.transaction():
                    store.record_items(run_id, [(record.source, "failed", None, f"{record.stage}: {record.reason}")])
                if on_record:
                    on_record(record.source, "failed")
                continue
            batch.append(record)
            if len(batch) >= settings.batch_size:
                flush()
        flush()
        status = "partial" if report.failures else "ok"
    finally:
        store.finish_run(run_id, status, report.counts)
    if analyse:
        report.analysis = run_analysis(store)
    return report


def _stored_if_unchanged(records: Iterable[Record], store: Store) -> Iterator[Record]:
    """Replace an article whose raw text is already stored under its id by the stored,
    already clean copy, so that a re-run neither cleans it again nor sees it changed."""
    for record in records:
        if isinstance(record, Article):
            row = store.conn.execute("SELECT raw_text FROM articles WHERE id = ?", (record.id,)).fetchone()
            if row is not None and row[0] == record.raw_text:
                stored = store.get_article(record.id)
                stored.source_path = record.source_path
                stored.url = stored.url or record.url
                record = stored
        yield record


def run_analysis(
    store: Store, stages: Iterable[AnalysisStage] | None = None, batch_size: int = 500
) -> dict[str, dict]:
    """Bring every analysis stage up to date with the store; return their stats."""
    results: dict[str, dict] = {}
    for stage in stages if stages is not None else analysis_stages():
        totals: dict[str, Any] = {}
        pending = store.pending(stage.name)
        for i in range(0, len(pending), batch_size):
            articles = list(store.iter_articles(pending[i : i + batch_size]))
            with young_collections():
                stats = stage.update(store, articles) or {}
            for key, value in stats.items():
                if isinstance(value, (int, float)):
                    totals[key] = totals.get(key, 0) + value
                else:
                    totals[key] = value
        totals.setdefault("articles", len(pending))
        results[stage.name] = totals
    return results
