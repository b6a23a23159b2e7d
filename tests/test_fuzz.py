"""Fuzzing: every reader and `brief()` on generated and mutated real inputs.

The promise under test: whatever the bytes, a run ends in articles, a `Skipped` record or an
`IngestError`, each with a reason a user can read; never a traceback, never a hang.

CI runs the `ci` profile (60 inputs per reader, 20 briefs without the embedding model,
derandomized: about 20 s). `make fuzz`
runs the `fuzz` profile: random seeds, the same properties again and again until
FUZZ_SECONDS (600) are spent, shared among the targets by weight, then prints how many inputs
were tried and how many crashed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave import brief
from newsweave.ingest import IngestError, load, load_meta
from newsweave.ingest.decode import decode_text
from newsweave.model import Article, Brief
from tests.conftest import EXAMPLE, EXAMPLE_META

_COMMON = {
    "deadline": None,  # shared CI cores make per-example deadlines flaky; hangs are caught by HANG_SECONDS
    "database": None,  # nothing written into the working tree; failures print their reproduction blob
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=200, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZING = PROFILE == "fuzz"
FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "600"))
# A reader taking longer than this on one input of a few MB at most counts as a hang; a brief
# of five mutated reports (the pipeline with spaCy) gets longer.
HANG_SECONDS = {"reader": 60.0, "brief": 240.0}
# Share of the `make fuzz` budget per target: brief() is ~100x slower per input than a reader.
WEIGHTS = {"text": 1, "html": 1, "jsonl": 1, "feed": 1, "warc": 1, "meta": 1, "decode": 1, "brief": 3}

TRIED: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}
CRASHED: Counter[str] = Counter()
FAILURES: list[str] = []


class Hang(Exception):
    """An input that kept a reader busy past HANG_SECONDS."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM-based: Python code is interrupted; a C call is interrupted when it returns."""

    def fire(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no result after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def counted(target: str, body: Callable[[], None], kind: str = "reader") -> None:
    """Run one input: count it, and count it as a crash if it raises (the property then fails)."""
    TRIED[target] += 1
    start = time.monotonic()
    try:
        with time_limit(HANG_SECONDS[kind]):
            body()
    except Exception:
        CRASHED[target] += 1
        raise
    finally:
        SLOWEST[target] = max(SLOWEST.get(target, 0.0), time.monotonic() - start)


def run_property(target: str, prop: Callable[[], None]) -> None:
    """Once under `ci`; under `fuzz`, fresh random runs until the target's share of the budget is spent."""
    if not FUZZING:
        prop()
        return
    end = time.monotonic() + FUZZ_SECONDS * WEIGHTS[target] / sum(WEIGHTS.values())
    failures = []
    while time.monotonic() < end:
        try:
            prop()
        except Exception as exc:  # record, keep fuzzing; the test fails at the end
            failures.append(f"{target}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-6)}")
    FAILURES.extend(failures)
    assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module", autouse=True)
def tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the totals `make fuzz` reports (on the terminal, past pytest's capture)."""
    yield
    tried, crashed = sum(TRIED.values()), sum(CRASHED.values())
    detail = ", ".join(f"{t} {TRIED[t]}/{CRASHED[t]} (slowest {SLOWEST.get(t, 0):.1f} s)" for t in sorted(TRIED))
    line = (
        f"fuzz [{PROFILE}]: {tried} inputs tried, {crashed} crashed "
        f"({len(FAILURES)} failing run(s)); per target tried/crashed: {detail}"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        print("\n" + line)
        return
    with capture.global_and_fixture_disabled():
        print("\n" + line)


# ---------------------------------------------------------------- seeds: the bundled example


def _seed(name: str) -> bytes:
    return (EXAMPLE / name).read_bytes()


PAGE = _seed("harbour-daily.html")
STORY = " ".join(_seed("ledger-opening.txt").decode("utf-8").split()[:120])


def _feed(kind: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in STORY.split(". "))
    if kind == "rss":
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caldenport Ledger</title>'
            "<item><title>Harbour Line opens</title><link>https://ledger.example/line</link>"
            "<pubDate>Sat, 14 Mar 2026 09:00:00 GMT</pubDate>"
            f"<description><![CDATA[{paras}]]></description></item></channel></rss>"
        ).encode()
    escaped = paras.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Metro Wire</title>'
        "<entry><title>Harbour Line opens</title><id>tag:wire.example,2026:1</id>"
        '<link href="https://wire.example/1"/><updated>2026-03-14T11:00:00Z</updated>'
        f'<content type="html">{escaped}</content></entry></feed>'
    ).encode()


def _warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for n, body in enumerate((PAGE, b"<html><body><p>Short</p></body></html>")):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://harbour.example/{n}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


def _meta_json() -> bytes:
    with EXAMPLE_META.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return json.dumps({r["id"]: {k: v for k, v in r.items() if k != "id"} for r in rows}).encode()


SEEDS: dict[str, list[tuple[str, bytes]]] = {
    "text": [(".txt", _seed("courier-preview.txt")), (".md", _seed("ledger-opening.txt")), (".text", STORY.encode())],
    "html": [(".html", PAGE), (".htm", b"<!doctype html><html><body><article><p>" + STORY.encode() + b"</p>")],
    "jsonl": [(".jsonl", _seed("metrowire.jsonl"))],
    "feed": [(".rss", _feed("rss")), (".atom", _feed("atom")), (".xml", _feed("rss"))],
    "warc": [(".warc", _warc(False)), (".warc.gz", _warc(True))],
    "meta": [(".csv", EXAMPLE_META.read_bytes()), (".json", _meta_json())],
}

# ---------------------------------------------------------------- mutations

ENCODINGS = ["latin-1", "cp1252", "cp1250", "utf-16", "utf-16-be", "utf-32", "shift_jis", "gb18030", "koi8_r"]
HOSTILE = [
    b"<div>" * 50_000,  # deep nesting
    b"<table><tr><td>" * 5_000,
    b"<!--",  # unclosed comment
    b"<![CDATA[",
    b"<script>while(1){}",
    b"&#x110000;&#0;&#xD800;&amp",
    b'<meta charset="utf-16">',
    b'<meta charset="x-unknown-999">',
    b'<?xml version="1.0" encoding="ebcdic-cp-us"?>',
    b"\xef\xbb\xbf",
    b"\xff\xfe\x00\x00",
    b'{"id": "x", "text": ',
    b'\n{"id": "big", "html": "<p>' + b"a " * 20_000 + b'"}\n',
    b'\n{"text": 7, "published": [], "outlet": {"name": null}}\n',
    b'\n[]\n\n"x"\nnull\n',
    b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
    b"\r\n\r\r\n",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\n",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A real file after a few of the accidents files meet: truncation, flipped bytes, NULs,
    another encoding, a huge line, hostile markup, a broken record."""
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "flip", "nul", "insert", "encode", "huge", "hostile", "dup", "drop"]))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            data = data[:at]
        elif op == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif op == "nul":
            data = data[:at] + b"\x00" * draw(st.integers(1, 64)) + data[at:]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif op == "encode":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
        elif op == "huge":
            line = draw(st.sampled_from([b"x", b"word ", b"\xc3\xa9", b"<b>"])) * draw(st.sampled_from([10**4, 10**5]))
            data = data[:at] + line + data[at:]
        elif op == "hostile":
            data = data[:at] + draw(st.sampled_from(HOSTILE)) + data[at:]
        elif op == "dup":
            data = data[:at] + data[: draw(st.integers(0, 4096))] + data[at:]
        elif op == "drop":
            data = data[:at] + data[at + draw(st.integers(1, 512)) :]
    return data


def inputs(target: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """(suffix, bytes): a mutated seed file, or bytes from nothing."""
    seeds = SEEDS[target]
    suffixes = [s for s, _ in seeds]
    from_seed = st.sampled_from(seeds).flatmap(lambda sb: st.tuples(st.just(sb[0]), mutated(sb[1])))
    from_nothing = st.tuples(
        st.sampled_from(suffixes),
        st.one_of(st.binary(max_size=2048), st.text(max_size=1024).map(lambda t: t.encode("utf-8", "replace"))),
    )
    return st.one_of(from_seed, from_seed, from_seed, from_nothing)


# ---------------------------------------------------------------- properties


def check_load(suffix: str, data: bytes) -> None:
    """`load` of one file: articles with text, or a skip or an error that names its reason."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        try:
            got = load([path])
        except IngestError as exc:
            assert str(exc).strip()
            return
        assert got.articles
        for a in got.articles:
            assert a.text.strip() and a.id
        for s in (*got.skipped, *got.notes):
            assert (s.reason if hasattr(s, "reason") else s.message).strip() and s.path


def check_meta(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"meta{suffix}"
        path.write_bytes(data)
        try:
            meta = load_meta(path)
        except IngestError as exc:  # MetaError is one: its message lists every problem
            assert str(exc).strip()
            return
        assert isinstance(meta, dict)
        for key, fields in meta.items():
            assert isinstance(key, str) and all(isinstance(v, str) for v in fields.values())


def _reader_test(target: str, check: Callable[[str, bytes], None]) -> Callable[[], None]:
    @settings(settings.get_profile(PROFILE))
    @given(inputs(target))
    def prop(case: tuple[str, bytes]) -> None:
        counted(target, lambda: check(*case))

    return prop


@pytest.mark.parametrize("target", ["text", "html", "jsonl", "feed", "warc"])
def test_readers_never_crash(target: str) -> None:
    run_property(target, _reader_test(target, check_load))


def test_meta_files_never_crash() -> None:
    run_property("meta", _reader_test("meta", check_meta))


@settings(settings.get_profile(PROFILE))
@given(st.one_of(st.binary(max_size=4096), *(mutated(b) for seeds in SEEDS.values() for _, b in seeds)))
def _decode_property(data: bytes) -> None:
    def body() -> None:
        try:
            got = decode_text(data)
        except IngestError as exc:
            assert str(exc).strip()
            return
        assert "\r" not in got.text
        if got.note is None:  # silence only for clean UTF-8
            assert got.encoding == "utf-8"
        else:
            assert got.encoding in got.note or "replaced" in got.note

    counted("decode", body)


def test_decode_never_crashes() -> None:
    run_property("decode", _decode_property)


# ---------------------------------------------------------------- brief() itself

FILES = sorted(p.name for p in EXAMPLE.iterdir())
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)


@st.composite
def story_folder(draw: st.DrawFn) -> dict[str, bytes]:
    """The example folder with one or two files mutated, and maybe a hostile extra file."""
    files = {name: (EXAMPLE / name).read_bytes() for name in FILES}
    for name in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=2, unique=True)):
        files[name] = draw(mutated(files[name]))
    if draw(st.booleans()):
        suffix, data = draw(st.sampled_from([c for seeds in SEEDS.values() for c in seeds if c[0] != ".csv"]))
        files[f"extra{suffix}"] = draw(mutated(data))
    return files


def _brief_ok(run: Callable[[], Brief]) -> None:
    try:
        got = run()
    except IngestError as exc:
        assert str(exc).strip()
        return
    assert got.sources and all(s.words > 0 for s in got.sources)
    ids = {s.id for s in got.sources}
    assert all(set(s.sources) <= ids for s in got.summary)


def _brief_test(nlp: Any) -> Callable[[], None]:
    profile = settings(settings.get_profile(PROFILE), max_examples=20)

    @profile
    @given(
        st.one_of(
            story_folder().map(lambda files: ("folder", files)),
            st.lists(st.lists(WORDS, min_size=1, max_size=60), min_size=1, max_size=4).map(lambda a: ("articles", a)),
        )
    )
    def prop(case: tuple[str, Any]) -> None:
        kind, payload = case

        def body() -> None:
            if kind == "articles":  # generated reports, straight to brief()
                arts = [Article(id=f"g{i}", text=" ".join(words) + ".") for i, words in enumerate(payload)]
                _brief_ok(lambda: brief(arts, nlp=nlp, embeddings=FUZZING))
                return
            with tempfile.TemporaryDirectory() as tmp:
                for name, data in payload.items():
                    (Path(tmp) / name).write_bytes(data)
                _brief_ok(lambda: brief([tmp], nlp=nlp, embeddings=FUZZING))

        counted("brief", body, kind="brief")

    return prop


def test_brief_never_crashes(nlp: Any) -> None:
    run_property("brief", _brief_test(nlp))
