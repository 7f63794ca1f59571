"""Actors: the people, organisations and places of each article, one actor per
real-world actor across articles, spellings and languages.

* :mod:`.ner` — mentions per article (spaCy pipelines, or model-free rules).
* :mod:`.names` — titles, name parts and transliteration-folded keys.
* :mod:`.resolve` — mentions grouped per article, then joined to stored actors.
* :mod:`.stage` — the ``actors`` analysis stage; :mod:`.queries` — what the CLI shows.
"""
