"""`newsweave eval summaries`: ROUGE of every summarizer on the same clusters, and how
faithful newsweave's citations are.

All systems share one preparation per cluster (cleaning, sentence split, features), so
they differ only in which sentences they pick. Budget: the reference's length in words,
unless one is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from newsweave import summarize
from newsweave.eval.datasets import SummaryCluster, read_mds
from newsweave.eval.rouge import METRICS, Interval, bootstrap, paired_win_rate, rouge
from newsweave.ingest import IngestError
from newsweave.model import StoryText, SummarySentence
from newsweave.nlp.embed import Encoder, load_encoder
from newsweave.nlp.language import load_model
from newsweave.pipeline import PreparedStory, cite, prepare
from newsweave.summarize import NAMES

SYSTEMS = NAMES  # every registered summarizer, ours first
# The attribution check judges "source S carries sentence X" on its own, simpler evidence:
# surface unigram precision of X against S's best sentence (or pair of consecutive ones),
# with stemming (rouge-score's tokenizer), alone or with embedding cosine. It knows nothing
# of canonical entities or modality, so it is an independent second opinion, not ground truth.
CHECK_PRECISION = 0.6
CHECK_PRECISION_WITH_EMBEDDING = 0.4
CHECK_COSINE = 0.7


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterScores:
    id: str
    articles: int
    budget: int
    scores: dict[str, dict[str, float]]  # system -> metric -> F1 percent
    words: dict[str, int]
    attribution: dict[str, int]  # cited_ok, cited, supported_cited, supported
    summary: list[dict[str, Any]] = field(default_factory=list)  # newsweave's, with citations


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryEval:
    dataset: str
    systems: tuple[str, ...]
    clusters: tuple[ClusterScores, ...]
    skipped: tuple[str, ...]
    folds: int | None = None  # newsweave cross-validated by cluster in this many folds

    def interval(self, system: str, metric: str) -> Interval:
        return bootstrap([c.scores[system][metric] for c in self.clusters])

    def win_rate(self, a: str, b: str, metric: str) -> float:
        return paired_win_rate(
            [c.scores[a][metric] for c in self.clusters], [c.scores[b][metric] for c in self.clusters]
        )

    def attribution(self) -> dict[str, float | int]:
        tot = {
            k: sum(c.attribution.get(k, 0) for c in self.clusters)
            for k in ("cited_ok", "cited", "supported_cited", "supported")
        }
        return {
            "precision": tot["cited_ok"] / tot["cited"] if tot["cited"] else 1.0,
            "recall": tot["supported_cited"] / tot["supported"] if tot["supported"] else 1.0,
            "cited_pairs": tot["cited"],
            "supported_pairs": tot["supported"],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "clusters": len(self.clusters),
            "folds": self.folds,
            "systems": {s: {m: round(self.interval(s, m).mean, 2) for m in METRICS} for s in self.systems},
            "intervals": {
                s: {m: [round(self.interval(s, m).low, 2), round(self.interval(s, m).high, 2)] for m in METRICS}
                for s in self.systems
            },
            "attribution": {k: round(v, 4) if isinstance(v, float) else v for k, v in self.attribution().items()},
            "skipped": list(self.skipped),
        }


def evaluate_summaries(
    path: str | Path,
    *,
    systems: Sequence[str] = SYSTEMS,
    words: int | None = None,
    limit: int | None = None,
    nlp: Language | None = None,
    encoder: Encoder | None = None,
    on_cluster: Callable[[int], None] | None = None,
    folds: int | None = None,
) -> SummaryEval:
    """Every system on every cluster. With `folds`, newsweave's scorer is cross-validated by
    cluster: the clusters fall into `folds` folds (by a hash of their id) and each fold is
    summarised by a model trained on the other folds' oracle labels, never on its own."""
    nlp = nlp or load_model()
    encoder = encoder or load_encoder()
    done: list[tuple[SummaryCluster, PreparedStory, int, dict[str, dict[str, float]], dict[str, int]]] = []
    skipped: list[str] = []
    others = [s for s in systems if s != "newsweave"]
    for cluster in read_mds(path, limit=limit):
        try:
            story = prepare(cluster.articles, nlp=nlp, encoder=encoder)
        except IngestError as exc:
            skipped.append(f"{cluster.id}: {exc}")
        else:
            budget = words or len(cluster.references[0].split())
            scores: dict[str, dict[str, float]] = {}
            lengths: dict[str, int] = {}
            for name in others:
                text = " ".join(s.text for s in summarize.get(name).select(story.text, budget))
                scores[name] = rouge(text, cluster.references)
                lengths[name] = len(text.split())
            done.append((cluster, story, budget, scores, lengths))
        if on_cluster:
            on_cluster(len(done) + len(skipped))
    ours = _ours(done, folds) if "newsweave" in systems else {}
    results = []
    for cluster, story, budget, scores, lengths in done:
        cited = ours.get(cluster.id, ())
        if "newsweave" in systems:
            text = " ".join(s.text for s in cited)
            scores = {"newsweave": rouge(text, cluster.references), **scores}
            lengths = {"newsweave": len(text.split()), **lengths}
        results.append(
            ClusterScores(
                id=cluster.id,
                articles=len(story.text.articles),
                budget=budget,
                scores={name: scores[name] for name in systems},
                words={name: lengths[name] for name in systems},
                attribution=check_attribution(cited, story.text) if cited else {},
                summary=[{"text": s.text, "sources": list(s.sources)} for s in cited],
            )
        )
    return SummaryEval(
        dataset=Path(path).name, systems=tuple(systems), clusters=tuple(results), skipped=tuple(skipped), folds=folds
    )


def _ours(
    done: Sequence[tuple[SummaryCluster, PreparedStory, int, Any, Any]], folds: int | None
) -> dict[str, tuple[SummarySentence, ...]]:
    """newsweave's cited summary of each cluster: by the shipped scorer, or with `folds` by
    the scorer trained on the other folds."""
    if not folds:
        return {c.id: cite(summarize.get("newsweave").select(st.text, b), st.text) for c, st, b, _, _ in done}
    return cross_validated([(c.id, st.text, c.references[0], b) for c, st, b, _, _ in done], folds)


def cross_validated(
    clusters: Sequence[tuple[str, StoryText, str, int]], folds: int, *, kind: str = "ensemble"
) -> dict[str, tuple[SummarySentence, ...]]:
    """The cited summary of each (id, story, reference, budget) by a scorer (`training.fit`'s
    `kind`) trained on the oracle labels of the other folds' clusters only (folds by
    `training.fold_of`)."""
    from newsweave.summarize.learned import Ranker, choose, load_model
    from newsweave.summarize.training import example, fit, fold_of

    examples = [example(cid, st, ref, b) for cid, st, ref, b in clusters]
    out: dict[str, tuple[SummarySentence, ...]] = {}
    for f in range(folds):
        train = [e for e in examples if fold_of(e.id, folds) != f]
        test = [(e, st, b) for e, (_, st, _, b) in zip(examples, clusters, strict=True) if fold_of(e.id, folds) == f]
        if not train or not test:
            continue
        labels = {float(v) for e in train for v in e.y}
        # a fold whose training holds no oracle sentence (a tiny file) has nothing to learn from:
        # the shipped scorer summarises it
        ranker = Ranker(fit(train, kind=kind)) if labels == {0.0, 1.0} else load_model()
        for e, st, b in test:
            chosen = choose(st, e.pool, e.x, ranker.score(e.x), b) if e.pool else []
            out[e.id] = cite(chosen, st)
    return out


def check_attribution(summary: Sequence[SummarySentence], story: StoryText) -> dict[str, int]:
    """Count cited (sentence, source) pairs the independent check confirms, and the pairs it
    finds supported that were cited. The sentence's own source is left out of both."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    out = {"cited_ok": 0, "cited": 0, "supported_cited": 0, "supported": 0}
    for s in summary:
        me = story.features[s.origin]
        for art in story.articles:
            if art.id == me.sentence.article_id:
                continue
            best = False
            sents = list(art.sentences)
            for i, other in enumerate(sents):
                window = other.text if i + 1 == len(sents) else f"{other.text} {sents[i + 1].text}"
                p = scorer.score(window, s.text)["rouge1"].precision
                if p >= CHECK_PRECISION:
                    best = True
                elif p >= CHECK_PRECISION_WITH_EMBEDDING:
                    f_other = story.features[other.id]
                    if me.vector is not None and f_other.vector is not None:
                        best = float(me.vector @ f_other.vector) >= CHECK_COSINE
                if best:
                    break
            cited = art.id in s.sources
            out["cited"] += cited
            out["cited_ok"] += cited and best
            out["supported"] += best
            out["supported_cited"] += best and cited
    return out
