"""Claims across sources: what every source confirms, what one alone says, what is disputed,
and what a later report overtook.

A claim is one piece of information: a sentence, or a clause of a compound sentence. Claims
of different sources that carry the same content (the support rule of `support.py`, word
and embedding evidence, but here regardless of modality) form a group; inside a group the
modality splits them: an expectation, a report of what happened, an allegation, a denial.
Then:
  disputed     one source asserts (as fact or allegation) what another denies, or they
               state different numbers for the same thing
  superseded   an expectation that a later report says became of it (`support.fulfils`:
               the same action by the same actors, not reported before it was expected)
  corroborated two or more independent sources (syndicated copies count once)
  single-source otherwise
Hand-written: it is newsweave's own contribution and must stay explainable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from newsweave.analysis import support
from newsweave.analysis.quantities import Quantity, agreeing, conflicting, quantities
from newsweave.analysis.support import (
    cosine,
    expected_action,
    fulfilment,
    fulfils,
    is_allegation,
    is_denial,
    is_future,
    numbers,
)
from newsweave.lexicon import FORECAST_CUES, HANDED_ON, MONTH_NAMES, REPORTED_SPEECH, WEEKDAY_NAMES, alternation
from newsweave.model import AnalyzedArticle, Claim, Modality, Sentence, SentenceFeatures, Status
from newsweave.nlp.dates import parse_iso, resolve

# Same content, any modality: containment either way at least this (and SAME_MIN_SHARED
# units), or embedding cosine at least SAME_COSINE with SAME_MIN_CONTAINMENT. Stricter
# than citation support because a unit joins a group when it matches any one member (groups chain).
SAME_CONTAINMENT = 0.5
SAME_MIN_SHARED = 3
SAME_COSINE = 0.8
SAME_MIN_CONTAINMENT = 0.3
# A unit is compared only with groups that share this many content units with it.
MIN_CANDIDATE_SHARED = 2
# Reports that state different numbers conflict only when they say the same thing otherwise.
CONFLICT_COSINE = 0.85
# Sentences of two claims that give incompatible values for one counted quantity
# (`quantities.conflicting`: "more than 178,000 arrests" / "about 200,000 arrests") dispute
# it when they are about the same event: an embedding cosine of at least this. The anchors'
# number conflicts sit at 0.46-0.72 (evals/alignment/: border counts, casualties, seats).
QUANTITY_COSINE = 0.45
# ... and values within this factor of each other: "16.7 million jobs since May 2020" and
# "943,000 jobs in July" count different things. (Near-paraphrases of one claim dispute any
# values: `_value_classes`, "1,000 / 4,500 / 12,000 homes".)
QUANTITY_RATIO = 2.0
# Two reports that put one event on different days: near-paraphrases at least this close
# (the anchors' death-date conflict sits at 0.77 and 0.92; sentences about two meetings of
# the same people on two days run lower, 0.5-0.7 on the seeds).
DATE_COSINE = 0.75
_DAY_WORD = re.compile(rf"\b(?:{alternation((*WEEKDAY_NAMES, *(m for names in MONTH_NAMES for m in names)))})\b", re.I)
_WEEKDAYS = frozenset(WEEKDAY_NAMES)
_FORECAST = re.compile(rf"\b(?:{alternation(FORECAST_CUES)})\b", re.I)
# Two reports are copies of one (syndication) when this share of the shorter one's
# sentences appear near-verbatim in the other.
COPY_SHARE = 0.5
COPY_SENTENCE_COSINE = 0.95
# A report in someone's words ("X said the inspections were done") is that party's side,
# not the outlet asserting a fact: it does not make a dispute with a denial.
_REPORTED_SPEECH = re.compile(rf"\b(?:{alternation(REPORTED_SPEECH)})\b", re.I)
_HANDED_ON = re.compile(rf"\b(?:{alternation(HANDED_ON)})\b", re.I)
# Units grouped between two progress reports (a fraction of a second).
PROGRESS_UNITS = 2_000
# Clauses shorter than this stay inside their sentence.
MIN_CLAUSE_WORDS = 5
_CLAUSE_SPLIT = re.compile(
    r";\s+|,\s+(?:and|but|while|whereas)\s+(?=(?:[A-Z]|the |a |an |it |he |she |they |its |their ))"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Unit:
    id: str
    article_id: str
    text: str
    f: SentenceFeatures
    modality: Modality


def units(analyzed: Sequence[AnalyzedArticle], feats: Mapping[str, SentenceFeatures]) -> list[_Unit]:
    """Sentences, with compound sentences split into their clauses."""
    out: list[_Unit] = []
    for art in analyzed:
        for s in art.sentences:
            f = feats[s.id]
            parts = [p for p in _CLAUSE_SPLIT.split(s.text) if p.strip()]
            if len(parts) > 1 and all(len(p.split()) >= MIN_CLAUSE_WORDS for p in parts):
                for k, part in enumerate(parts):
                    cf = _clause_features(f, s, part)
                    out.append(
                        _Unit(
                            id=f"{s.id}.{k}", article_id=art.id, text=_as_sentence(part), f=cf, modality=_modality(cf)
                        )
                    )
            else:
                out.append(_Unit(id=s.id, article_id=art.id, text=s.text, f=f, modality=_modality(f)))
    return out


def _as_sentence(part: str) -> str:
    part = part.strip().rstrip(",;")
    part = part[0].upper() + part[1:]
    return part if part[-1] in '.!?"”' else part + "."


def _clause_features(f: SentenceFeatures, s: Sentence, part: str) -> SentenceFeatures:
    """A clause keeps the sentence's units that its words carry (lemmas matched by stem)."""
    low = part.lower()
    keep = set()
    for u in f.units:
        if u.startswith("@"):
            name = u[1:].replace("-", " ")
            if any(w in low for w in name.split() if len(w) > 3) or any(
                m.text.lower() in low for m in s.mentions if u[1:] in m.text.lower().replace(" ", "-")
            ):
                keep.add(u)
        elif re.search(r"\b" + re.escape(u[: max(4, len(u) - 2)]), low):
            keep.add(u)
    denial = is_denial(part)
    return replace(
        f,
        units=frozenset(keep),
        future=is_future(part),
        denial=denial,
        allegation=is_allegation(part) and not denial,
        numbers=numbers(part),
    )


def _modality(f: SentenceFeatures) -> Modality:
    if f.denial:
        return "denial"
    if f.future:
        return "expectation"
    if f.allegation:
        return "allegation"
    return "report"


class _Same:
    """Whether two units say the same thing (the thresholds above), and how much of one the
    other contains. Each unit's content weight is summed once: grouping and choosing a
    claim's wording compare every unit with many others, and re-summing dominated the
    analysis of large stories."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.weights = weights
        self.totals: dict[int, float] = {}

    def total(self, f: SentenceFeatures) -> float:
        t = self.totals.get(id(f))
        if t is None:
            t = self.totals[id(f)] = math.fsum(self.weights.get(u, 0.0) for u in f.units)
        return t

    def containment(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        """`support.containment`, with a's total weight summed once."""
        total = self.total(a)
        if total == 0:
            return 0.0
        return math.fsum(self.weights.get(u, 0.0) for u in a.units & b.units) / total

    def __call__(self, a: SentenceFeatures, b: SentenceFeatures) -> bool:
        inter = a.units & b.units
        if not inter:
            return False
        ta, tb = self.total(a), self.total(b)
        w = math.fsum(self.weights.get(u, 0.0) for u in inter)
        # the larger of the two containments: the shared weight over the smaller whole
        c = max(w / ta if ta else 0.0, w / tb if tb else 0.0)
        if c >= SAME_CONTAINMENT and len(inter) >= SAME_MIN_SHARED:
            return True
        return c >= SAME_MIN_CONTAINMENT and cosine(a, b) >= SAME_COSINE


def copies(analyzed: Sequence[AnalyzedArticle], feats: Mapping[str, SentenceFeatures]) -> dict[str, str]:
    """Each article's independence group: a syndicated copy points at its original."""
    owner = {a.id: a.id for a in analyzed}
    vectors = [[feats[s.id].vector for s in a.sentences] for a in analyzed]
    if all(v is not None for vs in vectors for v in vs) and any(vectors):
        return _copies_by_vectors(analyzed, vectors, owner)
    for i, a in enumerate(analyzed):
        for b in analyzed[:i]:
            if owner[b.id] != b.id:
                continue
            same = sum(1 for s in a.sentences if any(s.text == t.text for t in b.sentences))
            if same >= COPY_SHARE * min(len(a.sentences), len(b.sentences)):
                owner[a.id] = b.id
                break
    return owner


def _copies_by_vectors(
    analyzed: Sequence[AnalyzedArticle], vectors: Sequence[Sequence[np.ndarray | None]], owner: dict[str, str]
) -> dict[str, str]:
    """One matrix product per article against all earlier sentences (not one per pair)."""
    sizes = [len(vs) for vs in vectors]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    matrix = np.stack([v for vs in vectors for v in vs if v is not None])
    for i, a in enumerate(analyzed):
        if i == 0 or not sizes[i]:
            continue
        lo, hi = starts[i], starts[i + 1]
        sims = matrix[lo:hi] @ matrix[:lo].T >= COPY_SENTENCE_COSINE  # a's sentences x earlier ones
        for j, b in enumerate(analyzed[:i]):
            if owner[b.id] != b.id or not sizes[j]:
                continue
            same = int(sims[:, starts[j] : starts[j + 1]].any(axis=1).sum())
            if same >= COPY_SHARE * min(sizes[i], sizes[j]):
                owner[a.id] = b.id
                break
    return owner


def claims(
    analyzed: Sequence[AnalyzedArticle],
    feats: Mapping[str, SentenceFeatures],
    weights: Mapping[str, float],
    published: Mapping[str, str | None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    previews: frozenset[str] = frozenset(),
) -> tuple[Claim, ...]:
    """Group, split by modality, and label every claim of the story; `progress` gets
    (units grouped, units) every PROGRESS_UNITS units."""
    us = units(analyzed, feats)
    order = {a.id: i for i, a in enumerate(analyzed)}
    pub = dict(published or {})
    groups: list[list[_Unit]] = []
    group_articles: list[set[str]] = []
    same = _Same(weights)
    group_of: dict[str, int] = {}
    index: dict[str, set[int]] = {}
    # A unit never joins a group that already holds its own report, and every group a unit
    # joins or opens holds its report from then on: so a report's units are indexed only once
    # the report is done, and a long single report never scans its own growing index.
    pending: list[tuple[_Unit, int]] = []
    previous: _Unit | None = None
    for k, u in enumerate(us):
        if progress and k % PROGRESS_UNITS == 0:
            progress(k, len(us))
        if not u.f.units:
            continue
        if pending and pending[-1][0].article_id != u.article_id:
            _index(index, pending)
        target = None
        # only groups sharing content units can hold the same claim; the index skips the rest
        # (in a story of hundreds of reports the big groups still meet most units: this part
        # grows faster than the story, see benchmarks/bench_brief.py)
        shared: dict[int, int] = {}
        for unit in u.f.units:
            for gi in index.get(unit, ()):
                shared[gi] = shared.get(gi, 0) + 1
        for gi in sorted(g for g, n in shared.items() if n >= MIN_CANDIDATE_SHARED):
            g = groups[gi]
            if u.article_id not in group_articles[gi] and any(same(m.f, u.f) for m in g):
                target = gi
                break
        # "The union alleged X. The company denied the allegation.": a denial right after an
        # allegation in the same report answers it, whatever words it uses; the sentence before
        # must carry the allegation itself (alleged, or someone's words: "According to officials,
        # Iran has sent drones. Iran then denied these allegations."), not merely precede it
        if (
            target is None
            and u.modality == "denial"
            and previous is not None
            and previous.article_id == u.article_id
            and (
                previous.modality == "allegation"
                or (previous.modality == "report" and _REPORTED_SPEECH.search(previous.text) is not None)
            )
            and is_allegation(previous.text + " " + u.text)
        ):
            target = group_of[previous.id]
        if target is None:
            groups.append([u])
            group_articles.append(set())
            target = len(groups) - 1
        else:
            groups[target].append(u)
        group_articles[target].add(u.article_id)
        group_of[u.id] = target
        pending.append((u, target))
        previous = u
    owner = copies(analyzed, feats)
    claim_of: dict[str, str] = {}
    split: list[dict[Modality, list[_Unit]]] = []
    for gi, g in enumerate(groups):
        by_mod: dict[Modality, list[_Unit]] = {}
        denied = any(u.modality == "denial" for u in g)
        for u in g:
            # beside a denial, a claim handed on from others ("according to officials, Iran has
            # sent drones") takes no side as fact: it attributes the claim
            mod: Modality = "allegation" if denied and u.modality == "report" and _attributed(u) else u.modality
            by_mod.setdefault(mod, []).append(u)
        split.append(by_mod)
        for m, members in by_mod.items():
            for u in members:
                claim_of[u.id] = f"c{gi + 1}{'' if len(by_mod) == 1 else '-' + m}"
    overtaken = _overtaken(us, pub, claim_of, previews)

    out: list[Claim] = []
    for gi, by_mod in enumerate(split):
        ids = {m: f"c{gi + 1}{'' if len(by_mod) == 1 else '-' + m}" for m in by_mod}
        values = _value_classes(by_mod.get("report", []), same) or _day_classes(by_mod.get("report", []), pub)
        parts: list[tuple[Modality, str, list[_Unit], list[str]]] = []
        for mod, members in by_mod.items():
            if mod == "report" and values:
                # one claim per value, each cited by the sources that give it, each contradicting
                # the others; the members that give no number (or day) stay one claim of their own
                vids = [f"{ids[mod]}-v{k + 1}" for k in range(len(values))]
                for k, cls in enumerate(values):
                    parts.append((mod, vids[k], cls, [v for v in vids if v != vids[k]]))
                valued = {u.id for cls in values for u in cls}
                rest = [u for u in members if u.id not in valued]
                if rest:
                    parts.append((mod, ids[mod], rest, []))
            else:
                parts.append((mod, ids[mod], members, []))
        for mod, cid, members, other_values in parts:
            members = sorted(members, key=lambda u: order[u.article_id])
            sources = tuple(dict.fromkeys(u.article_id for u in members))
            independent = len({owner[s] for s in sources})
            contradicted: list[str] = list(other_values)
            superseded: list[str] = []
            resolved_by: tuple[str, ...] = ()
            resolved_evidence: tuple[str, ...] = ()
            disputes = "denial" in by_mod and (
                "allegation" in by_mod or any(is_allegation(u.text) for u in by_mod["denial"])
            )
            asserted = any(not _REPORTED_SPEECH.search(u.text) for u in by_mod.get("report", []))
            if mod == "denial" and disputes:
                contradicted = [
                    c for m2, c, _, _ in parts if m2 in ("report", "allegation") and (m2 != "report" or asserted)
                ]
            elif disputes and (mod == "allegation" or (mod == "report" and asserted)):
                contradicted += [ids["denial"]]
            if mod == "expectation":
                links = sorted(
                    (x for u in members for x in overtaken.get(u.id, ())),
                    key=lambda x: (-x[0], order[x[3]], x[2]),
                )
                found: dict[str, int] = {}
                for score, c, _, _ in links:
                    found.setdefault(c, score)
                best: dict[str, str] = {}
                for _, _, unit, src in links:
                    best.setdefault(src, unit)
                resolved_by = tuple(best)
                resolved_evidence = tuple(best.values())
                # the closest match first: it is the one shown beside the expectation
                superseded = sorted(found, key=lambda c: (-found[c], _claim_order(c)))
            status: Status
            if contradicted:
                status = "disputed"
            elif superseded:
                status = "superseded"
            elif independent >= 2:
                status = "corroborated"
            else:
                status = "single-source"
            rep = max(members, key=lambda u: (_centrality(u, members, same), -order[u.article_id]))
            out.append(
                Claim(
                    id=cid,
                    text=rep.text,
                    status=status,
                    modality=mod,
                    sources=sources,
                    independent_sources=independent,
                    evidence=tuple(u.id for u in members),
                    contradicted_by=tuple(contradicted),
                    superseded_by=tuple(superseded),
                    resolved_by=resolved_by,
                    resolved_evidence=resolved_evidence,
                    group=gi + 1,
                )
            )
    return _quantity_disputes(out, us, owner, pub)


def _quantity_disputes(
    out: list[Claim], us: Sequence[_Unit], owner: Mapping[str, str], pub: Mapping[str, str | None]
) -> tuple[Claim, ...]:
    """Claims of different groups whose reports give incompatible values for one quantity, or
    different days for one event (`_date_conflicts`), dispute each other, shown as one dispute
    (the group of the first), each value cited by its own sources. Units are compared only
    with units counting the same thing (a bucket per counted noun), so this stays near linear
    in the story."""
    claim_of: dict[str, int] = {}
    for k, c in enumerate(out):
        if c.modality == "report":
            for e in c.evidence:
                claim_of[e] = k
    found: dict[str, list[tuple[_Unit, tuple[Quantity, ...]]]] = {}
    for u in us:
        if u.id in claim_of and u.f.numbers and not _FORECAST.search(u.text):
            qs = quantities(u.text)
            for key in {q.key for q in qs}:
                found.setdefault(key, []).append((u, qs))
    links: dict[int, set[int]] = {}

    def link(a: int, b: int) -> None:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)

    for bucket in found.values():
        for i, (u, qu) in enumerate(bucket):
            for v, qv in bucket[:i]:
                a, b = claim_of[u.id], claim_of[v.id]
                if (
                    a == b
                    or out[a].group == out[b].group
                    or owner[u.article_id] == owner[v.article_id]
                    or b in links.get(a, ())
                    or not _numbers_conflict(u, v, None, qu, qv)
                ):
                    continue
                link(a, b)
    for u, v in _date_conflicts([u for u in us if u.id in claim_of], owner, pub):
        a, b = claim_of[u.id], claim_of[v.id]
        if a != b and out[a].group != out[b].group:
            link(a, b)
    if not links:
        return tuple(out)
    root = {k: k for k in links}  # a dispute's claims shown together: union-find on claims

    def find(k: int) -> int:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    for a, bs in links.items():
        for b in bs:
            ra, rb = find(a), find(b)
            if ra != rb:
                root[max(ra, rb)] = min(ra, rb)
    for k, others in links.items():
        c = out[k]
        extra = [out[o].id for o in sorted(others) if out[o].id not in c.contradicted_by]
        out[k] = replace(
            c, status="disputed", contradicted_by=c.contradicted_by + tuple(extra), group=out[find(k)].group
        )
    return tuple(out)


def _day_of(u: _Unit, pub: Mapping[str, str | None]) -> tuple[str | None, str | None] | None:
    """The one day a unit puts its event on: (the date resolved against its report's
    publication date, the weekday as written); None when it names no day or several."""
    if u.f.vector is None:
        return None
    return _day_in(u.text, pub.get(u.article_id))


@lru_cache(maxsize=65536)
def _day_in(text: str, published: str | None) -> tuple[str | None, str | None] | None:
    """Cached: the claim's day classes and the disputes across claims read the same units."""
    if not _DAY_WORD.search(text):
        return None
    named = support.weekdays(text)
    months = {w.lower() for w in _DAY_WORD.findall(text)} - _WEEKDAYS
    weekday = next(iter(named)) if len(named) == 1 and not months else None
    days = {e.value for e in resolve(text, parse_iso(published)) if e.granularity == "day"}
    if len(days) == 1:
        return days.pop(), weekday
    return (None, weekday) if weekday else None


def _other_day(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Resolved dates compared where both reports are dated; else the weekdays as written
    (two near-paraphrases of one event are of one week)."""
    if a[0] and b[0]:
        return a[0] != b[0]
    return bool(a[1] and b[1] and a[1] != b[1])


def _day_classes(reports: Sequence[_Unit], pub: Mapping[str, str | None]) -> list[list[_Unit]]:
    """Reports of one claim split by the day they give the event, when near-paraphrases from
    different sources give different days ("died early Tuesday" / "died early Thursday");
    [] when they agree. The day counterpart of `_value_classes`."""
    classes: list[tuple[tuple[str | None, str | None], list[_Unit]]] = []
    for u in reports:
        day = _day_of(u, pub)
        if day is None or _FORECAST.search(u.text):
            continue
        for d, cls in classes:
            if not _other_day(d, day):
                cls.append(u)
                break
        else:
            classes.append((day, [u]))
    if len(classes) < 2:
        return []
    for i, (_, ci) in enumerate(classes):
        for _, cj in classes[:i]:
            if any(_date_conflict(a, b) for a in ci for b in cj):
                return [cls for _, cls in classes]
    return []


def _date_conflict(a: _Unit, b: _Unit) -> bool:
    return a.article_id != b.article_id and cosine(a.f, b.f) >= DATE_COSINE


def _date_conflicts(
    reports: Sequence[_Unit], owner: Mapping[str, str], pub: Mapping[str, str | None]
) -> list[tuple[_Unit, _Unit]]:
    """Near-paraphrases of one event from different sources, in different claims, that put
    it on different days (`_day_of`, `_other_day`): one matrix product over the dated units'
    embeddings."""
    dated = [(u, d) for u in reports if (d := _day_of(u, pub)) is not None and not _FORECAST.search(u.text)]
    if len(dated) < 2:
        return []
    m = np.stack([u.f.vector for u, _ in dated if u.f.vector is not None])
    sims = m @ m.T
    out = []
    for i, j in zip(*np.nonzero(np.triu(sims >= DATE_COSINE, k=1)), strict=True):
        (u, du), (v, dv) = dated[i], dated[j]
        if _other_day(du, dv) and owner[u.article_id] != owner[v.article_id]:
            out.append((u, v))
    return out


def _same_event(u: _Unit, v: _Unit) -> bool:
    if u.f.vector is not None and v.f.vector is not None:
        return cosine(u.f, v.f) >= QUANTITY_COSINE
    return len((u.f.units & v.f.units) - u.f.numbers) >= SAME_MIN_SHARED


def _index(index: dict[str, set[int]], pending: list[tuple[_Unit, int]]) -> None:
    """Add a finished report's units to the candidate index (and empty `pending`)."""
    for u, target in pending:
        for unit in u.f.units:
            index.setdefault(unit, set()).add(target)
    pending.clear()


def _value_classes(reports: Sequence[_Unit], same: _Same) -> list[list[_Unit]]:
    """Reports of one claim split by the numbers they give, when they give different numbers
    for the same thing ("1,000 homes" / "4,500 homes" / "12,000 homes"); [] when they agree.
    Members sharing a number, or giving values that fit ("more than 40 homes", "42 homes"),
    are one value; two values conflict by `_numbers_conflict`."""
    qs = {u.id: quantities(u.text) for u in reports if u.f.numbers}
    classes: list[tuple[set[str], list[_Unit]]] = []
    for u in reports:
        if not u.f.numbers:
            continue
        for nums, cls in classes:
            if nums & u.f.numbers or any(agreeing(qs[u.id], qs[m.id]) for m in cls):
                nums |= u.f.numbers
                cls.append(u)
                break
        else:
            classes.append((set(u.f.numbers), [u]))
    if len(classes) < 2:
        return []
    pairs = [(i, j) for i in range(len(classes)) for j in range(i)]
    conflicts = (
        _numbers_conflict(a, b, same, qs[a.id], qs[b.id])
        for i, j in pairs
        for a in classes[i][1]
        for b in classes[j][1]
    )
    if not any(conflicts):
        return []
    return [cls for _, cls in classes]


def _numbers_conflict(a: _Unit, b: _Unit, same: _Same | None, qa: Sequence[Quantity], qb: Sequence[Quantity]) -> bool:
    """The one rule for two reports that give different numbers: they dispute them when their
    sentences say the same thing otherwise (near-paraphrase by embedding, or most content
    shared), or when they give incompatible values for one counted quantity of one event
    (`quantities.conflicting`, values within QUANTITY_RATIO, `_same_event`). `same` None:
    only the second (units of different claims, which are no paraphrases)."""
    if a.article_id == b.article_id:
        return False  # one report giving two figures gives two facts
    if same is not None:
        if a.f.vector is not None and b.f.vector is not None:
            if cosine(a.f, b.f) >= CONFLICT_COSINE:
                return True
        elif min(same.containment(a.f, b.f), same.containment(b.f, a.f)) >= SAME_CONTAINMENT:
            return True
    return _same_event(a, b) and any(
        max(x.value, y.value) <= QUANTITY_RATIO * min(x.value, y.value) for x, y in conflicting(qa, qb)
    )


def _attributed(u: _Unit) -> bool:
    return _HANDED_ON.search(u.f.sentence.text) is not None


def _overtaken(
    us: Sequence[_Unit], pub: Mapping[str, str | None], claim_of: Mapping[str, str], previews: frozenset[str]
) -> dict[str, list[tuple[int, str, str, str]]]:
    """For each expectation unit, (closeness, claim, unit, source) of the later reports that say what became of
    it (`support.fulfils`). Reports are indexed by lemma, so each expectation meets only the
    reports that carry its expected action: linear in the story, not quadratic."""
    actors: dict[str, set[str]] = {}
    by_lemma: dict[str, list[_Unit]] = {}
    for u in us:
        actors.setdefault(u.article_id, set()).update(x for x in u.f.units if x.startswith("@"))
        if u.modality == "report" and u.id in claim_of:  # a unit with no content is in no claim
            for t in set(u.f.sentence.terms):
                by_lemma.setdefault(support.lemma_key(t), []).append(u)
    frozen = {k: frozenset(v) for k, v in actors.items()}
    out: dict[str, list[tuple[int, str, str, str]]] = {}
    for u in us:
        if u.modality != "expectation" or u.id not in claim_of:
            continue
        action = expected_action(u.f)
        candidates = {id(r): r for t in action[: support.ACTION_LEMMAS] for r in by_lemma.get(t, ())}
        for r in candidates.values():
            if fulfils(u.f, r.f, actors=frozen, published=pub, previews=previews, action=action):
                out.setdefault(u.id, []).append((fulfilment(u.f, r.f, action), claim_of[r.id], r.id, r.article_id))
    return out


def _claim_order(cid: str) -> tuple[int, str]:
    head, _, rest = cid[1:].partition("-")
    return int(head), rest


def _centrality(u: _Unit, members: Sequence[_Unit], same: _Same) -> float:
    """How much of the others' content this member carries: the best wording of the claim."""
    return sum(same.containment(m.f, u.f) for m in members if m is not u) + 1e-6 * len(u.f.units)
