from __future__ import annotations

import json

import numpy as np
import pytest

from newsweave.analysis.support import (
    FEATURES,
    SUPPORT_MODEL_FILE,
    SupportModel,
    features,
    idf,
    is_allegation,
    is_denial,
    is_future,
    load_support_model,
    numbers,
    pair_matrix,
    supporters,
)
from newsweave.nlp.entities import entity_terms, resolve


@pytest.mark.parametrize(
    ("text", "future"),
    [
        ("Russia and Iran are set to sign a strategic partnership treaty on Friday.", True),
        ("Mayor Ingrid Solberg will ride the first train on Saturday morning.", True),
        ("Caldenport is expected to open its Harbour Line metro on Saturday.", True),
        ("Putin and Pezeshkian signed the treaty in the Kremlin on Friday.", False),
        ("Caldenport opened its Harbour Line metro on Saturday.", False),
    ],
)
def test_future_cues(text: str, future: bool) -> None:
    assert is_future(text) is future


def test_denial_and_allegation_cues() -> None:
    assert is_denial("Halvorsen & Marr denies the claims.")
    assert is_denial("Both Russia and Iran have publicly denied these claims.")
    assert not is_denial("Halvorsen & Marr Construction skipped two mandatory inspections.")
    assert is_allegation("The union has alleged that the contractor skipped two inspections.")
    assert is_allegation("Western nations accused Iran of supplying drones.")
    assert not is_allegation("The contractor skipped two inspections last month.")


def test_numbers_are_normalised() -> None:
    assert numbers("41,000 passengers and $2.1 billion in 2026") == {"41000", "2.1", "2026"}
    # a number inside a name is no figure a supporter must repeat
    assert numbers("COVID-19 cases rose by 12% as F-35 jets flew") == {"12"}


def test_the_shipped_support_model_is_this_versions() -> None:
    d = json.loads(SUPPORT_MODEL_FILE.read_text("utf-8"))
    assert d["model"]["features"] == list(FEATURES) and 0 < d["model"]["threshold"] < 1
    # its header records the cross-validated scores it was shipped with, beside the rule's
    assert d["header"]["cv_by_cluster"]["folds"] >= 5 and "f1" in d["header"]["rule"]
    m = load_support_model()
    assert m.coef.shape == (len(FEATURES),)
    wrong = {**d["model"], "features": list(reversed(FEATURES))}
    with pytest.raises(ValueError, match="features"):
        SupportModel.from_json(wrong)


@pytest.fixture(scope="module")
def example_features(example_analyzed):  # type: ignore[no-untyped-def]
    from newsweave.nlp.embed import load_encoder

    resolved = resolve(example_analyzed)
    feats = features(example_analyzed, entity_terms(example_analyzed, resolved), load_encoder())
    return feats, idf(feats), [a.id for a in example_analyzed]


def _sid(feats, article: str, start: str) -> str:  # type: ignore[no-untyped-def]
    hits = [k for k, f in feats.items() if f.sentence.article_id == article and f.sentence.text.startswith(start)]
    assert len(hits) == 1, (article, start, hits)
    return hits[0]


def test_allegation_is_not_supported_by_a_report_stating_it_as_fact(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, order = example_features
    alleged = _sid(feats, "harbour-daily", "The Caldenport Transit Workers' Union has alleged")
    sup = supporters(alleged, feats, weights, order)
    # the Courier and both Metro Wire reports carry the allegation as an allegation ...
    assert {"courier-preview", "metrowire-preview", "metrowire-opening"} <= set(sup.sources)
    # ... the Ledger states it as fact, which is not the same information
    assert "ledger-opening" not in sup.sources
    fact = _sid(feats, "ledger-opening", "Halvorsen & Marr Construction skipped")
    assert supporters(fact, feats, weights, order).sources == ("ledger-opening",)


def test_expectation_does_not_support_the_event(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, order = example_features
    opened = _sid(feats, "metrowire-opening", "Caldenport opened its Harbour Line")
    sup = supporters(opened, feats, weights, order)
    assert {"harbour-daily", "ledger-opening"} <= set(sup.sources)
    assert "courier-preview" not in sup.sources and "metrowire-preview" not in sup.sources
    assert len(sup.evidence) == len(sup.sources) - 1


def test_a_number_must_be_stated_by_the_supporter(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, order = example_features
    count = _sid(feats, "ledger-opening", "Transit commissioner Yuri Marchenko said 41,000")
    sup = supporters(count, feats, weights, order)
    assert sup.sources[0] == "ledger-opening"
    for sid in sup.evidence:
        assert "41,000" in feats[sid].sentence.text or "41,000" in _next_text(feats, sid)


def _next_text(feats, sid: str) -> str:  # type: ignore[no-untyped-def]
    f = feats[sid].sentence
    nxt = f"{f.article_id}:{f.index + 1}"
    return feats[nxt].sentence.text if nxt in feats else ""


def test_paraphrase_support_through_embeddings(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, order = example_features
    preview = _sid(feats, "courier-preview", "The Harbour Line, Caldenport's first new metro line")
    sup = supporters(preview, feats, weights, order)
    # "is set to open ... on Saturday" is paraphrased by Metro Wire's "is expected to open ... on Saturday"
    assert "metrowire-preview" in sup.sources
    assert not {"harbour-daily", "ledger-opening", "metrowire-opening"} & set(sup.sources)


def test_pair_features_are_finite_and_only_for_compatible_articles(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, _order = example_features
    opened = _sid(feats, "metrowire-opening", "Caldenport opened its Harbour Line")
    rows = pair_matrix(opened, feats, weights)
    assert rows and all(x.shape == (len(FEATURES),) and np.isfinite(x).all() for x, _ in rows.values())
    # a report is compared only with windows that state, not expect: the previews' sentences
    # that expect the opening are never the evidence
    assert all(feats[ev].sentence.article_id == aid and not feats[ev].future for aid, (_x, ev) in rows.items())


def test_a_model_that_rejects_everything_cites_only_the_origin(example_features) -> None:  # type: ignore[no-untyped-def]
    feats, weights, order = example_features
    opened = _sid(feats, "metrowire-opening", "Caldenport opened its Harbour Line")
    m = load_support_model()
    never = SupportModel(mean=m.mean, scale=m.scale, coef=m.coef, intercept=m.intercept, threshold=1.01)
    assert supporters(opened, feats, weights, order, model=never).sources == ("metrowire-opening",)
    assert len(supporters(opened, feats, weights, order).sources) >= 3
