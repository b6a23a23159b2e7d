"""`newsweave eval alignment`: the evidence model against anchors annotated by reading real
clusters in full (evals/alignment/*.json; the guideline is in docs/evaluation.md).

Each anchor is a span of one source with the sources that state the same information
(`supports`), those that state something incompatible (`contradicts`), its modality and, for
an expectation, the sources that report what became of it (`resolved_by`). The anchor is
matched to newsweave's sentence of that source that shares most of its words; then:

- support: pairs (anchor, other source), precision/recall/F1 of `evidence.supporters`, the
  rule every summary citation uses;
- contradiction: pairs (anchor, source) that the claims mark as contradicting the anchor's claim;
- label: the anchor's claim modality (report / attributed / expectation / denial);
- expectation links: an expectation anchor is right when the sources of what overtook its
  claim are exactly its `resolved_by`;
- timeline: share of annotated dates that the timeline holds; quotes: recall of annotated
  quotes and the speaker accuracy of those found; event: who and where per cluster.

Baselines: TF-IDF cosine and MiniLM cosine between the anchor and each sentence of another
source, a source supporting when its best sentence reaches a threshold tuned on these very
anchors (an oracle advantage no deployed system has).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsweave.analysis.claims import units
from newsweave.errors import DatasetError
from newsweave.lexicon import LEGAL_SUFFIXES
from newsweave.model import Analysis, Article, Claim, Event, Sentence, StoryText

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MODALITY = {"report": "report", "allegation": "attributed", "expectation": "expectation", "denial": "denial"}
_LEGAL_SUFFIXES = frozenset(LEGAL_SUFFIXES)
# An anchor is matched to our sentence when that sentence holds this share of its words.
MIN_MATCH = 0.5


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@dataclass(frozen=True, slots=True, kw_only=True)
class AnchorCluster:
    name: str  # file stem
    data: dict[str, Any]
    articles: tuple[Article, ...]
    raw: dict[str, str]  # article id -> the text the offsets index


def doc_id(doc: int | str) -> str:
    """Article ids as `read_mds` gives them (d0, d1, ...); seeds keep their file stems."""
    return f"d{doc}" if isinstance(doc, int) else doc


def load(files: Sequence[Path], data: Path) -> Iterator[AnchorCluster]:
    """Anchor files with the articles they annotate (from `data`, ../shared/data); a file whose
    data is absent raises DatasetError, one whose document lengths differ too (offsets would lie)."""
    cache: dict[str, dict[str, Any]] = {}
    for f in files:
        d: dict[str, Any] = json.loads(f.read_text("utf-8"))
        if d["set"] == "seeds":
            from newsweave.ingest import load as load_paths

            folder = data / "seeds"
            if not folder.is_dir():
                raise DatasetError(f"{f.name}: {folder} absent")
            raw = {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
            arts = tuple(load_paths([folder]).articles)
        else:
            path = data / "mds" / f"{d['set']}.jsonl"
            if not path.is_file():
                raise DatasetError(f"{f.name}: {path} absent")
            if str(path) not in cache:
                cache[str(path)] = {
                    r["id"]: r for r in (json.loads(line) for line in path.read_text("utf-8").splitlines() if line)
                }
            rec = cache[str(path)].get(d["cluster"])
            if rec is None:
                raise DatasetError(f"{f.name}: cluster {d['cluster']} not in {path.name}")
            raw = {}
            built = []
            for j, doc in enumerate(rec["documents"]):
                text, title = (doc.get("text") or "", doc.get("title")) if isinstance(doc, dict) else (doc, None)
                if text.strip():
                    raw[f"d{j}"] = text
                    built.append(Article(id=f"d{j}", text=text, title=title or None))
            arts = tuple(built)
        lengths = d["doc_lengths"]
        given = lengths if isinstance(lengths, dict) else {f"d{j}": n for j, n in enumerate(lengths)}
        if any(len(raw.get(k, "")) != n for k, n in given.items() if n):
            raise DatasetError(f"{f.name}: the documents differ from the annotated ones (lengths)")
        yield AnchorCluster(name=f.stem, data=d, articles=arts, raw=raw)


def match(span: str, sentences: Sequence[Sentence]) -> Sentence | None:
    """Our sentence that holds most of the span's words (and the span most of its)."""
    want = set(words(span))
    if not want:
        return None
    best, best_score = None, 0.0
    for s in sentences:
        have = set(words(s.text))
        if not have:
            continue
        inter = len(want & have)
        score = min(inter / len(want), inter / len(have) + 0.5)  # a sentence may hold less than a joined span
        if score > best_score:
            best, best_score = s, score
    return best if best_score >= MIN_MATCH else None


@dataclass(slots=True)
class Pairs:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class ClusterResult:
    name: str
    anchors: int = 0
    matched: int = 0
    support: Pairs = field(default_factory=Pairs)
    contradiction: Pairs = field(default_factory=Pairs)
    labels: list[bool] = field(default_factory=list)
    expectations: list[bool] = field(default_factory=list)
    timeline: list[bool] = field(default_factory=list)
    quotes: list[bool] = field(default_factory=list)
    speakers: list[bool] = field(default_factory=list)
    who: bool = False
    where: bool = False
    # (our sentence, gold supporting other sources, all other sources) for the baselines
    pairs: list[tuple[Sentence, set[str], set[str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def claims_of(
    sentence_id: str, claims: Sequence[Claim], span: str = "", clauses: Mapping[str, str] | None = None
) -> list[Claim]:
    """The claims of a sentence; of a compound sentence the analysis splits into clauses, the
    claims of the clauses the anchor's span covers (an anchor may annotate one clause only:
    "Clause only" in its note), all of them when no clause is mostly inside the span."""
    ids = {u for c in claims for u in c.evidence if u == sentence_id or u.startswith(sentence_id + ".")}
    if span and clauses and len(ids) > 1:
        want = set(words(span))
        inside = {u for u in ids if u in clauses and _covered(clauses[u], want)}
        ids = inside or ids
    return [c for c in claims if ids & set(c.evidence)]


def _covered(text: str, want: set[str]) -> bool:
    have = set(words(text))
    return bool(have) and len(have & want) >= 0.5 * len(have)


def score_cluster(
    ac: AnchorCluster,
    story: StoryText,
    analysis: Analysis,
    supporters: Callable[[str], Sequence[str]],
) -> ClusterResult:
    """`supporters(sentence id)` is the citation rule: the article ids that carry it."""
    d = ac.data
    out = ClusterResult(name=ac.name)
    by_article = {a.id: a.sentences for a in story.articles}
    docs = set(by_article)
    claim_by_id = {c.id: c for c in analysis.claims}
    clauses = {u.id: u.text for u in units(story.articles, story.features) if "." in u.id.rpartition(":")[2]}
    for a in d.get("anchors", []):
        aid = doc_id(a["doc"])
        out.anchors += 1
        span = ac.raw[aid][a["start"] : a["end"]]
        s = match(span, by_article.get(aid, ()))
        gold = {doc_id(x) for x in a["supports"]} - {aid}
        gold_con = {doc_id(x) for x in a.get("contradicts", [])}
        if s is None:
            out.support.add(gold & docs, set())
            out.contradiction.add(gold_con & docs, set())
            out.errors.append(f"unmatched anchor {aid}@{a['start']} ({a['starts']})")
            continue
        out.matched += 1
        pred = set(supporters(s.id)) - {aid}
        out.support.add(gold & docs, pred)
        out.pairs.append((s, gold & docs, docs - {aid}))
        for x in sorted(pred - gold):
            out.errors.append(f"support FP {aid}:{s.index} -> {x} ({a['starts']})")
        for x in sorted((gold & docs) - pred):
            out.errors.append(f"support FN {aid}:{s.index} -> {x} ({a['starts']})")
        mine = claims_of(s.id, analysis.claims, span, clauses)
        con: set[str] = set()
        for c in mine:
            for other in c.contradicted_by:
                if other in claim_by_id:
                    con |= set(claim_by_id[other].sources)
        con -= {aid}
        out.contradiction.add(gold_con & docs, con)
        for x in sorted(con ^ (gold_con & docs)):
            out.errors.append(f"contradiction {'FP' if x in con else 'FN'} {aid}:{s.index} -> {x} ({a['starts']})")
        labels = {MODALITY[c.modality] for c in mine}
        right = a["modality"] in labels
        out.labels.append(right)
        if not right:
            out.errors.append(f"label {a['modality']} got {sorted(labels)} ({a['starts']})")
        if a["modality"] == "expectation":
            resolved = {src for c in mine for src in c.resolved_by}
            want = {doc_id(x) for x in a.get("resolved_by", [])} & docs
            out.expectations.append(resolved == want)
            if resolved != want:
                out.errors.append(f"expectation link {sorted(resolved)} != {sorted(want)} ({a['starts']})")
    dates = {t.date for t in analysis.timeline}
    for t in d.get("timeline", []):
        hit = t["date"] in dates
        out.timeline.append(hit)
        if not hit:
            out.errors.append(f"timeline misses {t['date']} ({t['starts']})")
    for q in d.get("quotes", []):
        aid = doc_id(q["doc"])
        want = set(words(ac.raw[aid][q["start"] : q["end"]]))
        # the quote of this source that shares most of the span's words, not the first that
        # shares enough: two quotes of one speech share "the", "city", "to" ...
        found, best = None, 0.0
        for quote in analysis.quotes:
            if aid not in quote.sources:
                continue
            have = set(words(quote.text))
            inter = len(want & have)
            if want and have and inter >= 0.5 * min(len(want), len(have)) and inter >= 3:
                score = inter / len(want | have)
                if score > best:
                    found, best = quote, score
        out.quotes.append(found is not None)
        if found is None:
            out.errors.append(f"quote missed {aid} ({q['starts']})")
        elif q.get("speaker"):
            ok = found.speaker is not None and same_person(found.speaker, q["speaker"])
            out.speakers.append(ok)
            if not ok:
                out.errors.append(f"speaker {found.speaker!r} != {q['speaker']!r} ({q['starts']})")
    out.who, out.where, wrong = score_event(d.get("event", {}), analysis.event)
    out.errors.extend(wrong)
    return out


def score_event(gold: Mapping[str, Any], event: Event) -> tuple[bool, bool, list[str]]:
    """Who is right when each of the first two actors named is one of the annotated actors
    (any of its spellings); where, when the place is one of the annotated places; both right
    when nothing is named where the annotation names nothing."""
    gold_who = [[n.lower() for n in group] for group in gold.get("who", [])]
    got = [p.lower() for p in event.participants[:2]]
    who = bool(got) and all(any(p in g for g in gold_who) for p in got) if gold_who else not got
    gold_where = [w.lower() for w in gold.get("where", [])]
    place = (event.place or "").lower()
    where = place in gold_where if gold_where else not place
    errors = []
    if not who:
        errors.append(f"who {event.participants} not in {gold.get('who')}")
    if not where:
        errors.append(f"where {event.place!r} not in {gold.get('where')}")
    return who, where, errors


def same_person(a: str, b: str) -> bool:
    """Same speaker, loosely: equal names, or one's last word is the other's ("Lavrov"), a
    company's legal suffix left out ("BP PLC" is "BP")."""
    x, y = (_without_suffix(words(n)) for n in (a, b))
    return bool(x and y) and (x == y or x[-1] == y[-1])


def _without_suffix(ws: list[str]) -> list[str]:
    return ws[:-1] if len(ws) > 1 and ws[-1] in _LEGAL_SUFFIXES else ws


def oracle_baseline(
    clusters: Sequence[ClusterResult], similarity: Callable[[ClusterResult, Sentence, str], float]
) -> dict[str, float | int]:
    """Support by best-sentence similarity at the threshold that maximizes F1 on these anchors."""
    scored: list[tuple[float, bool]] = []
    for c in clusters:
        for s, gold, others in c.pairs:
            for o in others:
                scored.append((similarity(c, s, o), o in gold))
    positives = sum(g for _, g in scored)
    best: tuple[float, float, Pairs] = (-1.0, 0.0, Pairs())
    for t in sorted({round(v, 3) for v, _ in scored}):
        pr = Pairs(tp=sum(1 for v, g in scored if v >= t and g), fp=sum(1 for v, g in scored if v >= t and not g))
        pr.fn = positives - pr.tp
        f = float(pr.scores()["f1"])
        if f > best[0]:
            best = (f, t, pr)
    return {**best[2].scores(), "threshold": best[1]}


def summary(results: Sequence[ClusterResult], baselines: Mapping[str, dict[str, float | int]]) -> dict[str, Any]:
    def share(xs: Sequence[bool]) -> float:
        return round(sum(xs) / len(xs), 3) if xs else 1.0

    sup, con = Pairs(), Pairs()
    for r in results:
        sup.tp, sup.fp, sup.fn = sup.tp + r.support.tp, sup.fp + r.support.fp, sup.fn + r.support.fn
        con.tp, con.fp, con.fn = con.tp + r.contradiction.tp, con.fp + r.contradiction.fp, con.fn + r.contradiction.fn

    def flat(attr: str) -> list[bool]:
        return [x for r in results for x in getattr(r, attr)]

    return {
        "clusters": len(results),
        "anchors": sum(r.anchors for r in results),
        "matched": sum(r.matched for r in results),
        "systems": {
            "newsweave": {
                "support": sup.scores(),
                "contradiction": con.scores(),
                "label_accuracy": share(flat("labels")),
                "expectation_links": share(flat("expectations")),
                "expectations": len(flat("expectations")),
                "timeline_date_recall": share(flat("timeline")),
                "timeline_anchors": len(flat("timeline")),
                "quote_recall": share(flat("quotes")),
                "quotes": len(flat("quotes")),
                "speaker_accuracy": share(flat("speakers")),
                "event_who": share([r.who for r in results]),
                "event_where": share([r.where for r in results]),
            },
            **{name: {"support": b} for name, b in baselines.items()},
        },
        "per_cluster": {
            r.name: {"anchors": r.anchors, "support": r.support.scores(), "errors": r.errors} for r in results
        },
    }


def baselines(results: Sequence[ClusterResult], stories: Mapping[str, StoryText]) -> dict[str, dict[str, float | int]]:
    """The two oracle baselines over the same matched anchors."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf: dict[str, tuple[dict[str, int], Any, dict[str, list[int]]]] = {}
    for name, story in stories.items():
        sents = [s for a in story.articles for s in a.sentences]
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit([s.text for s in sents])
        matrix = vec.transform([s.text for s in sents])
        rows: dict[str, list[int]] = {}
        for i, s in enumerate(sents):
            rows.setdefault(s.article_id, []).append(i)
        tfidf[name] = ({s.id: i for i, s in enumerate(sents)}, matrix, rows)

    def by_tfidf(c: ClusterResult, s: Sentence, other: str) -> float:
        index, matrix, rows = tfidf[c.name]
        if not rows.get(other):
            return 0.0
        sims = (matrix[rows[other]] @ matrix[index[s.id]].T).toarray().ravel()
        return float(sims.max())

    def by_minilm(c: ClusterResult, s: Sentence, other: str) -> float:
        story = stories[c.name]
        me = story.features[s.id].vector
        if me is None:
            return 0.0
        vs = [f.vector for f in story.features.values() if f.sentence.article_id == other and f.vector is not None]
        return float(np.max(np.stack(vs) @ me)) if vs else 0.0

    return {"tfidf": oracle_baseline(results, by_tfidf), "minilm": oracle_baseline(results, by_minilm)}


@dataclass(frozen=True, slots=True)
class SupportPair:
    """One (anchor sentence, other source) pair: the model's features and the gold label."""

    cluster: str
    sentence: str
    article: str
    x: np.ndarray
    gold: bool


# Folds by cluster (clusters sorted by name, cluster i in fold i % SUPPORT_FOLDS): a fold's
# clusters are never in its training. The inner folds choose the threshold.
SUPPORT_FOLDS = 5
INNER_FOLDS = 4
# L2 strength of the logistic regression: chosen among 0.03 / 0.1 / 0.3 by the same outer
# folds (benchmarks/train_support.py --sweep prints them), so the choice itself saw every
# cluster: a small leak, said in docs/evaluation.md.
SUPPORT_C = 0.1
# The threshold maximizes F-beta on the inner folds with beta 0.5: a citation that names a
# source that does not carry the sentence costs more trust than one that misses a source.
SUPPORT_BETA = 0.5


def support_pairs(prepared: Mapping[str, tuple[AnchorCluster, StoryText]]) -> list[SupportPair]:
    """The pairs of every matched anchor against every other source of its cluster. A source
    with no compatible window (other modality, a number missing) has no features: it is
    never predicted to support, and counts as a miss when the anchor says it supports."""
    from newsweave.analysis.support import pair_matrix

    out: list[SupportPair] = []
    for name, (ac, story) in sorted(prepared.items()):
        by_article = {a.id: a.sentences for a in story.articles}
        for a in ac.data.get("anchors", []):
            aid = doc_id(a["doc"])
            s = match(ac.raw[aid][a["start"] : a["end"]], by_article.get(aid, ()))
            if s is None:
                continue
            gold = {doc_id(x) for x in a["supports"]}
            for other, (x, _ev) in pair_matrix(s.id, story.features, story.weights).items():
                out.append(SupportPair(cluster=name, sentence=s.id, article=other, x=x, gold=other in gold))
    return out


def _fbeta(y: np.ndarray, p: np.ndarray, t: float, beta: float) -> float:
    q = p >= t
    tp, fp, fn = int((y & q).sum()), int((~y & q).sum()), int((y & ~q).sum())
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    b2 = beta * beta
    return (1 + b2) * prec * rec / (b2 * prec + rec) if prec + rec else 0.0


def fit_support(pairs: Sequence[SupportPair], *, c: float = SUPPORT_C, beta: float = SUPPORT_BETA) -> Any:
    """The support model trained on `pairs`: scikit-learn's logistic regression (a linear
    model: some 600 pairs, weights a reader can check), the threshold by inner folds."""
    from sklearn.linear_model import LogisticRegression

    from newsweave.analysis.support import SupportModel

    def train(ps: Sequence[SupportPair]) -> SupportModel:
        x = np.stack([p.x for p in ps])
        y = np.array([p.gold for p in ps])
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
        coef = lr.coef_[0].astype(np.float64)
        return SupportModel(mean=mean, scale=scale, coef=coef, intercept=float(lr.intercept_[0]), threshold=0.5)

    clusters = sorted({p.cluster for p in pairs})
    probs, labels = [], []
    for j in range(INNER_FOLDS):
        held = set(clusters[j::INNER_FOLDS])
        m = train([p for p in pairs if p.cluster not in held])
        for p in pairs:
            if p.cluster in held:
                probs.append(m.probability(p.x))
                labels.append(p.gold)
    pr, yl = np.array(probs), np.array(labels, dtype=bool)
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    threshold = max(grid, key=lambda t: (_fbeta(yl, pr, t, beta), -t))
    final = train(pairs)
    return SupportModel(
        mean=final.mean, scale=final.scale, coef=final.coef, intercept=final.intercept, threshold=threshold
    )


def fold_models(pairs: Sequence[SupportPair], folds: int = SUPPORT_FOLDS, **kw: Any) -> dict[str, Any]:
    """For each cluster, the model trained on the clusters of the other folds (none for a
    cluster alone, or when the other folds hold no supporting pair: it cannot be held out)."""
    clusters = sorted({p.cluster for p in pairs})
    out: dict[str, Any] = {}
    for k in range(folds):
        held = set(clusters[k::folds])
        train = [p for p in pairs if p.cluster not in held]
        if not held or len({p.gold for p in train}) < 2:
            continue
        m = fit_support(train, **kw)
        out.update(dict.fromkeys(held, m))
    return out


def prepare_clusters(
    files: Sequence[Path], data: Path, *, on_cluster: Callable[[str], None] | None = None
) -> dict[str, tuple[AnchorCluster, StoryText, Any]]:
    """Every anchor file's cluster through the brief's own preparation."""
    from newsweave.nlp.embed import load_encoder
    from newsweave.nlp.language import load_model
    from newsweave.pipeline import prepare

    nlp, encoder = load_model(), load_encoder()
    out: dict[str, tuple[AnchorCluster, StoryText, Any]] = {}
    for ac in load(files, data):
        if on_cluster:
            on_cluster(ac.name)
        prepared = prepare(ac.articles, nlp=nlp, encoder=encoder)
        out[ac.name] = (ac, prepared.text, prepared.resolved)
    return out


def evaluate_events(
    files: Sequence[Path], data: Path, *, on_cluster: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """The event's who and where on clusters annotated for their event only
    (`evals/events/`): none of the actor rules was written by reading them, so their score
    is the held-out one beside the anchors' in-sample figure."""
    from newsweave.analysis import analyze
    from newsweave.pipeline import headline

    per_cluster: dict[str, dict[str, Any]] = {}
    for name, (ac, story, resolved) in prepare_clusters(files, data, on_cluster=on_cluster).items():
        title, _ = headline(story.articles)
        event = analyze(story, resolved, title=title).event
        who, where, errors = score_event(ac.data.get("event", {}), event)
        per_cluster[name] = {"who": who, "where": where, "errors": errors}
    n = len(per_cluster)
    return {
        "clusters": n,
        "event_who": round(sum(r["who"] for r in per_cluster.values()) / n, 3) if n else 0.0,
        "event_where": round(sum(r["where"] for r in per_cluster.values()) / n, 3) if n else 0.0,
        "per_cluster": per_cluster,
    }


def evaluate(files: Sequence[Path], data: Path, *, on_cluster: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Score the evidence model on every anchor file; the baselines in the same run. The
    support model is trained on these anchors, so its pairs are scored cross-validated: each
    cluster by the model of the folds it is not in (`fold_models`)."""
    from newsweave.analysis import analyze
    from newsweave.analysis.support import supporters
    from newsweave.pipeline import headline

    prepared = prepare_clusters(files, data, on_cluster=on_cluster)
    pairs = support_pairs({k: (ac, st) for k, (ac, st, _r) in prepared.items()})
    models = fold_models(pairs)
    trained_on = {p.cluster for p in pairs}
    results: list[ClusterResult] = []
    stories: dict[str, StoryText] = {}
    for name, (ac, story, resolved) in prepared.items():
        title, _ = headline(story.articles)
        found = analyze(story, resolved, title=title)
        order = [a.id for a in story.articles]
        fold_model = models.get(name)

        def cited(sid: str, story: StoryText = story, order: list[str] = order, m: Any = fold_model) -> Sequence[str]:
            return supporters(sid, story.features, story.weights, order, model=m).sources

        results.append(score_cluster(ac, story, found, cited))
        stories[name] = story
    out = summary(results, baselines(results, stories))
    # every cluster's support pairs decided by a model that never saw them: its fold's model,
    # or the shipped one for a cluster that gave no training pair (no source with a compatible
    # window, allsides-neus-val-243); a single file given is decided by the shipped model,
    # trained on it: an in-sample figure
    out["support_cross_validated"] = bool(models) and all(k in models or k not in trained_on for k in prepared)
    return out
