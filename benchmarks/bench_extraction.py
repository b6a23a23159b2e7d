"""Speed of HTML extraction per page, newsweave beside plain trafilatura, in one run.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--repeat 3] [--json out.json]

On the dev pages of both extraction sets (../shared/data/extraction, 195 pages), every
system on each page in turn, --repeat rounds; ms per page is the mean over pages of each
system's fastest run on that page:
  trafilatura    `trafilatura.extract` with its defaults (the baseline of `eval extraction`)
  trafilatura+meta  the same with_metadata=True (title, date, author, site: what an Article holds)
  readability    readability-lxml's `Document.summary` and its text
  newsweave      `parse_html` (trafilatura favor_precision, tables, metadata) + `clean`
  newsweave-old  the code path before issue 16: trafilatura's balanced mode without tables
                 and its full metadata pass (`bare_extraction(with_metadata=True)`), every
                 line rule
Then cleaning alone, ms per article (the cost stream ingest pays per report): the seeds
(plain text, every rule) and the dev pages' articles (HTML profile; and every rule, as before).
Prints a table and writes JSON. Timings vary with the machine: compare rows, not runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from newsweave.clean import TEXT_PROFILE, Profile, clean
from newsweave.errors import IngestError
from newsweave.eval.extraction import load_pages, readability_extract, trafilatura_extract
from newsweave.ingest import load
from newsweave.ingest.html import Extraction, _config, article_from_page, parse_html
from newsweave.model import Article

ROOT = Path(__file__).resolve().parents[1]


def _text(got: str | None) -> str:
    return got or ""


def _newsweave(options: Extraction, profile: Profile | None) -> Callable[[str], str]:
    def run(html: str) -> str:
        try:
            article = parse_html(html, article_id="page", options=options)
        except IngestError:
            return ""
        return clean([article], profile=profile)[0].text

    return run


def _newsweave_old(html: str) -> str:
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, config=_config()
    )
    try:
        article = article_from_page(doc, article_id="page")
    except IngestError:
        return ""
    return clean([article], profile=TEXT_PROFILE)[0].text


def per_item_ms(fn: Callable[[], object], n: int) -> float:
    t = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - t) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    pages = [p.html for p in load_pages(args.data / "extraction")]
    if not pages:
        raise SystemExit(f"no extraction pages under {args.data / 'extraction'}")
    systems: dict[str, Callable[[str], str]] = {
        "trafilatura": trafilatura_extract,
        "trafilatura+meta": lambda h: _text(trafilatura.extract(h, with_metadata=True)),
        "readability": readability_extract,
        "newsweave": _newsweave(Extraction(), None),
        "newsweave-old": _newsweave_old,
    }
    for fn in systems.values():  # warm-up: imports, trafilatura's config
        fn(pages[0])
    # Interleaved page by page, and the fastest of --repeat runs per page and system: on a
    # machine shared with other work a load spike then falls on all systems alike.
    best: dict[str, list[float]] = {name: [float("inf")] * len(pages) for name in systems}
    for _ in range(args.repeat):
        for i, h in enumerate(pages):
            for name, fn in systems.items():
                t = time.perf_counter()
                fn(h)
                best[name][i] = min(best[name][i], 1000 * (time.perf_counter() - t))
    ms = {name: sum(v) / len(v) for name, v in best.items()}

    html_articles: list[Article] = []
    for h in pages:
        try:
            html_articles.append(parse_html(h, article_id="page"))
        except IngestError:
            continue
    seeds = list(load([args.data / "seeds"]).articles) if (args.data / "seeds").is_dir() else []
    cleaning: dict[str, float] = {}
    for label, arts, profile in (
        ("seeds (plain text, every rule)", seeds, None),
        ("dev pages, HTML profile (now)", html_articles, None),
        ("dev pages, every rule (before)", html_articles, TEXT_PROFILE),
    ):
        if arts:
            runs = [
                per_item_ms(lambda a=arts, p=profile: [clean([x], profile=p) for x in a], len(arts))  # type: ignore[misc]
                for _ in range(args.repeat)
            ]
            cleaning[label] = statistics.median(runs)

    print(f"HTML extraction, {len(pages)} dev pages, fastest of {args.repeat} runs per page")
    print("| system | ms/page | x trafilatura |\n|---|---|---|")
    for name, v in ms.items():
        print(f"| {name} | {v:.1f} | {v / ms['trafilatura']:.2f} |")
    print("\nCleaning alone")
    print("| articles | ms/article |\n|---|---|")
    for label, v in cleaning.items():
        print(f"| {label} | {v:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"ms_per_page": ms, "cleaning_ms_per_article": cleaning}, indent=2))


if __name__ == "__main__":
    main()
