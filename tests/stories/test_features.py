from __future__ import annotations

from dataclasses import replace

from newsweave.ingest import apply_meta, load, load_meta
from newsweave.model import ArticleFeatures
from newsweave.stories.features import day_number, entity_key, extract, jaccard
from tests.conftest import EXAMPLE, EXAMPLE_META


def _example():  # type: ignore[no-untyped-def]
    return apply_meta(load([EXAMPLE]).articles, load_meta(EXAMPLE_META))


def test_features_of_the_example_name_the_story(nlp) -> None:  # type: ignore[no-untyped-def]
    feats = extract(_example(), nlp=nlp)
    assert len(feats) == 5
    for f in feats:
        terms = dict(f.terms)
        assert terms.get("harbour", 0) >= 1 and terms.get("line", 0) >= 1, f.article_id
        assert f.day is not None and f.words > 100
    ents = {e for f in feats for e, _ in f.entities}
    # Surnames key people, so "Mayor Ingrid Solberg" and "Solberg" meet.
    assert "person:solberg" in ents
    assert any(e.startswith("place:") for e in ents)


def test_boilerplate_does_not_reach_the_features(nlp) -> None:  # type: ignore[no-untyped-def]
    feats = {f.article_id: dict(f.terms) for f in extract(_example(), nlp=nlp)}
    for terms in feats.values():
        assert "newsletter" not in terms and "subscribe" not in terms


def test_copies_share_shingles_and_rewrites_do_not(nlp) -> None:  # type: ignore[no-untyped-def]
    a = _example()[1]
    copy = replace(a, id="copy", text=a.text.replace("Saturday", "Saturday morning", 1) + "\nReporting by a wire.")
    other = _example()[2]
    fa, fc, fo = extract([a, copy, other], nlp=nlp)
    assert jaccard(fa.minhash, fc.minhash) > 0.8
    assert jaccard(fa.minhash, fo.minhash) < 0.3
    assert fa.content_hash != fc.content_hash


def test_features_round_trip_through_json(nlp) -> None:  # type: ignore[no-untyped-def]
    f = extract(_example()[:1], nlp=nlp)[0]
    assert ArticleFeatures.from_json(f.to_json()) == f


def test_entity_keys_and_days() -> None:
    assert entity_key("PERSON", "Mr. Putin's") == "person:putin"
    assert entity_key("PERSON", "Vladimir Putin") == "person:putin"
    assert entity_key("GPE", "the United States") == "place:united states"
    assert entity_key("ORG", "X") is None
    assert day_number("1970-01-02") == 1
    assert day_number("2025-01-17T10:00:00") == day_number("2025-01-17")
    assert day_number("soon") is None
