"""Which sources carry the information of a sentence: the basis of every citation.

A source supports a sentence when one of its sentences contains most of the
sentence's weighted content (lemmas and canonical entities, weighted by rarity in
the story) and does not change its modality (an expectation, a denial or an allegation does not support a
report that something happened). Hand-written because the comparison works on
our own features (canonical entities across spellings) and must stay explainable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsweave import lexicon
from newsweave.lexicon import alternation
from newsweave.model import AnalyzedArticle, SentenceFeatures
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
    return frozenset(m.replace(",", "") for m in _NUMBER.findall(text))


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
            yield (
                f,
                SentenceFeatures(
                    sentence=f.sentence,
                    units=f.units | nxt.units,
                    future=f.future or nxt.future,
                    denial=f.denial or nxt.denial,
                    allegation=f.allegation or nxt.allegation,
                    vector=f.vector,
                    numbers=f.numbers | nxt.numbers,
                ),
                nxt,
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Support:
    sources: tuple[str, ...]  # origin article first, then the others in input order
    evidence: tuple[str, ...]  # best supporting sentence id per other source


def supporters(
    sid: str,
    feats: Mapping[str, SentenceFeatures],
    weights: Mapping[str, float],
    article_order: Sequence[str],
) -> Support:
    """Every article that carries the information of sentence `sid`."""
    me = feats[sid]
    best: dict[str, tuple[float, str]] = {}
    for other, window, nxt in _windows(feats, me.sentence.article_id):
        aid = other.sentence.article_id
        if len(me.units & window.units) < MIN_SHARED_UNITS:
            continue
        if (window.future, window.denial, window.allegation) != (me.future, me.denial, me.allegation):
            continue  # same words, different modality: not the same information
        if not me.numbers <= window.numbers:
            continue  # "41,000 passengers" is not supported by "thousands of passengers"
        c = containment(me, window, weights)
        sem = max(cosine(me, other), cosine(me, nxt) if nxt is not None else 0.0)
        if c < MIN_CONTAINMENT and not (c >= EMB_MIN_CONTAINMENT and sem >= EMB_SUPPORT):
            continue
        if me.vector is not None and other.vector is not None and sem < MIN_SUPPORT_COSINE:
            continue  # shared words, different statement ("He is unique." + next sentence)
        if c > best.get(aid, (0.0, ""))[0]:
            # the evidence is the sentence of the window closest in meaning
            closer = nxt is not None and cosine(me, nxt) > cosine(me, other)
            best[aid] = (c, (nxt if closer and nxt is not None else other).sentence.id)
    others = [a for a in article_order if a in best]
    return Support(
        sources=(me.sentence.article_id, *others),
        evidence=tuple(best[a][1] for a in others),
    )


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
