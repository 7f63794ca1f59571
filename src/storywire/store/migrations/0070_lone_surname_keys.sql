-- Part 'lone': the surname keys of people first seen as a lone surname
-- ("Shoygu"; their actor key has no given name), filed apart as well as under
-- 'surname'. A lone surname finds them directly instead of among the thousands
-- of full-named people who share a common surname in a large store.
INSERT OR IGNORE INTO actor_keys (key, actor_id, part)
SELECT k.key, k.actor_id, 'lone' FROM actor_keys k JOIN actors a ON a.id = k.actor_id
WHERE k.part = 'surname' AND a.kind = 'person' AND instr(a.key, ' ') = 0;
