"""Figures a sentence states, with what they count and how exactly: "more than 178,000
arrests", "5.8%" of the S&P 500, "six weeks". Two reports that give different values for
the same quantity of the same event dispute it (issue 13: every value is shown with its
sources), while "more than 188,000" and "188,829" agree.

Hand-written: a quantity here is a number with the word it counts, read from a window of
words after it, and its hedge ("nearly", "at least") as an interval. spaCy's parse would
attach the number to its noun, but the analysis keeps no parse, and the anchors' conflicts
are all of this "number, then the counted noun" shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsweave.lexicon import (
    APPROX_ABOVE,
    APPROX_AROUND,
    APPROX_BELOW,
    COLLECTIVE_NOUNS,
    MONTH_NAMES,
    NUMBER_WORDS,
    SCALE_WORDS,
    STOP_WORDS,
    TIME_UNITS,
    alternation,
)

# The slack of a hedge, as a share of the value: "more than 188,000" reads as 188,000 to
# 193,640. 3% keeps the anchors' compatible pairs (188,000+ / 188,829 / nearly 190,000)
# together and their conflicting ones (178,000+ / 188,000+; about 200,000 / over 212,000) apart.
HEDGE = 0.03
# ... or one unit of its last written digit, up to this share: "more than 40" allows 40 to 42.
HEDGE_DIGIT = 0.05
# A round figure ("20 million", "200,000") may itself be rounded by that much.
ROUND = 0.01
# Words read after a number for the noun it counts.
NOUN_WINDOW = 3
STEM = 5  # nouns compared by their first letters: "arrests" / "arrest", "injured" / "injuries"

_HEDGE = re.compile(rf"\b(?P<hedge>{alternation(APPROX_ABOVE + APPROX_BELOW + APPROX_AROUND)})\s+$", re.I)
_MONTHS = {m for names in MONTH_NAMES for m in names}
_QUANTITY = re.compile(
    r"(?<![\w.,:/-])(?P<cur>[$€£])?(?P<num>\d[\d,]*(?:\.\d+)?|"
    + alternation(NUMBER_WORDS)
    + r")(?![\w:/-]|[.,]\d)(?:\s+(?P<scale>"
    + alternation(SCALE_WORDS)
    + r"))?(?:\s*(?P<pct>%|percent\b|per cent\b))?",
    re.I,
)
_WORD = re.compile(r"[a-z][a-z'-]*", re.I)
_OPENING = re.compile(r"[a-z][\w&'-]*", re.I)
_TIME_STEMS = frozenset(w[:STEM] for w in TIME_UNITS)
_SKIPPED = frozenset({"more", "additional", "other", "new", "were", "was", "have", "had", "been", "are"})


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    low: float  # the interval the wording allows
    high: float
    key: str  # what is counted: the noun's stem ("arres", "injur", "seats"); "%|incre", "$|settl"
    text: str


@lru_cache(maxsize=65536)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Cached: grouping and the disputes across groups read the same sentences' figures."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        raw = m.group("num")
        word = NUMBER_WORDS.get(raw.lower())
        if word is None and not raw[0].isdigit():
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower().split()
        if before and before[-1].strip(".") in _MONTHS:
            continue  # a date ("April 14"), not a count
        value = float(word if word is not None else raw.replace(",", ""))
        if word is None and "," not in raw and 1900 <= value <= 2100 and not m.group("pct"):
            continue  # a year
        if m.group("scale"):
            value *= SCALE_WORDS[m.group("scale").lower()]
        unit = "%" if m.group("pct") else m.group("cur")
        key = _counted(text[m.end() :], right_after=bool(unit))
        if unit:
            # a share or a sum of what: the noun after it ("a 13 percent increase"), else the
            # clause's first word ("The S&P 500 dropped 5.8%"); "%" alone would set any two
            # percentages of a story against each other
            key = f"{unit}|{key or _opening(text)}"
        if key is None or key in _TIME_STEMS:
            continue
        low, high = _interval(value, raw, bool(m.group("scale")), text[: m.start()])
        out.append(Quantity(value=value, low=low, high=high, key=key, text=m.group(0)))
    return tuple(out)


def _counted(after: str, *, right_after: bool = False) -> str | None:
    """The stem of the noun a number counts: in the words after it, up to the first function
    word, the first plural ("four large parts", "188,000 immigrants trying"), else the first
    word ("12 more injured"); after "people" and its kind, the word that says what happened
    to them instead ("15 people were injured" counts what "15 injured" counts). With
    `right_after` (a share or a sum) the noun must follow at once or after "of" ("59 per cent
    of proxy votes"): "5.8% and the Nasdaq" says nothing of what the 5.8% is."""
    collective: str | None = None
    phrase: list[str] = []
    for w in _WORD.findall(after)[: NOUN_WINDOW + 3]:
        w = w.lower().removesuffix("'s")
        if w in NUMBER_WORDS or w in SCALE_WORDS:
            return None  # "two to three": a range
        if w in _SKIPPED:
            continue
        if w in COLLECTIVE_NOUNS and collective is None and not phrase:
            collective = w[:STEM]
            continue
        if w in STOP_WORDS:
            if phrase or (right_after and w != "of"):
                break
            continue
        phrase.append(w)
        if len(phrase) == NOUN_WINDOW:
            break
    if not phrase:
        return collective
    plural = [w for w in phrase if len(w) > 3 and w.endswith("s") and not w.endswith("ss")]
    return (plural[0] if plural else phrase[0])[:STEM]


def _opening(text: str) -> str:
    """The clause's first content word: what a bare percentage or sum is of."""
    words: list[str] = [w.lower() for w in _OPENING.findall(text)]
    return next((w[:STEM] for w in words if w not in STOP_WORDS), "")


def _interval(value: float, raw: str, scaled: bool, before: str) -> tuple[float, float]:
    m = _HEDGE.search(before[-24:])
    hedge = m.group("hedge").lower() if m else None
    digits = raw.replace(",", "").split(".")[0]
    if hedge:
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.isdigit() and "." not in raw else 0.0
        slack = max(HEDGE * value, min(unit, HEDGE_DIGIT * value))
        if hedge in APPROX_ABOVE:
            return value, value + slack
        if hedge in APPROX_BELOW:
            return value - slack, value
        return value - slack, value + slack
    if scaled or (len(digits) >= 3 and digits.endswith("00")):
        return value * (1 - ROUND), value * (1 + ROUND)
    return value, value


def agreeing(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Two sentences count something in common with values that fit ("more than 40 homes",
    "42 homes"), and give no incompatible ones."""
    shared = [(x, y) for x in a for y in b if x.key == y.key]
    return any(x.low <= y.high and y.low <= x.high for x, y in shared) and not conflicting(a, b)


def conflicting(a: Sequence[Quantity], b: Sequence[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """Pairs of one quantity that two sentences give incompatible values for: the same thing
    counted, intervals that do not meet, and neither sentence giving the other's value too
    (a sentence that gives both figures reports a change, not a dispute)."""
    values_a = {q.value for q in a}
    values_b = {q.value for q in b}
    return [
        (x, y)
        for x in a
        for y in b
        if x.key == y.key and (x.high < y.low or y.high < x.low) and x.value not in values_b and y.value not in values_a
    ]
