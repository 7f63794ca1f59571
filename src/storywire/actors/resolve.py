"""Mentions to actors: first inside one article, then against the store.

Inside an article (:func:`group_mentions`), full names that share a given name
and a surname (up to spelling) are one person; a lone surname ("Shoygu") joins
the full name whose surname it matches; a lone word that is only someone's
first name joins nobody. An organisation or place tag on a word that is a
person's surname in the same article is taken as that person (NER slips).

Against the store (:class:`Resolver`), a full name joins the actor that has one
of its keys in ``actor_keys``; a lone surname joins a person of the same story
with that surname, else the only person known with it, else an actor of its
own, which a full name later seen in the same story absorbs. Analyst
``actor_merge`` decisions redirect one actor to another.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .names import PersonName, close_keys, given_key, org_key
from .ner import Mention


@dataclass
class Group:
    """The mentions of one actor inside one article."""

    kind: str
    mentions: list[Mention] = field(default_factory=list)
    name: PersonName | None = None  # the fullest person name seen
    key: str = ""
    weak: bool = False  # only guesses: kept if the story or store knows the person

    def surname_keys(self) -> set[str]:
        return self.name.surname_keys() if self.name else set()


def _compatible(a: PersonName, b: PersonName) -> bool:
    """Full names of one person: same given name, surnames alike, no clashing middle names."""
    if a.given_key != b.given_key:
        return False
    if not any(close_keys(x, y) for x in a.surname_keys() for y in b.surname_keys()):
        return False
    if a.middle and b.middle:
        ma, mb = {PersonName.parse(m).surname_key for m in a.middle}, {PersonName.parse(m).surname_key for m in b.middle}
        return ma <= mb or mb <= ma
    return True


def _fuller(a: PersonName, b: PersonName) -> PersonName:
    return b if len(b.middle) > len(a.middle) else a


def group_mentions(mentions: list[Mention]) -> tuple[list[Group], list[Mention]]:
    """Group one article's mentions by actor; also return the mentions left unresolved."""
    groups: list[Group] = []
    unresolved: list[Mention] = []
    people = [(m, PersonName.parse(m.text)) for m in mentions if m.kind == "person"]
    # Full names first, so that a surname used before the full name still joins it.
    for m, name in people:
        if not name.is_full:
            continue
        for g in groups:
            if _compatible(g.name, name):
                g.mentions.append(m)
                g.name = _fuller(g.name, name)
                break
        else:
            groups.append(Group("person", [m], name))
    full_groups = list(groups)
    given_keys = {g.name.given_key for g in full_groups}
    lone_groups: dict[str, Group] = {}
    for m in mentions:
        name = PersonName.parse(m.text)
        if m.kind == "person" and name.is_full:
            continue
        if m.kind != "person" and len(m.text.split()) > 1:
            continue
        key = name.surname_key
        matches = [g for g in full_groups if any(close_keys(key, s) for s in g.surname_keys())]
        if matches:
            # The person named most recently before this mention, else the first one.
            before = [g for g in matches if any(x.start < m.start for x in g.mentions)]
            best = max(before, key=lambda g: max(x.start for x in g.mentions if x.start < m.start)) if before else matches[0]
            best.mentions.append(m)
        elif m.kind != "person":
            continue
        elif given_key(name.surname) in given_keys:
            unresolved.append(m)  # someone's first name alone: ambiguous
        else:
            group = lone_groups.setdefault(key, Group("person", [], name, weak=True))
            group.mentions.append(m)
            group.weak = group.weak and m.weak
    groups.extend(lone_groups.values())
    others: dict[tuple[str, str], Group] = {}
    taken = {id(m) for g in groups for m in g.mentions}
    for m in mentions:
        if m.kind == "person" or id(m) in taken:
            continue
        key = org_key(m.text)
        if key:
            others.setdefault((m.kind, key), Group(m.kind, [], None, key)).mentions.append(m)
    groups.extend(others.values())
    for g in groups:
        if g.name is not None:
            g.key = g.name.key
        g.mentions.sort(key=lambda x: x.start)
    return groups, unresolved


_ID_PREFIX = {"person": "p", "org": "o", "place": "l"}


def actor_id(kind: str, key: str, taken) -> str:
    """A stable id from kind and key; a counter is added if another actor has it."""
    base = _ID_PREFIX[kind] + "-" + hashlib.sha1(f"{kind}|{key}".encode("utf-8")).hexdigest()[:10]
    n, candidate = 1, base
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class Resolver:
    """Resolves article groups to actors in the store; call inside a transaction.

    It keeps what it reads of actors in memory for its own lifetime (one batch,
    one transaction), updating it with its own writes: the rows of actors and
    their keys, and the people of the story of the article being resolved.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.redirect = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT subject, object FROM decisions WHERE kind = 'actor_merge' AND active = 1 "
                "AND object IS NOT NULL ORDER BY id"
            )
        }
        self.touched: set[str] = set()
        self._actors: dict[str, tuple[str, str, str]] = {}  # id -> (kind, name, key)
        self._keys: dict[tuple[str, str], set[str]] = {}  # (actor, part) -> keys
        self._people: tuple[tuple[str | None, str], Counter] | None = None  # ((story, article), people)
        # story -> (people indexed, one-deletion variant of a surname key -> people)
        self._surnames: dict[str, tuple[set[str], dict[str, set[str]]]] = {}

    # -- lookups ----------------------------------------------------------------

    def _follow(self, actor: str) -> str:
        seen = set()
        while actor in self.redirect and actor not in seen:
            seen.add(actor)
            actor = self.redirect[actor]
        return actor

    def _actor(self, actor: str) -> tuple[str, str, str] | None:
        """(kind, name, key) of an actor, or None if there is none with this id."""
        if actor not in self._actors:
            row = self.conn.execute("SELECT kind, name, key FROM actors WHERE id = ?", (actor,)).fetchone()
            if row is None:
                return None
            self._actors[actor] = tuple(row)
        return self._actors[actor]

    def _exists(self, actor: str) -> bool:
        return self._actor(actor) is not None

    def _by_key(self, keys: set[str], part: str, kind: str = "person", fits=None) -> list[str]:
        """Actors found by any of ``keys`` (those passing ``fits``), after analysts' merges."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            f"SELECT DISTINCT k.actor_id FROM actor_keys k LEFT JOIN actors a ON a.id = k.actor_id "
            f"WHERE k.key IN ({marks}) AND k.part = ? AND COALESCE(a.kind, ?) = ? ORDER BY k.actor_id",
            [*sorted(keys), part, kind, kind],
        ).fetchall()
        found = [r[0] for r in rows if fits is None or fits(r[0])]
        return [a for a in dict.fromkeys(self._follow(a) for a in found) if self._exists(a)]

    def _story_people(self, story: str | None, exclude_article: str) -> Counter:
        """Mention counts of the people of ``story`` outside ``exclude_article``
        (shared with the resolver's cache: read, do not change)."""
        if story is None:
            return Counter()
        if self._people is not None and self._people[0] == (story, exclude_article):
            return self._people[1]
        rows = self.conn.execute(
            "SELECT m.actor_id, count(*) FROM mentions m JOIN story_articles sa ON sa.article_id = m.article_id "
            "JOIN actors a ON a.id = m.actor_id WHERE sa.story_id = ? AND a.kind = 'person' "
            "AND m.article_id != ? GROUP BY m.actor_id",
            (story, exclude_article),
        ).fetchall()
        people = Counter({self._follow(r[0]): r[1] for r in rows})
        self._people = ((story, exclude_article), people)
        indexed, index = self._surnames.setdefault(story, (set(), {}))
        for actor in people.keys() - indexed:
            indexed.add(actor)
            for k in self._keys_of(actor, "surname"):
                for variant in _variants(k):
                    index.setdefault(variant, set()).add(actor)
        return people

    def _surname_candidates(self, story: str | None, in_story: Counter, keys) -> set[str]:
        """The people of ``in_story`` with a surname key that may be ``close_keys``
        to one of ``keys``: those sharing a :func:`_variants` form with it. The
        story's index grows with its people, instead of each key being compared
        with every person of a large story."""
        if story is None:
            return set()
        index = self._surnames[story][1]
        return {a for key in keys for v in _variants(key) for a in index.get(v, ()) if a in in_story}

    def _keys_of(self, actor: str, part: str) -> set[str]:
        if (actor, part) not in self._keys:
            rows = self.conn.execute("SELECT key FROM actor_keys WHERE actor_id = ? AND part = ?", (actor, part))
            self._keys[actor, part] = {r[0] for r in rows}
        return self._keys[actor, part]

    def _mention_count(self, actor: str) -> int:
        return self.conn.execute("SELECT coalesce(sum(n), 0) FROM actor_texts WHERE actor_id = ?", (actor,)).fetchone()[0]

    # -- writes -------------------------------------------------------------------

    def _create(self, kind: str, key: str, name: str) -> str:
        new = actor_id(kind, key, self._exists)
        self.conn.execute("INSERT INTO actors (id, name, kind, key) VALUES (?, ?, ?, ?)", (new, name, kind, key))
        self._actors[new] = (kind, name, key)
        return new

    def _register(self, actor: str, group: Group) -> None:
        rows = []
        if group.name is not None:
            rows += [(k, actor, "full") for k in group.name.full_keys()]
            surnames = group.surname_keys()
            known = self._keys_of(actor, "surname")
            if not group.name.is_full and known:
                # A lone surname that joined someone by a near spelling teaches its
                # spelling only if it is near that person's own surname: otherwise
                # one-letter steps chain ("Kalish", "Kilish", "Kilash", "Kolash"...).
                own = self._actor(actor)[2].rsplit(" ", 1)[-1]
                surnames = {k for k in surnames if k in known or close_keys(k, own)}
            rows += [(k, actor, "surname") for k in surnames]
            if self._is_surname_only(actor):
                rows += [(k, actor, "lone") for k in surnames]
        else:
            rows.append((group.key, actor, "name"))
        self.conn.executemany("INSERT OR IGNORE INTO actor_keys (key, actor_id, part) VALUES (?, ?, ?)", rows)
        for key, _, part in rows:
            if (actor, part) in self._keys and key not in self._keys[actor, part]:
                self._keys[actor, part].add(key)
                if part == "surname":  # stories that index this actor learn the new key
                    for indexed, index in self._surnames.values():
                        if actor in indexed:
                            for variant in _variants(key):
                                index.setdefault(variant, set()).add(actor)

    # -- resolution ---------------------------------------------------------------

    def resolve(self, group: Group, article_id: str, story: str | None) -> str | None:
        """The group's actor id; ``None`` for a weak group nothing known supports."""
        if group.kind != "person":
            found = self._by_key({group.key}, "name", group.kind)
            actor = found[0] if found else self._create(group.kind, group.key, group.mentions[0].text)
        elif group.name.is_full:
            actor = self._resolve_full(group, article_id, story)
        else:
            actor = self._resolve_surname(group, article_id, story)
            if actor is None:
                return None
        self._register(actor, group)
        self.touched.add(actor)
        return actor

    def _resolve_full(self, group: Group, article_id: str, story: str | None) -> str:
        candidates = self._by_key(group.name.full_keys(), "full", fits=lambda a: self._name_fits(a, group.name))
        in_story = self._story_people(story, article_id)
        if len(candidates) == 1:
            actor = candidates[0]
        elif candidates:
            actor = max(candidates, key=lambda a: (in_story[a], self._mention_count(a), a))
        else:
            actor = self._create("person", group.key, group.mentions[0].text)
        self._absorb_surnames(actor, group, story, in_story)
        return actor

    def _name_fits(self, actor: str, name: PersonName) -> bool:
        row = self._actor(actor)
        other = PersonName.parse(row[1]) if row else None
        return other is None or not other.is_full or _compatible(other, name)

    def _absorb_surnames(self, actor: str, group: Group, story: str | None, in_story: Counter) -> None:
        """Move this story's mentions of a surname-only actor ("Shoygu") to the full name."""
        surnames = group.surname_keys()
        for other in sorted(self._surname_candidates(story, in_story, surnames)):
            if other == actor or not self._is_surname_only(other):
                continue
            key = self._actor(other)[2]
            if any(close_keys(key, s) for s in surnames):
                self.conn.execute(
                    "UPDATE mentions SET actor_id = ? WHERE actor_id = ? AND article_id IN "
                    "(SELECT article_id FROM story_articles WHERE story_id = ?)",
                    (actor, other, story),
                )
                self.touched.add(other)
                self._people = None  # the story's people changed

    def _is_surname_only(self, actor: str) -> bool:
        """A person first seen as a lone surname: its key has no given name."""
        row = self._actor(actor)
        return row is not None and row[0] == "person" and " " not in row[2]

    def _by_surname(self, key: str) -> tuple[list[str], str | None]:
        """Up to two people with a full name and surname ``key``, and the first
        surname-only person with it. Common surnames are shared by thousands of
        people in a large store: SQLite stops at the first few."""
        if self.redirect:  # analysts' merges: follow each, in Python
            known = self._by_key({key}, "surname")
            alone = [a for a in known if self._is_surname_only(a)]
            return [a for a in known if a not in alone][:2], (alone[0] if alone else None)
        query = (
            "SELECT k.actor_id FROM actor_keys k JOIN actors a ON a.id = k.actor_id "
            "WHERE k.key = ? AND k.part = ? AND a.kind = 'person' AND (instr(a.key, ' ') > 0) = ? "
            "ORDER BY k.actor_id LIMIT ?"
        )
        full = [r[0] for r in self.conn.execute(query, (key, "surname", True, 2))]
        alone = self.conn.execute(query, (key, "lone", False, 1)).fetchone()
        return full, (alone[0] if alone else None)

    def _resolve_surname(self, group: Group, article_id: str, story: str | None) -> str | None:
        key = group.name.surname_key
        in_story = self._story_people(story, article_id)
        fits = [a for a in self._surname_candidates(story, in_story, {key})
                if any(close_keys(key, s) for s in self._keys_of(a, "surname"))]
        if fits:
            return max(fits, key=lambda a: (not self._is_surname_only(a), in_story[a], a))
        full, alone = self._by_surname(key)
        if len(full) == 1:
            return full[0]
        if alone:
            return alone
        return None if group.weak else self._create("person", key, group.mentions[0].text)

    # -- after a batch --------------------------------------------------------------

    def finish(self) -> None:
        """Rename touched actors after their most used full variant; drop empty ones."""
        for actor in sorted(self.touched):
            rows = self.conn.execute("SELECT text, n FROM actor_texts WHERE actor_id = ?", (actor,)).fetchall()
            if not rows:
                self.conn.execute("DELETE FROM actor_keys WHERE actor_id = ?", (actor,))
                self.conn.execute("DELETE FROM actors WHERE id = ?", (actor,))
                continue
            kind = self.conn.execute("SELECT kind FROM actors WHERE id = ?", (actor,)).fetchone()[0]

            def rank(row):
                full = kind == "person" and PersonName.parse(row[0]).is_full
                return (full, row[1], len(row[0]), row[0])

            self.conn.execute("UPDATE actors SET name = ? WHERE id = ?", (max(rows, key=rank)[0], actor))


@lru_cache(maxsize=65536)
def _variants(key: str) -> frozenset[str]:
    """``key``, and for keys of 5+ letters ``key`` with one letter removed: two
    keys that are :func:`close_keys` share one of these."""
    if len(key) < 5:
        return frozenset({key})
    return frozenset({key} | {key[:i] + key[i + 1:] for i in range(len(key))})


def refresh_key_actors(conn: sqlite3.Connection, stories: set[str], limit: int = 10) -> None:
    """Set ``stories.key_actors`` to the story's people and organisations, most mentioned first."""
    for story in sorted(stories):
        rows = conn.execute(
            "SELECT m.actor_id FROM mentions m JOIN story_articles sa ON sa.article_id = m.article_id "
            "JOIN actors a ON a.id = m.actor_id WHERE sa.story_id = ? AND a.kind != 'place' "
            "GROUP BY m.actor_id ORDER BY count(*) DESC, m.actor_id LIMIT ?",
            (story, limit),
        ).fetchall()
        conn.execute("UPDATE stories SET key_actors = ? WHERE id = ?", (json.dumps([r[0] for r in rows]), story))


def register_loaded(conn: sqlite3.Connection, chunk: int = 5000) -> int:
    """Give actors that have no ``actor_keys`` (rows a batch run made, imported by
    ``storywire load``) the keys the resolver would have filed for them, from the
    spellings they were found under (``actor_texts``), so that articles analysed
    later join them. A lone spelling teaches its surname only if it is near the
    actor's own (as :meth:`Resolver._register` decides). Returns the keys added."""
    conn.execute("DROP TABLE IF EXISTS temp.keyless")
    conn.execute("CREATE TEMP TABLE keyless AS SELECT id FROM actors a "
                 "WHERE NOT EXISTS (SELECT 1 FROM actor_keys k WHERE k.actor_id = a.id)")
    insert = "INSERT OR IGNORE INTO actor_keys (key, actor_id, part) VALUES (?, ?, ?)"
    before = conn.total_changes
    keys: list[tuple[str, str, str]] = []
    for actor, kind, key, text in conn.execute(
        "SELECT a.id, a.kind, a.key, t.text FROM temp.keyless x JOIN actors a ON a.id = x.id "
        "LEFT JOIN actor_texts t ON t.actor_id = a.id"
    ):
        if kind != "person":
            keys.append((key, actor, "name"))
        elif text is not None:
            name = PersonName.parse(text)
            surnames = name.surname_keys()
            if name.is_full:
                keys += [(k, actor, "full") for k in name.full_keys()]
            else:
                own = key.rsplit(" ", 1)[-1]
                surnames = {k for k in surnames if close_keys(k, own)}
            keys += [(k, actor, "surname") for k in surnames]
            if " " not in key:  # first seen as a lone surname
                keys += [(k, actor, "lone") for k in surnames]
        if len(keys) >= chunk:
            conn.executemany(insert, keys)
            keys = []
    conn.executemany(insert, keys)
    conn.execute("DROP TABLE temp.keyless")
    return conn.total_changes - before
