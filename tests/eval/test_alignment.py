"""`newsweave eval alignment` on the real annotated anchors (skipped without ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.errors import DatasetError
from newsweave.eval.alignment import Pairs, evaluate, load, match, same_person
from newsweave.model import Sentence
from tests.conftest import ROOT, SHARED, needs_seeds

SEEDS_ANCHORS = ROOT / "evals" / "alignment" / "seeds.json"


def _sentence(i: int, text: str) -> Sentence:
    return Sentence(id=f"d0:{i}", article_id="d0", index=i, text=text, start=0, end=len(text), terms=())


def test_an_anchor_matches_the_sentence_that_holds_its_words() -> None:
    ours = [_sentence(0, "The storm left 1,000 homes without power."), _sentence(1, "Crews worked overnight.")]
    assert match("The storm left 1,000 homes without power, the utility said.", ours) is ours[0]
    assert match("Schools stayed closed on Wednesday.", ours) is None


def test_pairs_and_names() -> None:
    p = Pairs()
    p.add({"a", "b"}, {"a", "c"})
    assert p.scores()["precision"] == 0.5 and p.scores()["recall"] == 0.5
    assert same_person("Lavrov", "Sergei Lavrov") and not same_person("Sergei Lavrov", "Dmitry Peskov")


def test_every_anchor_file_is_well_formed() -> None:
    files = sorted((ROOT / "evals" / "alignment").glob("*.json"))
    assert len(files) >= 26
    anchors = 0
    for f in files:
        d = json.loads(f.read_text("utf-8"))
        docs = d["doc_lengths"]
        valid = set(docs) if isinstance(docs, dict) else set(range(len(docs)))
        for a in d["anchors"]:
            assert a["doc"] in a["supports"] and {*a["supports"], *a["contradicts"], *a["resolved_by"]} <= valid
            assert a["modality"] in ("report", "attributed", "expectation", "denial")
            assert len(a["starts"].split()) <= 5 and a["end"] > a["start"]
        anchors += len(d["anchors"])
    assert anchors >= 250


@needs_seeds
def test_seed_anchors_score_the_evidence_model(tmp_path: Path) -> None:
    r = evaluate([SEEDS_ANCHORS], SHARED)
    nw = r["systems"]["newsweave"]
    assert r["anchors"] == r["matched"] >= 20
    # the seeds' expectations (the treaty's signing, Baghaei's date) link to what became of them
    assert nw["expectation_links"] >= 0.75 and nw["timeline_date_recall"] >= 0.8
    assert nw["support"]["precision"] > r["systems"]["tfidf"]["support"]["precision"]
    assert {"tfidf", "minilm"} <= set(r["systems"]) and "threshold" in r["systems"]["tfidf"]["support"]
    # offsets are only meaningful against the very documents annotated: a changed file is refused
    d = json.loads(SEEDS_ANCHORS.read_text("utf-8"))
    d["doc_lengths"] = {k: v + 1 for k, v in d["doc_lengths"].items()}
    bad = tmp_path / "seeds.json"
    bad.write_text(json.dumps(d), "utf-8")
    with pytest.raises(DatasetError, match="differ"):
        list(load([bad], SHARED))
