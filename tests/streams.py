"""Realistic news streams for the store tests, built at test time from ../shared (never copied).

Multi-News (full-length reports, no headline) and AllSides (short reports with a headline)
dev clusters, pooled and shuffled with a fixed seed: a stream in which each story's reports
arrive mixed with every other story's, as in a wire feed.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

ALLSIDES = SHARED / "mds" / "allsides-dev.jsonl"
MULTINEWS = SHARED / "mds" / "multinews-dev.jsonl"
needs_streams = pytest.mark.skipif(
    not (ALLSIDES.is_file() and MULTINEWS.is_file()),
    reason="../shared/data/mds (Multi-News, AllSides dev) is absent: real reports are never copied into the repo",
)


def records(seed: int = 11) -> list[dict[str, str]]:
    """Every dev report as a JSONL record (id, optional title, text), in a seeded shuffled order."""
    out: list[dict[str, str]] = []
    with MULTINEWS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out += [{"id": f"mn-{rec['id']}-{j}", "text": d} for j, d in enumerate(rec["documents"])]
    with ALLSIDES.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out += [
                {"id": f"as-{rec['id']}-{j}", "title": d["title"], "text": d["text"]}
                for j, d in enumerate(rec["documents"])
            ]
    random.Random(seed).shuffle(out)
    return out


TIMELINES = SHARED / "timelines"


def timeline_records() -> list[dict[str, str]]:
    """Every Timeline17 article (2,008, dated), topic by topic in publication order: a long
    real stream, for a writer that must still be writing when others arrive."""
    import gzip

    out: list[dict[str, str]] = []
    for f in sorted(TIMELINES.glob("*/articles.json.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            rows = json.load(fh)
        for r in sorted(rows, key=lambda r: str(r.get("dct") or "")):
            out.append(
                {"id": f"tl-{f.parent.name}-{r['uid']}", "published": str(r.get("dct") or ""), "text": r["text"]}
            )
    return out


def write_jsonl(path: Path, recs: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for r in recs:
            out.write(json.dumps(r) + "\n")
    return path


def write_folder(folder: Path, recs: list[dict[str, str]]) -> Path:
    """One .txt per report (headline, blank line, body); names sort in stream order."""
    folder.mkdir()
    for i, r in enumerate(recs):
        head = f"{r['title']}\n\n" if r.get("title") else ""
        (folder / f"{i:04d}-{r['id']}.txt").write_text(head + r["text"], encoding="utf-8")
    return folder


def newsweave(*args: str) -> list[str]:
    """The real command line, as a user runs it."""
    return [sys.executable, "-m", "newsweave", *args]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(newsweave(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def partition(db: Path) -> list[tuple[str, ...]]:
    """Stories as sorted tuples of article ext ids: comparable across stores."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT m.story_id, a.ext_id FROM memberships m JOIN articles a ON a.id = m.article_id")
        by: dict[int, list[str]] = {}
        for sid, ext in rows:
            by.setdefault(sid, []).append(ext)
    return sorted(tuple(sorted(v)) for v in by.values())


def committed(db: Path) -> int:
    """Articles committed so far, read as a reader does (never blocks a writer in WAL mode)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2) as c:
            return int(c.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created or not migrated yet


def wait_until(check: Any, proc: subprocess.Popen[str], timeout: float = 120.0, what: str = "") -> None:
    """Poll `check()` until true; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while not check():
        if proc.poll() is not None:
            raise AssertionError(f"the process ended before {what}: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
