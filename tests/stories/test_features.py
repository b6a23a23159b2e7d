from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from newsweave.clean import clean
from newsweave.ingest import apply_meta, load, load_meta
from newsweave.model import Article, ArticleFeatures
from newsweave.stories.features import (
    ENTITY_SIGNALS,
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
    name_counts,
    name_key,
    name_runs,
    words,
)
from tests.conftest import EXAMPLE, EXAMPLE_META, SEEDS, needs_seeds


def _example() -> list[Article]:
    return list(apply_meta(load([EXAMPLE]).articles, load_meta(EXAMPLE_META)))


def test_features_of_the_example_name_the_story() -> None:
    feats = extract(_example())
    assert len(feats) == 5
    for f in feats:
        terms = dict(f.terms)
        # Terms are 5-letter prefixes ("harbour" -> "harbo"); figures are terms too.
        assert terms.get("harbo", 0) >= 1 and terms.get("line", 0) >= 1, f.article_id
        assert any(t.isdigit() for t in terms), f.article_id
        assert f.day is not None and f.words > 100
        # Every report names the mayor and the city; none names a weekday or "The".
        ents = dict(f.entities)
        assert "name:ingrid solberg" in ents and any(k.startswith("name:caldenport") for k in ents), f.article_id
        assert not any(k.split(":")[1] in {"the", "monday", "saturday", "january"} for k in ents), ents


def test_ner_features_of_the_example_key_people_by_surname(nlp) -> None:  # type: ignore[no-untyped-def]
    ents = {e for f in extract(_example(), nlp=nlp, signal="ner") for e, _ in f.entities}
    # Surnames key people, so "Mayor Ingrid Solberg" and "Solberg" meet.
    assert "person:solberg" in ents
    assert any(e.startswith("place:") for e in ents)


def test_boilerplate_does_not_reach_the_features(nlp) -> None:  # type: ignore[no-untyped-def]
    feats = {f.article_id: dict(f.terms) for f in extract(_example(), nlp=nlp)}
    for terms in feats.values():
        assert "newsl" not in terms and "subsc" not in terms


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
    """NER's entities as `extract` keeps them (figures, "num:...", are added beside any signal)."""
    return [{k: n for k, n in f.entities if not k.startswith("num:")} for f in extract(articles, signal="ner", **kw)]


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


# -- names: capitalized word runs, the default entity signal -------------------------------
def test_names_are_runs_of_capitalized_words_not_opening_a_sentence() -> None:
    text = (
        "Russian President Vladimir Putin met his Iranian counterpart Masoud Pezeshkian in Moscow on "
        "Friday, January 17. Officials said the U.S. was watching. Putin said Mr. Putin's pact was not "
        'aimed at anyone. "Iran is a friend," he said. The treaty ...'
    )
    counts = name_counts("Putin and Pezeshkian sign a treaty", text)
    assert counts["name:russian president vladimir putin"] == 1
    assert counts["name:masoud pezeshkian"] == 1 and counts["name:pezeshkian"] == 1  # the title's
    assert counts["name:moscow"] == 1 and counts["name:u.s"] == 1
    # "Putin" opens the title and a sentence, but is named mid-sentence too ("Mr. Putin's").
    assert counts["name:putin"] == 3
    # Lone words opening a sentence, stop words and the calendar are no names.
    for word in ("officials", "iran", "the", "friday", "january", "mr"):
        assert f"name:{word}" not in counts, word


def test_names_on_the_seeds_are_the_story_s_names() -> None:
    seeds = list(load([SEEDS]).articles)
    feats = extract(seeds)
    together: Counter[str] = Counter()
    for f in feats:
        together.update(dict(f.entities))
    for key in ("name:iran", "name:russia", "name:moscow", "name:pezeshkian", "name:putin"):
        assert sum(key in dict(f.entities) for f in feats) >= 3, key
    assert together["name:russian president vladimir putin"] >= 3
    assert all(k.startswith(("name:", "num:")) for k in together)
    # Deterministic, and each article's names its own: the same in any order or company.
    assert extract(seeds) == feats
    assert [f.entities for f in extract(seeds[::-1])] == [f.entities for f in feats[::-1]]
    assert extract(seeds[2:3])[0].entities == feats[2].entities


def test_names_on_empty_and_hostile_text() -> None:
    assert name_counts("", "") == Counter()
    assert list(name_runs("")) == []
    assert name_counts("", "\x00\x01 <script>alert(1)</script> ...!!! 12 34") == Counter()
    big = name_counts("", "Putin " * 5000)
    assert len(big) == 1 and sum(big.values()) == 1  # a single run, cut at the lead's end
    assert len(next(iter(big))) < NER_CHARS + 10
    shouting = name_counts("BREAKING: MOSCOW SIGNS", "THE END. Then Iran and Россия signed in Москва.")
    assert "name:iran" in shouting and "name:москва" in shouting
    assert name_key(["X"]) is None


def test_features_by_signal() -> None:
    assert ENTITY_SIGNALS == ("names", "ner")
    a = Article(id="a", text="Officials in Caldenport met Ingrid Solberg.", title=None)
    assert dict(extract([a])[0].entities) == {"name:caldenport": 1, "name:ingrid solberg": 1}
    assert extract([a], entities=False)[0].entities == ()
    try:
        extract([a], signal="gazetteer")
    except ValueError as e:
        assert "names" in str(e)
    else:
        raise AssertionError("an unknown signal was accepted")


def test_figures_are_terms_and_entities_and_dates_are_not_figures() -> None:
    from newsweave.stories.features import numbers

    text = "Payrolls rose by 943,000 in July; unemployment slid to 5.4%. COVID-19 cases, 12/5, 3 weeks."
    # Thousands separators go, decimals stay; "COVID-19", a date and a one-digit count are not figures.
    assert list(numbers(text)) == ["943000", "5.4"]
    (f,) = extract([Article(id="jobs", title="US adds 943,000 jobs", text=text)])
    assert dict(f.terms)["943000"] == 1 + 3  # once in the text, title words count three times
    assert "num:943000" in dict(f.entities)
