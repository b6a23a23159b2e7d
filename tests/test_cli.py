"""The command line on good and bad input: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
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


def newsweave_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a real process, off a terminal (as in a pipeline or a cron job)."""
    exe = shutil.which("newsweave") or ""
    cmd = [exe] if exe else [sys.executable, "-m", "newsweave"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_progress_off_a_terminal_is_periodic_lines_and_quiet_silences_it(tmp_path: Path) -> None:
    every = newsweave_process(
        "brief", str(EXAMPLE), "-o", str(tmp_path / "b.md"), env={"NEWSWEAVE_PROGRESS_EVERY": "0"}
    )
    assert every.returncode == 0, every.stderr
    lines = [ln for ln in every.stderr.splitlines() if ln.startswith("newsweave: ")]
    stages = " ".join(lines)
    for stage in ("reading", "cleaning", "summarizing"):
        assert stage in stages, every.stderr
    assert all(ln.endswith(" s)") for ln in lines), lines
    quiet = newsweave_process("brief", str(EXAMPLE), "-q", env={"NEWSWEAVE_PROGRESS_EVERY": "0"})
    assert quiet.returncode == 0 and quiet.stderr == ""
    # the default interval prints nothing for a brief that ends within it
    default = newsweave_process(
        "brief", str(EXAMPLE), "-o", str(tmp_path / "c.md"), env={"NEWSWEAVE_PROGRESS_EVERY": "600"}
    )
    assert not [ln for ln in default.stderr.splitlines() if ln.startswith("newsweave: ")]


def test_meta_problems_are_usage_errors_before_any_work(tmp_path: Path) -> None:
    meta = tmp_path / "m.csv"
    meta.write_text("ID,outlet,published,colour\ncourier-preview,Courier,not-a-date,red\n", encoding="utf-8")
    r = run("brief", str(EXAMPLE), "--meta", str(meta))
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2, r.stderr
    assert "unknown column 'colour'" in errors[0] and "published 'not-a-date' is not a date" in errors[1]


def test_meta_ids_that_match_no_article_are_warned(tmp_path: Path) -> None:
    meta = tmp_path / "m.json"
    meta.write_text('{"ledger-opening": {"outlet": "Ledger"}, "ledger-openning": {"outlet": "Ledger"}}', "utf-8")
    r = run("brief", str(EXAMPLE), "--meta", str(meta), "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert "warning: --meta: id 'ledger-openning' matches no article read" in r.stderr
    assert "ledger-opening'" not in r.stderr
    assert any(s["outlet"] == "Ledger" for s in json.loads(r.stdout)["sources"])


@pytest.mark.parametrize("target", ["missing-folder/brief.md", "."])
def test_output_is_checked_before_any_work(tmp_path: Path, target: str) -> None:
    r = run("brief", str(EXAMPLE), "-o", str(tmp_path / target))
    assert r.exit_code == 2
    assert one_line_error(r).startswith(f"error: -o {tmp_path / target}")


def test_reports_of_different_stories_are_warned_about_on_stderr(tmp_path: Path) -> None:
    from tests.analysis.test_coherence import CHEESE, CHESS

    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLE, folder)
    for a in (CHEESE, CHESS):
        (folder / f"{a.id}.txt").write_text(f"{a.title}\n\n{a.text}\n", encoding="utf-8")
    r = newsweave_process("brief", str(folder), "-f", "json")
    assert r.returncode == 0, r.stderr
    warned = [ln for ln in r.stderr.splitlines() if "is this one story?" in ln]
    assert len(warned) == 1 and warned[0].startswith("warning: ")
    assert "'cheese-fair'" in warned[0] and "'chess-open'" in warned[0] and "harbour-daily" not in warned[0]
    assert json.loads(r.stdout)["warnings"] == [warned[0].removeprefix("warning: ")]
    alone = newsweave_process("brief", str(EXAMPLE), "-q", "-f", "json")
    assert alone.returncode == 0 and alone.stderr == "" and not json.loads(alone.stdout).get("warnings")


def test_ingest_names_a_non_utf8_file_and_logs_progress_off_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(EXAMPLE, folder)
    (folder / "old.txt").write_bytes(STORY.replace("Lowmarsh", "Lövmarsh").encode("latin-1"))
    r = runner.invoke(
        app,
        ["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--no-entities"],
        env={"NEWSWEAVE_PROGRESS_EVERY": "0"},
    )
    assert r.exit_code == 0, r.stderr
    assert f"warning: {folder / 'old.txt'}: not UTF-8, read as cp1252" in r.stderr
    logged = [ln for ln in r.stderr.splitlines() if ln.startswith("newsweave: ingesting: ")]
    assert logged and "5/5 sources, 6 articles committed" in logged[-1]
