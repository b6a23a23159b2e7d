"""Cross-source analysis of one story: claims, quotes, stance, event, timeline, coverage.

Composes the analysis stages over a prepared story (see `brief.prepare`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from newsweave.analysis import claims as claims_stage
from newsweave.analysis import quotes as quotes_stage
from newsweave.analysis import timeline as timeline_stage
from newsweave.analysis.event import main_event, stance
from newsweave.analysis.support import supporters
from newsweave.model import (
    Analysis,
    AnalyzedArticle,
    Claim,
    DatedSentence,
    Progress,
    Resolved,
    SourceCoverage,
    SourceStance,
    StoryText,
)
from newsweave.nlp.dates import parse_iso

STAGE = "analysing claims, quotes and time"


def analyze(
    story: StoryText,
    resolved: Resolved,
    *,
    title: str | None,
    progress: Callable[[Progress], None] | None = None,
) -> Analysis:
    """Claims, quotes, stance, event, timeline and coverage of one prepared story; `progress`
    hears of each step, and of the claim units as they are grouped."""
    tell = progress or (lambda _: None)
    arts = story.articles
    tell(Progress(stage=STAGE))
    stances = tuple(stance(a) for a in arts)
    published, inferred = publication_dates(arts, stances)
    claims = claims_stage.claims(
        arts,
        story.features,
        story.weights,
        published,
        progress=lambda done, total: tell(Progress(stage=STAGE, done=done, total=total, unit="claim units")),
        previews=frozenset(s.source for s in stances if s.stance == "anticipates"),
    )
    tell(Progress(stage=STAGE, done=len(claims), unit="claims; quotes next"))
    quotes = quotes_stage.extract(arts, resolved)
    tell(Progress(stage=STAGE, done=len(quotes), unit="quotes; timeline next"))
    order = [a.id for a in arts]
    by_article = {a.id: {s.id: story.features[s.id] for s in a.sentences} for a in arts}

    def carried(sid: str, among: Sequence[str]) -> Sequence[str]:
        # an entry is cited by the sources that carry it, by the one rule summary citations
        # use; only the sources that mention its date can be cited, so only they are compared
        feats = {k: v for aid in {*among, story.features[sid].sentence.article_id} for k, v in by_article[aid].items()}
        return supporters(sid, feats, story.weights, order).sources

    timeline = timeline_stage.build(dated_sentences(arts, published), support=carried)
    event = main_event(arts, stances, claims, timeline, resolved.entities, title, resolved.by_mention)
    return Analysis(
        event=event,
        stances=stances,
        claims=claims,
        quotes=quotes,
        timeline=timeline,
        coverage=coverage(arts, claims, stances),
        published=published,
        inferred_dates=inferred,
    )


def publication_dates(
    arts: Sequence[AnalyzedArticle], stances: Sequence[SourceStance]
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """Given dates, and for a report without one the latest date of the other reports
    (reports of one event come out together). An undated preview stays undated: when it was
    written cannot be told, so its relative dates ("on Friday") are not resolved."""
    given = {a.id: a.article.published for a in arts}
    reporting = {s.source for s in stances if s.stance == "reports"}
    known = [d for aid, d in given.items() if d and aid in reporting] or [d for d in given.values() if d]
    out = dict(given)
    inferred = []
    for a in arts:
        if not given[a.id] and a.id in reporting and known:
            out[a.id] = max(known)
            inferred.append(a.id)
    return out, tuple(inferred)


def dated_sentences(arts: Sequence[AnalyzedArticle], published: dict[str, str | None]) -> list[DatedSentence]:
    """An undated report is dated to within days of the earliest dated one: enough for "in
    June" or "last year", not for "on Friday"."""
    known = sorted(d for d in published.values() if d)
    out: list[DatedSentence] = []
    for a in arts:
        given = published.get(a.id)
        pub: date | None = parse_iso(given or (known[0] if known else None))
        approx = not given
        out.extend(
            DatedSentence(id=s.id, article_id=a.id, published=pub, text=s.text, approximate=approx) for s in a.sentences
        )
    return out


def coverage(
    arts: Sequence[AnalyzedArticle], claims: Sequence[Claim], stances: Sequence[SourceStance]
) -> tuple[SourceCoverage, ...]:
    main = [c for c in claims if len(c.sources) >= 2]
    by_source = {s.source: s.stance for s in stances}
    out = []
    for a in arts:
        carried = [c.id for c in main if a.id in c.sources]
        out.append(
            SourceCoverage(
                source=a.id,
                share=round(len(carried) / len(main), 3) if main else 0.0,
                unique_claims=tuple(c.id for c in claims if c.sources == (a.id,)),
                missing_claims=tuple(c.id for c in main if a.id not in c.sources),
                stance=by_source[a.id],
            )
        )
    return tuple(out)
