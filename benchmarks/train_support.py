"""Train the shipped support model on the annotated anchors and write it into the package.

    python benchmarks/train_support.py [--data ../shared/data] [--out FILE] [--sweep]

1. prepares every cluster of evals/alignment/ as a brief does (cleaning, spaCy, entities,
   the packaged MiniLM vectors);
2. builds the (anchor sentence, other source) pairs with `support.pair_matrix`, the very
   features `supporters` scores at run time;
3. cross-validates by cluster (`eval.alignment.fold_models`, 5 folds: a fold's clusters never
   in its training) and prints support P/R/F1 of the folds' models beside the hand-set rule;
   `--sweep` does the same for each L2 strength in SWEEP;
4. trains on every pair (`eval.alignment.fit_support`: scikit-learn's LogisticRegression,
   the threshold by inner folds) and writes src/newsweave/analysis/data/support-anchors-v1.json
   with a header (data, date, features, CV scores) and the weights.

Deterministic: pairs are sorted by cluster, folds fixed, the solver exact (lbfgs). The file
holds numbers only, no article text.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np

from newsweave.analysis import support
from newsweave.eval import alignment as al

ROOT = Path(__file__).resolve().parents[1]
SWEEP = (0.03, 0.1, 0.3)


def scores(pairs: list[al.SupportPair], predicted: list[bool], positives: int) -> dict[str, float]:
    tp = sum(1 for p, q in zip(pairs, predicted, strict=True) if q and p.gold)
    fp = sum(1 for p, q in zip(pairs, predicted, strict=True) if q and not p.gold)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / positives if positives else 1.0
    return {
        "precision": round(prec, 3),
        "recall": round(rec, 3),
        "f1": round(2 * prec * rec / (prec + rec) if prec + rec else 0.0, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=support.SUPPORT_MODEL_FILE)
    ap.add_argument("--sweep", action="store_true", help="cross-validate each L2 strength of SWEEP")
    args = ap.parse_args()
    started = time.perf_counter()
    files = sorted((ROOT / "evals" / "alignment").glob("*.json"))
    prepared = al.prepare_clusters(files, args.data)
    pairs = al.support_pairs({k: (ac, st) for k, (ac, st, _r) in prepared.items()})
    # every gold supporting pair, those without a compatible window included (they are misses)
    positives = 0
    for ac, story, _r in prepared.values():
        by_article = {a.id: a.sentences for a in story.articles}
        for a in ac.data.get("anchors", []):
            aid = al.doc_id(a["doc"])
            if al.match(ac.raw[aid][a["start"] : a["end"]], by_article.get(aid, ())) is not None:
                positives += len({al.doc_id(x) for x in a["supports"]} - {aid})
    rule = [bool(p.x[support.FEATURES.index("rule")]) for p in pairs]
    print(f"{len(pairs)} pairs with a compatible window, {positives} gold supporting pairs in all")
    print("hand-set rule        ", scores(pairs, rule, positives))
    cv: dict[str, float] = {}
    for c in SWEEP if args.sweep else (al.SUPPORT_C,):
        models = al.fold_models(pairs, c=c)
        got = scores(pairs, [support.decide(models[p.cluster], p.x) for p in pairs], positives)
        print(f"model C={c:<5} CV by cluster", got)
        if c == al.SUPPORT_C:
            cv = got
    model = al.fit_support(pairs)
    header = {
        "name": support.SUPPORT_MODEL,
        "trained": date.today().isoformat(),
        "data": f"evals/alignment/ ({len(files)} clusters, {len(pairs)} pairs, {positives} supporting)",
        "estimator": f"scikit-learn LogisticRegression(C={al.SUPPORT_C}) over standardized features; "
        f"threshold by {al.INNER_FOLDS} inner folds, F-beta {al.SUPPORT_BETA}",
        "cv_by_cluster": {"folds": al.SUPPORT_FOLDS, **cv},
        "rule": scores(pairs, rule, positives),
    }
    args.out.write_text(json.dumps({"header": header, "model": model.to_json()}, indent=1) + "\n", "utf-8")
    weights = sorted(zip(support.FEATURES, model.coef, strict=True), key=lambda t: -abs(t[1]))
    print("threshold", model.threshold, "largest weights:", ", ".join(f"{n} {w:+.2f}" for n, w in weights[:6]))
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s; mean |x| {np.abs(model.mean).mean():.3f}")


if __name__ == "__main__":
    main()
