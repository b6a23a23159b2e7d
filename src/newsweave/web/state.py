"""What the app keeps between requests: the read-only store, the brief builder, the settings,
and small caches of parsed briefs keyed by what the brief was built from."""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsweave import __version__, stories
from newsweave.model import Story
from newsweave.stories.api import BriefBuilder
from newsweave.summarize.base import DEFAULT_WORDS
from newsweave.web.digest import Digest, View, digest
from newsweave.web.outlets import Coverage, Outlets, coverage
from newsweave.web.rebuild import Rebuilder

CACHED_VIEWS = 64  # parsed briefs kept (a story page's brief is 50-500 kB of JSON)
CACHED_DIGESTS = 20_000  # list lines kept: a few hundred bytes each


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    words: int = DEFAULT_WORDS  # the word budget of the briefs the pages show
    page_size: int = 25
    token: str | None = None  # required by the writing endpoints when set
    writes: bool = True  # False: the writing endpoints refuse (non-loopback without a token)
    outlets: Outlets = field(default_factory=Outlets)  # the user's outlets file (none: every lean unknown)


@dataclass(frozen=True, slots=True, kw_only=True)
class Shown:
    """A story's brief as a page can show it now."""

    state: str  # fresh, stale (an older version's brief, a new one is being built), building, failed, none
    view: View | None
    version: int | None  # the story version the shown brief was built from
    error: str | None = None
    created: str | None = None  # when the shown brief was built


class Web:
    def __init__(
        self, path: str | os.PathLike[str], *, settings: Settings, build: BriefBuilder | None, rebuild: bool
    ) -> None:
        self.path = Path(path)
        self.settings = settings
        self.store = stories.open_store(self.path, readonly=True)
        self.rebuilder = Rebuilder(self.path, build=build) if rebuild else None
        self.write_lock = threading.Lock()  # one ingest at a time from this process
        self._guard = threading.Lock()
        self._views: OrderedDict[tuple[int, int, int, str], View] = OrderedDict()
        self._digests: OrderedDict[tuple[int, int, int, str], Digest] = OrderedDict()

    def close(self) -> None:
        if self.rebuilder is not None:
            self.rebuilder.stop()
        self.store.close()

    def ask(self, story: Story, words: int) -> tuple[bool, str | None]:
        """Ask for a story's brief unless it failed for this very version; (building, error)."""
        if self.rebuilder is None or story.state == "merged":
            return False, None
        error = self.rebuilder.errors.get((story.id, words))
        if error is not None and error.startswith(f"v{story.version}:"):
            return False, error.split(":", 1)[1].strip()
        self.rebuilder.request(story.id, words)
        return True, None

    def shown(self, story: Story, words: int | None = None) -> Shown:
        """The stored brief of a story (fresh or stale), asking for a new one when it is stale."""
        words = words or self.settings.words
        stamp = self.store.brief_stamps([story.id], words=words, fmt="json").get(story.id)
        fresh = stamp is not None and stamp[0] == story.version and stamp[1] == __version__
        building, error = (False, None) if fresh else self.ask(story, words)
        if stamp is None:
            return Shown(
                state="failed" if error else ("building" if building else "none"), view=None, version=None, error=error
            )
        view = self._view(story.id, words, stamp)
        if view is None:  # replaced between the two reads: the next request sees the new one
            return Shown(state="building", view=None, version=None)
        state = "fresh" if fresh else ("failed" if error else "stale")
        return Shown(state=state, view=view, version=stamp[0], error=error, created=stamp[2])

    def brief_json(self, story: Story, words: int) -> tuple[Shown, str | None]:
        """The stored brief's JSON text itself (the API serves it unparsed)."""
        stamp = self.store.brief_stamps([story.id], words=words, fmt="json").get(story.id)
        fresh = stamp is not None and stamp[0] == story.version and stamp[1] == __version__
        error = None if fresh else self.ask(story, words)[1]
        stored = self.store.latest_briefs([story.id], words=words, fmt="json").get(story.id)
        if stored is None:
            return Shown(state="failed" if error else "building", view=None, version=None, error=error), None
        state = "fresh" if fresh and stored.version == story.version else ("failed" if error else "stale")
        return Shown(state=state, view=None, version=stored.version, error=error), stored.content

    def digests(self, rows: tuple[Story, ...]) -> dict[int, tuple[str, Digest | None]]:
        """Each listed story's line from its stored brief (parsed once per brief) and its state."""
        words = self.settings.words
        stamps = self.store.brief_stamps([s.id for s in rows], words=words, fmt="json")
        out: dict[int, tuple[str, Digest | None]] = {}
        missing: list[int] = []
        for s in rows:
            stamp = stamps.get(s.id)
            if stamp is None:
                out[s.id] = ("none", None)
                continue
            key = (s.id, words, stamp[0], stamp[2])
            with self._guard:
                hit = self._digests.get(key)
            state = "fresh" if stamp[0] == s.version and stamp[1] == __version__ else "stale"
            out[s.id] = (state, hit)
            if hit is None:
                missing.append(s.id)
        for sid, b in self.store.latest_briefs(missing, words=words, fmt="json").items():
            d = digest(json.loads(b.content))
            with self._guard:
                self._digests[(sid, words, b.version, b.created)] = d
                while len(self._digests) > CACHED_DIGESTS:
                    self._digests.popitem(last=False)
            out[sid] = (out[sid][0], d)
        return out

    def _view(self, sid: int, words: int, stamp: tuple[int, str, str]) -> View | None:
        key = (sid, words, stamp[0], stamp[2])
        with self._guard:
            hit = self._views.get(key)
            if hit is not None:
                self._views.move_to_end(key)
                return hit
        stored = self.store.latest_briefs([sid], words=words, fmt="json").get(sid)
        if stored is None or (stored.version, stored.created) != (stamp[0], stamp[2]):
            return None
        view = View(json.loads(stored.content))
        with self._guard:
            self._views[key] = view
            while len(self._views) > CACHED_VIEWS:
                self._views.popitem(last=False)
        return view

    def coverages(self, sids: list[int]) -> dict[int, Coverage]:
        """Each story's coverage by lean and country, from the outlets file (unknown without one)."""
        reports = self.store.story_reports(sids)
        return {sid: coverage(self.settings.outlets, reports[sid]) for sid in sids}

    def health(self) -> dict[str, Any]:
        n_stories, n_articles = self.store.counts()
        rb = self.rebuilder
        return {
            "status": "ok",
            "newsweave": __version__,
            "store": self.path.name,
            "stories": n_stories,
            "articles": n_articles,
            "briefs_waiting": rb.waiting if rb else 0,
            "briefs_built": rb.built if rb else 0,
            "writes": "token" if self.settings.token else ("open" if self.settings.writes else "off"),
            "outlets_file": self.settings.outlets.source,
        }
