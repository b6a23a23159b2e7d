"""Reports given to the web app turned into Articles by the CLI's readers, within bounds."""

from __future__ import annotations

import json

import pytest

from newsweave.errors import NewsweaveError
from newsweave.model import Article
from newsweave.web.weave import MAX_ARTICLES, TooMuch, check_bounds, from_fields, from_uploads

TEXT = "Ferries halted\n\nHarbour ferries in Lindmark stopped on Monday after a strike by crews, the port said.\n"
HTML = (
    "<html><head><title>Ferry crews strike</title></head><body><article><p>Crews of the Lindmark ferries"
    " went on strike on Monday, halting every crossing, the union said.</p></article></body></html>"
)


def test_uploads_are_read_as_the_cli_reads_files() -> None:
    jsonl = "\n".join(
        json.dumps({"id": f"w{i}", "outlet": "Wire", "text": f"Report {i}: the strike went on, the union said."})
        for i in range(2)
    )
    files = [("post.txt", TEXT.encode()), ("wire.html", HTML.encode()), ("feed.jsonl", jsonl.encode())]
    articles, skipped = from_uploads(files, ["A pasted report: talks resume on Tuesday, officials said."])
    assert skipped == []
    assert [a.id for a in articles] == ["pasted-1", "post", "wire", "w0", "w1"]
    assert articles[1].title == "Ferries halted" and "strike by crews" in articles[1].text
    assert articles[2].title == "Ferry crews strike" and "<" not in articles[2].text
    assert articles[3].outlet == "Wire"


def test_hostile_names_and_bad_files_are_skipped_not_fatal() -> None:
    files = [("../../etc/passwd", TEXT.encode()), ("blob.bin", bytes(range(256)) * 8), ("empty.txt", b"")]
    articles, skipped = from_uploads(files, ["   "])
    assert [a.path for a in articles] == ["passwd"]  # the name, never a path outside the temporary folder
    assert {s.path for s in skipped} == {"blob.bin", "empty.txt"}


def test_fields_override_what_was_read() -> None:
    a = from_fields(id="a", text=TEXT, html=None, title="Given title", outlet="Post", published="2026-05-04T10:00:00Z")
    assert (a.title, a.outlet, a.published) == ("Given title", "Post", "2026-05-04")
    b = from_fields(id="b", text=None, html=HTML, url="https://wire.example/a")
    assert b.url == "https://wire.example/a" and "strike" in b.text


def test_bounds() -> None:
    one = [Article(id="a", text="A report.")]
    check_bounds(one, 150)
    with pytest.raises(NewsweaveError, match="no report"):
        check_bounds([], 150)
    with pytest.raises(TooMuch, match=f"at most {MAX_ARTICLES}"):
        check_bounds(one * (MAX_ARTICLES + 1), 150)
    with pytest.raises(TooMuch, match="words of reports"):
        check_bounds([Article(id="a", text="word " * 60_001)], 150)
    with pytest.raises(NewsweaveError, match="words: between"):
        check_bounds(one, 0)
