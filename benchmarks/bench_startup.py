"""Start-up cost of newsweave's entry points, each a fresh process, beside the same on older code.

    python benchmarks/bench_startup.py [--repeat 5] [--before SRC] [--json out.json]

Rows (each the median of --repeat fresh processes, after one warm-up run that is not counted):
  --version        `python -m newsweave --version`
  import stories   `python -c "import newsweave.stories"` (`newsweave.store` in older code)
  brief cold       `python -m newsweave brief examples/caldenport-metro --meta ... -q` (interpreter start,
                   imports, model loads, the brief, Markdown to /dev/null): a user's first run
  brief warm       in one process, after a first brief of the example: the same brief again
                   (median of --repeat), and the brief of the same five reports with every
                   sentence changed (a word appended), so that nothing parsed or encoded before is
                   reused: what a new story of that size costs with the models loaded
Wall and CPU seconds (user + system, from the OS's accounting of the finished child) and the
child's peak RSS. `--before SRC` runs every row again with PYTHONPATH=SRC (a checkout's src/ of
older code, e.g. `git worktree add /tmp/before <commit>`), so both columns come from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "caldenport-metro"
META = ROOT / "examples" / "caldenport-metro.meta.csv"


def warm_child(repeat: int) -> None:
    """In this process: a first brief, then `repeat` of the same reports and of changed ones."""
    from dataclasses import replace

    import newsweave
    from newsweave.ingest import load

    newsweave.brief([EXAMPLE])
    same = []
    for _ in range(repeat):
        t = time.perf_counter()
        newsweave.brief([EXAMPLE])
        same.append(time.perf_counter() - t)
    articles = load([EXAMPLE]).articles
    fresh = []
    for n in range(repeat):
        # Every sentence changes (a marker after its first word), so no parse or vector is reused.
        changed = [replace(a, text=re.sub(r"(?m)^(\S+)", rf"\1 v{n}", a.text)) for a in articles]
        t = time.perf_counter()
        newsweave.brief(changed)
        fresh.append(time.perf_counter() - t)
    print(json.dumps({"same": statistics.median(same), "fresh": statistics.median(fresh)}))


ROWS: dict[str, list[str]] = {
    "--version": [sys.executable, "-m", "newsweave", "--version"],
    # the story store's module: newsweave.stories, or newsweave.store in code from before it
    "import stories": [
        sys.executable,
        "-c",
        "try:\n    import newsweave.stories\nexcept ImportError:\n    import newsweave.store",
    ],
    "brief cold": [sys.executable, "-m", "newsweave", "brief", str(EXAMPLE), "--meta", str(META), "-q"],
}


def measure(cmd: list[str], repeat: int, src: str | None) -> dict[str, float]:
    wrapped = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(json.dumps({'wall': time.perf_counter() - t, 'cpu': u.ru_utime + u.ru_stime, "
        "'rss': u.ru_maxrss / 1024}))",
        *cmd,
    ]
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    runs = []
    for i in range(repeat + 1):
        out = subprocess.run(wrapped, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        if i:  # the first run warms the OS's file cache and is not counted
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "rss")}


def warm(repeat: int, src: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    out = subprocess.run(
        [sys.executable, __file__, "--warm-child", str(repeat)], capture_output=True, text=True, env=env, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--before", help="src/ folder of older code to measure beside this one")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--warm-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.warm_child is not None:
        warm_child(args.warm_child)
        return
    versions: dict[str, str | None] = {"now": None}
    if args.before:
        versions["before"] = str(Path(args.before).resolve())
    results: dict[str, dict[str, Any]] = {}
    for name, src in versions.items():
        rows: dict[str, Any] = {row: measure(cmd, args.repeat, src) for row, cmd in ROWS.items()}
        rows["brief warm"] = warm(args.repeat, src)
        results[name] = rows
    table = Table(title=f"start-up, fresh processes, median of {args.repeat} ({os.cpu_count()} cores)")
    table.add_column("entry point")
    for name in versions:
        for col in ("wall s", "CPU s", "peak RSS MB"):
            table.add_column(f"{col} ({name})" if len(versions) > 1 else col, justify="right")
    for row in ROWS:
        cells = []
        for name in versions:
            r = results[name][row]
            cells += [f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{r['rss']:.0f}"]
        table.add_row(row, *cells)
    for key, label in (("same", "brief warm (same reports)"), ("fresh", "brief warm (new sentences)")):
        cells = []
        for name in versions:
            cells += [f"{results[name]['brief warm'][key]:.3f}", "", ""]
        table.add_row(label, *cells)
    Console(width=None if sys.stdout.isatty() else 120).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
