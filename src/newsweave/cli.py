"""Command line: a thin layer over the library; every user error is one line and a non-zero exit."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsweave import __version__
from newsweave.errors import IngestError, NewsweaveError
from newsweave.model import Note, Skipped
from newsweave.summarize import NAMES
from newsweave.summarize.base import DEFAULT_WORDS
from newsweave.terminal import err
from newsweave.terminal import error as _error
from newsweave.terminal import fail as _fail
from newsweave.terminal import warn as _warn

app = typer.Typer(
    help="newsweave: many news reports of one story in, one account a reader can trust out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newsweave command line."""


def _input_warnings(quiet: bool) -> tuple[Callable[[Skipped], None], Callable[[Note], None]]:
    """The warning lines for a skipped input and for one read with a remark (its encoding)."""

    def skipped(s: Skipped) -> None:
        _warn(f"skipped {s.path}: {s.reason}", quiet)

    def noted(n: Note) -> None:
        _warn(f"{n.path}: {n.message}", quiet)

    return skipped, noted


def _check_output(output: Path | None) -> None:
    """Refuse an -o target that cannot be written before any work is done (exit 2)."""
    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise _fail(f"-o {output}: is a folder; give a file name", 2)
    if not folder.is_dir():
        raise _fail(f"-o {output}: no such folder: {folder}", 2)
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise _fail(f"-o {output}: not writable", 2)


def _write_output(text: str, output: Path | None, quiet: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None
    if not quiet:
        err.print(f"wrote {output}", highlight=False)


def _load_meta(meta: Path | None) -> dict[str, dict[str, str]] | None:
    """The --meta file, every problem on its own line and exit 2 (a usage error)."""
    from newsweave.ingest import MetaError, load_meta

    if meta is None:
        return None
    try:
        return load_meta(meta)
    except MetaError as exc:
        for problem in exc.problems:
            _error(f"--meta: {problem}")
        raise typer.Exit(2) from None


# Off a terminal, a progress line at most this often (seconds); a brief that ends sooner prints none.
# NEWSWEAVE_PROGRESS_EVERY overrides it (0: every update), for logs that want more or less.
PROGRESS_EVERY = 5.0


@contextmanager
def _progress(quiet: bool, first: str) -> Iterator[Callable[[object], None] | None]:
    """Rich status on a terminal; periodic one-line progress on stderr off one; nothing with --quiet."""
    if quiet:
        yield None
        return
    if err.is_terminal:
        with err.status(first) as status:
            yield lambda update: status.update(str(update))
        return
    with _periodic(first) as line:
        yield line


class _Lines:
    """Progress as lines on stderr for logs and pipes: the latest update at most every `every`
    seconds, and repeated at that pace while a long step sends none (a model loading, one huge
    paragraph), so that a quiet stretch never looks like a hang."""

    def __init__(self, every: float, first: str) -> None:
        self.every = every
        self.start = self.last = time.monotonic()
        self.latest = first
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if every > 0:
            self._thread = threading.Thread(target=self._tick, name="newsweave-progress", daemon=True)
            self._thread.start()

    def __call__(self, update: object) -> None:
        with self._lock:
            self.latest = str(update)
            self._due()

    def _due(self) -> None:
        t = time.monotonic()
        if t - self.last >= self.every:
            self.last = t
            sys.stderr.write(f"newsweave: {self.latest} ({t - self.start:.0f} s)\n")
            sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(self.every / 4):
            with self._lock:
                self._due()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@contextmanager
def _periodic(first: str) -> Iterator[Callable[[object], None]]:
    """A `_Lines` every PROGRESS_EVERY seconds (NEWSWEAVE_PROGRESS_EVERY), stopped on exit."""
    lines = _Lines(float(os.environ.get("NEWSWEAVE_PROGRESS_EVERY", PROGRESS_EVERY)), first)
    try:
        yield lines
    finally:
        lines.close()


@app.command("brief")
def brief_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files and folders (.txt, .md, .html, .jsonl); folders are read recursively.", show_default=False
        ),
    ],
    words: Annotated[int, typer.Option("--words", "-w", min=1, help="Word budget of the summary.")] = DEFAULT_WORDS,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    summarizer: Annotated[
        str, typer.Option("--summarizer", "-s", help=f"{', '.join(NAMES[:-1])} or {NAMES[-1]}.")
    ] = "newsweave",
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta",
            help="CSV (id + outlet,title,published,url,author) or JSON {id: {...}}: metadata per article.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no warnings on stderr.")] = False,
) -> None:
    """Summarize many reports of one story into one brief that cites its sources."""
    from newsweave import brief as run_brief
    from newsweave import summarize
    from newsweave.errors import MissingExtra
    from newsweave.ingest import unmatched
    from newsweave.render import render

    try:
        summarize.check(summarizer)
    except KeyError as exc:
        raise _fail(str(exc.args[0]), 2) from None
    except MissingExtra as exc:
        raise _fail(str(exc), 2) from None
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {missing[0]}", 2)
    overrides = _load_meta(meta)
    _check_output(output)
    warn, note = _input_warnings(quiet)
    try:
        with _progress(quiet, "reading") as progress:
            result = run_brief(
                paths,
                words=words,
                summarizer=summarizer,
                meta=overrides,
                on_skip=warn,
                on_note=note,
                exclude=[output] if output else [],
                progress=progress,
            )
    except IngestError as exc:
        raise _fail(str(exc)) from None
    except MemoryError:
        raise _fail("out of memory: the input is too large for one brief") from None
    if overrides:
        for aid in unmatched(overrides, (src.id for src in result.sources)):
            _warn(f"--meta: id '{aid}' matches no article read", quiet)
    for w in result.warnings:
        _warn(w, quiet)
    _write_output(render(result, fmt.value), output, quiet)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


DEFAULT_DB = Path("newsweave.db")
DbOption = Annotated[Path, typer.Option("--db", help="The story store (SQLite; created if missing).")]


def _open_store(db: Path, *, create: bool = True):  # type: ignore[no-untyped-def]
    """The store through the library; a missing store (when not creating) is a usage error."""
    from newsweave import stories

    if not create and not db.exists():
        raise _fail(f"no story store at {db} (run `newsweave ingest ... --db {db}` first)", 2)
    try:
        return stories.open_store(db)
    except stories.StoreError as exc:
        raise _fail(str(exc)) from None


def _ingest(
    sources: list[str],
    db: Path,
    *,
    engine: Engine,
    scheduler: str | None,
    workers: int,
    quiet: bool,
    fmt: ListFormat,
    entities: bool = True,
    meta: Path | None = None,
    wait: float = 10.0,
) -> None:
    """One ingest run; exit 3 when another process holds the store's writer lock past `wait`."""
    import json as _json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsweave import stories
    from newsweave.ingest import is_url
    from newsweave.stories.batch import archive_order

    missing = [s for s in sources if not is_url(s) and not Path(s).exists()]
    if missing:
        raise _fail(f"no such file or folder: {missing[0]}", 2)
    overrides = _load_meta(meta)
    store = _open_store(db)
    warn, note = _input_warnings(quiet)

    def waited(message: str) -> None:
        if not quiet:
            err.print(message, highlight=False)

    try:
        order = archive_order(sources)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[articles]} articles"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
        )
        with progress, ExitStack() as stack:
            task = progress.add_task("ingesting", total=len(order), articles=0)
            count = files = 0
            log = stack.enter_context(_periodic("ingesting")) if not (quiet or err.is_terminal) else None

            def step(_source: str, n: int, done: bool) -> None:
                nonlocal count, files
                count += n
                files += 1 if done else 0
                progress.update(task, advance=1 if done else 0, articles=count)
                if log:
                    log(f"ingesting: {files:,}/{len(order):,} sources, {count:,} articles committed")

            report = stories.ingest(
                store,
                sources,
                engine=engine.value,
                scheduler=scheduler,
                workers=workers,
                entities=entities,
                meta=overrides,
                on_source=step,
                on_skip=warn,
                on_note=note,
                wait=wait,
                on_wait=waited,
            )
    except IngestError as exc:
        raise _fail(str(exc)) from None
    except stories.StoreBusy as exc:
        raise _fail(str(exc), 3) from None
    except stories.StoreError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
    if fmt is ListFormat.json:
        sys.stdout.write(_json.dumps(report.to_json(), indent=2) + "\n")
    elif not quiet:
        err.print(
            f"run {report.run}: {report.added} article(s) added, {report.duplicates} duplicate(s), "
            f"{len(report.skipped)} skipped; {report.new_stories} new stor(y/ies), "
            f"{len(report.updated_stories)} updated, {report.merges} merge(s), {report.splits} split(s) -> {db}",
            highlight=False,
        )


MetaOption = Annotated[
    Path | None,
    typer.Option("--meta", help="CSV or JSON: outlet/title/published/url per article id (as for `brief`)."),
]
EntitiesOption = Annotated[
    bool,
    typer.Option(
        "--entities/--no-entities",
        help="Named entities as clustering evidence (spaCy NER; --no-entities is ~10x faster).",
    ),
]
WaitOption = Annotated[
    float, typer.Option("--wait", min=0, help="Seconds to wait for another writer of the store (then exit 3).")
]
SourcesArg = Annotated[
    list[str],
    typer.Argument(
        help="Files, folders (read recursively), JSONL, RSS/Atom feed files or URLs, WARC archives.",
        show_default=False,
    ),
]


@app.command("ingest")
def ingest_command(
    sources: SourcesArg,
    db: DbOption = DEFAULT_DB,
    entities: EntitiesOption = True,
    meta: MetaOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    wait: WaitOption = 10.0,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes for per-article features (default: all cores).")
    ] = os.cpu_count() or 1,
) -> None:
    """Add reports to the story store: deduplicated, clustered into stories, stories updated."""
    _ingest(
        sources,
        db,
        engine=Engine.local,
        scheduler=None,
        workers=workers,
        quiet=quiet,
        fmt=fmt,
        entities=entities,
        meta=meta,
        wait=wait,
    )


@app.command("batch")
def batch_command(
    sources: SourcesArg,
    db: DbOption = DEFAULT_DB,
    engine: Annotated[Engine, typer.Option("--engine", help="Where per-article work runs.")] = Engine.dask,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Workers of the local Dask cluster.")] = 2,
    entities: EntitiesOption = True,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    wait: WaitOption = 10.0,
) -> None:
    """Ingest a large archive with parsing, cleaning and features on Dask (a LocalCluster by default)."""
    if engine is Engine.dask:
        from newsweave.errors import MissingExtra
        from newsweave.extras import require

        try:
            require("`newsweave batch` on Dask", ("dask", "distributed"))
        except MissingExtra as exc:
            raise _fail(str(exc), 2) from None
    _ingest(
        sources,
        db,
        engine=engine,
        scheduler=scheduler,
        workers=workers,
        quiet=quiet,
        fmt=fmt,
        entities=entities,
        wait=wait,
    )


@app.command("stories")
def stories_command(
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option("--since", help="Only stories with reports on/after this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only stories with reports on/before this date.")] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help='Only stories with a report holding every word (or "phrase"), names too.'),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only stories with a report of this outlet (name or site).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Only stories with this many reports.")] = 1,
    after: Annotated[
        str | None, typer.Option("--after", help="The next page: the cursor the previous page ended with.")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the stories in the store, latest first."""
    import json as _json

    from rich.table import Table

    from newsweave import stories
    from newsweave.ingest.jsonl import normalize_date

    for name, value in (("since", since), ("until", until)):
        if value is not None and normalize_date(value) is None:  # a usage error, before the store opens
            raise _fail(f"--{name}: not a date: {value!r} (use YYYY-MM-DD)", 2)
    store = _open_store(db, create=False)
    with store:
        try:
            page = stories.list_stories(
                store,
                search=search,
                since=since,
                until=until,
                outlet=outlet,
                min_size=min_size,
                limit=limit,
                after=after,
            )
        except stories.QueryError as exc:  # its message starts with the option's name
            raise _fail(f"--{exc}", 2) from None
        last = stories.list_runs(store, last=1)
    if last and last[0].status in ("interrupted", "failed", "running"):
        run = last[0]
        note = {
            "interrupted": f"was interrupted after {run.added} article(s); rerunning it resumes where it stopped:",
            "failed": f"failed ({run.message}) after {run.added} article(s); rerunning it resumes:",
            "running": f"is still running ({run.added} article(s) so far):",
        }[run.status]
        err.print(
            f"note: the last ingest (run {run.id}) {note} newsweave ingest {' '.join(run.sources)} --db {db}",
            highlight=False,
        )
    rows = page.stories
    if page.next:
        err.print(f"note: more stories: --after {page.next}", highlight=False)
    if fmt is ListFormat.json:
        sys.stdout.write(_json.dumps([r.to_json() for r in rows], indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} stor{'y' if len(rows) == 1 else 'ies'} in {db}")
    for col in ("id", "reports", "outlets", "first", "last", "state", "title"):
        table.add_column(col, justify="right" if col in ("id", "reports", "outlets") else "left")
    for r in rows:
        size = f"{r.size} ({r.copies} cop{'y' if r.copies == 1 else 'ies'})" if r.copies else str(r.size)
        table.add_row(
            str(r.id),
            size,
            str(r.outlets),
            r.first_published or "-",
            r.last_published or "-",
            r.state,
            r.title or "(untitled)",
        )
    Console(highlight=False).print(table)


@app.command("runs")
def runs_command(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the ingest runs of the store: status (running, done, failed, interrupted) and counts."""
    import json as _json

    from rich import box
    from rich.table import Table

    from newsweave import stories

    store = _open_store(db, create=False)
    with store:
        rows = stories.list_runs(store)
    if fmt is ListFormat.json:
        sys.stdout.write(_json.dumps([r.to_json() for r in rows], indent=2) + "\n")
        return
    # Borderless, the finish time alone when on the start's day, messages under the table: 80 columns.
    title = f"{len(rows)} run{'' if len(rows) == 1 else 's'} in {db}"
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    for col in ("id", "started", "finished", "status", "added", "duplicates", "skipped"):
        right = col in ("id", "added", "duplicates", "skipped")
        table.add_column(col, justify="right" if right else "left", no_wrap=True)
    for r in rows:
        started = r.started.replace("T", " ").removesuffix("+00:00")
        finished = (r.finished or "-").replace("T", " ").removesuffix("+00:00")
        if finished[:10] == started[:10]:
            finished = finished[11:]
        table.add_row(str(r.id), started, finished, r.status, str(r.added), str(r.duplicates), str(r.skipped))
    console = Console(highlight=False)
    console.print(table)
    for r in rows:
        if r.message:
            console.print(f"run {r.id}: {r.message}", markup=False)


@app.command("story")
def story_command(
    story_id: Annotated[int, typer.Argument(help="Story id (see `newsweave stories`).", show_default=False)],
    db: DbOption = DEFAULT_DB,
    words: Annotated[int, typer.Option("--words", "-w", min=1)] = DEFAULT_WORDS,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """The brief of one stored story (rebuilt only when the story changed since the last one)."""
    from newsweave import stories

    _check_output(output)
    store = _open_store(db, create=False)
    with store:
        try:
            with _progress(quiet, "building the brief") as progress:
                made = stories.story_brief(store, story_id, words=words, format=fmt.value, progress=progress)
        except stories.StoryNotFound as exc:
            raise _fail(str(exc), 2) from None
        except (IngestError, stories.StoreError) as exc:
            raise _fail(str(exc)) from None
    if made.rebuilt:
        for w in made.warnings:
            _warn(w, quiet)
    _write_output(made.content, output, quiet)


@app.command("serve")
def serve_command(
    db: Annotated[
        Path | None, typer.Option("--db", help="The story store to serve (default: the bundled example's).")
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; beyond 127.0.0.1 writing needs --token.")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="NEWSWEAVE_TOKEN", help="Bearer token POST /api/v1/articles requires."),
    ] = None,
    build_briefs: Annotated[
        bool, typer.Option("--build-briefs", help="Build every missing or stale brief in the background at start.")
    ] = False,
    outlets: Annotated[
        Path | None,
        typer.Option("--outlets", envvar="NEWSWEAVE_OUTLETS", help="CSV/JSON: name, domains, lean, country, owner."),
    ] = None,
) -> None:
    """The web app and REST API over a story store (pages at /, the API at /api/v1)."""
    from newsweave.web.serve import ServeUsage, serve

    try:
        serve(db, host=host, port=port, token=token, build_all=build_briefs, outlets=outlets, say=err.print)
    except NewsweaveError as exc:
        raise _fail(str(exc), 2 if isinstance(exc, ServeUsage) else 1) from None


def _register_eval() -> None:
    from newsweave.eval.cli import app as eval_app

    app.add_typer(eval_app, name="eval")


_register_eval()


def main() -> None:
    from newsweave.extras import explain

    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except NewsweaveError as exc:
        # Any error newsweave raises on purpose that a command did not turn into its own line.
        _error(str(exc))
        sys.exit(1)
    except ModuleNotFoundError as exc:
        # An optional package missing deep inside a command: one line, not a traceback.
        hint = explain(exc)
        if hint is None:
            raise
        _error(hint)
        sys.exit(2)
