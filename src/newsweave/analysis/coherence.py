"""Whether the reports of a brief are one story: the ones that share little with the rest.

A report's vocabulary is its content words (four letters or more, not stop or news function
words, not day or month names) cut to their first STEM_LETTERS letters, so that "democrats", "democratic" and
"Democrat" meet. Two reports are compared by the cosine of their word counts (log-scaled, so
that a word said forty times does not drown the rest); a report whose best match among the
others is below MIN_BEST_MATCH shares little with every one of them. Word counts rather than
embeddings: they exist whatever the size of the story and however the brief was asked for,
and a reader can check them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from newsweave.clean import content_words, lines
from newsweave.lexicon import MONTH_NAMES, WEEKDAY_NAMES
from newsweave.model import CleanedArticle

STEM_LETTERS = 5
# A report whose closest other report sits below this cosine is off the story. Calibrated with
# benchmarks/bench_coherence.py on ../shared/data: it names the intruder in 71% of real
# clusters given one report of another cluster and warns for 91% of three reports from three
# clusters, while 0 of the seeds, 2.0% of the allsides-dev and 7.8% of the multinews-dev
# clusters warn, and what those name is mostly a page that is not a report (an archive
# notice, "Tweet with a location", a 404 page). 0.15 catches 81% of intruders for 11% false alarms.
MIN_BEST_MATCH = 0.1
# Reports shorter than this many content words say too little to be judged.
MIN_WORDS = 20
# Names listed in the warning before "and N more".
MAX_NAMED = 5

# Day and month names: reports of one week share them whatever their subject.
CALENDAR_WORDS = frozenset(WEEKDAY_NAMES) | {names[0] for names in MONTH_NAMES}

Bag = Counter[str]


def vocabulary(text: str) -> Bag:
    """Content-word stems of a text, with their counts."""
    out: Bag = Counter()
    for w in lines.words(text):
        w = w.strip(".,;:!?\"'“”‘’()[]{}")
        if len(w) >= 4 and w.isalpha() and w.lower() not in CALENDAR_WORDS and content_words(w):
            out[w.lower()[:STEM_LETTERS]] += 1
    return out


def best_matches(bags: Sequence[Bag]) -> list[float]:
    """Each report's cosine (counts log-scaled: 1 + ln n) to its closest other report.

    One sparse product for all pairs: a story of 500 reports is 125,000 pairs."""
    if len(bags) < 2:
        return [1.0] * len(bags)
    from scipy.sparse import csr_matrix  # lazily: the brief's only use of scipy

    index: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, bag in enumerate(bags):
        weights = {w: 1 + math.log(n) for w, n in bag.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for w, v in weights.items():
            rows.append(r)
            cols.append(index.setdefault(w, len(index)))
            vals.append(v / norm)
    m = csr_matrix((vals, (rows, cols)), shape=(len(bags), max(len(index), 1)), dtype=np.float64)
    sims = np.asarray((m @ m.T).toarray())
    np.fill_diagonal(sims, -1.0)
    return [float(x) for x in sims.max(axis=1)]


def odd_ones(articles: Sequence[CleanedArticle]) -> tuple[str, ...]:
    """Ids of the reports that share little with every other (none for fewer than two
    reports, or when no report can be judged)."""
    bags = [vocabulary(a.text + "\n" + (a.article.title or "")) for a in articles]
    judged = [i for i, b in enumerate(bags) if b.total() >= MIN_WORDS]
    if len(judged) < 2:
        return ()
    best = best_matches([bags[i] for i in judged])
    return tuple(articles[i].id for i, score in zip(judged, best, strict=True) if score < MIN_BEST_MATCH)


def warning(odd: Sequence[str], n_reports: int) -> str | None:
    """The brief's line about reports off the story, or None when there are none."""
    if not odd:
        return None
    names = ", ".join(f"'{a}'" for a in odd[:MAX_NAMED]) + (
        f" and {len(odd) - MAX_NAMED} more" if len(odd) > MAX_NAMED else ""
    )
    if len(odd) == n_reports:
        return f"reports {names} share little with each other: is this one story?"
    noun = "report" if len(odd) == 1 else "reports"
    verb = "shares" if len(odd) == 1 else "share"
    return f"{noun} {names} {verb} little with the others: is this one story?"
