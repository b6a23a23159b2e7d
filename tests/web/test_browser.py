"""The pages in Debian's Chromium (Playwright): a store of real dev reports, search, a story,
a citation landing on its highlighted sentence, a disputed claim, "weave your own" with
uploaded files, a hostile report rendered inert; no console error, no request leaving
127.0.0.1. The screenshots in docs/screenshots/ are taken here, with NEWSWEAVE_SCREENSHOTS=1
(otherwise into a temporary folder, so that a test run leaves the checkout as it was)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from newsweave import stories
from newsweave.model import Article
from tests.web.conftest import Served

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOTS = DOCS_SHOTS if os.environ.get("NEWSWEAVE_SCREENSHOTS") else Path(tempfile.gettempdir()) / "newsweave-shots"
HOSTILE_TITLE = '<script>window.__pwned = 1</script>Port strike <img src=x onerror="window.__pwned=2">'
HOSTILE_TEXT = (
    "Dock workers in the port of Vestrand walked out on Monday over pay, the port authority said in a"
    ' statement. <iframe src="https://evil.example/"></iframe> The strike closed every berth in Vestrand,'
    ' union leader Aino Pell said, <a href="javascript:window.__pwned=3">read more</a>.\n'
    'The strike <b onmouseover="window.__pwned=4">closed</b> the container terminal for the first time in'
    " a decade, and ships waited outside the harbour, the port authority said.\n"
    "<style>body{display:none}</style>Talks between the union and the port operators are expected to resume"
    " on Wednesday, officials said."
)


@pytest.fixture(scope="module")
def site(real_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    import shutil

    from newsweave.web import create_app

    db = tmp_path_factory.mktemp("site") / "news.db"
    shutil.copy(real_store, db)
    with stories.open_store(db) as store:
        hostile = Article(id="hostile", text=HOSTILE_TEXT, title=HOSTILE_TITLE, outlet="<b>Evil</b> Wire")
        stories.ingest(store, [hostile], entities=True)
    with Served(create_app(db)) as s:
        for row in stories.list_stories(db, limit=8).stories:  # the first screen of the list, with its briefs
            s.web.ask(row, s.web.settings.words)
        assert s.web.rebuilder.wait(300)
        yield s


@pytest.fixture
def page(browser: Any, site: Served) -> Iterator[Any]:
    """A page whose every request off 127.0.0.1 is blocked and recorded, console errors too."""
    context = browser.new_context(viewport={"width": 1000, "height": 760})
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]

    def route(r: Any) -> None:
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            page.outside.append(r.request.url)  # type: ignore[attr-defined]
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield page
    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"  # type: ignore[attr-defined]
    assert page.errors == [], f"console errors: {page.errors}"  # type: ignore[attr-defined]
    context.close()


def _story_with_brief(site: Served, page: Any, sid: int) -> None:
    """Open a story; the first visit asks for its brief, built in the background, then reload."""
    page.goto(f"{site.url}/stories/{sid}")
    if page.locator("#brief-state").count():
        assert site.web.rebuilder.wait(300)
        page.reload()
    assert page.locator("#summary p.sentence").count() >= 1


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_list_search_story_citation_and_dispute(page: Any, site: Served) -> None:
    page.goto(site.url + "/")
    titles = page.locator("li.story a.title")
    assert titles.count() == site.web.settings.page_size  # a full first page of real stories
    assert page.locator("nav.paging a[rel=next]").count() == 1
    _shot(page, "stories")

    # Search a real story by a word of its title: it is listed.
    first = stories.list_stories(site.web.path, limit=1).stories[0]
    word = max(re.findall(r"[A-Za-z]{5,}", first.title or "") or ["Harbour"], key=len)
    page.fill("input[name=q]", word)
    page.click("form.filters button")
    assert f"q={word}" in page.url
    assert page.locator(f"li.story[data-story='{first.id}']").count() == 1

    # The example cluster: found by its words, opened, its brief built in the background.
    page.fill("input[name=q]", '"Harbour Line"')
    page.click("form.filters button")
    page.locator("li.story a.title").first.click()
    sid = int(page.url.rsplit("/", 1)[1])
    _story_with_brief(site, page, sid)
    page.reload()  # the list line now has the brief: anticipate vs report and the disputes flag
    _shot(page, "story")

    # A disputed claim opens with both sides, each cited.
    dispute = page.locator("details.dispute").first
    assert dispute.get_attribute("open") is None
    dispute.locator("summary").click()
    assert dispute.get_attribute("open") is not None
    assert dispute.locator(".side").nth(1).locator("a.cite").count() >= 1
    assert dispute.locator(".side").nth(0).locator("a.cite").count() >= 1

    # A citation lands on its sentence, highlighted, in the report.
    cite = page.locator("#summary a.cite").first
    href = cite.get_attribute("href")
    cite.click()
    page.wait_for_url(re.compile(r"/articles/\d+#s-"))
    fragment = href.split("#", 1)[1]
    target = page.locator(":target")
    assert target.get_attribute("id") == fragment
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 243, 168)"
    assert target.inner_text().strip()
    page.locator("details.removed summary").click()
    _shot(page, "article")

    # The list shows the brief's line for the story now.
    page.goto(site.url + '/?q="Harbour+Line"')
    assert page.locator("li.story .flag.disputed").count() >= 1
    assert "anticipate" in page.locator("li.story .share").first.inner_text()


def test_weave_your_own_with_uploaded_files(page: Any, site: Served, tmp_path: Path) -> None:
    a = tmp_path / "post.txt"
    a.write_text(
        "Lindmark ferries halted by strike\n\nHarbour ferries in Lindmark stopped on Monday after a strike by"
        " crews, the port authority said. The strike is expected to last two days, union leader Petra Kaas"
        " said. Talks with the ferry company resume on Tuesday, officials said.\n",
        encoding="utf-8",
    )
    b = tmp_path / "wire.html"
    b.write_text(
        "<html><head><title>Ferry crews strike in Lindmark</title></head><body><article><h1>Ferry crews strike"
        "</h1><p>Crews of the Lindmark harbour ferries went on strike on Monday, halting every crossing.</p>"
        "<p>Union leader Petra Kaas said the strike would last two days.</p><p>The ferry company said it"
        " regretted the disruption and that talks resume on Tuesday.</p></article></body></html>",
        encoding="utf-8",
    )
    before = httpx.get(f"{site.url}/api/v1/health").json()["articles"]
    page.goto(site.url + "/weave")
    page.set_input_files("input[name=files]", [str(a), str(b)])
    page.click("form.weave button")
    page.wait_for_selector("#woven")
    assert page.locator("#sources article.report").count() == 2
    assert page.locator("#summary p.sentence").count() >= 1
    cite = page.locator("#summary a.cite").first
    cite.click()
    assert page.locator(":target").get_attribute("id") == cite.get_attribute("href").lstrip("#")
    _shot(page, "weave")
    assert httpx.get(f"{site.url}/api/v1/health").json()["articles"] == before  # nothing stored


def test_a_hostile_report_renders_inert(page: Any, site: Served) -> None:
    found = stories.list_stories(site.web.path, search="Vestrand").stories
    assert found
    sid = found[0].id
    _story_with_brief(site, page, sid)
    aid = stories.story_articles(site.web.path, sid)[0].id
    for url in ("/?q=Vestrand", f"/stories/{sid}", f"/articles/{aid}"):
        page.goto(site.url + url)
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("main script, main iframe, main img, main style, main b").count() == 0
        assert page.locator("main").is_visible()
    page.goto(f"{site.url}/articles/{aid}")
    text = page.locator("article.report").inner_text()
    assert "<iframe" in text and "javascript:" in text and "<style>" in text  # shown as text, not as markup
    assert "<script>" in page.locator("h1").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]
