from __future__ import annotations

from newsweave.analysis.quantities import agreeing, conflicting, quantities


def _q(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.key) for q in quantities(text)]


def test_a_figure_is_read_with_the_noun_it_counts() -> None:
    assert _q("Agents made more than 178,000 arrests in June, a 3% increase over May.") == [
        (178000.0, "arres"),
        (3.0, "%|incre"),
    ]
    assert _q("Search teams found four large parts of the plane.") == [(4.0, "parts")]
    # "people" says who; what happened to them is what is counted
    assert _q("Four people were killed and at least 12 more injured.") == [(4.0, "kille"), (12.0, "injur")]
    assert _q("15 people were injured") == [(15.0, "injur")]
    assert _q("The Liberals had won 157 of 338 seats.") == [(157.0, "seats"), (338.0, "seats")]
    assert _q("The package rose to $19.6 million.") == [(19600000.0, "$|packa")]


def test_dates_years_times_names_and_spans_are_no_counts() -> None:
    assert _q("The vote is on April 14 at 5:41 p.m., as in 2015.") == []
    assert _q("The COVID-19 rules and the F-35 order stand.") == []
    assert _q("It's been seven years since the console arrived.") == []


def test_a_percentage_is_of_what_follows_or_of_the_clause_subject() -> None:
    # "5.8% and the Nasdaq" says nothing of what the 5.8% is: the clause's subject does
    assert ("%|s&p") in {q.key for q in quantities("The S&P 500 dropped 5.8% and the Nasdaq fell.")}
    assert {q.key for q in quantities("with 59 per cent of proxy votes cast")} == {"%|votes"}


def test_hedged_figures_that_fit_agree_and_others_conflict() -> None:
    over_188 = quantities("Agents stopped more than 188,000 migrants in June.")
    exact = quantities("CBP said 188,829 migrants were stopped in June.")
    nearly_190 = quantities("Nearly 190,000 migrants were stopped in June.")
    over_178 = quantities("Agents stopped more than 178,000 migrants in June.")
    assert not conflicting(over_188, exact) and agreeing(over_188, exact)
    assert not conflicting(over_188, nearly_190)
    assert conflicting(over_178, over_188) and conflicting(over_178, exact)
    # a hedge allows a unit of its last digit: "more than 40" fits 42, not 67
    assert agreeing(quantities("More than 40 homes burned."), quantities("The fire destroyed 42 homes."))
    assert conflicting(quantities("More than 40 homes burned."), quantities("Crews counted 67 homes lost."))
    assert conflicting(quantities("about 200,000 arrests"), quantities("over 212,000 arrests"))


def test_different_things_counted_or_a_sentence_giving_both_values_is_no_conflict() -> None:
    assert not conflicting(quantities("12 people were injured."), quantities("15 people were killed."))
    # a change reported with both figures ("up from 180,034") is not a dispute of either
    both = quantities("CBP counted 188,829 migrants, up from 180,034 migrants in May.")
    assert not conflicting(both, quantities("In May 180,034 migrants were counted."))
