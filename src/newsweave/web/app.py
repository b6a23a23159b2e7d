"""The app factory: FastAPI over one story store, its pages and its REST API.

    app = create_app("news.db")      # uvicorn.run(app), or mount it in another ASGI app

Every page and API answer reads the store through read-only connections and shows the brief
stored for the story (built in the background when missing or stale, `newsweave.web.rebuild`);
the writing endpoint (`POST /api/v1/articles`) ingests as `newsweave ingest` does.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsweave import __version__
from newsweave.errors import NewsweaveError, StoreBusy, StoreError, StoryNotFound
from newsweave.stories.api import BriefBuilder
from newsweave.web.cache import Generation, ResponseCache
from newsweave.web.guard import BodyLimit, SecurityHeaders
from newsweave.web.outlets import Outlets, read_outlets
from newsweave.web.state import Settings, Web
from newsweave.web.weave import MAX_BODY_BYTES, TooMuch

API = "/api/v1"


def create_app(
    store: str | os.PathLike[str],
    *,
    token: str | None = None,
    writes: bool = True,
    words: int | None = None,
    page_size: int = 25,
    build: BriefBuilder | None = None,
    rebuild: bool = True,
    build_all: bool = False,
    max_body: int = MAX_BODY_BYTES,
    outlets: str | os.PathLike[str] | Outlets | None = None,
) -> FastAPI:
    """The web app over the store at `store`, opened read-only (a missing or foreign file:
    StoreError). `token`: the bearer token the writing endpoint requires; without one,
    `writes=False` turns writing off (what `serve` does on a non-loopback address).
    `build`: the brief builder of the background worker (default `newsweave.brief`);
    `rebuild=False` serves stored briefs only; `build_all` builds every missing brief at start.
    `outlets`: the user's outlets file (or its contents), for coverage by lean and country."""
    from newsweave.summarize.base import DEFAULT_WORDS
    from newsweave.web import api, pages

    known = outlets if isinstance(outlets, Outlets) else read_outlets(outlets) if outlets else Outlets()
    settings = Settings(
        words=words or DEFAULT_WORDS, page_size=page_size, token=token or None, writes=writes, outlets=known
    )
    web = Web(store, settings=settings, build=build, rebuild=rebuild)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if web.rebuilder is not None:
            web.rebuilder.start()
            if build_all:
                for sid in web.store.stale_stories(words=settings.words, fmt="json", newsweave=__version__):
                    web.rebuilder.request(sid, settings.words)
        try:
            yield
        finally:
            web.close()
            generation.close()

    app = FastAPI(
        title="newsweave",
        version=__version__,
        summary="Stories and their briefs: many news reports of one story in, one attributed account out.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: no external requests
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = web
    generation = Generation(web.path)
    app.add_middleware(ResponseCache, generation=generation)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=max_body)
    static = resources.files("newsweave.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router(web), prefix=API)
    app.include_router(pages.router(web))
    _errors(app, web)
    return app


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/health"


def _errors(app: FastAPI, web: Web) -> None:
    """Every error as one clear message: JSON `{"error", "status"}` under /api, a page elsewhere."""

    def answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
        from newsweave.web.pages import render

        return HTMLResponse(
            render(web, "error.html", status=status, message=message), status_code=status, headers=headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return answer(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, 422, _validation_message(exc.errors()))

    @app.exception_handler(NewsweaveError)
    async def library_error(request: Request, exc: NewsweaveError) -> Response:
        return answer(request, _status(exc), str(exc).replace(str(web.path), web.path.name))


def _status(exc: NewsweaveError) -> int:
    """The HTTP status of a library error: missing 404, too much 413, busy 503, else the request's fault."""
    if isinstance(exc, StoryNotFound):
        return 404
    if isinstance(exc, TooMuch):
        return 413
    if isinstance(exc, StoreBusy):
        return 503
    if isinstance(exc, StoreError):
        return 500
    return 422


def _validation_message(errors: Any) -> str:
    """FastAPI's list of validation errors as one line: "where: what" for each."""
    parts = []
    for e in list(errors)[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path", "form"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
