-- Store.pending(stage) without a scan of every article: each stored version of an
-- article is numbered in the order it was stored, and each stage keeps the number
-- up to which every change is done. pending() looks only at changes after it.

CREATE TABLE article_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL
);
CREATE INDEX article_changes_article ON article_changes(article_id);
INSERT INTO article_changes (article_id) SELECT id FROM articles ORDER BY rowid;

CREATE TRIGGER article_changes_ai AFTER INSERT ON articles BEGIN
    INSERT INTO article_changes (article_id) VALUES (new.id);
END;
CREATE TRIGGER article_changes_au AFTER UPDATE OF version ON articles BEGIN
    INSERT INTO article_changes (article_id) VALUES (new.id);
END;

-- Every change numbered up to `seq` is done by `stage` (its article's current version
-- is processed, or the article is gone). No row: pending() scans all articles.
CREATE TABLE stage_marks (
    stage TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL
);
-- Forgetting what a stage did, or the changes themselves, drops the marks.
CREATE TRIGGER stage_marks_forget AFTER DELETE ON analysis_state BEGIN
    DELETE FROM stage_marks WHERE stage = old.stage;
END;
CREATE TRIGGER stage_marks_lost AFTER DELETE ON article_changes BEGIN
    DELETE FROM stage_marks;
END;
