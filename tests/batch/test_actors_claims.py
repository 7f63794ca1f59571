"""Actors and claims at batch scale: the on-disk sorts and group-bys, and loading."""

from __future__ import annotations

import random

from storywire.actors.ner import Mention
from storywire.batch import load
from storywire.batch.actors import ClaimsScratch, ClaimsStep
from storywire.batch.order import DateOrder, date_order
from storywire.engine.local import LocalEngine
from storywire.model import Article


def test_date_order_sorts_on_disk_as_python_sorts_in_memory(tmp_path):
    rng = random.Random(5)
    dates = [None, "", "2024-03-01", "2024-03-01T09:00:00+00:00", "2023-12-31", "2024-03-01Z"]
    articles = [
        Article(id=f"a{rng.randrange(1000):03d}-é{i}", raw_text="", published=rng.choice(dates), version=1 + i % 3,
                title=f"T{i}", outlet="O", language="fr", clean_text="dropped")
        for i in range(60)
    ]
    found = [(a, [Mention(f"Name {i}", "person", i, i + 6, i % 2 == 0)]) for i, a in enumerate(articles)]
    order = DateOrder(tmp_path, "actors")
    try:
        order.add_all(reversed(found), chunk=7)
        back = list(order)
    finally:
        order.close()
    expected = sorted(found, key=lambda am: date_order(am[0]))
    fields = lambda a: (a.id, a.published, a.version, a.title, a.outlet, a.language)  # noqa: E731
    assert [fields(a) for a, _ in back] == [fields(a) for a, _ in expected]
    assert {a.clean_text for a, _ in back} == {""}  # no text is kept
    assert [m for _, m in back] == [m for _, m in expected]
    assert not (tmp_path / "_actors_order.db").exists()


def test_claims_scratch_gives_each_article_its_named_people_and_groups_quotes_by_story(tmp_path):
    mentions = [
        {"article_id": "a1", "actor_id": "p-1", "text": "Ana Rell", "kind": "person", "start": 30, "end": 38},
        {"article_id": "a1", "actor_id": "p-2", "text": "Rell", "kind": "person", "start": 4, "end": 8},
        {"article_id": "a1", "actor_id": "o-1", "text": "Port Office", "kind": "org", "start": 50, "end": 61},
        {"article_id": "a1", "actor_id": None, "text": "Tom", "kind": "person", "start": 70, "end": 73},
        {"article_id": "a2", "actor_id": "p-9", "text": "Odo Vane", "kind": "person", "start": 0, "end": 8},
    ]
    actors = [{"id": "p-1", "name": "Ana Rell"}, {"id": "p-2", "name": ""}]
    links = [{"article_id": "a1", "story_id": "s-2"}, {"article_id": "a2", "story_id": "s-1"}]
    scratch = ClaimsScratch(tmp_path)
    try:
        scratch.load(iter(mentions), iter(actors), iter(links))
        people = scratch.people("a1")
        assert [(p.start, p.actor_id, p.name) for p in people] == [(4, "p-2", "Rell"), (30, "p-1", "Ana Rell")]
        assert [p.name for p in scratch.people("a2")] == ["Odo Vane"]  # no actor row: the mention's text
        assert scratch.people("a3") == []
        quote = lambda article, n: (f"{article}#{n:04d}", article, None, None, f"text {n}", "direct", n, n + 5)  # noqa: E731
        scratch.add_quotes([quote("a1", 0), quote("a1", 1)])
        scratch.add_quotes([quote("a3", 0)])  # no story: its own group
        scratch.add_quotes([quote("a2", 0)])
        groups = list(scratch.story_quotes())
    finally:
        scratch.close()
    assert groups == [[quote("a3", 0)], [quote("a2", 0)], [quote("a1", 0), quote("a1", 1)]]
    assert not (tmp_path / "_claims_scratch.db").exists()
    assert not (tmp_path / "_claims_people.db").exists()


def test_claims_map_reads_people_in_worker_processes_as_in_this_one(tmp_path):
    mentions = [{"article_id": f"a{i}", "actor_id": "p-1", "text": "Ana Rell", "kind": "person",
                 "start": 0, "end": 8} for i in range(3)]
    articles = [Article(id=f"a{i}", raw_text="", clean_text=f'Ana Rell said: "The storm killed {10 + i} people."',
                        title="Storm kills 9 in coastal town" if i == 0 else None, language="en",
                        published="2024-03-0{}".format(i + 1)) for i in range(3)]
    scratch = ClaimsScratch(tmp_path)
    try:
        scratch.load(iter(mentions), iter([{"id": "p-1", "name": "Ana Rell"}]), iter([]))
        here = list(LocalEngine(1).map(articles, [ClaimsStep(scratch.lookup)]))
        spread = list(LocalEngine(2, chunk_size=1).map(articles, [ClaimsStep(scratch.lookup)]))
    finally:
        scratch.close()
    assert spread == here
    assert [q[3] for quotes, _ in here for q in quotes] == ["p-1"] * 3  # each quote has its speaker
    # The title's figures too, as the claims stage reads them.
    assert [(f[1], f[-1]) for _, figures in here for f in figures] == [(9, "title"), (10, "text"), (11, "text"),
                                                                        (12, "text")]


def test_load_marks_the_loaded_articles_done_for_the_stages_it_covers(local_run, store):
    load(local_run, store)
    assert store.count_articles() > 0
    for stage in ("copies", "stories", "actors", "claims"):
        assert store.pending(stage) == [], stage
    assert store.pending("workflow")  # not a batch stage
