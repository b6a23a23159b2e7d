"""Crash points: `kill -9` a real `newsweave ingest` at random moments, then resume.

After every kill the store must be exactly an uninterrupted run's store after some number
of whole batches: its articles are the first n of the stream, none doubled, each in one
story, the stories are those the clusterer makes of those n articles, and the killed run
reads `interrupted`. After the last kill of a chain the same command is rerun to the end,
and the stories equal those of an uninterrupted run. The kill times come from a seeded
generator (NEWSWEAVE_CRASH_SEED) and are printed, so a failure can be replayed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from newsweave.stories.cluster import StoryClusterer
from newsweave.stories.lock import WriterLock
from newsweave.stories.store import Store
from tests.streams import committed, needs_streams, newsweave, partition, records, start, write_folder, write_jsonl

pytestmark = needs_streams

SEED = int(os.environ.get("NEWSWEAVE_CRASH_SEED", "20261125"))


@dataclass(frozen=True, slots=True)
class Reference:
    """An uninterrupted run of the command: its articles in order, and how long it took."""

    db: Path
    seconds: float
    to_lock: float  # from the start of the process to its taking the writer lock
    to_last_commit: float  # ... to the last new article seen committed
    ext_ids: list[str]

    def prefix_partition(self, n: int) -> list[tuple[str, ...]]:
        """The stories of the first n articles, as the clusterer makes them from their features."""
        c = StoryClusterer()
        with Store(self.db) as s:
            for rowid, f in s.features_after(0):
                if rowid > n:
                    break
                c.add(replace(f, article_id=str(rowid)))
        by: dict[int, list[str]] = {}
        for aid, sid in c.story_of.items():
            by.setdefault(sid, []).append(self.ext_ids[int(aid) - 1])
        return sorted(tuple(sorted(v)) for v in by.values())


def _reference(args: list[str], db: Path) -> Reference:
    t0 = time.monotonic()
    proc = start(*args, "--db", str(db), "-q")
    lock, to_lock, last, count = WriterLock(db), None, 0.0, 0
    while proc.poll() is None:
        if to_lock is None and (lock.holder() or {}).get("pid") == proc.pid:
            to_lock = time.monotonic() - t0
        if committed(db) > count:
            count, last = committed(db), time.monotonic() - t0
        time.sleep(0.02)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    with sqlite3.connect(db) as c:
        ext_ids = [r[0] for r in c.execute("SELECT ext_id FROM articles ORDER BY id")]
    seconds = time.monotonic() - t0
    return Reference(db=db, seconds=seconds, to_lock=to_lock or 0.0, to_last_commit=last or seconds, ext_ids=ext_ids)


def _check_killed(db: Path, ref: Reference, seen_before_kill: int, runs_before: int) -> tuple[int, bool]:
    """The store after a kill: whole batches of the stream, nothing lost, nothing doubled;
    (articles committed, whether the killed run had started and reads interrupted)."""
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if c.execute("PRAGMA user_version").fetchone()[0] == 0:  # killed while creating the store
            assert not c.execute("SELECT name FROM sqlite_master WHERE name = 'articles'").fetchall()
            return 0, False
        ext = [r[0] for r in c.execute("SELECT ext_id FROM articles ORDER BY id")]
        n = len(ext)
        assert ext == ref.ext_ids[:n], "the committed articles are not the stream's first ones"
        assert n >= seen_before_kill, f"{seen_before_kill} articles were committed, {n} remain"
        hashes = c.execute("SELECT COUNT(DISTINCT content_hash) FROM articles").fetchone()[0]
        members = c.execute("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM memberships").fetchone()
        assert hashes == n and tuple(members) == (n, n), "an article or a membership is doubled or missing"
        bad = c.execute(
            "SELECT COUNT(*) FROM stories st WHERE st.state != 'merged' AND st.size != "
            "(SELECT COUNT(*) FROM memberships m WHERE m.story_id = st.id)"
        ).fetchone()[0]
        assert bad == 0, "a story row disagrees with its members"
        run_rows = c.execute("SELECT added FROM runs").fetchall()
        assert sum(r[0] for r in run_rows) == n, "the runs' counts disagree with the articles"
    assert partition(db) == ref.prefix_partition(n)
    with Store(db) as s:
        runs = s.runs()
    if len(runs) == runs_before:  # killed before its run started
        return n, False
    # Killed before the run finished, or between its last commit and the process's exit.
    assert runs[-1]["status"] == "interrupted" or (runs[-1]["status"] == "done" and n == len(ref.ext_ids))
    return n, runs[-1]["status"] == "interrupted"


def _crash_chains(name: str, args: list[str], tmp_path: Path, kills: int, per_chain: int) -> None:
    """Kill, check, resume, kill again ... `per_chain` kills then a run to the end; until `kills`."""
    rng = random.Random(f"{SEED}-{name}")
    ref = _reference(args, tmp_path / f"{name}-ref.db")
    print(
        f"{name}: uninterrupted run {ref.seconds:.2f} s (lock at {ref.to_lock:.2f} s, last commit at"
        f" {ref.to_last_commit:.2f} s), {len(ref.ext_ids)} articles"
    )
    done = chain = 0
    while done < kills:
        chain += 1
        assert chain <= kills + 3, "too many runs ended before their kill time"
        db = tmp_path / f"{name}-{chain}.db"
        in_chain = killed_runs = 0
        while in_chain < per_chain and done < kills:
            runs_before = 0
            if db.exists():
                with Store(db) as s:
                    runs_before = len(s.runs())
            # Most kills land while the run reads and writes: a random time after this very
            # process took the lock, up to just past the reference's last commit (start-up
            # time varies with the machine's load; the writing that follows varies less).
            # Some land from the process's start: start-up, store creation, migrations.
            from_lock = rng.random() >= 0.1
            span = ref.to_last_commit - ref.to_lock + 0.1
            at = rng.uniform(0.0, span) if from_lock else rng.uniform(0.0, ref.to_lock)
            proc = start(*args, "--db", str(db), "-q")
            lock, t0 = WriterLock(db), time.monotonic()
            if from_lock:
                while proc.poll() is None and (lock.holder() or {}).get("pid") != proc.pid:
                    time.sleep(0.02)
                t0 = time.monotonic()
            seen = 0
            while proc.poll() is None and time.monotonic() - t0 < at:
                seen = max(seen, committed(db))
                time.sleep(0.05)
            when = f"{at:.2f} s after its {'lock' if from_lock else 'start'}"
            if proc.poll() is not None:
                print(f"{name} chain {chain}: the run ended before its kill at {when}")
                assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
                break
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            done += 1
            in_chain += 1
            n, interrupted = _check_killed(db, ref, seen, runs_before)
            killed_runs += interrupted
            print(f"{name} kill {done}: chain {chain}, {when} (seed {SEED}): {n} articles committed")
            if n == len(ref.ext_ids):
                break  # all committed: a new chain tests more crash points than this one
        resumed = subprocess.run(newsweave(*args, "--db", str(db), "-q"), capture_output=True, text=True, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        assert partition(db) == partition(ref.db), f"{name} chain {chain}: stories differ after resuming"
        with Store(db) as s:
            assert s.article_count() == len(ref.ext_ids)
            statuses = [r["status"] for r in s.db.execute("SELECT status FROM runs ORDER BY id")]
        # Every killed run reads interrupted (a kill between a run's last commit and its exit
        # leaves it done); none stays running.
        assert statuses[-1] == "done" and set(statuses) <= {"interrupted", "done"}, statuses
        assert statuses.count("interrupted") >= killed_runs, statuses


@pytest.fixture(scope="module")
def stream() -> list[dict[str, str]]:
    return records(seed=3)


def test_kill_9_a_long_jsonl_ingest_and_resume(stream: list[dict[str, str]], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "wire.jsonl", stream[:700])
    _crash_chains("jsonl", ["ingest", str(src), "--no-entities"], tmp_path, kills=8, per_chain=5)


def test_kill_9_a_folder_of_short_reports_and_resume(stream: list[dict[str, str]], tmp_path: Path) -> None:
    src = write_folder(tmp_path / "desk", [r for r in stream if r.get("title")][:600])
    _crash_chains("folder", ["ingest", str(src), "--no-entities"], tmp_path, kills=8, per_chain=5)


def test_kill_9_with_entities_and_resume(stream: list[dict[str, str]], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "wire.jsonl", stream[900:1115])
    _crash_chains("entities", ["ingest", str(src), "--entities"], tmp_path, kills=3, per_chain=3)


def test_an_interrupted_run_is_listed_and_named_by_stories(stream: list[dict[str, str]], tmp_path: Path) -> None:
    """Through the CLI: `runs` shows the killed run interrupted, `stories` says to rerun, and the
    next writer records it so."""
    src = write_jsonl(tmp_path / "wire.jsonl", stream[:1200])
    db = tmp_path / "s.db"
    # One process: with worker processes the parts are featurized ahead and commits come in a
    # rush (a 1.5 s run), too fast to watch one by one; commits per part are what is tested.
    proc = start("ingest", str(src), "--db", str(db), "--no-entities", "--workers", "1", "-q")
    while committed(db) < 200 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    readers = [start("runs", "--db", str(db), "-f", "json"), start("stories", "--db", str(db), "-n", "1")]
    runs, stories = (r.communicate(timeout=120) for r in readers)
    assert [r.returncode for r in readers] == [0, 0], runs[1] + stories[1]
    (run,) = json.loads(runs[0])
    assert run["status"] == "interrupted" and run["added"] >= 200 and run["sources"] == [str(src)]
    assert "rerun the same ingest to resume" in run["message"]
    assert f"the last ingest (run 1) was interrupted after {run['added']} article(s)" in stories[1]
    assert f"newsweave ingest {src} --db {db}" in stories[1]


def test_a_long_jsonl_commits_batch_by_batch_while_it_reads(stream: list[dict[str, str]], tmp_path: Path) -> None:
    """One JSONL of every dev report through the CLI: the first batch is committed early in the
    run (not after the whole file is read and featurized) and more follow, one by one."""
    src = write_jsonl(tmp_path / "wire.jsonl", stream)
    db = tmp_path / "s.db"
    lock = WriterLock(db)
    t0 = time.monotonic()
    # One process: with worker processes the parts are featurized ahead and commits come in a
    # rush (a 1.5 s run), too fast to watch one by one; commits per part are what is tested.
    proc = start("ingest", str(src), "--db", str(db), "--no-entities", "--workers", "1", "-q")
    began = first = None
    counts: list[int] = []
    while proc.poll() is None:
        if began is None and (lock.holder() or {}).get("pid") == proc.pid:
            began = time.monotonic()  # the run's own work starts with its lock
        n = committed(db)
        if n and first is None:
            first = time.monotonic()
        if n and (not counts or counts[-1] != n):
            counts.append(n)
        time.sleep(0.01)
    end = time.monotonic()
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    total = committed(db)
    start_of_work = began if began is not None else t0
    assert first is not None, "nothing was seen committed before the run ended"
    print(f"first commit {first - start_of_work:.2f} s into a {end - start_of_work:.2f} s run; seen {counts}")
    assert first - start_of_work < 0.5 * (end - start_of_work), "the first commit came late in the run"
    assert counts[0] <= 200 and len([c for c in counts if c < total]) >= 3, counts
