"""A user's outlets file: each outlet's domains, lean, country and owner, as the user judges
them. None is bundled as truth (`examples/outlets.example.csv` is invented, for the invented
example); without a file every lean is unknown and the pages say so rather than guess.

CSV (a header row: `name,domains,lean,country,owner`; domains separated by spaces or `;`) or
JSON (a list of objects with those keys, `domains` a list or a string).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newsweave.errors import NewsweaveError

SIDES = ("left", "center", "right")
UNKNOWN = "unknown"
# A story is a blindspot when the reports of known lean are at least this many and come from
# one side of left/right only (the other side has none); Ground News's notion, not tuned.
BLINDSPOT_MIN_REPORTS = 2
FIELDS = ("name", "domains", "lean", "country", "owner")


class OutletsError(NewsweaveError):
    """An outlets file that cannot be read; the message names the file and the row."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Outlet:
    name: str
    domains: tuple[str, ...] = ()
    lean: str | None = None  # as the file says it ("lean-left"); `side` is what is counted
    country: str | None = None
    owner: str | None = None

    @property
    def side(self) -> str:
        """left, center or right from the file's lean ("lean-left" is left); unknown if none."""
        text = (self.lean or "").lower()
        if "left" in text:
            return "left"
        if "right" in text:
            return "right"
        if "cent" in text or "centre" in text:
            return "center"
        return UNKNOWN

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "domains": list(self.domains),
            "lean": self.lean,
            "side": self.side,
            "country": self.country,
            "owner": self.owner,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Outlets:
    """The outlets of a file, found by a report's outlet name or its URL's site."""

    outlets: tuple[Outlet, ...] = ()
    source: str | None = None  # the file's name
    _by_name: dict[str, Outlet] = field(default_factory=dict, repr=False)
    _by_domain: dict[str, Outlet] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, outlets: Sequence[Outlet], source: str | None = None) -> Outlets:
        by_name = {o.name.casefold(): o for o in outlets}
        by_domain = {d: o for o in outlets for d in o.domains}
        return cls(outlets=tuple(outlets), source=source, _by_name=by_name, _by_domain=by_domain)

    @property
    def known(self) -> bool:
        return bool(self.outlets)

    def find(self, outlet: str | None, url: str | None) -> Outlet | None:
        if outlet and (hit := self._by_name.get(outlet.strip().casefold())):
            return hit
        host = (urlparse(url).hostname or "").lower().removeprefix("www.") if url else ""
        while host:
            if hit := self._by_domain.get(host):
                return hit
            host = host.partition(".")[2] if "." in host else ""
        return None


def read_outlets(path: str | os.PathLike[str]) -> Outlets:
    """The outlets of a CSV or JSON file; OutletsError naming the problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutletsError(f"outlets file {p}: cannot read it: {exc}") from None
    rows: Iterable[dict[str, Any]]
    if p.suffix.lower() == ".json" or text.lstrip().startswith("["):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OutletsError(f"outlets file {p}: not JSON: {exc}") from None
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise OutletsError(f"outlets file {p}: a JSON list of objects is expected")
        rows = loaded
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
            raise OutletsError(f"outlets file {p}: a header row with at least `name` is expected ({', '.join(FIELDS)})")
        rows = ({(k or "").strip().lower(): v for k, v in r.items()} for r in reader)
    out: list[Outlet] = []
    for n, r in enumerate(rows, 1):
        name = str(r.get("name") or "").strip()
        if not name:
            raise OutletsError(f"outlets file {p}: entry {n} has no name")
        raw = r.get("domains") or ""
        items = raw if isinstance(raw, list) else str(raw).replace(";", " ").split()
        domains = tuple(str(d).strip().lower().removeprefix("www.") for d in items if str(d).strip())
        out.append(
            Outlet(
                name=name,
                domains=domains,
                lean=_text(r.get("lean")),
                country=_text(r.get("country")),
                owner=_text(r.get("owner")),
            )
        )
    return Outlets.of(out, source=p.name)


def _text(value: object) -> str | None:
    s = str(value).strip() if value is not None else ""
    return s or None


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """A story's coverage by side and by country: reports and distinct outlets of each."""

    reports: dict[str, int]  # side -> reports (unknown included)
    outlets: dict[str, int]  # side -> distinct outlets
    countries: dict[str, int]  # country -> reports ("unknown" for none)
    blindspot: str | None  # "left" or "right": the only side of left/right that covered it

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "outlets": self.outlets,
            "countries": self.countries,
            "blindspot": self.blindspot,
        }


def coverage(outlets: Outlets, reports: Sequence[tuple[str | None, str | None]]) -> Coverage:
    """Coverage of reports given as (outlet name, url) pairs."""
    sides: Counter[str] = Counter()
    names: dict[str, set[str]] = {s: set() for s in (*SIDES, UNKNOWN)}
    countries: Counter[str] = Counter()
    for outlet, url in reports:
        hit = outlets.find(outlet, url)
        side = hit.side if hit else UNKNOWN
        sides[side] += 1
        names[side].add(hit.name if hit else (outlet or urlparse(url or "").hostname or "?"))
        countries[(hit.country if hit and hit.country else UNKNOWN)] += 1
    return Coverage(
        reports={s: sides[s] for s in (*SIDES, UNKNOWN)},
        outlets={s: len(names[s]) for s in (*SIDES, UNKNOWN)},
        countries=dict(countries.most_common()),
        blindspot=_blindspot(sides),
    )


def _blindspot(sides: Counter[str]) -> str | None:
    known = sides["left"] + sides["center"] + sides["right"]
    if known < BLINDSPOT_MIN_REPORTS:
        return None
    if sides["left"] and not sides["right"]:
        return "left"
    if sides["right"] and not sides["left"]:
        return "right"
    return None


MAIN_CLAIMS = 15  # claims shown with the sides that carry them: those of the most sources first


def claims_by_side(
    outlets: Outlets, brief: dict[str, Any], reports: dict[str, tuple[str | None, str | None]]
) -> list[tuple[dict[str, Any], dict[str, int]]]:
    """The story's main claims (carried by two sources or more, or disputed), each with how many
    of its sources are of each side; `reports` maps a brief's source id to (outlet, url)."""
    main = [c for c in brief.get("claims", []) if len(c.get("sources", [])) >= 2 or c.get("status") == "disputed"]
    main.sort(key=lambda c: -len(c.get("sources", [])))
    out: list[tuple[dict[str, Any], dict[str, int]]] = []
    for c in main[:MAIN_CLAIMS]:
        sides: Counter[str] = Counter()
        for source in c.get("sources", []):
            hit = outlets.find(*reports.get(source, (None, None)))
            sides[hit.side if hit else UNKNOWN] += 1
        out.append((c, {s: sides[s] for s in (*SIDES, UNKNOWN)}))
    return out
