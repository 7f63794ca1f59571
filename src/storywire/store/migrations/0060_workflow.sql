-- Analyst workflow: watched feeds and their poll state, followed items, alerts.

-- One row per watched feed or sitemap; the conditional-GET validators and the
-- schedule survive restarts, so a killed watcher resumes where it was.
CREATE TABLE watch_feeds (
    url           TEXT PRIMARY KEY,
    title         TEXT,               -- the feed's own title: the outlet of pages that name none
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    next_poll     TEXT,               -- ISO 8601; NULL means poll now
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);

-- Every item URL a feed listed; an item is fetched once whatever lists it.
CREATE TABLE watch_items (
    feed_url   TEXT NOT NULL,
    item_url   TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_url)
);

-- Every article page the watcher fetched (or gave up on), by normalised URL.
CREATE TABLE watch_pages (
    url        TEXT PRIMARY KEY,
    article_id TEXT,
    status     TEXT NOT NULL,         -- new | updated | duplicate | failed | disallowed
    attempts   INTEGER NOT NULL DEFAULT 1,
    reason     TEXT,
    fetched_at TEXT NOT NULL
);

-- What an analyst follows: a story, an actor, an outlet or a passage of text.
CREATE TABLE follows (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,         -- story | actor | outlet | passage
    target     TEXT NOT NULL,         -- story id, actor id, outlet name or the passage text
    label      TEXT,
    article_id TEXT,                  -- for a passage: the article it was taken from (never alerts)
    webhook    TEXT,                  -- optional URL that receives each alert as JSON
    created_at TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX follows_target ON follows(kind, target) WHERE active = 1;

-- Something a followed item did: one row per (follow, kind, article, detail).
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    follow_id    INTEGER NOT NULL REFERENCES follows(id),
    kind         TEXT NOT NULL,       -- new_article | passage_copy | quote | figure_changed
    article_id   TEXT,
    message      TEXT NOT NULL,
    data         TEXT NOT NULL,       -- JSON details
    created_at   TEXT NOT NULL,
    seen         INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT,                -- when the webhook accepted it
    attempts     INTEGER NOT NULL DEFAULT 0, -- webhook deliveries tried
    dedup_key    TEXT NOT NULL UNIQUE -- follow|kind|article|detail: an alert is recorded once
);
CREATE INDEX alerts_follow ON alerts(follow_id, id);
CREATE INDEX alerts_unseen ON alerts(seen, id);
