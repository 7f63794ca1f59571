"""One SparkSession for the whole test session (starting one takes ~10 s).

Tests that need it are marked ``spark`` and skip cleanly when pyspark or Java
is missing.
"""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not __import__("os").environ.get("JAVA_HOME"):
        pytest.skip("Java is not installed")
    from storywire.engine.spark import spark_session

    session = spark_session("local[2]", conf={
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.driver.memory": "1g",
    })
    yield session
    session.stop()


def write_corpus(folder, n: int, seed: int = 3, per_file: int = 50) -> dict[str, dict]:
    """Write ``n`` generated articles as JSONL files under ``folder``; return
    id -> planted truth (``story``, ``copy_of``), which the files do not contain."""
    import json

    from storywire.synth import generate

    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    records = list(generate(n, seed))
    for start in range(0, n, per_file):
        with open(folder / f"part-{start // per_file:03d}.jsonl", "w", encoding="utf-8") as f:
            for record in records[start : start + per_file]:
                truth[record["id"]] = {"story": record.pop("story"), "copy_of": record.pop("copy_of")}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return truth


@pytest.fixture(scope="session")
def fast_settings():
    """Model-free NER and no sentence encoder: fast, and the same on every machine."""
    from storywire.config import Settings

    return Settings(encoder="none", ner="rules")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(folder of JSONL files, truth) for 120 generated articles, plus one bad line."""
    folder = tmp_path_factory.mktemp("corpus")
    truth = write_corpus(folder, 120)
    (folder / "broken.jsonl").write_text('{"id": "half-a-record", "text": \n', encoding="utf-8")
    return folder, truth


@pytest.fixture(scope="session")
def inputs(corpus):
    """What the batch tests read: the sample corpus and the generated one."""
    from storywire.samples import corpus_dir

    return [str(corpus_dir()), str(corpus[0])]


@pytest.fixture(scope="session")
def local_run(inputs, fast_settings, tmp_path_factory):
    """The local engine's batch output over ``inputs`` (run once per session)."""
    from storywire.batch import run_batch

    out = tmp_path_factory.mktemp("local-out")
    run_batch(inputs, out, engine="local", settings=fast_settings)
    return out

