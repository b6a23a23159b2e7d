"""Entity signals for clustering: B-cubed F1 on the dev pools beside their cost, one table.

    python benchmarks/tune_entities.py [--data ../shared/data] [--only NAME,...] [--timing 200]

Every candidate replaces the entities of the features `extract` computes (terms, MinHash,
days stay those of today) and the stream is clustered with the default `ClusterParams`
(no threshold or weight tuned here). Its cost is the entity step alone, in this one
process, over the first `--timing` articles of the three pools (median of 3), and the
end-to-end rate it implies beside the measured rest of ingest (`REST_MS`, the
bench_stream "no entities, 1 process" row). Cleaned texts and the full-lead NER spans are
cached in a temporary folder (never in the repo) so a rerun only scores.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsweave.clean import clean
from newsweave.eval.clustering import Pool, allsides_pool, multinews_pool, newsweave_labels, scores, wikiref_pool
from newsweave.model import Article, ArticleFeatures
from newsweave.stories import features as F
from newsweave.stories.cluster import ClusterParams

CACHE = Path(tempfile.gettempdir()) / "newsweave-tune-entities"
# ms per article of ingest without entities (read, clean, MinHash, cluster, SQLite):
# bench_stream's "no entities, 1 process" row on its 3,411-article pool: 235/s on this 2-core machine.
REST_MS = 4.25

Signal = Callable[[Sequence[Article], Sequence[str]], list[Counter[str]]]


def pools(data: Path) -> list[Pool]:
    return [
        multinews_pool(data / "mds" / "multinews-dev.jsonl"),
        allsides_pool(data / "mds" / "allsides-dev.jsonl"),
        wikiref_pool(data / "clustering" / "wikiref220"),
    ]


def _cached(name: str, key: str, make: Callable[[], Any]) -> Any:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-{hashlib.sha1(key.encode()).hexdigest()[:12]}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


def base_features(pool: Pool) -> tuple[list[str], list[ArticleFeatures]]:
    key = pool.name + str(len(pool.articles)) + pool.articles[0].id
    texts: list[str] = _cached("texts", key, lambda: [clean([a])[0].text or a.text for a in pool.articles])
    feats: list[ArticleFeatures] = _cached("feats", key, lambda: F.extract(pool.articles, entities=False))
    return texts, feats


def score(pool: Pool, feats: list[ArticleFeatures], ents: list[Counter[str]]) -> float:
    fs = [replace(f, entities=tuple(sorted(e.items()))) for f, e in zip(feats, ents, strict=True)]
    labels, _ = newsweave_labels(fs, ClusterParams())
    return 100 * scores(labels, pool.labels)["bcubed_f1"]


def _ner_lead(chars: int | None) -> Signal:
    """spaCy's NER over the title and the first `chars` (cut at a sentence end; None: NER_CHARS)."""

    def sig(arts: Sequence[Article], texts: Sequence[str]) -> list[Counter[str]]:
        leads = [
            F.lead(a, t) if chars is None else f"{a.title or ''}\n{cut_at_sentence(t, chars)}"
            for a, t in zip(arts, texts, strict=True)
        ]
        return F.entity_counts(leads)

    return sig


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n")


def cut_at_sentence(text: str, chars: int) -> str:
    """The first `chars` of `text`, cut back to the last sentence end (or space) within them."""
    if len(text) <= chars:
        return text
    head = text[:chars]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= chars // 2:
        return head[: ends[-1]].rstrip()
    space = head.rfind(" ")
    return head[:space] if space > chars // 2 else head


def _names(chars: int = F.NER_CHARS, keep: str = "named", key: str = "full") -> Signal:
    """Capitalized runs (`features.name_runs`) of the title and first `chars`. `keep`: "named"
    (the shipped rule: once not a lone sentence-initial word), "recur" (and said twice);
    `key`: "full" (the shipped `name_key`), "last" (the last word, as NER people are keyed by
    surname), "both" (full and last)."""

    def one(title: str, text: str) -> Counter[str]:
        mentions: list[tuple[str, bool]] = []
        for toks, initial in F.name_runs(f"{title}\n{text[:chars]}"):
            full = F.name_key(toks)
            if full is None:
                continue
            last = F.name_key(toks[-1:]) if len(toks) > 1 else None
            keys = {"full": [full], "last": [last or full], "both": [full, *([last] if last else [])]}[key]
            mentions += [(k, initial) for k in keys]
        counts = Counter(k for k, _ in mentions)
        named = {k for k, initial in mentions if not initial}
        return Counter({k: n for k, n in counts.items() if k in named and (keep == "named" or n >= 2)})

    def sig(arts: Sequence[Article], texts: Sequence[str]) -> list[Counter[str]]:
        return [one(a.title or "", t) for a, t in zip(arts, texts, strict=True)]

    return sig


def _shipped(arts: Sequence[Article], texts: Sequence[str]) -> list[Counter[str]]:
    return [F.name_counts(a.title or "", t) for a, t in zip(arts, texts, strict=True)]


def candidates() -> dict[str, Signal]:
    """Name -> signal, in the order tried; NER ones are cached (they cost minutes), names are not."""
    out: dict[str, Signal] = {"NER, title + 3000 chars (before)": _ner_lead(None)}
    for n in (600, 1000, 1500):
        out[f"NER, title + {n} chars (sentence end)"] = _ner_lead(n)
    out["names (shipped: features.name_counts)"] = _shipped
    out["names, key = last word"] = _names(key="last")
    out["names, keys full + last word"] = _names(key="both")
    out["names said twice, key = last word"] = _names(keep="recur", key="last")
    out["names said twice"] = _names(keep="recur")
    out["names, title + 1500 chars"] = _names(chars=1500)
    out["names, whole text"] = _names(chars=10**7)
    return out


def timing(signal: Signal, arts: Sequence[Article], texts: Sequence[str]) -> float:
    """ms per article of the entity step (median of 3; the model loaded beforehand)."""
    signal(arts[:5], texts[:5])
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        signal(arts, texts)
        runs.append(time.perf_counter() - t)
    return 1000 * statistics.median(runs) / len(arts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--only", default="", help="Comma-separated substrings of candidate names.")
    ap.add_argument("--timing", type=int, default=200, help="Articles timed per candidate.")
    args = ap.parse_args()
    ps = pools(args.data)
    base = {p.name: base_features(p) for p in ps}
    sample_a: list[Article] = []  # the timing sample: the first articles of each pool
    sample_t: list[str] = []
    for p in ps:
        k = args.timing // len(ps)
        sample_a += p.articles[:k]
        sample_t += base[p.name][0][:k]
    table = Table(title="Entity signals: B-cubed F1 % (default ClusterParams) and cost in one process")
    for col in ("signal", *(p.name for p in ps), "entities ms/article", "ingest articles/s (est.)"):
        table.add_column(col, justify="left" if col == "signal" else "right")
    wanted = [w for w in args.only.split(",") if w]
    for name, signal in candidates().items():
        if wanted and not any(w in name for w in wanted):
            continue
        f1s = []
        for p in ps:
            texts, feats = base[p.name]

            def run(s: Signal = signal, p: Pool = p, t: list[str] = texts) -> list[Counter[str]]:
                return s(p.articles, t)

            ents = _cached("ents", name + p.name, run) if name.startswith("NER") else run()
            f1s.append(score(p, feats, ents))
        ms = timing(signal, sample_a, sample_t)
        table.add_row(name, *(f"{v:.2f}" for v in f1s), f"{ms:.2f}", f"{1000 / (REST_MS + ms):.0f}")
        print(name, [round(v, 2) for v in f1s], round(ms, 2), file=sys.stderr, flush=True)
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
