"""Read newsweave's summaries of real dev clusters as a reader would, and count what reads badly.

    python benchmarks/check_summaries.py [--clusters 20] [--out /tmp/newsweave-summaries] [--cache DIR]

Takes the first N/2 clusters of ../shared/data/mds/multinews-dev.jsonl and of allsides-dev.jsonl,
writes each headline and summary (with its citations) to OUT/<id>.md (outside the repository by
default: they are real articles' sentences), and counts, per cluster:
  dangling    a sentence whose subject is a pronoun or a title ("He said", "The minister")
              without the sentence before it in its report right before it in the summary
  repeated    two sentences of one summary carrying the same fact (most of one's weighted
              content in the other) or the same figure
  furniture   a photo caption, credit or player text
  fragment    a headline that is a caption or a fragment (fewer than 4 words)
  quote       a piece of a quotation without its speaker
  question    a question (it states nothing)
The same tests as the summarizer's own guards (summarize/readable.py), applied to its output:
a count above zero is a rule the selection failed to keep. `--cache` reads the prepared stories
`benchmarks/train_ranker.py` caches; without it the clusters are prepared here.
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path
from typing import Any

from newsweave.analysis.support import containment
from newsweave.model import StoryText, SummarySentence
from newsweave.pipeline import MIN_HEADLINE_WORDS, cite, headline
from newsweave.summarize import get
from newsweave.summarize.learned import _same_numbers
from newsweave.summarize.readable import dangling, furniture, question, quote_fragment

ROOT = Path(__file__).resolve().parents[1]
MDS = ROOT.parent / "shared" / "data" / "mds"
SAME_FACT = 0.6  # as summarize/coverage.MAX_OVERLAP


def stories(name: str, n: int, cache: Path | None) -> list[tuple[str, StoryText, tuple[str, ...]]]:
    if cache is not None and (cache / f"{name}.pkl").exists():
        return [(t[0], t[1], t[2]) for t in pickle.loads((cache / f"{name}.pkl").read_bytes())[:n]]
    from newsweave.eval.datasets import read_mds
    from newsweave.pipeline import prepare

    return [(c.id, prepare(c.articles).text, c.references) for c in read_mds(MDS / f"{name}-dev.jsonl", limit=n)]


WIDTHS = (9, 9, 10, 9, 6, 9)
COUNTED = ("dangling", "repeated", "furniture", "fragment", "quote", "question")


def counts(story: StoryText, summary: tuple[SummarySentence, ...], title: str | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {k: [] for k in COUNTED}
    sents = [story.features[s.origin].sentence for s in summary]
    for i, s in enumerate(sents):
        before = sents[i - 1] if i else None
        leans = before is not None and before.article_id == s.article_id and before.index == s.index - 1
        if dangling(s.text) and not leans:
            found["dangling"].append(s.text)
        if furniture(s.text):
            found["furniture"].append(s.text)
        if quote_fragment(s.text):
            found["quote"].append(s.text)
        if question(s.text):
            found["question"].append(s.text)
        for o in sents[:i]:
            fa, fb = story.features[s.id], story.features[o.id]
            same = max(containment(fa, fb, story.weights), containment(fb, fa, story.weights)) >= SAME_FACT
            if same or _same_numbers(s, o, story):
                found["repeated"].append(f"{o.text} | {s.text}")
    if title is not None and (len(title.split()) < MIN_HEADLINE_WORDS or furniture(title)):
        found["fragment"].append(title)
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clusters", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("/tmp/newsweave-summaries"))
    ap.add_argument("--cache", type=Path)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    total: dict[str, int] = {}
    listed: list[str] = []
    print(f"{'cluster':<22}" + "".join(f"{k:>{w}}" for k, w in zip(COUNTED, WIDTHS, strict=True)) + "  words")
    for name in ("multinews", "allsides"):
        for cid, story, refs in stories(name, args.clusters // 2, args.cache):
            budget = len(refs[0].split())
            summary = cite(get("newsweave").select(story, budget), story)
            title, _ = headline(story.articles)
            found = counts(story, summary, title)
            used = sum(len(s.text.split()) for s in summary)
            row: dict[str, Any] = {k: len(v) for k, v in found.items()}
            print(
                f"{cid:<22}"
                + "".join(f"{row[k]:>{w}}" for k, w in zip(found, WIDTHS, strict=True))
                + f"  {used}/{budget}"
            )
            for k, v in found.items():
                total[k] = total.get(k, 0) + len(v)
                listed += [f"{cid} {k}: {x}" for x in v]
            lines = [f"# {title or '(no headline)'}", ""]
            lines += [
                f"- {s.text} [{', '.join(s.sources)}]{' (single source)' if s.single_source else ''}" for s in summary
            ]
            (args.out / f"{cid}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{'total':<22}" + "".join(f"{total[k]:>{w}}" for k, w in zip(total, (9, 9, 10, 9, 6, 9), strict=True)))
    for line in listed:
        print("  " + line)


if __name__ == "__main__":
    main()
