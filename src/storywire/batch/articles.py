"""Articles as rows of the ``articles`` Parquet table, and back."""

from __future__ import annotations

import json
from typing import Any

from ..model import Article, Paragraph, Rejected, content_hash


def article_row(article: Article, ingested_at: str) -> tuple:
    """The ``articles`` row of a clean article (columns of tables.TABLES['articles'])."""
    return (
        article.id, article.outlet, article.url, article.title, article.published, article.language,
        article.raw_text, article.clean_text,
        json.dumps([{"text": p.text, "lang": p.lang} for p in article.paragraphs], ensure_ascii=False),
        article.content_hash or content_hash(article.clean_text or article.raw_text),
        article.version, article.ingested_at or ingested_at, article.source_path,
        json.dumps(article.extra, ensure_ascii=False, default=str) if article.extra else None,
    )


def row_article(row: dict[str, Any]) -> Article:
    """An :class:`Article` from an ``articles`` row (a dict, or a Spark Row's asDict())."""
    return Article(
        id=row["id"],
        raw_text=row.get("raw_text") or "",
        outlet=row.get("outlet"),
        url=row.get("url"),
        title=row.get("title"),
        published=row.get("published"),
        language=row.get("language"),
        clean_text=row.get("clean_text") or "",
        paragraphs=[Paragraph(**p) for p in json.loads(row.get("paragraphs") or "[]")],
        content_hash=row.get("content_hash") or "",
        version=row.get("version") or 1,
        ingested_at=row.get("ingested_at"),
        source_path=row.get("source_path"),
        extra=json.loads(row["extra"]) if row.get("extra") else {},
    )


def rejected_row(record: Rejected) -> tuple:
    return (record.source, record.stage, record.reason)
