from __future__ import annotations

import pytest

from newsweave.ingest.html import Extraction, _config, extract_page, parse_html
from tests.conftest import SHARED

EXTRACTION_DATA = SHARED / "extraction"


@pytest.mark.skipif(not EXTRACTION_DATA.is_dir(), reason="../shared/data/extraction is absent")
def test_metadata_is_trafilaturas_own_on_real_pages() -> None:
    # The metadata pass is written out to skip categories, tags and licence: on real pages the
    # fields an Article holds must stay exactly what trafilatura's full pass gives.
    import trafilatura

    from newsweave.eval.extraction import load_pages

    pages = load_pages(EXTRACTION_DATA)[::10]
    assert len(pages) >= 15
    for page in pages:
        full = trafilatura.bare_extraction(
            page.html, with_metadata=True, include_comments=False, favor_precision=True, config=_config()
        )
        ours = extract_page(page.html)
        for name in ("title", "date", "sitename", "author", "url"):
            assert getattr(ours, name, None) == getattr(full, name, None), (page.key, name)
        assert getattr(ours, "text", None) == getattr(full, "text", None), page.key


def test_extraction_modes_and_a_bad_one() -> None:
    html = (
        "<html><head><title>Dunmore port reopens</title></head><body><article><h1>Dunmore port reopens</h1>"
        "<p>The port of Dunmore reopened on Monday after the storm damaged its cranes last week.</p>"
        "<table><tr><td>Ships waiting</td><td>14</td></tr></table>"
        "<p>Dock workers returned on Monday morning to repair the cranes before the ships came in.</p>"
        "</article></body></html>"
    )
    with_tables = parse_html(html, article_id="p")
    without = parse_html(html, article_id="p", options=Extraction(tables=False))
    assert with_tables.title == "Dunmore port reopens" and "Dunmore port reopens" not in with_tables.text
    assert "Ships waiting" in with_tables.text and "Ships waiting" not in without.text
    with pytest.raises(ValueError, match="unknown extraction mode"):
        extract_page(html, options=Extraction(mode="greedy"))
