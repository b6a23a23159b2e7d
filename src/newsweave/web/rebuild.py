"""Briefs rebuilt in the background: a request never waits for the brief pipeline.

A page or an API call that finds no brief of the story's current version asks for one and
answers at once with what the store holds (the last brief, marked stale, or none); one worker
thread, with its own writable connection, builds the briefs asked for, one at a time, in the
order asked, and saves them through `stories.story_brief` (the same cache the CLI reads).
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

from newsweave import stories
from newsweave.errors import NewsweaveError
from newsweave.stories.api import BriefBuilder

Job = tuple[int, int]  # (story id, word budget)


class Rebuilder:
    """One worker thread building the briefs asked for; `request` never blocks."""

    def __init__(self, path: str | os.PathLike[str], *, build: BriefBuilder | None = None) -> None:
        self.path = Path(path)
        self._build = build
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._pending: set[Job] = set()
        self._guard = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self.built = 0
        self.errors: dict[Job, str] = {}  # the last failure of each job ("v<story version>: message")

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="newsweave-briefs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Let the brief in progress finish, drop the rest, end the thread."""
        if self._thread is not None:
            with self._guard:
                self._pending.clear()
                while not self._queue.empty():
                    self._queue.get_nowait()
            self._queue.put(None)
            self._thread.join(timeout=120)
            self._thread = None

    def request(self, story: int, words: int) -> None:
        """Ask for a story's brief (a job already waiting is not queued twice)."""
        job = (story, words)
        with self._guard:
            if job in self._pending:
                return
            self._pending.add(job)
            self._idle.clear()
        self.start()
        self._queue.put(job)

    def pending(self, story: int, words: int) -> bool:
        with self._guard:
            return (story, words) in self._pending

    @property
    def waiting(self) -> int:
        with self._guard:
            return len(self._pending)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every asked brief is built (tests, benchmarks and `--build-briefs`)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        store: stories.Store | None = None
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                version = 0
                try:
                    if store is None:
                        store = stories.open_store(self.path)
                    row = store.story(job[0])
                    version = row.version if row else 0
                    stories.story_brief(store, job[0], words=job[1], format="json", build=self._build)
                    self.built += 1
                    self.errors.pop(job, None)
                except NewsweaveError as exc:  # kept with the version it failed for: not retried for it
                    self.errors[job] = f"v{version}: {exc}"
                except Exception as exc:  # a bug in one brief must not stop every later one
                    self.errors[job] = f"v{version}: {type(exc).__name__}: {exc}"
                finally:
                    with self._guard:
                        self._pending.discard(job)
                        if not self._pending:
                            self._idle.set()
        finally:
            if store is not None:
                store.close()
