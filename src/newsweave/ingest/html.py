"""HTML pages: main text and metadata through trafilatura."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsweave.errors import IngestError
from newsweave.ingest.text import strip_dateline
from newsweave.model import Article

# Pages with more elements than this are refused as hostile (element bombs); real
# article pages stay under ~20,000.
MAX_TREE_SIZE = 200_000


# Fewer words than this is navigation residue ("Home"), not an article.
MIN_TEXT_WORDS = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """trafilatura's own switches for what counts as main text."""

    mode: str = "precision"  # "precision" (favor_precision), "balanced" (its default) or "recall"
    tables: bool = True
    comments: bool = False


# Chosen on the dev pages of both extraction sets, cross-validated by page
# (`newsweave eval extraction --cv`, docs/evaluation.md): favor_precision cuts the related
# links, teasers and share rows around the story by the page's structure and loses almost no
# story text (scrapinghub recall 98.09 vs 98.36 balanced); tables are story text on both sets.
EXTRACTION = Extraction()
MODES = ("precision", "balanced", "recall")


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    from trafilatura.settings import use_config

    config = use_config()
    config["DEFAULT"]["max_tree_size"] = str(MAX_TREE_SIZE)
    config["DEFAULT"]["extensive_date_search"] = "on"
    return config


def extract_page(html: str, *, url: str | None = None, options: Extraction = EXTRACTION) -> Any:
    """trafilatura's document (text and metadata) of one page, or None when it finds no text."""
    if not html.strip():
        raise IngestError("empty file")
    if options.mode not in MODES:
        raise ValueError(f"unknown extraction mode {options.mode!r} (expected one of {', '.join(MODES)})")
    # Imported here: trafilatura (with htmldate, courlan, lxml) costs 0.3 s of start-up that a
    # brief of .txt reports never needs.
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:
            raise IngestError("unparseable HTML (no document tree)")
        meta = _metadata(tree, url)
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=options.comments,
            include_tables=options.tables,
            favor_precision=options.mode == "precision",
            favor_recall=options.mode == "recall",
            config=_config(),
        )
    except IngestError:
        raise
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise IngestError(f"unparseable HTML ({type(exc).__name__})") from exc
    if doc is not None:
        for name in ("title", "date", "sitename", "author", "url"):
            setattr(doc, name, getattr(meta, name))
    return doc


def _metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's `extract_metadata` (2.3.1) up to what an Article holds: title, author, url,
    date, site name. Written out because the categories, tags and licence it also reads are a
    third of its cost (5-6 of 17 ms a page on the dev pages), and newsweave never uses them."""
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    with suppress(Exception):  # trafilatura's own guard: bugs in its JSON-LD reader
        meta = extract_meta_json(tree, meta)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    date_params = set_date_params(_config()["DEFAULT"].getboolean("extensive_date_search"))
    date_params["url"] = meta.url
    meta.date = find_date(tree, **date_params)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


def article_from_page(doc: Any, *, article_id: str, path: str | None = None, url: str | None = None) -> Article:
    """The Article of trafilatura's document: its text without the repeated <h1> and dateline."""
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
        source_format="html",
    )


def parse_html(
    html: str, *, article_id: str, path: str | None = None, url: str | None = None, options: Extraction = EXTRACTION
) -> Article:
    """Main text, title, date, site name and author of one page."""
    doc = extract_page(html, url=url, options=options)
    return article_from_page(doc, article_id=article_id, path=path, url=url)
