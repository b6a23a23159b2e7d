"""`newsweave batch` on a real Dask LocalCluster (2 worker processes) and local worker processes
against one process."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.stories import batch
from newsweave.stories.store import Store
from tests.conftest import EXAMPLE, MULTINEWS, needs_multinews
from tests.streams import needs_streams


def _archive(tmp_path: Path) -> tuple[Path, int]:
    """The example beside about 24 real Multi-News reports in a JSONL file and a bad file."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for f in EXAMPLE.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    with MULTINEWS.open(encoding="utf-8") as fh, (folder / "wire.jsonl").open("w", encoding="utf-8") as out:
        n = 0
        for line in fh:
            rec = json.loads(line)
            for j, doc in enumerate(rec["documents"]):
                out.write(json.dumps({"id": f"{rec['id']}-{j}", "text": doc}) + "\n")
                n += 1
            if n >= 24:
                break
    (folder / "broken.html").write_bytes(b"\x00\x01\x02binary")
    return folder, n + 5


def _stories(db: Path) -> list[tuple[str, ...]]:
    """Stories as sets of article ext ids (store ids may differ between stores)."""
    with Store(db) as s:
        rows = s.db.execute(
            "SELECT m.story_id, a.ext_id FROM memberships m JOIN articles a ON a.id = m.article_id ORDER BY a.id"
        ).fetchall()
    by: dict[int, list[str]] = {}
    for sid, ext in rows:
        by.setdefault(sid, []).append(ext)
    return sorted(tuple(sorted(v)) for v in by.values())


@needs_multinews
def test_local_processes_and_dask_give_the_stories_of_one_process(tmp_path: Path) -> None:
    folder, expected = _archive(tmp_path)
    reports, found = {}, {}
    for name, engine, workers in (("one", "local", 1), ("processes", "local", 2), ("dask", "dask", 2)):
        db = tmp_path / f"{name}.db"
        with Store(db) as s:
            reports[name] = batch.run([str(folder)], s, engine=engine, workers=workers)
        found[name] = _stories(db)
    one, processes, dist = reports["one"], reports["processes"], reports["dask"]
    assert one.added == processes.added == dist.added == expected
    assert [x.path for x in one.skipped] == [x.path for x in processes.skipped] == [x.path for x in dist.skipped]
    assert any("broken.html" in x.path for x in dist.skipped)
    assert found["one"] == found["processes"] == found["dask"]
    with Store(tmp_path / "one.db") as a, Store(tmp_path / "processes.db") as b:
        assert [f for _, f in a.features_after(0)] == [f for _, f in b.features_after(0)]
    # The example's five reports are one story in all.
    example_ids = {"courier-preview", "harbour-daily", "ledger-opening"}
    assert any(example_ids <= set(st) for st in found["dask"])


def test_local_processes_on_one_source_and_on_more_workers_than_parts(tmp_path: Path) -> None:
    db1, db4 = tmp_path / "1.db", tmp_path / "4.db"
    with Store(db1) as s:
        batch.run([str(EXAMPLE)], s, workers=1, batch=2)
    with Store(db4) as s:
        r = batch.run([str(EXAMPLE)], s, workers=4, batch=2)
    assert r.added == 5 and _stories(db1) == _stories(db4)


def test_ingest_cli_takes_workers(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    r = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--db", str(db), "--workers", "2", "-q", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 5


def test_batch_cli_with_local_dask_cluster(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    r = CliRunner().invoke(app, ["batch", str(EXAMPLE), "--db", str(db), "--workers", "2", "-q", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 5
    r = CliRunner().invoke(app, ["batch", str(EXAMPLE), "--db", str(db), "--scheduler", "tcp://127.0.0.1:1", "-q"])
    assert r.exit_code == 1 and "cannot reach the Dask scheduler" in r.output


def _warc_of(path: Path, recs: list[dict[str, str]]) -> Path:
    """Real reports as the HTML pages of a WARC crawl (one response record each)."""
    import html
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for r in recs:
            paras = "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n") if p.strip())
            page = f"<html><head><title>{html.escape(r['title'])}</title></head><body><article><h1>"
            page += f"{html.escape(r['title'])}</h1>{paras}</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            uri = f"https://news.example/{r['id']}"
            w.write_record(
                w.create_warc_record(uri, "response", payload=io.BytesIO(page.encode()), http_headers=headers)
            )
    return path


def _committed_as_read(tmp_path: Path, engine: str) -> tuple[Path, list[tuple[str, int, bool, int]]]:
    """Ingest a WARC and a JSONL in parts of 50; at each part, what a reader sees committed."""
    from tests.streams import records, write_jsonl

    recs = records(seed=5)
    folder = tmp_path / f"crawl-{engine}"
    folder.mkdir()
    _warc_of(folder / "a-crawl.warc.gz", [r for r in recs if r.get("title")][:120])
    write_jsonl(folder / "b-wire.jsonl", recs[200:330])
    db = tmp_path / f"{engine}.db"
    seen: list[tuple[str, int, bool, int]] = []

    def part(source: str, n: int, done: bool) -> None:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as reader:
            seen.append((Path(source).name, n, done, reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0]))

    with Store(db) as s:
        batch.run([str(folder)], s, engine=engine, workers=2, entities=False, batch=50, on_source=part)
    return db, seen


@needs_streams
def test_stream_files_are_committed_part_by_part_as_read_locally_and_on_dask(tmp_path: Path) -> None:
    local_db, local = _committed_as_read(tmp_path, "local")
    dask_db, dist = _committed_as_read(tmp_path, "dask")
    assert local == dist
    # A reader sees each part of at most 50 committed as soon as it is handed over, long
    # before the file's end: a kill loses at most the part in flight.
    assert [(name, n, done) for name, n, done, _ in local] == [
        ("a-crawl.warc.gz", 50, False),
        ("a-crawl.warc.gz", 50, False),
        ("a-crawl.warc.gz", 20, True),
        ("b-wire.jsonl", 50, False),
        ("b-wire.jsonl", 50, False),
        ("b-wire.jsonl", 30, True),
    ]
    assert [c for *_, c in local] == [50, 100, 120, 170, 220, 250]
    assert _stories(local_db) == _stories(dask_db)
