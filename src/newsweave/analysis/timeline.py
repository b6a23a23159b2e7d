"""A timeline of a story: dated events across sources, deduplicated, each with its sources.

Dates come from `dates.resolve` against each report's publication date. A date is worth
a place when a source dates an event with it (the story's own events and the background
history alike); dates that more sources mention rank first when the timeline is cut short
(`max_dates`). Its entry is the sentence that best states what the sources say about that
date (the one sharing most words with the other sources' sentences on it), cited by the
sources that carry that information (the evidence model's `supporters`, given as `support`),
never by a source that only mentions the same date for something else or another number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from newsweave.model import DatedSentence, Granularity, TimeExpr, TimelineEntry
from newsweave.nlp.dates import resolve

# Words of at least this length count for a sentence's content (no stop list needed).
MIN_WORD_LEN = 4


def mentions(sentences: Sequence[DatedSentence]) -> list[tuple[TimeExpr, DatedSentence]]:
    return [(e, s) for s in sentences for e in resolve(s.text, s.published, approximate=s.approximate)]


def _words(text: str) -> set[str]:
    return {w for w in text.lower().split() if len(w) >= MIN_WORD_LEN and w.isalpha()}


def build(
    sentences: Sequence[DatedSentence],
    *,
    max_dates: int | None = None,
    per_date: int = 1,
    granularity: Sequence[Granularity] = ("day", "month", "year"),
    support: Callable[[str, Sequence[str]], Sequence[str]] | None = None,
    min_sources: int = 1,
) -> tuple[TimelineEntry, ...]:
    """Dates ranked by the number of sources that mention them, then sentences per date;
    `support(sentence id, sources)` names which of those sources carry the sentence (without
    it, every source that mentions the date is cited); dates fewer than `min_sources` mention are left out."""
    by_date: dict[str, list[tuple[TimeExpr, DatedSentence]]] = defaultdict(list)
    for e, s in mentions(sentences):
        if e.granularity in granularity:
            by_date[e.value].append((e, s))
    n_articles = len({s.article_id for s in sentences})
    floor = min(min_sources, n_articles)
    ranked = sorted(
        by_date,
        key=lambda d: (-len({s.article_id for _, s in by_date[d]}), -len(by_date[d]), d),
    )
    ranked = [d for d in ranked if len({s.article_id for _, s in by_date[d]}) >= floor]
    if max_dates is not None:
        ranked = ranked[:max_dates]
    entries: list[TimelineEntry] = []
    for d in ranked:
        items = by_date[d]
        sources = list(dict.fromkeys(s.article_id for _, s in items))
        words = {s.id: _words(s.text) for _, s in items}

        def centrality(
            item: tuple[TimeExpr, DatedSentence],
            words: dict[str, set[str]] = words,
            items: list[tuple[TimeExpr, DatedSentence]] = items,
        ) -> float:
            _, s = item
            mine = words[s.id]
            others = [words[o.id] for _, o in items if o.article_id != s.article_id]
            if not mine:
                return 0.0
            return sum(len(mine & w) / len(mine | w) for w in others if w) + 1e-3 / (1 + len(s.text))

        chosen: list[tuple[TimeExpr, DatedSentence]] = []
        for item in sorted(items, key=centrality, reverse=True):
            if any(item[1].text == c[1].text for c in chosen):
                continue
            chosen.append(item)
            if len(chosen) == per_date:
                break
        for e, s in chosen:
            cited = sources
            if support is not None:
                carried = set(support(s.id, sources))
                cited = [a for a in sources if a in carried]
            entries.append(
                TimelineEntry(
                    date=d,
                    granularity=e.granularity,
                    text=s.text,
                    sources=(s.article_id, *[a for a in cited if a != s.article_id]),
                    sentence=s.id,
                    mentions=len(items),
                )
            )
    return tuple(sorted(entries, key=lambda t: t.date))


def most_mentioned(
    sentences: Sequence[DatedSentence], *, max_dates: int | None = None, per_date: int = 1
) -> tuple[TimelineEntry, ...]:
    """Baseline: dates by raw mention count, the first sentences that mention each."""
    by_date: dict[str, list[tuple[TimeExpr, DatedSentence]]] = defaultdict(list)
    for e, s in mentions(sentences):
        if e.granularity == "day":
            by_date[e.value].append((e, s))
    ranked = sorted(by_date, key=lambda d: (-len(by_date[d]), d))[:max_dates]
    out = []
    for d in ranked:
        seen: list[str] = []
        for e, s in by_date[d]:
            if s.text in seen:
                continue
            seen.append(s.text)
            out.append(
                TimelineEntry(
                    date=d, granularity=e.granularity, text=s.text, sources=(s.article_id,), sentence=s.id,
                    mentions=len(by_date[d]),
                )
            )  # fmt: skip
            if len(seen) == per_date:
                break
    return tuple(sorted(out, key=lambda t: t.date))
