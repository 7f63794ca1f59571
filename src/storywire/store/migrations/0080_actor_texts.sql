-- How often each actor is named with each spelling, kept up to date by triggers
-- on mentions. Resolution renames the actors a batch touched after their most
-- used spelling; counting their mentions instead read every mention of popular
-- actors (tens of thousands each in a large store) once per batch.
CREATE TABLE actor_texts (
    actor_id TEXT NOT NULL,
    text TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (actor_id, text)
) WITHOUT ROWID;

INSERT INTO actor_texts (actor_id, text, n)
SELECT actor_id, text, count(*) FROM mentions WHERE actor_id IS NOT NULL GROUP BY actor_id, text;

CREATE TRIGGER actor_texts_ai AFTER INSERT ON mentions WHEN NEW.actor_id IS NOT NULL BEGIN
    INSERT INTO actor_texts (actor_id, text, n) VALUES (NEW.actor_id, NEW.text, 1)
    ON CONFLICT (actor_id, text) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER actor_texts_ad AFTER DELETE ON mentions WHEN OLD.actor_id IS NOT NULL BEGIN
    UPDATE actor_texts SET n = n - 1 WHERE actor_id = OLD.actor_id AND text = OLD.text;
    DELETE FROM actor_texts WHERE actor_id = OLD.actor_id AND text = OLD.text AND n <= 0;
END;

CREATE TRIGGER actor_texts_au AFTER UPDATE OF actor_id, text ON mentions BEGIN
    UPDATE actor_texts SET n = n - 1 WHERE actor_id = OLD.actor_id AND text = OLD.text;
    DELETE FROM actor_texts WHERE actor_id = OLD.actor_id AND text = OLD.text AND n <= 0;
    INSERT INTO actor_texts (actor_id, text, n) SELECT NEW.actor_id, NEW.text, 1 WHERE NEW.actor_id IS NOT NULL
    ON CONFLICT (actor_id, text) DO UPDATE SET n = n + 1;
END;
