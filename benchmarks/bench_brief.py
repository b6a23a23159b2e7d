"""Speed and memory of the brief, beside sumy's LexRank, in one run.

    python benchmarks/bench_brief.py [--data ../shared/data] [--sizes 5,20,100,500] [--repeat 3] [--json out.json]

For the bundled example and the seed cluster (../shared/data/seeds):
  cold   a fresh process: imports, model loads, the whole brief (seconds, peak RSS)
  warm   the same brief again with models loaded (median of --repeat runs), per stage
For growing clusters of one real story, the 2010 BP oil spill as reported by BBC, Fox News,
the Guardian, Reuters and the Washington Post (Timeline17, ../shared/data/timelines), the
first N reports in publication order (5, 20, 100, 500 articles): warm time, words and
articles per second and peak RSS of a fresh process per size.
LexRank rows run sumy's LexRank on the same cleaned sentences (our ingest, cleaning and
sentence split, since sumy's own tokenizer needs NLTK data that cannot be downloaded),
without embeddings and without the cross-source analysis; the newsweave rows include
both (claims, quotes, stance, timeline, coverage), and the stage table shows their cost.
Prints a table and writes JSON. Timings vary with the machine: compare rows, not runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from newsweave.model import Progress

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "caldenport-metro"
EXAMPLE_META = ROOT / "examples" / "caldenport-metro.meta.csv"
# --data sets this for the fresh child processes too
DATA_ENV = "NEWSWEAVE_BENCH_DATA"


def shared() -> Path:
    return Path(os.environ.get(DATA_ENV) or ROOT.parent / "shared" / "data")


def bpoil_files() -> list[Path]:
    return sorted((shared() / "timelines").glob("bpoil_*/articles.json.gz"))


OUTLETS = {
    "bbc": "BBC",
    "foxnews": "Fox News",
    "guardian": "The Guardian",
    "reuters": "Reuters",
    "washingtonpost": "The Washington Post",
}
MAX_LEXRANK_ARTICLES = 100


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _articles_for(cluster: str, size: int | None) -> list[Any]:
    from newsweave import ingest

    if cluster == "example":
        return list(ingest.apply_meta(ingest.load([EXAMPLE]).articles, ingest.load_meta(EXAMPLE_META)))
    if cluster == "seeds":
        return list(ingest.load([shared() / "seeds"]).articles)
    return real_articles(size or 5)


def real_articles(n: int) -> list[Any]:
    """The first n reports of at least 150 words on the BP oil spill, by date, across five outlets."""
    import gzip

    from newsweave.model import Article

    pool: list[Article] = []
    for f in bpoil_files():
        outlet = f.parent.name.split("_", 1)[1]
        with gzip.open(f) as fh:
            for k, a in enumerate(json.load(fh)):
                text = a["text"] if isinstance(a["text"], str) else " ".join(map(str, a["text"]))
                if len(text.split()) >= 150:
                    day = str(a["dct"])[:10]
                    pool.append(Article(id=f"{outlet}-{k}", outlet=OUTLETS[outlet], published=day, text=text))
    pool.sort(key=lambda a: (a.published, a.id))
    return pool[:n]


def run_brief(articles: list[Any], system: str, *, stages: dict[str, float] | None = None) -> Any:
    from newsweave import brief

    marks: list[tuple[str, float]] = []

    def progress(update: Progress) -> None:
        # updates carry counts within a stage; a stage's time runs from its first update
        if not marks or marks[-1][0] != update.stage:
            marks.append((update.stage, time.perf_counter()))

    start = time.perf_counter()
    summarizer = "newsweave" if system == "newsweave" else "lexrank"
    ours = system == "newsweave"
    result = brief(articles, summarizer=summarizer, embeddings=ours, analysis=ours, progress=progress)
    end = time.perf_counter()
    if stages is not None:
        points = [*marks, ("end", end)]
        for (name, t0), (_, t1) in itertools.pairwise(points):
            stages[name] = stages.get(name, 0.0) + (t1 - t0)
        stages["total"] = stages.get("total", 0.0) + (end - start)
    return result


def child(system: str, cluster: str, size: int | None) -> None:
    """One fresh process: imports, model loads (by a brief of the bundled example), then the
    cluster's brief once, timed as warm (once, not twice: the 500-report brief takes minutes).
    The parent times the whole process as the cold start."""
    t0 = time.perf_counter()
    articles = _articles_for(cluster, size)
    t_read = time.perf_counter()
    run_brief(_articles_for("example", None), system)  # models and lazy imports loaded
    t_loaded = time.perf_counter()
    stages: dict[str, float] = {}
    run_brief(articles, system, stages=stages)
    print(
        json.dumps(
            {
                "read_s": t_read - t0,
                "load_s": t_loaded - t_read,
                "warm_s": stages["total"],
                "stages": stages,
                "articles": len(articles),
                "words": sum(len(a.text.split()) for a in articles),
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def spawn(system: str, cluster: str, size: int | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", system, cluster, str(size or 0)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    data["cold_s"] = wall  # interpreter start, imports, model loads, the first brief: a user's first run
    return data


def warm_repeats(system: str, cluster: str, repeat: int) -> tuple[float, dict[str, float]]:
    articles = _articles_for(cluster, None)
    run_brief(articles, system)  # load models
    times, stage_runs = [], []
    for _ in range(repeat):
        st: dict[str, float] = {}
        run_brief(articles, system, stages=st)
        times.append(st["total"])
        stage_runs.append(st)
    med = statistics.median(times)
    stages = {k: statistics.median(r.get(k, 0.0) for r in stage_runs) for k in stage_runs[0]}
    return med, stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,20,100,500", help="cluster sizes built from real articles")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=shared(), help="../shared/data: seeds and timelines")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "brief.json")
    ap.add_argument("--child", nargs=3, metavar=("SYSTEM", "CLUSTER", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        system, cluster, size = args.child
        child(system, cluster, int(size) or None)
        return

    from rich.console import Console
    from rich.table import Table

    console = Console()
    os.environ[DATA_ENV] = str(args.data.resolve())
    seeds = (shared() / "seeds").is_dir()
    clusters = ["example"] + (["seeds"] if seeds else [])
    sizes = [int(s) for s in args.sizes.split(",") if s] if bpoil_files() else []
    if not bpoil_files():
        console.print(f"[yellow]{shared()}/timelines absent: growing-cluster rows skipped[/]")
    if not seeds:
        console.print(f"[yellow]{shared()}/seeds absent: seed rows skipped[/]")
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "clusters": {}}

    table = Table(title="newsweave brief vs sumy LexRank (same ingest, cleaning and sentences)")
    for col in ("cluster", "system", "articles", "words", "cold s", "warm s", "articles/s warm", "peak RSS MB"):
        table.add_column(col, justify="right" if col not in ("cluster", "system") else "left")
    stage_table = Table(title="warm time per stage, seconds (median)")
    stage_cols: list[str] = []

    for cluster in clusters:
        for system in ("newsweave", "lexrank"):
            with console.status(f"{cluster} / {system}"):
                cold = spawn(system, cluster)
                warm, stages = warm_repeats(system, cluster, args.repeat)
            row = {**cold, "warm_s": warm, "stages": stages}
            results["clusters"].setdefault(cluster, {})[system] = row
            table.add_row(
                cluster,
                system,
                str(cold["articles"]),
                f"{cold['words']:,}",
                f"{cold['cold_s']:.2f}",
                f"{warm:.3f}",
                f"{cold['articles'] / warm:.1f}",
                f"{cold['peak_rss_mb']:.0f}",
            )
            if not stage_cols:
                stage_cols = [k for k in stages if k != "total"]
                for c in ("cluster", "system", *stage_cols, "total"):
                    stage_table.add_column(c, justify="left" if c in ("cluster", "system") else "right")
            stage_table.add_row(cluster, system, *(f"{stages.get(c, 0.0):.3f}" for c in [*stage_cols, "total"]))

    for n in sizes:
        # sumy's LexRank is quadratic in sentences (100 articles: ~2 minutes); not run above that
        for system in ("newsweave", "lexrank") if n <= MAX_LEXRANK_ARTICLES else ("newsweave",):
            with console.status(f"{n} real articles / {system}"):
                r = spawn(system, "bpoil", n)
            results["clusters"].setdefault(f"bpoil-{n}", {})[system] = r
            table.add_row(
                f"bpoil-{n}",
                system,
                str(r["articles"]),
                f"{r['words']:,}",
                f"{r['cold_s']:.2f}",
                f"{r['warm_s']:.3f}",
                f"{r['articles'] / r['warm_s']:.1f}",
                f"{r['peak_rss_mb']:.0f}",
            )
            stage_table.add_row(
                f"bpoil-{n}", system, *(f"{r['stages'].get(c, 0.0):.3f}" for c in [*stage_cols, "total"])
            )

    console.print(table)
    console.print(stage_table)
    console.print(
        "cold = a fresh process from interpreter start: imports, model loads, a brief of the bundled example "
        "(which loads everything; under 0.5 s warm), then this cluster's brief; "
        "warm = the brief with everything loaded (example, seeds: median of --repeat; bpoil: one run)."
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
