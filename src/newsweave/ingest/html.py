"""HTML pages: main text and metadata through trafilatura."""

from __future__ import annotations

from functools import lru_cache

from newsweave.errors import IngestError
from newsweave.ingest.text import strip_dateline
from newsweave.model import Article

# Pages with more elements than this are refused as hostile (element bombs); real
# article pages stay under ~20,000.
MAX_TREE_SIZE = 200_000


# Fewer words than this is navigation residue ("Home"), not an article.
MIN_TEXT_WORDS = 10


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    from trafilatura.settings import use_config

    config = use_config()
    config["DEFAULT"]["max_tree_size"] = str(MAX_TREE_SIZE)
    config["DEFAULT"]["extensive_date_search"] = "on"
    return config


def parse_html(html: str, *, article_id: str, path: str | None = None, url: str | None = None) -> Article:
    """Main text, title, date, site name and author of one page."""
    if not html.strip():
        raise IngestError("empty file")
    # Imported here: trafilatura (with htmldate, courlan, lxml) costs 0.3 s of start-up that a
    # brief of .txt reports never needs.
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            config=_config(),
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise IngestError(f"unparseable HTML ({type(exc).__name__})") from exc
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_TEXT_WORDS:
        raise IngestError("HTML without article text")
    title = getattr(doc, "title", None) or None
    lines = text.split("\n")
    # trafilatura repeats the <h1> as the first line of the text.
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:]).strip()
    text, dateline_outlet = strip_dateline(text)
    return Article(
        id=article_id,
        text=text,
        title=title,
        published=getattr(doc, "date", None) or None,
        outlet=getattr(doc, "sitename", None) or dateline_outlet,
        author=getattr(doc, "author", None) or None,
        url=getattr(doc, "url", None) or url,
        path=path,
    )
