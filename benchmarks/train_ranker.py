"""Train the sentence scorer of the newsweave summarizer and write the shipped model file.

    python benchmarks/train_ranker.py [--folds 5] [--cache /tmp/newsweave-ranker] [--out PATH]

Prepares every cluster of ../shared/data/mds/{multinews,allsides}-dev.jsonl once (cleaning,
sentences, features, embeddings; cached as a pickle outside the repo), labels each cluster's
candidate sentences with the greedy ROUGE oracle (summarize/training.py), then
  1. cross-validates by cluster: K folds per set by a hash of the cluster id; each fold's
     summaries come from a model trained on the other folds of both sets (a fold's clusters are
     never in its training), and prints ROUGE of those summaries beside Lead, LexRank and
     TextRank on the same clusters;
  2. fits the model on every cluster of both sets and writes it (deterministic: lbfgs from
     zero, the same rows in the same order give the same file).
The figures `newsweave eval summaries --folds K` prints come from the same code path.
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path
from typing import Any

from newsweave.eval.rouge import METRICS, rouge
from newsweave.summarize import get
from newsweave.summarize.learned import MODEL_FILE, Learned, Ranker
from newsweave.summarize.training import Example, example, fit, fold_of

ROOT = Path(__file__).resolve().parents[1]
MDS = ROOT.parent / "shared" / "data" / "mds"
SETS = ("multinews", "allsides")
BASELINES = ("lead", "lexrank", "textrank")


def prepared(name: str, cache: Path) -> list[tuple[str, Any, tuple[str, ...]]]:
    """(cluster id, StoryText, references) of every usable cluster of one dev set."""
    path = cache / f"{name}.pkl"
    if path.exists():
        return [(t[0], t[1], t[2]) for t in pickle.loads(path.read_bytes())]
    from newsweave.eval.datasets import read_mds
    from newsweave.ingest import IngestError
    from newsweave.nlp.embed import load_encoder
    from newsweave.nlp.language import load_model
    from newsweave.pipeline import prepare

    nlp, enc = load_model(), load_encoder()
    out = []
    for c in read_mds(MDS / f"{name}-dev.jsonl"):
        try:
            out.append((c.id, prepare(c.articles, nlp=nlp, encoder=enc).text, c.references))
        except IngestError as exc:
            print(f"skip {c.id}: {exc}")
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsweave-ranker"))
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--linear", action="store_true", help="a logistic regression instead of boosted trees")
    ap.add_argument("--sets", default=",".join(SETS), help="dev sets to use (default: both)")
    args = ap.parse_args()
    sets = tuple(args.sets.split(","))
    data = {n: prepared(n, args.cache) for n in sets}
    budgets = {n: [len(refs[0].split()) for _, _, refs in data[n]] for n in sets}
    examples: dict[str, list[Example]] = {
        n: [example(cid, st, refs[0], b) for (cid, st, refs), b in zip(data[n], budgets[n], strict=True)] for n in sets
    }
    k = args.folds
    models = {
        f: Ranker(fit([e for n in sets for e in examples[n] if fold_of(e.id, k) != f], linear=args.linear))
        for f in range(k)
    }
    for n in sets:
        systems = ("newsweave (cv)", *(() if args.no_baselines else BASELINES))
        totals = {s: dict.fromkeys(METRICS, 0.0) for s in systems}
        for (cid, story, refs), b in zip(data[n], budgets[n], strict=True):
            picks = {"newsweave (cv)": Learned(models[fold_of(cid, k)]).select(story, b)}
            for s in systems[1:]:
                picks[s] = get(s).select(story, b)
            for s, chosen in picks.items():
                r = rouge(" ".join(x.text for x in chosen), refs)
                for m in METRICS:
                    totals[s][m] += r[m] / len(data[n])
        print(f"\n{n}-dev: {len(data[n])} clusters, {k}-fold by cluster, ROUGE F1 %")
        print(f"{'system':<16}" + "".join(f"{m:>9}" for m in METRICS))
        for s in systems:
            print(f"{s:<16}" + "".join(f"{totals[s][m]:>9.2f}" for m in METRICS))
    payload = fit([e for n in sets for e in examples[n]], name="ranker-v1", linear=args.linear)
    payload["trained_on"] = [f"{n}-dev.jsonl" for n in sets]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({payload['clusters']} clusters, {payload['positives']} positive sentences)")
    if "coef" in payload:
        for name, c in sorted(zip(payload["features"], payload["coef"], strict=True), key=lambda t: -abs(t[1])):
            print(f"  {name:<18} {c:+.3f}")


if __name__ == "__main__":
    main()
