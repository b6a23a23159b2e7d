"""The response cache: a stored page is served whole until the store changes, by whatever
writer; pages showing a missing or stale brief are never kept."""

from __future__ import annotations

from pathlib import Path

import httpx

from newsweave import stories
from newsweave.model import Article
from tests.web.conftest import Served

REPORT = (
    "Caldenport's Harbour Line metro carried 80,000 riders in its first week, the transit authority said on"
    " Monday. Trains between Kohlsvik and Old Harbour ran every four minutes, Mayor Ingrid Solberg said."
)


def test_a_write_by_another_connection_drops_the_cached_pages(store_copy: Path) -> None:
    from newsweave.web import create_app

    with Served(create_app(store_copy, rebuild=False)) as s:
        first = httpx.get(f"{s.url}/api/v1/stories").json()
        assert httpx.get(f"{s.url}/api/v1/stories").json() == first
        home = httpx.get(f"{s.url}/")
        assert home.headers.get_list("content-security-policy") == [home.headers["content-security-policy"]]
        again = httpx.get(f"{s.url}/")  # from the cache: the same page, its headers added once
        assert again.text == home.text and len(again.headers.get_list("content-security-policy")) == 1
        with stories.open_store(store_copy) as store:  # another writer, not through the app
            report = Article(id="week-one", text=REPORT, title="Harbour Line's first week", published="2026-03-15")
            stories.ingest(store, [report], entities=True)
        after = httpx.get(f"{s.url}/api/v1/stories").json()
        assert sum(x["size"] for x in after["stories"]) == sum(x["size"] for x in first["stories"]) + 1
        assert httpx.get(f"{s.url}/").text != home.text  # the page is made again from the new store


def test_a_page_without_its_brief_is_not_kept(store_copy: Path) -> None:
    from newsweave.web import create_app

    with Served(create_app(store_copy, rebuild=False)) as s:
        sid = httpx.get(f"{s.url}/api/v1/stories").json()["stories"][0]["id"]
        page = httpx.get(f"{s.url}/stories/{sid}")
        assert page.headers["cache-control"] == "no-store"
        with stories.open_store(store_copy) as store:
            stories.story_brief(store, sid, format="json")  # the brief arrives: the page must show it
        shown = httpx.get(f"{s.url}/stories/{sid}")
        assert 'id="summary"' in shown.text and "cache-control" not in shown.headers
