"""Claims: who said what (quotes) and which numbers each outlet reported (figures).

* :mod:`.quotes` — direct quotes with speakers, clear indirect speech.
* :mod:`.statements` — quotes of one statement grouped across wordings and languages.
* :mod:`.figures` — counts of killed, injured, arrested… with normalised values.
* :mod:`.stage` — the ``claims`` analysis stage; :mod:`.queries` — what the CLI shows;
  :mod:`.evaluate` — precision and recall against annotated articles.
"""
