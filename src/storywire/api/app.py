"""The HTTP API and web UI in one FastAPI app: ``create_app(db_path, allow_ingest=False)``.

Every request opens its own SQLite connection (read-only unless it ingests) and
closes it when the response is sent; no connection is shared between threads.
Errors are JSON ``{"error": {"status", "message", "hint"}}`` under ``/api`` and
HTML pages elsewhere.
"""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path
from typing import Literal, Optional

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

import storywire

from ..errors import NotFound, StorywireError
from ..limits import LimitBody
from ..store import Store
from ..web.pages import error_page, mount_web
from . import models, queries
from .deps import DATE, read_store
from .queries import MAX_LIMIT

ERRORS = {404: {"model": models.Error}, 422: {"model": models.Error}}

# Security headers on every response: nothing inline runs, nothing loads from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def Limit(default: int = 50):  # noqa: N802 - reads like a type in signatures
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT}).")


Offset = Query(0, ge=0, le=1_000_000_000, description="Items to skip.")


def create_app(db_path: str | Path, allow_ingest: bool = False) -> FastAPI:
    """The storywire app over the database at ``db_path`` (created and migrated if needed)."""
    db_path = str(db_path)
    Store.open(db_path).close()  # create the file and apply migrations once, up front
    app = FastAPI(
        title="storywire",
        version=storywire.__version__,
        description="Copies, stories, actors, quotes and figures found in news articles.",
        docs_url=None,  # Swagger UI loads from a CDN; the web UI serves its own page at /api/docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.db_path = db_path
    app.state.allow_ingest = allow_ingest
    app.state.ingest_lock = threading.Lock()

    app.add_middleware(LimitBody)  # 413 before an oversized body is read

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    _install_error_handlers(app)
    app.include_router(api_router(), prefix="/api")
    mount_web(app)
    return app


def api_router() -> APIRouter:
    r = APIRouter(responses={422: {"model": models.Error}})

    @r.get("/health", response_model=models.Health, tags=["meta"])
    def health(store: Store = Depends(read_store)):
        """Is the service up, and what does the database hold."""
        return queries.health(store)

    @r.get("/articles", response_model=models.Page[models.ArticleSummary], tags=["articles"])
    def list_articles(
        store: Store = Depends(read_store),
        language: Optional[str] = Query(None, max_length=32, description="ISO 639-1 code."),
        outlet: Optional[str] = Query(None, max_length=300),
        story: Optional[str] = Query(None, max_length=300, description="Only articles of this story."),
        since: Optional[str] = Query(None, pattern=DATE, description="Published on or after (ISO date)."),
        until: Optional[str] = Query(None, pattern=DATE, description="Published on or before (ISO date)."),
        limit: int = Limit(),
        offset: int = Offset,
    ):
        """Articles, newest first, without their texts."""
        return queries.list_articles(store, language=language, outlet=outlet, story=story, since=since,
                                     until=until, limit=limit, offset=offset)

    @r.get("/articles/{article_id:path}", response_model=models.ArticleDetail, responses=ERRORS, tags=["articles"])
    def get_article(article_id: str, store: Store = Depends(read_store)):
        """One article: clean text, metadata, story, copies, actors."""
        return queries.get_article(store, article_id)

    @r.get("/stories", response_model=models.Page[models.StorySummary], tags=["stories"])
    def list_stories(
        store: Store = Depends(read_store),
        q: Optional[str] = Query(None, max_length=500, description="Words to find in titles and article texts."),
        language: Optional[str] = Query(None, max_length=32),
        outlet: Optional[str] = Query(None, max_length=300),
        since: Optional[str] = Query(None, pattern=DATE, description="Last article on or after (ISO date)."),
        until: Optional[str] = Query(None, pattern=DATE, description="First article on or before (ISO date)."),
        sort: Literal["recent", "size"] = Query("recent", description="Newest first, or biggest first."),
        limit: int = Limit(),
        offset: int = Offset,
    ):
        """Stories, newest (or biggest) first, with their languages and outlets."""
        return queries.list_stories(store, q=q, language=language, outlet=outlet, since=since, until=until,
                                    sort=sort, limit=limit, offset=offset)

    @r.get("/stories/{story_id}", response_model=models.StoryDetail, responses=ERRORS, tags=["stories"])
    def get_story(story_id: str, store: Store = Depends(read_store)):
        """One story: articles, timeline per outlet, copy graph, actors, quotes, figures."""
        return queries.get_story(store, story_id)

    @r.get("/stories/{story_id}/compare", response_model=models.Comparison, responses=ERRORS, tags=["stories"])
    def compare(story_id: str, store: Store = Depends(read_store)):
        """How each outlet tells the story: copies with edits, substitutions, additions, omissions,
        word choices per referent, quotes across translations, figures per outlet."""
        from ..compare import compare_story

        return compare_story(store, story_id).to_dict()

    @r.get("/actors", response_model=models.Page[models.ActorSummary], tags=["actors"])
    def list_actors(
        store: Store = Depends(read_store),
        q: Optional[str] = Query(None, max_length=300, description="Part of a name or variant."),
        kind: Optional[Literal["person", "org", "place"]] = Query(None),
        limit: int = Limit(),
        offset: int = Offset,
    ):
        """Actors, most mentioned first."""
        return queries.list_actors(store, q=q, kind=kind, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}", response_model=models.ActorDetail, responses=ERRORS, tags=["actors"])
    def get_actor(actor_id: str, store: Store = Depends(read_store)):
        """One actor: name variants with the outlets using them, stories, quotes."""
        return queries.get_actor(store, actor_id)

    @r.get("/copies", response_model=models.Page[models.CopySummary], tags=["copies"])
    def list_copies(
        store: Store = Depends(read_store),
        verdict: Optional[Literal["copy", "partial", "independent"]] = Query(None),
        article: Optional[str] = Query(None, max_length=300, description="Only pairs with this article."),
        limit: int = Limit(),
        offset: int = Offset,
    ):
        """Compared article pairs, highest score first."""
        return queries.list_copies(store, verdict=verdict, article=article, limit=limit, offset=offset)

    @r.get("/copies/pair", response_model=models.CopyDetail, response_model_by_alias=True,
           responses=ERRORS, tags=["copies"])
    def get_copy(
        store: Store = Depends(read_store),
        a: str = Query(..., max_length=300), b: str = Query(..., max_length=300),
    ):
        """One pair seen from its source: edits, passages, and both texts cut into segments."""
        return queries.get_copy(store, a, b)

    @r.get("/search", response_model=models.SearchResult, tags=["search"])
    def search(
        store: Store = Depends(read_store),
        q: str = Query(..., min_length=1, max_length=500),
        limit: int = Limit(20),
        offset: int = Offset,
    ):
        """Articles (full text, best first), stories and actors matching the words."""
        return queries.search(store, q, limit=limit, offset=offset)

    @r.post("/ingest", response_model=models.IngestResult, tags=["ingest"],
            responses={400: {"model": models.Error}, 403: {"model": models.Error}, 422: {"model": models.Error}})
    def ingest(body: models.IngestRequest, request: Request):
        """Store articles and run the analyses (only when the server runs with --allow-ingest)."""
        if not request.app.state.allow_ingest:
            raise IngestDisabled()
        with request.app.state.ingest_lock:
            return ingest_articles(request.app.state.db_path, body.articles)

    return r


class IngestDisabled(StorywireError):
    def __init__(self) -> None:
        super().__init__("ingest is disabled on this server", hint="start it with `storywire serve --allow-ingest`")


def ingest_articles(db_path: str, articles: list[models.IngestArticle]) -> dict:
    """Run the main pipeline on posted articles, read as one JSONL file."""
    from ..pipeline import ingest

    with tempfile.TemporaryDirectory(prefix="storywire-post-") as tmp:
        path = Path(tmp) / "posted.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(a.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
        with Store.open(db_path) as store:
            report = ingest([str(path)], store)
    return {
        "run": report.run_id, "counts": report.counts, "analysis": report.analysis,
        "failures": [{"source": f.source, "stage": f.stage, "reason": f.reason} for f in report.failures],
    }


STATUS = {NotFound: 404, IngestDisabled: 403}


def error_response(status: int, message: str, hint: str | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, "hint": hint}}, status_code=status,
                        headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api")

    @app.exception_handler(StorywireError)
    async def storywire_error(request: Request, exc: StorywireError):
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        if wants_json(request):
            return error_response(status, exc.message, exc.hint)
        return error_page(request, status, exc.message, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg')}")
        message = "invalid request: " + "; ".join(parts)
        if wants_json(request):
            return error_response(422, message, "see the parameters in /api/docs")
        return error_page(request, 422, message, None)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        hint = "see the endpoints in /api/docs" if exc.status_code == 404 else None
        if wants_json(request):
            return error_response(exc.status_code, str(exc.detail), hint, exc.headers)
        page = error_page(request, exc.status_code, str(exc.detail), None)
        page.headers.update(exc.headers or {})
        return page

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        message = f"internal error: {type(exc).__name__}"
        if wants_json(request):
            return error_response(500, message, "see the server log; report it if it persists")
        return error_page(request, 500, message, None)
