"""The web UI: server-rendered pages over the same queries as the API.

Templates autoescape everything; article content is never marked safe. Links
built from article URLs are kept only for http(s) URLs, so a stored
``javascript:`` URL is shown as text and never becomes a link.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..api import queries
from ..api.deps import DATE, read_store
from ..compare import compare_story
from ..store import Store
from .charts import copy_graph_chart, timeline_chart

HERE = Path(__file__).parent
PAGE_SIZE = 50
# Copies shown side by side on a story page; the others are listed with a link to their own page.
SIDE_BY_SIDE = 5

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html", "svg"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL with a host, else None (no javascript:, data: or relative links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def idpath(value: str) -> str:
    """An id as one URL path segment."""
    return quote(str(value), safe="")


def marks(snippet: str | None) -> Markup:
    """A search snippet with its ``[matched]`` words in <mark>, everything else escaped."""
    parts = re.split(r"\[([^\[\]]*)\]", snippet or "")
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<mark>%s</mark>") % p for i, p in enumerate(parts))


env.filters["safe_href"] = safe_href
env.filters["marks"] = marks
env.filters["idpath"] = idpath
env.filters["urlencode_params"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})


def render(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status)


def error_page(request: Request, status: int, message: str, hint: str | None) -> HTMLResponse:
    return render("error.html", status=status, status_code=status, message=message, hint=hint)


def mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)


router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def story_list(
    store: Store = Depends(read_store),
    q: Optional[str] = Query(None, max_length=500),
    language: Optional[str] = Query(None, max_length=32),
    outlet: Optional[str] = Query(None, max_length=300),
    since: Optional[str] = Query(None, pattern=DATE),
    until: Optional[str] = Query(None, pattern=DATE),
    sort: Literal["recent", "size"] = "recent",
    offset: int = Query(0, ge=0, le=1_000_000_000),
):
    stories = queries.list_stories(store, q=q, language=language, outlet=outlet, since=since, until=until,
                                   sort=sort, limit=PAGE_SIZE, offset=offset)
    filters = {"q": q, "language": language, "outlet": outlet, "since": since, "until": until, "sort": sort}
    return render("stories.html", stories=stories, filters=filters,
                  counts=queries.counts(store, ("articles", "stories", "copy_pairs")))


@router.get("/stories/{story_id}")
def story_page(story_id: str, store: Store = Depends(read_store)):
    comparison = compare_story(store, story_id)
    view = queries.get_story(store, story_id, comparison)
    word_outlets = sorted({o for w in comparison.word_choices for o in w["by_outlet"]})
    return render(
        "story.html", view=view, comparison=comparison.to_dict(segments_for=SIDE_BY_SIDE), word_outlets=word_outlets,
        timeline=timeline_chart(view["timeline"]), graph=copy_graph_chart(view["copy_graph"]),
    )


@router.get("/articles/{article_id:path}")
def article_page(article_id: str, store: Store = Depends(read_store)):
    return render("article.html", article=queries.get_article(store, article_id))


@router.get("/copies")
def copy_page(store: Store = Depends(read_store), a: str = Query(..., max_length=300),
              b: str = Query(..., max_length=300)):
    return render("copy.html", pair=queries.get_copy(store, a, b))


@router.get("/actors")
def actor_list(store: Store = Depends(read_store), q: Optional[str] = Query(None, max_length=300),
               offset: int = Query(0, ge=0, le=1_000_000_000)):
    return render("actors.html", actors=queries.list_actors(store, q=q, limit=PAGE_SIZE, offset=offset), q=q)


@router.get("/actors/{actor_id}")
def actor_page(actor_id: str, store: Store = Depends(read_store)):
    return render("actor.html", actor=queries.get_actor(store, actor_id))


@router.get("/search")
def search_page(store: Store = Depends(read_store), q: str = Query("", max_length=500),
                offset: int = Query(0, ge=0, le=1_000_000_000)):
    results = queries.search(store, q, limit=PAGE_SIZE, offset=offset) if q.strip() else None
    return render("search.html", q=q, search_q=q, results=results)


@router.get("/api/docs")
def api_docs(request: Request):
    """The API reference, rendered from the OpenAPI schema (no external assets)."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **op}
        for path, methods in schema["paths"].items() for method, op in methods.items()
    ]
    return render("api_docs.html", schema=schema, operations=operations)


@router.get("/docs")
def docs_redirect():
    return RedirectResponse("/api/docs")
