"""`newsweave batch` on a real Dask LocalCluster (2 worker processes) against the local engine."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsweave import batch
from newsweave.cli import app
from newsweave.store import Store

from .conftest import EXAMPLE, MULTINEWS, needs_multinews


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
def test_dask_batch_equals_the_local_run(tmp_path: Path) -> None:
    folder, expected = _archive(tmp_path)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    with Store(local_db) as s:
        local = batch.run([str(folder)], s, engine="local")
    with Store(dask_db) as s:
        dist = batch.run([str(folder)], s, engine="dask", workers=2)
    assert local.added == dist.added == expected
    assert [x.path for x in local.skipped] == [x.path for x in dist.skipped]
    assert any("broken.html" in x.path for x in dist.skipped)
    assert _stories(local_db) == _stories(dask_db)
    # The example's five reports are one story in both.
    example_ids = {"courier-preview", "harbour-daily", "ledger-opening"}
    assert any(example_ids <= set(st) for st in _stories(dask_db))


def test_batch_cli_with_local_dask_cluster(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    r = CliRunner().invoke(app, ["batch", str(EXAMPLE), "--db", str(db), "--workers", "2", "-q", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 5
    r = CliRunner().invoke(app, ["batch", str(EXAMPLE), "--db", str(db), "--scheduler", "tcp://127.0.0.1:1", "-q"])
    assert r.exit_code == 1 and "cannot reach the Dask scheduler" in r.output
