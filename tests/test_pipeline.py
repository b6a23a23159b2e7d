"""End to end: the bundled example and the real seed cluster through the whole pipeline."""

from __future__ import annotations

import json

import pytest

from newsweave import brief
from newsweave.model import Article
from newsweave.render import render
from tests.clean.test_clean import EXAMPLE_NOISE, SEED_NOISE
from tests.conftest import needs_seeds


def _entity(b, name: str):  # type: ignore[no-untyped-def]
    hits = [e for e in b.entities if e.name == name]
    assert hits, (name, [e.name for e in b.entities])
    return hits[0]


def test_example_brief_noise_free_in_every_format(example_brief) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("markdown", "json"):
        out = render(example_brief, fmt)
        summary = " ".join(s.text for s in example_brief.summary)
        for noise in EXAMPLE_NOISE:
            assert noise not in summary, noise
        assert "Your city. Your news." not in out


def test_example_brief_cites_every_supporting_source(example_brief) -> None:  # type: ignore[no-untyped-def]
    assert 100 <= example_brief.words <= 150
    ids = {s.id for s in example_brief.sources}
    assert len(ids) == 5
    for s in example_brief.summary:
        assert s.sources and set(s.sources) <= ids
        assert s.sources[0] == s.origin.split(":")[0]
    multi = [s for s in example_brief.summary if len(s.sources) >= 2]
    assert len(multi) >= len(example_brief.summary) - 2
    opened = [s for s in example_brief.summary if s.text.startswith("Caldenport opened its Harbour Line")]
    assert opened and set(opened[0].sources) == {"metrowire-opening", "harbour-daily", "ledger-opening"}


def test_example_brief_never_states_the_allegation_as_fact(example_brief) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(s.text for s in example_brief.summary)
    assert "putting passengers at risk" not in text
    alleged = [s for s in example_brief.summary if "inspection" in s.text and "skipped" in s.text]
    assert all("alleg" in s.text for s in alleged)
    assert all("ledger-opening" not in s.sources for s in alleged)


def test_example_entities_merge_spellings(example_brief) -> None:  # type: ignore[no-untyped-def]
    marchenko = [e for e in example_brief.entities if "Marchenko" in e.name]
    assert len(marchenko) == 1
    assert {"Yuri Marchenko", "Yury Marchenko", "Marchenko"} <= set(marchenko[0].aliases)
    haddad = [e for e in example_brief.entities if "Haddad" in e.name]
    assert len(haddad) == 1 and {"Samir al-Haddad", "Samir Haddad"} <= set(haddad[0].aliases)
    solberg = _entity(example_brief, "Ingrid Solberg")
    assert solberg.type == "PERSON" and not any(a.endswith(("'s", "’s")) for a in solberg.aliases)


def test_example_headline_is_a_report_not_a_preview(example_brief) -> None:  # type: ignore[no-untyped-def]
    assert example_brief.title_source in {"harbour-daily", "ledger-opening", "metrowire-opening"}


@needs_seeds
def test_seed_brief_noise_free(seed_brief) -> None:  # type: ignore[no-untyped-def]
    out = render(seed_brief, "markdown") + render(seed_brief, "json")
    summary = " ".join(s.text for s in seed_brief.summary)
    for noise in SEED_NOISE:
        assert noise not in summary, noise
    for noise in ("Related Articles", "Newsletter", "Focus on the BIG picture", "Image: KGET.com", "RedNote"):
        assert noise not in out, noise


@needs_seeds
def test_seed_brief_citations(seed_brief) -> None:  # type: ignore[no-untyped-def]
    assert seed_brief.words <= 150
    assert len(seed_brief.summary) >= 4
    assert sum(len(s.sources) >= 2 for s in seed_brief.summary) >= len(seed_brief.summary) // 2 + 1
    first = seed_brief.summary[0]
    assert "Pezeshkian" in first.text and len(first.sources) >= 3  # the news, as most outlets tell it
    signed = [s for s in seed_brief.summary if "have signed" in s.text and "Pezeshkian" in s.text]
    assert signed and len(signed[0].sources) >= 2
    # the drone accusation appears only as an accusation that was denied
    drones = [s for s in seed_brief.summary if "drone" in s.text]
    assert all("denied" in s.text or "accus" in s.text for s in drones)


@needs_seeds
def test_seed_entities_merge_variants(seed_brief) -> None:  # type: ignore[no-untyped-def]
    peskov = _entity(seed_brief, "Dmitry Peskov")
    assert {"Dmitry Peskov", "Dmitri Peskov", "Peskov"} <= set(peskov.aliases)
    assert len(peskov.sources) >= 3
    assert {"Tehran", "Teheran"} <= set(_entity(seed_brief, "Tehran").aliases)
    putin = _entity(seed_brief, "Vladimir Putin")
    assert {"Putin", "Mr. Putin"} <= set(putin.aliases) and len(putin.sources) == 5
    lavrov = [e for e in seed_brief.entities if "Lavrov" in e.name]
    assert len(lavrov) == 1
    names = [e.name for e in seed_brief.entities]
    assert not any(n.endswith(("'s", "’s")) for n in names)
    assert len(names) == len(set(names))


@needs_seeds
def test_seed_sources_are_listed_with_ids_from_file_stems(seed_brief) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render(seed_brief, "json"))
    assert [s["id"] for s in data["sources"]] == [
        "000_97729ee29aeadbe7",
        "001_4eb3afbfb332bad3",
        "002_85c18e2298a1399c",
        "003_edbed3ab3d737a14",
        "004_bb98cb840c60cb8d",
    ]
    assert data["sources"][2]["published"] == "2025-01-18"


def test_single_article_and_lexical_only(nlp) -> None:  # type: ignore[no-untyped-def]
    art = Article(
        id="solo",
        title="Port of Vessmark reopens after storm",
        text=(
            "The port of Vessmark reopened on Tuesday after a storm closed it for three days. "
            "Harbour master Elin Dahl said 14 ships had waited offshore during the closure. "
            "Dahl said the breakwater was undamaged and that cargo would move normally by Thursday."
        ),
    )
    b = brief([art], nlp=nlp, embeddings=False, words=40)
    assert b.summary and all(s.sources == ("solo",) for s in b.summary)
    assert b.words <= 40
    assert b.title == "Port of Vessmark reopens after storm"


def test_budget_must_be_positive(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="at least 1"):
        brief([Article(id="a", text="Some text here.")], nlp=nlp, words=0)


def test_progress_reports_stages_with_counts(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsweave.model import Progress
    from tests.conftest import EXAMPLE

    seen: list[Progress] = []
    b = brief([EXAMPLE], nlp=nlp, embeddings=False, progress=seen.append)
    stages = list(dict.fromkeys(p.stage for p in seen))
    assert stages == [
        "reading",
        "cleaning",
        "analysing language",
        "merging entities",
        "comparing sources",
        "summarizing",
        "analysing claims, quotes and time",
    ]
    words = [p for p in seen if p.stage == "analysing language" and p.total]
    assert words and words[-1].done == words[-1].total == sum(s.words for s in b.sources)
    assert Progress(stage="reading", done=5, total=5, unit="reports") in seen
    assert any(p.unit == "sentences" and p.done == sum(len(t) for t in b.texts.values()) for p in seen)


def test_progress_reads_as_one_line() -> None:
    from newsweave.model import Progress

    assert str(Progress(stage="analysing language", done=1200, total=510000, unit="words")) == (
        "analysing language: 1,200/510,000 words"
    )
    assert str(Progress(stage="merging entities", done=23421, unit="sentences")) == "merging entities: 23,421 sentences"
    assert str(Progress(stage="loading the embedding model")) == "loading the embedding model"


def test_embeddings_skipped_above_the_sentence_cap_with_a_warning(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from tests.conftest import EXAMPLE

    brief_module = importlib.import_module("newsweave.pipeline")

    class Refuses:
        def encode(self, texts):  # type: ignore[no-untyped-def]
            raise AssertionError("the encoder must not run above the cap")

    monkeypatch.setattr(brief_module, "MAX_EMBEDDED_SENTENCES", 10)
    b = brief([EXAMPLE], nlp=nlp, encoder=Refuses(), analysis=False)
    assert len(b.warnings) == 1 and "above 10, sources were compared by words and names only" in b.warnings[0]
    assert b.summary


class _CountingNLP:
    """The real spaCy model, counting the paragraphs it is asked to parse."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self.nlp = nlp
        self.parsed: list[str] = []

    def pipe(self, texts, **kw):  # type: ignore[no-untyped-def]
        texts = list(texts)
        self.parsed.extend(texts)
        return self.nlp.pipe(texts, **kw)


def test_a_brief_again_reuses_parses_and_vectors_and_is_identical(nlp) -> None:  # type: ignore[no-untyped-def]
    """Re-briefing a story as reports arrive parses only new paragraphs, with the same result
    as parsing everything afresh (sentence offsets, mentions, citations)."""
    from dataclasses import replace

    from newsweave.ingest import load
    from newsweave.nlp import language
    from tests.conftest import EXAMPLE

    articles = list(load([EXAMPLE]).articles)
    counting = _CountingNLP(nlp)
    first = render(brief(articles, nlp=counting), "json")  # type: ignore[arg-type]
    paragraphs = len(counting.parsed)
    assert paragraphs > 20
    again = render(brief(articles, nlp=counting), "json")  # type: ignore[arg-type]
    assert again == first and len(counting.parsed) == paragraphs  # nothing parsed twice

    # One report grows by a paragraph in the middle: only that paragraph is parsed, and every
    # later offset moves, as a fresh parse of the whole story would place it.
    lines = articles[2].text.split("\n")
    added = "Officials said a second line to Kohlsvik would be studied next year."
    grown = [*articles[:2], replace(articles[2], text="\n".join([*lines[:2], added, *lines[2:]])), *articles[3:]]
    updated = render(brief(grown, nlp=counting), "json")  # type: ignore[arg-type]
    assert counting.parsed[paragraphs:] == [added]
    language._parsed.clear()
    fresh = _CountingNLP(nlp)
    assert render(brief(grown, nlp=fresh), "json") == updated  # type: ignore[arg-type]
    assert len(fresh.parsed) == paragraphs + 1
    # A model's parses go with the model: none can answer for a later one.
    import gc

    kept = len(language._parsed)
    del fresh
    gc.collect()
    assert len(language._parsed) == kept - 1


def test_example_summary_names_a_person_in_full_before_the_surname(example_brief) -> None:  # type: ignore[no-untyped-def]
    texts = [s.text for s in example_brief.summary]
    full = [i for i, t in enumerate(texts) if "Samir al-Haddad" in t]
    short = [i for i, t in enumerate(texts) if t.startswith("Haddad ")]
    assert full and short, texts  # both are in the example's summary
    assert full[0] < short[0]


def test_runs_that_each_name_the_other_person_in_full_are_ordered_once() -> None:
    from newsweave.model import Mention, Sentence
    from newsweave.pipeline import _full_names_first

    def sent(i: int, text: str, *names: str) -> list[Sentence]:
        ms = tuple(Mention(text=n, label="PERSON", start=0, end=len(n)) for n in names)
        return [Sentence(id=f"a:{i}", article_id="a", index=i, text=text, start=0, end=0, terms=(), mentions=ms)]

    a = sent(0, "Haddad thanked Mayor Ingrid Solberg.", "Haddad", "Ingrid Solberg")
    b = sent(5, "Solberg thanked Samir al-Haddad.", "Solberg", "Samir al-Haddad")
    c = sent(9, "The line opened on Saturday.")
    assert _full_names_first([a, b, c]) == [b, a, c]  # terminates; the moved run stays put
