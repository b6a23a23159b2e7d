"""The stories library: what the CLI, the web app and a Python user call.

Each function takes a `Store` (or the path of one, opened for the call and closed after) and
returns the records of `newsweave.model`, whose `to_json()` is what `--format json` prints and
the REST API serves. Heavy parts (spaCy, the clusterer, Dask, the brief pipeline) load inside
the functions that need them, so `import newsweave.stories` stays light.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave.errors import QueryError, StoryNotFound
from newsweave.model import (
    Article,
    Brief,
    IngestReport,
    Note,
    Run,
    Skipped,
    StoredBrief,
    Story,
    StoryArticle,
    StoryChange,
    StoryPage,
)
from newsweave.stories.store import Store
from newsweave.summarize.base import DEFAULT_WORDS

if TYPE_CHECKING:
    from newsweave.pipeline import ProgressFn
    from newsweave.stories.cluster import ClusterParams

StoreLike = Store | str | os.PathLike[str]
# Builds a story's brief from its reports and a word budget; `story_brief` takes one to reuse a
# loaded model or to count rebuilds. The default is `newsweave.brief`.
BriefBuilder = Callable[[Sequence[Article], int], Brief]
FORMATS = ("markdown", "json", "html")  # as newsweave.render.FORMATS, without importing the writers


def open_store(path: str | os.PathLike[str], *, readonly: bool = False, timeout: float = 10.0) -> Store:
    """Open (and, writable, create and migrate) a story store; `readonly=True` never writes."""
    return Store(path, readonly=readonly, timeout=timeout)


@contextmanager
def _using(store: StoreLike, *, readonly: bool) -> Iterator[Store]:
    """The given store, or one opened from a path for this call only."""
    if isinstance(store, Store):
        yield store
        return
    with Store(store, readonly=readonly) as opened:
        yield opened


def ingest(
    store: StoreLike,
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Iterable[Article],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 1,
    entities: bool = True,
    params: ClusterParams | None = None,
    meta: dict[str, dict[str, str]] | None = None,
    on_source: Callable[[str, int, bool], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_note: Callable[[Note], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    wait: float = 10.0,
    batch: int | None = None,
) -> IngestReport:
    """Add reports to the store: paths, folders, feed URLs, WARC files, or `Article` objects
    (an iterable, read lazily), deduplicated, clustered and committed part by part as
    `newsweave ingest` does (engine "dask": per-article work on a Dask cluster, `newsweave batch`).
    One process unless `workers` asks for more: a library call forks nothing by default (a
    script without a `__main__` guard, a web app's threads).

    `on_source(source, articles, done)` follows each committed part, `on_skip` hears each input
    dropped and `on_note` each one read with a remark; the writer lock is awaited `wait` seconds
    (`on_wait` hears whom it waited for), then StoreBusy."""
    from newsweave.stories import batch as runner
    from newsweave.stories.ingestor import BATCH

    items: Iterable[str | os.PathLike[str] | Article] = [inputs] if isinstance(inputs, (str, os.PathLike)) else inputs
    given = (os.fspath(x) if isinstance(x, os.PathLike) else x for x in items)
    with _using(store, readonly=False) as s:
        return runner.run(
            given,
            s,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            entities=entities,
            params=params,
            meta=meta,
            on_source=on_source,
            on_skip=on_skip,
            on_note=on_note,
            wait=wait,
            on_wait=on_wait,
            batch=batch or BATCH,
        )


def list_stories(
    store: StoreLike,
    *,
    search: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    min_size: int = 1,
    limit: int = 50,
    after: str | None = None,
) -> StoryPage:
    """Stories latest first (by their last report), one page of at most `limit`; pass the
    page's `next` as `after` for the next one. `search` keeps stories with a report that holds
    every word (or "quoted phrase") in its title, text or entity names; `since`/`until` are dates
    (YYYY-MM-DD) the reports reach; `outlet` an outlet name or a site ("bbc.co.uk")."""
    if min_size < 1:
        raise QueryError(f"min_size: at least 1, not {min_size}")
    if limit < 1:
        raise QueryError(f"limit: at least 1, not {limit}")
    expression = match_expression(search) if search is not None else None
    cursor = parse_cursor(after) if after else None
    with _using(store, readonly=True) as s:
        rows = s.stories(
            since=_date("since", since),
            until=_date("until", until),
            min_size=min_size,
            search=expression,
            outlet=outlet or None,
            after=cursor,
            limit=limit + 1,  # one more says whether a next page exists
        )
    page = tuple(rows[:limit])
    return StoryPage(stories=page, next=cursor_of(page[-1]) if len(rows) > limit else None)


def get_story(store: StoreLike, story_id: int) -> Story:
    """One story's row (a merged story too: its state says so); StoryNotFound if none."""
    with _using(store, readonly=True) as s:
        row = s.story(story_id)
    if row is None:
        raise StoryNotFound(f"no story {story_id} in {_name(store)}")
    return row


def story_articles(store: StoreLike, story_id: int, *, copies: bool = True) -> tuple[StoryArticle, ...]:
    """A story's reports, oldest first (`copies=False` leaves out near copies of earlier ones)."""
    with _using(store, readonly=True) as s:
        if s.story(story_id) is None:
            raise StoryNotFound(f"no story {story_id} in {s.path}")
        return tuple(s.story_articles(story_id, copies=copies))


def story_history(store: StoreLike, story_id: int) -> tuple[StoryChange, ...]:
    """What happened to a story, in order: created, updated, merged (into), split (from), with
    the run and time of each."""
    with _using(store, readonly=True) as s:
        if s.story(story_id) is None:
            raise StoryNotFound(f"no story {story_id} in {s.path}")
        return tuple(s.history(story_id))


def story_brief(
    store: StoreLike,
    story_id: int,
    *,
    words: int = DEFAULT_WORDS,
    format: str = "markdown",
    build: BriefBuilder | None = None,
    progress: ProgressFn | None = None,
) -> StoredBrief:
    """A story's rendered brief, from the store's cache when one was built from this story
    version with these words and format by this newsweave version; otherwise built (`build`,
    default `newsweave.brief` reporting to `progress`), saved (unless the store is read-only)
    and returned with `rebuilt=True`. StoryNotFound for a missing or merged story."""
    from newsweave import __version__

    if format not in FORMATS:
        raise QueryError(f"format: unknown '{format}' (known: {', '.join(FORMATS)})")
    if words < 1:
        raise QueryError(f"words: the word budget must be at least 1, not {words}")
    with _using(store, readonly=False) as s:
        row, articles = s.story_with_articles(story_id)
        if row is None or row.state == "merged":
            raise StoryNotFound(f"no story {story_id} in {s.path}" + (" (merged into another)" if row else ""))
        cached = s.cached_brief(story_id, version=row.version, words=words, fmt=format, newsweave=__version__)
        if cached is not None:
            return cached
        from newsweave.render import render
        from newsweave.stories.store import now

        result = (build or _builder(progress))(articles, words)
        made = StoredBrief(
            story=story_id,
            version=row.version,
            words=words,
            format=format,
            newsweave=__version__,
            created=now(),
            content=render(result, format),
            warnings=tuple(result.warnings),
            rebuilt=True,
        )
        if not s.readonly:
            s.save_brief(made)
        return made


def _builder(progress: ProgressFn | None) -> BriefBuilder:
    def build(articles: Sequence[Article], words: int) -> Brief:
        from newsweave.pipeline import brief

        return brief(list(articles), words=words, progress=progress)

    return build


def list_runs(store: StoreLike, *, last: int | None = None) -> tuple[Run, ...]:
    """Every ingest run, oldest first (`last`: the latest n only); a run whose process is gone
    reads `interrupted`."""
    import json

    with _using(store, readonly=True) as s:
        rows = s.runs(last=last)
    return tuple(
        Run(
            id=int(r["id"]),
            started=r["started"],
            finished=r["finished"],
            status=r["status"],
            added=int(r["added"]),
            duplicates=int(r["duplicates"]),
            skipped=int(r["skipped"]),
            message=r["message"],
            sources=tuple(json.loads(r["sources"])),
        )
        for r in rows
    )


# -- search and paging -------------------------------------------------------------------

_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def match_expression(query: str) -> str:
    """A user's search as an FTS5 expression: every word must occur, "quoted words" as a
    phrase; FTS5 syntax in the input (OR, NEAR, col:, *) is read as plain words."""
    terms: list[str] = []
    for phrase, word in _TERM.findall(query):
        tokens = _WORD.findall(phrase or word)
        if tokens:
            terms.append('"' + " ".join(tokens) + '"')
    if not terms:
        raise QueryError(f"search: no words to look for in {query!r}")
    return " ".join(terms)


def cursor_of(story: Story) -> str:
    """The paging cursor after `story`: its sort key, size and id (readable, like datasette's)."""
    return f"{story.last_published or story.updated[:10]},{story.size},{story.id}"


def parse_cursor(text: str) -> tuple[str, int, int]:
    key, _, rest = text.rpartition(",")
    key, _, size = key.rpartition(",")
    try:
        if not key:
            raise ValueError
        return key, int(size), int(rest)
    except ValueError:
        raise QueryError(f"after: not a paging cursor: {text!r} (use the `next` of a page)") from None


def _date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    from newsweave.ingest.jsonl import normalize_date

    day = normalize_date(value)
    if day is None:
        raise QueryError(f"{name}: not a date: {value!r} (use YYYY-MM-DD)")
    return day


def _name(store: StoreLike) -> str:
    return str(store.path) if isinstance(store, Store) else str(Path(store))
