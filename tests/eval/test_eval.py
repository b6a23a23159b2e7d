"""Evaluation metrics and commands, on data built here (the real sets are scored by the gate)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.errors import DatasetError
from newsweave.eval.datasets import read_mds
from newsweave.eval.extraction import token_prf
from newsweave.eval.rouge import bootstrap, paired_win_rate, rouge
from tests.conftest import EXAMPLE, needs_seeds

runner = CliRunner()


def test_rouge_uses_stemming_and_the_best_reference() -> None:
    s = rouge("The ministers signed the treaties in Moscow.", ["The minister signs a treaty in Moscow.", "Unrelated."])
    assert s["rouge1"] > 70 and s["rouge2"] > 0
    assert rouge("completely different words", ["The minister signs a treaty."])["rouge1"] == 0.0


def test_bootstrap_interval_brackets_the_mean() -> None:
    values = [10.0, 12.0, 9.0, 15.0, 11.0, 13.0, 8.0, 14.0]
    iv = bootstrap(values)
    assert iv.low < iv.mean < iv.high
    assert iv.mean == pytest.approx(sum(values) / len(values))
    assert bootstrap([5.0] * 10).low == bootstrap([5.0] * 10).high == 5.0
    assert paired_win_rate([2.0] * 5, [1.0] * 5) == 1.0


def test_token_prf() -> None:
    p, r, f = token_prf("the treaty was signed today", "The treaty was signed on Friday in Moscow")
    assert p == pytest.approx(4 / 5) and r == pytest.approx(4 / 8)
    assert f == pytest.approx(2 * p * r / (p + r))
    assert token_prf("", "some truth")[2] == 0.0


def _mds_file(tmp_path: Path) -> Path:
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLE.glob("*.txt"))]
    records = [
        {
            "id": "caldenport",
            "documents": texts,
            "summaries": [
                "– Caldenport opened its Harbour Line metro on Saturday; the contractor denies skipping inspections."
            ],
        },
        {
            "id": "allsides-form",
            "documents": [{"title": "Harbour Line opens", "text": texts[1]}, {"title": "Preview", "text": texts[0]}],
            "summaries": ["The Harbour Line opened in Caldenport."],
        },
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def test_read_mds_both_forms(tmp_path: Path) -> None:
    clusters = list(read_mds(_mds_file(tmp_path)))
    assert [c.id for c in clusters] == ["caldenport", "allsides-form"]
    assert clusters[0].references[0].startswith("Caldenport opened")  # Multi-News en dash stripped
    assert clusters[1].articles[0].title == "Harbour Line opens"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "documents": ["x"], "summaries": ["y"]}\n{"oops": true}\n', "utf-8")
    with pytest.raises(DatasetError, match=r"bad.jsonl:2"):
        list(read_mds(bad))


def test_eval_summaries_json_shape(tmp_path: Path) -> None:
    save = tmp_path / "per-cluster.json"
    r = runner.invoke(
        app, ["eval", "summaries", str(_mds_file(tmp_path)), "--format", "json", "--save", str(save), "-q"]
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["dataset"] == "mini.jsonl" and data["clusters"] == 2
    assert set(data["systems"]) == {"newsweave", "centroid", "lexrank", "textrank", "lead", "random"}
    for scores in data["systems"].values():
        assert set(scores) == {"rouge1", "rouge2", "rougeL"}
        assert all(0 <= v <= 100 for v in scores.values())
    assert data["systems"]["newsweave"]["rouge1"] > 0
    assert 0 <= data["attribution"]["precision"] <= 1
    per = json.loads(save.read_text("utf-8"))
    assert len(per["clusters"]) == 2 and per["clusters"][0]["newsweave_summary"]


def test_eval_summaries_cross_validates_by_cluster(tmp_path: Path) -> None:
    r = runner.invoke(
        app, ["eval", "summaries", str(_mds_file(tmp_path)), "--systems", "newsweave", "--folds", "2", "-q"]
    )
    assert r.exit_code == 0, r.stderr
    assert "cross-validated by cluster (2 folds" in r.stdout
    r = runner.invoke(app, ["eval", "summaries", str(_mds_file(tmp_path)), "--folds", "1"])
    assert r.exit_code == 2


def test_eval_summaries_table_and_errors(tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", "summaries", str(_mds_file(tmp_path)), "--systems", "newsweave,lead", "-w", "30"])
    assert r.exit_code == 0, r.stderr
    assert "newsweave" in r.stdout and "lead" in r.stdout and "ROUGE-2" in r.stdout and "citations" in r.stdout
    r = runner.invoke(app, ["eval", "summaries", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "no such dataset file" in r.stderr
    r = runner.invoke(app, ["eval", "summaries", str(_mds_file(tmp_path)), "--systems", "gpt"])
    assert r.exit_code == 2 and "unknown summarizer" in r.stderr


def test_eval_extraction_on_pages_built_here(tmp_path: Path) -> None:
    root = tmp_path / "extraction" / "scrapinghub"
    (root / "html").mkdir(parents=True)
    body = (
        "The port of Vessmark reopened on Tuesday after a storm closed it for three days. "
        "Harbour master Elin Dahl said fourteen ships had waited offshore during the closure."
    )
    html = (
        "<html><head><title>Vessmark port reopens</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/p'>Ports</a></nav>"
        f"<article><h1>Vessmark port reopens</h1><p>{body}</p><p>Dahl said cargo would move normally by Thursday, "
        "and that the breakwater had held.</p></article><footer>Subscribe to our newsletter</footer></body></html>"
    )
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    truth = {
        "p1": {
            "articleBody": body + " Dahl said cargo would move normally by Thursday, and that the breakwater had held."
        }
    }
    (root / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    r = runner.invoke(app, ["eval", "extraction", "--data", str(tmp_path / "extraction"), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["scrapinghub"]["newsweave"]["f1"] > 90
    assert "trafilatura" in data["scrapinghub"]
    r = runner.invoke(app, ["eval", "extraction", "--data", str(tmp_path / "nothing")])
    assert r.exit_code == 2


def test_analysis_against_expected_values(example_brief) -> None:  # type: ignore[no-untyped-def]
    from newsweave.eval.analysis import load_expected, score
    from tests.conftest import ROOT

    r = score(example_brief, load_expected(ROOT / "evals" / "expected" / "caldenport-metro.json"))
    assert r["quotes"]["speaker_precision"] == 1.0 and r["quotes"]["recall"] >= 0.8
    assert r["stance"]["accuracy"] == 1.0
    assert r["claims"]["accuracy"] >= 0.85, r["claims"]["misses"]
    assert r["timeline"]["recall"] == 1.0 and r["event"]["accuracy"] == 1.0


@needs_seeds
def test_seed_analysis_against_expected_values(seed_brief) -> None:  # type: ignore[no-untyped-def]
    from newsweave.eval.analysis import load_expected, score
    from tests.conftest import ROOT

    r = score(seed_brief, load_expected(ROOT / "evals" / "expected" / "seeds.json"))
    assert r["quotes"]["speaker_precision"] == 1.0 and r["quotes"]["speaker_recall"] >= 0.7
    assert r["stance"]["accuracy"] == 1.0
    assert r["claims"]["accuracy"] >= 0.75, r["claims"]["misses"]
    assert r["event"]["accuracy"] == 1.0
