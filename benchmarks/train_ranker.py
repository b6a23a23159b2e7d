"""Train the sentence scorer of the newsweave summarizer and write the shipped model file.

    python benchmarks/train_ranker.py [--folds 5] [--cache /tmp/newsweave-ranker] [--out PATH]

Prepares every cluster of ../shared/data/mds/{multinews,allsides}-dev.jsonl once (cleaning,
sentences, features, embeddings; cached as a pickle outside the repo), labels each cluster's
candidate sentences with the greedy ROUGE oracle (summarize/training.py), then
  1. cross-validates by cluster, per set: K folds by a hash of the cluster id; each fold's
     summaries come from a model trained on the other folds of that set (a fold's clusters are
     never in its training), and prints ROUGE and citation precision of those summaries beside
     the baselines (centroid, Lead, LexRank, TextRank, Random) on the same clusters;
  2. fits the model on every cluster of both sets and writes it (deterministic: lbfgs from
     zero, the same rows in the same order give the same file).
The figures `newsweave eval summaries FILE --folds K` and the gate print come from the same
code (`eval.summaries.cross_validated`), so this is also the quick way to read them.
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path
from typing import Any

from newsweave.eval.rouge import METRICS, rouge
from newsweave.eval.summaries import check_attribution, cross_validated
from newsweave.summarize import get
from newsweave.summarize.learned import MODEL_FILE
from newsweave.summarize.training import example, fit

ROOT = Path(__file__).resolve().parents[1]
MDS = ROOT.parent / "shared" / "data" / "mds"
SETS = ("multinews", "allsides")
BASELINES = ("centroid", "lead", "lexrank", "textrank", "random")


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
    ap.add_argument("--baselines", default=",".join(BASELINES), help="baselines to score beside it ('' for none)")
    ap.add_argument("--model", choices=("ensemble", "trees", "linear"), default="ensemble")
    ap.add_argument("--sets", default=",".join(SETS), help="dev sets to use (default: both)")
    args = ap.parse_args()
    sets = tuple(args.sets.split(","))
    data = {n: prepared(n, args.cache) for n in sets}
    for n in sets:
        rows = [(cid, st, refs[0], len(refs[0].split())) for cid, st, refs in data[n]]
        # exactly what `eval summaries --folds` and the gate run
        ours = cross_validated(rows, args.folds, kind=args.model)
        systems = ("newsweave (cv)", *(b for b in args.baselines.split(",") if b))
        totals = {s: dict.fromkeys(METRICS, 0.0) for s in systems}
        check = {"cited_ok": 0, "cited": 0}
        for cid, story, refs in data[n]:
            b = len(refs[0].split())
            picks = {"newsweave (cv)": [x.text for x in ours[cid]]}
            for k, v in check_attribution(ours[cid], story).items():
                if k in check:
                    check[k] += v
            for s in systems[1:]:
                picks[s] = [x.text for x in get(s).select(story, b)]
            for s, chosen in picks.items():
                r = rouge(" ".join(chosen), refs)
                for m in METRICS:
                    totals[s][m] += r[m] / len(data[n])
        print(f"\n{n}-dev: {len(data[n])} clusters, newsweave {args.folds}-fold by cluster, ROUGE F1 %")
        print(f"{'system':<16}" + "".join(f"{m:>9}" for m in METRICS))
        for s in systems:
            print(f"{s:<16}" + "".join(f"{totals[s][m]:>9.2f}" for m in METRICS))
        precision = check["cited_ok"] / check["cited"] if check["cited"] else 1.0
        print(f"citation precision (independent check): {precision:.4f} over {check['cited']} cited pairs")
    examples = [example(cid, st, refs[0], len(refs[0].split())) for n in sets for cid, st, refs in data[n]]
    payload = fit(examples, name="ranker-v1", kind=args.model)
    payload["trained_on"] = [f"{n}-dev.jsonl" for n in sets]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({payload['clusters']} clusters, {payload['positives']} positive sentences)")


if __name__ == "__main__":
    main()
