"""`newsweave serve`: uvicorn over `create_app`, loopback by default."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

from newsweave.errors import NewsweaveError


class ServeUsage(NewsweaveError):
    """A usage error of `serve` (a missing store, an unreadable outlets file): exit 2."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Path | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    build_all: bool = False,
    outlets: Path | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Serve the store (or the example's) until interrupted; writing beyond loopback needs a token."""
    import uvicorn

    from newsweave.web.app import create_app
    from newsweave.web.example import example_store
    from newsweave.web.outlets import OutletsError, read_outlets

    if db is not None and not db.is_file():
        raise ServeUsage(f"no story store at {db} (run `newsweave ingest ... --db {db}` first)")
    try:
        known = read_outlets(outlets) if outlets is not None else None
    except OutletsError as exc:
        raise ServeUsage(str(exc)) from None
    path = db if db is not None else example_store()
    local = is_loopback(host)
    app = create_app(path, token=token, writes=local or bool(token), build_all=build_all or db is None, outlets=known)
    if not local and not token:
        say(f"newsweave: listening on {host}: writing (POST /api/v1/articles) is off without --token")
    say(f"newsweave: serving {path} at http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning")
