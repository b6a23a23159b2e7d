"""Shared fixtures: the bundled example, the real seed cluster, one loaded spaCy model."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "caldenport-metro"
EXAMPLE_META = ROOT / "examples" / "caldenport-metro.meta.csv"
SHARED = ROOT.parent / "shared" / "data"
SEEDS = SHARED / "seeds"

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/data/seeds is absent (real reports are never copied into the repo)"
)


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from newsweave.nlp.language import load_model

    return load_model()


@pytest.fixture(scope="session")
def example_brief(nlp):  # type: ignore[no-untyped-def]
    from newsweave import brief
    from newsweave.ingest import load_meta

    return brief([EXAMPLE], meta=load_meta(EXAMPLE_META), nlp=nlp)


@pytest.fixture(scope="session")
def seed_brief(nlp):  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds is absent")
    from newsweave import brief

    return brief([SEEDS], nlp=nlp)


@pytest.fixture(scope="session")
def seed_analyzed(nlp):  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds is absent")
    from newsweave.clean import clean
    from newsweave.ingest import load
    from newsweave.nlp.language import analyze

    return analyze(clean(load([SEEDS]).articles), nlp)


@pytest.fixture(scope="session")
def example_analyzed(nlp):  # type: ignore[no-untyped-def]
    from newsweave.clean import clean
    from newsweave.ingest import load
    from newsweave.nlp.language import analyze

    return analyze(clean(load([EXAMPLE]).articles), nlp)


MULTINEWS = SHARED / "mds" / "multinews-dev.jsonl"
needs_multinews = pytest.mark.skipif(
    not MULTINEWS.is_file(), reason="../shared/data/mds/multinews-dev.jsonl is absent (real data is never copied)"
)


@pytest.fixture(scope="session")
def multinews_pool():  # type: ignore[no-untyped-def]
    """The first 40 Multi-News dev clusters pooled and shuffled: a small real labelled stream."""
    if not MULTINEWS.is_file():
        pytest.skip("../shared/data/mds/multinews-dev.jsonl is absent")
    import itertools
    from pathlib import Path as _P

    from newsweave.eval.clustering import _shuffled, multinews_pool

    full = multinews_pool(_P(MULTINEWS))
    keep = set(itertools.islice(dict.fromkeys(full.labels[a.id] for a in full.articles), 40))
    arts = [a for a in full.articles if full.labels[a.id] in keep]
    return _shuffled("multinews-40", arts, {a.id: full.labels[a.id] for a in arts})


@pytest.fixture(scope="session")
def multinews_features(multinews_pool, nlp):  # type: ignore[no-untyped-def]
    from newsweave.stories.features import extract

    return extract(multinews_pool.articles, nlp=nlp)
