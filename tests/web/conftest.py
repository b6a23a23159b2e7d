"""The web app's fixtures: stores (the example, real dev reports), a real uvicorn on
127.0.0.1, and Debian's Chromium for the browser tests (installed once when we may)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, EXAMPLE_META, SHARED

CHROMIUM = Path("/usr/bin/chromium")
ALLSIDES = SHARED / "mds" / "allsides-dev.jsonl"
APT_SECONDS = 900  # apt-get update + install of Chromium on a slow mirror
REAL_CLUSTERS = 70  # AllSides dev clusters in the browser's store: about 200 real reports


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """A real uvicorn serving `app` on 127.0.0.1 in a thread of this process."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    @property
    def web(self) -> Any:
        return self.app.state.web


def example_db(folder: Path) -> Path:
    from newsweave.web.example import example_store

    return example_store(folder)


@pytest.fixture(scope="session")
def example_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_db(tmp_path_factory.mktemp("example"))


@pytest.fixture
def store_copy(example_store_path: Path, tmp_path: Path) -> Path:
    """A store of its own for a test that writes (briefs, reports)."""
    db = tmp_path / "news.db"
    shutil.copy(example_store_path, db)
    return db


@pytest.fixture(scope="session")
def served(example_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example's store behind a real uvicorn, its one brief already built."""
    from newsweave.web import create_app

    db = tmp_path_factory.mktemp("served") / "news.db"
    shutil.copy(example_store_path, db)
    app = create_app(db, build_all=True)
    with Served(app) as s:
        assert s.web.rebuilder.wait(300), "the example's brief was not built in 5 minutes"
        yield s


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real AllSides dev reports (about 200) and the example cluster in one store."""
    if not ALLSIDES.is_file():
        pytest.skip("../shared/data/mds/allsides-dev.jsonl is absent (real reports are never copied into the repo)")
    from newsweave import stories
    from newsweave.ingest import load_meta
    from newsweave.model import Article

    articles: list[Article] = []
    with ALLSIDES.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= REAL_CLUSTERS:
                break
            r = json.loads(line)
            for j, d in enumerate(r["documents"]):
                articles.append(Article(id=f"allsides-{r['id']}-{j}", text=d["text"], title=d.get("title")))
    db = tmp_path_factory.mktemp("real") / "news.db"
    with stories.open_store(db) as store:
        stories.ingest(store, articles, entities=True)
        stories.ingest(store, [EXAMPLE], meta=load_meta(EXAMPLE_META), entities=True)
    return db


def _install_chromium(log: Path) -> str | None:
    """apt-get Chromium once, when we run as root with apt and NEWSWEAVE_NO_APT is unset;
    the reason to skip otherwise."""
    if os.environ.get("NEWSWEAVE_NO_APT"):
        return "no /usr/bin/chromium, and NEWSWEAVE_NO_APT forbids installing it"
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "no /usr/bin/chromium (apt-get install chromium as root to run the browser tests)"
    deadline = time.monotonic() + APT_SECONDS
    with log.open("w") as out:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
            left = max(1.0, deadline - time.monotonic())
            try:
                done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=left, check=False)
            except subprocess.TimeoutExpired:
                return f"installing Chromium took over {APT_SECONDS} s (log: {log})"
            if done.returncode != 0:
                return f"{' '.join(cmd)} failed (log: {log})"
    return None if CHROMIUM.exists() else f"apt-get installed no /usr/bin/chromium (log: {log})"


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        reason = _install_chromium(tmp_path_factory.mktemp("apt") / "apt.log")
        if reason:
            pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        yield b
        b.close()
