"""The stories stage (order 20, after copies): put each new article in a story.

State lives in the store (migration 0030): story profiles, key document
frequencies and counters. Each run loads the profiles of the stories still warm
for the new articles, streams the articles (in date order) through a
:class:`StoryAssigner`, and writes stories, memberships, profiles and the done
marks in one transaction. Copies are always in their original's story.

Analysts have the last word: an article they placed (``manual = 1``) stays where
they put it, an article bound for a story they merged goes to the story it was
merged into, and their decisions are re-applied in the same transaction. An
article whose text changed leaves its old story before it is assigned again.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

import numpy as np

from ..config import Settings
from ..model import Article
from ..store import Store, now
from ..workflow.curation import apply_decisions
from .assign import AssignerConfig, Story, StoryAssigner
from .encoder import CachedEncoder, load_encoder
from .features import features


def _vec(v: np.ndarray) -> str:
    return base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode("ascii")


def _unvec(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=np.float32).copy()


def dump_profile(story: Story) -> str:
    return json.dumps({
        "seq": story.seq, "size": story.size, "terms": story.terms, "anchors": story.anchors,
        "embeddings": {k: _vec(v) for k, v in story.embeddings.items()},
        "languages": dict(story.languages), "first_day": story.first_day, "last_day": story.last_day,
        "next_merge_check": story.next_merge_check,
    }, ensure_ascii=False)


def load_profile(story_id: str, text: str) -> Story:
    d = json.loads(text)
    return Story(
        id=story_id, seq=d["seq"], size=d["size"], terms=d["terms"], anchors=d["anchors"],
        embeddings={k: _unvec(v) for k, v in d["embeddings"].items()}, languages=Counter(d["languages"]),
        first_day=d["first_day"], last_day=d["last_day"], next_merge_check=d["next_merge_check"],
    )


class StoriesStage:
    name = "stories"
    order = 20

    def __init__(self, config: AssignerConfig | None = None, encoder_spec: str | None = None):
        self.config = config or AssignerConfig()
        self.encoder_spec = encoder_spec

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        if not articles:
            return {"articles": 0}
        spec = self.encoder_spec if self.encoder_spec is not None else Settings.from_env().encoder
        encoder = load_encoder(spec)
        cached = CachedEncoder(encoder, store) if encoder else None
        feats = [features(a) for a in articles]
        vectors = cached.encode([f.embed_text for f in feats]) if cached else [None] * len(feats)
        assigner, folded = self._load(store, feats)
        previous = _current_stories(store, [a.id for a in articles])
        manual = {a: sid for a, (sid, is_manual) in previous.items() if is_manual}
        # A changed article leaves its old story before it is assigned again.
        emptied = self._withdraw(store, assigner, cached,
                                 {a: sid for a, (sid, is_manual) in previous.items() if not is_manual})
        merged: list[tuple[str, str]] = []
        rows = []
        founded = 0
        for f, vector in zip(feats, vectors):
            # The analyst's placement holds; otherwise a copy follows its original.
            forced = manual.get(f.article_id) or self._copy_story(store, assigner, f.article_id)
            result = assigner.assign(f, vector, story_id=forced)
            founded += result.new
            merged.extend(result.merged)
            rows.append((f, result))
        with store.transaction() as c:
            for f, result in rows:
                if f.article_id in manual:
                    continue
                c.execute(
                    "INSERT OR REPLACE INTO story_articles (article_id, story_id, score, manual) VALUES (?, ?, ?, 0)",
                    (f.article_id, assigner.story_of[f.article_id], result.score),
                )
            for gone, keep in merged + folded:
                c.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ? AND manual = 0", (keep, gone))
                c.execute("UPDATE stories SET status = 'merged', merged_into = ?, updated_at = ? "
                          "WHERE id = ? AND status = 'active'", (keep, now(), gone))
                c.execute("DELETE FROM story_profiles WHERE story_id = ?", (gone,))
            for story in (assigner.stories[sid] for sid in sorted(assigner.changed)):
                c.execute("INSERT OR REPLACE INTO story_profiles (story_id, last_day, profile) VALUES (?, ?, ?)",
                          (story.id, story.last_day, dump_profile(story)))
                refresh_story(store, story.id)
            for sid in emptied - set(assigner.stories):
                c.execute("DELETE FROM story_profiles WHERE story_id = ?", (sid,))
                c.execute("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                          "(SELECT 1 FROM story_articles WHERE story_id = ?)", (sid, sid))
            c.executemany(
                "INSERT INTO story_key_df (key, df) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET df = df + excluded.df",
                list(assigner.df_changes.items()),
            )
            for name, value in (("seen", assigner.seen), ("founded", assigner.founded)):
                c.execute("INSERT OR REPLACE INTO story_state (name, value) VALUES (?, ?)", (name, value))
            # Analysts' merges, splits and renames hold over whatever the assigner did.
            apply_decisions(store, kinds=["stories"])
            store.mark_done(self.name, articles)
        return {"articles": len(articles), "new_stories": founded, "merged": len(merged)}

    def _withdraw(self, store: Store, assigner: StoryAssigner, cached: CachedEncoder | None,
                  leaving: dict[str, str]) -> set[str]:
        """Take articles out of their stories (their text changed) before they are
        assigned again: rebuild those stories' profiles from the members that stay.
        Return the stories left empty (their rows go once nothing points to them)."""
        emptied = set()
        for sid in sorted(set(leaving.values())):
            gone = {a for a, s in leaving.items() if s == sid}
            stay = [r["article_id"] for r in store.query(
                "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (sid,))
                if r["article_id"] not in gone]
            if not stay:
                assigner.drop(sid)
                emptied.add(sid)
                continue
            if sid not in assigner.stories:
                row = store.query("SELECT profile FROM story_profiles WHERE story_id = ?", (sid,))
                if not row:
                    continue
                assigner.add_story(load_profile(sid, row[0]["profile"]))
            member_feats = [features(a) for a in store.iter_articles(stay)]
            member_vectors = (cached.encode([f.embed_text for f in member_feats]) if cached
                              else [None] * len(member_feats))
            assigner.rebuild(sid, member_feats, member_vectors)
        return emptied

    def _load(self, store: Store, feats) -> tuple[StoryAssigner, list[tuple[str, str]]]:
        state = {r["name"]: r["value"] for r in store.query("SELECT name, value FROM story_state")}
        keys = sorted({k for f in feats for k in (set(f.terms) | f.anchors)})
        df: dict[str, int] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            for r in store.query(f"SELECT key, df FROM story_key_df WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                df[r["key"]] = r["df"]
        assigner = StoryAssigner(self.config, df=df, seen=state.get("seen", 0), founded=state.get("founded", 0))
        days = [f.day for f in feats if f.day is not None]
        if days:
            rows = store.query("SELECT story_id, profile FROM story_profiles WHERE last_day IS NULL OR last_day >= ?",
                               (min(days) - self.config.window_days,))
        else:
            rows = store.query("SELECT story_id, profile FROM story_profiles")
        for r in rows:
            assigner.add_story(load_profile(r["story_id"], r["profile"]))
        return assigner, self._fold_merged(store, assigner)

    def _fold_merged(self, store: Store, assigner: StoryAssigner) -> list[tuple[str, str]]:
        """Fold the warm stories an analyst merged into their targets' profiles, so an
        article bound for a merged story goes to the story it was merged into."""
        into = {r["id"]: r["merged_into"] for r in store.query(
            "SELECT id, merged_into FROM stories WHERE status = 'merged' AND merged_into IS NOT NULL")}
        folded = []
        for sid in sorted(set(assigner.stories) & set(into)):
            target, hops = into[sid], 0
            while target in into and hops < len(into):  # merged into a story merged since
                target, hops = into[target], hops + 1
            if target == sid:
                continue
            if target not in assigner.stories:
                row = store.query("SELECT profile FROM story_profiles WHERE story_id = ?", (target,))
                if not row:
                    continue
                assigner.add_story(load_profile(target, row[0]["profile"]))
            assigner.merge(sid, target)
            folded.append((sid, target))
        return folded

    def _copy_story(self, store: Store, assigner: StoryAssigner, article_id: str) -> str | None:
        """The story of an already assigned article of this article's copy group."""
        rows = store.query(
            "SELECT h.article_id FROM copy_groups g JOIN copy_groups h ON h.group_id = g.group_id "
            "WHERE g.article_id = ? AND h.article_id != ?", (article_id, article_id))
        for r in rows:
            sid = assigner.story_of.get(r["article_id"])
            if sid is None:
                row = store.query("SELECT story_id FROM story_articles WHERE article_id = ?", (r["article_id"],))
                sid = row[0]["story_id"] if row else None
            if sid is not None and sid in assigner.stories:
                return sid
        return None


def refresh_story(store: Store, story_id: str) -> None:
    """Rewrite a story's record from its members: title, languages, outlets, dates, count."""
    members = store.query(
        "SELECT a.id, a.title, a.language, a.outlet, a.published FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? ORDER BY COALESCE(a.published, a.ingested_at), a.id",
        (story_id,),
    )
    if not members:
        return
    titles = [m["title"] for m in members if m["title"]]
    title = Counter(titles).most_common(1)[0][0] if titles else None
    dates = [m["published"] for m in members if m["published"]]
    store.conn.execute(
        "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
        "first_seen = excluded.first_seen, last_seen = excluded.last_seen, article_count = excluded.article_count, "
        "languages = excluded.languages, outlets = excluded.outlets, updated_at = excluded.updated_at",
        (story_id, title, min(dates) if dates else None, max(dates) if dates else None, len(members),
         json.dumps(sorted({m["language"] for m in members if m["language"]})),
         json.dumps(sorted({m["outlet"] for m in members if m["outlet"]}), ensure_ascii=False), now()),
    )


def _current_stories(store: Store, article_ids: list[str]) -> dict[str, tuple[str, bool]]:
    """Article id -> (story id, placed by an analyst) for those already in a story."""
    out = {}
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        for r in store.query("SELECT article_id, story_id, manual FROM story_articles "
                             f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
            out[r["article_id"]] = (r["story_id"], bool(r["manual"]))
    return out


STAGE = StoriesStage()
