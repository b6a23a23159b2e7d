"""Throughput and memory of the story stream: ingest + clustering, 1 process vs Dask.

    python benchmarks/bench_stream.py [--data ../shared/data] [--limit N] [--replicas 10] [--repeat 3]
        [--before /tmp/nw-before/src]

Real articles: Multi-News and AllSides dev (mds/), Timeline17 (timelines/, dated) and
WikiRef220 (clustering/), about 3,400 in all, written as JSONL files of 100 articles (the
unit of parallel work). Measured:

1. end-to-end `batch.run` (read, clean, entities, MinHash, cluster, SQLite) without entities,
   with entities in one process, and with entities on 2 workers (local processes, and Dask
   on a LocalCluster of 2 worker processes), with the B-cubed F1 of the stories each run
   stored against the pools' own labels (Multi-News / AllSides cluster, Timeline17 timeline,
   WikiRef220 topic) and whether they are the stories of the one-process run;
2. clustering alone on the stored features, and on a long stream made of `--replicas`
   copies of those features moved 60 days apart each time (fresh ids and hashes, so they
   are new stories, not duplicates): articles/s and the clusterer's open state over time,
   which must stay flat while the stream grows;
3. store size per article, and an estimate for 1,000,000 articles.

Entities are those `features.extract` computes by default (capitalized name runs since issue
12; spaCy's NER before, which `--before` an older checkout measures).

`--before SRC` runs the same measurements with the library at SRC (an older checkout's
`src`, e.g. from `git worktree add /tmp/nw-before <commit>`) in a subprocess and prints its
figures beside today's, with whether each run's stories are the same as before. `--repeat`
runs every ingest that many times and reports the median.

Prints a table and writes benchmarks/results/stream.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsweave.eval.clustering import bcubed
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
                recs.append(
                    {
                        "id": f"{name}-{r['id']}-{j}",
                        "text": text,
                        "title": title,
                        "published": None,
                        "label": f"{name}-{r['id']}",
                    }
                )
    for f in sorted((data / "timelines").glob("*/articles.json.gz")):
        with gzip.open(f) as fh:
            articles = json.load(fh)
        for k, a in enumerate(articles):
            text = a["text"] if isinstance(a["text"], str) else " ".join(map(str, a["text"]))
            recs.append(
                {
                    "id": f"{f.parent.name}-{k}",
                    "text": text,
                    "title": None,
                    "published": str(a["dct"])[:10],
                    "label": f.parent.name,
                }
            )
    for f in sorted((data / "clustering" / "wikiref220").glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        recs.append({"id": f.stem, "text": text, "title": None, "label": re.sub(r"[._]?\d+$", "", f.stem)})
    return recs[:limit] if limit else recs


def write_archive(recs: list[dict[str, str | None]], folder: Path, per_file: int = 100) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(recs), per_file):
        with (folder / f"part-{i // per_file:04d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in recs[i : i + per_file]:
                fh.write(json.dumps({k: v for k, v in r.items() if k != "label"}) + "\n")


# What an ingest spec names: engine, workers, entities ("local-2-noner": 2 local processes, no NER).
ENGINES = "local-1-noner,local-2-noner,local-1,local-2,dask-2"
LABELS = {
    "local-1-noner": "ingest + clustering, no entities, 1 process",
    "local-2-noner": "ingest + clustering, no entities, 2 local processes",
    "local-1": "ingest + clustering, entities, 1 process",
    "local-2": "ingest + clustering, entities, 2 local processes",
    "dask-2": "ingest + clustering, entities, Dask 2 workers",
}


def run_engine(folder: Path, db: Path, spec: str, repeat: int) -> dict[str, float]:
    """One spec `repeat` times, each into a fresh store; the median rate (the last store is kept)."""
    engine, workers, *option = spec.split("-")
    rates, secs, added = [], [], 0
    for _ in range(repeat):
        for old in db.parent.glob(f"{db.name}*"):
            old.unlink()
        t = time.perf_counter()
        with Store(db) as s:
            report = batch.run([str(folder)], s, engine=engine, workers=int(workers), entities=option != ["noner"])
        secs.append(time.perf_counter() - t)
        added = report.added
        rates.append(added / secs[-1])
    return {"articles": added, "seconds": statistics.median(secs), "articles_per_s": statistics.median(rates)}


def stories(db: Path) -> list[list[str]]:
    """Stories as sorted lists of article ids (store ids differ between stores)."""
    with Store(db) as s:
        rows = s.db.execute(
            "SELECT m.story_id, a.ext_id FROM memberships m JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    by: dict[int, list[str]] = {}
    for sid, ext in rows:
        by.setdefault(sid, []).append(ext)
    return sorted(sorted(v) for v in by.values())


def story_scores(found: list[list[str]], recs: list[dict[str, str | None]]) -> dict[str, float]:
    """B-cubed F1 (%) of the stored stories against each pool's labels."""
    pred = {a: k for k, st in enumerate(found) for a in st}
    groups = {"mds dev": ("multinews-dev", "allsides-dev"), "timelines": (), "wikiref220": ()}
    out = {}
    for name, prefixes in groups.items():
        gold = {
            str(r["id"]): r["label"]
            for r in recs
            if (name == "mds dev" and str(r["id"]).startswith(prefixes))
            or (name == "timelines" and r.get("published") is not None)
            or (name == "wikiref220" and "published" not in r)
        }
        if gold:
            out[name] = round(100 * bcubed(pred, gold)["f1"], 2)
    return out


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


def measure(args: argparse.Namespace) -> dict[str, object]:
    recs = pool(args.data, args.limit)
    result: dict[str, object] = {"pool_articles": len(recs), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        write_archive(recs, folder)
        engines: dict[str, dict[str, object]] = {}
        for spec in args.engines.split(","):
            db = Path(tmp) / f"{spec}.db"
            print(f"ingest {spec} ...", file=sys.stderr)
            r: dict[str, object] = dict(run_engine(folder, db, spec, args.repeat))
            r["store_bytes_per_article"] = sum(p.stat().st_size for p in Path(tmp).glob(f"{db.name}*")) / float(
                r["articles"]  # type: ignore[arg-type]
            )
            found = stories(db)
            r["bcubed_f1"] = story_scores(found, recs)
            r["stories"] = found
            engines[spec] = r
        result["ingest"] = engines
        # Clustering alone runs on features with entities (the default configuration).
        with_ner = [e for e in engines if not e.endswith("-noner")]
        feats = stored_features(Path(tmp) / f"{with_ner[0] if with_ner else next(iter(engines))}.db")
    print("clustering alone ...", file=sys.stderr)
    result["clustering_real"] = cluster_run(feats)
    result["clustering_long_stream"] = cluster_run(long_stream(feats, args.replicas), checkpoints=args.replicas)
    return result


def before(args: argparse.Namespace, src: Path) -> dict[str, object]:
    """The same measurements with the library at `src` (PYTHONPATH wins over the editable install)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, __file__, "--json-only", out.name, "--data", str(args.data)]
        cmd += ["--replicas", str(args.replicas), "--engines", args.engines, "--repeat", str(args.repeat)]
        cmd += ["--limit", str(args.limit)] if args.limit else []
        env = {**os.environ, "PYTHONPATH": str(src)}
        print(f"before: {src} ...", file=sys.stderr)
        subprocess.run(cmd, env=env, check=True)
        return json.loads(Path(out.name).read_text())  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--replicas", type=int, default=10)
    ap.add_argument("--engines", default=ENGINES)
    ap.add_argument("--repeat", type=int, default=1, help="Runs per ingest; the median is reported.")
    ap.add_argument("--before", type=Path, default=None, help="src folder of an older checkout to compare with.")
    ap.add_argument("--json-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not (args.data / "mds").is_dir():
        sys.exit(f"error: no data at {args.data}")
    result = measure(args)
    if args.json_only:
        args.json_only.write_text(json.dumps(result) + "\n")
        return
    old = before(args, args.before) if args.before else None
    engines: dict[str, dict[str, object]] = result["ingest"]  # type: ignore[assignment]
    first = engines.get("local-1") or next(iter(engines.values()))
    for spec, r in engines.items():
        r["same_stories_as_1_process"] = r["stories"] == first["stories"] if not spec.endswith("-noner") else None
        if old:
            r["before"] = {k: v for k, v in old["ingest"].get(spec, {}).items() if k != "stories"}  # type: ignore[attr-defined]
            r["same_stories_as_before"] = r["stories"] == old["ingest"].get(spec, {}).get("stories")  # type: ignore[attr-defined]
    if old:
        for key in ("clustering_real", "clustering_long_stream"):
            result[key]["before"] = old[key]  # type: ignore[index]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        json.dumps(
            {**result, "ingest": {k: {x: y for x, y in v.items() if x != "stories"} for k, v in engines.items()}},
            indent=2,
        )
        + "\n"
    )
    print_tables(result, args, old)


def _yes(v: object) -> str:
    return "" if v is None else "yes" if v else "NO"


def print_tables(result: dict[str, Any], args: argparse.Namespace, old: dict[str, Any] | None) -> None:
    engines: dict[str, dict[str, Any]] = result["ingest"]
    con = Console(highlight=False, width=None if sys.stdout.isatty() else 220)  # whole rows in a log
    t = Table(
        title=f"Stream throughput, {result['pool_articles']} real articles, {result['cpus']} cores "
        f"(median of {args.repeat}; B-cubed F1 % of the stored stories: mds dev / timelines / wikiref220)"
    )
    cols = ["what", "articles", "articles/s"]
    cols += ["articles/s before", "B3 F1 before"] if old else []
    cols += ["B3 F1", "same stories as 1 process"]
    cols += ["same stories as before"] if old else []
    cols += ["store bytes/article"]
    for col in cols:
        t.add_column(col, justify="left" if col == "what" else "right")

    def f1(scores: dict[str, float] | None) -> str:
        return " / ".join(f"{v:.2f}" for v in scores.values()) if scores else ""

    for spec, r in engines.items():
        row = [LABELS.get(spec, spec), str(r["articles"]), f"{r['articles_per_s']:.1f}"]
        if old:
            b = r.get("before") or {}
            row += [f"{b['articles_per_s']:.1f}" if b else "", f1(b.get("bcubed_f1"))]
        row += [f1(r["bcubed_f1"]), _yes(r["same_stories_as_1_process"])]
        row += [_yes(r["same_stories_as_before"])] if old else []
        row += [f"{r['store_bytes_per_article']:.0f}"]
        t.add_row(*row)
    for key, label in (
        ("clustering_real", "clustering only (features stored)"),
        ("clustering_long_stream", f"clustering only, {args.replicas}x longer dated stream"),
    ):
        r = result[key]
        lo, hi = r["articles_per_s_range"]
        row = [label + ", median of 3", str(r["articles"]), f"{r['articles_per_s']:.0f} ({lo:.0f}-{hi:.0f})"]
        if old:
            row += [f"{r['before']['articles_per_s']:.0f}", ""]
        row += ["", "", *([""] if old else []), ""]
        t.add_row(*row)
    con.print(t)
    m = Table(title="Clusterer state along the long stream (must not grow with history)")
    for col in ("articles", "traced MB", "open stories", "open articles", "vocabulary"):
        m.add_column(col, justify="right")
    for mark in result["clustering_long_stream"]["memory"]:
        m.add_row(
            str(mark["articles"]),
            str(mark["traced_mb"]),
            str(mark["open_stories"]),
            str(mark["open_articles"]),
            str(mark["vocabulary"]),
        )
    con.print(m)
    rated = [r for spec, r in engines.items() if not spec.endswith("-noner")] or list(engines.values())
    best = max(r["articles_per_s"] for r in rated)
    bpa = max(r["store_bytes_per_article"] for r in engines.values())
    con.print(
        f"1,000,000 articles at the best measured end-to-end rate ({best:.1f}/s): {1e6 / best / 3600:.1f} h on this "
        f"machine; store about {bpa * 1e6 / 1e9:.1f} GB; clustering alone "
        f"{1e6 / result['clustering_long_stream']['articles_per_s'] / 60:.1f} min."
    )


if __name__ == "__main__":
    main()
