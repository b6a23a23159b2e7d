from __future__ import annotations

from datetime import date

from newsweave.analysis.timeline import build, most_mentioned
from newsweave.model import DatedSentence


def _s(aid: str, i: int, pub: date, text: str) -> DatedSentence:
    return DatedSentence(id=f"{aid}:{i}", article_id=aid, published=pub, text=text)


SENTENCES = [
    _s(
        "a",
        0,
        date(2026, 3, 14),
        "Caldenport opened its Harbour Line metro on Saturday, and thousands rode the first trains.",
    ),
    _s("a", 1, date(2026, 3, 14), "Construction began in March 2020 after years of debate."),
    _s(
        "b",
        0,
        date(2026, 3, 15),
        "The Harbour Line opened to passengers on Saturday with thousands of riders on the first trains.",
    ),
    _s("b", 1, date(2026, 3, 15), "The union alleged on March 1 that two inspections had been skipped."),
    _s("c", 0, date(2026, 3, 12), "The Harbour Line is set to open on Saturday, city officials said on Thursday."),
    _s("c", 1, date(2026, 3, 12), "Work on the line started in March 2020."),
]


def test_dates_shared_by_sources_make_the_timeline() -> None:
    tl = build(SENTENCES)
    dates = [e.date for e in tl]
    assert dates == sorted(dates)
    opening = [e for e in tl if e.date == "2026-03-14"]
    assert len(opening) == 1 and set(opening[0].sources) == {"a", "b", "c"}
    assert "opened" in opening[0].text
    start = [e for e in tl if e.date == "2020-03"]
    assert start and start[0].granularity == "month" and set(start[0].sources) == {"a", "c"}
    # March 1 is reported by one outlet only: it is a dated event all the same, cited by it alone
    (march1,) = [e for e in tl if e.date == "2026-03-01"]
    assert march1.sources == ("b",)
    assert "2026-03-01" not in [e.date for e in build(SENTENCES, min_sources=2)]


def test_entries_cite_only_the_sources_that_carry_them() -> None:
    # the preview "c" mentions the opening day too, but only expected it: the evidence model
    # (given as `support`) does not count it among the sources of "opened"
    carried = {"a:0": ("a", "b"), "b:0": ("b", "a")}
    tl = build(SENTENCES, support=lambda sid, _among: carried.get(sid, (sid.split(":")[0],)))
    (opening,) = [e for e in tl if e.date == "2026-03-14"]
    assert set(opening.sources) == {"a", "b"} and opening.mentions == 3


def test_single_source_story_keeps_its_dates() -> None:
    tl = build([s for s in SENTENCES if s.article_id == "b"])
    assert {e.date for e in tl} == {"2026-03-14", "2026-03-01"}


def test_max_dates_and_baseline() -> None:
    assert len(build(SENTENCES, max_dates=1)) == 1
    base = most_mentioned(SENTENCES, max_dates=2)
    assert base[0].date <= base[-1].date and all(e.granularity == "day" for e in base)
    assert build([]) == ()
