"""Mentions to actors: in one article, across articles, stories and languages."""

from storywire.actors.ner import Mention, RuleNER
from storywire.actors.resolve import group_mentions
from storywire.actors.stage import ActorsStage
from storywire.model import Article


def people(*names):
    out, pos = [], 0
    for name in names:
        out.append(Mention(name, "person", pos, pos + len(name)))
        pos += len(name) + 10
    return out


def test_full_name_variants_and_lone_surname_are_one_group():
    groups, unresolved = group_mentions(people("Yuri Petrenko", "Yuriy Patrenko", "Petrenko", "Yuri Ivan Petrenko"))
    assert len(groups) == 1 and len(groups[0].mentions) == 4
    assert not unresolved


def test_shared_first_name_never_merges():
    groups, unresolved = group_mentions(people("Yuri Petrenko", "Yuri Kovalenko", "Kovalenko", "Yuri"))
    by_size = sorted(len(g.mentions) for g in groups)
    assert by_size == [1, 2]
    assert [m.text for m in unresolved] == ["Yuri"]


def test_lone_surname_before_full_name_joins_it():
    groups, _ = group_mentions(people("Okafor", "Lena Okafor"))
    assert len(groups) == 1


def test_org_tag_on_a_person_surname_is_taken_as_the_person():
    ms = people("Lena Okafor") + [Mention("Okafor", "org", 100, 106)]
    groups, _ = group_mentions(ms)
    assert len(groups) == 1 and len(groups[0].mentions) == 2


def article(aid, text, lang="en", outlet=None):
    return Article(id=aid, raw_text=text, clean_text=text, language=lang, outlet=outlet)


def run(store, articles, stories=None):
    with store.transaction():
        for a in articles:
            store.save_article(a)
        for aid, story in (stories or {}).items():
            store.conn.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", (aid, story))
            store.conn.execute(
                "INSERT OR IGNORE INTO stories (id, updated_at) VALUES (?, '2024-01-01')", (story,)
            )
    return ActorsStage(RuleNER()).update(store, list(store.iter_articles([a.id for a in articles])))


def actors_of(store, text):
    return {r[0] for r in store.query("SELECT actor_id FROM mentions WHERE text = ?", [text])}


def test_incremental_articles_join_existing_actors(store):
    run(store, [article("a1", "Foreign Minister Yuri Petrenko met envoys on Monday.")])
    run(store, [article("a2", "Le ministre Youri Petrenko a rencontré les envoyés.", "fr")])
    run(store, [article("a3", "Minister Yuriy Petrenko left Vienna.")])
    ids = actors_of(store, "Yuri Petrenko") | actors_of(store, "Youri Petrenko") | actors_of(store, "Yuriy Petrenko")
    assert len(ids) == 1
    name = store.query("SELECT name FROM actors WHERE id = ?", [ids.pop()])[0][0]
    assert name in {"Yuri Petrenko", "Youri Petrenko", "Yuriy Petrenko"}


def test_unrelated_people_sharing_a_first_name_stay_apart(store):
    run(store, [
        article("b1", "General Anna Lindqvist inspected the base. Lindqvist said little."),
        article("b2", "Mayor Anna Ferreira opened the bridge. Ferreira thanked the workers."),
    ])
    assert actors_of(store, "Anna Lindqvist").isdisjoint(actors_of(store, "Anna Ferreira"))
    assert actors_of(store, "Lindqvist") == actors_of(store, "Anna Lindqvist")
    assert actors_of(store, "Ferreira") == actors_of(store, "Anna Ferreira")


def test_lone_surname_in_story_joins_full_name_seen_in_another_article(store):
    run(store, [
        article("c1", "Admiral Piet Vandermeer arrived in Oslo."),
        article("c2", "Later, Vandermeer spoke to reporters."),
    ], stories={"c1": "s1", "c2": "s1"})
    assert actors_of(store, "Vandermeer") == actors_of(store, "Piet Vandermeer")
    key_actors = store.query("SELECT key_actors FROM stories WHERE id = 's1'")[0][0]
    assert actors_of(store, "Piet Vandermeer").pop() in key_actors


def test_surname_only_actor_is_absorbed_when_the_full_name_arrives_in_the_story(store):
    run(store, [article("d1", "Colonel Haddad spoke first.")], stories={"d1": "s2"})
    run(store, [article("d2", "Colonel Rami Haddad, the commander, left.")], stories={"d2": "s2"})
    assert actors_of(store, "Haddad") == actors_of(store, "Rami Haddad")


def test_reprocessed_article_replaces_its_mentions(store):
    run(store, [article("e1", "Judge Mara Solberg ruled.")])
    first = store.query("SELECT count(*) FROM mentions WHERE article_id = 'e1'")[0][0]
    run(store, [article("e1", "Judge Mara Solberg ruled.")])
    assert store.query("SELECT count(*) FROM mentions WHERE article_id = 'e1'")[0][0] == first


def test_analyst_merge_decision_redirects_resolution(store):
    run(store, [article("f1", "Senator Ivo Marsh spoke."), article("f2", "Senator Ivan Marsh spoke.")])
    a, b = actors_of(store, "Ivo Marsh").pop(), actors_of(store, "Ivan Marsh").pop()
    assert a != b
    with store.transaction() as c:
        c.execute("INSERT INTO decisions (kind, subject, object, created_at) VALUES ('actor_merge', ?, ?, 'now')", (b, a))
    run(store, [article("f3", "Senator Ivan Marsh left.")])
    assert {r[0] for r in store.query("SELECT actor_id FROM mentions WHERE article_id = 'f3' AND text = 'Ivan Marsh'")} == {a}


def test_lone_surnames_one_letter_apart_do_not_chain_into_one_person(store):
    # Each spelling is one letter from the previous one; only the first two are
    # near the general's own surname.
    run(store, [article("f1", "General Ivan Kalish arrived.")], stories={"f1": "s3"})
    run(store, [article("f2", "Later, Colonel Kilish spoke.")], stories={"f2": "s3"})
    run(store, [article("f3", "Later, Colonel Kilash spoke.")], stories={"f3": "s3"})
    run(store, [article("f4", "Later, Colonel Kolash spoke.")], stories={"f4": "s3"})
    general = actors_of(store, "Ivan Kalish")
    assert actors_of(store, "Kilish") == general
    assert actors_of(store, "Kilash") == general  # one letter from "Kilish", which joined him
    assert actors_of(store, "Kolash") and actors_of(store, "Kolash").isdisjoint(general)


def test_lone_surname_elsewhere_joins_the_surname_only_person_when_full_names_are_ambiguous(store):
    run(store, [article("g1", "Later, Colonel Marek spoke.")], stories={"g1": "s4"})
    run(store, [article("g2", "Judge Anna Marek met Judge Piotr Marek.")], stories={"g2": "s5"})
    run(store, [article("g3", "Again, Colonel Marek spoke.")], stories={"g3": "s6"})
    lone = actors_of(store, "Marek")
    assert len(lone) == 1
    assert lone.isdisjoint(actors_of(store, "Anna Marek") | actors_of(store, "Piotr Marek"))
    assert len(actors_of(store, "Anna Marek") | actors_of(store, "Piotr Marek")) == 2


def test_keys_rebuilt_for_loaded_actors_cover_the_kept_ones(store):
    from storywire.actors.names import close_keys
    from storywire.actors.resolve import register_loaded

    run(store, [
        article("k1", "Minister Yuri Petrenko met Colonel Rami Haddad. Petrenko spoke first."),
        article("k2", "Le ministre Youri Petrenko a rencontré Haddad à Vienne.", "fr"),
        article("k3", "Later, Colonel Kilish spoke in Vessaria."),
        article("k4", "The Vessaria Port Authority said Haddad had left."),
    ], stories={"k1": "s1", "k2": "s1", "k3": "s2"})
    kept = {tuple(r) for r in store.query("SELECT key, actor_id, part FROM actor_keys")}
    assert {p for _, _, p in kept} >= {"full", "surname", "lone", "name"}
    with store.transaction() as c:  # as `storywire load` leaves a store: actors without keys
        c.execute("DELETE FROM actor_keys")
        assert register_loaded(c) > 0
        assert register_loaded(c) == 0  # every actor has keys now
    rebuilt = {tuple(r) for r in store.query("SELECT key, actor_id, part FROM actor_keys")}
    assert kept <= rebuilt
    own = {r[0]: r[1].rsplit(" ", 1)[-1] for r in store.query("SELECT id, key FROM actors")}
    # Extras are only near spellings of a person's own surname (seen beside the full name).
    assert all(part == "surname" and close_keys(key, own[actor]) for key, actor, part in rebuilt - kept)
