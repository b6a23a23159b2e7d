"""Clustering alone, this library against an older one, runs interleaved on the same features' pool.

    python benchmarks/bench_cluster.py --before /tmp/nw-before/src [--data ../shared/data] [--rounds 3]

The shared 2-core machine's speed wanders by a factor of 3-5 with the other work on it, so
`bench_stream.py`'s absolute rates are only comparable within a quiet run; here each library
clusters the bench_stream pool (3,411 real articles) with its own features and defaults, one
process per run, the two alternating, and the table gives each one's median and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ONE_RUN = """
import pickle, sys, time
from newsweave.stories.cluster import StoryClusterer
feats = pickle.load(open(sys.argv[1], "rb"))
c = StoryClusterer(); t = time.perf_counter()
for f in feats: c.add(f)
print(len(feats) / (time.perf_counter() - t))
"""
FEATURES = """
import pickle, sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from bench_stream import pool
from newsweave.model import Article
from newsweave.stories.features import extract
recs = pool(Path(sys.argv[1]), None)
arts = [Article(id=str(r["id"]), text=r["text"] or "", title=r["title"], published=r.get("published")) for r in recs]
pickle.dump(extract(arts), open(sys.argv[2], "wb"))
"""


def _py(code: str, src: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True, help="src folder of an older checkout.")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not (args.data / "mds").is_dir():
        sys.exit(f"error: no data at {args.data}")
    libs = {"before": args.before.resolve(), "now": (Path(__file__).resolve().parents[1] / "src")}
    bench = str(Path(__file__).resolve().parent)
    rates: dict[str, list[float]] = {k: [] for k in libs}
    with tempfile.TemporaryDirectory() as tmp:
        feats = {k: str(Path(tmp) / f"{k}.pkl") for k in libs}
        for k, src in libs.items():
            print(f"features ({k}) ...", file=sys.stderr)
            _py(FEATURES, src, str(args.data.resolve()), feats[k], bench)
        t = time.perf_counter()
        for _ in range(args.rounds):
            for k, src in libs.items():
                rates[k].append(float(_py(ONE_RUN, src, feats[k])))
    table = Table(
        title=f"Clustering alone, 3,411 articles, {args.rounds} interleaved runs each ({time.perf_counter() - t:.0f}s)"
    )
    for col in ("library", "articles/s, median", "runs"):
        table.add_column(col, justify="left" if col == "library" else "right")
    for k, r in rates.items():
        table.add_row(k, f"{statistics.median(r):.0f}", " ".join(f"{x:.0f}" for x in r))
    ratio = statistics.median(rates["now"]) / statistics.median(rates["before"])
    Console(highlight=False).print(table)
    print(f"now / before: {ratio:.2f}")


if __name__ == "__main__":
    main()
