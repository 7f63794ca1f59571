"""pipeline.ingest: storing, re-runs, changed versions, per-outlet line learning."""

from __future__ import annotations

from storywire.config import Settings
from storywire.pipeline import ingest

BODY = "The council voted on Tuesday to rebuild the old bridge, the mayor said. Work starts in the spring."


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_ingest_stores_clean_articles_and_reruns_are_duplicates(tmp_path, store):
    path = write(tmp_path / "in", "bridge.md", f"# Bridge to be rebuilt\n\n{BODY}\n\n<https://v.example/bridge>")
    report = ingest([str(path)], store, analyse=False)
    assert report.ok and report.counts["new"] == 1
    a = store.get_article("bridge")
    assert (a.title, a.url, a.language, a.clean_text) == ("Bridge to be rebuilt", "https://v.example/bridge", "en", BODY)
    again = ingest([str(path)], store, analyse=False)
    assert again.counts == {"new": 0, "updated": 0, "duplicate": 1, "failed": 0}
    assert [r["status"] for r in store.run_items(again.run_id)] == ["duplicate"]


def test_changed_file_is_a_new_version(tmp_path, store):
    path = write(tmp_path / "in", "bridge.txt", BODY)
    ingest([str(path)], store, analyse=False)
    path.write_text(BODY + " It will cost 3 million.", encoding="utf-8")
    report = ingest([str(path)], store, analyse=False)
    assert report.counts["updated"] == 1 and store.get_article("bridge").version == 2


def test_outlet_furniture_is_learnt_and_persisted(tmp_path, store):
    folder = tmp_path / "in"
    for n in range(4):
        write(folder, f"{n}.txt", f"Valley Times - Story number {n} begins here.\n\n{BODY} ({n})\n\nIndependent voices since 1887")
    settings = Settings(batch_size=1)  # commit after each article, so later ones use what was learnt
    ingest([str(folder)], store, settings, analyse=False)
    texts = [store.get_article(str(n)).clean_text for n in range(4)]
    assert all("Independent voices" in t for t in texts[:3]) and "Independent voices" not in texts[3]
    assert store.query("SELECT articles FROM outlet_articles WHERE outlet = ?", ("Valley Times",))[0][0] == 4
    write(folder, "later.txt", f"Valley Times - A later story.\n\n{BODY}\n\nIndependent voices since 1887")
    ingest([str(folder / "later.txt")], store, analyse=False)  # a new run loads the table from the store
    assert "Independent voices" not in store.get_article("later").clean_text


def test_worker_processes_give_the_same_articles(tmp_path, store):
    from storywire.engine.local import LocalEngine

    folder = tmp_path / "in"
    for n in range(5):
        write(folder, f"{n}.txt", f"Story {n}\n\nValley Times - {BODY} ({n})")
    report = ingest([str(folder)], store, engine=LocalEngine(workers=2, chunk_size=2), analyse=False)
    assert report.ok and report.counts["new"] == 5
    assert [store.get_article(str(n)).outlet for n in range(5)] == ["Valley Times"] * 5
