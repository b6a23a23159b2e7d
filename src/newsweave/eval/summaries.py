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
from newsweave.pipeline import cite, prepare
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
) -> SummaryEval:
    nlp = nlp or load_model()
    encoder = encoder or load_encoder()
    results: list[ClusterScores] = []
    skipped: list[str] = []
    for cluster in read_mds(path, limit=limit):
        try:
            results.append(score_cluster(cluster, systems=systems, words=words, nlp=nlp, encoder=encoder))
        except IngestError as exc:
            skipped.append(f"{cluster.id}: {exc}")
        if on_cluster:
            on_cluster(len(results) + len(skipped))
    return SummaryEval(dataset=Path(path).name, systems=tuple(systems), clusters=tuple(results), skipped=tuple(skipped))


def score_cluster(
    cluster: SummaryCluster, *, systems: Sequence[str], words: int | None, nlp: Language, encoder: Encoder
) -> ClusterScores:
    story = prepare(cluster.articles, nlp=nlp, encoder=encoder)
    budget = words or len(cluster.references[0].split())
    scores: dict[str, dict[str, float]] = {}
    lengths: dict[str, int] = {}
    ours: tuple[SummarySentence, ...] = ()
    for name in systems:
        cited = cite(summarize.get(name).select(story.text, budget), story.text)
        text = " ".join(s.text for s in cited)
        scores[name] = rouge(text, cluster.references)
        lengths[name] = len(text.split())
        if name == "newsweave":
            ours = cited
    attribution = check_attribution(ours, story.text) if ours else {}
    return ClusterScores(
        id=cluster.id,
        articles=len(story.text.articles),
        budget=budget,
        scores=scores,
        words=lengths,
        attribution=attribution,
        summary=[{"text": s.text, "sources": list(s.sources)} for s in ours],
    )


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
