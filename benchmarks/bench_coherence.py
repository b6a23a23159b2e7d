"""Calibration of the "is this one story?" warning (newsweave.analysis.coherence), on real clusters.

    python benchmarks/bench_coherence.py [--data ../shared/data] [--mixes 300] [--seed 0]

Real clusters, as given (should not warn): the seeds, and every cluster of at least two reports
of mds/multinews-dev.jsonl and mds/allsides-dev.jsonl. Mixes (should warn, naming the odd
ones): a real cluster plus one report of another cluster; three reports from three clusters
(the user's "three sites on three subjects"); and two reports each of two clusters, which the
measure does not catch by design (each report has a partner on its own story).
Each cluster is cleaned as `brief` cleans it (newsweave.clean) and judged by
`coherence.odd_ones`. Prints the rates at MIN_BEST_MATCH and at nearby thresholds, and the
reports of real clusters that warn, so that a reader can see what they are.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsweave.analysis import coherence
from newsweave.clean import clean
from newsweave.model import Article

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2)


def mds_clusters(data: Path) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for name in ("multinews-dev", "allsides-dev"):
        clusters = []
        for line in (data / "mds" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            docs = [x if isinstance(x, str) else f"{x.get('title') or ''}\n{x['text']}" for x in d["documents"]]
            if len(docs) >= 2:
                clusters.append(docs)
        out[name] = clusters
    return out


def scores(texts: list[str]) -> list[float | None]:
    """Each report's best match (None: too short to judge), after the brief's cleaning."""
    cleaned = clean([Article(id=str(i), text=t) for i, t in enumerate(texts)])
    bags = [coherence.vocabulary(c.text) for c in cleaned]
    judged = [i for i, b in enumerate(bags) if b.total() >= coherence.MIN_WORDS]
    out: list[float | None] = [None] * len(texts)
    if len(judged) >= 2:
        for i, s in zip(judged, coherence.best_matches([bags[i] for i in judged]), strict=True):
            out[i] = s
    return out


def flagged(s: list[float | None], threshold: float) -> set[int]:
    return {i for i, x in enumerate(s) if x is not None and x < threshold}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--mixes", type=int, default=300, help="mixes of each kind")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    console = Console(width=160)
    rng = random.Random(args.seed)

    real = mds_clusters(args.data)
    real["seeds"] = [[p.read_text(encoding="utf-8") for p in sorted((args.data / "seeds").glob("*.txt"))]]
    pool = real["multinews-dev"] + real["allsides-dev"]

    real_scores = {name: [(c, scores(c)) for c in cs] for name, cs in real.items()}
    intruder, three, two_two = [], [], []
    for _ in range(args.mixes):
        a, b = rng.sample(range(len(pool)), 2)
        intruder.append(scores([*pool[a], rng.choice(pool[b])]))
        picks = rng.sample(range(len(pool)), 3)
        three.append(scores([rng.choice(pool[k]) for k in picks]))
        a, b = rng.sample(range(len(pool)), 2)
        two_two.append(scores([*rng.sample(pool[a], 2), *rng.sample(pool[b], 2)]))

    table = Table(title="coherence warning: real clusters (should not warn) and mixes (should)")
    for col in (
        "threshold",
        *(f"false alarms {n}" for n in real),
        "intruder named",
        "member named too",
        "3 stories: warns",
        "3 of 3 named",
        "2+2 warns",
    ):
        table.add_column(col, justify="right")
    for t in THRESHOLDS:
        fa = [sum(1 for _, s in rs if flagged(s, t)) / len(rs) for rs in real_scores.values()]
        caught = sum(1 for s in intruder if len(s) - 1 in flagged(s, t)) / len(intruder)
        member = sum(1 for s in intruder if flagged(s, t) - {len(s) - 1}) / len(intruder)
        any3 = sum(1 for s in three if flagged(s, t)) / len(three)
        all3 = sum(1 for s in three if len(flagged(s, t)) == 3) / len(three)
        any22 = sum(1 for s in two_two if flagged(s, t)) / len(two_two)
        mark = " (used)" if t == coherence.MIN_BEST_MATCH else ""
        table.add_row(
            f"{t}{mark}",
            *(f"{x:.1%}" for x in fa),
            f"{caught:.1%}",
            f"{member:.1%}",
            f"{any3:.1%}",
            f"{all3:.1%}",
            f"{any22:.1%}",
        )
    console.print(table)
    console.print(
        f"clusters: {', '.join(f'{n} {len(c)}' for n, c in real.items())}; mixes: {args.mixes} of each kind "
        f"(seed {args.seed}); reports under {coherence.MIN_WORDS} content words are not judged."
    )
    console.print(f"\nreports of real clusters that warn at {coherence.MIN_BEST_MATCH}:")
    for name, rs in real_scores.items():
        for c, s in rs:
            for i in sorted(flagged(s, coherence.MIN_BEST_MATCH)):
                opening = " ".join(c[i].split())[:90]
                console.print(
                    f"  {name} {s[i]:.3f} {len(c[i].split()):>5} words: {opening}", markup=False, highlight=False
                )


if __name__ == "__main__":
    main()
