"""The "is this one story?" check: quiet on real clusters, loud on unrelated reports."""

from __future__ import annotations

from newsweave import brief
from newsweave.analysis.coherence import best_matches, odd_ones, vocabulary, warning
from newsweave.clean import clean
from newsweave.ingest import load
from newsweave.model import Article
from tests.conftest import EXAMPLE, SEEDS, needs_seeds

# Invented reports on subjects far from the example's metro line (and from each other).
CHEESE = Article(
    id="cheese-fair",
    outlet="Valley Farmer",
    title="Record crowds at the Oldmere cheese fair",
    text=(
        "More than 12,000 visitors came to the Oldmere cheese fair on Saturday, the organisers said, "
        "the largest crowd in the fair's forty-year history.\n"
        "Dairy farmers from six counties brought aged cheddars, blue cheeses and goat's milk rounds "
        "to the judging tent, where a panel of cheesemakers tasted 340 entries.\n"
        "The champion cheese, a cloth-bound cheddar matured for thirty months, came from a small "
        "farm near Hollin Ford that milks eighty cows.\n"
        "Stallholders said sales of raw-milk cheeses had doubled since last year's fair, and several "
        "sold out before noon. The fair returns next September."
    ),
)
CHESS = Article(
    id="chess-open",
    outlet="Board Games Weekly",
    title="Teenager wins the Brantholm chess open",
    text=(
        "Sixteen-year-old Mira Tolvanen won the Brantholm chess open on Sunday, beating three "
        "grandmasters on her way to a perfect score of nine points from nine games.\n"
        "Tolvanen, who learned the game from her grandfather, sacrificed a rook in the final round "
        "to force checkmate against the tournament's top seed after forty-one moves.\n"
        "The open drew 220 players from fourteen countries to the Brantholm library hall, where the "
        "games were broadcast on boards in the lobby.\n"
        "Her rating is expected to pass 2,500 next month, which would make her a grandmaster candidate."
    ),
)


def _example() -> list[Article]:
    return list(load([EXAMPLE]).articles)


def test_the_example_and_the_seeds_are_one_story() -> None:
    assert odd_ones(clean(_example())) == ()


@needs_seeds
def test_the_seed_cluster_is_one_story() -> None:
    assert odd_ones(clean(load([SEEDS]).articles)) == ()


def test_unrelated_reports_mixed_into_the_example_are_named() -> None:
    odd = odd_ones(clean([*_example(), CHEESE, CHESS]))
    assert set(odd) == {"cheese-fair", "chess-open"}
    line = warning(odd, 7)
    assert line == "reports 'cheese-fair', 'chess-open' share little with the others: is this one story?"


def test_three_sites_on_three_subjects_warn_and_skip(nlp) -> None:  # type: ignore[no-untyped-def]
    metro = next(a for a in _example() if a.id == "ledger-opening")
    b = brief([metro, CHEESE, CHESS], nlp=nlp, embeddings=False, analysis=False)
    # cleaning already drops the chess report whole (its lines are off every shared topic), and says so
    assert [s.path for s in b.skipped] == ["chess-open"]
    assert b.warnings == ("reports 'ledger-opening', 'cheese-fair' share little with each other: is this one story?",)


def test_one_report_or_reports_too_short_to_judge_never_warn() -> None:
    assert odd_ones(clean([CHEESE])) == ()
    stubs = [Article(id="a", text="Cheese fair opens."), Article(id="b", text="Chess open ends.")]
    assert odd_ones(clean(stubs)) == ()
    assert warning((), 3) is None


def test_word_forms_meet_and_unrelated_vocabularies_do_not() -> None:
    a = vocabulary("Democrats voted; the Democratic senators said the vote was close.")
    b = vocabulary("A Democrat senator voted against it.")
    c = vocabulary("Bananas ripen in tropical plantations.")
    ab, _, ca = best_matches([a, b, c])
    assert ab > 0.5 and ca == 0.0


def test_brief_carries_the_warning_and_names_the_odd_ones(nlp) -> None:  # type: ignore[no-untyped-def]
    mixed = brief([*_example(), CHEESE, CHESS], nlp=nlp, embeddings=False, analysis=False)
    assert mixed.warnings == ("reports 'cheese-fair', 'chess-open' share little with the others: is this one story?",)


def test_the_example_brief_has_no_warning(example_brief) -> None:  # type: ignore[no-untyped-def]
    assert example_brief.warnings == ()
