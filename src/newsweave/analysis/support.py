"""Which sources carry the information of a sentence: the basis of every citation.

A source supports a sentence when one of its sentences contains most of the
sentence's weighted content (lemmas and canonical entities, weighted by rarity in
the story) and does not change its modality (an expectation, a denial or an allegation does not support a
report that something happened). Hand-written because the comparison works on
our own features (canonical entities across spellings) and must stay explainable.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsweave import lexicon
from newsweave.lexicon import alternation
from newsweave.model import AnalyzedArticle, SentenceFeatures
from newsweave.nlp.dates import said_just_before
from newsweave.nlp.embed import Encoder, encode

# Share of a sentence's weighted content another sentence must contain to support it.
# Set on the bundled example and the seed cluster by reading every citation; the
# attribution check of `newsweave eval` measures precision and recall of this rule.
MIN_CONTAINMENT = 0.5
# Fewer shared content units than this is coincidence, not the same information.
MIN_SHARED_UNITS = 3
# Paraphrase support: embedding cosine at least this, with at least EMB_MIN_CONTAINMENT of
# the content shared. Sentences of one story sit at 0.65-0.75 from topic alone (read off
# every cross-source pair of the seed cluster and the example), so cosine never decides alone.
EMB_SUPPORT = 0.75
# With embeddings, a supporter must also be at least this close in meaning: word overlap
# alone cited unrelated sentences that share names (read off the citations the independent
# check of `newsweave eval summaries` rejected on multinews-dev: wrong ones sat at 0.06-0.45,
# right ones at 0.58 and above).
MIN_SUPPORT_COSINE = 0.5
EMB_MIN_CONTAINMENT = 0.3
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Words that put a statement in the future or in doubt ("are set to sign", "expected to").
FUTURE_CUES = re.compile(rf"\b(?:{alternation(lexicon.FUTURE_CUES)})\b", re.I)
# Denials and rebuttals: a report that X was denied is not support for X, nor the reverse.
DENIAL_CUES = re.compile(rf"\b(?:{alternation(lexicon.DENIALS)})\b", re.I)
# Reported claims: "the union alleged that ...", "accusations that ...". A report that
# someone alleges X does not support a sentence stating X as fact, nor the reverse.
ALLEGATION_CUES = re.compile(rf"\b(?:{alternation(lexicon.ALLEGATIONS)})\b", re.I)


def is_allegation(text: str) -> bool:
    return bool(ALLEGATION_CUES.search(text))


def is_denial(text: str) -> bool:
    return bool(DENIAL_CUES.search(text))


def is_future(text: str) -> bool:
    return bool(FUTURE_CUES.search(text))


def features(
    analyzed: Sequence[AnalyzedArticle],
    entity_ids: Mapping[str, frozenset[str]],
    encoder: Encoder | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, SentenceFeatures]:
    """Each sentence's content units, modality cues, numbers and (with an encoder) embedding;
    `progress` gets (sentences encoded, sentences) as the encoder goes."""
    sentences = [s for art in analyzed for s in art.sentences]
    vectors = encode(encoder, [s.text for s in sentences], progress) if encoder is not None else None
    out: dict[str, SentenceFeatures] = {}
    for i, s in enumerate(sentences):
        ents = entity_ids.get(s.id, frozenset())
        denial = is_denial(s.text)
        out[s.id] = SentenceFeatures(
            sentence=s,
            units=frozenset(s.terms) | {f"@{e}" for e in ents},
            future=is_future(s.text),
            denial=denial,
            # "denied the allegation" is a denial, not an allegation
            allegation=is_allegation(s.text) and not denial,
            vector=None if vectors is None else vectors[i],
            numbers=numbers(s.text),
        )
    return out


def numbers(text: str) -> frozenset[str]:
    """The figures a sentence states; a number that is part of a name is none ("COVID-19",
    "F-35"), or every report of the pandemic would need the 19 to support a sentence."""
    return frozenset(m.group(0).replace(",", "") for m in _NUMBER.finditer(text) if not _in_name(text, m.start()))


def _in_name(text: str, start: int) -> bool:
    """A letter and a hyphen right before the digits: "COVID-19", "F-35"."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()


def cosine(a: SentenceFeatures, b: SentenceFeatures) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(np.dot(a.vector, b.vector))


def idf(feats: Mapping[str, SentenceFeatures]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for f in feats.values():
        df.update(f.units)
    n = max(len(feats), 1)
    return {u: math.log(1 + n / d) for u, d in df.items()}


def containment(a: SentenceFeatures, b: SentenceFeatures, weights: Mapping[str, float]) -> float:
    """Weighted share of a's content found in b."""
    total = math.fsum(weights.get(u, 0.0) for u in a.units)
    if total == 0:
        return 0.0
    return math.fsum(weights.get(u, 0.0) for u in a.units & b.units) / total


def _windows(
    feats: Mapping[str, SentenceFeatures], exclude_article: str
) -> Iterator[tuple[SentenceFeatures, SentenceFeatures, SentenceFeatures | None]]:
    """Each sentence of the other articles alone, and joined with the next one (which is
    yielded too, for its embedding).

    Reports often split one piece of information over two sentences ("Iran has sent
    drones to Russia." + "Iran then denied these allegations.").
    """
    by_pos = {(f.sentence.article_id, f.sentence.index): f for f in feats.values()}
    for f in feats.values():
        if f.sentence.article_id == exclude_article:
            continue
        yield f, f, None
        nxt = by_pos.get((f.sentence.article_id, f.sentence.index + 1))
        if nxt is not None:
            yield f, _joined(f, nxt), nxt


@dataclass(frozen=True, slots=True, kw_only=True)
class Support:
    sources: tuple[str, ...]  # origin article first, then the others in input order
    evidence: tuple[str, ...]  # best supporting sentence id per other source


def supporters(
    sid: str,
    feats: Mapping[str, SentenceFeatures],
    weights: Mapping[str, float],
    article_order: Sequence[str],
    model: SupportModel | None = None,
) -> Support:
    """Every article that carries the information of sentence `sid`: with embeddings, the
    learned pairwise model (`SupportModel`, trained on the annotated anchors, cross-validated
    by cluster in `newsweave eval alignment`); without them, the word rule it learned from."""
    me = feats[sid]
    if me.vector is None:
        return _rule_supporters(sid, feats, weights, article_order)
    model = model or load_support_model()
    scored = pair_matrix(sid, feats, weights)
    best = {aid: ev for aid, (x, ev) in scored.items() if decide(model, x)}
    others = [a for a in article_order if a in best]
    return Support(sources=(me.sentence.article_id, *others), evidence=tuple(best[a] for a in others))


def _rule_supports(
    me: SentenceFeatures, window: SentenceFeatures, other: SentenceFeatures, nxt: SentenceFeatures | None, c: float
) -> bool:
    """The hand-set rule (containment, or paraphrase by cosine): the fallback without
    embeddings and one feature of the model."""
    if len(me.units & window.units) < MIN_SHARED_UNITS:
        return False
    sem = max(cosine(me, other), cosine(me, nxt) if nxt is not None else 0.0)
    if c < MIN_CONTAINMENT and not (c >= EMB_MIN_CONTAINMENT and sem >= EMB_SUPPORT):
        return False
    return not (me.vector is not None and other.vector is not None and sem < MIN_SUPPORT_COSINE)


def _compatible(me: SentenceFeatures, window: SentenceFeatures, nxt: SentenceFeatures | None = None) -> bool:
    """Same modality, every number of `me` stated, and not another day (each naming one
    weekday, a different one): without all three, never support, whatever the words
    ("41,000 passengers" is not supported by "thousands"; an expectation does not support a
    report that it happened; "died early Thursday" does not support "died early Tuesday")."""
    if (window.future, window.denial, window.allegation) != (me.future, me.denial, me.allegation):
        return False
    if not me.numbers <= window.numbers:
        return False
    mine = weekdays(me.sentence.text)
    if len(mine) != 1:
        return True
    theirs = weekdays(window.sentence.text) | (weekdays(nxt.sentence.text) if nxt is not None else frozenset())
    return len(theirs) != 1 or mine == theirs


_WEEKDAY = re.compile(rf"\b(?:{alternation(lexicon.WEEKDAY_NAMES)})\b", re.I)


@lru_cache(maxsize=65536)
def weekdays(text: str) -> frozenset[str]:
    """The weekdays a sentence puts its event on: not the day of the saying ("is set to open
    on Saturday, city officials said on Thursday": Saturday only)."""
    return frozenset(m.group().lower() for m in _WEEKDAY.finditer(text) if not said_just_before(text, m.start(), 20))


def _rule_supporters(
    sid: str,
    feats: Mapping[str, SentenceFeatures],
    weights: Mapping[str, float],
    article_order: Sequence[str],
) -> Support:
    me = feats[sid]
    best: dict[str, tuple[float, str]] = {}
    for other, window, nxt in _windows(feats, me.sentence.article_id):
        aid = other.sentence.article_id
        if not _compatible(me, window, nxt if window is not other else None):
            continue
        c = containment(me, window, weights)
        if not _rule_supports(me, window, other, nxt, c):
            continue
        if c > best.get(aid, (0.0, ""))[0]:
            # the evidence is the sentence of the window closest in meaning
            closer = nxt is not None and cosine(me, nxt) > cosine(me, other)
            best[aid] = (c, (nxt if closer and nxt is not None else other).sentence.id)
    others = [a for a in article_order if a in best]
    return Support(
        sources=(me.sentence.article_id, *others),
        evidence=tuple(best[a][1] for a in others),
    )


# ---- the learned pairwise model

# The features of (sentence, other article), in the model file's order. Each is read off
# the article's windows (a sentence alone, or joined with the next) that are compatible with
# the sentence (`_compatible`); an article with none never supports it.
FEATURES = (
    "weighted_cosine_max",  # idf-weighted cosine of content units, best window
    "bigram_share_best",  # share of the sentence's lemma bigrams in the best-containment window
    "bigram_share_article",  # ... anywhere in the article
    "entity_share_best",  # share of its canonical entities in that window
    "entity_share_article",  # ... anywhere in the article
    "containment_max",  # weighted share of its content in the best window
    "containment_single",  # ... best single sentence
    "cosine_max",  # embedding cosine, closest single sentence
    "cosine_at_best",  # cosine of the best-containment window's closest sentence
    "containment_at_closest",  # containment of the closest sentence
    "reverse_containment",  # share of the best sentence's content found in the sentence
    "article_containment",  # share of its content anywhere in the article (topic)
    "log_shared_units",
    "log_units",
    "has_numbers",
    "has_entities",
    "future",
    "denial",
    "allegation",
    "rule",  # the hand-set rule says yes
    "containment_vs_mean",  # the same three, relative to the other articles of the story
    "cosine_vs_mean",
    "cosine_vs_best",
    "weighted_cosine_vs_mean",
    "weighted_cosine_vs_best",
)
SUPPORT_MODEL = "support-anchors-v1"
SUPPORT_MODEL_FILE = Path(__file__).parent / "data" / f"{SUPPORT_MODEL}.json"


@dataclass(frozen=True, slots=True)
class _StoryIndex:
    """What every `pair_matrix` call of one story reads: kept per feature mapping because the
    summarizer asks for the support of every candidate sentence."""

    by_article: dict[str, list[SentenceFeatures]]
    by_pos: dict[tuple[str, int], SentenceFeatures]
    units: dict[str, frozenset[str]]  # every content unit of an article
    bigrams: dict[str, frozenset[tuple[str, str]]]  # per sentence id
    article_bigrams: dict[str, frozenset[tuple[str, str]]]
    norm: dict[str, float]  # per sentence id: sqrt of the sum of squared weights of its units


_INDEX: list[tuple[Mapping[str, SentenceFeatures], Mapping[str, float], _StoryIndex]] = []


def _bigrams(terms: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(itertools.pairwise(terms))


def _norm(units: frozenset[str], weights: Mapping[str, float]) -> float:
    return math.sqrt(math.fsum(weights.get(u, 0.0) ** 2 for u in units))


def _index(feats: Mapping[str, SentenceFeatures], weights: Mapping[str, float]) -> _StoryIndex:
    for cached, w, found in _INDEX:
        if cached is feats and w is weights:
            return found
    by_article: dict[str, list[SentenceFeatures]] = {}
    for f in feats.values():
        by_article.setdefault(f.sentence.article_id, []).append(f)
    bigrams = {sid: _bigrams(f.sentence.terms) for sid, f in feats.items()}
    ix = _StoryIndex(
        by_article=by_article,
        by_pos={(f.sentence.article_id, f.sentence.index): f for f in feats.values()},
        units={a: frozenset().union(*(f.units for f in fs)) for a, fs in by_article.items()},
        bigrams=bigrams,
        article_bigrams={a: frozenset().union(*(bigrams[f.sentence.id] for f in fs)) for a, fs in by_article.items()},
        norm={sid: _norm(f.units, weights) for sid, f in feats.items()},
    )
    _INDEX.insert(0, (feats, weights, ix))
    del _INDEX[4:]
    return ix


def _joined(f: SentenceFeatures, nxt: SentenceFeatures) -> SentenceFeatures:
    return SentenceFeatures(
        sentence=f.sentence,
        units=f.units | nxt.units,
        future=f.future or nxt.future,
        denial=f.denial or nxt.denial,
        allegation=f.allegation or nxt.allegation,
        vector=f.vector,
        numbers=f.numbers | nxt.numbers,
    )


def pair_matrix(
    sid: str, feats: Mapping[str, SentenceFeatures], weights: Mapping[str, float]
) -> dict[str, tuple[np.ndarray, str]]:
    """The model's features (FEATURES) of sentence `sid` against each other article that has
    a compatible window, with the evidence sentence of the best window."""
    me = feats[sid]
    ix = _index(feats, weights)
    me_bi = ix.bigrams[sid]
    ents = {u for u in me.units if u.startswith("@")}
    me_norm = ix.norm[sid]
    rows: dict[str, tuple[list[float], str]] = {}
    for aid, sents in ix.by_article.items():
        if aid == me.sentence.article_id:
            continue
        best_c, best = -1.0, None
        wcos_max, cos_max, c_at_closest = 0.0, -1.0, 0.0
        c_single = 0.0
        for f in sents:
            nxt = ix.by_pos.get((aid, f.sentence.index + 1))
            for window, second in ((f, None), (_joined(f, nxt), nxt) if nxt is not None else (None, None)):
                if window is None or not _compatible(me, window, second):
                    continue
                c = containment(me, window, weights)
                shared = me.units & window.units
                wnorm = ix.norm[f.sentence.id] if second is None else _norm(window.units, weights)
                if me_norm and wnorm:
                    wcos = math.fsum(weights.get(u, 0.0) ** 2 for u in shared) / (me_norm * wnorm)
                    wcos_max = max(wcos_max, wcos)
                if second is None:
                    c_single = max(c_single, c)
                    cs = cosine(me, f)
                    if cs > cos_max:
                        cos_max, c_at_closest = cs, c
                if c > best_c:
                    best_c, best = c, (f, window, second)
        if best is None:
            continue
        f, window, second = best
        sem_f, sem_n = cosine(me, f), cosine(me, second) if second is not None else -1.0
        evidence = (second if second is not None and sem_n > sem_f else f).sentence.id
        window_bi = ix.bigrams[f.sentence.id] | (ix.bigrams[second.sentence.id] if second is not None else frozenset())
        rows[aid] = (
            [
                wcos_max,
                len(me_bi & window_bi) / len(me_bi) if me_bi else 0.0,
                len(me_bi & ix.article_bigrams[aid]) / len(me_bi) if me_bi else 0.0,
                len(ents & window.units) / len(ents) if ents else 1.0,
                len(ents & ix.units[aid]) / len(ents) if ents else 1.0,
                best_c,
                c_single,
                max(cos_max, 0.0),
                max(sem_f, sem_n),
                c_at_closest,
                containment(f, me, weights),
                _article_containment(me, ix.units[aid], weights),
                math.log1p(len(me.units & window.units)),
                math.log1p(len(me.units)),
                float(bool(me.numbers)),
                float(bool(ents)),
                float(me.future),
                float(me.denial),
                float(me.allegation),
                float(_rule_supports(me, window, f, second, best_c)),
            ],
            evidence,
        )
    if not rows:
        return {}
    base = np.array([r for r, _ in rows.values()], dtype=np.float64)
    cont, cos, wc = base[:, 5], base[:, 7], base[:, 0]
    rel = np.stack([cont - cont.mean(), cos - cos.mean(), cos - cos.max(), wc - wc.mean(), wc - wc.max()], axis=1)
    full = np.hstack([base, rel])
    return {aid: (full[i], ev) for i, (aid, (_, ev)) in enumerate(rows.items())}


def _article_containment(me: SentenceFeatures, units: frozenset[str], weights: Mapping[str, float]) -> float:
    total = math.fsum(weights.get(u, 0.0) for u in me.units)
    return math.fsum(weights.get(u, 0.0) for u in me.units & units) / total if total else 0.0


@dataclass(frozen=True, slots=True)
class SupportModel:
    """A logistic regression over standardized FEATURES (trained by
    benchmarks/train_support.py with scikit-learn; evaluated here in numpy so that a brief
    imports no scikit-learn)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(self, x: np.ndarray) -> float:
        z = float(((x - self.mean) / self.scale) @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))

    def supports(self, x: np.ndarray) -> bool:
        return self.probability(x) >= self.threshold

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> SupportModel:
        if list(d["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("support model: its features are not this version's")
        arr = {k: np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "coef")}
        return cls(
            mean=arr["mean"],
            scale=arr["scale"],
            coef=arr["coef"],
            intercept=float(d["intercept"]),  # type: ignore[arg-type]
            threshold=float(d["threshold"]),  # type: ignore[arg-type]
        )


_CONTAINMENT = FEATURES.index("containment_max")


# A source the model says supports a sentence must also carry this share of its weighted
# content: a close cosine with little shared content is the same topic, not the same fact.
# Cross-validated on the anchors (benchmarks/train_support.py): no floor P/R 0.845/0.442,
# 0.3 (the rule's EMB_MIN_CONTAINMENT) 0.882/0.416, 0.4 0.908/0.401. 0.4 is the summaries'
# independent citation check's own floor (docs/evaluation.md); at 0.4 that check confirms the
# summaries' citations as often as the hand-set rule's (Multi-News dev 0.869 / 0.870), at
# 0.3 or none less often (0.835 / 0.828).
MODEL_MIN_CONTAINMENT = 0.4


def decide(model: SupportModel, x: np.ndarray) -> bool:
    """The model's verdict, with the content floor (MODEL_MIN_CONTAINMENT)."""
    return bool(x[_CONTAINMENT] >= MODEL_MIN_CONTAINMENT) and model.supports(x)


@lru_cache(maxsize=1)
def load_support_model(path: Path = SUPPORT_MODEL_FILE) -> SupportModel:
    d = json.loads(path.read_text("utf-8"))
    return SupportModel.from_json(d["model"])


# What an expectation expects: the content lemmas of this many words after its cue
# ("are set to | sign a partnership treaty during Pezeshkian's first trip").
ACTION_WINDOW = 8
# A report fulfils (or changes) an expectation when it carries the expected action (one of
# the first ACTION_LEMMAS content lemmas after the cue: "expected to formalize their ties by
# signing") and this many of the window's lemmas in all; the agreement nouns count as one,
# and lemmas compare by their first LEMMA_PREFIX letters. Set on the seeds' expectations
# (evals/alignment/seeds.json, not held out), checked on the annotated AllSides and
# Multi-News clusters by `newsweave eval alignment` (expectation links).
MIN_ACTION_LEMMAS = 2
ACTION_LEMMAS = 3
LEMMA_PREFIX = 5
_VOICING = re.compile(rf"\b(?:{alternation(lexicon.VOICING)})\b", re.I)
_AGREEMENT = frozenset(lexicon.AGREEMENT_NOUNS)


def lemma_key(term: str) -> str:
    """Lemmas compared by their first letters ("develop" and "development"), the agreement
    nouns as one."""
    return "agreement" if term in _AGREEMENT else term[:LEMMA_PREFIX]


def expected_action(f: SentenceFeatures) -> tuple[str, ...]:
    """The content lemmas (as `_lemma` keys) of what an expectation says will happen, in
    order, names left out (empty if the sentence is not an expectation)."""
    m = FUTURE_CUES.search(f.sentence.text)
    if m is None:
        return ()
    window = f.sentence.text[m.end() :].split()[:ACTION_WINDOW]
    out: list[str] = []
    for raw in window:
        if raw[:1].isupper():
            continue  # a name: who, not what
        w = raw.lower().strip(".,;:!?\"'“”’‘()")
        for t in f.sentence.terms:
            if len(t) >= 3 and (w == t or (w.startswith(t[: max(3, len(t) - 2)]) and len(w) - len(t) <= 4)):
                if lemma_key(t) not in out:
                    out.append(lemma_key(t))
                break
    return tuple(out)


def fulfils(
    expectation: SentenceFeatures,
    report: SentenceFeatures,
    *,
    actors: Mapping[str, frozenset[str]],
    published: Mapping[str, str | None],
    previews: frozenset[str] = frozenset(),
    action: tuple[str, ...] | None = None,
) -> bool:
    """Whether `report` says what became of the action `expectation` expects, by the same
    actors: same action and object (lemmas after the cue), a report of another source that
    names the expectation's actors somewhere (`actors`: each article's entity units), and not
    published before the expectation. A preview never fulfils a later report's past tense,
    nor does a report of something else the same people did; a report written before the
    event (`previews`, the articles whose stance is "anticipates") tells only background, so
    it fulfils nothing."""
    aid = report.sentence.article_id
    if report.future or report.denial or aid in previews:
        return False
    if aid == expectation.sentence.article_id and report.sentence.index <= expectation.sentence.index:
        return False  # a report may tell, further down, what became of what it said was expected
    action = expected_action(expectation) if action is None else action  # given: computed once per expectation
    if not action:
        return False
    have = {lemma_key(t) for t in report.sentence.terms}
    if not have & set(action[:ACTION_LEMMAS]) or sum(1 for t in action if t in have) < min(
        MIN_ACTION_LEMMAS, len(action)
    ):
        return False
    cue = FUTURE_CUES.search(expectation.sentence.text)
    voiced = cue is not None and _VOICING.search(expectation.sentence.text[: cue.start()]) is not None
    who = {u for u in expectation.units if u.startswith("@")}
    if who and not voiced:  # "Baghaei expressed hope that ...": Baghaei is not an actor of it
        named = actors.get(report.sentence.article_id, frozenset())
        if 2 * len(who & named) < len(who):
            return False
    e, r = published.get(expectation.sentence.article_id), published.get(report.sentence.article_id)
    return not (e and r and r < e)  # ISO dates compare as strings


def fulfilment(expectation: SentenceFeatures, report: SentenceFeatures, action: tuple[str, ...] | None = None) -> int:
    """How closely a fulfilling report matches: expected lemmas it carries plus the actors it
    names (the best one is shown beside the expectation)."""
    have = {lemma_key(t) for t in report.sentence.terms}
    who = {u for u in expectation.units if u.startswith("@")}
    action = expected_action(expectation) if action is None else action
    return sum(1 for t in action if t in have) + len(who & report.units)
