"""The ``workflow`` analysis stage: alerts for followed items, story summaries.

It runs last (order 90), after copies, stories, actors and claims have processed
the same articles, so story membership, quotes and figures are in place.
"""

from __future__ import annotations

from typing import Any

from ..model import Article
from ..store import Store
from . import alerts
from .curation import apply_decisions
from .summary import refresh_summaries


class WorkflowStage:
    name = "workflow"
    order = 90

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        with store.transaction():
            # Analyst decisions first (the earlier stages apply theirs too), so that
            # alerts and summaries see the curated stories and actors.
            apply_decisions(store)
            added = alerts.record(store, alerts.detect(store, articles))
            stories = set(alerts.stories_of(store, [a.id for a in articles]).values())
            refresh_summaries(store, stories)
            store.mark_done(self.name, articles)
        stats: dict[str, Any] = {"alerts": added, "summaries": len(stories)}
        if added:
            stats.update(alerts.deliver_webhooks(store))
        return stats

    def rebuild(self, store: Store) -> dict[str, Any]:
        """Recompute every story summary (alerts already recorded are kept)."""
        with store.transaction():
            ids = {r[0] for r in store.query("SELECT id FROM stories WHERE status = 'active'")}
            return {"summaries": refresh_summaries(store, ids)}


STAGE = WorkflowStage()
