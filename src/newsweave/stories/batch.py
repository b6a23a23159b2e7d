"""Archives and streams into the store, with the per-article work in process or on Dask.

Sources are read lazily and committed as they are read, in parts of at most `BATCH`
articles: a part is featurized (clean, spaCy NER, MinHash) and then written as one
transaction, so a kill loses at most the part in flight, whatever the layout (one huge
JSONL, thousands of small files, a WARC). On Dask the unit of parallel work is a small
source (one file or feed: read, parse, features on the worker) or one part of a stream
file (JSONL, WARC: read and parsed here, featurized on a worker). Results come back in
source order and are clustered and written by this process, so a Dask run gives exactly
the stories a local run gives. Clustering itself is sequential over a sliding time window
(`ClusterParams.window_days`): what it keeps in memory is the open window, whatever the
archive's size.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from newsweave import ingest as readers
from newsweave.ingest import IngestError
from newsweave.ingest.warc import is_warc
from newsweave.model import Article, ArticleFeatures, IngestReport, Note, Skipped
from newsweave.stories.cluster import ClusterParams
from newsweave.stories.features import extract
from newsweave.stories.ingestor import BATCH, Ingestor
from newsweave.stories.store import Store

Unit = tuple[list[Article], list[ArticleFeatures], list[Skipped], list[Note]]
# At most this many units (sources or parts) are in flight on the cluster at once: bounds the
# driver's memory to 64 x BATCH articles.
MAX_IN_FLIGHT = 64
# Parts per local worker process queued ahead of the one being clustered: enough that a
# worker never waits for the reader, few enough that memory stays a few parts per worker.
LOCAL_IN_FLIGHT = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """At most BATCH articles of one source with their features; `last` ends the source."""

    source: str
    articles: list[Article]
    features: list[ArticleFeatures]
    skipped: list[Skipped]
    last: bool
    notes: list[Note] = field(default_factory=list)  # files read with a remark (their encoding)


def work(source: str, entities: bool = True) -> Unit:
    """Everything per-article for one source; runs on a Dask worker (module-level: picklable)."""
    # the whole source is one part: read and report exactly as a local run does
    ((articles, skipped, notes, _),) = read_parts(source, sys.maxsize)
    return articles, featurize(articles, entities), skipped, notes


def featurize(articles: list[Article], entities: bool = True) -> list[ArticleFeatures]:
    """Features of one part; runs on a Dask worker (module-level: picklable)."""
    return extract(articles, entities=entities) if articles else []


def read_parts(source: str, size: int = BATCH) -> Iterator[tuple[list[Article], list[Skipped], list[Note], bool]]:
    """A source's articles in runs of at most `size`, as they are read, with what was skipped
    and noted on the way; the last run says so. A source that fails part-way keeps what came
    before (a worker must report, never lose the rest of the archive)."""
    sink: list[Skipped] = []
    notes: list[Note] = []
    articles = readers.iter_source(source, warn=sink.append, note=notes.append)
    part: list[Article] = []
    while True:
        try:
            a = next(articles, None)
        except IngestError as exc:
            sink.append(Skipped(path=source, reason=str(exc)))
            a = None
        except Exception as exc:  # one bad source never loses the rest of the archive
            sink.append(Skipped(path=source, reason=f"failed: {type(exc).__name__}: {exc}"))
            a = None
        if a is None:
            yield part, sink[:], notes[:], True
            return
        part.append(a)
        if len(part) >= size:
            yield part, sink[:], notes[:], False
            part = []
            sink.clear()
            notes.clear()


def is_stream(source: str) -> bool:
    """A file that may hold thousands of articles (JSONL, WARC): read here in parts on Dask."""
    p = Path(source)
    return not readers.is_url(source) and (p.suffix.lower() in readers.JSONL_SUFFIXES or is_warc(p))


def sources_of(paths: Sequence[str]) -> tuple[list[str], list[Skipped]]:
    files, skipped = readers.discover(paths)
    urls = [p for p in paths if readers.is_url(p)]
    return [*urls, *(str(f) for f in files)], skipped


def _local(sources: Sequence[str], entities: bool, size: int, workers: int = 1) -> Iterator[Part]:
    """Parts in source order, featurized here (`workers` <= 1) or in `workers` processes."""
    parts = ((s, *p) for s in sources for p in read_parts(s, size))
    if workers <= 1:
        for s, articles, skipped, notes, last in parts:
            yield Part(
                source=s,
                articles=articles,
                features=featurize(articles, entities),
                skipped=skipped,
                last=last,
                notes=notes,
            )
        return
    pool = _process_pool(workers, entities)
    pending: deque[tuple[str, Future[list[ArticleFeatures]] | None, list[Article], list[Skipped], bool, list[Note]]]
    pending = deque()
    try:
        for s, articles, skipped, notes, last in parts:
            fut = pool.submit(featurize, articles, entities) if articles else None
            pending.append((s, fut, articles, skipped, last, notes))
            while len(pending) > LOCAL_IN_FLIGHT * workers or (pending and pending[0][1] is None):
                yield _finished(*pending.popleft())
        while pending:
            yield _finished(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(
    source: str,
    fut: Future[list[ArticleFeatures]] | None,
    articles: list[Article],
    skipped: list[Skipped],
    last: bool,
    notes: list[Note],
) -> Part:
    features = fut.result() if fut is not None else []
    return Part(source=source, articles=articles, features=features, skipped=skipped, last=last, notes=notes)


def _process_pool(workers: int, entities: bool) -> ProcessPoolExecutor:
    """Worker processes for per-article features, each with its own NER model.

    Forked on Linux: a worker starts in milliseconds with this process's imports, and a
    caller's script needs no `if __name__ == "__main__"` guard (a spawned or fork-server
    worker re-runs the main script). A forked worker shares this process's open files, the
    store's writer lock among them (`flock` belongs to the open file), so it is made to die
    with this process (`_setup_worker`). Elsewhere the workers are spawned."""
    import multiprocessing as mp

    ctx = mp.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_setup_worker, initargs=(entities, os.getpid())
    )


def _setup_worker(entities: bool, parent: int) -> None:
    """A worker's start: die with the parent; where entities come from spaCy's NER, load the
    model once (`load_model` caches it). The default signal ("names") needs no model."""
    _die_with(parent)
    from newsweave.stories.features import ENTITY_SIGNAL

    if entities and ENTITY_SIGNAL == "ner":
        from newsweave.nlp.language import NER_ONLY, load_model

        load_model(NER_ONLY)


# prctl(2) option: the signal the kernel sends this process when its parent thread ends.
PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Linux: be killed by the kernel when `parent` ends, kill -9 included. Without it a worker
    orphaned by a killed ingest waits for work forever and, forked, keeps the store's writer
    lock, so the next ingest could never start. Hand-written (three lines of ctypes) rather
    than a dependency on python-prctl for one call."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os._exit(1)


# What is in flight on Dask: a whole small source (its future gives a Unit), or one part of a
# stream read here (its future, None for an empty part, gives the features).
_Job = tuple[str, Any, list[Article] | None, list[Skipped], bool, list[Note]]


def _dask(sources: Sequence[str], entities: bool, client: Any, size: int) -> Iterator[Part]:
    """Submit with a bounded window and yield in source order."""

    def jobs() -> Iterator[_Job]:
        for s in sources:
            if not is_stream(s):
                yield s, client.submit(work, s, entities, pure=False), None, [], True, []
                continue
            for articles, skipped, notes, last in read_parts(s, size):
                fut = client.submit(featurize, articles, entities, pure=False) if articles else None
                yield s, fut, articles, skipped, last, notes

    pending: deque[_Job] = deque()
    todo = jobs()
    for job in todo:
        pending.append(job)
        if len(pending) >= MAX_IN_FLIGHT:
            break
    while pending:
        source, fut, articles, skipped, last, notes = pending.popleft()
        result: Any = fut.result() if fut is not None else []
        if fut is not None:
            fut.release()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(nxt)
        if articles is None:
            whole, features, bad, remarks = result
            yield Part(source=source, articles=whole, features=features, skipped=bad, last=True, notes=remarks)
        else:
            yield Part(source=source, articles=articles, features=result, skipped=skipped, last=last, notes=notes)


# What a run of `Article` objects given in Python records as its source (runs, messages).
ARTICLES = "<articles>"


def run(
    inputs: Iterable[str] | Iterable[str | Article],
    store: Store,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    entities: bool = True,
    params: ClusterParams | None = None,
    meta: dict[str, dict[str, str]] | None = None,
    on_source: Callable[[str, int, bool], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_note: Callable[[Note], None] | None = None,
    wait: float = 10.0,
    on_wait: Callable[[str], None] | None = None,
    batch: int = BATCH,
) -> IngestReport:
    """Ingest every source under `inputs` (paths, URLs) or the `Article`s it yields into `store`
    (engine "local" or "dask"), committing each part of at most `batch` articles as it is read;
    `on_source(source, articles, done)` follows each part. The store's writer lock is awaited
    `wait` seconds, then StoreBusy. `newsweave.stories.ingest` is the public door to this."""
    paths, given = _split(inputs)
    if given is None:
        sources, skipped = sources_of(paths)
        if not sources:
            raise IngestError(f"nothing to read in {', '.join(paths)}")
    else:
        paths, sources, skipped = [ARTICLES], [], []
    ing = Ingestor(store, params=params, sources=paths, wait=wait, on_wait=on_wait)
    for s in skipped:
        ing.skip(s)
        if on_skip:
            on_skip(s)
    client = cluster = None
    try:
        if engine not in ("local", "dask"):
            raise ValueError(f"unknown engine {engine!r} (local or dask)")
        if engine == "dask":
            client, cluster = _client(scheduler, workers)
        if given is not None:
            parts = _given(given, entities, client, batch)
        elif client is not None:
            parts = _dask(sources, entities, client, batch)
        else:
            parts = _local(sources, entities, batch, workers)
        for part in parts:
            if on_note:
                for n in part.notes:
                    on_note(n)
            for s in part.skipped:
                ing.skip(s)
                if on_skip:
                    on_skip(s)
            articles = part.articles
            if articles and meta:
                articles = list(readers.apply_meta(articles, meta))
            if articles:
                ing.add(articles, part.features)
            if on_source:
                on_source(part.source, len(articles), part.last)
    except BaseException as exc:
        ing.fail(exc)
        raise
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    if ing.report.added == 0 and ing.report.duplicates == 0:
        report = ing.finish(status="failed", message="no usable articles")
        raise IngestError(f"no usable articles in {', '.join(paths)} ({len(report.skipped)} skipped)")
    return ing.finish()


def _split(inputs: Iterable[str] | Iterable[str | Article]) -> tuple[list[str], Iterator[Article] | None]:
    """(paths, None) for paths and URLs, ([ARTICLES], articles) for Article objects (read
    lazily); an empty input is refused here, before a run is recorded."""
    if isinstance(inputs, (str, Path)):
        raise TypeError("inputs: a list of paths or Articles, not one string")
    items = iter(inputs)
    first = next(items, None)
    if first is None:
        raise IngestError("nothing to ingest: no paths or articles given")
    if isinstance(first, Article):
        return [ARTICLES], itertools.chain([first], cast(Iterator[Article], items))
    return [str(first), *(str(p) for p in items)], None


def _given(articles: Iterator[Article], entities: bool, client: Any, size: int) -> Iterator[Part]:
    """Articles given in Python, in parts of at most `size`: featurized here, or on Dask with at
    most MAX_IN_FLIGHT parts out and results in order. An article without text is skipped."""

    def parts() -> Iterator[tuple[list[Article], list[Skipped], bool]]:
        part: list[Article] = []
        bad: list[Skipped] = []
        for a in articles:
            if not isinstance(a, Article):
                raise TypeError(f"not an Article: {type(a).__name__} (give paths or Articles, not both)")
            if a.text.strip():
                part.append(a)
            else:
                bad.append(Skipped(path=a.path or a.id, reason="no text"))
            if len(part) >= size:
                yield part, bad, False
                part, bad = [], []
        yield part, bad, True

    if client is None:
        for chunk, bad, last in parts():
            yield Part(source=ARTICLES, articles=chunk, features=featurize(chunk, entities), skipped=bad, last=last)
        return
    pending: deque[tuple[Any, list[Article], list[Skipped], bool]] = deque()
    for chunk, bad, last in parts():
        fut = client.submit(featurize, chunk, entities, pure=False) if chunk else None
        pending.append((fut, chunk, bad, last))
        while len(pending) >= MAX_IN_FLIGHT or (last and pending):
            fut, done, skipped, end = pending.popleft()
            features = fut.result() if fut is not None else []
            if fut is not None:
                fut.release()
            yield Part(source=ARTICLES, articles=done, features=features, skipped=skipped, last=end)


def _client(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A client of the given scheduler, or of a new LocalCluster (one thread per worker:
    spaCy and torch are not made faster by threads here, processes are)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise IngestError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    return Client(cluster), cluster


def archive_order(paths: Sequence[str | Path]) -> list[str]:
    """Sources in the order they are clustered: as given, folders expanded in name order."""
    return sources_of([str(p) for p in paths])[0]
