"""RSS/Atom feeds and WARC archives, on files built here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave.ingest import IngestError, load, read_source
from newsweave.model import Note, Skipped

BODY = (
    "<p>The Fenmoor ferry resumed service on Tuesday after a three-week strike ended with a pay deal.</p>"
    "<p>Union leader Ada Crane said members voted 412 to 88 to accept the offer.</p>"
    "<script>track()</script><figure><figcaption>Photo: Staff</figcaption></figure>"
)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Fenmoor Gazette</title><link>https://gazette.example/</link>
<item><title>Ferry back after strike</title><link>https://gazette.example/ferry</link>
<guid>https://gazette.example/ferry</guid><pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate>
<description><![CDATA[{BODY}]]></description></item>
<item><title>Empty item</title><link>https://gazette.example/empty</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coastline Wire</title>
<entry><title>Fenmoor strike over</title><id>tag:wire.example,2026:1</id>
<link href="https://wire.example/1"/><updated>2026-03-03T11:00:00Z</updated>
<content type="html">&lt;p&gt;Ferries sailed again in Fenmoor on Tuesday.&lt;/p&gt;
&lt;p&gt;The strike lasted three weeks.&lt;/p&gt;</content>
</entry></feed>"""

PAGE = """<!doctype html><html><head><title>Fenmoor ferries sail again | Harbour Post</title>
<meta property="og:site_name" content="Harbour Post"><meta name="date" content="2026-03-03"></head>
<body><nav>Home | News | Sport</nav><article><h1>Fenmoor ferries sail again</h1>
<p>Ferries between Fenmoor and the mainland sailed on Tuesday for the first time in three weeks, after
crews accepted a pay deal that ends the longest strike in the service's history.</p>
<p>The operator said the timetable would be back to normal by Thursday, and that tickets bought for
cancelled crossings would be refunded in full.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def _warc(path: Path, *, broken_tail: bool = False) -> None:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for uri, ctype, body in [
        ("https://post.example/ferries", "text/html; charset=utf-8", PAGE.encode()),
        ("https://post.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("https://post.example/ferries-2", "text/html", PAGE.replace("Tuesday", "Wednesday").encode()),
    ]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    data = buf.getvalue()
    if broken_tail:
        data += b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\n<html>cut off"
    path.write_bytes(data)


def test_rss_entries_become_dated_articles_with_outlet(tmp_path: Path) -> None:
    f = tmp_path / "gazette.rss"
    f.write_text(RSS, encoding="utf-8")
    skipped: list[Skipped] = []
    arts = read_source(f, warn=skipped.append)
    assert len(arts) == 1
    a = arts[0]
    assert a.outlet == "Fenmoor Gazette" and a.title == "Ferry back after strike"
    assert a.published == "2026-03-03" and a.url == "https://gazette.example/ferry"
    assert "voted 412 to 88" in a.text and "track()" not in a.text and "Photo: Staff" not in a.text
    assert [s.reason for s in skipped] == ["feed entry without text"]


def test_atom_feed_in_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "wire.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "gazette.xml").write_text(RSS, encoding="utf-8")
    got = load([tmp_path])
    assert {a.outlet for a in got.articles} == {"Coastline Wire", "Fenmoor Gazette"}
    atom = next(a for a in got.articles if a.outlet == "Coastline Wire")
    assert atom.text.splitlines() == ["Ferries sailed again in Fenmoor on Tuesday.", "The strike lasted three weeks."]


def test_malformed_feed_is_one_clear_skip(tmp_path: Path) -> None:
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>x</ti", encoding="utf-8")
    (tmp_path / "good.rss").write_text(RSS, encoding="utf-8")
    got = load([tmp_path])
    assert len(got.articles) == 1
    assert any(s.path.endswith("broken.rss") and "malformed feed" in s.reason for s in got.skipped)


def test_warc_html_responses_become_articles(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc"
    _warc(f)
    skipped: list[Skipped] = []
    arts = read_source(f, warn=skipped.append)
    assert [a.url for a in arts] == ["https://post.example/ferries", "https://post.example/ferries-2"]
    assert arts[0].outlet == "Harbour Post" and arts[0].published == "2026-03-03"
    assert "pay deal" in arts[0].text and "newsletter" not in arts[0].text


def test_broken_warc_record_keeps_what_came_before(tmp_path: Path) -> None:
    f = tmp_path / "cut.warc"
    _warc(f, broken_tail=True)
    skipped: list[Skipped] = []
    arts = read_source(f, warn=skipped.append)
    assert len(arts) == 2
    assert any("broken WARC record" in s.reason for s in skipped)


def test_garbage_named_warc_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "junk.warc.gz"
    f.write_bytes(b"this is not an archive at all\n" * 10)
    with pytest.raises(IngestError, match="WARC"):
        read_source(f, warn=lambda s: None)


def test_cp1252_feed_without_a_declaration_keeps_its_quotes_and_says_so(tmp_path: Path) -> None:
    """feedparser alone falls back to ISO-8859-1: curly quotes became control characters, silently."""
    rss = RSS.replace(' encoding="utf-8"', "").replace(
        "Union leader Ada Crane said", "“We won,” union leader Ada Crane said of the €2 rise, and"
    )
    f = tmp_path / "gazette.rss"
    f.write_bytes(rss.encode("cp1252"))
    notes: list[Note] = []
    got = load([f], on_note=notes.append)
    assert "“We won,” union leader Ada Crane said of the €2 rise" in got.articles[0].text
    assert notes == [Note(path=str(f), message="not UTF-8, read as cp1252")]


def test_declared_latin1_feed_is_read_as_declared(tmp_path: Path) -> None:
    rss = RSS.replace('encoding="utf-8"', 'encoding="iso-8859-1"').replace(
        "Fenmoor Gazette", "Gazette de Fenmoor, très lue"
    )
    f = tmp_path / "gazette.xml"
    f.write_bytes(rss.encode("latin-1"))
    got = load([f])
    assert got.articles[0].outlet == "Gazette de Fenmoor, très lue"


def test_character_references_beyond_unicode_do_not_lose_the_feed(tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py: feedparser raised ValueError on &#x110000; (a traceback)."""
    f = tmp_path / "gazette.rss"
    f.write_text(RSS.replace("Fenmoor Gazette", "Fenmoor &#x110000;Gazette&#0;"), encoding="utf-8")
    got = load([f])
    assert got.articles[0].outlet == "Fenmoor \ufffdGazette\ufffd" and "voted 412 to 88" in got.articles[0].text


def test_control_characters_in_an_entry_do_not_crash_it(tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py: lxml raised ValueError on a control character between blocks."""
    f = tmp_path / "wire.atom"
    f.write_text(ATOM.replace("&lt;/p&gt;\n&lt;p&gt;", "&lt;/p&gt;\x01&lt;p&gt;"), encoding="utf-8")
    got = load([f])
    assert got.articles[0].text.splitlines() == [
        "Ferries sailed again in Fenmoor on Tuesday.",
        "The strike lasted three weeks.",
    ]
