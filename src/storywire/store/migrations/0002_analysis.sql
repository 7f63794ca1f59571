-- Results of the analysis stages. Stages own their rows; the API and the web UI
-- read these columns. Stages may add columns or tables in later migrations.

-- Copies: one row per compared pair, a < b.
CREATE TABLE copy_pairs (
    a              TEXT NOT NULL,
    b              TEXT NOT NULL,
    verdict        TEXT NOT NULL,      -- copy | partial | independent
    score          REAL NOT NULL,      -- 0..1, how much text is shared
    source_id      TEXT,               -- the side judged to be the source (a or b), NULL if unknown
    direction_conf REAL,               -- 0..1 confidence in source_id
    containment_ab REAL NOT NULL,      -- share of a's words found in b
    containment_ba REAL NOT NULL,      -- share of b's words found in a
    edits          TEXT NOT NULL,      -- JSON [{"op": replace|insert|delete|move, "a": str, "b": str, "a_start", "a_end", "b_start", "b_end"}] char offsets in clean_text; optional "kind": quote | boilerplate
    passages       TEXT NOT NULL,      -- JSON [{"a_start", "a_end", "b_start", "b_end", "words"}]
    computed_at    TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX copy_pairs_b ON copy_pairs(b);

-- Groups of articles connected by copy/partial edges, with the likely original.
CREATE TABLE copy_groups (
    article_id TEXT PRIMARY KEY,
    group_id   TEXT NOT NULL,
    is_origin  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX copy_groups_group ON copy_groups(group_id);

-- Stories: articles about one event.
CREATE TABLE stories (
    id            TEXT PRIMARY KEY,
    title         TEXT,
    first_seen    TEXT,
    last_seen     TEXT,
    article_count INTEGER NOT NULL DEFAULT 0,
    languages     TEXT NOT NULL DEFAULT '[]',   -- JSON list
    outlets       TEXT NOT NULL DEFAULT '[]',   -- JSON list
    key_actors    TEXT NOT NULL DEFAULT '[]',   -- JSON list of actor ids
    summary       TEXT,                         -- JSON, see workflow
    status        TEXT NOT NULL DEFAULT 'active', -- active | merged
    merged_into   TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories(last_seen);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY,
    story_id   TEXT NOT NULL,
    score      REAL,
    manual     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX story_articles_story ON story_articles(story_id);

-- Actors: people, organisations, places; one row per real-world actor.
CREATE TABLE actors (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,                 -- the most used full variant
    kind TEXT NOT NULL,                 -- person | org | place
    key  TEXT NOT NULL                  -- transliteration-folded name key
);
CREATE INDEX actors_key ON actors(key);

CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    actor_id   TEXT,
    text       TEXT NOT NULL,            -- the variant as written
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,         -- char offsets in clean_text
    end        INTEGER NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_actor ON mentions(actor_id);

CREATE TABLE quotes (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL,
    speaker      TEXT,                   -- speaker as resolved (full name)
    actor_id     TEXT,
    text         TEXT NOT NULL,
    kind         TEXT NOT NULL,          -- direct | indirect
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    statement_id TEXT                    -- quotes of one statement share it
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_actor ON quotes(actor_id);
CREATE INDEX quotes_statement ON quotes(statement_id);

CREATE TABLE figures (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    value      REAL,                     -- normalised value; NULL for vague amounts
    low        REAL,                     -- range for vague amounts ("dozens": 24..99)
    high       REAL,
    what       TEXT NOT NULL,            -- killed | injured | children killed | ...
    raw        TEXT NOT NULL,            -- as written: "3,500 martyrs"
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    date       TEXT                      -- the article's date
);
CREATE INDEX figures_article ON figures(article_id);

-- Analyst decisions. Every automatic run reads and respects them.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,   -- story_merge | story_split | story_rename | copy_verdict | actor_merge | actor_split
    subject    TEXT NOT NULL,   -- e.g. story id, "a|b" pair, actor id
    object     TEXT,            -- e.g. the other story or actor
    value      TEXT,            -- JSON payload (new title, verdict, article ids)
    note       TEXT,
    created_at TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_kind ON decisions(kind, subject);
