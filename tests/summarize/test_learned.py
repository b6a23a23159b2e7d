"""The learned scorer: its shipped file, its numpy evaluation, the oracle, the selection rules."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from newsweave.summarize import get
from newsweave.summarize.base import words
from newsweave.summarize.features import NAMES, candidates, matrix
from newsweave.summarize.learned import MODEL_FILE, Learned, Ranker, load_model
from newsweave.summarize.readable import readable
from newsweave.summarize.training import Example, fit, fold_of, oracle
from tests.summarize.test_summarize import _story


@pytest.fixture(scope="module")
def example_story(example_analyzed):  # type: ignore[no-untyped-def]
    return _story(example_analyzed)


def test_the_shipped_model_reads_this_version_s_features() -> None:
    payload = json.loads(MODEL_FILE.read_text("utf-8"))
    assert tuple(payload["features"]) == NAMES
    kinds = [m["model"] for m in payload["members"]]
    assert kinds == ["HistGradientBoostingClassifier", "LogisticRegression"] and payload["members"][0]["trees"]
    assert MODEL_FILE.stat().st_size < 400_000  # small enough to ship in the wheel
    assert payload["trained_on"] == ["multinews-dev.jsonl", "allsides-dev.jsonl"]


def test_numpy_trees_give_scikit_learn_s_probabilities() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(NAMES)))
    y = (x[:, 0] + 0.5 * x[:, 3] * x[:, 5] + rng.normal(scale=0.5, size=400) > 0.4).astype(float)
    payload = fit([Example(id="a", pool=(), x=x, y=y)], kind="trees")
    ref = HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, max_leaf_nodes=15, early_stopping=False, random_state=0
    )
    ref.fit(x, y)
    assert np.allclose(Ranker(payload).score(x), ref.predict_proba(x)[:, 1], atol=1e-6)
    linear = Ranker(fit([Example(id="a", pool=(), x=x, y=y)], kind="linear"))
    assert ((linear.score(x) > 0.5) == (x[:, 0] > 0.4)).mean() > 0.8


def test_training_is_deterministic() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, len(NAMES)))
    y = (x[:, 1] > 0.3).astype(float)
    ex = [Example(id="a", pool=(), x=x, y=y)]
    assert json.dumps(fit(ex)) == json.dumps(fit(ex))
    both = Ranker(fit(ex))
    alone = (Ranker(fit(ex, kind="trees")).score(x) + Ranker(fit(ex, kind="linear")).score(x)) / 2
    assert np.allclose(both.score(x), alone)


def test_folds_are_fixed_by_cluster_id() -> None:
    assert fold_of("neus-val-46", 5) == fold_of("neus-val-46", 5)
    assert len({fold_of(f"c{i}", 5) for i in range(50)}) == 5


def test_oracle_picks_what_the_reference_says(example_story) -> None:  # type: ignore[no-untyped-def]
    pool = candidates(example_story)
    target = next(s for s in pool if "41,000" in s.text)
    picked = oracle(pool, target.text, 40)
    assert picked and pool[picked[0]].text == target.text
    assert sum(words(pool[i].text) for i in picked) <= 40


def test_feature_rows_are_finite(example_story) -> None:  # type: ignore[no-untyped-def]
    pool = candidates(example_story)
    x = matrix(example_story, pool, 150)
    assert x.shape == (len(pool), len(NAMES)) and np.isfinite(x).all()
    share = x[:, NAMES.index("sources_share")]
    assert share.max() > 0.5 and share.min() == 0.0  # what most reports carry, and what one alone says
    assert matrix(example_story, [], 150).shape == (0, len(NAMES))


def test_the_budget_is_filled_honestly(example_story) -> None:  # type: ignore[no-untyped-def]
    for budget in (60, 150):
        chosen = get("newsweave").select(example_story, budget)
        used = sum(words(s.text) for s in chosen)
        assert used <= budget and used >= budget - 25, (budget, used)
        picked = {(s.article_id, s.index) for s in chosen}
        for s in chosen:  # a dangling sentence only with the one before it
            assert readable(s.text) or (s.article_id, s.index - 1) in picked, s.text


def test_the_scorer_is_loaded_once() -> None:
    assert load_model() is load_model()
    assert Learned().select  # the registry's instance uses the shipped file


@pytest.mark.parametrize("fixture", ["example_brief", "seed_brief"])
def test_briefs_read_as_one_account(request, fixture: str) -> None:  # type: ignore[no-untyped-def]
    """On the bundled example and the real seeds: the headline from a report of the event, no
    dangling subject without the sentence before it, no repeated figure, no caption."""
    from newsweave.summarize.readable import dangling, furniture, quote_fragment

    b = request.getfixturevalue(fixture)
    assert b.analysis is not None and b.title is not None
    stance = {s.source: s.stance for s in b.analysis.stances}
    assert stance[b.title_source] == "reports", (b.title, b.title_source)
    origins = [(s.origin.rsplit(":", 1)[0], int(s.origin.rsplit(":", 1)[1])) for s in b.summary]
    for i, s in enumerate(b.summary):
        assert not furniture(s.text) and not quote_fragment(s.text), s.text
        if dangling(s.text):
            assert i and origins[i - 1] == (origins[i][0], origins[i][1] - 1), s.text
        assert s.single_source == (len(s.sources) == 1)
    found = [n for s in b.summary for n in set(re.findall(r"\d[\d,.]*\d", s.text))]
    figures = [n for n in found if not re.fullmatch(r"(?:19|20)\d\d", n)]  # years recur ("in 2025")
    assert len(figures) == len(set(figures)), figures
    assert b.words >= 130  # the budget (150) is filled


def test_a_fact_that_the_chosen_sentences_hold_together_is_not_said_again(example_brief) -> None:  # type: ignore[no-untyped-def]
    """The example's reports tell the mayor's first ride in three wordings: "opened ... the first
    trains", "the mayor rode the first train at 6 a.m.", and "the line opened ... after the mayor
    rode the first train", which says nothing the first two have not. No single chosen sentence
    holds the third (so one-to-one redundancy kept it); together they do."""
    rides = [s.text for s in example_brief.summary if re.search(r"Solberg rode the first train\b", s.text)]
    assert len(rides) == 1, rides
