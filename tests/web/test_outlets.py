"""The user's outlets file: read as CSV or JSON, matched by outlet name or site, a story's
coverage by lean and country, blindspots; without a file every lean is unknown."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from newsweave.web.outlets import Outlets, OutletsError, claims_by_side, coverage, read_outlets
from tests.conftest import ROOT
from tests.web.conftest import Served

EXAMPLE_OUTLETS = ROOT / "examples" / "outlets.example.csv"


def test_the_invented_example_file_reads() -> None:
    known = read_outlets(EXAMPLE_OUTLETS)
    assert known.known and known.source == "outlets.example.csv"
    courier = known.find("caldenport courier", None)
    assert courier is not None and courier.side == "left" and courier.lean == "lean-left"
    by_site = known.find(None, "https://www.metrowire.example/2026/03/13/x")
    assert by_site is not None and by_site.name == "Metro Wire" and by_site.side == "center"
    assert known.find(None, "https://news.northernledger.example/a").name == "The Northern Ledger"  # type: ignore[union-attr]
    assert known.find("Unknown Gazette", "https://gazette.example/") is None


def test_json_and_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "o.json"
    good.write_text(json.dumps([{"name": "A Wire", "domains": ["a.example"], "lean": "Right", "country": "X"}]))
    assert read_outlets(good).find(None, "http://a.example/1").side == "right"  # type: ignore[union-attr]
    for name, text, words in [
        ("bad.json", "{not json", "not JSON"),
        ("obj.json", '{"name": "x"}', "a JSON list"),
        ("noname.csv", "domains,lean\na.example,left\n", "header row"),
        ("empty-name.csv", "name,lean\n,left\n", "entry 1 has no name"),
    ]:
        p = tmp_path / name
        p.write_text(text)
        with pytest.raises(OutletsError, match=words):
            read_outlets(p)
    with pytest.raises(OutletsError, match="cannot read"):
        read_outlets(tmp_path / "missing.csv")


def test_coverage_and_blindspots() -> None:
    known = read_outlets(EXAMPLE_OUTLETS)
    both = coverage(known, [("Caldenport Courier", None), ("The Northern Ledger", None), ("Metro Wire", None)])
    assert both.reports == {"left": 1, "center": 1, "right": 1, "unknown": 0} and both.blindspot is None
    left_only = coverage(known, [("Caldenport Courier", None), ("Caldenport Courier", None), ("Metro Wire", None)])
    assert left_only.blindspot == "left" and left_only.outlets["left"] == 1 and left_only.reports["left"] == 2
    one = coverage(known, [("The Northern Ledger", None), (None, "https://elsewhere.example/x")])
    assert one.blindspot is None  # one report of known lean is too few to call a blindspot
    assert one.countries == {"Caldenport": 1, "unknown": 1}
    none = coverage(Outlets(), [("Caldenport Courier", None)])
    assert none.reports["unknown"] == 1 and none.blindspot is None


def test_claims_by_side_counts_each_claims_sources() -> None:
    known = read_outlets(EXAMPLE_OUTLETS)
    brief = {
        "claims": [
            {"id": "c1", "text": "It opened.", "status": "corroborated", "sources": ["1", "2"]},
            {"id": "c2", "text": "Alone.", "status": "single-source", "sources": ["1"]},
        ]
    }
    reports = {"1": ("Caldenport Courier", None), "2": (None, "https://harbourdaily.example/a")}
    rows = claims_by_side(known, brief, reports)
    assert [c["id"] for c, _ in rows] == ["c1"] and rows[0][1] == {"left": 1, "center": 0, "right": 1, "unknown": 0}


def test_the_app_shows_coverage_by_lean(store_copy: Path) -> None:
    from newsweave.web import create_app

    with Served(create_app(store_copy, outlets=EXAMPLE_OUTLETS, rebuild=False)) as s:
        listed = httpx.get(f"{s.url}/api/v1/stories").json()
        assert listed["outlets_file"] == "outlets.example.csv"
        cov = listed["stories"][0]["coverage"]
        assert cov["reports"] == {"left": 1, "center": 2, "right": 2, "unknown": 0} and cov["blindspot"] is None
        sid = listed["stories"][0]["id"]
        assert httpx.get(f"{s.url}/api/v1/stories/{sid}").json()["coverage"] == cov
        page = httpx.get(f"{s.url}/stories/{sid}").text
        assert "Coverage by lean and country" in page and "Lean unknown" not in page


def test_without_a_file_the_lean_is_unknown(served: Served) -> None:
    listed = httpx.get(f"{served.url}/api/v1/stories").json()
    assert listed["outlets_file"] is None and listed["stories"][0]["coverage"]["reports"]["unknown"] == 5
    sid = listed["stories"][0]["id"]
    assert "Lean unknown" in httpx.get(f"{served.url}/stories/{sid}").text
    assert "Lean unknown" in httpx.get(f"{served.url}/").text
