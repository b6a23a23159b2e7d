"""The features the learned sentence scorer reads: what only a multi-source engine knows
(how many sources carry a sentence, by the one citation rule `supporters`), beside the
classic ones (centrality, position, length, entity salience, modality).

Pure numpy over a prepared story; `benchmarks/train_ranker.py` and the cross-validation of
`newsweave eval summaries --folds` read the same matrix as the shipped model does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from newsweave.analysis.support import supporters
from newsweave.model import Sentence, StoryText
from newsweave.summarize.base import eligible, words
from newsweave.summarize.readable import dangling, furniture, question, quote_fragment

F64 = npt.NDArray[np.float64]

# Above this many candidate sentences (about 25 reports), support is not computed per
# candidate (it is quadratic in sentences): the share of sources carrying a sentence's
# concepts stands in for it.
MAX_SUPPORT_POOL = 600

NAMES: tuple[str, ...] = (
    "sources_share",  # (supporting sources - 1) / (reports - 1): the multi-source signal
    "sources_log",  # log of the supporting sources
    "concept_share",  # mean share of reports carrying the sentence's lemma pairs and entities
    "concept_gain",  # the df-weighted concept sum per words**0.3 (the old coverage score), / cluster max
    "centroid",  # embedding cosine to the story's centroid
    "centroid_z",  # ... as a z-score within the story
    "degree",  # mean embedding cosine to the sentences of other reports (LexRank-like centrality)
    "degree_z",
    "textrank",  # TextRank's score (Mihalcea & Tarau 2004: PageRank over shared lemmas), / cluster max
    "textrank_z",
    "first",  # the report's first sentence
    "position_inv",  # 1 / (1 + index)
    "position_rel",  # index / sentences in its report
    "words_log",
    "words_over_budget",  # a sentence's share of the budget
    "entities",  # canonical entities named
    "entity_salience",  # mean share of reports naming the sentence's entities
    "numbers",  # any number
    "future",
    "denial",
    "allegation",
    "dangling",
    "quote",  # carries a quotation
    "quote_fragment",
    "reports_log",  # how many reports the story has (context for the others)
    "budget_log",
)


def candidates(story: StoryText) -> list[Sentence]:
    """The sentences a summary may take: of a sentence's length, no page furniture, no
    piece of a quotation without its speaker, no question."""
    return [
        s
        for s in story.sentences()
        if eligible(s) and not furniture(s.text) and not quote_fragment(s.text) and not question(s.text)
    ]


def concepts(s: Sentence, entity_units: set[str]) -> set[str]:
    """A sentence's lemma pairs and canonical entities (what `concept_share` counts)."""
    return {f"{a} {b}" for a, b in pairwise(s.terms)} | entity_units


def matrix(story: StoryText, pool: Sequence[Sentence], budget: int) -> F64:
    """One row of NAMES per sentence of `pool`."""
    if not pool:
        return np.zeros((0, len(NAMES)))
    n_art = len(story.articles)
    ents = {s.id: {u for u in story.features[s.id].units if u.startswith("@")} for s in pool}
    cons = {s.id: concepts(s, ents[s.id]) for s in pool}
    df: Counter[str] = Counter()
    ent_df: Counter[str] = Counter()
    for art in story.articles:
        seen: set[str] = set()
        seen_e: set[str] = set()
        for s in art.sentences:
            f = story.features.get(s.id)
            if f is None:
                continue
            seen |= concepts(s, {u for u in f.units if u.startswith("@")})
            seen_e |= {u for u in f.units if u.startswith("@")}
        df.update(seen)
        ent_df.update(seen_e)
    order = [a.id for a in story.articles]
    if n_art >= 2 and len(pool) <= MAX_SUPPORT_POOL:
        n_src = [len(supporters(s.id, story.features, story.weights, order).sources) for s in pool]
    else:
        n_src = [1 + round((n_art - 1) * _mean([(df[c] - 1) / max(n_art - 1, 1) for c in cons[s.id]])) for s in pool]
    length = {a.id: max(len(a.sentences), 1) for a in story.articles}
    gain = np.array([math.fsum(df[c] for c in cons[s.id] if df[c] >= 2) / math.pow(words(s.text), 0.3) for s in pool])
    centroid, degree = _centrality(story, pool)
    tr = _textrank(pool)
    rows = []
    for i, s in enumerate(pool):
        f = story.features[s.id]
        n = words(s.text)
        rows.append(
            [
                (n_src[i] - 1) / max(n_art - 1, 1),
                math.log(n_src[i]),
                _mean([df[c] / n_art for c in cons[s.id]]),
                gain[i] / gain.max() if gain.max() > 0 else 0.0,
                centroid[i],
                0.0,
                degree[i],
                0.0,
                tr[i],
                0.0,
                float(s.index == 0),
                1.0 / (1 + s.index),
                s.index / length[s.article_id],
                math.log(n),
                n / max(budget, 1),
                float(len(ents[s.id])),
                _mean([ent_df[e] / n_art for e in ents[s.id]]),
                float(bool(f.numbers)),
                float(f.future),
                float(f.denial),
                float(f.allegation),
                float(dangling(s.text)),
                float(any(q in s.text for q in '"“”')),
                float(quote_fragment(s.text)),
                math.log(n_art),
                math.log(max(budget, 1)),
            ]
        )
    x = np.array(rows, dtype=np.float64)
    for col in ("centroid", "degree", "textrank"):
        j = NAMES.index(col)
        sd = x[:, j].std()
        x[:, j + 1] = (x[:, j] - x[:, j].mean()) / sd if sd > 0 else 0.0
    return x


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0


# TextRank's damping factor, as in the paper and in sumy.
DAMPING = 0.85


def _textrank(pool: Sequence[Sentence]) -> F64:
    """TextRank's sentence scores: shared content lemmas over the sum of the log lengths
    (the paper's similarity), PageRank by power iteration; / the cluster's best. Our own
    numpy so that a brief needs no sumy, over the same lemmas the rest of newsweave reads."""
    sets = [set(s.terms) for s in pool]
    n = len(pool)
    sim = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            common = len(sets[i] & sets[j])
            if common:
                denom = math.log(len(sets[i]) + 1) + math.log(len(sets[j]) + 1)
                sim[i, j] = sim[j, i] = common / denom
    out = np.full(n, 1.0 / max(n, 1))
    rows = sim.sum(axis=1)
    trans = np.divide(sim, rows[:, None], out=np.zeros_like(sim), where=rows[:, None] > 0)
    for _ in range(50):
        nxt = (1 - DAMPING) / n + DAMPING * (trans.T @ out)
        if float(np.abs(nxt - out).sum()) < 1e-8:
            out = nxt
            break
        out = nxt
    top = float(out.max()) if n else 0.0
    res: F64 = out / top if top > 0 else out
    return res


def _centrality(story: StoryText, pool: Sequence[Sentence]) -> tuple[F64, F64]:
    """Cosine to the centroid of every sentence, and mean cosine to other reports' sentences
    (zeros without embeddings)."""
    vecs = [story.features[s.id].vector for s in pool]
    if any(v is None for v in vecs):
        return np.zeros(len(pool)), np.zeros(len(pool))
    m = np.stack([v for v in vecs if v is not None]).astype(np.float64)
    c = m.mean(axis=0)
    norm = float(np.linalg.norm(c))
    centroid = m @ c / norm if norm > 0 else np.zeros(len(pool))
    sim = m @ m.T
    arts = np.array([s.article_id for s in pool])
    other = arts[:, None] != arts[None, :]
    counts = other.sum(axis=1)
    degree = np.where(counts > 0, (sim * other).sum(axis=1) / np.maximum(counts, 1), 0.0)
    return centroid, degree
