"""Training the sentence scorer: oracle labels, the fit, cluster folds.

Labels come from a greedy ROUGE oracle: the sentences that, added one at a time, most raise
ROUGE-1 + ROUGE-2 F1 against the reference within the budget (Nallapati et al. 2017 label
extractive training data the same way). The model is scikit-learn's
HistGradientBoostingClassifier: what makes a sentence worth taking depends on combinations
(a long sentence is worth it under a long budget, a single-source one when few reports
exist), which a linear model cannot express; on the cluster folds it beat a logistic
regression by about 2 ROUGE-2 points on AllSides (docs/evaluation.md). Its trees ship as node
arrays in JSON and run in numpy. scikit-learn is imported only here, by the training script and
`newsweave eval summaries --folds`, never by a brief.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np

from newsweave.model import Sentence, StoryText
from newsweave.summarize.base import words
from newsweave.summarize.features import F64, NAMES, candidates, matrix

# Inverse regularisation strength of the logistic regression: the default (1.0); the folds
# moved less than 0.1 ROUGE-2 between 0.1 and 10, so it was left alone.
C = 1.0
# The boosted trees: scikit-learn's defaults but fewer, smaller trees, to keep the shipped file
# small (about 100 KB); no early stopping, so that training is deterministic.
TREES = 100
LEARNING_RATE = 0.1
LEAVES = 15
# Oracle sentences taken at most: more rarely raise ROUGE and make labels noisier.
MAX_ORACLE = 12


@dataclass(frozen=True, slots=True)
class Example:
    """One cluster's candidate sentences, their features and oracle labels."""

    id: str
    pool: tuple[Sentence, ...]
    x: F64
    y: F64


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer


def _grams(tokens: Sequence[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    return Counter(tokens), Counter(pairwise(tokens))


def _f1(overlap: int, got: int, ref: int) -> float:
    if not overlap or not got or not ref:
        return 0.0
    p, r = overlap / got, overlap / ref
    return 2 * p * r / (p + r)


def oracle(pool: Sequence[Sentence], reference: str, budget: int) -> list[int]:
    """Indices of `pool` a greedy ROUGE-1 + ROUGE-2 F1 oracle picks within `budget` words."""
    tok = _tokenizer()
    ref1, ref2 = _grams(tok.tokenize(reference))
    n1, n2 = sum(ref1.values()), sum(ref2.values())
    toks = [tok.tokenize(s.text) for s in pool]
    have1: Counter[str] = Counter()
    have2: Counter[tuple[str, str]] = Counter()
    picked: list[int] = []
    used, best = 0, 0.0
    while len(picked) < MAX_ORACLE:
        top, top_score = -1, best
        for i, t in enumerate(toks):
            if i in picked or used + words(pool[i].text) > budget:
                continue
            g1, g2 = _grams(t)
            c1, c2 = have1 + g1, have2 + g2
            o1 = sum((c1 & ref1).values())
            o2 = sum((c2 & ref2).values())
            score = _f1(o1, sum(c1.values()), n1) + _f1(o2, sum(c2.values()), n2)
            if score > top_score:
                top, top_score = i, score
        if top < 0:
            break
        picked.append(top)
        g1, g2 = _grams(toks[top])
        have1 += g1
        have2 += g2
        used += words(pool[top].text)
        best = top_score
    return picked


def example(cid: str, story: StoryText, reference: str, budget: int) -> Example:
    pool = candidates(story)
    y = np.zeros(len(pool))
    y[oracle(pool, reference, budget)] = 1.0
    return Example(id=cid, pool=tuple(pool), x=matrix(story, pool, budget), y=y)


def fit(examples: Sequence[Example], name: str = "ranker", *, kind: str = "ensemble") -> dict[str, Any]:
    """The model of the examples' rows, as the JSON payload `learned.Ranker` reads: "trees"
    (boosted), "linear" (a logistic regression on standardised features) or "ensemble" (the
    mean of the two's probabilities)."""
    if kind == "ensemble":
        members = [fit(examples, name, kind="trees"), fit(examples, name, kind="linear")]
        return {
            **{k: v for k, v in members[0].items() if k not in ("model", "trees", "baseline")},
            "model": "mean of HistGradientBoostingClassifier and LogisticRegression",
            "members": members,
        }
    x = np.vstack([e.x for e in examples if len(e.x)])
    y = np.concatenate([e.y for e in examples if len(e.x)])
    head = {"name": name, "features": list(NAMES), "clusters": len(examples), "sentences": len(y)}
    head["positives"] = int(y.sum())
    if kind == "linear":
        from sklearn.linear_model import LogisticRegression

        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale < 1e-9] = 1.0  # a constant feature: left as it is
        lr = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, y)
        return {
            **head,
            "model": "LogisticRegression",
            "baseline": float(lr.intercept_[0]),
            "mean": [float(v) for v in mean],
            "scale": [float(v) for v in scale],
            "coef": [float(v) for v in lr.coef_[0]],
        }
    from sklearn.ensemble import HistGradientBoostingClassifier

    gb = HistGradientBoostingClassifier(
        max_iter=TREES, learning_rate=LEARNING_RATE, max_leaf_nodes=LEAVES, early_stopping=False, random_state=0
    ).fit(x, y)
    trees = []
    for (predictor,) in gb._predictors:  # one tree per round for two classes
        n = predictor.nodes
        leaf = n["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": np.where(leaf, -1, n["feature_idx"]).astype(int).tolist(),
                "threshold": [0.0 if lf else float(t) for t, lf in zip(n["num_threshold"], leaf, strict=True)],
                "left": n["left"].astype(int).tolist(),
                "right": n["right"].astype(int).tolist(),
                "missing_left": n["missing_go_to_left"].astype(int).tolist(),
                "value": [float(f"{v:.9g}") if lf else 0.0 for v, lf in zip(n["value"], leaf, strict=True)],
            }
        )
    return {
        **head,
        "model": "HistGradientBoostingClassifier",
        "baseline": float(np.ravel(gb._baseline_prediction)[0]),
        "trees": trees,
    }


def fold_of(cid: str, k: int) -> int:
    """The fold of a cluster: by a hash of its id, so folds do not depend on file order."""
    return int(hashlib.sha1(cid.encode("utf-8")).hexdigest(), 16) % k
