"""The REST API under /api/v1: the same JSON as `--format json` (records' `to_json()`, the
brief's schema 1.5), read from the store; `POST /brief` weaves without storing."""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator

from newsweave import stories
from newsweave.model import Story
from newsweave.web.state import Web
from newsweave.web.weave import MAX_ARTICLES, MAX_BRIEF_WORDS, check_bounds, from_fields

RETRY_SECONDS = 2
# Ids are SQLite integers: a larger one is a 422, not an overflow inside the store (found by Schemathesis).
Id = Annotated[int, PathParam(ge=0, le=2**63 - 1)]  # what a 202 "brief being built" tells the client to wait


class ArticleIn(BaseModel):
    """One report: its plain text or its HTML page, and what is known of it."""

    id: str = Field(min_length=1, max_length=200, pattern=r"^[^\s:]+$")
    text: str | None = Field(default=None, max_length=500_000)
    html: str | None = Field(default=None, max_length=2_000_000)
    title: str | None = Field(default=None, max_length=1_000)
    outlet: str | None = Field(default=None, max_length=200)
    published: str | None = Field(default=None, max_length=40)
    url: str | None = Field(default=None, max_length=2_000)

    @model_validator(mode="after")
    def one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text and html")
        return self


class BriefIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)
    words: int = Field(default=150, ge=1, le=MAX_BRIEF_WORDS)


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)


def router(web: Web) -> APIRouter:
    r = APIRouter(tags=["api"])

    def writer(authorization: Annotated[str | None, Header()] = None) -> None:
        token = web.settings.token
        if token:
            given = (authorization or "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise HTTPException(401, "a bearer token is required: Authorization: Bearer <token>")
        elif not web.settings.writes:
            raise HTTPException(
                403, "writing is off: this server listens beyond 127.0.0.1 without a token (--token or NEWSWEAVE_TOKEN)"
            )

    @r.get("/health")
    def health() -> dict[str, Any]:
        """The store's counts and the background builder's queue."""
        return web.health()

    @r.get("/stories")
    def list_stories(
        request: Request,
        q: Annotated[
            str | None, Query(max_length=500, description='words (or a "quoted phrase") a report holds')
        ] = None,
        since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
        until: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        min_size: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        after: Annotated[str | None, Query(max_length=200, description="the `next` of the previous page")] = None,
    ) -> dict[str, Any]:
        """Stories latest first, `{"stories": [...], "next", "next_url"}`; each story with the
        line its stored brief gives (`brief`: state, anticipate/report sources, disputes)."""
        page = stories.list_stories(
            web.store,
            search=q or None,
            since=since,
            until=until,
            outlet=outlet,
            min_size=min_size,
            limit=limit,
            after=after,
        )
        lines = web.digests(page.stories)
        leans = web.coverages([s.id for s in page.stories])
        out = page.to_json()
        for row, item in zip(page.stories, out["stories"], strict=True):
            state, d = lines[row.id]
            item["brief"] = {"state": state, **(d.to_json() if d else {})}
            item["coverage"] = leans[row.id].to_json()
        out["outlets_file"] = web.settings.outlets.source
        params = {k: v for k, v in request.query_params.items() if k != "after"}
        out["next_url"] = f"{request.url.path}?{urlencode({**params, 'after': page.next})}" if page.next else None
        return out

    @r.get("/stories/{story_id}")
    def get_story(story_id: Id) -> dict[str, Any]:
        """A story's row, its reports (oldest first, texts included) and its history."""
        row = stories.get_story(web.store, story_id)
        return _story_json(web, row)

    @r.get("/stories/{story_id}/brief", response_model=None)
    def story_brief(story_id: Id, words: Annotated[int | None, Query(ge=1, le=MAX_BRIEF_WORDS)] = None) -> Response:
        """The story's stored brief (schema 1.5). 200 with `X-Newsweave-Brief: fresh` or `stale`
        (an older version's, while the new one is built); 202 while the first one is built."""
        row = stories.get_story(web.store, story_id)
        if row.state == "merged":
            raise HTTPException(404, f"story {story_id} was merged into another story (see its history)")
        shown, content = web.brief_json(row, words or web.settings.words)
        if content is None:
            if shown.state == "failed":
                raise HTTPException(503, f"the brief of story {story_id} could not be built: {shown.error}")
            return JSONResponse(
                {"status": "building", "story": story_id, "message": "the brief is being built; ask again shortly"},
                status_code=202,
                headers={"Retry-After": str(RETRY_SECONDS)},
            )
        headers = {"X-Newsweave-Brief": shown.state, "X-Newsweave-Brief-Version": str(shown.version)}
        if shown.state != "fresh":
            headers["Cache-Control"] = "no-store"
        return Response(content, media_type="application/json", headers=headers)

    @r.get("/articles/{article_id}")
    def get_article(article_id: Id) -> dict[str, Any]:
        """A stored report: as stored, its story, and its cleaned text with the lines removed and why."""
        from newsweave.web.reports import cleaned

        found = cleaned(web, article_id)
        out = found.article.to_json()
        out["story"] = found.story
        out["cleaned"] = {"text": found.text, "removed": [{"reason": r, "line": ln} for r, ln in found.removed]}
        return out

    @r.post("/brief")
    def weave(body: BriefIn) -> dict[str, Any]:
        """The brief of the reports given (schema 1.5), built now; nothing is stored."""
        from newsweave.pipeline import brief
        from newsweave.render.json import to_dict

        articles = [from_fields(**a.model_dump()) for a in body.articles]
        check_bounds(articles, body.words)
        return to_dict(brief(articles, words=body.words))

    @r.post("/articles", status_code=201, dependencies=[Depends(writer)])
    def add_articles(body: ArticlesIn) -> dict[str, Any]:
        """Ingest reports into the store as `newsweave ingest` does (deduplicated, clustered);
        the briefs of the stories they changed are rebuilt in the background."""
        articles = [from_fields(**a.model_dump()) for a in body.articles]
        check_bounds(articles, web.settings.words)
        with web.write_lock:
            report = stories.ingest(web.path, articles, entities=True, wait=10.0)
        changed = web.store.run_stories(report.run)
        for sid in changed:
            row = web.store.story(sid)
            if row is not None:
                web.ask(row, web.settings.words)
        out = report.to_json()
        out["stories"] = changed
        return out

    return r


def _story_json(web: Web, row: Story) -> dict[str, Any]:
    out = row.to_json()
    out["articles"] = [a.to_json() for a in stories.story_articles(web.store, row.id)]
    out["history"] = [c.to_json() for c in stories.story_history(web.store, row.id)]
    out["brief_url"] = f"/api/v1/stories/{row.id}/brief"
    out["coverage"] = web.coverages([row.id])[row.id].to_json()  # by lean and country: "unknown" without a file
    out["outlets_file"] = web.settings.outlets.source
    return out
