"""Store.pending(stage) after the stage's mark (migration 0011) keeps its contract."""

from storywire.model import Article
from storywire.store import Store


def make(aid: str, text: str, published: str) -> Article:
    return Article(id=aid, raw_text=text, clean_text=text, title=aid, published=published)


def _save(store: Store, *articles: Article) -> None:
    with store.transaction():
        for a in articles:
            store.save_article(a)


def _done(store: Store, stage: str, *ids: str) -> None:
    with store.transaction():
        store.mark_done(stage, [store.get_article(i) for i in ids])


def _mark(store: Store, stage: str):
    row = store.query("SELECT seq FROM stage_marks WHERE stage = ?", (stage,))
    return row[0][0] if row else None


def test_mark_moves_past_done_changes_only(store):
    _save(store, make("a", "One.", "2024-01-02"), make("b", "Two.", "2024-01-01"), make("c", "Three.", "2024-01-03"))
    assert store.pending("s") == ["b", "a", "c"]  # oldest first, whatever the storing order
    _done(store, "s", "b")  # stored second: the mark cannot pass "a", still pending
    assert _mark(store, "s") == 0
    assert store.pending("s") == ["a", "c"]
    _done(store, "s", "a")
    assert _mark(store, "s") == 2
    assert store.pending("s") == ["c"]
    assert store.pending("other") == ["b", "a", "c"]  # marks are per stage


def test_changed_article_is_pending_again_behind_the_mark(store):
    _save(store, make("a", "One.", "2024-01-01"), make("b", "Two.", "2024-01-02"))
    _done(store, "s", "a", "b")
    assert store.pending("s") == []
    _save(store, make("a", "One, changed.", "2024-01-01"))
    assert store.pending("s") == ["a"]
    _done(store, "s", "a")
    _save(store, make("b", "Two.", "2024-01-02"))  # same content: not a change
    assert store.pending("s") == []


def test_reset_and_lost_changes_fall_back_to_every_article(store):
    _save(store, make("a", "One.", "2024-01-01"), make("b", "Two.", "2024-01-02"))
    _done(store, "s", "a", "b")
    store.reset_stage("s")
    assert store.pending("s") == ["a", "b"]
    _done(store, "s", "a", "b")
    with store.transaction() as c:  # a stage that forgets its work by hand, as the copies stage does
        c.execute("DELETE FROM analysis_state WHERE stage = 's' AND article_id = 'b'")
    assert store.pending("s") == ["b"]
    _done(store, "s", "b")
    with store.transaction() as c:  # the change log wiped with the derived tables
        c.execute("DELETE FROM article_changes")
        c.execute("DELETE FROM analysis_state")
    assert store.pending("s") == ["a", "b"]
    _done(store, "s", "a")  # a first mark after the wipe logs every article again
    assert store.pending("s") == ["b"]
    _save(store, make("c", "Three.", "2024-01-03"))
    assert store.pending("s") == ["b", "c"]


def test_existing_database_gets_the_change_log(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as s:
        _save(s, make("a", "One.", "2024-01-01"))
        with s.transaction() as c:  # as if made before migration 0011
            c.execute("DELETE FROM schema_migrations WHERE name LIKE '0011_%'")
            for name in ("article_changes_ai", "article_changes_au", "stage_marks_forget", "stage_marks_lost"):
                c.execute(f"DROP TRIGGER {name}")
            c.execute("DROP TABLE article_changes")
            c.execute("DROP TABLE stage_marks")
    with Store.open(path) as s:
        assert [r[0] for r in s.query("SELECT article_id FROM article_changes")] == ["a"]
        assert s.pending("s") == ["a"]
        _done(s, "s", "a")
        assert s.pending("s") == []
