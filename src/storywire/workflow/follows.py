"""Followed items: a story, an actor, an outlet or a passage of text.

A follow is a row in ``follows``; the ``workflow`` stage records an alert each
time a followed item moves (see :mod:`.alerts`).
"""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from ..errors import NotFound, StorywireError
from ..store import Store, now
from ..text import words

KINDS = ("story", "actor", "outlet", "passage")
# A passage shorter than this many words would match too much to mean anything.
MIN_PASSAGE_WORDS = 6


class FollowError(StorywireError):
    """A follow that cannot be made as asked."""


def follow(
    store: Store,
    kind: str,
    target: str,
    *,
    label: str | None = None,
    webhook: str | None = None,
    article_id: str | None = None,
) -> int:
    """Follow ``target`` (a story id, actor id, outlet name or passage); return the follow id.

    Following the same thing twice returns the existing follow. ``article_id`` is
    the article a passage was taken from; it never alerts for its own passage.
    """
    if kind not in KINDS:
        raise FollowError(f"cannot follow a {kind!r}", hint=f"follow one of: {', '.join(KINDS)}")
    target = target.strip()
    if not target:
        raise FollowError(f"empty {kind} to follow", hint="give the story id, actor id, outlet or passage text")
    if kind == "passage" and len(words(target)) < MIN_PASSAGE_WORDS:
        raise FollowError(
            f"a passage needs at least {MIN_PASSAGE_WORDS} words",
            hint="quote a whole sentence or more, so that only real copies of it match",
        )
    if webhook is not None:
        parts = urlsplit(webhook)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FollowError(f"webhook {webhook!r} is not an http(s) URL", hint="pass --webhook https://host/path")
    _check_exists(store, kind, target)
    existing = store.conn.execute(
        "SELECT id FROM follows WHERE kind = ? AND target = ? AND active = 1", (kind, target)
    ).fetchone()
    if existing:
        return int(existing[0])
    with store.transaction() as c:
        try:
            cur = c.execute(
                "INSERT INTO follows (kind, target, label, webhook, article_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, target, label or _default_label(store, kind, target), webhook, article_id, now()),
            )
        except sqlite3.IntegrityError as exc:  # a concurrent follow of the same thing
            raise FollowError(f"already following {kind} {target!r}", hint="list follows with `storywire follows`") from exc
        return int(cur.lastrowid)


def unfollow(store: Store, follow_id: int) -> None:
    get_follow(store, follow_id)
    with store.transaction() as c:
        c.execute("UPDATE follows SET active = 0 WHERE id = ?", (follow_id,))


def get_follow(store: Store, follow_id: int) -> sqlite3.Row:
    row = store.conn.execute("SELECT * FROM follows WHERE id = ?", (follow_id,)).fetchone()
    if row is None:
        raise NotFound(f"no follow with id {follow_id}", hint="list follows with `storywire follows`")
    return row


def list_follows(store: Store, *, active_only: bool = True) -> list[sqlite3.Row]:
    return store.query(
        "SELECT f.*, (SELECT count(*) FROM alerts a WHERE a.follow_id = f.id) AS alerts, "
        "(SELECT count(*) FROM alerts a WHERE a.follow_id = f.id AND a.seen = 0) AS unseen "
        f"FROM follows f {'WHERE f.active = 1' if active_only else ''} ORDER BY f.id"
    )


def active_follows(store: Store, kind: str) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM follows WHERE kind = ? AND active = 1 ORDER BY id", (kind,))


def current_story(store: Store, story_id: str) -> str:
    """The story a story id now lives in, following merges (``merged_into``)."""
    seen = {story_id}
    while True:
        row = store.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None or not row[0] or row[0] in seen:
            return story_id
        story_id = row[0]
        seen.add(story_id)


def _check_exists(store: Store, kind: str, target: str) -> None:
    table = {"story": "stories", "actor": "actors"}.get(kind)
    if table and store.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (target,)).fetchone() is None:
        raise NotFound(f"no {kind} with id {target!r}", hint=f"list ids with `storywire {table}`")


def _default_label(store: Store, kind: str, target: str) -> str:
    if kind == "story":
        row = store.conn.execute("SELECT title FROM stories WHERE id = ?", (target,)).fetchone()
        return f"story: {row[0] or target}"
    if kind == "actor":
        row = store.conn.execute("SELECT name FROM actors WHERE id = ?", (target,)).fetchone()
        return f"actor: {row[0]}"
    if kind == "passage":
        short = " ".join(target.split())
        return f"passage: “{short[:60]}{'…' if len(short) > 60 else ''}”"
    return f"outlet: {target}"
