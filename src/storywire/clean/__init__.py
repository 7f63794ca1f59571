"""Cleaning scraped articles: from ``raw_text`` to ``clean_text`` and paragraphs.

:class:`CleanArticle` is the step; the work is done by :mod:`.layout` (metadata
and furniture out of the text layout), :mod:`.boilerplate` (general rules for
page furniture), :mod:`.outlet_lines` (lines an outlet repeats across its
articles), :mod:`.glued` (sentences glued by scrapers) and :mod:`.normalize`
(Unicode, quotes: see its docstring for the quote decision).
"""

from __future__ import annotations

from ..config import Settings
from ..engine import ArticleStep
from ..errors import InputError
from ..model import Article, Paragraph
from .layout import read_layout
from .outlet_lines import OutletLines

__all__ = ["CleanArticle", "OutletLines"]


class CleanArticle(ArticleStep):
    """Set ``clean_text`` and ``paragraphs``, and fill title, URL and outlet from the layout.

    Metadata the reader already set wins over what the layout suggests. Captions
    and the byline go to ``extra["captions"]`` / ``extra["byline"]``; every line
    removed is listed with its reason in ``extra["removed"]``. Articles that
    already have a clean text pass unchanged. The per-outlet line table is
    ``settings.extra["outlet_lines"]`` when the pipeline provides one.
    """

    name = "clean"

    def __init__(self, settings: Settings | None = None):
        settings = settings or Settings()
        self.outlet_lines: OutletLines = settings.extra.get("outlet_lines") or OutletLines()

    def process(self, article: Article) -> Article:
        if article.clean_text:
            return article
        layout = read_layout(
            article.raw_text,
            title=article.title,
            url=article.url,
            outlet=article.outlet,
            known_outlet=self.outlet_lines.knows,
            repeated=self.outlet_lines.is_repeated,
        )
        self.outlet_lines.name(layout.outlet)
        if not layout.paragraphs:
            raise InputError("no article text left after cleaning (only titles, links or page furniture)")
        article.title, article.url, article.outlet = layout.title, layout.url, layout.outlet
        article.published = article.published or layout.published
        article.paragraphs = [Paragraph(p) for p in layout.paragraphs]
        article.clean_text = "\n\n".join(layout.paragraphs)
        if layout.captions:
            article.extra["captions"] = layout.captions
        if layout.byline:
            article.extra["byline"] = layout.byline
        if layout.removed:
            article.extra["removed"] = [list(r) for r in layout.removed]
        return article
