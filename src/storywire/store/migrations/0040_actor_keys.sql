-- Every key an actor can be found by, so that new articles join existing actors:
-- part 'full' ("given surname" keys of a person), 'surname' (the surname keys a
-- lone surname may match), 'name' (the key of an organisation or place).
CREATE TABLE actor_keys (
    key      TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    part     TEXT NOT NULL,
    PRIMARY KEY (key, part, actor_id)
);
CREATE INDEX actor_keys_actor ON actor_keys(actor_id);
