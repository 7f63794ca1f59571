"""Alerts: what the followed items did in newly analysed articles.

:func:`detect` is called by the ``workflow`` stage with the new articles, after
copies, stories, actors and claims have processed them. Each alert carries a
``dedup_key`` so that re-running the stage never records the same alert twice.
Webhooks are posted after the stage's transaction, with a short timeout, and an
alert whose webhook failed is retried on the next run.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import Article
from ..store import Store, now
from ..text import sentence_spans, shingles
from .follows import active_follows, current_story

log = logging.getLogger(__name__)

# A cheap first filter: share of the passage's word 3-grams the article must hold
# before the passage is aligned with it word by word.
PREFILTER_GRAM, PREFILTER_SHARE = 3, 0.3
# Share of the passage's words an article must carry to count as a copy of it.
PASSAGE_MIN_SHARE = 0.6
WEBHOOK_TIMEOUT = 3.0
WEBHOOK_BATCH = 50
WEBHOOK_ATTEMPTS = 5  # deliveries tried per alert before it is left undelivered


@dataclass
class Alert:
    follow_id: int
    kind: str  # new_article | passage_copy | quote | figure_changed
    article_id: str | None
    message: str
    detail: str = ""  # what makes this alert distinct within (follow, kind, article)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def dedup_key(self) -> str:
        return f"{self.follow_id}|{self.kind}|{self.article_id}|{self.detail}"


@dataclass(frozen=True)
class PassageMatch:
    share: float  # share of the passage's words found in the text
    start: int  # char span of the copy in the text
    end: int
    edits: list[dict[str, str]]  # what the copy changed: [{"op", "a" (passage), "b" (copy)}]


def match_passage(passage: str, text: str) -> PassageMatch | None:
    """Where ``text`` carries ``passage`` (possibly edited), or None.

    Candidates pass a shingle filter; the passage is then aligned with the text by
    the copies stage's word alignment (:func:`storywire.copies.align.align`),
    which gives the share of its words carried, where, and the edits.
    """
    from ..copies.align import align

    wanted = shingles(passage, PREFILTER_GRAM)
    if not wanted or len(wanted & shingles(text, PREFILTER_GRAM)) < PREFILTER_SHARE * len(wanted):
        return None
    al = align(passage, text)
    share = al.shared_a / max(1, al.words_a)
    if share < PASSAGE_MIN_SHARE or not al.passages:
        return None
    # The copy is the shared passages around the longest one, with the words it
    # replaced; stray short matches far from it (common phrases elsewhere in the
    # article) are left out.
    longest = max(al.passages, key=lambda p: p.words)
    reach = 2 * len(passage)
    edits = [e for e in al.edits if e.kind != "boilerplate" and e.op != "move"]
    changed = [e for e in edits if e.op == "replace"]
    spans = [(x.b_start, x.b_end) for x in [*al.passages, *changed]
             if longest.b_start - reach <= x.b_start and x.b_end <= longest.b_end + reach]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    inside = [{"op": e.op, "a": e.a, "b": e.b} for e in edits if start <= e.b_start and e.b_end <= end]
    return PassageMatch(round(share, 3), start, end, inside)


def detect(store: Store, articles: list[Article]) -> list[Alert]:
    """Every alert that ``articles`` (just analysed) raise for the active follows."""
    if not articles:
        return []
    alerts: list[Alert] = []
    alerts += _story_alerts(store, articles)
    alerts += _outlet_alerts(store, articles)
    alerts += _passage_alerts(store, articles)
    alerts += _actor_alerts(store, articles)
    return alerts


def record(store: Store, alerts: Iterable[Alert]) -> int:
    """Insert alerts not recorded yet; call inside a transaction. Returns how many are new."""
    stamp, added = now(), 0
    for a in alerts:
        cur = store.conn.execute(
            "INSERT OR IGNORE INTO alerts (follow_id, kind, article_id, message, data, created_at, dedup_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (a.follow_id, a.kind, a.article_id, a.message, json.dumps(a.data, ensure_ascii=False), stamp,
             a.dedup_key),
        )
        added += cur.rowcount
    return added


_SELECT_ALERTS = (
    "SELECT al.id, al.follow_id, f.kind AS follow_kind, f.label AS follow_label, al.kind, al.article_id, "
    "a.title AS article_title, a.outlet, a.url, a.published, al.message, al.data, al.created_at, al.seen "
    "FROM alerts al JOIN follows f ON f.id = al.follow_id LEFT JOIN articles a ON a.id = al.article_id "
)


def list_alerts(
    store: Store, *, follow_id: int | None = None, unseen: bool = False, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Alerts newest first, with their follow's kind and label and the article's metadata."""
    where, params = [], []
    if follow_id is not None:
        where.append("al.follow_id = ?")
        params.append(follow_id)
    if unseen:
        where.append("al.seen = 0")
    rows = store.query(
        _SELECT_ALERTS + f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY al.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_alert_dict(r) for r in rows]


def mark_seen(store: Store, alert_ids: Iterable[int] | None = None) -> int:
    """Mark the given alerts (all when None) as seen; return how many changed."""
    with store.transaction() as c:
        if alert_ids is None:
            return c.execute("UPDATE alerts SET seen = 1 WHERE seen = 0").rowcount
        return sum(c.execute("UPDATE alerts SET seen = 1 WHERE id = ? AND seen = 0", (i,)).rowcount
                   for i in alert_ids)


def deliver_webhooks(store: Store, timeout: float = WEBHOOK_TIMEOUT, limit: int = WEBHOOK_BATCH) -> dict[str, int]:
    """POST undelivered alerts to their follow's webhook, in parallel, within ``timeout`` overall.

    Never raises: a failed or slow delivery is tried again on the next runs, up to
    ``WEBHOOK_ATTEMPTS`` times.
    """
    import httpx

    rows = store.query(
        "SELECT al.id, f.webhook FROM alerts al JOIN follows f ON f.id = al.follow_id "
        "WHERE f.webhook IS NOT NULL AND f.active = 1 AND al.delivered_at IS NULL AND al.attempts < ? "
        "ORDER BY al.id LIMIT ?",
        (WEBHOOK_ATTEMPTS, limit),
    )
    if not rows:
        return {"delivered": 0, "failed": 0}
    bodies = {a["id"]: a for a in _alerts_by_id(store, [r["id"] for r in rows])}
    payloads = [(r["id"], r["webhook"], bodies[r["id"]]) for r in rows]

    def post(item: tuple[int, str, dict]) -> int | None:
        alert_id, url, body = item
        try:
            resp = httpx.post(url, json=body, timeout=timeout, follow_redirects=False)
            return alert_id if resp.status_code < 300 else None
        except httpx.HTTPError as exc:
            log.warning("webhook %s failed for alert %s: %s", url, alert_id, exc)
            return None

    pool = ThreadPoolExecutor(max_workers=4)
    futures = [pool.submit(post, item) for item in payloads]
    done, _ = wait(futures, timeout=timeout + 1)
    pool.shutdown(wait=False, cancel_futures=True)
    delivered = [f.result() for f in done if f.result() is not None]
    with store.transaction() as c:
        c.executemany("UPDATE alerts SET attempts = attempts + 1 WHERE id = ?", [(p[0],) for p in payloads])
        c.executemany("UPDATE alerts SET delivered_at = ? WHERE id = ?", [(now(), i) for i in delivered])
    return {"delivered": len(delivered), "failed": len(payloads) - len(delivered)}


def _alerts_by_id(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    rows = store.query(_SELECT_ALERTS + f"WHERE al.id IN ({','.join('?' * len(ids))}) ORDER BY al.id", ids)
    return [_alert_dict(r) for r in rows]


def _alert_dict(row: sqlite3.Row) -> dict[str, Any]:
    out = {k: row[k] for k in row.keys()}
    out["data"] = json.loads(out["data"] or "{}")
    out["seen"] = bool(out["seen"])
    return out


# -- detection, one function per kind of follow -----------------------------------


def _describe(article: Article) -> str:
    return f"“{article.title or article.id}”" + (f" ({article.outlet})" if article.outlet else "")


def stories_of(store: Store, ids: list[str]) -> dict[str, str]:
    """Story id of each of the given articles that has one."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})", chunk):
            out[row[0]] = row[1]
    return out


def _story_alerts(store: Store, articles: list[Article]) -> list[Alert]:
    follows = active_follows(store, "story")
    if not follows:
        return []
    story_of = stories_of(store, [a.id for a in articles])
    alerts = []
    for f in follows:
        story = current_story(store, f["target"])
        for article in articles:
            if story_of.get(article.id) != story:
                continue
            alerts.append(Alert(f["id"], "new_article", article.id,
                                f"New article in {f['label']}: {_describe(article)}",
                                f"v{article.version}", {"story_id": story}))
            alerts += _figure_alerts(store, f["id"], f["label"], story, article)
    return alerts


def _figure_alerts(store: Store, follow_id: int, label: str, story: str, article: Article) -> list[Alert]:
    """A figure of ``article`` whose value no other article of the story reported."""
    alerts = []
    for fig in store.query(
        "SELECT what, value, raw, start FROM figures WHERE article_id = ? AND value IS NOT NULL ORDER BY start",
        (article.id,),
    ):
        before = sorted({r[0] for r in store.query(
            "SELECT f.value FROM figures f JOIN story_articles sa ON sa.article_id = f.article_id "
            "WHERE sa.story_id = ? AND f.article_id != ? AND f.what = ? AND f.value IS NOT NULL",
            (story, article.id, fig["what"]),
        )})
        if before and fig["value"] not in before:
            alerts.append(Alert(
                follow_id, "figure_changed", article.id,
                f"Figure changed in {label}: {fig['what']} {fig['raw']!r} in {_describe(article)}, "
                f"before: {', '.join(f'{v:g}' for v in before)}",
                f"{fig['what']}@{fig['start']}",
                {"story_id": story, "what": fig["what"], "value": fig["value"], "raw": fig["raw"], "before": before},
            ))
    return alerts


def _outlet_alerts(store: Store, articles: list[Article]) -> list[Alert]:
    alerts = []
    for f in active_follows(store, "outlet"):
        outlet = f["target"].casefold()
        for article in articles:
            if article.outlet and article.outlet.casefold() == outlet:
                alerts.append(Alert(f["id"], "new_article", article.id,
                                    f"New article from {f['target']}: {_describe(article)}",
                                    f"v{article.version}", {"outlet": article.outlet}))
    return alerts


def _passage_alerts(store: Store, articles: list[Article]) -> list[Alert]:
    alerts = []
    for f in active_follows(store, "passage"):
        for article in articles:
            if article.id == f["article_id"]:
                continue
            match = match_passage(f["target"], article.text)
            if match is None:
                continue
            excerpt = _sentences_around(article.text, match.start, match.end)
            alerts.append(Alert(
                f["id"], "passage_copy", article.id,
                f"Copy of followed {f['label']} in {_describe(article)} ({match.share:.0%} of it)",
                f"v{article.version}",
                {"share": match.share, "start": match.start, "end": match.end, "excerpt": excerpt,
                 "edits": match.edits},
            ))
    return alerts


def _sentences_around(text: str, start: int, end: int) -> str:
    """The whole sentences that the span [start, end) touches."""
    spans = [(s, e) for s, e in sentence_spans(text) if s < end and e > start]
    return text[spans[0][0] : spans[-1][1]] if spans else text[start:end]


def _actor_alerts(store: Store, articles: list[Article]) -> list[Alert]:
    follows = active_follows(store, "actor")
    if not follows:
        return []
    by_id = {a.id: a for a in articles}
    alerts = []
    for f in follows:
        for i in range(0, len(articles), 500):
            chunk = [a.id for a in articles[i : i + 500]]
            marks = ",".join("?" * len(chunk))
            for q in store.query(
                f"SELECT article_id, speaker, text, kind, start FROM quotes WHERE actor_id = ? "
                f"AND article_id IN ({marks}) ORDER BY article_id, start",
                [f["target"], *chunk],
            ):
                article = by_id[q["article_id"]]
                alerts.append(Alert(
                    f["id"], "quote", article.id,
                    f"{q['speaker'] or f['label']} quoted in {_describe(article)}: “{q['text']}”",
                    f"{q['start']}",
                    {"speaker": q["speaker"], "text": q["text"], "kind": q["kind"], "start": q["start"]},
                ))
    return alerts
