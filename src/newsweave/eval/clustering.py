"""Story clustering against labelled pools of real articles, beside a batch baseline.

Pools: Multi-News dev (label = cluster id, one event each), AllSides dev (label = cluster
id, three outlets on one story) and WikiRef220 (label = topic, broader than an event).
The stream order is a fixed shuffle (seed 13): stories interleave as in a real feed.
Baseline: scikit-learn TF-IDF + average-linkage agglomerative clustering, batch, with its
distance threshold tuned on the very pool it is scored on (an oracle advantage we give it).
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsweave.eval.datasets import read_mds
from newsweave.model import Article, ArticleFeatures
from newsweave.stories.cluster import ClusterParams, StoryClusterer
from newsweave.stories.features import extract

SEED = 13
BASELINE_THRESHOLDS = tuple(round(0.5 + 0.025 * i, 3) for i in range(19))  # cosine distance 0.5 .. 0.95


@dataclass(frozen=True, slots=True, kw_only=True)
class Pool:
    name: str
    articles: tuple[Article, ...]
    labels: dict[str, str]  # article id -> gold label


def multinews_pool(path: Path) -> Pool:
    return _mds_pool("multinews-dev", path)


def allsides_pool(path: Path) -> Pool:
    return _mds_pool("allsides-dev", path)


def _mds_pool(name: str, path: Path) -> Pool:
    articles: list[Article] = []
    labels: dict[str, str] = {}
    for c in read_mds(path):
        for a in c.articles:
            aid = f"{c.id}/{a.id}"
            articles.append(replace(a, id=aid))
            labels[aid] = c.id
    return _shuffled(name, articles, labels)


def wikiref_pool(folder: Path) -> Pool:
    articles: list[Article] = []
    labels: dict[str, str] = {}
    for f in sorted(folder.glob("*.txt")):
        topic = re.sub(r"[._]?\d+$", "", f.stem)
        text = f.read_text(encoding="utf-8", errors="replace")
        articles.append(Article(id=f.stem, text=text))
        labels[f.stem] = topic
    return _shuffled("wikiref220", articles, labels)


def _shuffled(name: str, articles: list[Article], labels: dict[str, str]) -> Pool:
    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    return Pool(name=name, articles=tuple(articles[i] for i in order), labels=labels)


# -- metrics (standard definitions; B-cubed after Bagga & Baldwin 1998) -----------------------
def bcubed(pred: Mapping[str, object], gold: Mapping[str, object]) -> dict[str, float]:
    items = [i for i in gold if i in pred]
    by_pred: dict[object, set[str]] = defaultdict(set)
    by_gold: dict[object, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += same / len(by_pred[pred[i]])
        r += same / len(by_gold[gold[i]])
    p, r = p / len(items), r / len(items)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def pairwise(pred: Mapping[str, object], gold: Mapping[str, object]) -> dict[str, float]:
    items = [i for i in gold if i in pred]

    def pairs(labels: Mapping[str, object]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(labels[i] for i in items).values())

    both = sum(n * (n - 1) // 2 for n in Counter((pred[i], gold[i]) for i in items).values())
    pp, gp = pairs(pred), pairs(gold)
    p = both / pp if pp else 1.0
    r = both / gp if gp else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def scores(pred: Mapping[str, object], gold: Mapping[str, object]) -> dict[str, float]:
    b, pw = bcubed(pred, gold), pairwise(pred, gold)
    return {
        "bcubed_p": b["precision"],
        "bcubed_r": b["recall"],
        "bcubed_f1": b["f1"],
        "pairwise_f1": pw["f1"],
        "clusters": float(len(set(pred[i] for i in gold if i in pred))),
    }


# -- systems ---------------------------------------------------------------------------------
def newsweave_labels(features: Sequence[ArticleFeatures], params: ClusterParams) -> tuple[dict[str, int], float]:
    c = StoryClusterer(params)
    t = time.perf_counter()
    c.add_all(features)
    return c.labels(), time.perf_counter() - t


def baseline_labels(pool: Pool, threshold: float) -> dict[str, int]:
    """TF-IDF (scikit-learn, English stop words, sublinear tf) + average-linkage agglomerative."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}\n{a.text}" for a in pool.articles]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(texts).toarray()
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    labels = model.fit_predict(x)
    return {a.id: int(lab) for a, lab in zip(pool.articles, labels, strict=True)}


def evaluate(
    pools: Sequence[Pool],
    *,
    params: ClusterParams | None = None,
    entities: bool = True,
    on_pool: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    params = params or ClusterParams()
    out: dict[str, Any] = {"params": _params(params), "pools": {}}
    for pool in pools:
        if on_pool:
            on_pool(pool.name)
        t = time.perf_counter()
        feats = extract(pool.articles, entities=entities)
        feature_s = time.perf_counter() - t
        labels, cluster_s = newsweave_labels(feats, params)
        ours = scores(labels, pool.labels)
        sweep = {th: scores(baseline_labels(pool, th), pool.labels) for th in BASELINE_THRESHOLDS}
        best_th = max(sweep, key=lambda th: (sweep[th]["bcubed_f1"], -th))
        out["pools"][pool.name] = {
            "articles": len(pool.articles),
            "gold_clusters": len(set(pool.labels.values())),
            "systems": {
                "newsweave (online)": ours,
                f"tf-idf + agglomerative (batch, oracle threshold {best_th})": sweep[best_th],
                "singletons": scores({a.id: a.id for a in pool.articles}, pool.labels),
            },
            "seconds": {"features": feature_s, "clustering": cluster_s},
            "articles_per_second_clustering": len(pool.articles) / cluster_s if cluster_s else None,
        }
    return out


def tune(
    pools: Sequence[Pool], grid: Mapping[str, Sequence[float]], *, entities: bool = True
) -> list[tuple[dict[str, float], float]]:
    """Mean B-cubed F1 over `pools` for every combination of `grid` (features computed once)."""
    import itertools

    feats = {p.name: extract(p.articles, entities=entities) for p in pools}
    keys = sorted(grid)
    results: list[tuple[dict[str, float], float]] = []
    for combo in itertools.product(*(grid[k] for k in keys)):
        setting = dict(zip(keys, combo, strict=True))
        params = replace(ClusterParams(), **setting)  # type: ignore[arg-type]
        f1 = sum(scores(newsweave_labels(feats[p.name], params)[0], p.labels)["bcubed_f1"] for p in pools) / len(pools)
        results.append((setting, f1))
    results.sort(key=lambda r: -r[1])
    return results


def _params(p: ClusterParams) -> dict[str, float]:
    return {k: getattr(p, k) for k in p.__dataclass_fields__}


# -- diagnosis: why reports of different stories end up together ------------------------------
NEAR_THRESHOLD = 0.05  # a join within this of the threshold counts as "near the threshold"


def explain(pool: Pool, features: Sequence[ArticleFeatures], params: ClusterParams) -> dict[str, Any]:
    """Every wrong join of the stream (an article joining a story that holds none of its gold
    story's reports), with the signal that carried it, and every merge of stories that share no
    gold story. Signals, first that applies: "entities" (the words alone were below the
    threshold), "centroid" (no single member as close as the threshold: a chain of joins built a
    centroid the article matches), "near threshold" (within NEAR_THRESHOLD), else "words"."""
    c = StoryClusterer(params)
    c.trace = []
    gold = pool.labels
    members: dict[int, list[str]] = defaultdict(list)
    joins: list[dict[str, Any]] = []
    for f in features:
        before = len(c.trace)
        a = c.add(f)
        if len(c.trace) > before:
            t = c.trace[-1]
            mates = [m for m in members[t.story] if gold.get(m) == gold.get(f.article_id)]
            if not mates and members[t.story]:
                w = params.entity_weight if t.entities else 0.0
                if (1.0 - w) * t.text * t.decay < params.threshold:
                    signal = "entities"
                elif t.best_member < params.threshold:
                    signal = "centroid"
                elif t.score < params.threshold + NEAR_THRESHOLD:
                    signal = "near threshold"
                else:
                    signal = "words"
                joins.append(
                    {
                        "article": f.article_id,
                        "gold": gold.get(f.article_id),
                        "story_gold": Counter(gold.get(m) for m in members[t.story]).most_common(1)[0][0],
                        "story_size": len(members[t.story]),
                        "signal": signal,
                        "score": round(t.score, 3),
                        "text": round(t.text, 3),
                        "entities": round(t.entities, 3),
                        "best_member": round(t.best_member, 3),
                        "runner_up": round(t.runner_up, 3),
                        "shared": list(t.shared),
                    }
                )
        # Keep the story -> members view current through merges and splits.
        members = defaultdict(list)
        for aid, sid in c.story_of.items():
            members[sid].append(aid)
        del a
    merges = []
    for e in c.events:
        if e.kind != "merge":
            continue
        moved = {gold.get(x) for x in e.articles}
        kept = {gold.get(x) for x, sid in c.labels().items() if sid == e.story and x not in e.articles}
        if moved and not moved & kept:
            merges.append({"story": e.story, "absorbed": e.other, "articles": len(e.articles)})
    sizes = Counter(c.labels().values())
    gold_sizes = Counter(gold.values())
    return {
        "pool": pool.name,
        "wrong_joins": joins,
        "by_signal": dict(Counter(j["signal"] for j in joins).most_common()),
        "wrong_merges": merges,
        "merges": sum(e.kind == "merge" for e in c.events),
        "splits": sum(e.kind == "split" for e in c.events),
        "largest_story": max(sizes.values(), default=0),
        "largest_gold_story": max(gold_sizes.values(), default=0),
        "scores": scores(c.labels(), gold),
    }
