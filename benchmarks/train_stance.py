"""Train the shipped stance model on FNC-1's training split and write it into the package.

    python benchmarks/train_stance.py [--data ../shared/data/stance/fnc1] [--out FILE] [--no-cv | --cv FILE]

1. cross-validates by body first (`newsweave.eval.stance.evaluate`, the numbers of
   `newsweave eval stance`) to record them in the file's header; --cv FILE takes them from
   a saved `newsweave eval stance --format json` run of the same code instead (the run is
   deterministic, so they are the same numbers), --no-cv leaves them out;
2. trains on every pair of the training split with `newsweave.eval.stance.fit`, the very
   function each cross-validation fold trains with;
3. writes src/newsweave/analysis/data/stance-fnc1-v1.json: a header (data, date, features,
   estimator, CV scores), the cue model's vocabulary and weights, and the boosted trees.

The estimator is scikit-learn's HistGradientBoostingClassifier over the features of
`newsweave.analysis.claim_stance` plus a stacked logistic-regression cue model (why, and how
its parameters were set: the comments of `newsweave.eval.stance.GBDT_PARAMS` and `CUE_C`).
Its trees are written out as node arrays because a brief must not import scikit-learn:
`claim_stance.StanceModel` walks them in a few lines of numpy. The run is deterministic
(pairs sorted, folds and seeds fixed): two runs write the same file except for its date.

FNC-1 has no licence: the file holds numbers and a vocabulary of common words seen around
claims of at least MIN_STORIES different stories, never its text.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np

from newsweave.analysis import claim_stance as cs
from newsweave.eval import stance as ev
from newsweave.nlp.embed import load_encoder

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = (
    "FNC-1 training split (train_bodies.csv, train_stances.csv: 1,683 bodies, 49,972 pairs), "
    "github.com/FakeNewsChallenge/fnc-1 at 29d473af2d15278f0464d5e41e4cbe7eb58231f2"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "stance" / "fnc1")
    ap.add_argument("--out", type=Path, default=cs.MODEL_FILE)
    ap.add_argument("--no-cv", action="store_true", help="no cross-validation (no scores in the header)")
    ap.add_argument(
        "--cv", type=Path, help="the header's scores from this `newsweave eval stance --format json` output"
    )
    args = ap.parse_args()
    started = time.perf_counter()

    def step(s: str) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  {s}", flush=True)

    encoder = load_encoder()  # one cache of vectors for both passes over the split
    if args.cv:
        cv = json.loads(args.cv.read_text("utf-8"))
        if cv.get("split") != "train" or cv.get("group") != "body" or cv.get("model") != cs.MODEL_NAME:
            raise SystemExit(f"{args.cv}: not a cross-validation by body of {cs.MODEL_NAME} on the training split")
    else:
        cv = None if args.no_cv else ev.evaluate(args.data, encoder=encoder, on_step=step)
    split = ev.read_split(args.data, "train")
    feat = ev.featurize(split, encoder, step)
    step(f"training on all {len(feat.y):,} pairs")
    payload = ev.fit(feat, np.arange(len(feat.y)))
    payload["header"] = {
        "model": cs.MODEL_NAME,
        "trained_on": ORIGIN,
        "date": date.today().isoformat(),
        "script": "benchmarks/train_stance.py",
        "features": [*cs.FEATURES, "cue_states", "cue_attributes", "cue_denies"],
        **payload["header"],
        "cv": None
        if cv is None
        else {k: cv[k] for k in ("protocol", "folds", "pairs", "bodies", "systems", "confusion", "seconds")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    step(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    if cv is not None:
        for name, s in cv["systems"].items():
            f1 = " ".join(f"{k} {v:.3f}" for k, v in s["f1"].items())
            print(f"{name:10s} FNC {s['fnc_score']:.2f}  macro-F1 {s['macro_f1']:.3f}  {f1}")


if __name__ == "__main__":
    main()
