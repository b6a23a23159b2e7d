"""`newsweave eval stance`: FNC-1's protocol on an invented folder, and on the real training split.

The invented stories below are ours (FNC-1 states no licence; none of its text is here). The
competition-test path is tried on them only: the real competition test is held out.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsweave.analysis import claim_stance as cs
from newsweave.cli import app
from newsweave.eval import stance as ev
from newsweave.eval.gate import compare
from newsweave.trees import Tree
from tests.conftest import SHARED

FNC1 = SHARED / "stance" / "fnc1"
runner = CliRunner()

# story -> (headlines, {stance: body}); every headline is paired with every body, the bodies
# of other stories being unrelated.
STORIES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "whale": (
        ("Humpback whale found alive on Port Elvin beach", "Stranded whale rescued at Port Elvin"),
        {
            "agree": "A humpback whale was found alive on the beach at Port Elvin on Sunday morning. "
            "Volunteers kept the whale wet for six hours until the tide rose. "
            "The whale swam back out to sea shortly after noon, the coastguard confirmed.",
            "discuss": "Residents of Port Elvin reported that a whale had been stranded on the beach, according to "
            "posts shared widely on social media. The claims could not be verified, and the coastguard "
            "said it was looking into the reports.",
            "disagree": "Pictures said to show a humpback whale stranded at Port Elvin are a hoax, the coastguard "
            "said on Monday. The photo was taken on another continent years ago and doctored, officials "
            "said, denying that any whale had been found on the beach.",
        },
    ),
    "bridge": (
        ("Marrow Bridge closed after cracks found in main span", "Cracks shut Marrow Bridge"),
        {
            "agree": "Engineers closed the Marrow Bridge on Thursday after finding cracks in its main span. "
            "Traffic was diverted through the old town, and the closure is expected to last weeks. "
            "The cracks were found during a routine inspection.",
            "discuss": "The Marrow Bridge may have been closed because of cracks, a local radio station reported, "
            "citing unnamed sources. The city has not commented on the reports, and it is unclear "
            "whether any damage was found.",
            "disagree": "The city denied on Friday that the Marrow Bridge had been closed over cracks, calling the "
            "reports false. The bridge was shut for a marathon, officials said, and no damage was "
            "found in its main span.",
        },
    ),
    "mayor": (
        ("Mayor Ilsa Dorn resigns over housing scandal", "Dorn quits as mayor amid housing row"),
        {
            "agree": "Mayor Ilsa Dorn resigned on Tuesday over the housing scandal that has engulfed her office. "
            "In a short statement she said she was stepping down to let the inquiry continue. "
            "Her deputy will lead the council until an election in the autumn.",
            "discuss": "Mayor Ilsa Dorn is said to be considering her resignation over the housing scandal, "
            "according to two council members. Reports that she has resigned are unconfirmed, and "
            "her spokesman declined to comment.",
            "disagree": "Mayor Ilsa Dorn has not resigned, her office said, rejecting reports of her resignation as "
            "fabricated. Dorn dismissed the rumours and said she would remain in office and fight the "
            "housing scandal allegations.",
        },
    ),
    "scooters": (
        ("Kestrel Motors recalls 40,000 electric scooters over battery fires", "Kestrel scooter recall"),
        {
            "agree": "Kestrel Motors is recalling 40,000 electric scooters after a series of battery fires, the "
            "company announced on Wednesday. Owners will receive a replacement battery free of charge. "
            "The recall covers scooters sold since March.",
            "discuss": "Kestrel Motors could recall thousands of electric scooters over battery fires, an industry "
            "newsletter claimed, citing a leaked memo. The company would neither confirm nor deny the "
            "report.",
            "disagree": "Kestrel Motors denied reports of a recall of its electric scooters, saying claims of battery "
            "fires were untrue. No scooters are being recalled, the company said, calling the story a "
            "fabrication.",
        },
    ),
}
TEST_STORIES = ("bridge", "scooters")  # the invented "competition test" split


def _write(folder: Path, prefix: str, stories: list[str], first_id: int) -> int:
    """Write one split in FNC-1's CSV format; returns the number of pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies: list[tuple[int, str, str]] = []  # (id, story, stance)
    for s in stories:
        for stance in STORIES[s][1]:
            bodies.append((first_id + len(bodies), s, stance))
    with (folder / f"{prefix}_bodies.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        for bid, s, stance in bodies:
            w.writerow([bid, STORIES[s][1][stance]])
    n = 0
    with (folder / f"{prefix}_stances.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        for s in stories:
            for headline in STORIES[s][0]:
                for bid, bs, stance in bodies:
                    w.writerow([headline, bid, stance if bs == s else "unrelated"])
                    n += 1
    return n


@pytest.fixture
def invented(tmp_path: Path) -> Path:
    _write(tmp_path / "fnc", "train", sorted(STORIES), 1)
    return tmp_path / "fnc"


def test_cross_validation_by_body_on_an_invented_folder(invented: Path) -> None:
    r = ev.evaluate(invented, folds=3)
    assert r["split"] == "train" and r["folds"] == 3 and r["pairs"] == 4 * 2 * 12 and r["bodies"] == 12
    assert set(r["systems"]) == {"newsweave", "tfidf", "minilm"}
    for s in r["systems"].values():
        assert 0 <= s["fnc_score"] <= 100 and 0 <= s["macro_f1"] <= 1
        assert list(s["f1"]) == ["agree", "disagree", "discuss", "unrelated"]
    # the baselines call every related pair "discuss"
    assert r["systems"]["tfidf"]["f1"]["agree"] == 0 and r["systems"]["tfidf"]["f1"]["disagree"] == 0
    assert sum(sum(row.values()) for row in r["confusion"].values()) == r["pairs"]
    assert ev.evaluate(invented, folds=3)["systems"] == r["systems"]  # deterministic


def test_folds_by_story_keep_every_claim_on_one_side(invented: Path) -> None:
    split = ev.read_split(invented, "train")
    feat = ev.featurize(split, _Hashing(), lambda _s: None)
    story = ev.stories(feat, np.arange(len(feat.y)))
    assert len(set(story.tolist())) == len(STORIES)
    by_story = ev.body_folds(story, 2)
    for h in {p.headline for p in split.pairs}:  # a headline's related bodies all in one fold
        related = [i for i, p in enumerate(split.pairs) if p.headline == h and p.label != "unrelated"]
        assert len({int(by_story[i]) for i in related}) == 1
    r = ev.evaluate(invented, folds=2, group="story", encoder=_Hashing())
    assert r["group"] == "story" and r["protocol"] == "2-fold cross-validation by story"
    with pytest.raises(ev.DatasetError, match="grouping"):
        ev.evaluate(invented, group="headline")


class _Hashing:
    """A stand-in encoder (unit vectors from word hashes): fast, and the same on every machine."""

    def encode(self, texts):  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in t.lower().split():
                out[r, sum(map(ord, w)) % 64] += 1
            out[r] /= max(float(np.linalg.norm(out[r])), 1e-9)
        return out


def test_an_invented_competition_folder_is_scored_after_training_on_train(tmp_path: Path) -> None:
    folder = tmp_path / "fnc"
    _write(folder, "train", [s for s in sorted(STORIES) if s not in TEST_STORIES], 1)
    n_test = _write(folder, "competition_test", list(TEST_STORIES), 100)
    r = ev.evaluate(folder)
    assert r["split"] == "competition_test" and r["folds"] is None
    assert r["pairs"] == n_test and r["bodies"] == 6
    assert r["protocol"] == "trained on train, scored on competition_test"
    # only the test split is scored (24 training pairs teach the trees nothing: a leaf needs 40)
    assert sum(sum(row.values()) for row in r["confusion"].values()) == n_test
    assert set(r["systems"]["newsweave"]["f1"]) == {"agree", "disagree", "discuss", "unrelated"}


def test_folds_never_share_a_body_and_are_always_the_same() -> None:
    bodies = np.asarray([5, 3, 5, 9, 3, 1, 7, 7, 2, 9], dtype=np.int64)
    folds = ev.body_folds(bodies, 3)
    for b in np.unique(bodies):
        assert len(set(folds[bodies == b].tolist())) == 1
    assert ev.body_folds(bodies[::-1].copy(), 3)[::-1].tolist() == folds.tolist()
    assert set(folds.tolist()) == {0, 1, 2}


def test_the_fnc_score_is_the_official_arithmetic() -> None:
    lab = {name: cs.LABELS.index(ev.TO_NEWSWEAVE[name]) for name in ev.FNC_LABELS}
    gold = np.asarray([lab["agree"], lab["disagree"], lab["discuss"], lab["unrelated"], lab["unrelated"]])
    pred = np.asarray([lab["agree"], lab["discuss"], lab["unrelated"], lab["unrelated"], lab["agree"]])
    s = ev.scores(gold, pred)
    # agree right 1.0, disagree->discuss 0.25, discuss->unrelated 0, unrelated right 0.25, unrelated->agree 0
    assert s["fnc_score"] == round(100 * 1.5 / 3.5, 2)
    assert s["f1"]["agree"] == round(2 / 3, 4) and s["f1"]["disagree"] == 0.0
    assert s["f1"]["unrelated"] == 0.5  # 1 right, 1 called unrelated wrongly, 1 missed
    assert s["macro_f1"] == round((round(2 / 3, 4) + 0 + 0 + 0.5) / 4, 4)


def test_exported_trees_give_scikit_learns_probabilities() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    x[rng.random(x.shape) < 0.05] = np.nan
    for classes in (4, 2):
        y = (np.nan_to_num(x[:, 0]) > 0).astype(int) + (2 * (np.nan_to_num(x[:, 1]) > 0.5) if classes == 4 else 0)
        gbdt = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, early_stopping=False).fit(x, y)
        exported = ev._export_trees(gbdt)
        raw = np.tile(np.asarray(exported["baseline"]), (len(x), 1))
        for per_label in exported["iterations"]:
            for k, t in enumerate(per_label):
                tree = Tree.from_json(t)
                raw[:, k] += tree.predict(x)
        ours = cs._softmax(raw)[:, : len(gbdt.classes_)]
        assert np.abs(ours - gbdt.predict_proba(x)).max() < 1e-5


def test_the_cli_prints_json_and_a_table(invented: Path) -> None:
    r = runner.invoke(app, ["eval", "stance", str(invented), "--folds", "3", "--format", "json", "-q"])
    assert r.exit_code == 0, r.output
    payload = json.loads(r.stdout)
    assert payload["systems"]["newsweave"]["f1"].keys() == {"agree", "disagree", "discuss", "unrelated"}
    r = runner.invoke(app, ["eval", "stance", str(invented), "--folds", "3", "-q"])
    assert r.exit_code == 0 and "FNC-1 train" in r.stdout and "minilm" in r.stdout


def test_the_cli_names_a_missing_or_broken_folder(tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", "stance", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "no FNC-1 folder" in r.output
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "train_bodies.csv").write_text("Body ID,articleBody\n1,text\n", encoding="utf-8")
    (tmp_path / "bad" / "train_stances.csv").write_text("Headline,Body ID,Stance\nh,2,agree\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", "stance", str(tmp_path / "bad")])
    assert r.exit_code == 2 and "line 2" in r.output
    (tmp_path / "bad" / "train_stances.csv").unlink()
    r = runner.invoke(app, ["eval", "stance", str(tmp_path / "bad")])
    assert r.exit_code == 2 and "no train_stances.csv" in r.output


def test_the_gate_holds_the_stance_scores() -> None:
    baseline = {"stance": {"fnc1": {"fnc_score": 86.0, "macro_f1": 0.62, "disagree_f1": 0.16}}}
    ok = {"stance": {"fnc1": {"fnc_score": 85.6, "macro_f1": 0.61, "disagree_f1": 0.15}}}
    assert compare(ok, baseline) == []
    bad = {"stance": {"fnc1": {"fnc_score": 85.0, "macro_f1": 0.55, "disagree_f1": 0.16}}}
    assert len(compare(bad, baseline)) == 2
    assert any("not measured" in f for f in compare({}, baseline))


@pytest.mark.skipif(
    not FNC1.is_dir(), reason="../shared/data/stance/fnc1 is absent (FNC-1 is never copied into the repo)"
)
def test_the_real_training_split_on_a_small_fixed_subset() -> None:
    r = ev.evaluate(FNC1, bodies=80, folds=4)
    assert r["bodies"] == 80 and r["pairs"] > 1_000
    nw, tfidf = r["systems"]["newsweave"], r["systems"]["tfidf"]
    assert nw["f1"]["unrelated"] > 0.95
    assert nw["macro_f1"] > tfidf["macro_f1"] + 0.05
    assert nw["f1"]["agree"] > 0.2
