"""`newsweave eval timelines`: newsweave's timeline against journalists' timelines (Timeline17).

tilse (the reference toolkit) needs pyrouge, the ROUGE-1.5.5 Perl script, numba and
textacy, which do not install here, so the standard measures are implemented below on
rouge-score's tokenizer with stemming (Martschat & Markert 2017; Gholipour Ghalandari &
Ifrim 2020):
  date F1       selected dates vs reference dates
  concat R-n    ROUGE-n F1 of all entries concatenated, dates ignored
  agreement R-n n-gram matches counted only between entries of the same date
As in that literature, each system gets the reference's number of dates and its mean
number of sentences per date, and only dates within the collection's publication span.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsweave.analysis.timeline import build, most_mentioned
from newsweave.eval.rouge import bootstrap
from newsweave.model import DatedSentence, TimelineEntry
from newsweave.nlp.dates import parse_iso

# Timeline17 topics used for development (the SOURCE.md split); the others are held out.
DEV_TOPICS = ("bpoil_", "H1N1_", "MJ_")
_PTB_SENTENCE_END = re.compile(r"(?<=\s[.!?])\s+(?=[A-Z`'\"])")
Timeliner = Callable[[Sequence[DatedSentence], int, int], tuple[TimelineEntry, ...]]

SYSTEMS: dict[str, Timeliner] = {
    "newsweave": lambda s, k, n: build(s, max_dates=k, per_date=n, granularity=("day",), min_sources=2),
    "most-mentioned": lambda s, k, n: most_mentioned(s, max_dates=k, per_date=n),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    name: str
    sentences: tuple[DatedSentence, ...]
    span: tuple[date, date]
    references: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (file, ((date, text), ...))


def load_topic(folder: Path) -> Topic | None:
    arts_path = folder / "articles.json.gz"
    if not arts_path.is_file():
        return None
    articles: list[dict[str, Any]] = json.loads(gzip.decompress(arts_path.read_bytes()))
    sentences = []
    days = []
    for a in articles:
        pub = parse_iso(a.get("dct"))
        if pub:
            days.append(pub)
        for i, text in enumerate(_PTB_SENTENCE_END.split(a.get("text") or "")):
            if len(text.split()) >= 5:
                sentences.append(
                    DatedSentence(id=f"{a['uid']}:{i}", article_id=str(a["uid"]), published=pub, text=text)
                )
    refs = []
    for tl in sorted(folder.glob("*.timeline.json.gz")):
        entries = json.loads(gzip.decompress(tl.read_bytes()))
        refs.append((tl.name, tuple((e["date"][:10], " ".join(e["text"].split())) for e in entries)))
    if not days or not refs:
        return None
    return Topic(name=folder.name, sentences=tuple(sentences), span=(min(days), max(days)), references=tuple(refs))


def _tokens() -> Callable[[str], list[str]]:
    from rouge_score import tokenizers

    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    return tok.tokenize  # type: ignore[no-any-return]


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(match: int, pred: int, ref: int) -> float:
    p = match / pred if pred else 0.0
    r = match / ref if ref else 0.0
    return 100 * 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Sequence[tuple[str, str]], reference: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Date F1, concat ROUGE-1/2 F1 and agreement ROUGE-1/2 F1, in percent."""
    tokenize = _tokens()
    pd, rd = {d for d, _ in predicted}, {d for d, _ in reference}
    out = {"date_f1": _f1(len(pd & rd), len(pd), len(rd))}
    ptoks = {d: tokenize(" ".join(t for dd, t in predicted if dd == d)) for d in pd}
    rtoks = {d: tokenize(" ".join(t for dd, t in reference if dd == d)) for d in rd}
    for n in (1, 2):
        pc = {d: _ngrams(t, n) for d, t in ptoks.items()}
        rc = {d: _ngrams(t, n) for d, t in rtoks.items()}
        p_all, r_all = sum(pc.values(), Counter()), sum(rc.values(), Counter())
        out[f"concat_r{n}"] = _f1(sum((p_all & r_all).values()), sum(p_all.values()), sum(r_all.values()))
        agree = sum(sum((pc[d] & rc[d]).values()) for d in pd & rd)
        out[f"agree_r{n}"] = _f1(agree, sum(p_all.values()), sum(r_all.values()))
    return out


def evaluate(
    root: Path, *, topics: Sequence[str] = DEV_TOPICS, on_topic: Callable[[str], None] | None = None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(tuple(topics))):
        topic = load_topic(folder)
        if topic is None:
            continue
        if on_topic:
            on_topic(topic.name)
        lo, hi = topic.span
        for ref_name, ref in topic.references:
            ref_in = [(d, t) for d, t in ref if lo.isoformat() <= d <= hi.isoformat()] or list(ref)
            k = len({d for d, _ in ref_in})
            per = max(1, round(sum(len(_PTB_SENTENCE_END.split(t)) for _, t in ref_in) / max(len(ref_in), 1)))
            row: dict[str, Any] = {"topic": topic.name, "reference": ref_name, "dates": k, "per_date": per}
            for name, fn in SYSTEMS.items():
                entries = [e for e in fn(topic.sentences, 10**6, per) if lo.isoformat() <= e.date <= hi.isoformat()]
                entries = _top_dates(entries, k)
                row[name] = score([(e.date, e.text) for e in entries], ref_in)
            rows.append(row)
    systems = list(SYSTEMS)
    metrics = ["date_f1", "concat_r1", "concat_r2", "agree_r1", "agree_r2"]
    summary = {s: {m: round(bootstrap([r[s][m] for r in rows]).mean, 2) for m in metrics} for s in systems}
    return {"timelines": len(rows), "systems": summary, "rows": rows}


def _top_dates(entries: Sequence[TimelineEntry], k: int) -> list[TimelineEntry]:
    """Keep the k dates the system ranked first (its entries carry their mention counts)."""
    # ties broken by date: set order would make the score change from run to run
    rank = sorted({e.date for e in entries}, key=lambda d: (-max(e.mentions for e in entries if e.date == d), d))
    keep = set(rank[:k])
    return [e for e in entries if e.date in keep]
