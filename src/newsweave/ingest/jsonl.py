"""JSON Lines: one article per line, with text or raw HTML."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from newsweave.errors import IngestError
from newsweave.ingest.html import parse_html
from newsweave.ingest.text import strip_dateline
from newsweave.model import Article, Skipped

# normalize_date is read from here too (--meta, the stories' --since): the parser is nlp/dates.py.
from newsweave.nlp.dates import normalize_date as normalize_date

# One record is one article: 10 MB of text or HTML is far beyond any real report.
MAX_LINE_BYTES = 10 * 1024 * 1024

# Field names seen in the wild for the same thing, first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id", "uid"),
    "url": ("url", "link", "source_url"),
    "outlet": ("outlet", "source", "sitename", "site", "publisher", "domain"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "pubdate", "publish_date", "datetime"),
    "text": ("text", "body", "content", "article", "maintext"),
    "html": ("html", "raw_html"),
    "author": ("author", "byline", "authors"),
}


def _field(record: dict[str, object], name: str) -> str | None:
    for key in ALIASES[name]:
        value = record.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if value not in (None, ""):
            return str(value)
    return None


def read_jsonl(path: Path, *, stem: str, warn: Callable[[Skipped], None]) -> Iterator[Article]:
    """Yield the articles of one file; bad lines are reported through `warn` and skipped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                warn(Skipped(path=where, reason=f"record too large ({len(raw) / 1e6:.1f} MB)"))
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig", errors="replace"))
            except json.JSONDecodeError as exc:
                warn(Skipped(path=where, reason=f"invalid JSON ({exc.msg})"))
                continue
            if not isinstance(record, dict):
                warn(Skipped(path=where, reason="not a JSON object"))
                continue
            try:
                yield _article(record, default_id=f"{stem}-{lineno}", where=where)
            except IngestError as exc:
                warn(Skipped(path=where, reason=str(exc)))


def _article(record: dict[str, object], *, default_id: str, where: str) -> Article:
    article_id = _field(record, "id") or default_id
    url = _field(record, "url")
    text = _field(record, "text")
    html = _field(record, "html")
    if text and text.strip():
        body, dateline_outlet = strip_dateline(text.replace("\r\n", "\n").strip())
        article = Article(id=article_id, text=body, outlet=dateline_outlet, url=url, path=where)
    elif html:
        article = parse_html(html, article_id=article_id, path=where, url=url)
    else:
        raise IngestError("record has no text or html")
    return Article(
        id=article_id,
        text=article.text,
        outlet=_field(record, "outlet") or article.outlet,
        title=_field(record, "title") or article.title,
        published=normalize_date(_field(record, "published")) or normalize_date(article.published),
        url=url or article.url,
        author=_field(record, "author") or article.author,
        path=where,
        source_format=article.source_format,
    )
