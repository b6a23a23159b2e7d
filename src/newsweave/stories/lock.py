"""One writer per story store: an OS file lock on `<db>.lock`, held for a whole ingest run.

SQLite's own lock lasts one transaction, but a run clusters from the state it loaded at its
start, so two runs interleaving their batches would hand out the same story ids. The lock
here is `flock(2)` on a file beside the store: the kernel drops it when the process ends,
however it ends (kill -9 included), so a stale lock cannot outlive its writer and there is
nothing to clean up. The holder writes who it is (pid, run, start, command) into the file, so
a writer that gives up can name it. Readers never take it; they may probe it (`holder`).
POSIX only (Linux, macOS): `fcntl` is not on Windows.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# How often a waiting writer retries: short against a 10 s default wait, cheap for the kernel.
POLL_SECONDS = 0.1
# Tries before giving up, whatever the wait (see `acquire`).
MIN_TRIES = 3

# Descriptors of the writer locks this process holds. `flock` belongs to the open file, which a
# fork shares: a forked child (the feature workers of `ingest --workers`, spaCy's workers for a
# long brief) would hold the writer lock as long as it lives, so a killed ingest could look
# `running` until its orphans died. Each child closes its copies as it starts (the parent's
# lock stands: it is dropped only when every copy is closed).
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def describe(holder: dict[str, Any] | None) -> str:
    """What is known of a holder, as in: pid 4242, run 3, since 10:48:01 UTC: newsweave ingest a.jsonl."""
    if not holder:
        return "holder unknown"
    parts = [f"pid {holder['pid']}"] if holder.get("pid") else []
    if holder.get("run"):
        parts.append(f"run {holder['run']}")
    if holder.get("started"):
        parts.append(f"since {str(holder['started'])[11:19]} UTC")
    text = ", ".join(parts) or "holder unknown"
    return f"{text}: {holder['command']}" if holder.get("command") else text


def default_command() -> str:
    """The command line of this process, as a user would type it."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name in ("__main__.py", "-m", "-c") or name.startswith("python"):
        name = "newsweave"
    return " ".join([name, *sys.argv[1:]])


class WriterLock:
    """Exclusive, re-entrant within one object, released by `release` or the process's end."""

    def __init__(self, db: Path) -> None:
        self.path = lock_path(db)
        self._fd: int | None = None
        self._depth = 0
        self.info: dict[str, Any] = {}

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(
        self,
        *,
        wait: float,
        command: str | None = None,
        on_wait: Callable[[dict[str, Any] | None, float], None] | None = None,
    ) -> bool:
        """Take the lock, waiting up to `wait` seconds; False (holder in `holder()`) when it stays taken.
        `on_wait(holder, seconds)` follows a wait that ended with the lock taken (failing says it all)."""
        if self._fd is not None:
            self._depth += 1
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        start = time.monotonic()
        waited_for: dict[str, Any] | None = None
        tries = 0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                tries += 1
                # A reader's probe (`holder`) holds a shared lock for microseconds: never give
                # up on the first tries, even with no wait, or a probe could fail a writer.
                if time.monotonic() - start >= wait and tries >= MIN_TRIES:
                    os.close(fd)
                    return False
                if waited_for is None:
                    waited_for = _read_record(fd)
                time.sleep(POLL_SECONDS if tries >= MIN_TRIES else 0.01)
        self._fd, self._depth = fd, 1
        _HELD.add(fd)
        if on_wait and waited_for:  # a holder's record: a real writer, not a reader's probe
            on_wait(waited_for, time.monotonic() - start)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        self.info = {"pid": os.getpid(), "run": None, "started": started, "command": command or default_command()}
        self._write()
        return True

    def note_run(self, run: int) -> None:
        """Name the run in the holder record, once the run has an id."""
        if self._fd is not None:
            self.info["run"] = run
            self._write()

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth > 0:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(fd)
        try:
            os.ftruncate(fd, 0)  # a later reader finds no holder record from us
        finally:
            os.close(fd)  # closing the last descriptor drops the flock

    def holder(self) -> dict[str, Any] | None:
        """Who writes the store now: its record ({} if it has not written one yet), or None."""
        if self._fd is not None:
            return dict(self.info)
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None  # no lock file: no writer has ever run here
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _read_record(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def _write(self) -> None:
        assert self._fd is not None
        data = json.dumps(self.info).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)


def _read_record(fd: int) -> dict[str, Any]:
    # The holder rewrites its record (truncate, write) once, when its run gets an id: a read
    # in between finds it empty or partial, so read again briefly before giving up on it.
    for _ in range(5):
        raw = os.pread(fd, 65536, 0)
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            time.sleep(0.02)
            continue
        return record if isinstance(record, dict) else {}
    return {}
