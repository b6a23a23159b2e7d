"""Whether each report anticipates the event or reports it, and what the event is.

Hand-written cue rules: a report written before the event announces it in its headline
and lead with future grammar ("are set to sign", "expected to", "will"); one written
after states it in the past ("signed on Friday"). The cues that decided are kept, so a
reader can check the call.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from newsweave.analysis.support import FUTURE_CUES
from newsweave.lexicon import HEADLINE_FUTURE, TITLE_WORDS, alternation
from newsweave.model import AnalyzedArticle, Claim, Entity, Event, SourceStance, TimelineEntry
from newsweave.nlp.entities import lower_words

# Headline grammar for what has not happened yet: "Russia, Iran to seal ...", "set to open".
ANTICIPATING_HEADLINE = re.compile(
    # "to" + an infinitive ("to seal", "to discuss"), not "to crowds"
    rf"\b(?:to (?!be\b)[a-z]*(?:ss|[a-rt-z])|{alternation(HEADLINE_FUTURE)})\b",
    re.I,
)
# Sentences of the lead that decide the stance.
LEAD_SENTENCES = 2


def stance(article: AnalyzedArticle) -> SourceStance:
    """`anticipates` when the headline or the first sentence looks ahead, else `reports`;
    the matched words are the cues."""
    cues: list[str] = []
    title = article.article.title or ""
    if m := ANTICIPATING_HEADLINE.search(title):
        cues.append(f"headline: {m.group(0)}")
    lead = article.sentences[:LEAD_SENTENCES]
    for s in lead:
        if m := FUTURE_CUES.search(s.text):
            cues.append(f"lead: {m.group(0)}")
    first_looks_ahead = bool(lead) and FUTURE_CUES.search(lead[0].text) is not None
    if cues and (first_looks_ahead or ANTICIPATING_HEADLINE.search(title)):
        return SourceStance(source=article.id, stance="anticipates", cues=tuple(cues))
    first = lead[0].text if lead else ""
    return SourceStance(source=article.id, stance="reports", cues=(f"lead: {_clip(first)}",) if first else ())


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def main_event(
    analyzed: Sequence[AnalyzedArticle],
    stances: Sequence[SourceStance],
    claims: Sequence[Claim],
    timeline: Sequence[TimelineEntry],
    entities: Sequence[Entity],
    title: str | None,
    by_mention: Mapping[tuple[str, int], str] | None = None,
) -> Event:
    """What (the headline), when (the date most reporting sources give, resolved), where (the
    place most sources name), who (the people and organisations most reporting sources name in
    their lead; `by_mention` maps each mention to its entity, see `actors`)."""
    reporting = {s.source for s in stances if s.stance == "reports"}
    days = [t for t in timeline if t.granularity == "day"]
    date = None
    if days:
        best = max(days, key=lambda t: (len(set(t.sources) & reporting), len(t.sources), t.date))
        date = best.date
    # a name with digits is a product or a flight ("PS3"), not where anything happened
    places = [e for e in entities if e.type == "PLACE" and not any(ch.isdigit() for ch in e.name)]
    people = [e for e in entities if e.type == "PERSON"]
    # the leads of the reports that state the event say where and who ("met ... in Moscow")
    leads = [s.text for a in analyzed if a.id in reporting or not reporting for s in a.sentences[:LEAD_SENTENCES]]
    where: Counter[str] = Counter()
    for p in places:
        for alias in p.aliases:
            where[p.name] += sum(len(re.findall(rf"\b(?:in|at)\s+{re.escape(alias)}\b", t)) for t in leads)
    place = where.most_common(1)[0][0] if where and where.most_common(1)[0][1] else None
    if place is None and places:
        place = max(places, key=lambda p: (len(p.sources), p.mentions)).name
    who: Counter[str] = Counter()
    for p in people:
        who[p.name] = sum(any(alias in t for alias in p.aliases) for t in leads)
    participants = tuple(n for n, k in who.most_common(4) if k > 0)
    if by_mention is not None:
        participants = actors(analyzed, reporting, entities, by_mention)
    done = sorted({s for c in claims if c.modality == "report" and c.independent_sources >= 2 for s in c.sources})
    return Event(
        title=title,
        date=date,
        place=place,
        participants=participants,
        sources=tuple(s for s in done if s in reporting) or tuple(sorted(reporting)),
    )


# The grammatical roles of a name that is not who took part: it modifies another noun
# ("Nonfarm payrolls", "a slain University of Virginia student", "Ronald Reagan UCLA Medical
# Center") or heads a line without a verb ("WFTV – Orlando, Fla.", "LONDON --"). Subjects,
# objects and owners all may be who ("BP shareholders rejected a pay package for chief
# executive Bob Dudley"): a subject-only rule named no more of the 26 annotated clusters'
# actors right than no rule did.
NOT_ACTING_ROLES = frozenset({"compound", "nmod", "ROOT"})
# At most this many actors are named; each must be in the lead of at least half of the
# reports that state the event.
MAX_ACTORS = 3


def actors(
    analyzed: Sequence[AnalyzedArticle],
    reporting: set[str],
    entities: Sequence[Entity],
    by_mention: Mapping[tuple[str, int], str],
) -> tuple[str, ...]:
    """Who acted: the people and organisations (spaCy's mentions, under their canonical
    entity) that at least half of the reporting sources name in their first sentences, the
    most widely named first; when none is, the country or city that is the subject there
    ("Iran has acknowledged that it shot down ..."). Counting sources, not mentions, keeps out
    a name one report repeats (a photographer's credit, a bystander quoted at length); a name
    with digits is a flight or a disease ("COVID-19"), one the story writes with a number is a
    product ("PlayStation" of "PlayStation 4"); a name in parentheses is a credit or a
    dateline ("(AP)"), one after "affiliate" or "station" the outlet that reported."""
    lower = lower_words(analyzed)
    numbered = _numbered([a.cleaned.text for a in analyzed])
    kinds = {
        e.id: e
        for e in entities
        if e.type in ("PERSON", "ORG")
        and not any(ch.isdigit() for ch in e.name)
        # one word the story also writes in lower case is a common word capitalized at a
        # sentence's start ("Nonfarm payrolls rose ..."), not a name
        and not (" " not in e.name and e.name.lower() in lower)
        and not any(alias in numbered for alias in e.aliases)
    }
    places = {e.id: e for e in entities if e.type == "PLACE"}
    arts = [a for a in analyzed if a.id in reporting] or list(analyzed)
    leads: Counter[str] = Counter()
    count: Counter[str] = Counter()
    subjects: Counter[str] = Counter()  # places as the subject of a lead
    for a in arts:
        seen: set[str] = set()
        acting: set[str] = set()
        text = a.cleaned.text
        for si, s in enumerate(a.sentences[:LEAD_SENTENCES]):
            for m in s.mentions:
                if m.role in NOT_ACTING_ROLES:
                    continue  # "a University of Virginia student": named, not acting
                if _in_parentheses(text, m.start, s.start):
                    continue  # "HOUSTON (CBS Houston) —", "(AP)": a credit, not an actor
                if si == 0 and m.start == s.start and _DATELINE.match(text, m.end):
                    continue  # "CHARLOTTESVILLE, Va. (AP) —": where the report was filed
                if _PLACE_PREPOSITION.search(text, max(s.start, m.start - 14), m.start):
                    continue  # "Jane Wilson, of Stockport", "the summit of Tryfan": a place
                if _AFFILIATION.match(text, m.end):
                    continue  # "Homeland Security Secretary Alejandro Mayorkas": the person acts
                if _OUTLET.search(text, max(s.start, m.start - 12), m.start):
                    continue  # "CBS Houston affiliate KHOU reported": who told it
                eid = by_mention.get((a.id, m.start))
                if eid in kinds:
                    seen.add(eid)
                    count[eid] += 1
                elif eid in places and m.role == "nsubj":
                    acting.add(eid)
        leads.update(seen)
        subjects.update(acting)
    need = max(1, math.ceil(len(arts) / 2))
    ranked = sorted(leads, key=lambda e: (-leads[e], -count[e], -len(kinds[e].sources), kinds[e].name))
    named = tuple(kinds[e].name for e in ranked if leads[e] >= need)[:MAX_ACTORS]
    if named:
        return named
    ranked = sorted(subjects, key=lambda e: (-subjects[e], places[e].name))
    return tuple(places[e].name for e in ranked if subjects[e] >= need)[:MAX_ACTORS]


def _numbered(texts: Sequence[str]) -> set[str]:
    """The names written with a model number somewhere ("PlayStation 4", "Galaxy S5"): each
    run of capitalized words before a short number, and every tail of it ("Sony PlayStation",
    "PlayStation"). A year is no model number ("the Trump 2020 campaign")."""
    out: set[str] = set()
    for text in texts:
        for m in _NAME_BEFORE_NUMBER.finditer(text):
            words = m.group(1).split()
            out.update(" ".join(words[i:]) for i in range(len(words)))
    return out


_NAME_BEFORE_NUMBER = re.compile(r"((?:[A-Z][\w'’-]*\s+){1,4})[A-Z]?\d{1,3}\b")


# After a name that opens a report: ", Va. (AP) —", ", VA -": a dateline.
_DATELINE = re.compile(r",\s*[A-Za-z.]{2,12}\s*(?:\([^)]{1,30}\)\s*)?[—–-]")
# Right before a mention: the prepositions of where, not of who.
_PLACE_PREPOSITION = re.compile(r"\b(?:of|from|in|at|near|across|off|into|outside|inside)\s+(?:the\s+)?$")
# Right before a mention: the word that makes it the outlet that told the story.
_OUTLET = re.compile(r"\b(?:affiliate|station|newspaper|broadcaster|channel)\s+$", re.I)
# Right after an organisation's mention: a title, then a capitalized name.
_AFFILIATION = re.compile(rf"\s+(?:{alternation(TITLE_WORDS)})\.?\s+[A-Z]", re.I)


def _in_parentheses(text: str, at: int, sentence_start: int) -> bool:
    before = text[sentence_start:at]
    return before.count("(") > before.count(")")
