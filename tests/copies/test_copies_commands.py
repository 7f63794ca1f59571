import json

from click.testing import CliRunner

from storywire.cli import main
from storywire.copies.stage import STAGE
from storywire.model import Article
from storywire.pipeline import run_analysis
from storywire.store import Store

from copies_corpus import COPY, INDEPENDENT, ORIGINAL, PARTIAL, UNRELATED


def _db(tmp_path):
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        with store.transaction():
            for aid, text, when in [("orig", ORIGINAL, "2024-03-01"), ("wire", COPY, "2024-03-02"),
                                    ("comet", UNRELATED + "\x1b[31m", "2024-03-01")]:
                store.save_article(Article(id=aid, raw_text=text, clean_text=text, published=when))
        run_analysis(store, [STAGE])
    return path


def test_copies_lists_pairs_as_table_and_json(tmp_path):
    db = _db(tmp_path)
    out = CliRunner().invoke(main, ["copies", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "orig" in out.output and "copy" in out.output and "'close' -> 'shut'" in out.output
    rows = json.loads(CliRunner().invoke(main, ["copies", "--db", str(db), "--json", "--article", "wire"]).output)
    assert [(r["a"], r["b"], r["verdict"], r["source_id"], r["group_id"]) for r in rows] == [
        ("orig", "wire", "copy", "orig", "orig")]
    assert any(e["op"] == "replace" and e["b"] == "shut" for e in rows[0]["edits"])
    bad = CliRunner().invoke(main, ["copies", "--db", str(db), "--article", "nope"])
    assert bad.exit_code != 0 and "hint" in bad.output


def test_diff_plain_and_coloured(tmp_path):
    db = _db(tmp_path)
    plain = CliRunner().invoke(main, ["diff", "orig", "wire", "--db", str(db)])
    assert plain.exit_code == 0, plain.output
    assert "[-close-]{+shut+}" in plain.output
    assert "{+‘closure’+}" in plain.output
    assert "\x1b[" not in plain.output
    colour = CliRunner().invoke(main, ["diff", "orig", "wire", "--db", str(db), "--color"])
    assert "\x1b[" in colour.output and "[-close-]" not in colour.output
    # Control characters from article text never reach the terminal.
    other = CliRunner().invoke(main, ["diff", "comet", "wire", "--db", str(db)])
    assert "\x1b" not in other.output


def test_eval_copies(tmp_path):
    docs = [{"id": "o", "text": ORIGINAL}, {"id": "c", "text": COPY}, {"id": "p", "text": PARTIAL},
            {"id": "i", "text": INDEPENDENT}]
    pairs = [{"a": "o", "b": "c", "label": "copy", "source": "o"}, {"a": "p", "b": "o", "label": "partial"},
             {"a": "o", "b": "i", "label": "independent"}]
    for name, rows in (("docs.jsonl", docs), ("pairs.jsonl", pairs)):
        (tmp_path / name).write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    args = ["eval-copies", str(tmp_path / "docs.jsonl"), str(tmp_path / "pairs.jsonl")]
    result = json.loads(CliRunner().invoke(main, args + ["--json"]).output)
    assert result["macro_f1"] == 1.0 and result["auc_derived"] == 1.0
    assert result["confusion"]["partial"]["partial"] == 1
    text = CliRunner().invoke(main, args)
    assert "macro-F1 1.0000" in text.output
    (tmp_path / "pairs.jsonl").write_text(json.dumps({"a": "o", "b": "zz", "label": "copy"}), encoding="utf-8")
    missing = CliRunner().invoke(main, args)
    assert missing.exit_code != 0 and "zz" in missing.output
