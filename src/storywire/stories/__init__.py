"""Stories: articles that report one event, across outlets and languages.

``features`` (what an article looks like to the assigner), ``encoder``
(sentence embeddings, cached), ``assign`` (online assignment and merging),
``stage`` (the analysis stage and story records), ``metrics`` and ``evaluate``
(``storywire eval``), ``commands`` (CLI).
"""
