"""Direct quotes and who said them, merged across sources.

Hand-written: attribution in news follows a handful of patterns ("X said", "said X",
"X, the minister, said", "he declared" after X was named, "X said:" before the quote,
"X described it as a 'new chapter'") that a rule over our own sentences and canonical
entities resolves more reliably than spaCy's small parser, and explainably.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz

from newsweave.lexicon import ATTRIBUTING_VERBS, SPEAKER_TITLES, SPEECH_VERBS, alternation
from newsweave.model import AnalyzedArticle, Entity, Quote, QuoteOccurrence, Resolved, Sentence

_SPEECH_VERBS = alternation(SPEECH_VERBS)
_QUOTE = re.compile(r"[\"“]([^\"“”]{2,1200}?)[\"”]")
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.I)
_VERB_FIRST = re.compile(rf"^\W*(?:{_SPEECH_VERBS})\b", re.I)
_ATTRIB = re.compile(rf"\b(?:{alternation(ATTRIBUTING_VERBS)})\b", re.I)
_PRONOUN_SPEECH = re.compile(rf"^\W*(?:he|she)\s+(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b", re.I)
_TITLE_SPEECH = re.compile(
    rf"^\W*the\s+(?:[a-z-]+\s+){{0,3}}(?:{alternation(SPEAKER_TITLES)})\s+(?:{_SPEECH_VERBS})\b", re.I
)
# Shorter quotes are scare quotes ("weaker", "safer"), not statements.
MIN_QUOTE_WORDS = 3
# Two quotes are the same when their normalised texts match this closely (rapidfuzz ratio),
# or one contains the other; outlets trim quotes differently.
SAME_QUOTE_RATIO = 90


def extract(analyzed: Sequence[AnalyzedArticle], resolved: Resolved) -> tuple[Quote, ...]:
    """Every direct quote of the story, one per distinct quote, with speaker and sources."""
    found: list[tuple[str, QuoteOccurrence, bool]] = []
    persons = {e.id for e in resolved.entities if e.type == "PERSON"}
    alias_re = _alias_pattern([e for e in resolved.entities if e.type == "PERSON"])
    for art in analyzed:
        text = art.cleaned.text
        people = _people(art, resolved, persons, alias_re)
        for sent in art.sentences:
            for m in _QUOTE.finditer(text, sent.start, sent.end):
                inner = " ".join(m.group(1).split()).strip(" ,")
                if len(inner.split()) < MIN_QUOTE_WORDS:
                    continue
                partial = _partial(text, sent, m)
                speaker, cue = _speaker(text, sent, m, people, partial)
                if partial and speaker is None:
                    continue  # a title or scare quote ("Axis of Upheaval"), not someone's words
                occ = QuoteOccurrence(
                    article_id=art.id,
                    sentence=sent.id,
                    start=m.start(1),
                    end=m.end(1),
                    speaker_id=speaker,
                    cue=cue,
                )
                found.append((inner, occ, partial))
    return _merge(found, {e.id: e for e in resolved.entities})


# Aliases are looked up by their first letters: every alias has at least this many.
_ALIAS_HEAD = 4
_WORD_START = re.compile(r"\b\w")
# (aliases by their first _ALIAS_HEAD letters, longest first; alias -> entity id)
Aliases = tuple[dict[str, list[str]], dict[str, str]]


def _alias_pattern(people: Sequence[Entity]) -> Aliases | None:
    """Every surface form of every person, longest first: spaCy's small model misses some
    mentions ("Pezeshkian echoed ..."), and a speaker must not be lost for that."""
    owner: dict[str, str] = {}
    for e in people:
        for a in (e.name, *e.aliases):
            if len(a) >= _ALIAS_HEAD and a[0].isupper():
                owner.setdefault(a, e.id)
    if not owner:
        return None
    by_head: dict[str, list[str]] = {}
    for a in sorted(owner, key=len, reverse=True):
        by_head.setdefault(a[:_ALIAS_HEAD], []).append(a)
    return by_head, owner


def _alias_matches(text: str, by_head: dict[str, list[str]]) -> Iterator[tuple[int, str]]:
    """(offset, alias) of every whole-word alias in `text`, left to right, the longest at each
    place, never overlapping: what a regex alternation of all aliases finds, without trying
    thousands of alternatives at every character of a long report."""
    end = 0
    for m in _WORD_START.finditer(text):
        p = m.start()
        if p < end:
            continue
        for a in by_head.get(text[p : p + _ALIAS_HEAD], ()):
            q = p + len(a)
            if text.startswith(a, p) and _is_word(text[q - 1]) != (q < len(text) and _is_word(text[q])):
                yield p, a
                end = q
                break


def _is_word(ch: str) -> bool:
    """What `\\w` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _people(
    art: AnalyzedArticle,
    resolved: Resolved,
    persons: set[str],
    alias_re: Aliases | None,
) -> list[tuple[int, str]]:
    """(char offset, entity id) of every mention of a person entity, in order. The
    entity's type decides, not the mention's label: spaCy tags "Pezeshkian" alone as ORG."""
    found: dict[int, str] = {}
    for s in art.sentences:
        for mention in s.mentions:
            eid = resolved.by_mention.get((art.id, mention.start))
            if eid is not None and eid in persons:
                found[mention.start] = eid
    if alias_re is not None:
        by_head, owner = alias_re
        # mentions found so far, sorted: an alias match next to one is that mention again (a
        # bisection, not a scan of every mention: a long report has thousands)
        known = sorted(found)
        for start, alias in _alias_matches(art.cleaned.text, by_head):
            width = len(alias)
            k = bisect_right(known, start - width)
            if k < len(known) and known[k] < start + width:
                continue
            found[start] = owner[alias]
            insort(known, start)
    return sorted(found.items())


def _person_in(people: list[tuple[int, str]], start: int, end: int, last: bool = False) -> str | None:
    """The first (or last) person mentioned at a char offset in [start, end); `people` is sorted."""
    lo = bisect_left(people, start, key=lambda p: p[0])
    hi = bisect_left(people, end, key=lambda p: p[0])
    if lo >= hi:
        return None
    return people[hi - 1][1] if last else people[lo][1]


def _partial(text: str, sent: Sentence, m: re.Match[str]) -> bool:
    """A quote woven into the writer's sentence: word characters right before it."""
    before = text[sent.start : m.start()].rstrip()
    return bool(before) and not before.endswith((",", ":", "—", "–", "-")) and bool(re.search(r"[a-z]$", before, re.I))


def _speaker(
    text: str, sent: Sentence, m: re.Match[str], people: list[tuple[int, str]], partial: bool
) -> tuple[str | None, str]:
    after = text[m.end() : sent.end]
    before = text[sent.start : m.start()]
    head = after[:80]
    # "..." said Lavrov / remarked Mr. Putin
    verb_first = _VERB_FIRST.match(head)
    if verb_first:
        who = _person_in(people, m.end() + verb_first.end(), m.end() + verb_first.end() + 40)
        if who:
            return who, "said X"
    # "..." Pezeshkian said / Kellogg, the envoy, said
    speech = _SPEECH.search(head)
    if speech:
        who = _person_in(people, m.end(), m.end() + speech.start())
        if who:
            return who, "X said"
    # "..." he declared / the minister said: the person named last before the quote
    if _PRONOUN_SPEECH.match(after) or _TITLE_SPEECH.match(after):
        who = _person_in(people, 0, m.start(), last=True)
        if who:
            return who, "pronoun"
    # Kellogg said: "..." / X told reporters that "..."
    colon = before.rstrip().endswith(":")
    if (colon or partial or _SPEECH.search(before)) and (_ATTRIB.search(before) or colon):
        who = _person_in(people, sent.start, m.start())
        if who:
            return who, "colon" if before.rstrip().endswith(":") else "subject"
        # "He emphasized ... 'X'": the person named last before this sentence
        if re.match(r"^\W*(?:he|she)\b", before, re.I):
            who = _person_in(people, 0, sent.start, last=True)
            if who:
                return who, "pronoun"
    return None, "unattributed"


def _norm(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def _merge(found: list[tuple[str, QuoteOccurrence, bool]], entities: dict[str, Entity]) -> tuple[Quote, ...]:
    groups: list[list[tuple[str, QuoteOccurrence, bool]]] = []
    heads: list[str] = []  # each group's first quote, normalised once
    for item in found:
        n = _norm(item[0])
        for g, m in zip(groups, heads, strict=True):
            if n == m or n in m or m in n or fuzz.ratio(n, m) >= SAME_QUOTE_RATIO:
                g.append(item)
                break
        else:
            groups.append([item])
            heads.append(n)
    quotes = []
    for g in groups:
        text = max((t for t, _, _ in g), key=len)  # the fullest version
        votes = Counter(o.speaker_id for _, o, _ in g if o.speaker_id)
        sid = votes.most_common(1)[0][0] if votes else None
        quotes.append(
            Quote(
                text=text,
                speaker=entities[sid].name if sid and sid in entities else None,
                speaker_id=sid,
                sources=tuple(dict.fromkeys(o.article_id for _, o, _ in g)),
                occurrences=tuple(o for _, o, _ in g),
                partial=all(p for _, _, p in g),
            )
        )
    return tuple(quotes)
