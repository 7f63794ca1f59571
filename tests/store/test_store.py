from storywire.model import Article, Paragraph
from storywire.store import Store, fts_query


def make(id_, text, **kw):
    return Article(id=id_, raw_text=text, clean_text=text, paragraphs=[Paragraph(text)], **kw)


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "a.db"
    with Store.open(path) as s:
        names = [r[0] for r in s.query("SELECT name FROM schema_migrations")]
        assert "0001_core.sql" in names and "0002_analysis.sql" in names
    with Store.open(path) as s:
        assert s.migrate() == []


def test_save_is_idempotent_and_versions_changes(store):
    with store.transaction():
        assert store.save_article(make("a1", "First text.", outlet="Wire")) == "new"
    with store.transaction():
        assert store.save_article(make("a1", "First   text.", outlet="Wire")) == "duplicate"
    with store.transaction():
        assert store.save_article(make("a1", "Changed text.", outlet="Wire")) == "updated"
    art = store.get_article("a1")
    assert art.version == 2 and art.clean_text == "Changed text."
    old = store.query("SELECT version, clean_text FROM article_versions WHERE article_id = ?", ["a1"])
    assert [(r[0], r[1]) for r in old] == [(1, "First text.")]
    assert store.count_articles() == 1


def test_search_treats_query_syntax_as_text(store):
    with store.transaction():
        store.save_article(make("x", 'He said "drop table" in Gaza; Ministère.', title="T"))
    assert [r["id"] for r in store.search("gaza")] == ["x"]
    assert [r["id"] for r in store.search("ministere")] == ["x"]
    assert store.search('"; DROP TABLE articles; -- NEAR(') == []
    assert store.count_articles() == 1
    assert fts_query('a" OR b*') == '"a" "OR" "b"*'


def test_pending_follows_versions(store):
    with store.transaction():
        store.save_article(make("a", "One."))
        store.save_article(make("b", "Two."))
    assert store.pending("copies") == ["a", "b"]
    with store.transaction():
        store.mark_done("copies", [store.get_article("a")])
    assert store.pending("copies") == ["b"]
    with store.transaction():
        store.save_article(make("a", "One, changed."))
    assert sorted(store.pending("copies")) == ["a", "b"]


def test_failed_transaction_leaves_nothing(store):
    try:
        with store.transaction():
            store.save_article(make("z", "Text."))
            raise RuntimeError("crash")
    except RuntimeError:
        pass
    assert store.count_articles() == 0


def test_runs_of_dead_processes_are_marked_interrupted(store):
    import json
    import socket

    dead = store.start_run("ingest")
    # Pretend the run belonged to a process that no longer exists.
    store.conn.execute(
        "UPDATE runs SET args = ? WHERE id = ?",
        (json.dumps({"host": socket.gethostname(), "pid": 2**22 + 12345}), dead),
    )
    live = store.start_run("ingest")
    status = {r["id"]: r["status"] for r in store.query("SELECT id, status FROM runs")}
    assert status == {dead: "interrupted", live: "running"}


def test_bad_numeric_setting_says_what_to_do(monkeypatch):
    import pytest

    from storywire.config import Settings
    from storywire.errors import ConfigError

    monkeypatch.setenv("STORYWIRE_BATCH_SIZE", "lots")
    with pytest.raises(ConfigError, match="STORYWIRE_BATCH_SIZE"):
        Settings.from_env()
