"""Whether each report anticipates the event or reports it, and what the event is.

Hand-written cue rules: a report written before the event announces it in its headline
and lead with future grammar ("are set to sign", "expected to", "will"); one written
after states it in the past ("signed on Friday"). The cues that decided are kept, so a
reader can check the call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newsweave.analysis.support import FUTURE_CUES
from newsweave.lexicon import HEADLINE_FUTURE, alternation
from newsweave.model import AnalyzedArticle, Claim, Entity, Event, SourceStance, TimelineEntry

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
) -> Event:
    """What (the headline), when (the date most reporting sources give, resolved), where (the
    place most sources name), who (the people most sources name)."""
    reporting = {s.source for s in stances if s.stance == "reports"}
    days = [t for t in timeline if t.granularity == "day"]
    date = None
    if days:
        best = max(days, key=lambda t: (len(set(t.sources) & reporting), len(t.sources), t.date))
        date = best.date
    places = [e for e in entities if e.type == "PLACE"]
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
    done = sorted({s for c in claims if c.modality == "report" and c.independent_sources >= 2 for s in c.sources})
    return Event(
        title=title,
        date=date,
        place=place,
        participants=participants,
        sources=tuple(s for s in done if s in reporting) or tuple(sorted(reporting)),
    )
