from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsweave.nlp.dates import normalize_date, parse_date_line, parse_iso, resolve

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


# --- the one parser of a report's own date (pinned on today's behaviour before it moved here
# from clean/lines.py and ingest/jsonl.py)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Saturday, Jan 18, 2025", "2025-01-18"),
        ("Published: January 17, 2025 at 10:32 a.m. EST", "2025-01-17"),
        ("Updated Sat. 18 January 2025 | 09:15 GMT", "2025-01-18"),
        ("Tues, 4 March 2025 - 14:00", "2025-03-04"),
        ("18th Jan 2025", "2025-01-18"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("May 1st 2025", "2025-05-01"),
        ("Posted: 2025-01-17", "2025-01-17"),
        ("2009-04-25 18:00", "2009-04-25"),
        ("February 30, 2025", None),  # no such day
        ("Jan 2025", None),  # a month is not a publication date
        ("Reuters", None),
        ("17/01/2025", None),
        ("On Friday, Jan 17, 2025, Putin signed the treaty in Moscow.", None),  # a sentence, not a date line
    ],
)
def test_date_line(line: str, iso: str | None) -> None:
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-01-17T09:30:00+03:00", "2025-01-17"),
        ("2025-01-17", "2025-01-17"),
        (" Saturday, Jan 18, 2025 ", "2025-01-18"),
        ("Jan 18, 2025", "2025-01-18"),
        # The ISO shape is trusted, not checked: --meta checks the day itself.
        ("2025-02-30", "2025-02-30"),
        ("2025-1-7", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value: str | None, iso: str | None) -> None:
    assert normalize_date(value) == iso


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2025-01-17", date(2025, 1, 17)),
        ("2025-01-17T09:30:00Z", date(2025, 1, 17)),
        ("2009-04-25 18:00", date(2009, 4, 25)),
        ("2025-02-30", None),
        ("Jan 18, 2025", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_iso(value: str | None, day: date | None) -> None:
    assert parse_iso(value) == day


def test_every_reader_of_a_report_date_calls_the_one_parser() -> None:
    from newsweave.clean import lines
    from newsweave.ingest import jsonl
    from newsweave.ingest.text import parse_text

    assert jsonl.normalize_date is normalize_date
    assert not hasattr(lines, "parse_date_line") and not hasattr(lines, "DATE_LINE_PATTERNS")
    article = parse_text("Saturday, Jan 18, 2025\nMetro strike ends\n\nThe strike ended.", article_id="a")
    assert article.published == "2025-01-18"
    assert article.title == "Metro strike ends"


def test_timeline17_document_dates_read_through_parse_iso(tmp_path: Path) -> None:
    import gzip
    import json

    from newsweave.eval.timelines import load_topic

    arts = [{"uid": "1", "dct": "2009-04-25", "text": "Experts are clearly extremely concerned about the virus ."}]
    (tmp_path / "articles.json.gz").write_bytes(gzip.compress(json.dumps(arts).encode()))
    tl = [{"date": "2009-04-25", "text": "WHO warns of a pandemic."}]
    (tmp_path / "a.timeline.json.gz").write_bytes(gzip.compress(json.dumps(tl).encode()))
    topic = load_topic(tmp_path)
    assert topic is not None
    assert topic.span == (date(2009, 4, 25), date(2009, 4, 25))
    assert topic.sentences[0].published == date(2009, 4, 25)


def test_a_misspelt_month_is_no_date_and_no_crash() -> None:
    """ "Sepember" once matched the month pattern (sep + ember) and failed the brief with a KeyError."""
    from datetime import date

    from newsweave.nlp.dates import resolve

    assert resolve("The treaty was signed on Sepember 5 in Moscow.", date(2025, 1, 18)) == []
    values = [t.value for t in resolve("Signed on Sept. 5 and on September 6, 2024.", date(2025, 1, 18))]
    assert values == ["2024-09-05", "2024-09-06"]
