"""Archives and streams into the store, with the per-article work in process or on Dask.

The unit of parallel work is one source (a file or a feed URL): read, parse (trafilatura
for HTML and WARC pages), clean and compute clustering features (spaCy NER, MinHash).
Results come back in source order and are clustered and written by this process, so a
Dask run gives exactly the stories a local run gives. Clustering itself is sequential
over a sliding time window (`ClusterParams.window_days`): what it keeps in memory is the
open window, whatever the archive's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from newsweave import ingest as readers
from newsweave.cluster import ClusterParams
from newsweave.features import ArticleFeatures, extract
from newsweave.ingest import IngestError
from newsweave.model import Article, Skipped
from newsweave.store import Store
from newsweave.stream import Ingestor, IngestReport

Unit = tuple[list[Article], list[ArticleFeatures], list[Skipped]]
# At most this many sources are in flight on the cluster at once: bounds the driver's memory.
MAX_IN_FLIGHT = 64


def work(source: str, entities: bool = True) -> Unit:
    """Everything per-article for one source; runs on a Dask worker (module-level: picklable)."""
    skipped: list[Skipped] = []
    try:
        articles = readers.read_source(source, warn=skipped.append)
    except IngestError as exc:
        return [], [], [*skipped, Skipped(path=source, reason=str(exc))]
    except Exception as exc:  # a worker must report, never lose the rest of the archive
        return [], [], [*skipped, Skipped(path=source, reason=f"failed: {type(exc).__name__}: {exc}")]
    return articles, extract(articles, entities=entities) if articles else [], skipped


def sources_of(paths: Sequence[str]) -> tuple[list[str], list[Skipped]]:
    files, skipped = readers.discover(paths)
    urls = [p for p in paths if readers.is_url(p)]
    return [*urls, *(str(f) for f in files)], skipped


def _local(sources: Sequence[str], entities: bool) -> Iterator[Unit]:
    for s in sources:
        yield work(s, entities)


def _dask(sources: Sequence[str], entities: bool, client: Any) -> Iterator[Unit]:
    """Submit with a bounded window and yield in source order."""
    pending: list[Any] = []
    it = iter(sources)
    for s in it:
        pending.append(client.submit(work, s, entities, pure=False))
        if len(pending) >= MAX_IN_FLIGHT:
            break
    while pending:
        fut = pending.pop(0)
        result: Unit = fut.result()
        fut.release()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(client.submit(work, nxt, entities, pure=False))
        yield result


def run(
    paths: Sequence[str],
    store: Store,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    entities: bool = True,
    params: ClusterParams | None = None,
    meta: dict[str, dict[str, str]] | None = None,
    on_source: Callable[[str, int], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> IngestReport:
    """Ingest every source under `paths` into `store` (engine "local" or "dask")."""
    sources, skipped = sources_of(paths)
    if not sources:
        raise IngestError(f"nothing to read in {', '.join(paths)}")
    ing = Ingestor(store, params=params, sources=paths)
    for s in skipped:
        ing.skip(s)
        if on_skip:
            on_skip(s)
    client = cluster = None
    try:
        if engine == "dask":
            client, cluster = _client(scheduler, workers)
            units = _dask(sources, entities, client)
        elif engine == "local":
            units = _local(sources, entities)
        else:
            raise ValueError(f"unknown engine {engine!r} (local or dask)")
        for source, (articles, features, bad) in zip(sources, units, strict=True):
            for s in bad:
                ing.skip(s)
                if on_skip:
                    on_skip(s)
            if articles and meta:
                articles = list(readers.apply_meta(articles, meta))
            if articles:
                ing.add(articles, features)
            if on_source:
                on_source(source, len(articles))
    except BaseException as exc:
        store.finish_run(ing.report.run, status="failed", message=str(exc) or type(exc).__name__)
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
