"""Stories at scale: a news stream clustered into stories in a SQLite store, as a library.

    from newsweave import stories
    with stories.open_store("news.db") as store:
        stories.ingest(store, ["feeds/", "https://example.org/world.rss"])
        page = stories.list_stories(store, query="harbour line", limit=20)
        brief = stories.story_brief(store, page.stories[0].id, words=150, format="markdown")

The CLI's story commands, the web app and a Python user all call these functions (and only
these). Importing the package loads no model: the clusterer, spaCy, Dask and the brief
pipeline are imported by the functions that use them.
"""

from __future__ import annotations

from newsweave.errors import QueryError, StoreBusy, StoreError, StoryNotFound
from newsweave.model import Run, StoredBrief, Story, StoryArticle, StoryChange, StoryPage
from newsweave.stories.api import (
    BriefBuilder,
    get_story,
    ingest,
    list_runs,
    list_stories,
    open_store,
    story_articles,
    story_brief,
    story_history,
)
from newsweave.stories.store import Store

__all__ = [
    "BriefBuilder",
    "QueryError",
    "Run",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoredBrief",
    "Story",
    "StoryArticle",
    "StoryChange",
    "StoryNotFound",
    "StoryPage",
    "get_story",
    "ingest",
    "list_runs",
    "list_stories",
    "open_store",
    "story_articles",
    "story_brief",
    "story_history",
]
