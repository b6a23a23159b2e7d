"""Stance of a text toward a claim: does it state it, attribute it, deny it, or not speak of it?

1. split the text into sentences (a light splitter: no spaCy here) and read each one's
   content terms and cue counts (denial, debunking, negation, attribution, hedging, ...);
2. pick the candidate sentences: the lead and the ones sharing most of the claim's terms,
   and their MiniLM cosine to the claim (only these are encoded);
3. one feature vector of the pair: how much of the claim the best sentences carry, which
   cues stand in and around them, and the words said around the claim;
4. the learned model (a cue model stacked under gradient-boosted trees, trained on FNC-1's
   training split by `benchmarks/train_stance.py`, shipped in data/) gives the four
   probabilities; the label is the likeliest.

A brief must not import scikit-learn, so the trees are exported to JSON and walked here
in numpy. `sentence_stance` is the cheap entry for one sentence of a cluster (a cosine the
caller has spares the encoder): there a sentence far from the claim is unrelated, and a cue
in the sentence itself overrules the model between states, attributes and denies.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave import lexicon
from newsweave.lexicon import alternation
from newsweave.model import ClaimStance, StanceLabel
from newsweave.nlp.embed import Encoder
from newsweave.trees import Tree

MODEL_NAME = "stance-fnc1-v1"
MODEL_FILE = Path(__file__).parent / "data" / f"{MODEL_NAME}.json"
LABELS: tuple[StanceLabel, ...] = ("states", "attributes", "denies", "unrelated")
F64 = NDArray[np.float64]

# Candidate sentences of a text: the lead and the TOP_SENTENCES sharing most of the claim's
# terms. Only these are encoded (MiniLM reads 160-260 sentences a second on the 2-core
# benchmark machine; a FNC-1 body has 16 sentences at the median).
LEAD_SENTENCES = 1
TOP_SENTENCES = 3
# Terms are word prefixes of this length (a truncation stemmer: "supplied", "supplying",
# "supply" meet at "suppl"; "Russia", "Russian" at "russi"): no lemmatizer without spaCy.
PREFIX = 5

# --- cue families ---------------------------------------------------------------------------
# Each family is counted per sentence. The lists extend the lexicon's DENIALS and ALLEGATIONS
# with the words that debunking and hedging news prose uses ("hoax", "satire", "unconfirmed");
# written from the Emergent/FNC-1 label definitions, not copied from its text.
_DEBUNK = (
    *("hoax", "hoaxes", "fake", "faked", "fakes", "false", "falsely", "untrue", "not true", "bogus", "fabricated"),
    *("fabrication", "satire", "satirical", "parody", "prank", "pranks", "debunk", "debunked", "debunks"),
    *("doctored", "photoshopped", "misleading", "myth", "baseless", "unfounded", "no evidence", "nonsense"),
    *("not real", "never happened", "no truth", "rumours are false", "spoof", "joke", "scam", "fraud"),
)
_DENY = (*lexicon.DENIALS, "retract", "retracted", "retraction", "dismissing", "rejecting", "refuting", "dispute")
_NEGATION = ("not", "no", "never", "nobody", "nothing", "neither", "nor", "without", "none")
_NEGATION_SUFFIX = "n't"
_ATTRIBUTION = (
    *lexicon.ALLEGATIONS,
    *("claim", "claims", "claimed", "claiming", "according to", "reports", "reported", "report"),
    *("rumoured", "speculation", "speculated", "purported", "supposedly", "is said to", "are said to"),
    *("sources", "source", "unconfirmed", "unverified", "believed to", "thought to", "appears to"),
    *("appear to", "apparently", "if true", "circulating", "viral", "went viral"),
)
_MODAL = ("may", "might", "could", "possibly", "perhaps", "likely", "unclear", "whether", "would")
_SAYING = (*lexicon.SPEECH_VERBS, "according to")
_CONFIRM = (
    *("confirmed", "confirms", "confirm", "confirming", "officially", "announced", "verified", "proof"),
    *("indeed", "in fact", "has been", "have been", "revealed", "shows", "showed", "evidence"),
)
FAMILIES: dict[str, tuple[str, ...]] = {
    "debunk": _DEBUNK,
    "deny": _DENY,
    "negation": _NEGATION,
    "attribution": _ATTRIBUTION,
    "modal": _MODAL,
    "saying": _SAYING,
    "confirm": _CONFIRM,
}
_FAMILY_RE = {name: re.compile(rf"\b(?:{alternation(words)})\b", re.I) for name, words in FAMILIES.items()}
_NEG_SUFFIX_RE = re.compile(r"\w(?:n't|n’t)\b", re.I)
CUES = (*FAMILIES, "question")

# --- sentences and terms --------------------------------------------------------------------
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?", re.UNICODE)
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[^\W_a-z])|[.!?…]+[\"”’')\]]*\s*$")
_LAST_WORD = re.compile(r"([^\W\d_][\w.]*)\.$")
_STOP = lexicon.STOP_WORDS | lexicon.NEWS_FUNCTION_WORDS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs split at line breaks, then at . ! ? before
    a capital (not after an abbreviation or an initial)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n"):
        start = 0
        for m in _END.finditer(para):
            last = _LAST_WORD.search(para, start, m.start() + 1)
            word = last.group(1).lower() if last else ""
            if m.group().startswith(".") and (word in lexicon.ABBREVIATIONS or len(word) == 1):
                continue
            _add(spans, para, offset, start, m.end())
            start = m.end()
        _add(spans, para, offset, start, len(para))
        offset += len(para) + 1
    return spans


def _add(spans: list[tuple[int, int]], para: str, offset: int, start: int, end: int) -> None:
    piece = para[start:end]
    stripped = piece.strip()
    if any(c.isalnum() for c in stripped):
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))


def terms(text: str) -> frozenset[str]:
    """Content terms: words that are not stop words, cut to PREFIX letters."""
    out = set()
    for w in _WORD.findall(text):
        w = w.lower().replace("’", "'").removesuffix("'s")
        if w not in _STOP and (len(w) > 2 or w.isdigit()):
            out.add(w[:PREFIX])
    return frozenset(out)


def cue_counts(text: str) -> list[int]:
    """How many words of each cue family (CUES order) the text holds."""
    counts = [len(r.findall(text)) for r in _FAMILY_RE.values()]
    counts[CUES.index("negation")] += len(_NEG_SUFFIX_RE.findall(text))
    counts.append(text.count("?"))
    return counts


def cue_words(text: str) -> tuple[str, ...]:
    """The cue words of the decisive families found in `text`, in order of appearance."""
    found: list[tuple[int, str]] = []
    for name in ("debunk", "deny", "attribution", "negation"):
        found.extend((m.start(), m.group().lower()) for m in _FAMILY_RE[name].finditer(text))
    return tuple(dict.fromkeys(w for _, w in sorted(found)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    """A text read once for every claim compared with it: sentence spans, terms and cues."""

    text: str
    spans: tuple[tuple[int, int], ...]
    terms: tuple[frozenset[str], ...]
    cues: F64  # sentences x CUES
    all_terms: frozenset[str]


def prepare(text: str) -> Prepared:
    """Split and read a text (a report, a body, one sentence)."""
    spans = tuple(sentence_spans(text)) or ((0, len(text)),)
    pieces = [text[a:b] for a, b in spans]
    sets = tuple(terms(p) for p in pieces)
    cues = np.asarray([cue_counts(p) for p in pieces], dtype=np.float64).reshape(len(pieces), len(CUES))
    return Prepared(text=text, spans=spans, terms=sets, cues=cues, all_terms=frozenset().union(*sets))


def candidates(claim_terms: frozenset[str], text: Prepared) -> list[int]:
    """Sentence indexes to look at closely: the TOP_SENTENCES sharing most claim terms (ties
    to the earlier sentence), then the lead."""
    ranked = sorted(range(len(text.spans)), key=lambda i: (-len(claim_terms & text.terms[i]), i))
    chosen = ranked[:TOP_SENTENCES]
    chosen += [i for i in range(min(LEAD_SENTENCES, len(text.spans))) if i not in chosen]
    return chosen


# --- the pair's features --------------------------------------------------------------------
# A sentence "speaks of" the claim when it shares this share of the claim's terms: the cue
# densities of the "related" place count over those sentences.
RELATED_OVERLAP = 0.3
# Sentences whose words the cue model reads: the CONTEXT_SENTENCES closest to the claim, each
# with the sentence after it (a denial often follows the claim: "... Tehran denied it.").
CONTEXT_SENTENCES = 2
_PLACES = ("best", "window", "top", "related", "text", "claim")
FEATURES: tuple[str, ...] = (
    "overlap_best",
    "overlap_top",
    "overlap_text",
    "claim_terms",
    "related_sentences",
    "cos_best",
    "cos_top",
    "cos_lead",
    "best_position",
    "log_sentences",
    "polarity_mismatch",
    *(f"{cue}_{place}" for place in _PLACES for cue in CUES),
)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\?")


@dataclass(frozen=True, slots=True, kw_only=True)
class PairInputs:
    """What the model reads of one (claim, text) pair."""

    vector: F64  # FEATURES order
    tokens: frozenset[str]  # words and word pairs of the context, the claim's own terms left out
    ranked: tuple[int, ...]  # candidate sentences, closest to the claim first


def pair_inputs(
    claim: str, claim_terms: frozenset[str], text: Prepared, chosen: Sequence[int], cosines: Sequence[float] | None
) -> PairInputs:
    """The pair's features; `cosines` are the claim's MiniLM cosines to the `chosen` sentences
    (NaN features without them)."""
    n = len(text.spans)
    h = max(len(claim_terms), 1)
    overlaps = np.asarray([len(claim_terms & t) / h for t in text.terms])
    cand = np.asarray(chosen)
    score = overlaps[cand].copy()
    if cosines is not None:
        cos = np.asarray(cosines, dtype=np.float64)
        score += cos
        cos_best, cos_top = float(cos.max()), float(np.sort(cos)[-TOP_SENTENCES:].mean())
        cos_lead = float(cos[list(chosen).index(0)]) if 0 in chosen else math.nan
    else:
        cos_best = cos_top = cos_lead = math.nan
    ranked = tuple(int(i) for i in cand[np.argsort(-score, kind="stable")])
    best, top = ranked[0], np.asarray(ranked[:TOP_SENTENCES])
    window = slice(max(best - 1, 0), min(best + 2, n))
    related = overlaps >= RELATED_OVERLAP
    claim_cues = np.asarray(cue_counts(claim), dtype=np.float64)
    neg = CUES.index("negation")
    base = [
        float(overlaps[best]),
        float(overlaps[top].mean()),
        len(claim_terms & text.all_terms) / h,
        float(len(claim_terms)),
        float(related.sum()),
        cos_best,
        cos_top,
        cos_lead,
        best / max(n - 1, 1),
        math.log(n),
        float((claim_cues[neg] > 0) != (text.cues[best, neg] > 0)),
    ]
    places = [
        text.cues[best],
        text.cues[window].sum(axis=0),
        text.cues[top].sum(axis=0),
        text.cues[related].mean(axis=0) if related.any() else np.zeros(len(CUES)),
        text.cues.mean(axis=0),
        claim_cues,
    ]
    vector = np.concatenate([np.asarray(base), *places])
    return PairInputs(vector=vector, tokens=context_tokens(claim_terms, text, ranked), ranked=ranked)


def context_tokens(claim_terms: frozenset[str], text: Prepared, ranked: Sequence[int]) -> frozenset[str]:
    """Lower-case words and adjacent word pairs of the context sentences, without the words of
    the claim itself: what is said about the claim, not what it is about."""
    picked = sorted({j for i in ranked[:CONTEXT_SENTENCES] for j in (i, i + 1) if j < len(text.spans)})
    out: set[str] = set()
    for i in picked:
        a, b = text.spans[i]
        words = [w for w in _TOKEN.findall(text.text[a:b].lower().replace("’", "'")) if w[:PREFIX] not in claim_terms]
        out.update(words)
        out.update(f"{x}_{y}" for x, y in pairwise(words))
    return frozenset(out)


# --- the model ------------------------------------------------------------------------------
class StanceModel:
    """The shipped model: a cue model (multinomial logistic regression over context words)
    stacked under gradient-boosted trees, evaluated in numpy."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.name: str = payload["name"]
        self.header: dict[str, Any] = payload["header"]
        if tuple(payload["features"]) != FEATURES:
            raise ValueError(f"{self.name}: its features are not this version's (retrain it)")
        cue = payload["cue_model"]
        self.vocabulary = {t: i for i, t in enumerate(cue["vocabulary"])}
        self.cue_coef = np.asarray(cue["coef"], dtype=np.float64)  # classes x vocabulary
        self.cue_intercept = np.asarray(cue["intercept"], dtype=np.float64)
        trees = payload["trees"]
        self.baseline = np.asarray(trees["baseline"], dtype=np.float64)
        self.trees = [[Tree.from_json(t) for t in per_class] for per_class in trees["iterations"]]

    def cue_probabilities(self, tokens: Sequence[frozenset[str]]) -> F64:
        """The cue model's agree/disagree/discuss probabilities of each pair's context."""
        z = np.tile(self.cue_intercept, (len(tokens), 1))
        for r, toks in enumerate(tokens):
            cols = [self.vocabulary[t] for t in toks if t in self.vocabulary]
            if cols:
                z[r] += self.cue_coef[:, cols].sum(axis=1)
        return _softmax(z)

    def predict(self, inputs: Sequence[PairInputs]) -> F64:
        """Probabilities of (states, attributes, denies, unrelated) per pair."""
        if not inputs:
            return np.zeros((0, len(LABELS)))
        x = np.hstack([np.stack([p.vector for p in inputs]), self.cue_probabilities([p.tokens for p in inputs])])
        raw = np.tile(self.baseline, (len(x), 1))
        for per_class in self.trees:
            for k, tree in enumerate(per_class):
                raw[:, k] += tree.predict(x)
        return _softmax(raw)


def _softmax(z: F64) -> F64:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: F64 = e / e.sum(axis=1, keepdims=True)
    return out


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> StanceModel:
    """The stance model of `path` (default: the shipped one), read once per process."""
    return StanceModel(json.loads(path.read_text("utf-8")))


# --- the public entries ---------------------------------------------------------------------
# One sentence of a cluster cannot both state a claim and attribute or deny it. Cues in the
# sentence and not in the claim itself overrule the FNC-1 model (trained on whole bodies):
#   a denial or debunking word ("denied", "baseless", "hoax"), or a negation at most
#   NEGATION_REACH words before one of the claim's terms ("has not supplied", "no drones"):
#   the sentence reports the claim as denied, so the "states" and "attributes" shares go to
#   "denies" (a negation elsewhere, "it is not clear how many", is left to the model);
#   else an attribution ("accuse", "alleged", "reportedly"), reported speech ("X said", the
#   lexicon's REPORTED_SPEECH) or a question: the "states" share goes to "attributes".
# Written for the analysis's question (which sources state a disputed claim as fact) and
# checked on the invented sentences of tests/analysis/test_stance.py, not tuned on FNC-1.
NEGATION_REACH = 3
# Before any cue: a sentence that is not this close to the claim (MiniLM cosine) does not
# speak of it. FNC-1's related/unrelated is a body's topic, learned on whole bodies, and
# called "Iran signed a trade deal with Russia" related to "Iran supplied Russia with drones".
# Set on the invented sentences of the tests: those that carry the claim sit at 0.77-0.94,
# those that share only its names or part of it at 0.49-0.70; near support.py's EMB_SUPPORT.
SENTENCE_MIN_COSINE = 0.72
_DENIAL_WORDS = re.compile(rf"\b(?:{alternation((*_DENY, *_DEBUNK))})\b", re.I)
# ("say": "Western officials say" hands the claim on as surely as "said")
_ATTRIBUTION_WORDS = re.compile(rf"\b(?:{alternation((*_ATTRIBUTION, *lexicon.REPORTED_SPEECH, 'say'))})\b", re.I)
_NEGATION_WORDS = frozenset(_NEGATION)


def stance(claim: str, text: str, *, encoder: Encoder | None = None, model: StanceModel | None = None) -> ClaimStance:
    """How `text` (a report, a body, a paragraph) treats `claim`, by the shipped FNC-1 model."""
    return _stances(claim, [prepare(text)], None, encoder, model, overrule=False)[0]


def sentence_stance(
    claim: str,
    sentence: str,
    *,
    cosine: float | None = None,
    encoder: Encoder | None = None,
    model: StanceModel | None = None,
) -> ClaimStance:
    """How one sentence of a cluster treats a claim sentence; `cosine` (their MiniLM cosine,
    when the caller has the vectors) spares the encoder."""
    return sentence_stances(
        claim, [sentence], cosines=None if cosine is None else [cosine], encoder=encoder, model=model
    )[0]


def sentence_stances(
    claim: str,
    sentences: Sequence[str],
    *,
    cosines: Sequence[float] | None = None,
    encoder: Encoder | None = None,
    model: StanceModel | None = None,
) -> list[ClaimStance]:
    """`sentence_stance` for many sentences against one claim, in one model call."""
    if cosines is not None and len(cosines) != len(sentences):
        raise ValueError(f"{len(cosines)} cosines for {len(sentences)} sentences")
    preps = [prepare(s) for s in sentences]
    return _stances(claim, preps, cosines, encoder, model, overrule=True)


def _stances(
    claim: str,
    texts: Sequence[Prepared],
    given: Sequence[float] | None,
    encoder: Encoder | None,
    model: StanceModel | None,
    *,
    overrule: bool,
) -> list[ClaimStance]:
    if not texts:
        return []
    model = model or load_model()
    claim_terms = terms(claim)
    chosen = [candidates(claim_terms, t) for t in texts]
    if given is not None:
        cosines = [[float(c)] * len(ch) for c, ch in zip(given, chosen, strict=True)]
    else:
        if encoder is None:
            from newsweave.nlp.embed import load_encoder

            encoder = load_encoder()
        pieces = [t.text[slice(*t.spans[i])] for t, ch in zip(texts, chosen, strict=True) for i in ch]
        vectors = encoder.encode([claim, *pieces])
        flat = (vectors[1:] @ vectors[0]).astype(np.float64).tolist()
        cosines, k = [], 0
        for ch in chosen:
            cosines.append(flat[k : k + len(ch)])
            k += len(ch)
    inputs = [pair_inputs(claim, claim_terms, t, ch, c) for t, ch, c in zip(texts, chosen, cosines, strict=True)]
    probs = model.predict(inputs)
    return [
        _result(claim, t, p, inp.ranked, model.name, max(c) if overrule else None)
        for t, p, inp, c in zip(texts, probs, inputs, cosines, strict=True)
    ]


def _result(
    claim: str, text: Prepared, p: F64, ranked: Sequence[int], name: str, sentence_cosine: float | None
) -> ClaimStance:
    probs: dict[str, float] = {lab: float(v) for lab, v in zip(LABELS, p, strict=True)}
    if sentence_cosine is not None:
        probs = _overruled(claim, text.text, probs, sentence_cosine)
    label = max(LABELS, key=probs.__getitem__)
    picked = sorted(ranked[: 1 if label == "unrelated" else CONTEXT_SENTENCES])
    evidence = tuple(text.spans[i] for i in picked)
    cues = tuple(dict.fromkeys(w for a, b in evidence for w in cue_words(text.text[a:b])))
    return ClaimStance(label=label, probabilities=probs, evidence=evidence, cues=cues, model=name)


def _overruled(claim: str, sentence: str, probs: dict[str, float], cosine: float) -> dict[str, float]:
    """The sentence's closeness to the claim and its own cues move the model's shares (see
    SENTENCE_MIN_COSINE and NEGATION_REACH)."""

    def more(pattern: re.Pattern[str]) -> bool:
        return len(pattern.findall(sentence)) > len(pattern.findall(claim))

    out = dict(probs)
    if cosine < SENTENCE_MIN_COSINE:
        return {lab: 1.0 if lab == "unrelated" else 0.0 for lab in LABELS}
    if more(_DENIAL_WORDS) or (_negates(terms(claim), sentence) and not _negates(terms(claim), claim)):
        out["denies"] += out.pop("states") + out.pop("attributes")
        out["states"] = out["attributes"] = 0.0
    elif more(_ATTRIBUTION_WORDS) or sentence.count("?") > claim.count("?"):
        out["attributes"] += out["states"]
        out["states"] = 0.0
    return {lab: out[lab] for lab in LABELS}


def _negates(claim_terms: frozenset[str], text: str) -> bool:
    """Whether a negation stands at most NEGATION_REACH words before one of the claim's terms."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    for i, w in enumerate(words):
        negation = w in _NEGATION_WORDS or w.endswith("n't")
        if negation and any(v[:PREFIX] in claim_terms for v in words[i + 1 : i + 1 + NEGATION_REACH]):
            return True
    return False
