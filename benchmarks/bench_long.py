"""Time and memory of the brief of one long report, as a user runs it, in one table.

    python benchmarks/bench_long.py [--data ../shared/data] [--sizes 0.3,1,3] [--json out.json]

The report is built at run time (never stored) from real text: the Timeline17 articles on the
2010 BP oil spill (../shared/data/timelines/bpoil_*), in their order, as plain-text paragraphs
of four sentences, one `.txt` file of the given size in MB. Each size runs in a fresh process:
imports, model loads and `newsweave.brief(["report.txt"])` with the defaults of
`newsweave brief` (embeddings, analysis). Columns: wall seconds from interpreter start, peak
RSS of the process and of its language workers (resource.getrusage: RUSAGE_SELF, and
RUSAGE_CHILDREN for the forked spaCy workers of a long story), words per second of the whole
run, and seconds per stage (from each stage's first progress report to the next stage's).
Timings vary with the machine and with what else runs on it: compare rows of one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
# Timeline17 text is tokenized ("week . It", "-LRB-"): undone so that it reads as a report.
_DETOK = [(re.compile(r" ([.,;:!?)'])"), r"\1"), (re.compile(r"\( "), "(")]
_PTB = {"-LRB-": "(", "-RRB-": ")", "``": '"', "''": '"'}
SENTENCES_PER_PARAGRAPH = 4
# Stage names as table columns.
SHORT = {
    "reading": "read s",
    "cleaning": "clean s",
    "analysing language": "spaCy s",
    "merging entities": "entities s",
    "loading the embedding model": "encoder load s",
    "comparing sources": "embed s",
    "summarizing": "summary s",
    "analysing claims, quotes and time": "analysis s",
}


def long_report(data: Path, megabytes: float) -> str:
    """About `megabytes` MB of one story's real reports as one plain-text report."""
    limit = int(megabytes * 1_000_000)
    paras: list[str] = []
    size = 0
    for f in sorted((data / "timelines").glob("bpoil_*/articles.json.gz")):
        with gzip.open(f) as fh:
            for a in json.load(fh):
                text = a["text"] if isinstance(a["text"], str) else " ".join(map(str, a["text"]))
                for k, v in _PTB.items():
                    text = text.replace(k, v)
                for pattern, repl in _DETOK:
                    text = pattern.sub(repl, text)
                sents = re.split(r"(?<=[.!?]) (?=[A-Z])", text)
                for i in range(0, len(sents), SENTENCES_PER_PARAGRAPH):
                    para = " ".join(sents[i : i + SENTENCES_PER_PARAGRAPH])
                    paras.append(para)
                    size += len(para.encode()) + 2
                    if size >= limit:
                        return "\n\n".join(paras) + "\n"
    raise SystemExit(f"{data}/timelines holds less than {megabytes} MB of BP oil spill text")


def child(path: Path) -> None:
    """One fresh process: the brief of `path`, timed per stage."""
    from newsweave import brief

    marks: list[tuple[str, float]] = []

    def progress(p: Any) -> None:  # newsweave.model.Progress (a str before it existed)
        stage = getattr(p, "stage", str(p))  # a plain stage name from newsweave before Progress records
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    t0 = time.perf_counter()
    result = brief([path], progress=progress)
    end = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages: dict[str, float] = {}
    for (name, a), (_, b) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        stages[name] = stages.get(name, 0.0) + b - a
    print(
        json.dumps(
            {
                "wall_s": end - START,
                "brief_s": end - t0,
                "words": sum(s.words for s in result.sources),
                "sentences": sum(len(t) for t in result.texts.values()),
                "peak_mb": me.ru_maxrss / 1024,  # Linux: KiB
                "workers_peak_mb": workers.ru_maxrss / 1024,
                # CPU seconds of the process and its workers: the work done, whatever else runs
                "cpu_s": me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime,
                "stages": stages,
                "warnings": list(getattr(result, "warnings", ())),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="../shared/data")
    ap.add_argument("--sizes", default="1,3", help="report sizes in MB")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return

    from rich.console import Console
    from rich.table import Table

    console = Console(width=200)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (float(s) for s in args.sizes.split(",") if s):
            path = Path(tmp) / f"report-{mb:g}MB.txt"
            path.write_text(long_report(args.data, mb), encoding="utf-8")
            with console.status(f"{mb:g} MB report"):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=False
                )
            if out.returncode != 0:
                raise SystemExit(f"benchmark child failed for {mb} MB:\n{out.stderr[-2000:]}")
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append({"mb": mb, "bytes": path.stat().st_size, **row})

    table = Table(title=f"newsweave brief of one long report ({os.cpu_count()} CPUs)")
    stage_names = list(dict.fromkeys(k for r in rows for k in r["stages"]))
    columns = ("MB", "words", "sentences", "wall s", "CPU s", "peak MB", "workers MB", "words/s")
    for col in (*columns, *(SHORT.get(s, s) for s in stage_names)):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            f"{r['bytes'] / 1e6:.2f}",
            f"{r['words']:,}",
            f"{r['sentences']:,}",
            f"{r['wall_s']:.1f}",
            f"{r['cpu_s']:.1f}",
            f"{r['peak_mb']:.0f}",
            f"{r['workers_peak_mb']:.0f}",
            f"{r['words'] / r['wall_s']:,.0f}",
            *(f"{r['stages'].get(s, 0.0):.1f}" for s in stage_names),
        )
    console.print(table)
    console.print(
        "wall = fresh process from interpreter start (imports, model loads, reading) to the finished brief; "
        "CPU = user + system seconds of the process and its workers; peak MB = the process's peak RSS; "
        "workers MB = the largest peak of its forked spaCy workers; stage columns: wall seconds."
    )
    for r in rows:
        for w in r["warnings"]:
            console.print(f"{r['mb']:g} MB: warning: {w}", highlight=False, markup=False)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
