"""RSS and Atom feeds (feedparser), from a file or a URL: one article per entry."""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from newsweave.errors import IngestError
from newsweave.ingest.decode import decode_text
from newsweave.model import Article, Note, Skipped

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
# A feed is a list of entries, rarely over a few MB; this caps what a URL may send.
MAX_FEED_BYTES = 20 * 1024 * 1024
FETCH_TIMEOUT = 30.0
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"}
_XML_DECL_ENCODING = re.compile(r"""(<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])[^"']*\2""")
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
# Characters XML cannot hold: lxml refuses to set them as text (ValueError, found by tests/test_fuzz.py).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "newsweave (+https://github.com/newsweave)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data: bytes = resp.read(MAX_FEED_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise IngestError(f"cannot fetch {url}: {reason}") from None
    if len(data) > MAX_FEED_BYTES:
        raise IngestError(f"feed at {url} is larger than {MAX_FEED_BYTES // 1_000_000} MB")
    return data


def fragment_text(html: str) -> str:
    """Text of an entry's HTML fragment, one line per block (trafilatura needs whole pages)."""
    html = _NOT_XML.sub(" ", html)
    if "<" not in html:
        return html.strip()
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//iframe|//figure|//figcaption"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(ln.split()) for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _as_utf8(data: bytes, *, source: str, note: Callable[[Note], None] | None) -> bytes:
    """The feed as UTF-8, decoded by the same policy as every other file.

    feedparser falls back to ISO-8859-1 on its own, which turns cp1252 curly quotes into
    control characters and names no encoding to the user."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    decoded = decode_text(data)
    if decoded.note and note:
        note(Note(path=source, message=decoded.note))
    return _XML_DECL_ENCODING.sub(r"\1\2utf-8\2", decoded.text, count=1).encode("utf-8")


def _valid_charrefs(data: bytes) -> bytes:
    """Character references beyond Unicode (&#x110000;) as U+FFFD: feedparser raises ValueError
    on them (found by tests/test_fuzz.py), which would lose every entry of the feed."""

    def fix(m: re.Match[bytes]) -> bytes:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return m.group(0) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"

    return _CHARREF.sub(fix, data)


def looks_like_feed(head: bytes) -> bool:
    h = head[:1024].lstrip().lower()
    if h.startswith((b"<rss", b"<feed", b"<rdf")):
        return True
    return h.startswith(b"<?xml") and any(tag in head[:4096].lower() for tag in (b"<rss", b"<feed", b"<rdf"))


def read_feed(
    data: bytes, *, source: str, warn: Callable[[Skipped], None], note: Callable[[Note], None] | None = None
) -> Iterator[Article]:
    """Articles of one feed; entries without text go to `warn`, a non-UTF-8 feed to `note`."""
    import feedparser  # here, not at import: only feeds need it

    try:
        parsed: Any = feedparser.parse(_valid_charrefs(_as_utf8(data, source=source, note=note)))
    except Exception as exc:  # a parser of hostile input raises whatever it meets; one line, not a traceback
        raise IngestError(f"malformed feed ({type(exc).__name__}: {exc})") from None
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not any(e.get("title") or e.get("summary") or e.get("content") for e in entries):
        raise IngestError(f"malformed feed ({problem or 'unreadable'})")
    if parsed.get("bozo"):
        warn(Skipped(path=source, reason=f"feed is not well-formed, read what could be: {problem}"))
    outlet = (parsed.get("feed") or {}).get("title")
    for n, e in enumerate(entries, start=1):
        html = ""
        if e.get("content"):
            html = max((c.get("value", "") for c in e["content"]), key=len)
        html = html or e.get("summary", "") or ""
        text = fragment_text(html)
        if not text.strip():
            warn(Skipped(path=f"{source}#{n}", reason="feed entry without text"))
            continue
        key = e.get("id") or e.get("link") or f"{source}#{n}"
        parsed_time = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", parsed_time) if parsed_time else None
        yield Article(
            id="feed-" + hashlib.sha1(str(key).encode("utf-8")).hexdigest()[:12],
            text=text,
            outlet=outlet,
            title=e.get("title"),
            published=published,
            url=e.get("link"),
            author=e.get("author"),
            path=f"{source}#{n}",
        )
