"""The server-rendered pages (Jinja2, autoescaped, no scripts): the story list, a story, a
report, and "weave your own". Each reads what its API twin serves."""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined

from newsweave import __version__, stories
from newsweave.errors import NewsweaveError, QueryError
from newsweave.web.api import Id
from newsweave.web.digest import View, segments
from newsweave.web.reports import cleaned
from newsweave.web.state import Web
from newsweave.web.weave import MAX_ARTICLES, MAX_BODY_BYTES, MAX_BRIEF_WORDS, check_bounds, from_uploads

# A page showing a brief that is missing, stale or failed depends on the builder's state in
# memory: never kept by the response cache (newsweave.web.cache) nor by a browser.
NO_STORE = {"Cache-Control": "no-store"}


@functools.cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("newsweave.web", "templates"), autoescape=True, undefined=StrictUndefined)
    env.globals["version"] = __version__
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    return env


def render(web: Web, template: str, **context: Any) -> str:
    context.setdefault("link", _local_link)
    return _env().get_template(template).render(**context)


def _local_link(cite: Any) -> str:
    """A citation within the page (weave: the sources are shown below the brief)."""
    return f"#s-{cite.sentence}"


def router(web: Web) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/health")
    def health() -> JSONResponse:
        return JSONResponse(web.health())

    @r.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)  # no icon, and no 404 in the browser's console

    @r.get("/", response_class=HTMLResponse)
    def story_list(
        request: Request,
        q: str = "",
        since: str = "",
        until: str = "",
        outlet: str = "",
        after: str = "",
    ) -> str:
        filters = {"q": q.strip(), "since": since.strip(), "until": until.strip(), "outlet": outlet.strip()}
        error = None
        try:
            page = stories.list_stories(
                web.store,
                search=filters["q"] or None,
                since=filters["since"] or None,
                until=filters["until"] or None,
                outlet=filters["outlet"] or None,
                limit=web.settings.page_size,
                after=after or None,
            )
        except QueryError as exc:
            error, page = str(exc), stories.StoryPage(stories=(), next=None)
        kept = {k: v for k, v in filters.items() if v}
        next_url = "/?" + urlencode({**kept, "after": page.next}) if page.next else None
        return render(
            web,
            "stories.html",
            rows=page.stories,
            lines=web.digests(page.stories),
            leans=web.coverages([s.id for s in page.stories]),
            outlets_known=web.settings.outlets.known,
            filters=filters,
            outlets=web.store.outlets(),
            next_url=next_url,
            first_url=("/?" + urlencode(kept)) if after else None,
            error=error,
            health=web.health(),
        )

    @r.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: Id) -> HTMLResponse:
        from newsweave.web.outlets import claims_by_side

        row = stories.get_story(web.store, story_id)
        shown = web.shown(row)
        members = stories.story_articles(web.store, story_id)
        reports = {str(a.id): (a.outlet, a.url) for a in members}
        known = web.settings.outlets
        html = render(
            web,
            "story.html",
            story=row,
            shown=shown,
            v=shown.view,
            articles=members,
            lean=web.coverages([story_id])[story_id],
            outlets_known=known.known,
            sides=claims_by_side(known, shown.view.brief, reports) if shown.view and known.known else [],
            history=stories.story_history(web.store, story_id),
            link=lambda c: f"/articles/{c.source}#s-{c.sentence}",
        )
        return HTMLResponse(html, headers=None if shown.state == "fresh" else NO_STORE)

    @r.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: Id) -> HTMLResponse:
        found = cleaned(web, article_id)
        html = render(
            web,
            "article.html",
            a=found.article,
            story=found.story,
            pieces=segments(found.text, found.sentences) if found.sentences else [(None, found.text)],
            removed=found.removed,
            marked=bool(found.sentences),
        )
        return HTMLResponse(html, headers=None if found.fresh else NO_STORE)

    @r.get("/weave", response_class=HTMLResponse)
    def weave_form() -> str:
        return render(
            web, "weave.html", v=None, error=None, skipped=[], limits=_limits(web), texts=[], words=web.settings.words
        )

    @r.post("/weave", response_class=HTMLResponse)
    async def weave(request: Request) -> HTMLResponse:
        from starlette.concurrency import run_in_threadpool

        form = await request.form(max_files=MAX_ARTICLES, max_fields=20, max_part_size=MAX_BODY_BYTES)
        files: list[tuple[str, bytes]] = []
        for item in form.getlist("files"):
            if hasattr(item, "read"):
                data = await item.read()
                if data:
                    files.append((str(getattr(item, "filename", "") or "upload"), data))
        pasted = [str(t) for t in form.getlist("text") if isinstance(t, str) and t.strip()]
        try:
            words = int(str(form.get("words") or web.settings.words))
        except ValueError:
            words = -1
        try:
            view, skipped = await run_in_threadpool(_weave, files, pasted, words)
        except NewsweaveError as exc:
            page = render(
                web, "weave.html", v=None, error=str(exc), skipped=[], limits=_limits(web), texts=pasted, words=words
            )
            return HTMLResponse(page, status_code=413 if type(exc).__name__ == "TooMuch" else 422)
        page = render(
            web, "weave.html", v=view, error=None, skipped=skipped, limits=_limits(web), texts=[], words=words
        )
        return HTMLResponse(page)

    return r


def _weave(files: list[tuple[str, bytes]], pasted: list[str], words: int) -> tuple[View, list[Any]]:
    from newsweave.pipeline import brief
    from newsweave.render.json import to_dict

    articles, skipped = from_uploads(files, pasted)
    if not articles and skipped:
        raise NewsweaveError("no report could be read: " + "; ".join(f"{s.path}: {s.reason}" for s in skipped[:5]))
    check_bounds(articles, words)
    result = to_dict(brief(articles, words=words))
    return View(json.loads(json.dumps(result))), skipped


def _limits(web: Web) -> dict[str, int]:
    return {"articles": MAX_ARTICLES, "bytes": MAX_BODY_BYTES, "words": MAX_BRIEF_WORDS}
