"""Grid search of the newsweave summarizer's constants on the dev sets (never on one cluster).

    python benchmarks/tune_summarizer.py [--limit N]

Prepares every cluster of ../shared/data/mds/{multinews,allsides}-dev.jsonl once (cleaning,
sentences, features, embeddings), then scores each setting's summaries with ROUGE-2 and
prints the best settings by the mean of the two sets' ROUGE-2 (each set counts equally).
The chosen values live as constants in src/newsweave/summarize/coverage.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
from pathlib import Path

from newsweave.eval.datasets import read_mds
from newsweave.eval.rouge import rouge
from newsweave.nlp.embed import load_encoder
from newsweave.nlp.language import load_model
from newsweave.pipeline import cite, prepare
from newsweave.summarize import coverage

ROOT = Path(__file__).resolve().parents[1]
MDS = ROOT.parent / "shared" / "data" / "mds"
GRID = {
    "UNIGRAM_WEIGHT": [0.25, 0.5, 1.0],
    "LENGTH_EXPONENT": [0.5, 0.7, 0.9],
    "LEAD_BONUS": [0.0, 0.5, 1.5],
}
# FUTURE_PENALTY, DANGLING_PENALTY and MAX_OVERLAP are set for faithfulness and readability
# (reading the example and seed briefs), not for ROUGE, and stay out of the grid.


def prepared(name: str, limit: int | None, cache: Path) -> list[tuple[object, tuple[str, ...]]]:
    if cache.exists():
        loaded: list[tuple[object, tuple[str, ...]]] = pickle.loads(cache.read_bytes())
        return loaded
    nlp, enc = load_model(), load_encoder()
    out = []
    for c in read_mds(MDS / f"{name}-dev.jsonl", limit=limit):
        try:
            out.append((prepare(c.articles, nlp=nlp, encoder=enc).text, c.references))
        except Exception as exc:
            print(f"skip {c.id}: {exc}")
    cache.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--grid", type=json.loads, default=GRID, help='JSON {"CONSTANT": [values]} replacing the grid')
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsweave-tune"))
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    sets = {n: prepared(n, args.limit, args.cache / f"{n}-{args.limit}.pkl") for n in ("multinews", "allsides")}
    results = []
    grid: dict[str, list[float]] = args.grid
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        for k, v in zip(keys, values, strict=True):
            setattr(coverage, k, v)
        per_set = {}
        for name, clusters in sets.items():
            r2 = []
            for story, refs in clusters:
                budget = len(refs[0].split())
                text = " ".join(s.text for s in cite(coverage.Coverage().select(story, budget), story))  # type: ignore[arg-type]
                r2.append(rouge(text, refs)["rouge2"])
            per_set[name] = sum(r2) / len(r2)
        score = sum(per_set.values()) / len(per_set)
        results.append((score, per_set, dict(zip(keys, values, strict=True))))
        print(f"{score:.3f} {per_set} {results[-1][2]}", flush=True)
    results.sort(key=lambda r: -r[0])
    print("best:")
    for r in results[:10]:
        print(f"{r[0]:.3f} {r[1]} {r[2]}")


if __name__ == "__main__":
    main()
