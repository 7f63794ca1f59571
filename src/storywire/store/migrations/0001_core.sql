-- Articles, their versions and sources, ingest runs, full-text search.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                   -- ingest | analyse | load | watch | batch
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running', -- running | ok | partial | failed | interrupted
    args        TEXT,                            -- JSON
    stats       TEXT                             -- JSON counts
);

-- One row per input item a run looked at: what became of it and why.
CREATE TABLE run_items (
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    source     TEXT NOT NULL,                    -- path, path#line, path#record, URL
    status     TEXT NOT NULL,                    -- new | updated | duplicate | skipped | failed
    article_id TEXT,
    reason     TEXT
);
CREATE INDEX run_items_run ON run_items(run_id, status);

CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    outlet       TEXT,
    url          TEXT,
    title        TEXT,
    published    TEXT,                           -- ISO 8601
    language     TEXT,
    raw_text     TEXT NOT NULL,
    clean_text   TEXT NOT NULL,
    paragraphs   TEXT NOT NULL,                  -- JSON [{"text", "lang"}]
    content_hash TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    ingested_at  TEXT NOT NULL,
    source_path  TEXT,
    extra        TEXT                            -- JSON
);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_language ON articles(language);

-- Earlier versions of an article whose content changed between ingests.
CREATE TABLE article_versions (
    article_id   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    title        TEXT,
    raw_text     TEXT NOT NULL,
    clean_text   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Every place an article was seen (files, feeds, URLs).
CREATE TABLE article_sources (
    article_id TEXT NOT NULL,
    source     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, clean_text, outlet,
    content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, clean_text, outlet)
    VALUES (new.rowid, new.title, new.clean_text, new.outlet);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, clean_text, outlet)
    VALUES ('delete', old.rowid, old.title, old.clean_text, old.outlet);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, clean_text, outlet)
    VALUES ('delete', old.rowid, old.title, old.clean_text, old.outlet);
    INSERT INTO articles_fts(rowid, title, clean_text, outlet)
    VALUES (new.rowid, new.title, new.clean_text, new.outlet);
END;

-- Which analysis stage has processed which article version; a stage writes its
-- results and this mark in one transaction, so a killed run resumes where it was.
CREATE TABLE analysis_state (
    stage      TEXT NOT NULL,
    article_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    done_at    TEXT NOT NULL,
    PRIMARY KEY (stage, article_id)
);
