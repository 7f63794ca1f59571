"""``actor_texts``: each actor's spellings with their mention counts, kept by triggers."""

from __future__ import annotations

from storywire.store import Store


def _counted(store) -> dict:
    return {(r[0], r[1]): r[2] for r in store.query("SELECT actor_id, text, n FROM actor_texts")}


def _grouped(store) -> dict:
    return {
        (r[0], r[1]): r[2]
        for r in store.query(
            "SELECT actor_id, text, count(*) FROM mentions WHERE actor_id IS NOT NULL GROUP BY actor_id, text"
        )
    }


def _mention(c, article: str, actor: str | None, text: str, start: int) -> None:
    c.execute(
        "INSERT INTO mentions (article_id, actor_id, text, kind, start, end) VALUES (?, ?, ?, 'person', ?, ?)",
        (article, actor, text, start, start + len(text)),
    )


def test_counts_follow_inserts_moves_renames_and_deletes(store):
    with store.transaction() as c:
        _mention(c, "a1", "p-1", "Shoigu", 0)
        _mention(c, "a1", "p-1", "Shoigu", 40)
        _mention(c, "a1", "p-2", "Shoygu", 80)
        _mention(c, "a2", None, "Ivanov", 0)
    assert _counted(store) == {("p-1", "Shoigu"): 2, ("p-2", "Shoygu"): 1}

    with store.transaction() as c:  # an analyst's merge moves p-2's mentions to p-1
        c.execute("UPDATE mentions SET actor_id = 'p-1' WHERE actor_id = 'p-2'")
        c.execute("UPDATE mentions SET actor_id = 'p-3' WHERE text = 'Ivanov'")  # resolved later
        c.execute("UPDATE mentions SET text = 'Sergei Shoigu' WHERE start = 40")
    assert _counted(store) == {("p-1", "Shoigu"): 1, ("p-1", "Shoygu"): 1, ("p-1", "Sergei Shoigu"): 1,
                               ("p-3", "Ivanov"): 1}

    with store.transaction() as c:  # an article re-processed loses its mentions
        c.execute("DELETE FROM mentions WHERE article_id = 'a1'")
        c.execute("UPDATE mentions SET actor_id = NULL WHERE article_id = 'a2'")
    assert _counted(store) == {}
    assert _counted(store) == _grouped(store)


def test_existing_database_gets_its_counts(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as s:
        with s.transaction() as c:  # as if made before migration 0080
            c.execute("DELETE FROM schema_migrations WHERE name LIKE '0080_%'")
            for name in ("actor_texts_ai", "actor_texts_ad", "actor_texts_au"):
                c.execute(f"DROP TRIGGER {name}")
            c.execute("DROP TABLE actor_texts")
            _mention(c, "a1", "p-1", "Shoigu", 0)
            _mention(c, "a2", "p-1", "Shoigu", 0)
            _mention(c, "a2", "p-1", "Sergei Shoigu", 20)
            _mention(c, "a3", None, "Ivanov", 0)
    with Store.open(path) as s:
        assert _counted(s) == {("p-1", "Shoigu"): 2, ("p-1", "Sergei Shoigu"): 1}
        with s.transaction() as c:
            _mention(c, "a4", "p-1", "Shoigu", 0)
        assert _counted(s) == _grouped(s)
