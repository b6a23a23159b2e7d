"""Stance of a text toward a claim (newsweave.analysis.claim_stance): invented reports and sentences."""

from __future__ import annotations

import json

import numpy as np
import pytest

import newsweave
from newsweave.analysis import claim_stance as cs
from newsweave.model import ClaimStance
from newsweave.trees import Tree

DRONES = "Iran supplied Russia with drones"

STATES = (
    "Iran has supplied Russia with hundreds of drones for its war in Ukraine, a shipment that began in August. "
    "The drones were flown from Iranian airfields to bases in Crimea, where Russian crews were trained to use them. "
    "The deliveries have continued every month since, and Moscow has used the drones against power stations."
)
ATTRIBUTES = (
    "Western governments say Iran has sent drones to Russia, according to officials in Washington and London. "
    "The officials, who spoke on condition of anonymity, said the claims were based on intelligence reports. "
    "It was not possible to verify the reports independently, and neither government gave details."
)
DENIES = (
    "Tehran on Tuesday denied that it had supplied any drones to Russia, calling the accusation baseless. "
    '"Iran has never sent weapons for use in this war," the foreign ministry spokesman said, '
    "dismissing the reports as false propaganda. Moscow also rejected the claim."
)
UNRELATED = (
    "The Caldenport city council approved a budget of 41 million for school repairs on Monday. "
    "Work on the roofs of six primary schools will start in the spring, the council said. "
    "Parents had complained for years about leaking classrooms."
)


@pytest.fixture(scope="module")
def model() -> cs.StanceModel:
    return cs.load_model()


def test_the_shipped_model_loads_and_is_the_version_named(model: cs.StanceModel) -> None:
    assert cs.MODEL_FILE.name == "stance-fnc1-v1.json"
    assert cs.MODEL_FILE.stat().st_size < 2_000_000
    assert model.name == cs.MODEL_NAME == "stance-fnc1-v1"
    header = model.header
    assert "FNC-1 training split" in header["trained_on"]
    assert header["features"][: len(cs.FEATURES)] == list(cs.FEATURES)
    assert len(model.trees) == header["params"]["max_iter"] and all(len(r) == 4 for r in model.trees)
    if header.get("cv"):  # written by benchmarks/train_stance.py without --no-cv
        assert header["cv"]["systems"]["newsweave"]["macro_f1"] >= 0.65


def test_a_model_file_of_other_features_is_refused() -> None:
    payload = json.loads(cs.MODEL_FILE.read_text("utf-8"))
    payload["features"] = payload["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        cs.StanceModel(payload)


@pytest.mark.parametrize(
    ("text", "label"),
    [(STATES, "states"), (ATTRIBUTES, "attributes"), (DENIES, "denies"), (UNRELATED, "unrelated")],
)
def test_reports_get_their_label(text: str, label: str) -> None:
    got = newsweave.stance(DRONES, text)
    assert isinstance(got, ClaimStance)
    assert got.label == label, got.probabilities
    assert set(got.probabilities) == set(cs.LABELS)
    assert abs(sum(got.probabilities.values()) - 1) < 1e-9
    assert got.model == "stance-fnc1-v1"
    for a, b in got.evidence:  # whole sentences of the text
        assert 0 <= a < b <= len(text) and text[a:b].strip() == text[a:b]
        assert text[b - 1] in '.!?"' or b == len(text)


def test_the_evidence_of_a_denial_is_its_denying_sentence() -> None:
    got = cs.stance(DRONES, DENIES)
    first = DENIES[slice(*got.evidence[0])]
    assert first.startswith("Tehran on Tuesday denied")
    assert "denied" in got.cues and "baseless" in got.cues


# --- one sentence of a cluster --------------------------------------------------------------
def test_the_drone_accusation_that_both_deny_is_never_stated() -> None:
    s = "Western governments accuse Iran of supplying drones, which both Tehran and Moscow deny."
    got = cs.sentence_stance(DRONES, s)
    assert got.label in ("attributes", "denies")
    assert got.probabilities["states"] == 0.0
    assert {"accuse", "deny"} <= set(got.cues)


def test_the_drone_supply_stated_as_fact() -> None:
    got = cs.sentence_stance(DRONES, "Iran has supplied Russia with drones for its war.")
    assert got.label == "states", got.probabilities
    assert got.evidence == ((0, len("Iran has supplied Russia with drones for its war.")),)


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Russia has been using Iranian-made drones supplied by Tehran since last autumn.", "states"),
        ("Ukrainian officials said Iran had supplied Russia with drones, a claim Tehran calls baseless.", "denies"),
        ("No Iranian drones have been supplied to Russia, the foreign ministry said.", "denies"),
        ("Iran reportedly supplied Russia with drones, according to two US officials.", "attributes"),
        ("The United States alleges that Iran supplied Russia with attack drones.", "attributes"),
        ("Iran has not supplied Russia with drones, its foreign minister insisted.", "denies"),
        ("Tehran dismissed reports that it supplied Russia with drones as a Western fabrication.", "denies"),
        ("The Harbour Line opened on Saturday with 41,000 riders on its first day.", "unrelated"),
        ("Iran signed a trade deal with Russia on Tuesday.", "unrelated"),  # its names, not its content
        ("Is Iran supplying Russia with drones?", "attributes"),
        ("Iran began shipping drones to Russia in August.", "states"),
        ("Russia received Iranian drones, Western officials say.", "attributes"),
    ],
)
def test_sentences_of_a_cluster(sentence: str, label: str) -> None:
    got = cs.sentence_stance(DRONES, sentence)
    assert got.label == label, (got.probabilities, got.cues)


def test_a_given_cosine_spares_the_encoder() -> None:
    class Refuses:
        def encode(self, texts):  # type: ignore[no-untyped-def]
            raise AssertionError("the encoder was called")

    s = "Iran has supplied Russia with drones for its war."
    got = cs.sentence_stance(DRONES, s, cosine=0.83, encoder=Refuses())
    assert got.label == "states"
    assert cs.sentence_stance(DRONES, s, cosine=0.5, encoder=Refuses()).label == "unrelated"


def test_many_sentences_in_one_call_equal_one_at_a_time() -> None:
    sentences = [
        "Iran has supplied Russia with drones for its war.",
        "Western governments accuse Iran of supplying drones, which both Tehran and Moscow deny.",
        "Parents had complained for years about leaking classrooms.",
    ]
    many = cs.sentence_stances(DRONES, sentences)
    one = [cs.sentence_stance(DRONES, s) for s in sentences]
    assert [m.label for m in many] == [o.label for o in one]
    for m, o in zip(many, one, strict=True):
        assert all(abs(m.probabilities[k] - o.probabilities[k]) < 1e-6 for k in cs.LABELS)
    with pytest.raises(ValueError, match="cosines"):
        cs.sentence_stances(DRONES, sentences, cosines=[0.5])
    assert cs.sentence_stances(DRONES, []) == []


def test_a_claim_that_is_itself_a_denial_is_stated_by_a_denial() -> None:
    claim = "Iran denies supplying Russia with drones"
    got = cs.sentence_stance(claim, "Iran on Monday denied that it had supplied Russia with drones.")
    assert got.label == "states"  # the denial is the claim's own, not the sentence's stance


# --- input of every kind --------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n\n  ", "???", "\x00\x01 binary \ufffd junk", "a " * 20_000])
def test_empty_and_hostile_texts(text: str) -> None:
    got = cs.stance(DRONES, text)
    assert got.label in cs.LABELS
    assert all(0 <= a <= b <= len(text) for a, b in got.evidence)


def test_an_empty_claim() -> None:
    assert cs.stance("", STATES).label in cs.LABELS


def test_the_same_input_gives_the_same_answer() -> None:
    a, b = cs.stance(DRONES, DENIES), cs.stance(DRONES, DENIES)
    assert a == b


def test_json_form() -> None:
    got = cs.stance(DRONES, DENIES).to_json()
    assert got["label"] == "denies" and isinstance(got["evidence"][0], list)
    json.dumps(got)


# --- the pieces -----------------------------------------------------------------------------
def test_sentence_spans_keep_abbreviations_and_initials_inside() -> None:
    text = 'Mr. Putin met Gen. Kellogg in the U.S. capital. "It went well," he said!\nNew paragraph. J. R. Smith agreed'
    pieces = [text[a:b] for a, b in cs.sentence_spans(text)]
    assert pieces == [
        "Mr. Putin met Gen. Kellogg in the U.S. capital.",
        '"It went well," he said!',
        "New paragraph.",
        "J. R. Smith agreed",
    ]


def test_terms_meet_across_inflections() -> None:
    assert cs.terms("Iran supplied drones to Russia") == cs.terms("the Russian drone supplying Iran")


def test_cue_counts() -> None:
    text = "Officials denied the hoax, which was not true, didn't they?"
    counts = dict(zip(cs.CUES, cs.cue_counts(text), strict=True))
    assert counts["deny"] == 2  # "denied", and the lexicon's "not true"
    assert counts["debunk"] >= 2 and counts["negation"] >= 2 and counts["question"] == 1


def test_context_tokens_leave_out_the_claims_own_words() -> None:
    text = cs.prepare("Tehran denied it had sent drones. Officials called it a lie.")
    toks = cs.context_tokens(cs.terms("Tehran sent drones"), text, (0,))
    assert "denied" in toks and "officials" in toks and "denied_it" in toks
    assert "drones" not in toks and "tehran" not in toks


def test_the_tree_walk_follows_missing_values_and_thresholds() -> None:
    # root: feature 0 <= 0.5 -> leaf 1 (value 1), else leaf 2 (value 2); NaN goes right
    tree = Tree(
        feature=np.asarray([0, -1, -1]),
        threshold=np.asarray([0.5, 0.0, 0.0]),
        left=np.asarray([1, 0, 0]),
        right=np.asarray([2, 0, 0]),
        missing_left=np.asarray([False, False, False]),
        value=np.asarray([0.0, 1.0, 2.0]),
    )
    x = np.asarray([[0.2], [0.5], [0.7], [np.nan]])
    assert tree.predict(x).tolist() == [1.0, 1.0, 2.0, 2.0]


def test_a_stance_imports_no_torch_scikit_learn_or_spacy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, newsweave\n"
        "r = newsweave.stance('Iran supplied Russia with drones', 'Iran has supplied Russia with drones.')\n"
        "assert r.label == 'states', r\n"
        "print([m for m in ('torch', 'transformers', 'sentence_transformers', 'sklearn', 'spacy', 'thinc')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]"
