"""newsweave's summarizer: a learned sentence scorer, then a greedy account under the budget.

The scorer is the mean of two models' probabilities, gradient-boosted trees and a logistic
regression, over `features.NAMES` (how many sources carry the sentence, centrality,
position, length, entity salience, modality), trained by `benchmarks/train_ranker.py` on the
dev sets with labels from a greedy ROUGE oracle and shipped as JSON (`data/ranker-v1.json`);
it runs here in numpy, so a brief never imports scikit-learn. Selection takes, in turn, the
best-scoring sentence that adds something new, and keeps out what would not read as part of
one account (`readable`), what another report overtook, and, among what one source alone
says, one side of a dispute stated as fact.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsweave.analysis.support import containment
from newsweave.model import Sentence, SentenceFeatures, StoryText
from newsweave.summarize.base import words
from newsweave.summarize.coverage import Coverage, _superseded
from newsweave.summarize.features import F64, NAMES, candidates, matrix
from newsweave.summarize.readable import dangling
from newsweave.trees import Tree

MODEL_FILE = Path(__file__).parent / "data" / "ranker-v1.json"
# A candidate's score is multiplied by (1 - its largest word overlap with a chosen sentence)
# ** NOVELTY: what is already said counts less. Fixed by reading, not tuned on the dev sets.
NOVELTY = 1.0
# Content this shared with a sentence of another report whose modality differs (one denies
# or alleges what the other states) makes a single-source sentence one side of a dispute.
DISPUTE_CONTAINMENT = 0.4
# A sentence whose weighted content the chosen ones already hold this much of, together, says
# nothing new ("The line opened on Saturday after the mayor rode the first train" after "The
# line opened on Saturday" and "The mayor rode the first train at 6 a.m."): no one chosen
# sentence holds it (`Coverage._redundant` compares one at a time). Three quarters: set by
# reading the example's summary, not tuned on the dev sets (docs/evaluation.md, "Tuning").
UNION_OVERLAP = 0.75


class Ranker:
    """The shipped scorer over `features.NAMES`: gradient-boosted trees or a logistic
    regression, or the mean of their probabilities (`members`)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if tuple(payload["features"]) != NAMES:
            raise ValueError("the ranker model was trained on other features; retrain it (benchmarks/train_ranker.py)")
        self.name = str(payload["name"])
        self.members = [Ranker({**m, "features": payload["features"]}) for m in payload.get("members", [])]
        if self.members:
            return
        self.baseline = float(payload["baseline"])
        self.coef = np.asarray(payload.get("coef", [0.0] * len(NAMES)), dtype=np.float64)
        self.mean = np.asarray(payload.get("mean", [0.0] * len(NAMES)), dtype=np.float64)
        self.scale = np.asarray(payload.get("scale", [1.0] * len(NAMES)), dtype=np.float64)
        self.trees = [Tree.from_json(t) for t in payload.get("trees", [])]

    def score(self, x: F64) -> F64:
        """Probability that each row's sentence belongs in the oracle summary."""
        if len(x) == 0:
            return np.zeros(0)
        if self.members:
            mean: F64 = np.mean([m.score(x) for m in self.members], axis=0)
            return mean
        z = self.baseline + ((x - self.mean) / self.scale) @ self.coef
        for t in self.trees:
            z = z + t.predict(x)
        out: F64 = 1.0 / (1.0 + np.exp(-z))
        return out


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Ranker:
    """The ranker of `path` (default: the shipped one), read once per process."""
    return Ranker(json.loads(path.read_text("utf-8")))


class Learned:
    name = "newsweave"

    def __init__(self, model: Ranker | None = None) -> None:
        self.model = model

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        pool = candidates(story)
        if not pool:
            return []
        x = matrix(story, pool, budget)
        return choose(story, pool, x, (self.model or load_model()).score(x), budget)


def choose(story: StoryText, pool: Sequence[Sentence], x: F64, p: F64, budget: int) -> list[Sentence]:
    """The summary from scored candidates (`x` their feature rows, `p` their scores): what
    another report overtook is gone, what one source alone says only when it may stand."""
    gone = _superseded(list(pool), story)
    n_src = np.rint(np.exp(x[:, NAMES.index("sources_log")])).astype(int)
    if len(story.articles) < 2:
        return _greedy(story, pool, p, [i for i, s in enumerate(pool) if s.id not in gone], budget, [])
    # what several sources carry first; what one alone says only when that has run out
    several = [i for i, s in enumerate(pool) if s.id not in gone and n_src[i] >= 2]
    chosen = _greedy(story, pool, p, several, budget, [])
    alone = [i for i, s in enumerate(pool) if s.id not in gone and n_src[i] == 1 and _plain_single(s, story)]
    return _greedy(story, pool, p, alone, budget, chosen)


def _plain_single(s: Sentence, story: StoryText) -> bool:
    """Whether what one source alone says may stand in the summary: an expectation, denial or
    allegation says whose it is (and an overtaken expectation is gone already); a plain
    statement only when no other report denies or alleges otherwise (one side of a
    dispute is not a fact)."""
    me = story.features[s.id]
    if me.future or me.denial or me.allegation:
        return True
    return not any(_disputes(me, o, story) for o in _marked(story))


def _marked(story: StoryText) -> list[SentenceFeatures]:
    """The denials and allegations of a story: only they can dispute a plain report."""
    return [f for f in story.features.values() if f.denial or f.allegation]


def _disputes(me: SentenceFeatures, o: SentenceFeatures, story: StoryText) -> bool:
    if o.sentence.article_id == me.sentence.article_id:
        return False
    return containment(me, o, story.weights) >= DISPUTE_CONTAINMENT


def _greedy(
    story: StoryText, pool: Sequence[Sentence], p: F64, allowed: Sequence[int], budget: int, start: list[Sentence]
) -> list[Sentence]:
    """`start` and then, best score x novelty first, the `allowed` sentences that fit; a
    sentence that leans on the one before it ("He added ...") only right after it."""
    chosen = list(start)
    ids = {(s.article_id, s.index) for s in chosen}
    used = sum(words(s.text) for s in chosen)
    left = list(allowed)
    while left:
        best, best_score = -1, 0.0
        for i in left:
            s = pool[i]
            if used + words(s.text) > budget:
                continue
            if dangling(s.text) and (s.article_id, s.index - 1) not in ids:
                continue
            fs = story.features[s.id]
            overlap = max((containment(fs, story.features[c.id], story.weights) for c in chosen), default=0.0)
            score = float(p[i]) * math.pow(max(1.0 - overlap, 0.0), NOVELTY)
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        left.remove(best)
        s = pool[best]
        if any(Coverage._redundant(s, c, story) or _same_numbers(s, c, story) for c in chosen):
            continue
        if _covered(s, chosen, story):
            continue
        chosen.append(s)
        ids.add((s.article_id, s.index))
        used += words(s.text)
    if not chosen and allowed and not start:
        # the budget rule of every system (base.fill_budget): a budget smaller than every
        # sentence still yields the best one
        chosen.append(pool[max(allowed, key=lambda i: float(p[i]))])
    return chosen


def _covered(s: Sentence, chosen: Sequence[Sentence], story: StoryText) -> bool:
    """Whether the chosen sentences together already hold `UNION_OVERLAP` of s's content."""
    if len(chosen) < 2:
        return False  # one sentence alone is `Coverage._redundant`'s question
    fs = story.features[s.id]
    said = frozenset().union(*(story.features[c.id].units for c in chosen))
    return containment(fs, replace(fs, units=said), story.weights) >= UNION_OVERLAP


def _same_numbers(a: Sentence, b: Sentence, story: StoryText) -> bool:
    """Two sentences that give the same figure give the same fact (years aside: "in 2025")."""
    shared = story.features[a.id].numbers & story.features[b.id].numbers
    return any(not (len(n) == 4 and n[:2] in ("19", "20")) and len(n) >= 2 for n in shared)
