"""Response shapes of the HTTP API, published in its OpenAPI schema."""

from __future__ import annotations

from typing import Any, Generic, Optional, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: Optional[int] = Field(None, description="Offset of the next page; null on the last page.")


class ArticleSummary(BaseModel):
    id: str
    outlet: Optional[str]
    url: Optional[str]
    title: Optional[str]
    published: Optional[str]
    language: Optional[str]
    version: int
    ingested_at: str
    chars: int


class CopyRef(BaseModel):
    other: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[str]
    verdict: str
    score: float
    role: str = Field(description="This article's side: source, copy, or unknown direction.")


class ArticleDetail(BaseModel):
    id: str
    outlet: Optional[str]
    url: Optional[str]
    title: Optional[str]
    published: Optional[str]
    language: Optional[str]
    clean_text: str
    version: int
    ingested_at: Optional[str]
    paragraphs: list[dict[str, Any]]
    story: Optional[dict[str, Any]]
    copies: list[CopyRef]
    actors: list[dict[str, Any]]


class StorySummary(BaseModel):
    id: str
    title: Optional[str]
    first_seen: Optional[str]
    last_seen: Optional[str]
    article_count: int
    languages: list[str]
    outlets: list[str]


class StoryDetail(BaseModel):
    story: dict[str, Any]
    articles: list[dict[str, Any]]
    articles_total: int
    timeline: list[dict[str, Any]]
    copy_graph: dict[str, Any]
    actors: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    figures: list[dict[str, Any]]


class Comparison(BaseModel):
    story: dict[str, Any]
    articles: list[dict[str, Any]]
    copies: list[dict[str, Any]]
    copies_total: int
    substitutions: list[dict[str, Any]]
    additions: list[dict[str, Any]]
    omissions: list[dict[str, Any]]
    word_choices: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    figures: list[dict[str, Any]]


class ActorSummary(BaseModel):
    id: str
    name: str
    kind: str
    mentions: int


class ActorDetail(BaseModel):
    id: str
    name: str
    kind: str
    key: str
    variants: list[dict[str, Any]]
    stories: list[dict[str, Any]]
    quotes: list[dict[str, Any]]


class CopySummary(BaseModel):
    a: str
    b: str
    verdict: str
    score: float
    source_id: Optional[str]
    direction_conf: Optional[float]
    containment_ab: float
    containment_ba: float


class CopyDetail(BaseModel):
    source: dict[str, Any]
    copy_: dict[str, Any] = Field(alias="copy")
    verdict: str
    score: float
    direction_known: bool
    passages: list[dict[str, Any]]
    edits: list[dict[str, Any]]
    source_segments: list[dict[str, Any]]
    copy_segments: list[dict[str, Any]]


class SearchResult(BaseModel):
    query: str
    articles: Page[dict[str, Any]]
    stories: list[StorySummary]
    actors: list[ActorSummary]


class Health(BaseModel):
    status: str
    counts: dict[str, int]
    migrations: list[str]


class IngestArticle(BaseModel):
    """One article to ingest; ``text`` is the raw text (or HTML) as scraped."""

    text: str = Field(min_length=1, max_length=2_000_000)
    id: Optional[str] = Field(None, max_length=300)
    title: Optional[str] = Field(None, max_length=2000)
    outlet: Optional[str] = Field(None, max_length=300)
    url: Optional[str] = Field(None, max_length=2000)
    published: Optional[str] = Field(None, max_length=64)
    language: Optional[str] = Field(None, max_length=16)


class IngestRequest(BaseModel):
    articles: list[IngestArticle] = Field(min_length=1, max_length=1000)


class IngestResult(BaseModel):
    run: int
    counts: dict[str, int]
    failures: list[dict[str, str]]
    analysis: dict[str, dict[str, Any]]


class ErrorBody(BaseModel):
    status: int
    message: str
    hint: Optional[str] = None


class Error(BaseModel):
    error: ErrorBody
