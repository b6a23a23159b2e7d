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
