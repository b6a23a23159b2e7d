from __future__ import annotations

from tests.conftest import needs_seeds


def test_example_stance_with_cues(example_brief) -> None:  # type: ignore[no-untyped-def]
    st = {s.source: s for s in example_brief.analysis.stances}
    assert st["courier-preview"].stance == "anticipates" and any("set to" in c for c in st["courier-preview"].cues)
    assert st["metrowire-preview"].stance == "anticipates"
    assert {st[k].stance for k in ("harbour-daily", "ledger-opening", "metrowire-opening")} == {"reports"}


def test_example_event(example_brief) -> None:  # type: ignore[no-untyped-def]
    ev = example_brief.analysis.event
    assert ev.date == "2026-03-14"  # "on Saturday" in reports of 14 and 15 March
    assert "Ingrid Solberg" in ev.participants
    assert set(ev.sources) <= {"harbour-daily", "ledger-opening", "metrowire-opening"}


@needs_seeds
def test_seed_stance_and_event(seed_brief) -> None:  # type: ignore[no-untyped-def]
    st = {s.source[:3]: s.stance for s in seed_brief.analysis.stances}
    assert st == {"000": "anticipates", "001": "reports", "002": "reports", "003": "reports", "004": "anticipates"}
    ev = seed_brief.analysis.event
    assert ev.date == "2025-01-17" and ev.place == "Moscow"
    assert {"Vladimir Putin", "Masoud Pezeshkian"} <= set(ev.participants)


def _who(nlp, texts: list[str], title: str) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The event's participants of a brief of these reports."""
    from newsweave import brief
    from newsweave.model import Article

    arts = [Article(id=f"r{i}", text=t, title=title) for i, t in enumerate(texts)]
    return brief(arts, nlp=nlp, embeddings=False).analysis.event.participants


def test_who_leaves_out_datelines_places_and_affiliations(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "BRENMOOR, Vt. (AP) — Homeland Security Secretary Karin Vold opened the new Brenmoor border station on "
        "Tuesday, with Mayor Tomas Eklund of Oldmere beside her.\nThe station cost $40 million and took two years.",
        "Brenmoor, VT - Homeland Security Secretary Karin Vold opened a $40 million border station in Brenmoor on "
        "Tuesday.\nMayor Tomas Eklund of Oldmere said the station would cut waiting times.",
        "Homeland Security Secretary Karin Vold on Tuesday opened the border station at Brenmoor, which took two "
        "years to build.\nTomas Eklund, the mayor of Oldmere, attended.",
    ]
    who = _who(nlp, texts, "Border station opens")
    # the dateline, "at Brenmoor" and the department in the secretary's title are not actors
    assert who == ("Karin Vold", "Tomas Eklund")


def test_who_leaves_out_modifiers_outlets_and_products(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Drugmaker Halden Pharma said on Monday that its vaccine was 90% effective, Brask affiliate KBRN reported.\n"
        "The trial ran in six countries.",
        "Halden Pharma announced on Monday that its vaccine was more than 90% effective in a trial of Northgate "
        "University students.\nThe Veltrax injector that gives it is sold as the Veltrax 2.",
    ]
    who = _who(nlp, texts, "Vaccine works")
    # the station that reported, the university that qualifies "students" and the product
    # written with its model number are not who took part
    assert who == ("Halden Pharma",)


def test_who_is_the_country_that_acts_when_no_person_or_organisation_does(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Valdoria has admitted that its air defences shot down a cargo plane on Thursday.\n"
        "The plane crashed near the border.",
        "Valdoria acknowledged on Saturday that it had shot down the cargo plane by mistake.\nAll six crew died.",
    ]
    assert _who(nlp, texts, "Valdoria admits downing plane") == ("Valdoria",)
