"""`newsweave eval extraction`: main-text extraction from HTML against human ground truth.

Systems on the same pages: newsweave (trafilatura inside, then our line cleaning),
plain trafilatura (`extract` with its defaults), and readability-lxml when installed.
Two sets under ../shared/data/extraction:
  scrapinghub  token precision/recall/F1 of the extracted text vs `articleBody` (bag of
               tokens, per page, then averaged: the article-extraction-benchmark's measure)
  trafilatura  `with` snippets that must appear and `without` snippets that must not
               (trafilatura's own evaluation: precision, recall, F1, accuracy over snippets)
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsweave.clean import clean
from newsweave.errors import IngestError
from newsweave.eval.rouge import Interval, bootstrap
from newsweave.ingest.html import parse_html

_TOKEN = re.compile(r"\w+", re.UNICODE)
Extractor = Callable[[str], str]


def newsweave_extract(html: str) -> str:
    try:
        article = parse_html(html, article_id="page")
    except IngestError:
        return ""
    return clean([article])[0].text


def trafilatura_extract(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def readability_extract(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    if not summary.strip():
        return ""
    return str(lxml.html.fromstring(summary).text_content())


def extractors() -> dict[str, Extractor]:
    out: dict[str, Extractor] = {"newsweave": newsweave_extract, "trafilatura": trafilatura_extract}
    try:
        import readability  # noqa: F401
    except ImportError:
        return out
    out["readability"] = readability_extract
    return out


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def token_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p, t = tokens(predicted), tokens(truth)
    overlap = sum((p & t).values())
    if not p or not t:
        return (1.0 if not p and not t else 0.0, 1.0 if not t else 0.0, 1.0 if not p and not t else 0.0)
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemScore:
    precision: float
    recall: float
    f1: float
    f1_interval: Interval | None = None
    accuracy: float | None = None
    failures: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One dev page with its ground truth: scrapinghub's `body`, or trafilatura's snippets."""

    set: str  # "scrapinghub" or "trafilatura"
    key: str
    html: str
    body: str | None = None
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()


def _read(path: Path) -> str:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return raw.decode("utf-8", errors="replace")


def scrapinghub_pages(root: Path) -> Iterator[tuple[str, str, str]]:
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        if path.is_file():
            yield key, _read(path), str(truth[key].get("articleBody") or "")


def snippet_pages(root: Path) -> Iterator[Page]:
    data: dict[str, dict[str, Any]] = json.loads((root / "evaldata.json").read_text("utf-8"))
    for key in sorted(data):
        item = data[key]
        path = root / item["file"]
        if path.is_file():
            yield Page(
                set="trafilatura",
                key=key,
                html=_read(path),
                with_=tuple(item.get("with", [])),
                without=tuple(item.get("without", [])),
            )


def load_pages(data: Path) -> list[Page]:
    """The dev pages of both sets present under `data` (the ../shared/data/extraction layout)."""
    pages: list[Page] = []
    if (data / "scrapinghub").is_dir():
        pages += [Page(set="scrapinghub", key=k, html=h, body=t) for k, h, t in scrapinghub_pages(data / "scrapinghub")]
    if (data / "trafilatura").is_dir():
        pages += list(snippet_pages(data / "trafilatura"))
    return pages


def page_counts(page: Page, text: str) -> Counter[str]:
    """What one page contributes to its set's score: token P/R/F1, or snippet tp/fn/fp/tn."""
    c: Counter[str] = Counter()
    if page.body is not None:
        c["p"], c["r"], c["f"] = token_prf(text, page.body)  # type: ignore[assignment]
        return c
    got = _norm(text)
    for snippet in page.with_:
        c["tp" if _norm(snippet) in got else "fn"] += 1
    for snippet in page.without:
        c["fp" if _norm(snippet) in got else "tn"] += 1
    return c


def set_scores(pages: Sequence[Page], counts: Sequence[Counter[str]], *, failures: int = 0) -> dict[str, SystemScore]:
    """Each set's score over these pages: scrapinghub averaged per page, trafilatura pooled over snippets."""
    out: dict[str, SystemScore] = {}
    for name in ("scrapinghub", "trafilatura"):
        rows = [c for p, c in zip(pages, counts, strict=True) if p.set == name]
        if not rows:
            continue
        if name == "scrapinghub":
            out[name] = SystemScore(
                precision=sum(c["p"] for c in rows) / len(rows),
                recall=sum(c["r"] for c in rows) / len(rows),
                f1=sum(c["f"] for c in rows) / len(rows),
                f1_interval=bootstrap([100 * c["f"] for c in rows]) if len(rows) > 1 else None,
                failures=failures,
            )
            continue
        c = sum(rows, Counter[str]())
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total = sum(c.values())
        accuracy = (c["tp"] + c["tn"]) / total if total else 0.0
        out[name] = SystemScore(precision=precision, recall=recall, f1=f1, accuracy=accuracy, failures=failures)
    return out


def score_pages(pages: Sequence[Page], fn: Extractor) -> dict[str, SystemScore]:
    """One system on these pages (a page it fails on counts as empty output)."""
    failures = 0
    counts = []
    for page in pages:
        try:
            got = fn(page.html)
        except Exception:
            failures += 1
            got = ""
        counts.append(page_counts(page, got))
    return set_scores(pages, counts, failures=failures)


def eval_scrapinghub(root: Path, systems: dict[str, Extractor]) -> dict[str, SystemScore]:
    pages = [Page(set="scrapinghub", key=k, html=h, body=t) for k, h, t in scrapinghub_pages(root)]
    return {name: score_pages(pages, fn)["scrapinghub"] for name, fn in systems.items() if pages}


def eval_snippets(root: Path, systems: dict[str, Extractor]) -> dict[str, SystemScore]:
    pages = list(snippet_pages(root))
    return {name: score_pages(pages, fn)["trafilatura"] for name, fn in systems.items() if pages}
