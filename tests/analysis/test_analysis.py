from __future__ import annotations

from tests.conftest import needs_seeds


def test_example_coverage(example_brief) -> None:  # type: ignore[no-untyped-def]
    cov = {c.source: c for c in example_brief.analysis.coverage}
    assert set(cov) == {s.id for s in example_brief.sources}
    claims = {c.id: c for c in example_brief.analysis.claims}
    for c in cov.values():
        assert 0 <= c.share <= 1
        assert all(claims[i].sources == (c.source,) for i in c.unique_claims)
        assert all(c.source not in claims[i].sources and len(claims[i].sources) >= 2 for i in c.missing_claims)
    # the Ledger alone states the allegation as fact: one of its unique claims
    assert any("putting passengers at risk" in claims[i].text for i in cov["ledger-opening"].unique_claims)


def test_example_timeline(example_brief) -> None:  # type: ignore[no-untyped-def]
    tl = example_brief.analysis.timeline
    assert [t.date for t in tl] == sorted(t.date for t in tl)
    opening = [t for t in tl if t.date == "2026-03-14"]
    # the previews mention the opening day too, but only expected it: never cited for "opened"
    assert opening and set(opening[0].sources) == {"metrowire-opening", "harbour-daily", "ledger-opening"}
    assert opening[0].mentions >= 5


@needs_seeds
def test_seed_timeline_uses_dates_inferred_from_other_reports(seed_brief) -> None:  # type: ignore[no-untyped-def]
    a = seed_brief.analysis
    assert "001_4eb3afbfb332bad3" in a.inferred_dates  # undated report, dated like the other reports
    assert a.published["000_97729ee29aeadbe7"] is None  # an undated preview stays undated
    dates = {t.date: t for t in a.timeline}
    assert "2025-01-17" in dates and len(dates["2025-01-17"].sources) >= 3  # "Friday"
    assert "2024-06" in dates  # "In June 2024" and "in June" (North Korea treaty)
