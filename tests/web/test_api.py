"""The REST API against a real uvicorn on 127.0.0.1: the same JSON as `--format json`, errors as
JSON with the right status, the body limit, the token, briefs rebuilt off the request path."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema
import pytest

from newsweave import stories
from newsweave.render.json import schema
from tests.web.conftest import Served

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "docs" / "openapi.json"
REPORT_A = (
    "Harbour ferries in Lindmark stopped on Monday after a strike by crews, the port authority said.\n"
    "The strike is expected to last two days, union leader Petra Kaas said.\n"
    "Officials said talks with the ferry company would resume on Tuesday."
)
REPORT_B = (
    "Crews of the Lindmark harbour ferries went on strike on Monday, halting every crossing.\n"
    "Union leader Petra Kaas said the strike would last two days.\n"
    "The ferry company said it regretted the disruption."
)


def test_health_counts_the_store(served: Served) -> None:
    r = httpx.get(f"{served.url}/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["stories"] == 1 and body["articles"] == 5
    assert httpx.get(f"{served.url}/health").json()["articles"] == 5


def test_story_list_is_the_library_records_json(served: Served) -> None:
    body = httpx.get(f"{served.url}/api/v1/stories").json()
    expected = stories.list_stories(served.web.path).to_json()
    extra = ("brief", "coverage")  # what the list adds to each record
    assert [{k: v for k, v in s.items() if k not in extra} for s in body["stories"]] == expected["stories"]
    assert body["next"] is None and body["next_url"] is None
    line = body["stories"][0]["brief"]
    assert line["state"] == "fresh" and line["disputes"] >= 1 and line["anticipate"] + line["report"] == 5


def test_paging_by_keyset_and_search(served: Served) -> None:
    assert httpx.get(f"{served.url}/api/v1/stories", params={"q": "Harbour Line"}).json()["stories"]
    assert httpx.get(f"{served.url}/api/v1/stories", params={"q": "zeppelin"}).json()["stories"] == []
    assert httpx.get(f"{served.url}/api/v1/stories", params={"since": "2027-01-01"}).json()["stories"] == []


def test_the_stored_brief_is_served_and_follows_the_schema(served: Served) -> None:
    sid = httpx.get(f"{served.url}/api/v1/stories").json()["stories"][0]["id"]
    r = httpx.get(f"{served.url}/api/v1/stories/{sid}/brief")
    assert r.status_code == 200 and r.headers["x-newsweave-brief"] == "fresh"
    stored = stories.story_brief(served.web.path, sid, format="json")
    assert not stored.rebuilt and r.text == stored.content  # one contract: what `newsweave story -f json` prints
    jsonschema.validate(r.json(), schema())


def test_story_and_article_json(served: Served) -> None:
    sid = httpx.get(f"{served.url}/api/v1/stories").json()["stories"][0]["id"]
    story = httpx.get(f"{served.url}/api/v1/stories/{sid}").json()
    assert story["size"] == len(story["articles"]) == 5 and story["history"][0]["kind"] == "created"
    aid = story["articles"][0]["id"]
    article = httpx.get(f"{served.url}/api/v1/articles/{aid}").json()
    assert article["story"] == sid and article["text"] == story["articles"][0]["text"]
    assert article["cleaned"]["text"] and all(r["reason"] and r["line"] for r in article["cleaned"]["removed"])


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/stories/999", 404, "no story 999"),
        ("/api/v1/stories/999/brief", 404, "no story 999"),
        ("/api/v1/articles/999", 404, "no report 999"),
        ("/api/v1/nothing", 404, "no page at /api/v1/nothing"),
        ("/api/v1/stories?limit=0", 422, "limit"),
        ("/api/v1/stories?since=yesterday-ish", 422, "since: not a date"),
        ("/api/v1/stories?after=garbage", 422, "after: not a paging cursor"),
        ("/api/v1/stories/1/brief?words=0", 422, "words"),
        ("/api/v1/stories/abc", 422, "story_id"),
    ],
)
def test_errors_are_json_with_a_clear_message(served: Served, path: str, status: int, words: str) -> None:
    r = httpx.get(served.url + path)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert words in r.json()["error"] and r.json()["status"] == status
    assert str(served.web.path.parent) not in r.text  # no server path in a message


def test_a_body_over_the_limit_is_refused_with_413(served: Served) -> None:
    big = {"articles": [{"id": "a", "text": "word " * 1_000_000}]}
    r = httpx.post(f"{served.url}/api/v1/brief", json=big)
    assert r.status_code == 413 and "limit" in r.json()["error"]

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"x" * 1_000_000

    r = httpx.post(f"{served.url}/api/v1/brief", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_weave_via_post_brief_stores_nothing(served: Served) -> None:
    before = httpx.get(f"{served.url}/api/v1/health").json()
    payload = {
        "articles": [
            {"id": "a", "text": REPORT_A, "outlet": "Lindmark Post", "published": "2026-05-04"},
            {"id": "b", "html": f"<html><body><article><p>{REPORT_B}</p></article></body></html>", "outlet": "Wire"},
        ],
        "words": 60,
    }
    r = httpx.post(f"{served.url}/api/v1/brief", json=payload, timeout=120)
    assert r.status_code == 200, r.text
    brief = r.json()
    jsonschema.validate(brief, schema())
    assert {s["id"] for s in brief["sources"]} == {"a", "b"} and brief["summary"]
    assert httpx.get(f"{served.url}/api/v1/health").json()["articles"] == before["articles"]


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"articles": []}, 422, "articles"),
        ({"articles": [{"id": "a"}]}, 422, "exactly one of text and html"),
        ({"articles": [{"id": "a", "text": "x", "html": "<p>x</p>"}]}, 422, "exactly one of text and html"),
        ({"articles": [{"id": "a", "text": "A report."}], "words": 0}, 422, "words"),
        ({"articles": [{"id": f"a{i}", "text": "A report."} for i in range(41)]}, 422, "articles"),
        ({"articles": [{"id": "a", "text": "word " * 70_000}]}, 413, "60,000 words"),
    ],
)
def test_bad_weaves(served: Served, payload: dict[str, object], status: int, words: str) -> None:
    r = httpx.post(f"{served.url}/api/v1/brief", json=payload, timeout=60)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]


def test_writing_needs_the_token_and_rebuilds_in_the_background(store_copy: Path) -> None:
    import threading

    from newsweave.pipeline import brief
    from newsweave.web import create_app

    # The builder is held up after the first briefs, so that the stale state is seen for certain
    # (a rebuild that finished between two requests made the check race).
    go = threading.Event()
    go.set()

    def held_build(articles, words):  # type: ignore[no-untyped-def]
        go.wait(60)
        return brief(list(articles), words=words)

    with Served(create_app(store_copy, token="s3cret", build_all=True, build=held_build)) as s:
        assert s.web.rebuilder.wait(300)
        go.clear()
        sid = httpx.get(f"{s.url}/api/v1/stories").json()["stories"][0]["id"]
        report = {
            "id": "late-report",
            "title": "Harbour Line carries 80,000 riders in its first week",
            "text": (
                "Caldenport's Harbour Line metro carried 80,000 riders in its first week, the transit"
                " authority said on Monday. Trains between Kohlsvik and Old Harbour ran every four minutes."
                " Mayor Ingrid Solberg said the Harbour Line had passed every tunnel safety inspection."
            ),
            "outlet": "Caldenport Courier",
            "published": "2026-03-15",
        }
        assert httpx.post(f"{s.url}/api/v1/articles", json={"articles": [report]}).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert httpx.post(f"{s.url}/api/v1/articles", json={"articles": [report]}, headers=wrong).status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        r = httpx.post(f"{s.url}/api/v1/articles", json={"articles": [report]}, headers=good, timeout=60)
        assert r.status_code == 201, r.text
        assert r.json()["added"] == 1 and len(r.json()["stories"]) == 1
        sid = r.json()["stories"][0]  # the story it joined (or started)
        # The request returned before the brief was rebuilt: the old one is served, marked stale
        # (or, for a story the report started, none yet).
        b = httpx.get(f"{s.url}/api/v1/stories/{sid}/brief")
        page = httpx.get(f"{s.url}/stories/{sid}").text
        if b.status_code == 200:
            assert b.headers["x-newsweave-brief"] == "stale" and "A new brief is being built" in page
        else:
            assert b.status_code == 202 and "being built" in page
        go.set()
        assert s.web.rebuilder.wait(300)
        b = httpx.get(f"{s.url}/api/v1/stories/{sid}/brief")
        assert b.headers["x-newsweave-brief"] == "fresh"
        assert report["title"] in {src["title"] for src in b.json()["sources"]}
        again = httpx.post(f"{s.url}/api/v1/articles", json={"articles": [report]}, headers=good, timeout=60)
        assert again.json()["added"] == 0 and again.json()["duplicates"] == 1


def test_writing_is_off_beyond_loopback_without_a_token(store_copy: Path) -> None:
    from newsweave.web import create_app

    with Served(create_app(store_copy, writes=False, rebuild=False)) as s:
        r = httpx.post(f"{s.url}/api/v1/articles", json={"articles": [{"id": "a", "text": REPORT_A}]})
        assert r.status_code == 403 and "--token" in r.json()["error"]
        assert s.web.store.readonly  # reads never write


def test_a_first_brief_is_built_off_the_request_path(store_copy: Path) -> None:
    """While the builder is held up, pages and the API still answer at once."""
    import threading

    from newsweave.pipeline import brief
    from newsweave.web import create_app

    release = threading.Event()

    def slow_build(articles, words):  # type: ignore[no-untyped-def]
        release.wait(60)
        return brief(list(articles), words=words)

    with Served(create_app(store_copy, build=slow_build)) as s:
        sid = httpx.get(f"{s.url}/api/v1/stories").json()["stories"][0]["id"]
        first = httpx.get(f"{s.url}/api/v1/stories/{sid}/brief", timeout=5)
        assert first.status_code == 202 and first.headers["retry-after"] == "2"
        assert "being built" in httpx.get(f"{s.url}/stories/{sid}", timeout=5).text
        assert httpx.get(f"{s.url}/", timeout=5).status_code == 200
        release.set()
        assert s.web.rebuilder.wait(300)
        assert httpx.get(f"{s.url}/api/v1/stories/{sid}/brief").status_code == 200


def test_the_checked_in_openapi_is_the_served_one(served: Served) -> None:
    served_schema = httpx.get(f"{served.url}/api/v1/openapi.json").json()
    assert OPENAPI.is_file(), "docs/openapi.json is missing: python -m newsweave.web.openapi > docs/openapi.json"
    assert json.loads(OPENAPI.read_text("utf-8")) == served_schema, (
        "docs/openapi.json is out of date: python -m newsweave.web.openapi > docs/openapi.json"
    )


def test_every_answer_carries_a_strict_csp(served: Served) -> None:
    for path in ("/", "/weave", "/api/v1/health", "/nothing"):
        csp = httpx.get(served.url + path).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
