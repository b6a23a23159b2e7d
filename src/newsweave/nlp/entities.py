"""Canonical entities: every spelling, title and short form of a name under one entry.

spaCy finds mentions; which mentions are the same real-world entity is our own
contribution, written by hand because no maintained library does cross-document
name merging for news: transliteration variants (Dmitry/Dmitri, Tehran/Teheran),
surname-only and titled forms (Peskov, Mr. Putin), particles (al-Assad/Assad),
acronyms (U.S./United States), and NER label noise ("Pezeshkian" tagged ORG).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.fuzz import ratio

from newsweave.lexicon import (
    ARABIC_ARTICLES,
    NAME_PREFIXES,
    ORG_DESCRIPTORS,
    PARTICLES,
    PLACE_LAST_WORDS,
    TITLE_WORDS,
    alternation,
)
from newsweave.model import AnalyzedArticle, Entity, EntityType, Resolved

LABEL_TYPE: dict[str, EntityType] = {"PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "ORG"}
# Two spellings are one name when their consonant skeletons agree and their letters mostly do;
# 80 admits Dmitry/Dmitri (83), Sergei/Sergey (83), Tehran/Teheran (92), refuses Iran/Oran (75).
MIN_SPELLING_RATIO = 80
_ARTICLE = re.compile(rf"^(?:{alternation(ARABIC_ARTICLES)})-")


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def name_tokens(surface: str) -> list[str]:
    """Lower-cased tokens of a name without titles, possessives and particles."""
    text = fold(surface).replace("’", "'")
    text = re.sub(r"'s\b|'$", "", text)
    toks = [t.strip(".,'\"") for t in re.split(r"\s+", text) if t.strip(".,'\"")]
    while toks and toks[0].rstrip(".") in NAME_PREFIXES and len(toks) > 1:
        toks = toks[1:]
    out: list[str] = []
    for t in toks:
        t = _ARTICLE.sub("", t)
        if t in PARTICLES and out:
            continue
        out.append(t)
    return out


def skeleton(token: str) -> str:
    t = token.replace("y", "i").replace("h", "")
    t = re.sub(r"(.)\1+", r"\1", t)
    return t[:1] + re.sub(r"[aeiou]", "", t[1:])


def same_spelling(a: str, b: str) -> bool:
    if a == b:
        return True
    a2, b2 = a.replace("y", "i"), b.replace("y", "i")
    return a2[:1] == b2[:1] and skeleton(a) == skeleton(b) and ratio(a2, b2) >= MIN_SPELLING_RATIO


def acronym(tokens: Sequence[str]) -> str:
    return "".join(t[0] for t in tokens if t not in {"of", "the", "and", "for"})


@dataclass(slots=True)
class _Group:
    tokens: list[str]
    surfaces: Counter[str] = field(default_factory=Counter)  # as written (with honorifics)
    cores: Counter[str] = field(default_factory=Counter)  # without titles/possessive
    labels: Counter[str] = field(default_factory=Counter)
    sources: set[str] = field(default_factory=set)
    keys: list[tuple[str, int]] = field(default_factory=list)  # (article id, mention start)
    first_seen: int = 0

    def absorb(self, other: _Group) -> None:
        self.surfaces.update(other.surfaces)
        self.cores.update(other.cores)
        self.labels.update(other.labels)
        self.sources |= other.sources
        self.keys.extend(other.keys)
        self.first_seen = min(self.first_seen, other.first_seen)

    @property
    def n(self) -> int:
        return sum(self.labels.values())


def resolve(analyzed: Sequence[AnalyzedArticle]) -> Resolved:
    """Merge the mentions of all articles into canonical entities, most covered first."""
    groups: dict[tuple[str, ...], _Group] = {}
    lower: Counter[str] = Counter()
    order = 0
    for art in analyzed:
        for sent in art.sentences:
            lower.update(_LOWER_WORD.findall(sent.text))
            for m in sent.mentions:
                toks = name_tokens(m.text)
                if not toks or not any(c.isalpha() for c in "".join(toks)):
                    continue
                if len(toks) == 1 and (toks[0] in TITLE_WORDS or len(toks[0]) < 2):
                    continue
                key = tuple(toks)
                g = groups.get(key)
                if g is None:
                    g = groups[key] = _Group(tokens=list(toks), first_seen=order)
                order += 1
                g.surfaces[m.text] += 1
                g.cores[_core(m.text)] += 1
                g.labels[m.label] += 1
                g.sources.add(art.id)
                g.keys.append((art.id, m.start))

    merged = [g for g in _merge(list(groups.values())) if not _common_word(g, lower)]
    entities: list[Entity] = []
    by_mention: dict[tuple[str, int], str] = {}
    used_ids: set[str] = set()
    ranked = sorted(merged, key=lambda g: (-len(g.sources), -g.n, g.first_seen))
    for g in ranked:
        name = _canonical(g)
        eid = _slug(name, used_ids)
        entities.append(
            Entity(
                id=eid,
                name=name,
                type=_type(g),
                aliases=tuple(s for s, _ in sorted(g.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))),
                sources=tuple(sorted(g.sources)),
                mentions=g.n,
            )
        )
        for k in g.keys:
            by_mention[k] = eid
    return Resolved(entities=tuple(entities), by_mention=by_mention)


def _core(surface: str) -> str:
    words = re.sub(r"(?:['’]s|['’])$", "", surface.strip()).split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in NAME_PREFIXES:
        words = words[1:]
    return " ".join(words)


def _merge(groups: list[_Group]) -> list[_Group]:
    # Candidates come from buckets keyed by consonant skeleton (same_spelling requires equal
    # skeletons) and by acronym, so merging stays linear in the number of distinct names.
    groups.sort(key=lambda g: g.first_seen)
    full = [g for g in groups if len(g.tokens) > 1]
    single = [g for g in groups if len(g.tokens) == 1]
    out: list[_Group] = []
    by_name: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    by_last: dict[str, list[_Group]] = defaultdict(list)
    by_acronym: dict[str, list[_Group]] = defaultdict(list)

    def keep(g: _Group) -> None:
        out.append(g)
        by_last[skeleton(g.tokens[-1])].append(g)
        by_acronym[acronym(g.tokens)].append(g)

    # 1. Multi-token names with the same number of tokens, every token the same spelling.
    for g in full:
        bucket = by_name[tuple(map(skeleton, g.tokens))]
        target = next((o for o in bucket if all(map(same_spelling, o.tokens, g.tokens))), None)
        if target:
            target.absorb(g)
        else:
            bucket.append(g)
            keep(g)
    # 1b. A company's short name: the full name minus descriptors, both organizations.
    full_names: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    for o in out:
        k = len(o.tokens)
        while k > 1 and o.tokens[k - 1] in ORG_DESCRIPTORS:
            k -= 1
            full_names[tuple(o.tokens[:k])].append(o)
    absorbed: set[int] = set()
    for g in [o for o in out if tuple(o.tokens) in full_names and _type(o) == "ORG"]:
        longer = [o for o in full_names[tuple(g.tokens)] if id(o) not in absorbed and _type(o) == "ORG"]
        if longer:
            max(longer, key=lambda o: o.n).absorb(g)
            absorbed.add(id(g))
            out.remove(g)
            by_last[skeleton(g.tokens[-1])].remove(g)
            by_acronym[acronym(g.tokens)].remove(g)
    # 2. Single tokens: another spelling of a single token, a surname of a full person name,
    #    or an acronym of a full name (U.S. / United States).
    singles: list[_Group] = []
    by_single: dict[str, list[_Group]] = defaultdict(list)
    for g in single:
        tok = g.tokens[0]
        bucket = by_single[skeleton(tok)]
        target = next((o for o in bucket if same_spelling(o.tokens[0], tok)), None)
        if target:
            target.absorb(g)
        else:
            bucket.append(g)
            singles.append(g)
    for g in singles:
        tok = g.tokens[0]
        placeish = g.labels["GPE"] + g.labels["LOC"] > g.labels["PERSON"] + g.labels["ORG"] + g.labels["FAC"]
        people = [o for o in by_last[skeleton(tok)] if _type(o) == "PERSON" and same_spelling(o.tokens[-1], tok)]
        letters = tok.replace(".", "")
        acr = [o for o in by_acronym[letters] if len(letters) >= 2 and _looks_acronym(g)]
        if people and not placeish:
            max(people, key=lambda o: o.n).absorb(g)
        elif acr:
            max(acr, key=lambda o: o.n).absorb(g)
        else:
            keep(g)
    return out


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


def lower_words(analyzed: Sequence[AnalyzedArticle]) -> frozenset[str]:
    """Every word the story writes in lower case somewhere: a capitalized name made of them
    may be a common word at a sentence's start."""
    return frozenset(w for a in analyzed for w in _LOWER_WORD.findall(a.cleaned.text))


def _common_word(g: _Group, lower: Counter[str]) -> bool:
    """A lone capitalized word the story also writes in lower case at least as often
    ("Trains ran every four minutes" beside "the trains") is a word, not a name."""
    if len(g.tokens) != 1 or not g.tokens[0].isalpha() or _looks_acronym(g):
        return False
    return lower[g.tokens[0]] >= g.n


def _looks_acronym(g: _Group) -> bool:
    return any(s.replace(".", "").isupper() for s in g.cores)


def _canonical(g: _Group) -> str:
    """The fullest form, then the most frequent spelling, then the first seen."""
    best = sorted(g.cores.items(), key=lambda kv: (-len(name_tokens(kv[0])), -kv[1]))
    return best[0][0]


def _type(g: _Group) -> EntityType:
    votes: Counter[EntityType] = Counter()
    for label, n in g.labels.items():
        if label in LABEL_TYPE:
            votes[LABEL_TYPE[label]] += n
    # unless spaCy mostly says person: Michael Bay, Ricki Lake
    if len(g.tokens) > 1 and g.tokens[-1] in PLACE_LAST_WORDS and votes["PERSON"] * 2 <= sum(votes.values()):
        return "PLACE"
    # A lone name (no full person name carries it) that its context often puts somewhere
    # ("near Kohlsvik", "Kohlsvik station") is a place the small model took for a surname.
    if len(g.tokens) == 1 and votes["PLACE"] and votes["PLACE"] * 2 >= votes["PERSON"] >= max(votes.values()):
        return "PLACE"
    if votes["PERSON"] and len(g.tokens) > 1 and votes["PERSON"] * 2 >= sum(votes.values()) - votes["PERSON"]:
        return "PERSON"
    return votes.most_common(1)[0][0] if votes else "ORG"


def _slug(name: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "entity"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def entity_terms(analyzed: Sequence[AnalyzedArticle], resolved: Resolved) -> dict[str, frozenset[str]]:
    """Sentence id -> canonical entity ids it mentions (so Dmitri and Dmitry compare equal)."""
    out: dict[str, frozenset[str]] = {}
    for art in analyzed:
        for s in art.sentences:
            ids = {
                resolved.by_mention[(art.id, m.start)] for m in s.mentions if (art.id, m.start) in resolved.by_mention
            }
            out[s.id] = frozenset(ids)
    return out
