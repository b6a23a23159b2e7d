from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newsweave.eval.clustering import allsides_pool, explain
from newsweave.stories.cluster import ClusterParams
from newsweave.stories.features import extract

ALLSIDES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mds" / "allsides-dev.jsonl"


@pytest.fixture(scope="module")
def allsides():  # type: ignore[no-untyped-def]
    if not ALLSIDES.is_file():
        pytest.skip("../shared/data/mds/allsides-dev.jsonl is absent (real data is never copied)")
    pool = allsides_pool(ALLSIDES)
    return pool, extract(pool.articles)


def test_explain_names_a_signal_for_every_wrong_join(allsides) -> None:  # type: ignore[no-untyped-def]
    pool, feats = allsides
    # A loose threshold, so that wrong joins certainly exist on 307 real short stories.
    r = explain(pool, feats, ClusterParams(threshold=0.12))
    joins = r["wrong_joins"]
    assert joins
    assert sum(r["by_signal"].values()) == len(joins)
    assert set(r["by_signal"]) <= {"entities", "centroid", "near threshold", "words"}
    for j in joins:
        assert j["gold"] != j["story_gold"] and j["story_size"] >= 1
        assert j["score"] >= 0.12 - 1e-9
    # Wrong joins are what makes a story impure: a pool with none would be all pure stories.
    assert r["scores"]["bcubed_p"] < 1.0
    assert r["largest_gold_story"] == max(Counter(pool.labels.values()).values())


def test_the_gate_measures_clustering_and_flags_a_drop(allsides) -> None:  # type: ignore[no-untyped-def]
    from newsweave.eval.gate import _clustering, compare

    measured = _clustering(ALLSIDES.parents[1], lambda _s: None)
    got = measured["clustering"]["allsides-dev"]
    assert got["f1"] > 80 and 0.9 <= got["precision"] <= 1
    floor = {"clustering": {"allsides-dev": {"f1": got["f1"] + 1, "precision": got["precision"]}}}
    (failure,) = compare(measured, floor)
    assert failure.startswith("clustering/allsides-dev f1")
