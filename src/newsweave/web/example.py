"""The store `newsweave serve` shows when no --db is given: the bundled example, ingested once
into the user's cache folder, so the first run shows a story."""

from __future__ import annotations

import os
from pathlib import Path

from newsweave import __version__
from newsweave.errors import NewsweaveError

EXAMPLE = "caldenport-metro"


def example_folder() -> Path | None:
    """The invented example cluster: in the current folder's `examples/` (a checkout, where the
    README's first command runs too), or beside the package (an editable install)."""
    for base in (Path.cwd(), *Path(__file__).resolve().parents):
        folder = base / "examples" / EXAMPLE
        if folder.is_dir():
            return folder
    return None


def cache_folder() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "newsweave"


def example_store(folder: Path | None = None) -> Path:
    """The example's store in the cache folder (built by this newsweave version on first use)."""
    from newsweave import stories
    from newsweave.ingest import load_meta

    source = example_folder()
    if source is None:
        raise NewsweaveError(
            f"no --db given and no examples/{EXAMPLE} here: run it in a newsweave checkout, or give --db"
        )
    where = folder or cache_folder()
    where.mkdir(parents=True, exist_ok=True)
    db = where / f"example-{__version__}.db"
    if db.is_file():
        return db
    building = where / f"example-{__version__}.{os.getpid()}.db"
    meta = source.parent / f"{EXAMPLE}.meta.csv"
    with stories.open_store(building) as store:
        stories.ingest(store, [source], meta=load_meta(meta) if meta.is_file() else None, entities=True)
    for extra in ("-wal", "-shm"):
        Path(f"{building}{extra}").unlink(missing_ok=True)
    os.replace(building, db)
    Path(f"{building}.lock").unlink(missing_ok=True)
    return db
