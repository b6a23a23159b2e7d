"""The story store: one SQLite file (WAL) with numbered migrations.

Tables: ingest runs, articles (deduplicated by content hash, with their clustering
features), stories, story membership, story events (merge/split), the latest brief
per story, and the clusterer's saved state. Writes happen in transactions that the
caller scopes with `transaction()`: a crash or a kill loses only the open one. An ingest run
takes the store's writer lock first (`lock_writer`: an OS lock on `<db>.lock`, held for the
whole run, see `newsweave.stories.lock`); readers never take it.

Every SQL statement of newsweave lives in this module. A store opened `readonly=True` reads
through `mode=ro` connections and never migrates or writes; each thread gets its own
connection (`Store.db`), so a web app can serve reads from several threads at once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsweave.errors import StoreBusy, StoreError
from newsweave.model import (
    Article,
    ArticleFeatures,
    ChangeKind,
    StoredBrief,
    Story,
    StoryArticle,
    StoryChange,
)
from newsweave.stories.lock import WriterLock, describe
from newsweave.stories.migrations import MIGRATIONS

__all__ = ["INTERRUPTED", "MIGRATIONS", "Store", "StoreBusy", "StoreError", "StoryRow", "now"]

# Tables every newsweave store has, whatever its schema: a file without them is not a store.
CORE_TABLES = ("runs", "articles", "stories", "memberships")
# Pause between tries to set up a connection while another process creates the store.
SETUP_RETRY_SECONDS = 0.02
# A story listing's order, latest first; paging is by keyset over exactly these columns.
SORT_KEY = "COALESCE(last_published, substr(updated, 1, 10))"
# One reader of an article's membership (title, outlet, url, published, copy_of).
Member = tuple[str | None, str | None, str | None, str | None, int | None]


# Written into a run left `running` by a process that is gone (killed, crashed, machine down).
INTERRUPTED = "the process ended before the run finished (killed or crashed); rerun the same ingest to resume"


# The name before the record moved to `newsweave.model` (kept for callers of 0.1).
StoryRow = Story


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One story store. Writable (the default) creates and migrates the file; `readonly=True`
    opens an existing, up-to-date store through `mode=ro` connections and refuses every write.
    Each thread that touches `db` gets its own connection, closed together by `close()`."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 10.0, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.timeout = timeout
        self.writer_lock = WriterLock(self.path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False
        if readonly and not self.path.is_file():
            raise StoreError(f"no story store at {self.path}")
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder does not exist: {self.path.parent}")
        try:
            self._check_schema() if readonly else self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(_explain(exc, self.path)) from None
        except BaseException:
            self.close()
            raise

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection to the store (opened on first use in each thread)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain(exc, self.path)) from None
        with self._guard:
            self._connections.append(conn)
        self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False only so that `close()` may close every thread's connection;
        # a connection is still used by the one thread that opened it.
        if self.readonly:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only=ON")
            return conn
        # Switching a new file to WAL takes an exclusive lock for which SQLite calls no busy
        # handler: two writers creating one store at the same moment had one fail with "database
        # is locked" (1 run in 10 of test_two_writers_started_at_once_on_a_new_store). The set-up
        # is retried until the store's timeout, as every other lock waits.
        deadline = time.monotonic() + self.timeout
        while True:
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() >= deadline:
                    raise
                time.sleep(SETUP_RETRY_SECONDS)

    def close(self) -> None:
        self._closed = True
        with self._guard:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()
        while self.writer_lock.held:
            self.writer_lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _tables(self) -> set[str]:
        return {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _check_schema(self) -> None:
        """A read-only store must already be a newsweave store of this newsweave's schema."""
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer newsweave (schema {current})")
        if current == 0 or not set(CORE_TABLES) <= self._tables():
            raise StoreError(f"{self.path} is not a newsweave store")
        if current < len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema {current}, this newsweave reads {len(MIGRATIONS)}: open it once for"
                " writing to upgrade it (any `newsweave ingest` or `newsweave stories`)"
            )

    def _migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer newsweave (schema {current})")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                if self.version >= number:
                    continue  # another process migrated while this one waited for the lock
                # Checked under the write lock: read before it, another process creating the
                # store between the two reads made a new store look foreign.
                if number == 1 and self._tables():
                    raise StoreError(f"{self.path} is not a newsweave store (it holds other tables)")
                for statement in _statements(script):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only: it cannot be written")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: all or nothing, and a second writer waits, then fails clearly."""
        self._writable()
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

        self._writable()
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
        """Insert one article and its search entry (inside the caller's transaction)."""
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
        rowid = int(cur.lastrowid or 0)
        names = " ".join(key.partition(":")[2] for key, _ in f.entities)
        self.db.execute(
            "INSERT INTO articles_fts(rowid, title, text, entities) VALUES (?,?,?,?)",
            (rowid, a.title or "", a.text, names),
        )
        return rowid

    def features_after(self, article_id: int) -> Iterator[tuple[int, ArticleFeatures]]:
        for r in self.db.execute("SELECT id, features FROM articles WHERE id > ? ORDER BY id", (article_id,)):
            yield int(r[0]), ArticleFeatures.from_json(json.loads(r[1]))

    def articles_of(self, story: int, *, copies: bool = False) -> list[Article]:
        """A story's reports as the brief reads them, oldest first (copies left out by default)."""
        return [a.to_article() for a in self.story_articles(story, copies=copies)]

    def story_articles(self, story: int, *, copies: bool = True) -> list[StoryArticle]:
        rows = self.db.execute(
            "SELECT a.*, m.copy_of, m.score FROM articles a JOIN memberships m ON m.article_id = a.id"
            " WHERE m.story_id = ?"
            + ("" if copies else " AND m.copy_of IS NULL")
            + " ORDER BY a.published IS NULL, a.published, a.id",
            (story,),
        )
        return [
            StoryArticle(
                id=int(r["id"]),
                ext_id=r["ext_id"],
                text=r["text"],
                outlet=r["outlet"],
                title=r["title"],
                published=r["published"],
                url=r["url"],
                author=r["author"],
                path=r["path"],
                copy_of=r["copy_of"],
                score=float(r["score"]),
                run=int(r["run_id"]),
                added=r["added"],
            )
            for r in rows
        ]

    def article_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def memberships(self) -> dict[int, int]:
        return {int(a): int(s) for a, s in self.db.execute("SELECT article_id, story_id FROM memberships")}

    # -- what an ingest writes, inside its transaction ---------------------------------------
    def set_memberships(self, rows: Iterable[tuple[int, int, int | None, float]]) -> None:
        """(article, story, copy_of, score) of a batch's articles, in one statement: one insert
        per article beside its text and search entry cost 0.38 ms an article on the bench
        stream, all of it the foreign-key checks (0.015 ms with them off), against 0.08 here."""
        self.db.executemany(
            "INSERT INTO memberships(article_id, story_id, copy_of, score) VALUES (?,?,?,?)"
            " ON CONFLICT(article_id) DO UPDATE SET story_id=excluded.story_id",
            rows,
        )

    def move_article(self, article: int, story: int) -> None:
        """A merge or split moved an article to another story."""
        self.db.execute("UPDATE memberships SET story_id=? WHERE article_id=?", (story, article))

    def members(self, story: int) -> list[Member]:
        """(title, outlet, url, published, copy_of) of each report, oldest first: a story row's inputs."""
        rows = self.db.execute(
            "SELECT a.title, a.outlet, a.url, a.published, m.copy_of FROM memberships m JOIN articles a"
            " ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.published IS NULL, a.published, a.id",
            (story,),
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def write_story(
        self,
        story: int,
        *,
        title: str | None,
        size: int,
        copies: int,
        outlets: int,
        first_published: str | None,
        last_published: str | None,
        state: str,
    ) -> None:
        """Insert or refresh a story's row; a refresh raises its version (its brief is stale)."""
        stamp = now()
        self.db.execute(
            "INSERT INTO stories(id, title, size, copies, outlets, first_published, last_published, first_seen,"
            " updated, version, state) VALUES (?,?,?,?,?,?,?,?,?,1,?) ON CONFLICT(id) DO UPDATE SET"
            " title=excluded.title, size=excluded.size, copies=excluded.copies, outlets=excluded.outlets,"
            " first_published=excluded.first_published, last_published=excluded.last_published,"
            " updated=excluded.updated, version=stories.version+1, state=excluded.state",
            (story, title, size, copies, outlets, first_published, last_published, stamp, stamp, state),
        )

    def mark_merged(self, story: int) -> None:
        self.db.execute("UPDATE stories SET state='merged', updated=? WHERE id=?", (now(), story))

    def mark_closed(self, story: int) -> None:
        self.db.execute("UPDATE stories SET state='closed' WHERE id=? AND state='open'", (story,))

    def record_event(self, run: int, kind: str, story: int, other: int, articles: int) -> None:
        """A merge (`other` went into `story`) or a split (`other` split off from `story`)."""
        self.db.execute(
            "INSERT INTO story_events(run_id, kind, story_id, other_id, articles, at) VALUES (?,?,?,?,?,?)",
            (run, kind, story, other, articles, now()),
        )

    def record_growth(self, run: int, story: int, articles: int, *, created: bool) -> None:
        """Reports joined a story in a run: one row per story and run, counting them all."""
        self.db.execute(
            "INSERT INTO story_events(run_id, kind, story_id, other_id, articles, at) VALUES (?,?,?,0,?,?)"
            " ON CONFLICT(story_id, run_id) WHERE kind IN ('created', 'updated')"
            " DO UPDATE SET articles = articles + excluded.articles",
            (run, "created" if created else "updated", story, articles, now()),
        )

    # -- stories -------------------------------------------------------------------------
    def stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        min_size: int = 1,
        search: str | None = None,
        outlet: str | None = None,
        after: tuple[str, int, int] | None = None,
    ) -> list[Story]:
        """Stories latest first (not merged ones): reports on/after `since`, on/before `until`,
        an FTS5 `search` expression over their reports, a report of `outlet` (its name, or the
        site of its URL); `after` is the (sort key, size, id) of the last story of a page."""
        q = "SELECT * FROM stories WHERE state != 'merged' AND size >= ?"
        args: list[Any] = [min_size]
        if since:
            q += " AND (last_published >= ? OR (last_published IS NULL AND updated >= ?))"
            args += [since, since]
        if until:
            q += " AND (first_published <= ? OR (first_published IS NULL AND substr(first_seen, 1, 10) <= ?))"
            args += [until, until]
        if search:
            q += (
                " AND id IN (SELECT m.story_id FROM memberships m WHERE m.article_id IN"
                " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
            )
            args.append(search)
        if outlet:
            site = outlet.lower().removeprefix("www.")
            q += (
                " AND id IN (SELECT m.story_id FROM memberships m JOIN articles a ON a.id = m.article_id"
                " WHERE lower(a.outlet) = lower(?)"
                " OR (a.outlet IS NULL AND (lower(a.url) GLOB ? OR lower(a.url) GLOB ?)))"
            )
            args += [outlet, f"*://{_glob(site)}/*", f"*://www.{_glob(site)}/*"]
        if after:
            q += f" AND ({SORT_KEY}, size, id) < (?, ?, ?)"
            args += list(after)
        q += f" ORDER BY {SORT_KEY} DESC, size DESC, id DESC"
        if limit:
            q += " LIMIT ?"
            args.append(limit)
        return [Story(**dict(r)) for r in self.db.execute(q, args)]

    def story(self, sid: int) -> Story | None:
        r = self.db.execute("SELECT * FROM stories WHERE id = ?", (sid,)).fetchone()
        return Story(**dict(r)) if r else None

    def story_with_articles(self, sid: int) -> tuple[Story | None, list[Article]]:
        """A story's row and the reports its brief reads, from one snapshot of the store (a
        writer committing in between cannot pair one version's row with another's reports)."""
        db = self.db
        db.execute("BEGIN")  # deferred: a read transaction, one WAL snapshot
        try:
            return self.story(sid), self.articles_of(sid)
        finally:
            db.execute("COMMIT")

    def history(self, sid: int) -> list[StoryChange]:
        """What happened to a story, in order, seen from it (see `model.ChangeKind`)."""
        rows = self.db.execute(
            "SELECT * FROM story_events WHERE story_id = ? OR other_id = ? ORDER BY at, id", (sid, sid)
        )
        out: list[StoryChange] = []
        for r in rows:
            mine = r["story_id"] == sid
            kind: ChangeKind
            if r["kind"] in ("created", "updated"):
                kind = r["kind"]
            elif r["kind"] == "merge":
                kind = "merged" if mine else "merged_into"
            else:
                kind = "split" if mine else "split_from"
            other = r["other_id"] if mine else r["story_id"]
            out.append(
                StoryChange(
                    kind=kind,
                    story=sid,
                    other=int(other) or None,
                    articles=int(r["articles"]),
                    run=int(r["run_id"]),
                    at=r["at"],
                )
            )
        return out

    def cached_brief(self, sid: int, *, version: int, words: int, fmt: str, newsweave: str) -> StoredBrief | None:
        """The stored brief of exactly this story version, word budget, format and newsweave."""
        r = self.db.execute(
            "SELECT * FROM briefs WHERE story_id = ? AND format = ? AND words = ? AND version = ? AND newsweave = ?",
            (sid, fmt, words, version, newsweave),
        ).fetchone()
        if r is None:
            return None
        return StoredBrief(
            story=sid,
            version=version,
            words=words,
            format=fmt,
            newsweave=newsweave,
            created=r["created"],
            content=r["content"],
            warnings=tuple(json.loads(r["warnings"])),
            rebuilt=False,
        )

    def save_brief(self, b: StoredBrief) -> None:
        """Keep the latest brief per story, format and word budget (an older one is replaced)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO briefs(story_id, format, words, version, newsweave, created, content, warnings)"
                " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(story_id, format, words) DO UPDATE SET"
                " version=excluded.version, newsweave=excluded.newsweave, created=excluded.created,"
                " content=excluded.content, warnings=excluded.warnings",
                (b.story, b.format, b.words, b.version, b.newsweave, b.created, b.content, json.dumps(b.warnings)),
            )

    # -- what the web app reads (newsweave.web): stored briefs whatever their version, one report
    def latest_briefs(self, sids: Sequence[int], *, words: int, fmt: str) -> dict[int, StoredBrief]:
        """The stored brief of each story for this word budget and format, of whatever story
        version or newsweave built it (the caller compares `version`): a page shows the last
        brief while a newer one is being built."""
        if not sids:
            return {}
        marks = ",".join("?" * len(sids))
        rows = self.db.execute(
            f"SELECT * FROM briefs WHERE format = ? AND words = ? AND story_id IN ({marks})",
            (fmt, words, *sids),
        )
        return {
            int(r["story_id"]): StoredBrief(
                story=int(r["story_id"]),
                version=int(r["version"]),
                words=words,
                format=fmt,
                newsweave=r["newsweave"],
                created=r["created"],
                content=r["content"],
                warnings=tuple(json.loads(r["warnings"])),
                rebuilt=False,
            )
            for r in rows
        }

    def brief_stamps(self, sids: Sequence[int], *, words: int, fmt: str) -> dict[int, tuple[int, str, str]]:
        """(story version, newsweave version, created) of each story's stored brief, without its
        content: enough to tell a fresh brief from a stale one, or a cached reading from a new one."""
        if not sids:
            return {}
        marks = ",".join("?" * len(sids))
        rows = self.db.execute(
            f"SELECT story_id, version, newsweave, created FROM briefs WHERE format = ? AND words = ?"
            f" AND story_id IN ({marks})",
            (fmt, words, *sids),
        )
        return {int(r[0]): (int(r[1]), str(r[2]), str(r[3])) for r in rows}

    def stale_stories(self, *, words: int, fmt: str, newsweave: str) -> list[int]:
        """Stories (not merged) without a brief of their current version by this newsweave,
        latest first: what `newsweave serve --build-briefs` builds."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id AND b.format = ? AND b.words = ?"
            " WHERE s.state != 'merged' AND (b.story_id IS NULL OR b.version != s.version OR b.newsweave != ?)"
            f" ORDER BY {SORT_KEY} DESC, s.size DESC, s.id DESC",
            (fmt, words, newsweave),
        )
        return [int(r[0]) for r in rows]

    def outlets(self, *, limit: int = 500) -> list[str]:
        """Outlet names of the store's reports, most reports first (a filter's choices)."""
        rows = self.db.execute(
            "SELECT outlet FROM articles WHERE outlet IS NOT NULL AND outlet != ''"
            " GROUP BY outlet ORDER BY COUNT(*) DESC, outlet LIMIT ?",
            (limit,),
        )
        return [str(r[0]) for r in rows]

    def article_story(self, aid: int) -> int | None:
        """The story a stored report belongs to (None: no such report)."""
        r = self.db.execute("SELECT story_id FROM memberships WHERE article_id = ?", (aid,)).fetchone()
        return int(r[0]) if r else None

    def story_reports(self, sids: Sequence[int]) -> dict[int, list[tuple[str | None, str | None]]]:
        """(outlet, url) of each story's reports, copies left out: its coverage by outlet."""
        out: dict[int, list[tuple[str | None, str | None]]] = {sid: [] for sid in sids}
        if not sids:
            return out
        marks = ",".join("?" * len(sids))
        rows = self.db.execute(
            "SELECT m.story_id, a.outlet, a.url FROM memberships m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.copy_of IS NULL AND m.story_id IN ({marks}) ORDER BY a.id",
            tuple(sids),
        )
        for r in rows:
            out[int(r[0])].append((r[1], r[2]))
        return out

    def run_stories(self, run: int) -> list[int]:
        """The stories a run created or added reports to (their briefs are now stale)."""
        rows = self.db.execute(
            "SELECT DISTINCT story_id FROM story_events WHERE run_id = ? AND kind IN ('created', 'updated')"
            " ORDER BY story_id",
            (run,),
        )
        return [int(r[0]) for r in rows]

    def counts(self) -> tuple[int, int]:
        """How many stories (merged ones left out) and reports the store holds."""
        r = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM stories WHERE state != 'merged'), (SELECT COUNT(*) FROM articles)"
        ).fetchone()
        return int(r[0]), int(r[1])

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


def _statements(script: str) -> Iterator[str]:
    """A migration's statements (none of them holds a `;` of its own)."""
    for statement in script.split(";"):
        if statement.strip():
            yield statement


def _glob(text: str) -> str:
    """`text` matched literally inside a GLOB pattern."""
    return re.sub(r"([*?\[])", r"[\1]", text)


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
