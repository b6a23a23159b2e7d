"""Two real `newsweave ingest` processes on one store: one writer at a time, for real.

Each test provokes one timing (both at once on a new store, the second while the first
loads spaCy, while it is mid-run, after it ends, a short wait that times out) and checks
that the stories equal those of the two runs made one after the other, in the order the
store's runs table says they held the writer lock (or of the first run alone, when the
second gave up).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsweave.stories import batch
from newsweave.stories.lock import WriterLock
from newsweave.stories.store import Store
from tests.streams import (
    TIMELINES,
    committed,
    needs_streams,
    partition,
    records,
    start,
    timeline_records,
    wait_until,
    write_folder,
    write_jsonl,
)

pytestmark = [
    needs_streams,
    pytest.mark.skipif(not TIMELINES.is_dir(), reason="../shared/data/timelines is absent"),
]


class Inputs:
    """A JSONL stream (A), a folder of short reports (B), a short JSONL (A2) and one more (C),
    all real, with stories shared between them (one shuffled pool split four ways); and the
    2,008 Timeline17 articles (LONG): the writer still writing when others arrive."""

    def __init__(self, root: Path) -> None:
        recs = records(seed=7)
        self.a = str(write_jsonl(root / "wire.jsonl", recs[:500]))
        self.b = str(write_folder(root / "desk", [r for r in recs[500:1000] if r.get("title")][:150]))
        self.a2 = str(write_jsonl(root / "short.jsonl", recs[1000:1150]))
        self.c = str(write_jsonl(root / "late.jsonl", recs[1150:]))
        self.long = str(write_jsonl(root / "long.jsonl", timeline_records()))
        self.root = root
        self._refs: dict[tuple[tuple[str, bool], ...], list[tuple[str, ...]]] = {}

    def sequential(self, *runs: tuple[str, bool]) -> list[tuple[str, ...]]:
        """The stories of these (source, entities) runs made one after the other."""
        if runs not in self._refs:
            db = self.root / f"ref-{len(self._refs)}.db"
            with Store(db) as s:
                for source, entities in runs:
                    batch.run([source], s, entities=entities)
            self._refs[runs] = partition(db)
        return self._refs[runs]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return Inputs(tmp_path_factory.mktemp("streams"))


def _ingest(source: str, db: Path, *extra: str) -> list[str]:
    return ["ingest", source, "--db", str(db), "--format", "json", *extra]


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def _order(db: Path, entities: dict[str, bool]) -> tuple[tuple[str, bool], ...]:
    """(source, entities) of each run, in the order the runs took the writer lock."""
    with Store(db) as s:
        return tuple((json.loads(r["sources"])[0], entities[json.loads(r["sources"])[0]]) for r in s.runs())


def _two(
    inputs: Inputs,
    db: Path,
    first: tuple[str, bool],
    second: tuple[str, bool],
    when: Callable[[subprocess.Popen[str]], None],
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """Start `first`, wait for `when(first_process)`, start `second`; both results."""
    flag = {True: "--entities", False: "--no-entities"}
    p1 = start(*_ingest(first[0], db, flag[first[1]]))
    when(p1)
    p2 = start(*_ingest(second[0], db, flag[second[1]], "--wait", "120"))
    return _finish(p1), _finish(p2)


def _check(inputs: Inputs, db: Path, r1: tuple[int, str, str], r2: tuple[int, str, str], ents: dict[str, bool]) -> None:
    assert r1[0] == 0, r1[2]
    assert r2[0] == 0, r2[2]
    order = _order(db, ents)
    assert len(order) == 2 and {o[0] for o in order} == set(ents)
    assert partition(db) == inputs.sequential(*order)
    with Store(db) as s:
        assert [r["status"] for r in s.runs()] == ["done", "done"]
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_writers_started_at_once_on_a_new_store(inputs: Inputs, tmp_path: Path) -> None:
    """Both create and migrate the file at the same moment; then one waits for the other."""
    db = tmp_path / "s.db"
    ents = {inputs.a: False, inputs.b: False}
    r1, r2 = _two(inputs, db, (inputs.a, False), (inputs.b, False), lambda p: None)
    _check(inputs, db, r1, r2, ents)


def test_writers_that_start_while_the_first_writes_wait_or_give_up(inputs: Inputs, tmp_path: Path) -> None:
    """The first holds the lock from before it reads. A second (--wait 120) waits, says whom
    it waited for, and runs after it; a third (--wait 0.5) gives up with one line naming the
    holder, exit 3, and writes nothing."""
    db = tmp_path / "s.db"
    lock = WriterLock(db)
    # One process on the long stream: the lock is what is tested, and it must outlast the third.
    p1 = start(*_ingest(inputs.long, db, "--entities", "--workers", "1"))
    wait_until(lambda: (lock.holder() or {}).get("run") == 1, p1, what="the first run takes the lock")
    p2 = start(*_ingest(inputs.b, db, "--no-entities", "--wait", "120"))
    p3 = start(*_ingest(inputs.a2, db, "--no-entities", "--wait", "0.5"))
    r3 = _finish(p3)
    first_alive = p1.poll() is None
    r1, r2 = _finish(p1), _finish(p2)
    assert first_alive, "the first run ended before the third gave up: the test proves nothing"
    _check(inputs, db, r1, r2, {inputs.long: True, inputs.b: False})
    assert [o[0] for o in _order(db, {inputs.long: True, inputs.b: False})] == [inputs.long, inputs.b]
    assert "s for another writer of" in r2[2] and f"(pid {p1.pid}, run 1" in r2[2], r2[2]
    assert r3[0] == 3, r3[2]
    lines = [line for line in r3[2].splitlines() if line.strip()]
    assert len(lines) == 1, r3[2]
    assert f"pid {p1.pid}" in lines[0] and "run 1" in lines[0] and "long.jsonl" in lines[0], lines[0]
    assert "gave up after waiting 0.5 s" in lines[0] and str(db) in lines[0]
    assert r3[1] == ""
    with Store(db) as s:  # the third wrote nothing: no run, none of its reports
        assert s.db.execute("SELECT COUNT(*) FROM articles WHERE path LIKE ?", (f"{inputs.a2}%",)).fetchone()[0] == 0


def test_second_writer_starts_mid_run_and_readers_never_block(inputs: Inputs, tmp_path: Path) -> None:
    db = tmp_path / "s.db"

    def first_committed_a_batch(p: subprocess.Popen[str]) -> None:
        wait_until(lambda: committed(db) >= 200, p, what="the first run commits a batch")

    # The long stream in one process is still writing when the second arrives (with worker
    # processes, most parts are featurized before the first commit).
    ents = {inputs.long: True, inputs.b: False}
    p1 = start(*_ingest(inputs.long, db, "--entities", "--workers", "1"))
    first_committed_a_batch(p1)
    p2 = start(*_ingest(inputs.b, db, "--no-entities", "--wait", "120"))
    # Readers while both writers live (one writing, one waiting) answer at once.
    readers = [start("runs", "--db", str(db), "--format", "json"), start("stories", "--db", str(db), "-f", "json")]
    (c1, runs, e1), (c2, _, e2) = (_finish(r) for r in readers)
    assert c1 == 0 and c2 == 0, e1 + e2
    listed = json.loads(runs)
    if p1.poll() is None:  # the first is still writing: its run shows as running, not interrupted
        assert listed[0]["status"] == "running" and listed[0]["sources"] == [inputs.long]
    r1, r2 = _finish(p1), _finish(p2)
    _check(inputs, db, r1, r2, ents)
    assert [o[0] for o in _order(db, ents)] == [inputs.long, inputs.b]
    assert f"s for another writer of {db} (pid {p1.pid}, run 1" in r2[2], "the second never waited: no overlap"


def test_second_writer_after_the_first_ends(inputs: Inputs, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ents = {inputs.b: False, inputs.a: False}
    r1, r2 = _two(inputs, db, (inputs.b, False), (inputs.a, False), lambda p: p.wait(timeout=300))
    _check(inputs, db, r1, r2, ents)
    assert [o[0] for o in _order(db, ents)] == [inputs.b, inputs.a]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_never_holds_the_writer_lock(tmp_path: Path) -> None:
    """The feature workers of `ingest --workers` are forked from the writer: the lock must go
    when the writer releases it (or dies), however long a child lives."""
    db = tmp_path / "s.db"
    mine = WriterLock(db)
    assert mine.acquire(wait=0)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child only sleeps, holding whatever it inherited
        time.sleep(5)
        os._exit(0)
    try:
        other = WriterLock(db)
        assert not other.acquire(wait=0), "the writer's own lock must still stand"
        mine.release()
        assert other.acquire(wait=0), "the forked child kept the writer lock"
        other.release()
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
