-- Stories stage: its persisted state, so that a run never rebuilds it from scratch.

-- Sentence embeddings by encoder and text hash, so re-runs never recompute them.
CREATE TABLE story_embeddings (
    encoder   TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector    BLOB NOT NULL,                  -- float32, L2-normalised
    PRIMARY KEY (encoder, text_hash)
);

-- What the assigner knows of each story: its profile (JSON: term weights, anchor
-- keys, embedding centroid, dates). Loaded for the stories still warm.
CREATE TABLE story_profiles (
    story_id  TEXT PRIMARY KEY,
    last_day  INTEGER,                        -- days since 1970 of the newest member; NULL if undated
    profile   TEXT NOT NULL
);
CREATE INDEX story_profiles_last_day ON story_profiles(last_day);

-- Document frequencies of feature keys over every article the stage has seen.
CREATE TABLE story_key_df (
    key TEXT PRIMARY KEY,
    df  INTEGER NOT NULL
);

-- Counters of the stage (articles seen, stories founded).
CREATE TABLE story_state (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
