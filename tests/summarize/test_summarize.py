from __future__ import annotations

import pytest

from newsweave.analysis.support import features, idf
from newsweave.nlp.embed import load_encoder
from newsweave.nlp.entities import entity_terms, resolve
from newsweave.summarize import NAMES, StoryText, get
from newsweave.summarize.base import words
from newsweave.summarize.coverage import min_sources, stands_alone


def _story(analyzed) -> StoryText:  # type: ignore[no-untyped-def]
    feats = features(analyzed, entity_terms(analyzed, resolve(analyzed)), load_encoder())
    return StoryText(articles=analyzed, features=feats, weights=idf(feats))


@pytest.fixture(scope="module")
def example_story(example_analyzed):  # type: ignore[no-untyped-def]
    return _story(example_analyzed)


@pytest.mark.parametrize("name", sorted(NAMES))
@pytest.mark.parametrize("budget", [40, 150])
def test_every_summarizer_respects_the_budget(example_story, name: str, budget: int) -> None:  # type: ignore[no-untyped-def]
    chosen = get(name).select(example_story, budget)
    assert chosen, name
    assert sum(words(s.text) for s in chosen) <= budget
    assert len({s.id for s in chosen}) == len(chosen)
    known = {s.id for s in example_story.sentences()}
    assert {s.id for s in chosen} <= known


def test_unknown_summarizer_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="lexrank"):
        get("gpt")


def test_lead_takes_opening_sentences_round_robin(example_story) -> None:  # type: ignore[no-untyped-def]
    chosen = get("lead").select(example_story, 80)
    assert all(s.index <= 1 for s in chosen)
    assert len({s.article_id for s in chosen}) >= 3


def test_newsweave_prefers_what_sources_agree_on(example_story) -> None:  # type: ignore[no-untyped-def]
    """What several sources carry comes first, and more of it than any baseline picks; what
    one source alone says fills only the rest (so the mean over those alone is the floor)."""
    from newsweave.analysis.support import supporters

    order = [a.id for a in example_story.articles]

    def counts(name: str) -> list[int]:
        chosen = get(name).select(example_story, 150)
        return [len(supporters(s.id, example_story.features, example_story.weights, order).sources) for s in chosen]

    def mean(n: list[int]) -> float:
        return sum(n) / len(n)

    ours = counts("newsweave")
    several = [k for k in ours if k >= 2]
    assert len(several) >= len(ours) - 1 and mean(several) >= 2.5, ours
    for baseline in ("random", "lexrank", "lead", "centroid"):
        assert mean(ours) > mean(counts(baseline)), baseline


def test_newsweave_avoids_dangling_and_redundant_sentences(example_story) -> None:  # type: ignore[no-untyped-def]
    chosen = get("newsweave").select(example_story, 150)
    # a sentence that leans on the one before it ("Its chief executive ...") comes only with
    # that sentence, which the reading order keeps right before it
    picked = {(s.article_id, s.index) for s in chosen}
    assert all(stands_alone(s.text) or (s.article_id, s.index - 1) in picked for s in chosen)
    texts = [s.text for s in chosen]
    assert not any("set to open" in t or "expected to open" in t for t in texts), texts  # the event happened


def test_stands_alone() -> None:
    assert not stands_alone("He said the treaty was not aimed at anyone.")
    assert not stands_alone('"It is a new chapter," she said.')
    assert not stands_alone("This agreement follows a similar pact with North Korea.")
    assert stands_alone("Kremlin spokesman Dmitry Peskov said the signing was long planned.")


def test_min_sources_grows_with_the_cluster() -> None:
    assert [min_sources(n) for n in (1, 2, 5, 6, 10)] == [1, 1, 2, 2, 3]
