"""Broken and hostile inputs through every reader, the cleaning and the language step.

What must hold for every input: no crash, no hang (each input has a time
budget, enforced by killing its worker process), every bad record reported
exactly once with a reason, and every good record hidden among bad ones stored.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storywire.clean import CleanArticle
from storywire.config import Settings
from storywire.errors import InputError
from storywire.ingest import jsonrecords, sniff
from storywire.ingest.dates import to_iso
from storywire.ingest.decode import decode
from storywire.ingest.html import html_to_text
from storywire.lang import DetectLanguage
from storywire.model import Article, Rejected
from storywire.pipeline import ingest

from isolated import Isolated
from reliability_kit import scale
from malformed import ZERO_WIDTH_BIDI, write_corpus

SEED = 8
# Seconds one input may take in the readers and steps before it counts as a hang.
BUDGET = 60.0


def problems_of(outcome, case) -> list[str]:
    """What went wrong with one input, as readable lines (empty when all is well)."""
    if outcome.status != "ok":
        return [f"{case.name} [{case.kind}]: {outcome.status}: {outcome.error.strip().splitlines()[-1:]}"]
    found = []
    if not outcome.articles and not outcome.rejected:
        found.append(f"{case.name} [{case.kind}]: nothing stored and nothing reported")
    sources = Counter(source for source, _, _ in outcome.rejected)
    found += [f"{case.name}: {source} reported {n} times" for source, n in sources.items() if n > 1]
    found += [f"{case.name}: {source} rejected without a reason" for source, _, reason in outcome.rejected
              if not reason.strip()]
    stored = {aid for aid, _ in outcome.articles}
    found += [f"{case.name} [{case.kind}]: good record {aid} lost" for aid in case.good_ids if aid not in stored]
    return found


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_generated_corpus_never_crashes_hangs_or_loses_records(tmp_path, record_figures):
    files = scale("fuzz_files", 1000)
    cases = write_corpus(tmp_path / "in", files, SEED)
    by_name = {str(tmp_path / "in" / c.name): c for c in cases}
    started = time.perf_counter()
    pool = Isolated(workers=2, budget=BUDGET)
    try:
        outcomes = pool.run(sorted(by_name))
    finally:
        pool.close()
    elapsed = time.perf_counter() - started
    problems = [p for o in outcomes for p in problems_of(o, by_name[o.name])]
    record_figures("fuzz", {
        "files": len(cases), "inputs": sum(c.records for c in cases),
        "kinds": dict(Counter(c.kind for c in cases)),
        "articles": sum(len(o.articles) for o in outcomes), "rejected": sum(len(o.rejected) for o in outcomes),
        "statuses": dict(Counter(o.status for o in outcomes)), "problems": len(problems),
        "seconds": round(elapsed, 1),
    })
    assert len(outcomes) == len(cases)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_pipeline_stores_every_good_record_and_reports_each_bad_one_once(tmp_path, store):
    """The same kinds of input through ``pipeline.ingest`` with a real store (readers
    whose failures end in the store's run items, not only in the report)."""
    cases = write_corpus(tmp_path / "all", 150, SEED + 1)
    folder = tmp_path / "in"
    folder.mkdir()
    keep = {"malformed_jsonl", "malformed_json", "bad_feed", "zero_width_bidi", "nul_bytes", "mixed_encodings",
            "truncated_html", "random_bytes"}
    chosen = [c for c in cases if c.kind in keep]
    for c in chosen:
        (tmp_path / "all" / c.name).rename(folder / c.name)

    report = ingest([str(folder)], store, Settings(batch_size=7), analyse=False)

    stored = {r[0] for r in store.query("SELECT id FROM articles")}
    missing = [aid for c in chosen for aid in c.good_ids if aid not in stored]
    assert not missing, f"good records lost: {missing}"
    failed = store.run_items(report.run_id, "failed")
    assert len(failed) == report.counts["failed"] == len(report.failures)
    assert all(item["reason"] for item in failed)
    dupes = [s for s, n in Counter(item["source"] for item in failed).items() if n > 1]
    assert not dupes, f"reported more than once: {dupes}"
    items = store.run_items(report.run_id)
    for c in chosen:  # every file shows up in the run: stored, duplicate or failed with a reason
        assert any(Path(item["source"].split("#")[0]).name == c.name for item in items), c.name
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"


# -- properties -------------------------------------------------------------------------------------

PROPS = settings(max_examples=150, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
hostile_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(ZERO_WIDTH_BIDI + ["\x00", "\r", "\n", " ", "<", "&"])),
    max_size=400,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(
    st.sampled_from(["id", "text", "title", "url", "date", "source", "lang", "body", "other"]), json_values,
    max_size=7,
)


@PROPS
@given(lines=st.lists(st.one_of(records.map(lambda r: json.dumps(r).encode()), st.binary(max_size=200)),
                      min_size=1, max_size=8))
def test_jsonl_reader_gives_one_result_per_line(tmp_path_factory, lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    path = tmp_path_factory.mktemp("jsonl") / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    try:
        out = list(jsonrecords.read_jsonl(path, Settings()))
    except InputError:
        return  # the whole file refused (binary, or no records), with its reason
    non_empty = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert len(out) == len(non_empty)
    for n, record in zip(non_empty, out):
        where = record.source if isinstance(record, Rejected) else record.source_path
        assert where == f"{path}#{n}"
        if isinstance(record, Rejected):
            assert record.reason


@PROPS
@given(value=st.one_of(hostile_text, st.integers(), st.floats(), st.binary(max_size=40), st.none()))
def test_dates_never_raise_and_are_iso_when_given(value):
    from datetime import date, datetime

    iso = to_iso(value)
    if iso is not None:
        parse = date.fromisoformat if len(iso) == 10 else datetime.fromisoformat
        parse(iso)


@PROPS
@given(data=st.binary(max_size=600), declared=st.sampled_from([None, "utf-8", "latin-1", "no-such", "utf-7", "shift_jis"]))
def test_decode_gives_text_or_a_clear_refusal(data, declared):
    try:
        text, encoding = decode(data, declared)
    except InputError as exc:
        assert exc.message
        return
    assert isinstance(text, str) and encoding
    text.encode("utf-8")  # what the store will need


@PROPS
@given(head=st.binary(max_size=300), name=st.sampled_from(["a.txt", "a.html", "a.json", "a", "a.warc", "a.xml"]))
def test_sniffing_never_raises(head, name):
    formats = (None, sniff.TEXT, sniff.HTML, sniff.JSON, sniff.JSONL, sniff.FEED, sniff.WARC)
    assert sniff.file_format(Path(name), head) in formats


@PROPS
@given(fragment=hostile_text)
def test_html_fragments_become_text(fragment):
    assert isinstance(html_to_text(fragment), str)


LANG = DetectLanguage()


@PROPS
@given(text=hostile_text, title=st.one_of(st.none(), hostile_text))
def test_cleaning_and_language_keep_or_refuse_with_a_reason(text, title):
    """Cleaning may refuse a text with no article in it (InputError); nothing else may
    escape, and the language step takes whatever cleaning keeps."""
    article = Article(id="x", raw_text=text, title=title)
    try:
        out = CleanArticle().process(article)
    except InputError:
        return
    assert out.clean_text == "\n\n".join(p.text for p in out.paragraphs)
    assert all(p.text.strip() for p in out.paragraphs)
    out = LANG.process(out)
    assert all(p.lang == out.language or p.lang for p in out.paragraphs)
