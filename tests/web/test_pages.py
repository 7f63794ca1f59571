"""The web pages render the fixture stories, escape everything, and never link to javascript: URLs."""

from __future__ import annotations

import re

import pytest
from api.storyfixture import HOSTILE_TAIL

from storywire.web.pages import marks, safe_href

PAGES = ["/", "/?sort=size", "/stories/s-harbour", "/stories/s-budget", "/articles/w1", "/articles/h1",
         "/actors", "/actors/a-brandt", "/search?q=Kelport", "/search?q=", "/copies?a=w1&b=h1", "/api/docs"]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_escaped_html(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    # The only <script> is the bundled one; no markup from article content got through.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]


def test_story_page_shows_every_part(client):
    html = client.get("/stories/s-harbour").text
    assert '<svg class="chart timeline"' in html and html.count('class="dot"') == 4
    assert '<svg class="chart graph"' in html and html.count('class="edge ') == 2
    assert '<mark class="edit replace" data-edit="0" title="replace">storm</mark>' in html
    assert '<mark class="edit replace" data-edit="0" title="replace">flood</mark>' in html
    assert "outlets disagree" in html and "the same statement in 3 articles" in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # the hostile copy's addition, as text


def test_article_page_keeps_hostile_text_as_text(client):
    html = client.get("/articles/h1").text
    assert 'class="unsafe-url"' in html and "javascript:alert(document.cookie)</span>" in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "DROP TABLE articles;--" in html and HOSTILE_TAIL not in html
    w1 = client.get("/articles/w1").text
    assert 'href="https://coastwire.example/kelport-storm"' in w1
    assert "/copies?a=w1&amp;b=c1" in w1


def test_missing_pages_are_html_errors(client):
    r = client.get("/stories/none-such")
    assert r.status_code == 404 and "no story with id" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/articles/none").status_code == 404
    assert client.get("/?offset=-4").status_code == 422


def test_static_assets_are_bundled(client):
    assert client.get("/static/style.css").status_code == 200
    assert "data-edit" in client.get("/static/app.js").text
    for url in PAGES:
        html = client.get(url).text
        loaded = re.findall(r'<script[^>]* src="([^"]*)"', html) + re.findall(r'<link[^>]* href="([^"]*)"', html)
        assert loaded and all(u.startswith("/static/") for u in loaded), url


def test_filters_and_search_on_the_story_list(client):
    html = client.get("/", params={"language": "de"}).text
    assert "Kelport budget passed" in html and "Storm hits Kelport harbour" not in html
    assert "No stories match these filters" in client.get("/", params={"q": "zebra"}).text
    search = client.get("/search", params={"q": "rebuild"}).text
    assert "<mark>rebuild</mark>" in search


def test_safe_href_allows_only_web_links():
    assert safe_href("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "//evil.example",
                "/relative", "http:///nohost", "vbscript:x", None, ""):
        assert safe_href(bad) is None, bad


def test_search_marks_escape_around_matches():
    assert str(marks("a <b> [word] c")) == "a &lt;b&gt; <mark>word</mark> c"
    assert str(marks("[<i>]")) == "<mark>&lt;i&gt;</mark>"


def test_ids_in_urls_are_escaped_in_error_pages(client):
    r = client.get("/stories/%3Cscript%3Ealert(1)")
    assert r.status_code == 404
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text
    r = client.get("/articles/x'%20OR%201=1--")
    assert r.status_code == 404 and "x&#39; OR 1=1--" in r.text
