"""Latency and throughput of `newsweave serve` under 50 concurrent clients.

    python benchmarks/bench_serve.py [--data ../shared/data] [--clients 50] [--requests 20]
        [--briefs 40] [--work /tmp/newsweave-bench-serve]

A store of the stream bench's pool of real articles (Multi-News and AllSides dev, Timeline17,
WikiRef220: about 3,400; `bench_stream.pool`), ingested once into `--work` and reused; the
briefs of the first page of the story list and of `--briefs` story pages are built and stored
before the clock starts (the server answers stored pages from them; a missing one would be
built in the background, never on the request path). The server is the real command,
`newsweave serve --db ... --port ...` (one uvicorn process), and the clients are `--clients`
keep-alive connections of this process (asyncio), each sending `--requests` requests one
after another, on:

- the story list page (`/`) and its API twin (`/api/v1/stories`),
- story pages (`/stories/{id}`, stories picked round-robin) and their stored brief
  (`/api/v1/stories/{id}/brief`).

Server and clients share the machine's cores (2 here): the figures include the clients' cost,
and any other work on the machine (the load average is printed beside them). The server's
CPU time per request (from /proc) is what that other work does not inflate.
Prints p50 / p95 / max latency, requests/s and CPU ms per request per endpoint; writes
benchmarks/results/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from newsweave import stories
from newsweave.model import Article

sys.path.insert(0, str(Path(__file__).parent))
from bench_stream import pool  # the same real articles as the stream bench

OUT = Path(__file__).parent / "results" / "serve.json"
MAX_BRIEF_SIZE = 30  # story pages benchmarked are of stories up to this many reports (a brief of 300 takes minutes)


def build_store(data: Path, db: Path) -> int:
    """The pool ingested into `db` (once: a store already there is reused); its article count."""
    if not db.is_file():
        recs = pool(data, None)
        articles = (
            Article(id=str(r["id"]), text=str(r["text"]), title=r.get("title"), published=r.get("published"))
            for r in recs
            if r.get("text")
        )
        with stories.open_store(db) as store:
            stories.ingest(store, articles, entities=True)
    with stories.open_store(db, readonly=True) as store:
        return store.counts()[1]


def build_briefs(db: Path, n_pages: int) -> list[int]:
    """Store the briefs of the list's first page and of `n_pages` story pages; their ids."""
    with stories.open_store(db) as store:
        first = [s.id for s in stories.list_stories(store, limit=25).stories]
        chosen = [s.id for s in stories.list_stories(store, limit=500).stories if 2 <= s.size <= MAX_BRIEF_SIZE]
        pages = chosen[:n_pages]
        for sid in dict.fromkeys(first + pages):
            if stories.get_story(store, sid).size <= MAX_BRIEF_SIZE:
                stories.story_brief(store, sid, format="json")
    return pages


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc): the server's cost per
    request, which other work on the machine does not inflate as it inflates latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams. Hand-written because httpx costs
    the client about 2 ms of CPU a request, five times what the server spends on a stored page:
    on 2 shared cores the client, not the server, would set the latency measured."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body bytes) of GET `path`."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(ln.split(":", 1)[1]) for ln in lines if ln.lower().startswith("content-length:"))
        body = await self.reader.readexactly(length)
        return status, len(body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(url: str, paths: list[str], clients: int, per_client: int) -> dict[str, Any]:
    """`clients` clients, each on its own connection sending `per_client` requests in turn
    (paths round-robin)."""
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0

    async def one(k: int) -> None:
        nonlocal errors
        conn = Connection(host, int(port))
        try:
            for i in range(per_client):
                path = paths[(k * per_client + i) % len(paths)]
                t = time.perf_counter()
                status, _ = await conn.get(path)
                latencies.append(time.perf_counter() - t)
                if status != 200:
                    errors += 1
        finally:
            conn.close()

    # First views, one at a time: each page rendered from its stored brief (then kept until the
    # store changes). The clock of the concurrent part starts after them.
    first: list[float] = []
    conn = Connection(host, int(port))
    for path in dict.fromkeys(paths):
        t = time.perf_counter()
        await conn.get(path)
        first.append((time.perf_counter() - t) * 1000)
    conn.close()
    start = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    wall = time.perf_counter() - start
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests": len(ms),
        "errors": errors,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
        "rps": round(len(ms) / wall, 1),
        "first_view_p50_ms": round(statistics.median(first), 1),
        "first_view_max_ms": round(max(first), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="requests per client and endpoint")
    ap.add_argument("--briefs", type=int, default=40, help="story pages benchmarked (their briefs stored first)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsweave-bench-serve"))
    args = ap.parse_args()
    if not (args.data / "mds").is_dir():
        sys.exit(f"error: no dev data at {args.data} (give --data ../shared/data)")
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / "news.db"
    t = time.perf_counter()
    n_articles = build_store(args.data, db)
    pages = build_briefs(db, args.briefs)
    prep = time.perf_counter() - t
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "newsweave", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("error: the server did not start: " + (server.stderr.read().decode() if server.stderr else ""))
            time.sleep(0.2)
        health = httpx.get(f"{url}/health").json()
        scenarios = {
            "story list page /": ["/"],
            "story list API /api/v1/stories": ["/api/v1/stories?limit=25"],
            "story page /stories/{id}": [f"/stories/{sid}" for sid in pages],
            "stored brief /api/v1/stories/{id}/brief": [f"/api/v1/stories/{sid}/brief" for sid in pages],
        }
        results = {}
        for name, paths in scenarios.items():
            load_before = os.getloadavg()[0]
            server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
            r = asyncio.run(load(url, paths, args.clients, args.requests))
            n = r["requests"] + len(set(paths))  # and the first views
            r["server_cpu_ms"] = round(1000 * (cpu_seconds(server.pid) - server_cpu) / n, 2)
            r["client_cpu_ms"] = round(1000 * (time.process_time() - client_cpu) / n, 2)
            r["load_avg"] = round((load_before + os.getloadavg()[0]) / 2, 1)
            results[name] = r
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = {
        "articles": n_articles,
        "stories": health["stories"],
        "story_pages": len(pages),
        "clients": args.clients,
        "requests_per_client": args.requests,
        "cpus": os.cpu_count(),
        "prepare_s": round(prep, 1),
        "results": results,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    table = Table(
        title=f"newsweave serve, {n_articles:,} real articles in {health['stories']:,} stories, "
        f"{args.clients} concurrent clients, {os.cpu_count()} cores (server and clients)"
    )
    cols = ("endpoint", "requests", "errors", "p50 ms", "p95 ms", "max ms", "req/s", "server CPU ms/req")
    for col in (*cols, "client CPU ms/req", "first view p50 / max ms", "load avg"):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for name, r in results.items():
        keys = ("p50_ms", "p95_ms", "max_ms", "rps", "server_cpu_ms", "client_cpu_ms")
        cells = [f"{r['requests']:,}", str(r["errors"])] + [str(r[k]) for k in keys]
        cells += [f"{r['first_view_p50_ms']} / {r['first_view_max_ms']}", str(r["load_avg"])]
        table.add_row(name, *cells)
    Console(width=170).print(table)


if __name__ == "__main__":
    main()
