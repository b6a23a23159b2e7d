"""Every error newsweave raises on purpose: one base, so a caller (the CLI, the web app, a
Python user) catches `NewsweaveError` and shows its message as one line."""

from __future__ import annotations


class NewsweaveError(Exception):
    """A problem with the input, the store or the set-up, said in one line (never a bug)."""


class IngestError(NewsweaveError):
    """An input that cannot be read as an article; the message names the reason."""


class StoreError(NewsweaveError):
    """The store cannot be used (locked, not a newsweave store, disk full): one-line message."""


class StoreBusy(StoreError):
    """Another process holds the writer lock and did not let go within the wait."""


class StoryNotFound(StoreError, LookupError):
    """No such story in the store (or it was merged into another): a 404 for the web app."""


class QueryError(NewsweaveError, ValueError):
    """A story listing's filter or paging cursor that cannot be used: the message names it."""


class DatasetError(NewsweaveError, ValueError):
    """A dataset file that cannot be read: the message names file and line."""


class MissingExtra(NewsweaveError):
    """An optional package is not installed; the message says which extra brings it."""

    def __init__(self, purpose: str, module: str, dist: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"{purpose} needs the optional package '{dist}': pip install 'newsweave[{extra}]'")
