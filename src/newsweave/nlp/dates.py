"""Temporal expressions in news text, resolved against the report's publication date.

Hand-written because the rules are news-specific and ours to tune: "on Friday" in a
report is the Friday before publication (after it, if the sentence looks ahead),
"in June" is the closest June to the publication date in the sentence's direction, and
the granularity (day, month, year) is kept rather than faked to a day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.lexicon import LOOKING_AHEAD, MONTH_NAMES, SAID_BEFORE_DATE, WEEKDAY_NAMES, alternation
from newsweave.model import Granularity, TimeExpr

MONTHS = {m: i for i, names in enumerate(MONTH_NAMES, start=1) for m in names}
WEEKDAYS = {d: i for i, d in enumerate(WEEKDAY_NAMES)}

# Built from the lexicon's month names (longest first): the hand-written pattern it replaced also
# matched "Sepember" (sep + ember), which no month name is, and the brief failed on it (KeyError).
_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.I)),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d{{2}})(?![\d:])", re.I)),
    ("dm", re.compile(rf"\b{_DAY}\s+{_MONTH}\b(?!\s*,?\s*(?:19|20)\d{{2}})", re.I)),
    ("my", re.compile(rf"\b(?:(?P<part>early|mid|late)[\s-]+)?{_MONTH}\s*,?\s+{_YEAR}\b", re.I)),
    (
        "in_month",
        re.compile(
            rf"\b(?:in|since|by|until|from|last|next|this|early|mid|late|during)\s+(?:(?P<part>early|mid|late)[\s-]+)?{_MONTH}\b(?!\s+[0-3]?\d\b)(?!\s*,?\s*(?:19|20)\d{{2}})",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|since|by|until|from|during|of|early|mid|late|before|after)\s+(?:(?P<part>early|mid|late)[\s-]+)?{_YEAR}\b(?!-)",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?P<rel>last|next|this|on|late|early)?\s*(?P<wd>{alternation(WEEKDAY_NAMES)})\b",
            re.I,
        ),
    ),
    ("relday", re.compile(r"\b(?P<rel>today|yesterday|tomorrow|tonight)\b", re.I)),
    ("relyear", re.compile(r"\b(?P<rel>last|next|this)\s+year\b", re.I)),
    ("relmonth", re.compile(r"\b(?P<rel>last|next|this)\s+month\b", re.I)),
]
_SAID = re.compile(rf"\b(?:{alternation(SAID_BEFORE_DATE)})\b(?:\s+\w+)?\s*$", re.I)
# Words that put a sentence after its publication date: "will sign on Friday".
_AHEAD = re.compile(rf"\b(?:{alternation(LOOKING_AHEAD)})\b", re.I)


# --- Dates of reports: a metadata field or a date line ("Saturday, Jan 18, 2025") -----------
# The one parser of a report's own date: ingest (text date lines, JSONL and --meta fields),
# the stories' --since/--until, the analysis (publication dates) and the evaluation
# (Timeline17's document dates) all read dates through these three functions.

_LINE_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?"
_LINE_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_LINE_TIME = r"(?:[\s,|–-]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?"
DATE_LINE_PATTERNS = (
    re.compile(
        r"^(?:published|updated|posted)?:?\s*"
        + _LINE_WEEKDAY
        + _LINE_MONTH
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
        + _LINE_TIME
        + r"$",
        re.I,
    ),
    re.compile(
        r"^(?:published|updated|posted)?:?\s*"
        + _LINE_WEEKDAY
        + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
        + _LINE_MONTH
        + r",?\s+(?P<year>\d{4})"
        + _LINE_TIME
        + r"$",
        re.I,
    ),
    re.compile(
        r"^(?:published|updated|posted)?:?\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ][\d:.+Z-]*)?$", re.I
    ),
)


def said_just_before(text: str, start: int, window: int) -> bool:
    """A verb of saying right before `start` ("officials said on Thursday"): the date that
    follows is the day of the saying, not of the event."""
    return _SAID.search(text[max(0, start - window) : start]) is not None


def parse_iso(value: str | None) -> date | None:
    """The date an ISO date or timestamp opens with ("2025-01-17T09:30Z"); None when unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def normalize_date(value: str | None) -> str | None:
    """ISO date from an ISO timestamp or a written date; None when unreadable."""
    if not value:
        return None
    v = value.strip()
    if len(v) >= 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
        return v[:10]
    return parse_date_line(v)


def parse_date_line(line: str) -> str | None:
    """ISO date if the whole line is a date ("Saturday, Jan 18, 2025"), else None."""
    text = line.strip()
    if len(text) > 60:
        return None
    for pattern in DATE_LINE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        month_raw = m.group("month").lower().rstrip(".")
        month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw)
        if month is None:
            return None
        try:
            return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
        except ValueError:
            return None
    return None


def resolve(text: str, published: date | None, *, approximate: bool = False) -> list[TimeExpr]:
    """Every temporal expression in `text` that can be placed on the calendar.

    Relative ones ("Friday", "last year", "in June") need the publication date and are left
    out without it; absolute ones ("25 April 2009") never do. With `approximate`, the date
    is only known to within days, so relative days ("Friday") are left out too."""
    ahead = bool(_AHEAD.search(text))
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            # "is set to open Saturday, officials said on Thursday": the saying is past
            said = said_just_before(text, m.start(), 16)
            expr = _resolve_one(kind, m, published, ahead and not said)
            if expr is None or (approximate and expr.relative and expr.granularity == "day"):
                continue
            taken.append((m.start(), m.end()))
            out.append(expr)
    # "Saturday, 25 April 2009": the weekday names the written date, it is not a second one
    full = [e for e in out if not e.relative and e.granularity == "day"]
    out = [
        e
        for e in out
        if not (e.relative and e.text.lower().rstrip().split()[-1] in WEEKDAYS and _next_to(e, full, text))
    ]
    return sorted(out, key=lambda e: e.start)


def _next_to(e: TimeExpr, full: list[TimeExpr], text: str) -> bool:
    return any(0 <= f.start - e.end <= 4 and not text[e.end : f.start].strip(" ,") for f in full)


def _month(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").lower().rstrip(".")]


def _resolve_one(kind: str, m: re.Match[str], pub: date | None, ahead: bool) -> TimeExpr | None:
    g = m.groupdict()
    part = (g.get("part") or "").lower() or None

    def make(value: str, gran: Granularity, relative: bool = False) -> TimeExpr:
        return TimeExpr(
            text=m.group(0).strip(),
            start=m.start(),
            end=m.end(),
            value=value,
            granularity=gran,
            qualifier=part,
            relative=relative,
        )

    if kind == "iso":
        d = _safe_date(int(g["year"]), int(g["m"]), int(g["day"]))
        return make(d.isoformat(), "day") if d else None
    if kind in ("mdy", "dmy"):
        d = _safe_date(int(g["year"]), _month(m), int(g["day"]))
        return make(d.isoformat(), "day") if d else None
    if kind == "my":
        return make(f"{int(g['year']):04d}-{_month(m):02d}", "month")
    if kind == "year":
        return make(f"{int(g['year']):04d}", "year")
    if pub is None:
        return None
    if kind in ("md", "dm"):
        month, day = _month(m), int(g["day"])
        year = _nearest_year(pub, month, ahead)
        d = _safe_date(year, month, day)
        return make(d.isoformat(), "day", relative=True) if d else None
    if kind == "in_month":
        month = _month(m)
        word = m.group(0).split()[0].lower()
        if word == "last":
            year = pub.year if month < pub.month else pub.year - 1
        elif word == "next":
            year = pub.year if month > pub.month else pub.year + 1
        elif word == "this":
            year = pub.year
        else:
            year = _nearest_year(pub, month, ahead)
        return make(f"{year:04d}-{month:02d}", "month", relative=True)
    if kind == "weekday":
        rel = (g.get("rel") or "").lower()
        target = WEEKDAYS[g["wd"].lower()]
        forward = bool(re.search(r"\b(?:until|till)\s*$", m.string[max(0, m.start() - 8) : m.start()], re.I))
        if rel == "next" or forward or (ahead and rel != "last"):
            delta = (target - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=delta)
        else:
            delta = (pub.weekday() - target) % 7
            if rel == "last" and delta == 0:
                delta = 7
            d = pub - timedelta(days=delta)
        return make(d.isoformat(), "day", relative=True)
    if kind == "relday":
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
        return make((pub + timedelta(days=shift)).isoformat(), "day", relative=True)
    if kind == "relyear":
        shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        return make(f"{pub.year + shift:04d}", "year", relative=True)
    if kind == "relmonth":
        shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        y, mo = divmod(pub.year * 12 + pub.month - 1 + shift, 12)
        return make(f"{y:04d}-{mo + 1:02d}", "month", relative=True)
    return None


def _nearest_year(pub: date, month: int, ahead: bool) -> int:
    """The year that puts `month` on the right side of the publication date: a report
    speaks of the past unless the sentence looks ahead ("in June" read in January 2025
    is June 2024, but "will open in June" is June 2025)."""
    if ahead:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _safe_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None
