"""Throughput and memory of the story stream: ingest + clustering, 1 process vs Dask.

    python benchmarks/bench_stream.py [--data ../shared/data] [--limit N] [--replicas 10]

Real articles: Multi-News and AllSides dev (mds/), Timeline17 (timelines/, dated) and
WikiRef220 (clustering/), about 3,400 in all, written as JSONL files of 100 articles (the
unit of parallel work). Measured:

1. end-to-end `batch.run` (read, clean, NER, MinHash, cluster, SQLite) with the local
   engine and with Dask on a LocalCluster of 2 worker processes;
2. clustering alone on the stored features, and on a long stream made of `--replicas`
   copies of those features moved 60 days apart each time (fresh ids and hashes, so they
   are new stories, not duplicates): articles/s and the clusterer's open state over time,
   which must stay flat while the stream grows;
3. store size per article, and an estimate for 1,000,000 articles.

Prints a table and writes benchmarks/results/stream.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsweave.model import ArticleFeatures
from newsweave.stories import batch
from newsweave.stories.cluster import StoryClusterer
from newsweave.stories.store import Store

OUT = Path(__file__).parent / "results" / "stream.json"


def pool(data: Path, limit: int | None) -> list[dict[str, str | None]]:
    recs: list[dict[str, str | None]] = []
    for name in ("multinews-dev", "allsides-dev"):
        for line in (data / "mds" / f"{name}.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            for j, d in enumerate(r["documents"]):
                text, title = (d.get("text"), d.get("title")) if isinstance(d, dict) else (d, None)
                recs.append({"id": f"{name}-{r['id']}-{j}", "text": text, "title": title, "published": None})
    for f in sorted((data / "timelines").glob("*/articles.json.gz")):
        with gzip.open(f) as fh:
            articles = json.load(fh)
        for k, a in enumerate(articles):
            text = a["text"] if isinstance(a["text"], str) else " ".join(map(str, a["text"]))
            recs.append({"id": f"{f.parent.name}-{k}", "text": text, "title": None, "published": str(a["dct"])[:10]})
    for f in sorted((data / "clustering" / "wikiref220").glob("*.txt")):
        recs.append({"id": f.stem, "text": f.read_text(encoding="utf-8", errors="replace"), "title": None})
    return recs[:limit] if limit else recs


def write_archive(recs: list[dict[str, str | None]], folder: Path, per_file: int = 100) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(recs), per_file):
        with (folder / f"part-{i // per_file:04d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in recs[i : i + per_file]:
                fh.write(json.dumps(r) + "\n")


def run_engine(folder: Path, db: Path, spec: str) -> dict[str, float]:
    """spec: "local", "dask", or either with ":noner" (no entity features: no spaCy at all)."""
    engine, _, option = spec.partition(":")
    t = time.perf_counter()
    with Store(db) as s:
        report = batch.run([str(folder)], s, engine=engine, workers=2, entities=option != "noner")
    secs = time.perf_counter() - t
    return {"articles": report.added, "seconds": secs, "articles_per_s": report.added / secs}


def stored_features(db: Path) -> list[ArticleFeatures]:
    with Store(db) as s:
        return [f for _, f in s.features_after(0)]


def long_stream(feats: list[ArticleFeatures], replicas: int) -> list[ArticleFeatures]:
    base = min((f.day for f in feats if f.day is not None), default=0)
    out = []
    for k in range(replicas):
        shift = 60 * k
        for f in feats:
            out.append(
                replace(
                    f,
                    article_id=f"{f.article_id}~{k}",
                    content_hash=f"{f.content_hash}~{k}",
                    day=(f.day if f.day is not None else base) + shift,
                    minhash=tuple((h + k) % (1 << 32) for h in f.minhash),
                )
            )
    return out


def cluster_run(feats: list[ArticleFeatures], checkpoints: int = 5) -> dict[str, object]:
    tracemalloc.start()
    c = StoryClusterer()
    marks = []
    step = max(1, len(feats) // checkpoints)
    t = time.perf_counter()
    for i, f in enumerate(feats, start=1):
        c.add(f)
        if i % step == 0 or i == len(feats):
            c.pop_closed()  # what the store does after each batch
            cur, _ = tracemalloc.get_traced_memory()
            marks.append({"articles": i, "traced_mb": round(cur / 1e6, 1), **c.memory()})
    secs = time.perf_counter() - t
    tracemalloc.stop()
    # Speed without tracemalloc's overhead, three times: this machine's speed wanders by
    # a quarter from one minute to the next, so the median and the range are reported.
    runs = []
    for _ in range(3):
        c2 = StoryClusterer()
        t = time.perf_counter()
        for f in feats:
            c2.add(f)
        runs.append(time.perf_counter() - t)
    fast = statistics.median(runs)
    return {
        "articles": len(feats),
        "seconds": fast,
        "articles_per_s": len(feats) / fast,
        "articles_per_s_range": [len(feats) / max(runs), len(feats) / min(runs)],
        "traced_seconds": secs,
        "memory": marks,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--replicas", type=int, default=10)
    ap.add_argument("--engines", default="local,dask,dask:noner")
    args = ap.parse_args()
    if not (args.data / "mds").is_dir():
        sys.exit(f"error: no data at {args.data}")
    recs = pool(args.data, args.limit)
    result: dict[str, object] = {"pool_articles": len(recs), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        write_archive(recs, folder)
        engines = {}
        db = None
        for engine in args.engines.split(","):
            db = Path(tmp) / f"{engine.replace(':', '-')}.db"
            print(f"ingest with engine={engine} ...", file=sys.stderr)
            engines[engine] = run_engine(folder, db, engine)
            engines[engine]["store_bytes_per_article"] = (
                sum(p.stat().st_size for p in Path(tmp).glob(f"{db.name}*")) / engines[engine]["articles"]
            )
        result["ingest"] = engines
        assert db is not None
        # Clustering alone runs on features with entities (the default configuration).
        feats = stored_features(Path(tmp) / ("local.db" if "local" in engines else "dask.db"))
    print("clustering alone ...", file=sys.stderr)
    result["clustering_real"] = cluster_run(feats)
    result["clustering_long_stream"] = cluster_run(long_stream(feats, args.replicas), checkpoints=args.replicas)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")

    con = Console(highlight=False)
    t = Table(title=f"Stream throughput, {len(recs)} real articles, {os.cpu_count()} cores")
    for col in ("what", "articles", "seconds", "articles/s", "store bytes/article"):
        t.add_column(col, justify="left" if col == "what" else "right")
    for engine, r in engines.items():
        label = "ingest + clustering, " + ("1 process" if engine.startswith("local") else "Dask 2 workers")
        label += ", no NER" if engine.endswith(":noner") else ""
        t.add_row(
            label,
            str(r["articles"]),
            f"{r['seconds']:.1f}",
            f"{r['articles_per_s']:.1f}",
            f"{r['store_bytes_per_article']:.0f}",
        )
    for key, label in (
        ("clustering_real", "clustering only (features stored)"),
        ("clustering_long_stream", f"clustering only, {args.replicas}x longer dated stream"),
    ):
        r = result[key]  # type: ignore[assignment]
        lo, hi = r["articles_per_s_range"]
        rate = f"{r['articles_per_s']:.0f} ({lo:.0f}-{hi:.0f})"
        t.add_row(label + ", median of 3", str(r["articles"]), f"{r['seconds']:.2f}", rate, "")
    con.print(t)
    m = Table(title="Clusterer state along the long stream (must not grow with history)")
    for col in ("articles", "traced MB", "open stories", "open articles", "vocabulary"):
        m.add_column(col, justify="right")
    for mark in result["clustering_long_stream"]["memory"]:  # type: ignore[index]
        m.add_row(
            str(mark["articles"]),
            str(mark["traced_mb"]),
            str(mark["open_stories"]),
            str(mark["open_articles"]),
            str(mark["vocabulary"]),
        )
    con.print(m)
    best = max(r["articles_per_s"] for r in engines.values())
    bpa = max(r["store_bytes_per_article"] for r in engines.values())
    con.print(
        f"1,000,000 articles at the best measured end-to-end rate ({best:.1f}/s): {1e6 / best / 3600:.1f} h on this "
        f"machine; store about {bpa * 1e6 / 1e9:.1f} GB; clustering alone "
        f"{1e6 / result['clustering_long_stream']['articles_per_s'] / 60:.1f} min."  # type: ignore[index]
    )


if __name__ == "__main__":
    main()
