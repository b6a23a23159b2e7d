"""Reports given to the web app ("weave your own", `POST /api/v1/brief`, `POST /api/v1/articles`)
turned into `Article`s by the same readers as the CLI, within bounds."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from newsweave.errors import NewsweaveError
from newsweave.model import Article, Skipped

# Bounds of one request: a brief costs about 0.1 s per report and grows with their words, so
# a weave or an ingest of more than this belongs to the CLI. MAX_BODY_BYTES bounds every request.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_ARTICLES = 40
MAX_WORDS_TEXT = 60_000  # words of all the reports of one weave together
MAX_BRIEF_WORDS = 1_000  # the largest word budget a brief may ask for
_SAFE_NAME = re.compile(r"[^\w.-]+")


class TooMuch(NewsweaveError):
    """A request within the body limit that still asks for more than one request may (413)."""


def from_fields(
    *,
    id: str,
    text: str | None,
    html: str | None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> Article:
    """One report given as JSON fields: its text (read as a .txt file is) or its HTML (as an
    .html file is: trafilatura), with the metadata given overriding what was read."""
    from newsweave.ingest.html import parse_html
    from newsweave.ingest.jsonl import normalize_date
    from newsweave.ingest.text import parse_text

    article = parse_html(html, article_id=id, url=url) if html is not None else parse_text(text or "", article_id=id)
    given = {
        "title": title,
        "outlet": outlet,
        "url": url,
        "published": normalize_date(published) if published else None,
    }
    return dataclasses.replace(article, **{k: v for k, v in given.items() if v})


def from_uploads(files: Sequence[tuple[str, bytes]], pasted: Sequence[str]) -> tuple[list[Article], list[Skipped]]:
    """Uploaded files (text, HTML, JSONL, feeds: whatever `newsweave brief` reads) and pasted
    texts, read in a temporary folder that is gone when this returns."""
    from newsweave.ingest import read_source
    from newsweave.ingest.text import parse_text

    articles: list[Article] = []
    skipped: list[Skipped] = []
    for i, text in enumerate(pasted, 1):
        if text.strip():
            articles.append(parse_text(text, article_id=f"pasted-{i}"))
    with tempfile.TemporaryDirectory(prefix="newsweave-weave-") as tmp:
        used: set[str] = set()
        for n, (name, data) in enumerate(files, 1):
            safe = _SAFE_NAME.sub("-", Path(name or f"upload-{n}").name).strip(".-") or f"upload-{n}"
            while safe in used:
                safe = f"{n}-{safe}"
            used.add(safe)
            path = Path(tmp) / safe
            path.write_bytes(data)
            try:
                found = read_source(path, warn=skipped.append)
            except NewsweaveError as exc:
                skipped.append(Skipped(path=safe, reason=str(exc)))
                continue
            articles.extend(dataclasses.replace(a, path=safe) for a in found)
    return articles, skipped


def check_bounds(articles: Sequence[Article], words: int) -> None:
    """TooMuch (413) beyond the bounds of one request; NewsweaveError (422) for none at all."""
    if not articles:
        raise NewsweaveError("articles: no report with text was given")
    if len(articles) > MAX_ARTICLES:
        raise TooMuch(f"articles: at most {MAX_ARTICLES} reports per request, not {len(articles)}")
    total = sum(len(a.text.split()) for a in articles)
    if total > MAX_WORDS_TEXT:
        raise TooMuch(f"articles: at most {MAX_WORDS_TEXT:,} words of reports per request, not {total:,}")
    if not 1 <= words <= MAX_BRIEF_WORDS:
        raise NewsweaveError(f"words: between 1 and {MAX_BRIEF_WORDS}, not {words}")
