"""The story store: one SQLite file (WAL) with numbered migrations.

Tables: ingest runs, articles (deduplicated by content hash, with their clustering
features), stories, story membership, story events (merge/split), the latest brief
per story, and the clusterer's saved state. Writes happen in transactions that the
caller scopes with `transaction()`: a crash or a kill loses only the open one. An ingest run
takes the store's writer lock first (`lock_writer`: an OS lock on `<db>.lock`, held for the
whole run, see `newsweave.stories.lock`); readers never take it.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsweave.errors import StoreBusy, StoreError
from newsweave.model import Article, ArticleFeatures
from newsweave.stories.lock import WriterLock, describe

# Each entry moves the schema one version up (PRAGMA user_version); never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',  -- running, done, failed, interrupted
        sources TEXT NOT NULL,                   -- JSON list of what was ingested
        added INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        message TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        ext_id TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        outlet TEXT, title TEXT, published TEXT, url TEXT, author TEXT, path TEXT,
        text TEXT NOT NULL,
        features TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        added TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_url ON articles(url);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        copies INTEGER NOT NULL DEFAULT 0,
        outlets INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published TEXT,
        first_seen TEXT NOT NULL,
        updated TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL DEFAULT 'open'        -- open, closed, merged
    );
    CREATE INDEX stories_updated ON stories(updated);
    CREATE TABLE memberships (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id INTEGER NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        copy_of INTEGER REFERENCES articles(id),
        score REAL NOT NULL
    );
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE story_events (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        other_id INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE briefs (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        format TEXT NOT NULL,                     -- json, markdown, html
        version INTEGER NOT NULL,                 -- the story version it was built from
        created TEXT NOT NULL,
        content TEXT NOT NULL,
        PRIMARY KEY (story_id, format)
    );
    CREATE TABLE clusterer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_article INTEGER NOT NULL,         -- state includes every article up to this id
        state BLOB NOT NULL                       -- zlib-compressed JSON
    );
    """,
)


# Written into a run left `running` by a process that is gone (killed, crashed, machine down).
INTERRUPTED = "the process ended before the run finished (killed or crashed); rerun the same ingest to resume"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRow:
    id: int
    title: str | None
    size: int
    copies: int
    outlets: int
    first_published: str | None
    last_published: str | None
    first_seen: str
    updated: str
    version: int
    state: str

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.writer_lock = WriterLock(self.path)
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"folder does not exist: {self.path.parent}")
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain(exc, self.path)) from None

    def close(self) -> None:
        self.db.close()
        while self.writer_lock.held:
            self.writer_lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer newsweave (schema {current})")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                if self.version >= number:
                    continue  # another process migrated while this one waited for the lock
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: all or nothing, and a second writer waits, then fails clearly."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(exc, self.path)) from None
        try:
            yield self.db
        except sqlite3.DatabaseError as exc:
            # A full disk or a damaged file surfaces on the INSERT, not only at COMMIT.
            self._rollback()
            raise StoreError(_explain(exc, self.path)) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise StoreError(_explain(exc, self.path)) from None

    def _rollback(self) -> None:
        # SQLite may already have rolled back on its own (e.g. SQLITE_FULL); that is fine.
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- the writer lock -------------------------------------------------------------------
    def lock_writer(
        self,
        *,
        wait: float = 10.0,
        command: str | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        """Become the one writer of this store, waiting up to `wait` seconds (StoreBusy names
        the holder otherwise; `on_wait` hears whom it waited for, and how long, when a wait
        succeeds); runs left `running` by a dead process are marked interrupted."""

        def waited(holder: dict[str, Any] | None, seconds: float) -> None:
            if on_wait:
                on_wait(f"waited {seconds:.1f} s for another writer of {self.path} ({describe(holder)})")

        try:
            got = self.writer_lock.acquire(wait=wait, command=command, on_wait=waited)
        except OSError as exc:
            raise StoreError(f"cannot lock {self.writer_lock.path}: {exc.strerror or exc}") from None
        if not got:
            holder = describe(self.writer_lock.holder())
            raise StoreBusy(
                f"{self.path} is being written by another newsweave process ({holder});"
                f" gave up after waiting {wait:g} s (--wait SECONDS waits longer)"
            )
        try:
            self._mark_interrupted()
        except BaseException:
            self.writer_lock.release()
            raise

    def release_writer(self) -> None:
        self.writer_lock.release()

    def writer(self) -> dict[str, Any] | None:
        """The process writing this store now (pid, run, started, command), or None."""
        return self.writer_lock.holder()

    def _mark_interrupted(self) -> None:
        # Holding the lock, no other process is writing: a `running` run has no live process.
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET status='interrupted', message=?, finished=COALESCE("
                "(SELECT MAX(added) FROM articles WHERE run_id = runs.id), started) WHERE status='running'",
                (INTERRUPTED,),
            )

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, sources: Sequence[str]) -> int:
        with self.transaction() as db:
            cur = db.execute("INSERT INTO runs(started, sources) VALUES (?, ?)", (now(), json.dumps(list(sources))))
            return int(cur.lastrowid or 0)

    def finish_run(self, run: int, *, status: str, message: str | None = None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished=?, status=?, message=? WHERE id=?", (now(), status, message, run))

    def count_run(self, run: int, *, added: int = 0, duplicates: int = 0, skipped: int = 0) -> None:
        self.db.execute(
            "UPDATE runs SET added=added+?, duplicates=duplicates+?, skipped=skipped+? WHERE id=?",
            (added, duplicates, skipped, run),
        )

    def runs(self, *, last: int | None = None) -> list[dict[str, Any]]:
        """Runs, oldest first (`last`: only the latest n); a `running` run whose process is gone
        reads as `interrupted` even before a writer marks it so."""
        q = "SELECT * FROM (SELECT * FROM runs ORDER BY id DESC LIMIT ?) ORDER BY id"
        rows = [dict(r) for r in self.db.execute(q, (-1 if last is None else last,))]
        if any(r["status"] == "running" for r in rows) and self.writer() is None:
            for r in rows:
                if r["status"] == "running":
                    r["status"], r["message"] = "interrupted", INTERRUPTED
        return rows

    # -- articles ------------------------------------------------------------------------
    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            part = list(hashes[i : i + 500])
            q = f"SELECT content_hash FROM articles WHERE content_hash IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.db.execute(q, part))
        return found

    def add_article(self, a: Article, f: ArticleFeatures, run: int) -> int:
        cur = self.db.execute(
            "INSERT INTO articles(ext_id, content_hash, outlet, title, published, url, author, path, text, features,"
            " run_id, added) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.id,
                f.content_hash,
                a.outlet,
                a.title,
                a.published,
                a.url,
                a.author,
                a.path,
                a.text,
                json.dumps(f.to_json(), separators=(",", ":")),
                run,
                now(),
            ),
        )
        return int(cur.lastrowid or 0)

    def features_after(self, article_id: int) -> Iterator[tuple[int, ArticleFeatures]]:
        for r in self.db.execute("SELECT id, features FROM articles WHERE id > ? ORDER BY id", (article_id,)):
            yield int(r[0]), ArticleFeatures.from_json(json.loads(r[1]))

    def articles_of(self, story: int, *, copies: bool = False) -> list[Article]:
        rows = self.db.execute(
            "SELECT a.* FROM articles a JOIN memberships m ON m.article_id = a.id WHERE m.story_id = ?"
            + ("" if copies else " AND m.copy_of IS NULL")
            + " ORDER BY a.published IS NULL, a.published, a.id",
            (story,),
        )
        return [
            Article(
                id=f"{r['id']}",
                text=r["text"],
                outlet=r["outlet"],
                title=r["title"],
                published=r["published"],
                url=r["url"],
                author=r["author"],
                path=r["path"],
            )
            for r in rows
        ]

    def article_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def memberships(self) -> dict[int, int]:
        return {int(a): int(s) for a, s in self.db.execute("SELECT article_id, story_id FROM memberships")}

    # -- stories -------------------------------------------------------------------------
    def stories(self, *, since: str | None = None, limit: int | None = None, min_size: int = 1) -> list[StoryRow]:
        q = "SELECT * FROM stories WHERE state != 'merged' AND size >= ?"
        args: list[Any] = [min_size]
        if since:
            q += " AND (last_published >= ? OR (last_published IS NULL AND updated >= ?))"
            args += [since, since]
        q += " ORDER BY COALESCE(last_published, substr(updated, 1, 10)) DESC, size DESC, id DESC"
        if limit:
            q += " LIMIT ?"
            args.append(limit)
        return [StoryRow(**dict(r)) for r in self.db.execute(q, args)]

    def story(self, sid: int) -> StoryRow | None:
        r = self.db.execute("SELECT * FROM stories WHERE id = ?", (sid,)).fetchone()
        return StoryRow(**dict(r)) if r else None

    def cached_brief(self, sid: int, version: int, fmt: str) -> str | None:
        r = self.db.execute(
            "SELECT content FROM briefs WHERE story_id = ? AND format = ? AND version = ?", (sid, fmt, version)
        ).fetchone()
        return str(r[0]) if r else None

    def save_brief(self, sid: int, version: int, fmt: str, content: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO briefs(story_id, format, version, created, content) VALUES (?,?,?,?,?)"
                " ON CONFLICT(story_id, format) DO UPDATE SET version=excluded.version, created=excluded.created,"
                " content=excluded.content",
                (sid, fmt, version, now(), content),
            )

    # -- clusterer state -----------------------------------------------------------------
    def load_state(self) -> tuple[int, dict[str, Any]] | None:
        r = self.db.execute("SELECT through_article, state FROM clusterer WHERE id = 1").fetchone()
        if not r:
            return None
        return int(r[0]), json.loads(zlib.decompress(r[1]))

    def save_state(self, through: int, state: dict[str, Any]) -> None:
        blob = zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6)
        self.db.execute(
            "INSERT INTO clusterer(id, through_article, state) VALUES (1, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET through_article=excluded.through_article, state=excluded.state",
            (through, blob),
        )


def _explain(exc: sqlite3.DatabaseError, path: Path) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another newsweave process; try again when it has finished"
    if "full" in text:
        return f"disk full while writing {path}; the last committed ingest is intact, free space and rerun"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a newsweave store (or it is damaged): {text}"
    if "unable to open" in text:
        return f"cannot open {path}: {text}"
    return f"{path}: {text}"
