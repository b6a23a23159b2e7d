"""Every command and option that the README and docs name works, from a plain `pip install .`.

The docs are read, not copied: each `newsweave CMD ...` they show and each option they name
with it is collected, checked against the command's own --help, and run for real in a
fresh virtual environment that holds only what the README's first command installs (no
`[eval]` extra), where the options that need an extra must say what to install in one
line and exit 2.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A command starts a line of code (after an optional "$ "), a `span`, or follows ; && |
COMMAND = re.compile(r"(?:^\s*|\$ |[;&|]\s*)newsweave (eval [a-z]+|[a-z]+)")
OPTION = re.compile(r"(?<![\w.-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])")
CODE_SPAN = re.compile(r"`([^`]+)`")
EXTRA_HINT = "pip install 'newsweave[eval]'"


def documented() -> dict[str, set[str]]:
    """Command -> options named with it: on the line that shows the command, or in a table of
    options (`| `--words/-w N` | ...`) under the last command the document showed."""
    found: dict[str, set[str]] = {}
    for doc in DOCS:
        current: str | None = None
        fenced = False
        for raw in doc.read_text(encoding="utf-8").splitlines():
            if raw.startswith("```"):
                fenced = not fenced
                continue
            # commands count in code (blocks and `spans`), not in prose ("newsweave beats ...")
            line = raw if fenced else " ; ".join(CODE_SPAN.findall(raw))
            hits = list(COMMAND.finditer(line))
            for i, m in enumerate(hits):
                current = m.group(1)
                end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
                found.setdefault(current, set()).update(OPTION.findall(line[m.end() : end].split("#")[0]))
            if not hits and current and raw.startswith("| `-"):
                found[current].update(OPTION.findall(raw.split("|")[1]))
    found.pop("eval", None)  # "newsweave eval ..." in prose, not a command of its own
    return found


def test_the_docs_name_the_commands_we_ship() -> None:
    docs = documented()
    for cmd in ("brief", "ingest", "stories", "story", "batch", "eval summaries", "eval gate"):
        assert cmd in docs, sorted(docs)
    assert {"--words", "-w", "--meta", "-o", "-s", "--format"} <= docs["brief"]


def test_every_documented_option_is_in_its_commands_help() -> None:
    runner = CliRunner()
    for cmd, options in sorted(documented().items()):
        r = runner.invoke(app, [*cmd.split(), "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, f"`newsweave {cmd}` is documented but does not exist: {r.output}"
        for opt in options:
            assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", r.output), f"`newsweave {cmd}` has no {opt}"


# -- a plain install, and every documented command run in it ------------------------------


@dataclass(frozen=True)
class Plain:
    bin: Path
    work: Path

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["COLUMNS"] = "200"
        return subprocess.run(
            [str(self.bin / "newsweave"), *args],
            cwd=self.work,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env=env,
        )


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plain]:
    """A new venv with `pip install .` of a copy of this checkout (the README's first command)."""
    base = tmp_path_factory.mktemp("plain")
    src = base / "newsweave"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.db*")
    for folder in ("src", "examples", "evals"):
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", "."],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    for module, extra in (("sumy", "eval"), ("dask", "dask")):
        check = subprocess.run([str(bin_dir / "python"), "-c", f"import {module}"], capture_output=True, text=True)
        assert check.returncode != 0, f"the plain install must not bring the [{extra}] extra"
    yield Plain(bin=bin_dir, work=src)


def ok(r: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    return r


def one_line(r: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert r.returncode == code, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr + r.stdout
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, r.stderr
    for n in needles:
        assert n in errors[0], errors[0]
    return errors[0]


def test_every_documented_command_and_option_runs_from_a_plain_install(plain: Plain) -> None:
    ex, meta = "examples/caldenport-metro", "examples/caldenport-metro.meta.csv"
    used: dict[str, set[str]] = {}

    def nw(*args: str) -> subprocess.CompletedProcess[str]:
        words = [a for a in args if not a.startswith("-")]
        cmd = " ".join(words[:2]) if words[0] == "eval" else words[0]
        used.setdefault(cmd, set()).update(o for a in args for o in OPTION.findall(a) if a.startswith("-"))
        return plain.run(*args)

    # brief: every format, both spellings of each option, the baselines the core install has
    r = ok(nw("brief", ex, "--meta", meta))
    assert r.stdout.startswith("# ") and "Caldenport Courier" in r.stdout
    ok(nw("brief", ex, "-w", "120", "-q"))
    r = ok(nw("brief", ex, "--words", "60", "--format", "json", "-o", "brief.json"))
    assert json.loads((plain.work / "brief.json").read_text("utf-8"))["words"] <= 60
    ok(nw("brief", ex, "-f", "html", "--output", "report.html", "--quiet"))
    assert (plain.work / "report.html").read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    ok(nw("brief", ex, "--summarizer", "lead", "--format", "markdown"))
    # what needs the [eval] extra says so, before any work
    one_line(nw("brief", ex, "-s", "lexrank"), 2, EXTRA_HINT, "lexrank")
    one_line(nw("brief", ex, "-s", "textrank"), 2, EXTRA_HINT)
    one_line(nw("brief", ex, "-o", "no/such/folder/b.md"), 2, "no such folder")

    # the story store
    r = ok(nw("ingest", ex, "--db", "news.db", "--meta", meta, "--no-entities", "--format", "json"))
    assert json.loads(r.stdout)["added"] == 5
    ok(nw("ingest", ex, "--db", "news.db", "--entities", "-f", "table", "-q", "--wait", "30"))
    r = ok(nw("stories", "--db", "news.db", "--since", "2026-03-01", "--min-size", "2", "--format", "json"))
    stories = json.loads(r.stdout)
    assert stories and stories[0]["size"] >= 2
    sid = str(stories[0]["id"])
    ok(nw("stories", "--db", "news.db", "-n", "5", "--limit", "5", "-f", "table"))
    r = ok(nw("stories", "--db", "news.db", "--search", "Harbour Line", "--outlet", "Caldenport Courier", "-f", "json"))
    assert [s["id"] for s in json.loads(r.stdout)] == [int(sid)]
    r = ok(nw("stories", "--db", "news.db", "--until", "2026-03-31", "--after", f"2026-03-15,5,{sid}", "-f", "json"))
    assert json.loads(r.stdout) == []  # the page after the only story
    ok(nw("story", sid, "--db", "news.db", "--format", "html", "-o", "story.html", "-w", "100", "-q"))
    assert "<html" in (plain.work / "story.html").read_text("utf-8").lower()
    ok(nw("story", sid, "--db", "news.db", "-f", "json", "--words", "100", "--output", "story.json", "--quiet"))
    json.loads((plain.work / "story.json").read_text("utf-8"))
    ok(nw("batch", ex, "--db", "batch.db", "--engine", "local", "--no-entities", "-f", "json"))
    # Dask is the [dask] extra: without it, `batch` on Dask says what to install, before any work
    r = nw("batch", ex, "--db", "batch2.db", "--scheduler", "tcp://127.0.0.1:9", "--no-entities")
    one_line(r, 2, "pip install 'newsweave[dask]'")
    assert not (plain.work / "batch2.db").exists()
    r = ok(nw("runs", "--db", "news.db", "--format", "json"))
    assert [x["status"] for x in json.loads(r.stdout)] == ["done", "done"]
    ok(nw("runs", "--db", "news.db", "-f", "table"))

    # evaluation: the extra is missing here, so each command that needs it says what to install
    one_line(nw("eval", "summaries", "x.jsonl", "--words", "50", "--limit", "2"), 2, EXTRA_HINT)
    one_line(nw("eval", "summaries", "x.jsonl", "--systems", "newsweave,lead", "--save", "s.json"), 2, EXTRA_HINT)
    one_line(nw("eval", "summaries", "x.jsonl", "--format", "json", "--folds", "5"), 2, EXTRA_HINT)
    one_line(nw("eval", "extraction", "--data", "../shared/data/extraction", "--folds", "5"), 2, EXTRA_HINT)
    one_line(nw("eval", "extraction", "--removed", "--format", "json"), 2, EXTRA_HINT)
    one_line(nw("eval", "timelines", "--data", "d", "--topics", "bpoil_,H1N1_"), 2, EXTRA_HINT)
    one_line(nw("eval", "gate", "--update"), 2, EXTRA_HINT)
    # scikit-learn comes with the core install (through sentence-transformers): a missing file is the one line
    one_line(nw("eval", "alignment", "a.json", "--data", "d", "--errors", "-q", "-f", "json"), 2, "no such file")
    one_line(nw("eval", "clustering", "--data", "no-such-data", "--grid", '{"threshold": [0.2]}'), 2, "no-such-data")
    one_line(nw("eval", "clustering", "--data", "no-such-data", "--pools", "allsides", "--explain"), 2, "no-such-data")
    r = ok(nw("eval", "analysis", "evals/expected/caldenport-metro.json", "-f", "json"))
    assert json.loads(r.stdout)["caldenport-metro"]["quotes"]["recall"] > 0.5

    # serve: usage errors in one line, then the real server on 127.0.0.1 with every option
    one_line(nw("serve", "--db", "missing.db"), 2, "no story store")
    one_line(nw("serve", "--db", "news.db", "--outlets", "no-such.csv"), 2, "outlets file")
    assert (
        serve_answers(
            plain,
            used,
            "--db",
            "news.db",
            "--host",
            "127.0.0.1",
            "--token",
            "t",
            "--build-briefs",
            "--outlets",
            "examples/outlets.example.csv",
        )["outlets_file"]
        == "outlets.example.csv"
    )
    assert serve_answers(plain, used)["store"].startswith("example-")  # no --db: the bundled example

    for cmd, options in sorted(documented().items()):
        if cmd == "batch":
            options = options - {"--workers"}  # a local Dask cluster: covered by tests/stories/test_batch.py
        missing = options - used.get(cmd, set())
        assert not missing, f"`newsweave {cmd}`: documented options never run here: {sorted(missing)}"


def serve_answers(plain: Plain, used: dict[str, set[str]], *args: str) -> dict[str, object]:
    """Start `newsweave serve ARGS --port P` from the plain install, read /health, stop it."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    used.setdefault("serve", set()).update({*(a for a in args if a.startswith("-")), "--port", "-p"})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["XDG_CACHE_HOME"] = str(plain.work / "cache")  # the example's store goes here
    flag = "-p" if args else "--port"
    server = subprocess.Popen(
        [str(plain.bin / "newsweave"), "serve", *args, flag, port],
        cwd=plain.work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as r:
                    health: dict[str, object] = json.loads(r.read())
                    return health
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "newsweave serve did not answer"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
