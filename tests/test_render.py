from __future__ import annotations

import json
import re

import jsonschema
import pytest

from newsweave import brief
from newsweave.model import Article
from newsweave.render import render
from newsweave.render.json import SCHEMA_VERSION, schema, to_dict
from newsweave.render.markdown import esc

HOSTILE_TITLE = "Flood <script>alert('x')</script> hits [Lowmarsh](javascript:alert(1)) | *again*"


@pytest.fixture(scope="module")
def hostile_brief(nlp):  # type: ignore[no-untyped-def]
    body = (
        "Floodwater reached the centre of Lowmarsh on Monday <img src=x onerror=alert(1)> "
        "after the river Tal burst its banks. "
        "Mayor Ona Brekke said 300 homes were evacuated overnight and that no one was hurt. "
        "The river Tal rose two metres in six hours, the regional water agency said on Monday. "
    )
    arts = [
        Article(id="a", outlet="Lowmarsh <b>Post</b>", title=HOSTILE_TITLE, text=body, url="javascript:alert(1)"),
        Article(
            id="b",
            outlet="Tal Valley News",
            title="Lowmarsh evacuates 300 homes",
            text=body.replace("Monday", "Monday morning"),
        ),
    ]
    return brief(arts, nlp=nlp, embeddings=False)


def test_json_validates_against_the_published_schema(example_brief, hostile_brief) -> None:  # type: ignore[no-untyped-def]
    for b in (example_brief, hostile_brief):
        data = json.loads(render(b, "json"))
        jsonschema.validate(data, schema())
        assert data["schema_version"] == SCHEMA_VERSION
        for s in data["summary"]:
            assert set(s["sources"]) <= {src["id"] for src in data["sources"]}
        for e in data["entities"]:
            assert e["name"] in e["aliases"] and e["mentions"] >= len(e["sources"])


def test_schema_rejects_a_summary_sentence_without_sources(example_brief) -> None:  # type: ignore[no-untyped-def]
    data = to_dict(example_brief)
    data["summary"][0]["sources"] = []
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_markdown_escapes_untrusted_text(hostile_brief) -> None:  # type: ignore[no-untyped-def]
    md = render(hostile_brief, "markdown")
    # every markup character from a source is backslash-escaped: a renderer shows it as text
    assert not re.search(r"(?<!\\)<(?:script|img|b)\b", md)
    assert "\\<img src=x onerror=alert(1)\\>" in md and "\\<script\\>" in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "<javascript:" not in md  # a non-http url is never turned into a link


def test_esc_keeps_plain_text_readable() -> None:
    assert esc("Putin's  treaty\nwith Iran") == "Putin's treaty with Iran"
    assert esc("a*b_c") == "a\\*b\\_c"


def test_html_report_is_self_contained_escaped_and_linked(hostile_brief, example_brief) -> None:  # type: ignore[no-untyped-def]
    html = render(hostile_brief, "html")
    assert "<script" not in html and "<img" not in html and "<b>Post" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "default-src 'none'" in html
    page = render(example_brief, "html")
    assert not re.search(r"""(?:src|href)=["']https?:""", page)  # no external request
    anchors = set(re.findall(r'id="(s-[^"]+)"', page))
    targets = set(re.findall(r'href="#(s-[^"]+)"', page))
    assert targets and targets <= anchors  # every citation lands on a sentence of its source
    assert 'class="dispute"' in page and "putting passengers at risk" in page
    assert '<ol class="timeline">' in page and "2026-03-14" in page
