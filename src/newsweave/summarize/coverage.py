"""newsweave's own summarizer: cover what the sources agree on, within a word budget.

A concept is a pair of adjacent content lemmas, a content lemma, or a canonical
entity. Its weight is the number of sources that carry it, so information many
outlets report outweighs what one outlet alone says (Gillick & Favre 2009 weight
bigrams by document frequency the same way). Sentences are picked greedily by the
weight of concepts not yet covered per word, with a mild preference for early
sentences and a penalty for sentences that do not stand alone ("He said ...").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

import numpy as np

from newsweave.analysis.support import containment, cosine, supporters
from newsweave.lexicon import DANGLING_OPENERS, PRONOUN_SPEAKER_VERBS, alternation
from newsweave.model import Sentence, StoryText
from newsweave.summarize.base import eligible, words

# UNIGRAM_WEIGHT, LENGTH_EXPONENT and LEAD_BONUS: grid-searched for mean ROUGE-2 over both dev sets
# (../shared/data/mds multinews-dev, allsides-dev) with benchmarks/tune_summarizer.py.
UNIGRAM_WEIGHT = 0.5  # a lone lemma says less than a lemma pair or a named entity
LENGTH_EXPONENT = 0.3  # gain per words**x: 1.0 favours short sentences, 0 long ones
LEAD_BONUS = 1.5  # extra gain for an article's opening sentences, decaying with position
DANGLING_PENALTY = 0.5  # multiplier for sentences that start with an unresolved reference
FUTURE_PENALTY = 0.6  # multiplier for expectations ("will ride"): reports of what happened read better
AGREEMENT_EXPONENT = 1.0  # gain x (sources that carry the sentence)**x: what outlets agree on first
# Above this many candidate sentences (about 25 reports), support is not computed per
# candidate (it is quadratic) and agreement comes from the concept weights alone.
MAX_AGREEMENT_POOL = 600
MAX_OVERLAP = 0.6  # skip a sentence whose content is mostly in one already chosen
MAX_COSINE = 0.85  # ... or that an already chosen one paraphrases (embedding cosine)

_DANGLING = re.compile(rf"^(?:[\"“'‘]?\s*)(?:{alternation(DANGLING_OPENERS)})\b", re.I)
_PRONOUN_SPEAKER = re.compile(rf"[\"”’]\s*,?\s*(?:he|she|they)\s+(?:{alternation(PRONOUN_SPEAKER_VERBS)})\b", re.I)


def stands_alone(text: str) -> bool:
    return not (_DANGLING.match(text) or _PRONOUN_SPEAKER.search(text))


def concepts(s: Sentence, entity_units: Iterable[str]) -> set[str]:
    terms = list(s.terms)
    out = {f"{a} {b}" for a, b in pairwise(terms)}
    out |= {f"~{t}" for t in terms}
    out |= set(entity_units)
    return out


def min_sources(n_articles: int) -> int:
    """Sources a concept needs to count: agreement matters once there are several reports."""
    return 1 if n_articles <= 2 else 2 if n_articles <= 6 else 3


class Coverage:
    name = "newsweave"

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        pool = [s for s in story.sentences() if eligible(s)]
        gone = _superseded(pool, story)
        pool = [s for s in pool if s.id not in gone]
        if not pool:
            return []
        cons = {s.id: concepts(s, (u for u in story.features[s.id].units if u.startswith("@"))) for s in pool}
        df: Counter[str] = Counter()
        for art in story.articles:
            seen: set[str] = set()
            for s in art.sentences:
                if s.id in cons:
                    seen |= cons[s.id]
            df.update(seen)
        floor = min_sources(len(story.articles))
        weight = {c: (UNIGRAM_WEIGHT if c.startswith("~") else 1.0) * n for c, n in df.items() if n >= floor}
        position = {s.id: 1.0 + LEAD_BONUS / (1 + s.index) for s in pool}
        agree = _agreement(pool, story)
        alone = {
            s.id: (1.0 if stands_alone(s.text) else DANGLING_PENALTY)
            * (FUTURE_PENALTY if story.features[s.id].future else 1.0)
            * agree.get(s.id, 1.0)
            for s in pool
        }

        chosen: list[Sentence] = []
        covered: set[str] = set()
        used = 0
        candidates = list(pool)
        while candidates:
            best, best_score = None, 0.0
            for s in candidates:
                n = words(s.text)
                if used + n > budget:
                    continue
                gain = math.fsum(weight.get(c, 0.0) for c in cons[s.id] - covered)
                score = gain * position[s.id] * alone[s.id] / math.pow(n, LENGTH_EXPONENT)
                if score > best_score:
                    best, best_score = s, score
            if best is None:
                break
            candidates.remove(best)
            if any(self._redundant(best, c, story) for c in chosen):
                continue
            chosen.append(best)
            covered |= cons[best.id]
            used += words(best.text)
        return chosen

    @staticmethod
    def _redundant(a: Sentence, b: Sentence, story: StoryText) -> bool:
        fa, fb = story.features[a.id], story.features[b.id]
        overlap = max(containment(fa, fb, story.weights), containment(fb, fa, story.weights))
        return overlap >= MAX_OVERLAP or cosine(fa, fb) >= MAX_COSINE


# An expectation ("is set to open on Saturday") that another report states as done
# ("opened on Saturday"): content this similar, by words or embedding, is the same event.
SUPERSEDED_CONTAINMENT = 0.4
SUPERSEDED_COSINE = 0.7


def _superseded(pool: list[Sentence], story: StoryText) -> set[str]:
    """Ids of the expectations in `pool` that another report states as done."""
    expected = [story.features[s.id] for s in pool if story.features[s.id].future]
    done = [f for f in story.features.values() if not f.future and not f.denial]
    if not expected or not done:
        return set()
    out: set[str] = set()
    if all(f.vector is not None for f in done) and all(f.vector is not None for f in expected):
        matrix = np.stack([f.vector for f in done if f.vector is not None])
        articles = np.array([f.sentence.article_id for f in done])
        for me in expected:
            assert me.vector is not None
            close = (matrix @ me.vector >= SUPERSEDED_COSINE) & (articles != me.sentence.article_id)
            if close.any():
                out.add(me.sentence.id)
    if len(pool) <= MAX_AGREEMENT_POOL:  # word containment is a pairwise loop: small stories only
        for me in expected:
            if me.sentence.id not in out and any(
                o.sentence.article_id != me.sentence.article_id
                and containment(me, o, story.weights) >= SUPERSEDED_CONTAINMENT
                for o in done
            ):
                out.add(me.sentence.id)
    return out


def _agreement(pool: list[Sentence], story: StoryText) -> dict[str, float]:
    if len(story.articles) < 2 or len(pool) > MAX_AGREEMENT_POOL or AGREEMENT_EXPONENT == 0:
        return {}
    order = [a.id for a in story.articles]
    return {
        s.id: len(supporters(s.id, story.features, story.weights, order).sources) ** AGREEMENT_EXPONENT for s in pool
    }
