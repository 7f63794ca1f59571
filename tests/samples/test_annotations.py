"""The sample corpus agrees with its own annotations.

Later stages measure themselves against ``annotations.json``; these tests make sure
every annotation points at text that is really in the corpus, so that a failing
stage is the stage's fault and not the annotation's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import lxml.html
import pytest

from storywire.samples import annotations, corpus_dir

LANGUAGES = {"en", "fr", "de", "es"}
FIGURE_KINDS = {"killed", "injured", "missing", "displaced", "evacuated", "arrested", "affected", "children killed"}
COPY_LABELS = {"copy", "partial", "independent", "unrelated"}
# a direct quote in any of the corpus's quotation styles; single quotes only
# when they open after a space and close before punctuation, so apostrophes do not count
QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”|«[^»\n]+»|„[^“\n]+“|(?<=\s)\'[^\'\n]+\'(?=[\s,.;:])')


def _source_texts() -> dict[str, dict[str, str]]:
    """Each article's title and its whole source text (HTML as rendered text), by id."""
    docs: dict[str, dict[str, str]] = {}
    for path in sorted(corpus_dir().iterdir()):
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                docs[record["id"]] = {"title": record["title"], "text": record["title"] + "\n" + record["text"],
                                      "record": record}
        elif path.suffix == ".html":
            tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
            title = tree.xpath("string(//meta[@property='og:title']/@content)")
            docs[path.stem] = {"title": title, "text": tree.text_content(), "html": tree}
        else:
            text = path.read_text(encoding="utf-8")
            docs[path.stem] = {"title": text.split("\n", 1)[0].lstrip("# ").strip(), "text": text}
    return docs


DOCS = _source_texts()
ANN = annotations()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _occurs(phrase: str, text: str) -> bool:
    """``phrase`` in ``text`` as whole words ("Rask" is not found in "Brask")."""
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def test_corpus_is_installed_with_the_package():
    suffixes = Counter(p.suffix for p in corpus_dir().iterdir())
    assert suffixes[".jsonl"] == 1 and suffixes[".html"] >= 2 and suffixes[".txt"] >= 10 and suffixes[".md"] >= 5
    assert annotations() is not annotations()  # callers get their own copy


def test_every_document_is_annotated_and_every_annotated_document_exists():
    for key in ("languages", "published", "metadata"):
        assert set(ANN[key]) == set(DOCS), key
    referenced = {q["doc"] for q in ANN["quotes"]} | {f["doc"] for f in ANN["figures"]}
    referenced |= {c[k] for c in ANN["copies"] for k in ("a", "b")} | set(ANN["boilerplate_lines"])
    referenced |= {n["doc"] for n in ANN["non_quotes"]}
    assert referenced <= set(DOCS)
    assert 35 <= len(DOCS) <= 45


def test_stories_cover_every_document_exactly_once():
    members = Counter(d for docs in ANN["stories"].values() for d in docs)
    assert set(members) == set(DOCS)
    assert all(n == 1 for n in members.values()), [d for d, n in members.items() if n > 1]


def test_each_language_has_at_least_six_articles():
    counts = Counter(ANN["languages"].values())
    assert set(counts) == LANGUAGES
    assert all(n >= 6 for n in counts.values()), counts


def test_articles_are_short_news_length():
    for doc_id, doc in DOCS.items():
        n = len(doc["text"].split()) if "html" not in doc else len(doc["html"].xpath("string(//article)").split())
        assert 120 <= n <= 400, (doc_id, n)


def test_publication_dates_are_in_the_articles():
    for doc_id, published in ANN["published"].items():
        date.fromisoformat(published)
        doc = DOCS[doc_id]
        if "record" in doc:
            assert doc["record"]["date"].startswith(published)
        elif "html" in doc:
            assert doc["html"].xpath("string(//meta[@property='article:published_time']/@content)").startswith(published)
        else:
            assert ANN["date_text"][doc_id] in doc["text"], doc_id
    assert set(ANN["date_text"]) <= set(DOCS)


def test_metadata_matches_the_sources():
    for doc_id, meta in ANN["metadata"].items():
        doc = DOCS[doc_id]
        assert meta["title"] in doc["title"], doc_id
        assert meta["url"].startswith("https://") and ".example." in meta["url"]
        if "record" in doc:
            assert (doc["record"]["url"], doc["record"]["source"]) == (meta["url"], meta["outlet"])
        elif "html" in doc:
            assert meta["url"] == doc["html"].xpath("string(//link[@rel='canonical']/@href)")
            assert meta["outlet"] == doc["html"].xpath("string(//meta[@property='og:site_name']/@content)")
        else:
            assert f"<{meta['url']}>" in doc["text"], doc_id
            assert meta["outlet"] in doc["text"], doc_id
        if "html" not in doc and "record" not in doc:
            assert doc["text"].count("\n") >= 6  # laid out in paragraphs


def test_boilerplate_lines_are_whole_lines_of_their_article():
    for doc_id, lines in ANN["boilerplate_lines"].items():
        doc = DOCS[doc_id]
        if "html" in doc:
            for line in lines:
                assert line in " ".join(doc["text"].split()), (doc_id, line)
        else:
            text_lines = {re.sub(r"\*\*", "", ln).strip() for ln in doc["text"].splitlines()}
            for line in lines:
                assert line in text_lines, (doc_id, line)


def test_quotes_start_where_annotated_and_are_all_annotated():
    speakers = {a["canonical"] for a in ANN["actors"] if a["kind"] == "person"}
    starts = {q["starts"] for q in ANN["quotes"]}
    for quote in ANN["quotes"]:
        assert quote["speaker"] in speakers, quote
        assert quote["starts"] in DOCS[quote["doc"]]["text"], quote
        same = quote.get("same_statement_as")
        assert same is None or (same in starts and same != quote["starts"]), quote
    # completeness: every quoted span of every article is an annotated quote or a known non-quote
    for doc_id, doc in DOCS.items():
        ours = [q["starts"] for q in ANN["quotes"] if q["doc"] == doc_id]
        ours += [n["text"] for n in ANN["non_quotes"] if n["doc"] == doc_id]
        for span in QUOTED.findall(doc["text"]):
            inner = span.strip("\"“”«»„' ")
            assert any(inner.startswith(s.strip("\"“”«»„' ")) for s in ours), (doc_id, span)
        found = QUOTED.findall(doc["text"])
        assert len(found) == len(ours), (doc_id, found, ours)


def test_same_statement_groups_stay_within_one_story():
    story_of = {d: s for s, docs in ANN["stories"].items() for d in docs}
    story_of_quote = {}
    for quote in ANN["quotes"]:
        story_of_quote.setdefault(quote["starts"], set()).add(story_of[quote["doc"]])
    for quote in ANN["quotes"]:
        if "same_statement_as" in quote:
            assert story_of_quote[quote["same_statement_as"]] == {story_of[quote["doc"]]}, quote


def test_every_actor_variant_is_written_somewhere():
    everything = "\n".join(d["text"] for d in DOCS.values())
    seen = Counter()
    for actor in ANN["actors"]:
        assert actor["kind"] in {"person", "org", "place"}
        assert actor["canonical"] in actor["variants"]
        for variant in actor["variants"]:
            assert _occurs(variant, everything), (actor["canonical"], variant)
            seen[variant] += 1
    assert all(n == 1 for n in seen.values()), [v for v, n in seen.items() if n > 1]


def test_same_and_different_actor_groups_agree_with_the_actor_list():
    actor_of = {v: a["canonical"] for a in ANN["actors"] for v in a["variants"]}
    for group in ANN["same_actor"]:
        assert len({actor_of[name] for name in group}) == 1, group
    for a, b in ANN["different_actor"]:
        assert actor_of[a] != actor_of[b]
    # people who share a first name but are different actors are present on purpose
    firsts = Counter(a["canonical"].split()[0] for a in ANN["actors"] if a["kind"] == "person")
    assert firsts["Yusuf"] == 2 and firsts["Elena"] == 2


def test_figures_are_written_as_annotated():
    for figure in ANN["figures"]:
        doc = DOCS[figure["doc"]]
        where = doc["title"] if figure.get("in") == "title" else doc["text"]
        assert figure["raw"] in where, figure
        assert figure["what"] in FIGURE_KINDS, figure
        if "value" in figure:
            assert isinstance(figure["value"], int) and figure["value"] > 0
        else:
            assert figure["low"] is not None and (figure["high"] is None or figure["high"] > figure["low"])
    # the number formats the claims stage must read are all present
    raws = " | ".join(f["raw"] for f in ANN["figures"])
    for written in ("2,000", "9 220", "13.000", "1.2 million", "1,2 millones", "dozens", "más de 200", "Quarante et une"):
        assert written in raws, written


@pytest.mark.parametrize("pair", ANN["copies"], ids=lambda p: f"{p['a']}~{p['b']}")
def test_copy_pairs_show_their_edits(pair):
    story_of = {d: s for s, docs in ANN["stories"].items() for d in docs}
    a, b = DOCS[pair["a"]]["text"], DOCS[pair["b"]]["text"]
    assert pair["label"] in COPY_LABELS
    same_story = story_of[pair["a"]] == story_of[pair["b"]]
    assert same_story == (pair["label"] != "unrelated")
    for old, new in pair.get("edits_expected", []):
        assert old in a and new in b and old not in b and new not in a, (old, new)
    for sentence in pair.get("added", []):
        assert sentence in b and sentence not in a
    for sentence in pair.get("removed", []):
        assert sentence in a and sentence not in b
    for passage in pair.get("shared", []):
        assert passage in a and passage in b
    if pair["label"] in {"copy", "partial"} and "via" not in pair:
        shared = _words(a) & _words(b)
        assert len(shared) / len(_words(b)) > (0.8 if pair["label"] == "copy" else 0.3)
