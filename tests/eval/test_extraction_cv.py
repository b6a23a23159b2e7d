from __future__ import annotations

from collections import Counter

from newsweave.clean import Profile
from newsweave.eval.extraction import Page, page_counts, set_scores
from newsweave.eval.extraction_cv import EMPTY, Outputs, fold_of, removed_by_rule, select
from newsweave.eval.gate import compare
from newsweave.ingest.html import Extraction

STORY = (
    "<p>The port of Vessmark reopened on Tuesday after a storm closed it for three days and "
    "kept fourteen ships waiting offshore.</p>"
    "<p>Harbour master Elin Dahl said cargo would move normally by Thursday, and that the breakwater had held "
    "against the highest waves recorded this decade.</p>"
)


def _page(key: str, body: str, *, with_: tuple[str, ...], without: tuple[str, ...] = ()) -> Page:
    html = f"<html><head><title>{key}</title></head><body><article><h1>{key}</h1>{body}</article></body></html>"
    return Page(set="trafilatura", key=key, html=html, with_=with_, without=without)


def test_folds_are_stable_and_spread() -> None:
    pages = [Page(set="scrapinghub", key=f"p{i}", html="", body="") for i in range(200)]
    folds = [fold_of(p, 5) for p in pages]
    assert folds == [fold_of(p, 5) for p in pages]
    assert all(25 <= n <= 55 for n in Counter(folds).values())


def test_selection_adds_a_rule_only_where_it_pays() -> None:
    # Share rows inside the article body: the furniture rule cuts them and nothing else.
    noisy = [
        _page(
            f"Port story {i}",
            STORY + "<p>Share this article</p><p>Sign up</p>",
            with_=("reopened on Tuesday", "breakwater had held"),
            without=("Share this article",),
        )
        for i in range(3)
    ]
    # Subheads a headline rule would take for a list of links.
    subheads = _page(
        "Port guide",
        "<h2>Where The Ships Wait Offshore</h2><p>Fourteen ships waited in the roads off Vessmark for three days "
        "while the storm blew.</p><h2>When The Cargo Moves Again</h2><h2>What The Harbour Master Said</h2>"
        "<h2>How The Breakwater Held Up</h2>" + STORY,
        with_=("Where The Ships Wait Offshore", "When The Cargo Moves Again", "reopened on Tuesday"),
    )
    out = Outputs([*noisy, subheads])
    options, profile = select(out, range(4))
    assert "chrome" in profile.rules
    assert "headline-list" not in profile.rules and "headline" not in profile.rules
    assert isinstance(options, Extraction)
    assert out.objective((options, profile), range(4)) > out.objective((options, EMPTY), range(4))


def test_removed_lines_the_truth_holds_are_counted_per_rule() -> None:
    page = Page(set="scrapinghub", key="p", html="", body="Kate Henshaw won the award in 2008. WINNERS")
    damage = removed_by_rule([page], [["fragment: WINNERS", "chrome: Share this article", "fragment: "]])
    by_rule = {d.rule: d for d in damage}
    assert by_rule["fragment"].story_lines == 1 and by_rule["fragment"].story_tokens == 1
    assert by_rule["chrome"].story_lines == 0 and by_rule["chrome"].noise_lines == 1


def test_scores_per_page_add_up_per_set() -> None:
    sh = Page(set="scrapinghub", key="a", html="", body="one two three four")
    tr = Page(set="trafilatura", key="b", html="", with_=("one two",), without=("five",))
    scores = set_scores([sh, tr], [page_counts(sh, "one two"), page_counts(tr, "One  two five")])
    assert round(scores["scrapinghub"].recall, 2) == 0.5 and scores["scrapinghub"].precision == 1.0
    assert scores["trafilatura"].recall == 1.0 and scores["trafilatura"].precision == 0.5


def test_gate_holds_the_cross_validated_figure_with_the_f1_tolerance() -> None:
    baseline = {"extraction": {"scrapinghub": {"f1": 98.0, "cv_f1": 97.0}}}
    assert compare({"extraction": {"scrapinghub": {"f1": 98.0, "cv_f1": 96.6}}}, baseline) == []
    failures = compare({"extraction": {"scrapinghub": {"f1": 98.0, "cv_f1": 96.4}}}, baseline)
    assert len(failures) == 1 and "cv_f1" in failures[0]


def test_profile_defaults_run_every_rule() -> None:
    assert Profile().rules >= {"chrome", "headline-list", "fragment"}


def test_jsonld_article_body_and_second_opinion() -> None:
    from newsweave.eval.extraction_alternatives import _pick, jsonld_body

    body = "The port of Vessmark reopened on Tuesday."
    html = (
        '<html><head><script type="application/ld+json">'
        '{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "articleBody": "' + body + '"}]}'
        '</script><script type="application/ld+json">{not json</script></head><body><p>x</p></body></html>'
    )
    assert jsonld_body(html) == body
    assert jsonld_body("<html><body><p>No JSON-LD here.</p></body></html>") is None
    ours, longer = "Share this", "The port of Vessmark reopened on Tuesday after the storm."
    assert _pick(ours, longer, 0.5) == longer  # they disagree: the longer one
    assert _pick(longer, longer + " More.", 0.5) == longer  # they agree: ours
