"""A stored report as its story's brief cleaned it: read by the report page and the API alike
(its own module so that neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from newsweave import stories
from newsweave.model import StoryArticle
from newsweave.web.state import Web


@dataclass(frozen=True, slots=True, kw_only=True)
class Cleaned:
    article: StoryArticle
    story: int
    text: str
    removed: list[tuple[str, str]]  # (reason, line)
    sentences: list[dict[str, Any]]  # the brief's sentences of this report (ids and offsets)
    fresh: bool  # marked from a brief of the story's current version


def cleaned(web: Web, article_id: int) -> Cleaned:
    """A stored report cleaned as its story's brief cleaned it (the story's reports as context)."""
    from newsweave.clean import clean

    sid = web.store.article_story(article_id)
    if sid is None:
        raise HTTPException(404, f"no report {article_id} in {web.path.name}")
    members = stories.story_articles(web.store, sid)
    mine = next(a for a in members if a.id == article_id)
    context = [a.to_article() for a in members if a.copy_of is None]
    if mine.copy_of is not None:
        context.append(mine.to_article())
    done = {c.id: c for c in clean(context)}[str(article_id)]
    removed = [(r.partition(": ")[0], r.partition(": ")[2]) for r in done.removed]
    row = stories.get_story(web.store, sid)
    shown = web.shown(row)
    source = shown.view.sources.get(str(article_id)) if shown.view else None
    return Cleaned(
        article=mine,
        story=sid,
        text=done.text,
        removed=removed,
        sentences=list((source or {}).get("sentences", [])),
        fresh=shown.state == "fresh",
    )
