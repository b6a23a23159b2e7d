"""The stories library (`newsweave.stories`): real SQLite files, real threads, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave import stories
from newsweave.cli import app
from newsweave.errors import IngestError
from newsweave.ingest import apply_meta, load, load_meta
from newsweave.model import Article, Brief
from newsweave.stories.store import MIGRATIONS, Store
from tests.conftest import EXAMPLE, EXAMPLE_META, ROOT, SEEDS, needs_seeds
from tests.streams import needs_streams, records, write_jsonl

runner = CliRunner()

# A sixth report of the example's story, as a late wire update would file it.
LATE_REPORT = Article(
    id="wire-late",
    title="Harbour Line carries 41,000 riders in its first weekend",
    outlet="Metro Wire",
    published="2026-03-16",
    text=(
        "Caldenport's Harbour Line carried about 41,000 riders in its first weekend, the Caldenport "
        "Transit Authority said on Monday. Mayor Ingrid Solberg rode the first train from Kohlsvik to "
        "Old Harbour on Saturday. The 14-kilometre line has 11 stations; officials said trains ran "
        "every six minutes and that two short delays at Halvik Square were caused by a door fault."
    ),
)


def _example_articles() -> list[Article]:
    return list(apply_meta(load([EXAMPLE]).articles, load_meta(EXAMPLE_META)))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example (with its metadata) and, when ../shared is there, the seed reports, with entities."""
    path = tmp_path_factory.mktemp("api") / "news.db"
    with stories.open_store(path) as store:
        stories.ingest(store, [EXAMPLE], meta=load_meta(EXAMPLE_META))
        if SEEDS.is_dir():
            stories.ingest(store, [SEEDS])
    return path


def _example_id(store: stories.Store | Path) -> int:
    (story,) = stories.list_stories(store, search="Harbour Line").stories
    return story.id


# -- ingest: one function for paths and Articles ---------------------------------------------


def test_articles_and_paths_go_the_same_way(tmp_path: Path) -> None:
    from_paths = stories.ingest(tmp_path / "paths.db", [EXAMPLE], meta=load_meta(EXAMPLE_META), entities=False)
    seen: list[tuple[str, int, bool]] = []
    from_objects = stories.ingest(
        tmp_path / "objects.db",
        iter(_example_articles()),  # a generator: read lazily, like a stream
        entities=False,
        on_source=lambda s, n, done: seen.append((s, n, done)),
    )
    assert (from_paths.added, from_paths.new_stories) == (from_objects.added, from_objects.new_stories) == (5, 1)
    assert seen == [("<articles>", 5, True)]
    a, b = (stories.list_stories(tmp_path / name).stories for name in ("paths.db", "objects.db"))
    # (not `version`: the folder commits file by file, the articles in one part)
    fields = ("title", "size", "copies", "outlets", "first_published", "last_published", "state")
    assert [[getattr(s, f) for f in fields] for s in a] == [[getattr(s, f) for f in fields] for s in b]
    again = stories.ingest(tmp_path / "objects.db", _example_articles(), entities=False)
    assert (again.added, again.duplicates) == (0, 5)
    assert [r.sources for r in stories.list_runs(tmp_path / "objects.db")] == [("<articles>",), ("<articles>",)]


def test_ingest_refuses_nothing_and_skips_an_article_without_text(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with pytest.raises(IngestError, match=r"^nothing to ingest"):
        stories.ingest(db, [])
    assert stories.list_runs(db) == ()  # refused before a run was recorded
    skipped: list[str] = []
    blank = replace(LATE_REPORT, id="blank", text=" \n\t ")
    report = stories.ingest(db, [blank, LATE_REPORT], entities=False, on_skip=lambda s: skipped.append(s.reason))
    assert (report.added, skipped, [s.path for s in report.skipped]) == (1, ["no text"], ["blank"])


# -- read-only, one connection per thread ----------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readonly_store_reads_and_refuses_every_write(db: Path, tmp_path: Path, nlp: object) -> None:
    ro_path = tmp_path / "copy.db"
    with Store(db) as source, sqlite3.connect(ro_path) as target:
        source.db.backup(target)  # a closed, checkpointed copy: no -wal or -shm beside it
    before = _digest(ro_path)
    with stories.open_store(ro_path, readonly=True) as ro:
        sid = _example_id(ro)
        assert stories.get_story(ro, sid).size == 5
        with pytest.raises(stories.StoreError, match="open read-only"):
            stories.ingest(ro, [LATE_REPORT], entities=False)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.db.execute("UPDATE stories SET title = 'x'")  # even below the library: mode=ro
        calls: list[int] = []
        made = stories.story_brief(ro, sid, words=60, build=_counting(calls, nlp))
        assert made.rebuilt and calls == [5]  # built, returned, not saved
        assert stories.story_brief(ro, sid, words=60, build=_counting(calls, nlp)).rebuilt
    assert _digest(ro_path) == before
    assert not (tmp_path / "copy.db.lock").exists()  # not even the writer lock file


def test_readonly_refuses_what_is_not_a_current_store_in_one_line(tmp_path: Path) -> None:
    cases = {
        "missing.db": None,
        "junk.db": b"not sqlite at all" * 100,
        "empty.db": b"",
    }
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    with pytest.raises(stories.StoreError, match=r"^no story store at .*missing\.db$"):
        stories.open_store(tmp_path / "missing.db", readonly=True)
    with pytest.raises(stories.StoreError, match="not a newsweave store"):
        stories.open_store(tmp_path / "junk.db", readonly=True)
    with pytest.raises(stories.StoreError, match="not a newsweave store"):
        stories.open_store(tmp_path / "empty.db", readonly=True)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE notes(x)")
    with pytest.raises(stories.StoreError, match="not a newsweave store"):
        stories.open_store(other, readonly=True)
    with pytest.raises(stories.StoreError, match="not a newsweave store"):
        stories.open_store(other)  # a writer never migrates someone else's database either
    old = _schema_1_store(tmp_path / "old.db", None)
    with pytest.raises(stories.StoreError, match=r"has schema 1, this newsweave reads \d+: open it once for writing"):
        stories.open_store(old, readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_threads_read_at_once_each_on_its_own_connection(db: Path, tmp_path: Path) -> None:
    """Eight reader threads share one read-only store while a writer adds a report."""
    work = tmp_path / "live.db"
    with Store(db) as source, sqlite3.connect(work) as target:
        source.db.backup(target)
    with stories.open_store(work, readonly=True) as ro:
        sid = _example_id(ro)
        start = threading.Barrier(9)
        connections: dict[str, int] = {}
        sizes: list[int] = []
        errors: list[BaseException] = []

        def read() -> None:
            try:
                start.wait(timeout=30)
                for _ in range(25):
                    page = stories.list_stories(ro, search="Harbour Line")
                    story = stories.get_story(ro, sid)
                    articles = stories.story_articles(ro, sid)
                    assert page.stories[0].id == sid and len(articles) in (5, 6)
                    sizes.append(story.size)
                connections[threading.current_thread().name] = id(ro.db)
            except BaseException as exc:
                errors.append(exc)

        readers = [threading.Thread(target=read, name=f"reader-{i}") for i in range(8)]
        for t in readers:
            t.start()
        start.wait(timeout=30)
        stories.ingest(work, [LATE_REPORT], entities=False)  # a writer, meanwhile, in this thread
        for t in readers:
            t.join(timeout=120)
        assert not errors, errors
        assert len(set(connections.values())) == 8  # one connection per thread
        assert set(sizes) <= {5, 6} and len(sizes) == 200
        assert stories.get_story(ro, sid).size == 6  # a later read sees the writer's commit
    with pytest.raises(stories.StoreError, match="closed"):
        ro.db  # noqa: B018  # every connection went with close()


# -- listing: filters, search, paging --------------------------------------------------------


@needs_seeds
def test_search_by_words_phrases_and_entity_names(db: Path) -> None:
    def titles(**kw: object) -> list[str | None]:
        return [s.title for s in stories.list_stories(db, **kw).stories]  # type: ignore[arg-type]

    (example,) = titles(search="Solberg")  # the mayor, named in the example's reports only
    assert example and "Harbour Line" in example
    (seed,) = titles(search="Pezeshkian")  # Iran's president, in the seed reports only
    assert seed and "Iran" in seed
    assert titles(search="pezeshkian moscow") == [seed]  # every word must occur
    assert titles(search='"partnership treaty"') == [seed]  # a phrase
    assert titles(search='"treaty partnership"') == []
    assert titles(search="Solberg Pezeshkian") == []
    assert titles(search="ZÜRICH") == [] and titles(search="kohlsvik") == [example]  # case folded
    assert titles(search='(Solberg* AND "') == [example]  # FTS5 syntax is read as words: solberg, and
    assert titles(search="Solberg OR Pezeshkian") == []  # OR is a word too, not an operator
    with pytest.raises(stories.QueryError, match=r"^search: no words"):
        stories.list_stories(db, search=" ** ")


@needs_seeds
def test_filters_by_outlet_and_dates(db: Path) -> None:
    def ids(**kw: object) -> list[int]:
        return [s.id for s in stories.list_stories(db, **kw).stories]  # type: ignore[arg-type]

    example = _example_id(db)
    assert ids(outlet="caldenport courier") == [example]  # names are matched ignoring case
    assert ids(outlet="courier.example") == []  # the Courier report has an outlet name: no site fallback
    assert ids(until="2026-03-11") == [] or example not in ids(until="2026-03-11")
    assert example in ids(until="2026-03-12") and example in ids(since="2026-03-15")
    assert example not in ids(since="2026-03-16")
    assert ids(min_size=6) == []
    with pytest.raises(stories.QueryError, match=r"^since: not a date"):
        stories.list_stories(db, since="yesterday-ish")


def _walk(db: Path, limit: int, **kw: object) -> list[int]:
    seen: list[int] = []
    after: str | None = None
    while True:
        page = stories.list_stories(db, limit=limit, after=after, **kw)  # type: ignore[arg-type]
        assert len(page.stories) <= limit
        seen += [s.id for s in page.stories]
        if page.next is None:
            return seen
        assert len(page.stories) == limit
        after = page.next


def test_paging_on_the_example_and_seeds(db: Path) -> None:
    everything = [s.id for s in stories.list_stories(db, limit=1000).stories]
    assert _walk(db, 1) == everything
    assert stories.list_stories(db, limit=len(everything)).next is None
    with pytest.raises(stories.QueryError, match=r"^after: not a paging cursor"):
        stories.list_stories(db, after="page-2")


@needs_streams
def test_paging_never_repeats_or_drops_a_story(tmp_path: Path) -> None:
    """400 real reports (Multi-News and AllSides, shuffled): many stories, many ties of date and size."""
    stream = write_jsonl(tmp_path / "wire.jsonl", records(seed=3)[:400])
    db = tmp_path / "s.db"
    stories.ingest(db, [stream], entities=False)
    everything = [s.id for s in stories.list_stories(db, limit=10_000).stories]
    assert len(everything) > 50
    for limit in (1, 7, 50):
        walked = _walk(db, limit)
        assert walked == everything and len(set(walked)) == len(walked)
    big = [s.id for s in stories.list_stories(db, limit=10_000, min_size=2).stories]
    assert 0 < len(big) < len(everything) and _walk(db, 3, min_size=2) == big
    rows = stories.list_stories(db, limit=10_000).stories
    keys = [(s.last_published or s.updated[:10], s.size, s.id) for s in rows]
    assert keys == sorted(keys, reverse=True)  # the order today's `newsweave stories` prints


# -- a story's articles and history ----------------------------------------------------------


def test_articles_and_history_of_a_story(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    stories.ingest(db, [EXAMPLE], meta=load_meta(EXAMPLE_META), entities=False)
    sid = _example_id(db)
    articles = stories.story_articles(db, sid)
    assert [a.published for a in articles] == sorted(a.published or "" for a in articles)
    assert {a.outlet for a in articles} >= {"Caldenport Courier", "The Northern Ledger"}
    assert all(a.run == 1 and a.copy_of is None for a in articles)
    assert articles[0].to_article().text == articles[0].text
    (created,) = stories.story_history(db, sid)
    assert (created.kind, created.articles, created.run, created.other) == ("created", 5, 1, None)
    stories.ingest(db, [EXAMPLE], entities=False)  # duplicates only: nothing happened to it
    stories.ingest(db, [LATE_REPORT], entities=False)
    history = stories.story_history(db, sid)
    assert [(c.kind, c.articles, c.run) for c in history] == [("created", 5, 1), ("updated", 1, 3)]
    assert json.loads(json.dumps([c.to_json() for c in history]))[1]["kind"] == "updated"
    with pytest.raises(stories.StoryNotFound, match="no story 999"):
        stories.story_history(db, 999)
    with pytest.raises(stories.StoryNotFound):
        stories.get_story(db, 999)


def test_merges_and_splits_are_told_from_both_sides(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    stories.ingest(db, [EXAMPLE], entities=False)
    sid = _example_id(db)
    with Store(db) as s, s.transaction():  # as the clusterer records a merge of 7 into sid, a split
        s.write_story(
            7, title="t", size=0, copies=0, outlets=0, first_published=None, last_published=None, state="merged"
        )
        s.record_event(1, "merge", sid, 7, 2)
        s.record_event(1, "split", 7, sid, 1)
    kinds = [(c.kind, c.other, c.articles) for c in stories.story_history(db, sid)]
    assert kinds == [("created", None, 5), ("merged", 7, 2), ("split_from", 7, 1)]
    assert [c.kind for c in stories.story_history(db, 7)] == ["merged_into", "split"]
    with pytest.raises(stories.StoryNotFound, match=r"no story 7 in .* \(merged into another\)"):
        stories.story_brief(db, 7)


def test_a_schema_1_store_is_upgraded_with_search_history_and_no_old_briefs(tmp_path: Path, nlp: object) -> None:
    current = tmp_path / "current.db"
    stories.ingest(current, [EXAMPLE], meta=load_meta(EXAMPLE_META), entities=False)
    old = _schema_1_store(tmp_path / "old.db", current)
    with sqlite3.connect(old) as c:
        c.execute("INSERT INTO briefs VALUES (1, 'markdown:150', 1, '2026-03-20T00:00:00+00:00', 'stale')")
    with stories.open_store(old) as s:
        assert s.version == len(MIGRATIONS)
        sid = _example_id(s)
        assert [(c.kind, c.articles, c.run) for c in stories.story_history(s, sid)] == [("created", 5, 1)]
        assert [x.id for x in stories.list_stories(s, search="Solberg").stories] == [sid]
        calls: list[int] = []
        assert stories.story_brief(s, sid, build=_counting(calls, nlp)).rebuilt and calls == [5]


def _schema_1_store(path: Path, source: Path | None) -> Path:
    """A store as newsweave 0.1 with schema 1 wrote it, with the rows of `source` (if any)."""
    with sqlite3.connect(path) as c:
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                c.execute(statement)
        c.execute("PRAGMA user_version = 1")
        if source is not None:
            c.execute("ATTACH ? AS src", (str(source),))
            for table in ("runs", "articles", "stories", "memberships", "clusterer"):
                c.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
            c.execute("INSERT INTO story_events SELECT * FROM src.story_events WHERE kind IN ('merge', 'split')")
    return path


# -- the brief, cached by story version, words, format and newsweave version ------------------


def _counting(calls: list[int], nlp: object | None = None) -> stories.BriefBuilder:
    """The real brief pipeline, counting its calls (the number of reports of each)."""

    def build(articles: Sequence[Article], words: int) -> Brief:
        from newsweave import brief

        calls.append(len(articles))
        return brief(list(articles), words=words, nlp=nlp)  # type: ignore[arg-type]

    return build


def test_brief_is_cached_and_rebuilt_only_when_its_key_changes(tmp_path: Path, nlp: object) -> None:
    from newsweave import __version__, brief
    from newsweave.render import render

    db = tmp_path / "s.db"
    stories.ingest(db, [EXAMPLE], meta=load_meta(EXAMPLE_META), entities=False)
    calls: list[int] = []
    build = _counting(calls, nlp)
    with stories.open_store(db) as store:
        sid = _example_id(store)
        first = stories.story_brief(store, sid, build=build)
        assert (
            first.rebuilt
            and calls == [5]
            and (first.words, first.format, first.newsweave) == (150, "markdown", __version__)
        )
        expected = render(brief(store.articles_of(sid), nlp=nlp), "markdown")  # type: ignore[arg-type]
        assert first.content == expected  # the same text `newsweave story` printed before the cache moved
        hit = stories.story_brief(store, sid, build=build)
        assert not hit.rebuilt and hit.content == first.content and calls == [5]
        assert stories.story_brief(store, sid, words=80, build=build).rebuilt and calls == [5, 5]
        assert stories.story_brief(store, sid, format="json", build=build).rebuilt and calls == [5, 5, 5]
        assert not stories.story_brief(store, sid, build=build).rebuilt  # each key has its own row
        assert not stories.story_brief(store, sid, words=80, build=build).rebuilt and len(calls) == 3
        store.db.execute("UPDATE briefs SET newsweave = '0.0.9' WHERE words = 150 AND format = 'markdown'")
        other = stories.story_brief(store, sid, build=build)  # written by another newsweave: not served
        assert other.rebuilt and len(calls) == 4
        version = stories.get_story(store, sid).version
        stories.ingest(store, [LATE_REPORT], entities=False)  # a new report: a new story version
        assert stories.get_story(store, sid).version > version
        fresh = stories.story_brief(store, sid, build=build)
        assert fresh.rebuilt and calls[-1] == 6 and fresh.version == stories.get_story(store, sid).version
        assert not stories.story_brief(store, sid, build=build).rebuilt and len(calls) == 5
        with pytest.raises(stories.QueryError, match=r"^format: unknown 'pdf'"):
            stories.story_brief(store, sid, format="pdf")
        with pytest.raises(stories.StoryNotFound, match="no story 42"):
            stories.story_brief(store, 42, build=build)


# -- the CLI calls the library: one JSON contract ----------------------------------------------


def test_cli_prints_the_records_json_and_pages(db: Path) -> None:
    r = runner.invoke(app, ["stories", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [s.to_json() for s in stories.list_stories(db).stories]
    r = runner.invoke(app, ["runs", "--db", str(db), "--format", "json"])
    assert json.loads(r.stdout) == [x.to_json() for x in stories.list_runs(db)]
    r = runner.invoke(app, ["stories", "--db", str(db), "--search", "Harbour Line", "-f", "json"])
    assert [s["id"] for s in json.loads(r.stdout)] == [_example_id(db)]
    r = runner.invoke(app, ["stories", "--db", str(db), "--search", "**"])
    assert r.exit_code == 2 and "error: --search: no words" in r.stderr
    r = runner.invoke(app, ["stories", "--db", str(db), "--after", "nope"])
    assert r.exit_code == 2 and "error: --after: not a paging cursor" in r.stderr
    r = runner.invoke(app, ["stories", "--db", str(db), "--until", "soon"])
    assert r.exit_code == 2 and "--until: not a date" in r.stderr
    if SEEDS.is_dir():  # two stories: a page of one ends with the cursor of the next
        r = runner.invoke(app, ["stories", "--db", str(db), "-n", "1", "-f", "json"])
        (cursor,) = re.findall(r"note: more stories: --after (\S+)", r.stderr)
        r2 = runner.invoke(app, ["stories", "--db", str(db), "-n", "1", "-f", "json", "--after", cursor])
        assert r2.exit_code == 0 and "more stories" not in r2.stderr
        assert {s["id"] for s in json.loads(r.stdout) + json.loads(r2.stdout)} == {
            s.id for s in stories.list_stories(db).stories
        }


# -- light import, and the docs' example runs ------------------------------------------------

HEAVY = ("spacy", "thinc", "torch", "datasketch", "dask", "distributed", "trafilatura", "numpy", "sklearn")


def test_import_loads_no_heavy_module() -> None:
    code = "import sys, newsweave.stories; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not set(HEAVY) & set(out), set(HEAVY) & set(out)


def _python_blocks(doc: Path, section: str) -> Iterator[str]:
    text = doc.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    yield from re.findall(r"```python\n(.*?)```", body, flags=re.S)


def test_the_python_example_of_docs_stories_runs(tmp_path: Path) -> None:
    (block,) = _python_blocks(ROOT / "docs" / "stories.md", "From Python")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "example.py").write_text(block, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "run 1: 5 added, 1 new stories" in r.stdout and "created 5 report(s) in run 1" in r.stdout
    assert (tmp_path / "news.db").is_file()
