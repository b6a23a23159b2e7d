"""`newsweave serve`: the web app and the REST API over a story store.

    from newsweave.web import create_app
    app = create_app("news.db")           # a FastAPI app: mount it, or serve it with uvicorn

Importing this package loads neither FastAPI nor the brief pipeline: `create_app` imports the
web framework, and the background brief builder loads spaCy when it first builds a brief.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(store: str | os.PathLike[str], **options: Any) -> FastAPI:
    """The app over the store at `store` (see `newsweave.web.app.create_app` for the options)."""
    from newsweave.web.app import create_app as make

    return make(store, **options)


__all__ = ["create_app"]
