from __future__ import annotations

from datetime import date

import pytest

from newsweave.nlp.dates import resolve

SAT = date(2025, 1, 18)  # a Saturday: the day the seed cluster's reports came out


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("The pact, announced Friday during Pezeshkian's first official visit.", "2025-01-17", "day"),
        ("Putin and Pezeshkian will sign the treaty on Friday.", "2025-01-24", "day"),
        ("The treaty is set to be signed, officials said on Thursday.", "2025-01-16", "day"),
        ("Russia and North Korea signed a similar agreement in June.", "2024-06", "month"),
        ("In June 2024, Russia and North Korea signed a partnership agreement.", "2024-06", "month"),
        ("In late October, Putin met Pezeshkian at the BRICS summit in Kazan.", "2024-10", "month"),
        ("Iran joined the BRICS bloc last year.", "2024", "year"),
        ("Ties have grown closer since 2013.", "2013", "year"),
        ("Trump takes office on Jan. 20.", "2025-01-20", "day"),
        ("On January 17, 2025 the treaty was signed.", "2025-01-17", "day"),
        ("The report of 25 April 2009 warned of a pandemic.", "2009-04-25", "day"),
        ("The ministers met yesterday in Moscow.", "2025-01-17", "day"),
        ("Growth slowed in early 2022, the ministry said.", "2022", "year"),
    ],
)
def test_resolves_against_the_publication_date(text: str, value: str, granularity: str) -> None:
    got = resolve(text, SAT)
    assert [(e.value, e.granularity) for e in got] == [(value, granularity)], got


def test_keeps_the_qualifier_and_marks_relative_dates() -> None:
    (late,) = resolve("In late October, Putin met Pezeshkian.", SAT)
    assert late.qualifier == "late" and late.relative
    (full,) = resolve("On January 17, 2025 the treaty was signed.", SAT)
    assert not full.relative and full.text == "January 17, 2025"


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve("The pact was announced on Friday.", None) == []
    assert [e.value for e in resolve("The pact was signed on 17 January 2025.", None)] == ["2025-01-17"]


def test_a_weekday_beside_a_full_date_is_the_same_day() -> None:
    got = resolve("Susan Watts | 18:00 UK time , Saturday , 25 April 2009 Experts are concerned", SAT)
    assert [e.value for e in got] == ["2009-04-25"]


def test_no_false_dates() -> None:
    assert resolve("The 11-station line opened at 6 a.m. with 41,000 riders.", SAT) == []
    assert resolve("May I ask a question, said the minister.", SAT) == []
