"""Speed of HTML extraction per page, newsweave beside plain trafilatura, in one run.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--repeat 3] [--json out.json]

On the dev pages of both extraction sets (../shared/data/extraction, 195 pages), each
system over every page, --repeat passes, interleaved so that machine load falls on all
alike; the median pass gives ms per page:
  trafilatura    `trafilatura.extract` with its defaults (the baseline of `eval extraction`)
  trafilatura+meta  the same with_metadata=True (title, date, author, site: what an Article holds)
  readability    readability-lxml's `Document.summary` and its text
  newsweave      `parse_html` (trafilatura favor_precision, tables, metadata) + `clean`
  newsweave-old  the same with the settings before issue 16: balanced mode without tables,
                 every line rule (its metadata read as now; before, trafilatura's full
                 metadata pass cost 1.80x trafilatura in all)
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
from newsweave.ingest.html import Extraction, parse_html
from newsweave.model import Article

ROOT = Path(__file__).resolve().parents[1]
OLD = Extraction(mode="balanced", tables=False)


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
        "newsweave-old": _newsweave(OLD, TEXT_PROFILE),
    }
    for fn in systems.values():  # warm-up: imports, trafilatura's config
        fn(pages[0])
    passes: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(args.repeat):
        for name, fn in systems.items():
            passes[name].append(per_item_ms(lambda fn=fn: [fn(h) for h in pages], len(pages)))  # type: ignore[misc]
    ms = {name: statistics.median(v) for name, v in passes.items()}

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

    print(f"HTML extraction, {len(pages)} dev pages, median of {args.repeat} passes")
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
