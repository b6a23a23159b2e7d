from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.ingest import IngestError, apply_meta, load, load_meta
from newsweave.ingest.decode import decode, read_text
from newsweave.ingest.text import parse_text
from tests.conftest import EXAMPLE, EXAMPLE_META, SEEDS, needs_seeds


def test_text_header_tagline_date_title_byline() -> None:
    a = parse_text(
        "Your city. Your news.\nThursday, March 12, 2026\n\nBridge reopens after repairs\nBy Ana Ruiz\n\n"
        "The bridge reopened on Thursday.\nTraffic was light.",
        article_id="x",
    )
    assert a.published == "2026-03-12"
    assert a.title == "Bridge reopens after repairs"
    assert a.author == "Ana Ruiz"
    assert a.text.splitlines()[0] == "The bridge reopened on Thursday."
    assert "Your city" not in a.text


def test_text_without_headline_keeps_first_sentence() -> None:
    a = parse_text("The council voted on Monday to close the pier.\nIt reopens in May.", article_id="x")
    assert a.title is None
    assert a.text.startswith("The council voted")


def test_dateline_gives_outlet_and_is_removed() -> None:
    a = parse_text("(The Post News)- On Friday, the mayor met the press.", article_id="x")
    assert a.outlet == "The Post News"
    assert a.text == "On Friday, the mayor met the press."
    b = parse_text("OSLO (Nordic Wire) - Ministers met on Monday.", article_id="y")
    assert b.outlet == "Nordic Wire" and b.text == "Ministers met on Monday."


def test_caption_line_is_not_a_headline() -> None:
    a = parse_text("The mayor arrives in Oslo to sign a deal. Image: KXYZ.com\nThe mayor signed.", article_id="x")
    assert a.title is None


def test_example_folder_reads_every_format() -> None:
    got = load([EXAMPLE])
    ids = {a.id for a in got.articles}
    assert ids == {"courier-preview", "ledger-opening", "harbour-daily", "metrowire-preview", "metrowire-opening"}
    html = next(a for a in got.articles if a.id == "harbour-daily")
    assert html.outlet == "Harbour Daily" and html.published == "2026-03-15" and html.author == "Mira Castell"
    assert html.title == "First day on the Harbour Line: 41,000 riders and a few delays"
    assert "alert(" not in html.text and "Subscribe" not in html.text
    wire = next(a for a in got.articles if a.id == "metrowire-opening")
    assert wire.outlet == "Metro Wire" and wire.published == "2026-03-14"
    assert wire.title == "Caldenport's Harbour Line opens to crowds"
    assert not wire.text.startswith("CALDENPORT")


@needs_seeds
def test_seed_metadata() -> None:
    got = {a.id: a for a in load([SEEDS]).articles}
    assert len(got) == 5
    assert got["002_85c18e2298a1399c"].published == "2025-01-18"
    assert got["002_85c18e2298a1399c"].title == "Russia and Iran Forge Strategic Partnership Amid Global Tensions"
    assert got["003_edbed3ab3d737a14"].outlet == "The Post News"
    assert got["001_4eb3afbfb332bad3"].title is None  # its first line is a sentence
    assert "Focus on the BIG picture" not in got["002_85c18e2298a1399c"].text


def test_jsonl_bad_lines_are_skipped_not_fatal(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    good = {
        "id": "a1",
        "outlet": "Wire",
        "published": "2026-01-02T10:00:00Z",
        "title": "T",
        "text": "Ships docked at dawn today.",
    }
    f.write_text(json.dumps(good) + "\n{broken\n" + json.dumps({"id": "a2"}) + "\n[1,2]\n", encoding="utf-8")
    warned: list[str] = []
    got = load([f], on_skip=lambda s: warned.append(s.reason))
    assert [a.id for a in got.articles] == ["a1"]
    assert got.articles[0].published == "2026-01-02"
    assert len(got.skipped) == 3 and len(warned) == 3
    assert any("invalid JSON" in r for r in warned) and any("no text or html" in r for r in warned)


def test_decode_non_utf8_and_utf16() -> None:
    text = "Café owners in Málaga said the new law was a “disaster” for small businesses and tourism."
    assert decode(text.encode("cp1252")).startswith("Café owners in Málaga")
    assert decode(text.encode("utf-16")) == text
    assert decode(b"\xef\xbb\xbfHello") == "Hello"


def test_binary_empty_and_huge_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "Harbour reopens\n\nThe harbour reopened on Monday after storms.", encoding="utf-8"
    )
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    with (tmp_path / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    got = load([tmp_path])
    assert [a.id for a in got.articles] == ["good"]
    reasons = {Path(s.path).name: s.reason for s in got.skipped}
    assert "binary" in reasons["image.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert "without article text" in reasons["blank.html"]
    assert "too large" in reasons["huge.txt"]
    assert "unsupported" in reasons["notes.pdf"]


def test_missing_path_and_nothing_usable_are_fatal(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        load([tmp_path / "nope"])
    with pytest.raises(IngestError, match="no usable articles"):
        load([tmp_path])


def test_same_stem_in_two_folders_gets_unique_ids(tmp_path: Path) -> None:
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "story.txt").write_text(f"Report {d} says the port reopened.", encoding="utf-8")
    assert sorted(a.id for a in load([tmp_path]).articles) == ["story", "story-2"]


def test_meta_csv_overrides() -> None:
    meta = load_meta(EXAMPLE_META)
    arts = apply_meta(load([EXAMPLE]).articles, meta)
    courier = next(a for a in arts if a.id == "courier-preview")
    assert courier.outlet == "Caldenport Courier"
    assert courier.published == "2026-03-12"  # kept from the file


def test_read_text_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError):
        read_text(tmp_path / "gone.txt")
