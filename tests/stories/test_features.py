from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from newsweave.clean import clean
from newsweave.ingest import apply_meta, load, load_meta
from newsweave.model import Article, ArticleFeatures
from newsweave.stories.features import (
    NER_CHARS,
    NER_LABELS,
    day_number,
    entity_counts,
    entity_key,
    extract,
    jaccard,
    lead,
    minhash,
    minhashes,
    words,
)
from tests.conftest import EXAMPLE, EXAMPLE_META, SEEDS, needs_seeds


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


def _entities_one_by_one(articles: list[Article], nlp: Any) -> list[dict[str, int]]:
    """The entities as features.extract found them before batching: the full pipeline with
    tok2vec and NER enabled, one `nlp()` call per article over its title and cleaned lead."""
    out = []
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n not in {"tok2vec", "ner"}]):
        for a in articles:
            text = clean([a])[0].text or a.text
            doc = nlp(f"{a.title or ''}\n{text[:NER_CHARS]}")
            counts: Counter[str] = Counter()
            for ent in doc.ents:
                key = entity_key(ent.label_, ent.text) if ent.label_ in NER_LABELS else None
                if key:
                    counts[key] += 1
            out.append(dict(sorted(counts.items())))
    return out


def _batched(articles: list[Article], **kw: Any) -> list[dict[str, int]]:
    return [dict(f.entities) for f in extract(articles, **kw)]


@needs_seeds
def test_batched_ner_alone_gives_the_entities_of_the_full_pipeline_article_by_article_on_the_seeds(nlp) -> None:  # type: ignore[no-untyped-def]
    seeds = list(load([SEEDS]).articles)
    before = _entities_one_by_one(seeds, nlp)
    assert sum(map(len, before)) > 50
    assert _batched(seeds) == before  # the NER-only model, one nlp.pipe
    assert _batched(seeds, nlp=nlp) == before  # a full model given: every other component off


def test_batched_ner_gives_the_entities_one_by_one_on_the_example_and_in_worker_processes(nlp) -> None:  # type: ignore[no-untyped-def]
    example = list(_example())
    before = _entities_one_by_one(example, nlp)
    assert _batched(example) == before
    # spaCy's own process parallelism (forked workers) keeps them too.
    assert _batched(example, n_process=2) == before


def test_entity_counts_on_empty_and_hostile_leads() -> None:
    assert entity_counts([]) == []
    hostile = ["", "\x00\x01", "<script>alert(1)</script>", "Putin " * 2000]
    counts = entity_counts(hostile)
    assert len(counts) == 4 and counts[0] == Counter() and counts[3]["person:putin"] >= 1


def test_lead_is_the_title_and_the_first_characters() -> None:
    a = Article(id="a", text="x" * (NER_CHARS + 50), title="Title")
    assert lead(a, a.text) == "Title\n" + "x" * NER_CHARS
    assert lead(replace(a, title=None), "body") == "\nbody"


def test_bulk_minhash_equals_one_minhash_per_article() -> None:
    from datasketch import MinHash

    from newsweave.stories.features import MINHASH_PERM, MINHASH_SCHEME, SHINGLE

    def one(tokens: list[str]) -> tuple[int, ...]:  # how each article was hashed before MinHash.bulk
        m = MinHash(num_perm=MINHASH_PERM, seed=1, scheme=MINHASH_SCHEME)
        grams = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
        m.update_batch([g.encode("utf-8") for g in grams])
        return tuple(int(h) for h in m.hashvalues)

    toks = [words(a.text) for a in _example()] + [[], ["one", "two"]]
    assert minhashes(toks) == [one(t) for t in toks]
    assert minhash(toks[0]) == one(toks[0])
    assert minhashes([]) == []
