"""The SQLite story store: real files, real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.stories import batch
from newsweave.stories.store import MIGRATIONS, Store, StoreBusy, StoreError
from tests.conftest import EXAMPLE, EXAMPLE_META, MULTINEWS, needs_multinews
from tests.streams import partition

runner = CliRunner()


def test_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        assert s.version == len(MIGRATIONS)
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "s.db") as s:  # reopening runs no migration twice
        assert s.version == len(MIGRATIONS)


def test_a_newer_or_foreign_file_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(StoreError, match="newer newsweave"):
        Store(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a newsweave store"):
        Store(junk)


def test_ingest_twice_dedups_and_keeps_one_story(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "s.db"
    with Store(db) as s:
        first = batch.run([str(EXAMPLE)], s)
        second = batch.run([str(EXAMPLE)], s)
        assert (first.added, first.duplicates) == (5, 0)
        assert (second.added, second.duplicates) == (0, 5)
        stories = s.stories()
        assert len(stories) == 1 and stories[0].size == 5
        assert [r["status"] for r in s.runs()] == ["done", "done"]
        assert len(s.articles_of(stories[0].id)) == 5


def test_cli_ingest_stories_story_with_cached_brief(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    r = runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db, "--meta", str(EXAMPLE_META), "--format", "json", "-q"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 5
    r = runner.invoke(app, ["stories", "--db", db, "--format", "json"])
    rows = json.loads(r.stdout)
    assert len(rows) == 1 and rows[0]["size"] == 5 and "Harbour Line" in rows[0]["title"]
    assert rows[0]["outlets"] == 4  # Metro Wire filed two of the five reports
    assert (rows[0]["first_published"], rows[0]["last_published"]) == ("2026-03-12", "2026-03-15")
    sid = str(rows[0]["id"])
    r1 = runner.invoke(app, ["story", sid, "--db", db, "--format", "json", "-q"])
    assert r1.exit_code == 0, r1.output
    brief = json.loads(r1.stdout)
    assert len(brief["sources"]) == 5 and brief["summary"]
    with Store(db) as s:
        assert s.db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0] == 1
        s.db.execute("UPDATE briefs SET content = 'cached'")
    r2 = runner.invoke(app, ["story", sid, "--db", db, "--format", "json", "-q"])
    assert r2.stdout == "cached"  # unchanged story: the stored brief, not a rebuild
    r = runner.invoke(app, ["stories", "--db", db, "--since", "2026-04-01", "--format", "json"])
    assert json.loads(r.stdout) == []


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    r = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no story store" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 2 and "no such file or folder" in r.output
    r = runner.invoke(app, ["stories", "--db", str(tmp_path / "s.db"), "--since", "yesterday-ish"])
    assert r.exit_code == 2 and "not a date" in r.output


def test_locked_store_gives_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        s = Store(db, timeout=0.2)
        with pytest.raises(StoreError, match="locked by another newsweave process"):
            s.start_run(["x"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@needs_multinews
def test_disk_full_mid_ingest_keeps_committed_batches_and_resumes(tmp_path: Path) -> None:
    """SQLite's page limit gives the same SQLITE_FULL a full disk gives, without a tiny filesystem."""
    folder = _multinews_folder(tmp_path, 300)
    db = tmp_path / "s.db"
    with Store(db) as s:
        pages = s.db.execute("PRAGMA page_count").fetchone()[0]
        s.db.execute(f"PRAGMA max_page_count = {pages + 120}")
        with pytest.raises(StoreError, match=r"^disk full while writing .*s\.db; the last committed ingest is intact"):
            batch.run([str(folder)], s, entities=False)
        kept = s.article_count()
    with Store(tmp_path / "uninterrupted.db") as s:
        batch.run([str(folder)], s, entities=False)
        total = s.article_count()
    assert 0 < kept < total  # some batches were committed before the disk filled, not all
    with Store(db) as s:  # reopened without the limit: "space freed"
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.db.execute("SELECT COUNT(*) FROM memberships").fetchone()[0] == kept
        assert s.runs()[-1]["status"] == "failed" and "disk full" in s.runs()[-1]["message"]
        report = batch.run([str(folder)], s, entities=False)
        assert (report.added, s.article_count()) == (total - kept, total)
    assert partition(db) == partition(tmp_path / "uninterrupted.db")


def _multinews_folder(tmp_path: Path, limit: int) -> Path:
    folder = tmp_path / "stream"
    folder.mkdir()
    n = 0
    with MULTINEWS.open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                n += 1
                (folder / f"a{n:03d}.txt").write_text(doc, encoding="utf-8")
                if n >= limit:
                    return folder
    return folder


def test_writer_lock_is_exclusive_names_its_holder_and_goes_with_its_owner(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as first, Store(db) as second:
        first.lock_writer(wait=0, command="newsweave ingest wire.jsonl --db s.db")
        first.writer_lock.note_run(7)
        assert second.writer() == {
            "pid": os.getpid(),
            "run": 7,
            "started": first.writer_lock.info["started"],
            "command": "newsweave ingest wire.jsonl --db s.db",
        }
        t0 = time.monotonic()
        with pytest.raises(StoreBusy) as busy:
            second.lock_writer(wait=0.3)
        assert time.monotonic() - t0 >= 0.3  # it waited before giving up
        message = str(busy.value)
        assert "\n" not in message and f"(pid {os.getpid()}, run 7, since " in message
        assert message.endswith(
            ": newsweave ingest wire.jsonl --db s.db); gave up after waiting 0.3 s (--wait SECONDS waits longer)"
        )
        first.lock_writer(wait=0)  # re-entrant in its owner: two releases let go
        first.release_writer()
        assert second.writer() is not None
        first.release_writer()
        assert second.writer() is None
        heard: list[str] = []
        second.lock_writer(wait=0, on_wait=heard.append)
        assert heard == []  # no wait, nothing to say
    with Store(db) as third:  # closing the store let go of the lock
        assert third.writer() is None
        third.lock_writer(wait=0)


def test_a_run_left_running_by_a_dead_process_is_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as s:
        s.start_run(["wire.jsonl"])  # as a process killed mid-run leaves it, without its lock
        assert s.runs()[0]["status"] == "interrupted"  # read so: nobody holds the lock
        assert s.db.execute("SELECT status FROM runs").fetchone()[0] == "running"
        s.lock_writer(wait=0)  # the next writer records it
        (row,) = s.runs()
        assert row["status"] == "interrupted" and row["finished"] == row["started"]
        assert "rerun the same ingest to resume" in row["message"]
        run = s.start_run(["wire.jsonl"])  # a live run is not touched by readers
        with Store(db) as reader:
            assert [r["status"] for r in reader.runs()] == ["interrupted", "running"]
        s.finish_run(run, status="done")


def test_cli_runs_lists_every_run_as_a_table_or_json(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", str(db), "--no-entities", "-q"]).exit_code == 0
    with Store(db) as s:
        s.start_run([str(EXAMPLE)])  # as a killed run leaves it
    r = runner.invoke(app, ["runs", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["id"], x["status"], x["added"], x["sources"]) for x in rows] == [
        (1, "done", 5, [str(EXAMPLE)]),
        (2, "interrupted", 0, [str(EXAMPLE)]),
    ]
    r = runner.invoke(app, ["runs", "--db", str(db)], terminal_width=200)
    assert r.exit_code == 0 and "2 runs in" in r.stdout and "interrupted" in r.stdout and "done" in r.stdout
    r = runner.invoke(app, ["runs", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no story store" in r.output


def test_a_readers_probe_never_fails_a_writer_even_with_no_wait(tmp_path: Path) -> None:
    """`Store.writer()` probes the lock with a shared flock for an instant; a writer with
    --wait 0 that meets one must retry, not give up."""
    import fcntl
    import threading

    from newsweave.stories.lock import lock_path

    db = tmp_path / "s.db"
    with Store(db) as s:
        fd = os.open(lock_path(db), os.O_RDONLY | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_SH)  # a probe, caught in the act
        threading.Timer(0.02, os.close, args=(fd,)).start()
        heard: list[str] = []
        s.lock_writer(wait=0, on_wait=heard.append)
        assert (s.writer() or {}).get("pid") == os.getpid() and heard == []


def test_many_processes_creating_one_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Two races of processes creating one store: switching a new file to WAL takes a lock SQLite
    does not wait for ("database is locked", 1 run in 10 of two `ingest`s at once), and a store
    a neighbour had just created looked foreign ("not a newsweave store", 1 run in 6 here)."""
    import subprocess
    import sys

    code = "import sys\nfrom newsweave.stories.store import Store\nStore(sys.argv[1]).close()"
    for round_ in range(10):
        db = tmp_path / f"new-{round_}.db"
        procs = [
            subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE, text=True)
            for _ in range(12)
        ]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
        assert all(code == 0 for code, _ in results), [err for _, err in results if err]
        with Store(db) as s:
            assert s.version == len(MIGRATIONS)
