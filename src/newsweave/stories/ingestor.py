"""A stream of reports into the store: features, deduplication, clustering, story updates.

A run holds the store's writer lock from before it loads the clusterer's state until it
finishes or fails (a second writer waits, then fails naming this one): story ids come from
that state, so two runs interleaving would give two stories one id.

One batch of articles is one transaction: its articles, their story memberships, the
stories they touched and the story events commit together or not at all. The
clusterer's state is saved every `STATE_EVERY` articles and at the end of a run; after a
crash, articles committed after the last saved state are replayed from their stored
features (deterministic), so resuming gives the stories an uninterrupted run gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from newsweave.model import Article, ArticleFeatures, Assignment, IngestReport, Skipped
from newsweave.stories.cluster import ClusterParams, StoryClusterer
from newsweave.stories.features import extract
from newsweave.stories.store import Store

BATCH = 200
STATE_EVERY = 5000

# (articles, features) for one batch: how the features are computed is the caller's choice
# (in process, or on a Dask cluster by `newsweave.stories.batch`).
Featurizer = Callable[[Sequence[Article]], list[ArticleFeatures]]


def open_clusterer(store: Store, params: ClusterParams | None = None) -> tuple[StoryClusterer, int]:
    """The saved clusterer, brought up to date with articles committed after its state."""
    saved = store.load_state()
    if saved is None:
        c, through = StoryClusterer(params), 0
    else:
        through, state = saved
        c = StoryClusterer.from_state(state, params)
    replay = list(store.features_after(through))
    if replay:
        for rowid, f in replay:
            c.add(_with_id(f, str(rowid)))  # the clusterer knows articles by store id
        through = replay[-1][0]
    return c, through


class Ingestor:
    """Adds batches of articles to a store, as its one writer from construction to `finish`/`fail`."""

    def __init__(
        self,
        store: Store,
        *,
        params: ClusterParams | None = None,
        featurize: Featurizer | None = None,
        sources: Sequence[str] = (),
        wait: float = 10.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.featurize = featurize or (lambda arts: extract(arts))
        store.lock_writer(wait=wait, on_wait=on_wait)
        try:
            self.clusterer, self.through = open_clusterer(store, params)
            self.report = IngestReport(run=store.start_run(sources))
        except BaseException:
            store.release_writer()
            raise
        store.writer_lock.note_run(self.report.run)
        self._since_state = 0

    def add(self, articles: Sequence[Article], features: Sequence[ArticleFeatures] | None = None) -> None:
        """Add articles in transactions of at most BATCH articles each."""
        feats = list(features) if features is not None else self.featurize(articles)
        for i in range(0, len(articles), BATCH):
            self._add(articles[i : i + BATCH], feats[i : i + BATCH])

    def _add(self, articles: Sequence[Article], feats: Sequence[ArticleFeatures]) -> None:
        known = self.store.known_hashes([f.content_hash for f in feats])
        fresh: list[tuple[Article, ArticleFeatures]] = []
        seen: set[str] = set()
        for a, f in zip(articles, feats, strict=True):
            if f.content_hash in known or f.content_hash in seen:
                self.report.duplicates += 1
                continue
            seen.add(f.content_hash)
            fresh.append((a, f))
        store, run = self.store, self.report.run
        with store.transaction():
            touched: dict[int, None] = {}
            joined: Counter[int] = Counter()  # reports that joined each story in this batch
            created: set[int] = set()
            events_before = len(self.clusterer.events)
            memberships: list[tuple[int, int, int | None, float]] = []
            for a, f in fresh:
                rowid = store.add_article(a, f, run)
                # The clusterer knows articles by their store id, unique across runs.
                assignment = self.clusterer.add(_with_id(f, str(rowid)))
                touched[assignment.story] = None
                joined[assignment.story] += 1
                if assignment.new:
                    self.report.new_stories += 1
                    created.add(assignment.story)
                memberships.append(_membership(rowid, assignment))
                self.through = rowid
            # before the events: a merge or split of this batch moves rows written here
            store.set_memberships(memberships)
            for sid, n in joined.items():
                store.record_growth(run, sid, n, created=sid in created)
            for ev in self.clusterer.events[events_before:]:
                store.record_event(run, ev.kind, ev.story, ev.other, len(ev.articles))
                if ev.kind == "merge":
                    self.report.merges += 1
                    store.mark_merged(ev.other)
                else:
                    self.report.splits += 1
                for aid in ev.articles:
                    store.move_article(int(aid), self.clusterer.story_of.get(aid, ev.story))
                touched[ev.story] = None
                touched[ev.other] = None
            for sid in touched:
                self._refresh_story(sid)
            self._mark_closed()
            store.count_run(run, added=len(fresh), duplicates=len(feats) - len(fresh))
            self._since_state += len(fresh)
            if self._since_state >= STATE_EVERY:
                store.save_state(self.through, self.clusterer.to_state())
                self._since_state = 0
        self.report.added += len(fresh)
        self.report.updated_stories.update(touched)

    def skip(self, s: Skipped) -> None:
        self.report.skipped.append(s)

    def finish(self, *, status: str = "done", message: str | None = None) -> IngestReport:
        try:
            with self.store.transaction():
                self._mark_closed()
                self.store.save_state(self.through, self.clusterer.to_state())
                self.store.count_run(self.report.run, skipped=len(self.report.skipped))
            self.store.finish_run(self.report.run, status=status, message=message)
        finally:
            self.store.release_writer()
        return self.report

    def fail(self, exc: BaseException) -> None:
        """The run ends on an error: marked failed (what was committed stays), the lock let go."""
        try:
            self.store.finish_run(self.report.run, status="failed", message=str(exc) or type(exc).__name__)
        finally:
            self.store.release_writer()

    def _mark_closed(self) -> None:
        """Stories the clusterer closed (idle past the window) are closed in the store too."""
        for sid in sorted(self.clusterer.closed):
            self.store.mark_closed(sid)
        self.clusterer.pop_closed()

    def _refresh_story(self, sid: int) -> None:
        """Recompute a story's row from its members (the version goes up: its brief is stale)."""
        rows = self.store.members(sid)
        if not rows:
            return
        titles = [title for title, _, _, _, copy_of in rows if title and copy_of is None]
        dates = [published for _, _, _, published, _ in rows if published]
        outlets = {outlet or _domain(url) for _, outlet, url, _, _ in rows if outlet or _domain(url)}
        copies = sum(1 for *_, copy_of in rows if copy_of is not None)
        self.store.write_story(
            sid,
            title=Counter(titles).most_common(1)[0][0] if titles else None,
            size=len(rows),
            copies=copies,
            outlets=len(outlets),
            first_published=min(dates, default=None),
            last_published=max(dates, default=None),
            state="open" if sid in self.clusterer.stories else "closed",
        )


def _membership(rowid: int, a: Assignment) -> tuple[int, int, int | None, float]:
    return rowid, a.story, int(a.copy_of) if a.copy_of else None, a.score


def _domain(url: str | None) -> str | None:
    """The site of a report without an outlet name: "www.bbc.co.uk" -> "bbc.co.uk"."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _with_id(f: ArticleFeatures, article_id: str) -> ArticleFeatures:
    from dataclasses import replace

    return replace(f, article_id=article_id)
