from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newsweave import brief
from newsweave.ingest import load
from newsweave.ingest.decode import OWN_OUTPUT_REASON, written_by_newsweave
from newsweave.model import Article
from newsweave.render import render
from newsweave.render.json import SCHEMA_VERSION, schema, to_dict
from newsweave.render.markdown import esc
from tests.conftest import EXAMPLE, ROOT

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


@pytest.mark.parametrize("fmt", ["markdown", "json", "html"])
def test_every_output_carries_the_generator_mark(example_brief, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out = render(example_brief, fmt)
    assert written_by_newsweave(out.encode("utf-8"))
    # still recognised when the file is re-saved with other line ends
    assert written_by_newsweave(out.replace("\n", "\r\n").encode("utf-8"))
    if fmt == "json":
        assert next(iter(json.loads(out))) == "generator"
    if fmt == "markdown":
        assert out.splitlines()[-1].startswith("<!-- generator: newsweave ")


def test_a_report_about_newsweave_is_not_taken_for_its_output() -> None:
    text = 'The newsweave project says its generator is "newsweave"; <meta name="keywords" content="newsweave">.'
    assert not written_by_newsweave(text.encode())


def test_own_output_is_skipped_by_content_whatever_its_name(example_brief, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(EXAMPLE, tmp_path / "story")
    folder = tmp_path / "story"
    (folder / "old-brief.html").write_text(render(example_brief, "html"), encoding="utf-8")
    (folder / "notes.txt").write_text(render(example_brief, "markdown"), encoding="utf-8")
    (folder / "brief.json").write_text(render(example_brief, "json"), encoding="utf-8")
    (folder / "mine.html").write_text(render(example_brief, "html"), encoding="utf-8")
    got = load([folder], exclude=[folder / "mine.html"])
    assert {a.id for a in got.articles} == {a.id for a in load([EXAMPLE]).articles}
    reasons = {Path(s.path).name: s.reason for s in got.skipped}
    assert reasons == {name: OWN_OUTPUT_REASON for name in ("old-brief.html", "notes.txt", "brief.json")}
    # named on the command line, the excluded output is still left out, without a word
    again = load([folder / "mine.html", folder / "courier-preview.txt"], exclude=[Path("..") / folder / "mine.html"])
    assert [a.id for a in again.articles] == ["courier-preview"] and not again.skipped


@pytest.mark.parametrize(("fmt", "name"), [("html", "b.html"), ("markdown", "b.md"), ("json", "b.json")])
def test_cli_brief_into_its_own_folder_twice_is_stable(tmp_path: Path, fmt: str, name: str) -> None:
    """The reported failure, in real processes: the second run read the first brief as a source."""
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLE, folder)
    target = folder / name
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "newsweave", "brief", str(folder), "-f", fmt, "-o", str(target)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        runs.append(target.read_text(encoding="utf-8"))
    first, second = runs
    assert second == first
    assert "2001-01-01" not in second and name not in second
    if fmt == "json":
        assert len(json.loads(second)["sources"]) == len(load([EXAMPLE]).articles)


def test_warnings_shown_in_every_format_and_escaped(example_brief) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    line = "reports '<b>x</b>', '[y](javascript:z)' share little with the others: is this one story?"
    b = replace(example_brief, warnings=(line,))
    data = json.loads(render(b, "json"))
    jsonschema.validate(data, schema())
    assert data["warnings"] == [line] and data["schema_version"] == SCHEMA_VERSION == "1.5"
    md = render(b, "markdown")
    assert "> **Warning:** reports '\\<b\\>x\\</b\\>', '\\[y\\](javascript:z)' share little" in md
    assert md.index("Warning") < md.index(example_brief.summary[0].text[:30])  # above the summary
    html = render(b, "html")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html and 'class="warning"' in html
    assert (
        "Warning" not in render(example_brief, "markdown")
        and json.loads(render(example_brief, "json"))["warnings"] == []
    )


def test_every_citation_traces_to_a_sentence_with_its_offsets(example_brief, nlp) -> None:  # type: ignore[no-untyped-def]
    from newsweave.model import sentence_id
    from newsweave.pipeline import prepare

    data = to_dict(example_brief)
    jsonschema.validate(data, schema())
    cleaned = {a.id: a.cleaned.text for a in prepare(load([EXAMPLE]).articles, nlp=nlp).text.articles}
    known: set[str] = set()
    for src in data["sources"]:
        assert src["sentences"], src["id"]
        for s in src["sentences"]:
            # offsets into the source's cleaned text give back the sentence's words
            assert cleaned[src["id"]][s["start"] : s["end"]] == s["text"]
            known.add(s["id"])
    cited = [x["origin"] for x in data["summary"]] + [e for x in data["summary"] for e in x["evidence"]]
    cited += [sentence_id(u) for c in data["claims"] for u in (*c["evidence"], *c["resolved_evidence"])]
    cited += [o["sentence"] for q in data["quotes"] for o in q["occurrences"]]
    cited += [t["sentence"] for t in data["timeline"]]
    assert cited and set(cited) <= known
