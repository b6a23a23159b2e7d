"""The command line on good and bad input: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from tests.conftest import EXAMPLE, EXAMPLE_META

runner = CliRunner()

STORY = (
    "Lowmarsh, Tuesday\n\n"
    "Floodwater reached the centre of Lowmarsh on Monday after the river Tal burst its banks. "
    "Mayor Ona Brekke said 300 homes were evacuated overnight and that no one was hurt. "
    "The river Tal rose two metres in six hours, the regional water agency said.\n"
)


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1, lines
    return errors[0]


def test_example_markdown_to_stdout() -> None:
    r = run("brief", str(EXAMPLE), "--meta", str(EXAMPLE_META), "--quiet")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# ")
    assert "## Sources" in r.stdout and "**Harbour Daily**" in r.stdout and "[1]" in r.stdout
    assert r.stderr == ""


def test_json_output_to_file(tmp_path: Path) -> None:
    out = tmp_path / "brief.json"
    r = run("brief", str(EXAMPLE), "--format", "json", "-o", str(out), "--words", "60")
    assert r.exit_code == 0, r.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["words"] <= 60 and len(data["sources"]) == 5
    assert r.stdout == ""
    assert f"wrote {out}" in r.stderr


def test_missing_path() -> None:
    r = run("brief", "/nonexistent/reports")
    assert r.exit_code == 2
    assert "no such file or folder: /nonexistent/reports" in one_line_error(r)


def test_empty_folder(tmp_path: Path) -> None:
    r = run("brief", str(tmp_path))
    assert "no usable articles" in one_line_error(r)


def test_binary_file_alone_and_among_good_files(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 40)
    r = run("brief", str(tmp_path))
    assert r.exit_code == 1
    assert "photo.txt" in r.stderr and "binary" in r.stderr
    (tmp_path / "story.txt").write_text(STORY, "utf-8")
    r = run("brief", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "warning: skipped" in r.stderr and "photo.txt" in r.stderr
    assert "Floodwater reached the centre of Lowmarsh" in r.stdout


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    text = (
        STORY.replace("Brekke", "Brekkë") + "Caf\u00e9 owners on the quay called it \u201cthe worst in memory\u201d.\n"
    )
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    r = run("brief", str(tmp_path), "--format", "json", "-q")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert any("Brekkë" in s["text"] for s in data["summary"]) or any(
        "Brekkë" in a for e in data["entities"] for a in e["aliases"]
    )


def test_empty_article_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n\n", "utf-8")
    (tmp_path / "story.txt").write_text(STORY, "utf-8")
    r = run("brief", str(tmp_path))
    assert r.exit_code == 0
    assert "skipped" in r.stderr and "empty.txt" in r.stderr
    r = run("brief", str(tmp_path / "empty.txt"))
    assert one_line_error(r)


def test_html_without_text(tmp_path: Path) -> None:
    (tmp_path / "nav.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<script>var x = 1;</script></body></html>",
        "utf-8",
    )
    r = run("brief", str(tmp_path / "nav.html"))
    assert "nav.html" in r.stderr
    assert one_line_error(r)


def test_huge_file_is_refused_not_loaded(tmp_path: Path) -> None:
    big = tmp_path / "archive.txt"
    with big.open("wb") as fh:
        line = (STORY.replace("\n", " ") + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    (tmp_path / "story.txt").write_text(STORY, "utf-8")
    r = run("brief", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "archive.txt" in r.stderr and "MB" in r.stderr
    r = run("brief", str(big))
    assert one_line_error(r)


def test_jsonl_with_a_bad_line(tmp_path: Path) -> None:
    good = {
        "id": "lm-1",
        "outlet": "Lowmarsh Post",
        "title": "Flood in Lowmarsh",
        "published": "2026-02-03",
        "text": STORY,
    }
    (tmp_path / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", "utf-8")
    r = run("brief", str(tmp_path), "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert "feed.jsonl:2: invalid JSON" in r.stderr
    data = json.loads(r.stdout)
    assert data["sources"][0]["id"] == "lm-1" and data["sources"][0]["outlet"] == "Lowmarsh Post"


def test_unknown_summarizer_and_bad_budget() -> None:
    r = run("brief", str(EXAMPLE), "--summarizer", "gpt")
    assert r.exit_code == 2 and "unknown summarizer" in one_line_error(r)
    r = run("brief", str(EXAMPLE), "--words", "0")
    assert r.exit_code == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("name", ["lead", "lexrank"])
def test_baseline_summarizers_from_the_cli(name: str) -> None:
    r = run("brief", str(EXAMPLE), "-s", name, "-q", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["summarizer"] == name


def test_installed_console_script_in_a_real_process(tmp_path: Path) -> None:
    exe = shutil.which("newsweave") or ""
    cmd = [exe] if exe else [sys.executable, "-m", "newsweave"]
    bad = subprocess.run([*cmd, "brief", str(tmp_path / "missing")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0
    ok = subprocess.run([*cmd, "brief", str(EXAMPLE), "-q", "-w", "50"], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == "" and ok.stdout.startswith("# ")
