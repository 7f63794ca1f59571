"""The analyst's workflow around the analyses.

* :mod:`.export` — tables as CSV/JSONL/Parquet, copy and actor graphs for Gephi.
* :mod:`.follows` and :mod:`.alerts` — follow a story, actor, outlet or passage;
  alerts recorded by the ``workflow`` stage (:mod:`.stage`), optional webhook.
* :mod:`.feeds` — each followed item as an Atom feed and as JSON.
* :mod:`.summary` — extractive story summaries: the sentences most outlets carry.
* :mod:`.watch` — poll RSS/Atom feeds and sitemaps and ingest new articles.
* :mod:`.curation` — analyst decisions (merge/split/rename stories, copy verdicts,
  actor merges) recorded in ``decisions`` and re-applied after every automatic run.
"""
