"""`newsweave serve`, the real command: a store served on 127.0.0.1, bad input in one line,
and the light imports (FastAPI and uvicorn load only when serving)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from newsweave.web.serve import is_loopback
from tests.test_imports import _loaded
from tests.web.conftest import free_port


def test_importing_the_web_package_loads_no_framework() -> None:
    loaded = _loaded("import newsweave.web, newsweave.cli\nimport sys\nassert 'fastapi' not in sys.modules")
    assert not any(loaded.values()), {m for m, v in loaded.items() if v}


def test_serve_refuses_a_missing_store_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [sys.executable, "-m", "newsweave", "serve", "--db", str(tmp_path / "none.db")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2
    assert (
        done.stderr.strip().count("\n") == 0 and "no story store at" in done.stderr and "Traceback" not in done.stderr
    )


def test_serve_serves_a_store_on_loopback(store_copy: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [sys.executable, "-m", "newsweave", "serve", "--db", str(store_copy), "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.json()["stories"] == 1 and health.json()["writes"] == "open"
        assert "Caldenport" in httpx.get(f"http://127.0.0.1:{port}/").text
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "serving" in (server.stderr.read() if server.stderr else "")


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
