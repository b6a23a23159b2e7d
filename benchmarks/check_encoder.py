"""newsweave's numpy MiniLM against sentence-transformers on real sentences: same vectors?

    python benchmarks/check_encoder.py [--data ../shared/data] [--clusters 20]

The sentences are those the brief embeds (newsweave.nlp.language over cleaned reports) of the
seeds, the bundled example and the first N clusters of mds/multinews-dev.jsonl. For each set
it prints the largest gap between the two encoders' vectors (1 - cosine of the same
sentence) and between their pairwise cosines (every pair of a story's sentences, which is what
the support decision reads), and each encoder's load and encode time in this process.

sentence-transformers (with torch) is not a dependency of newsweave's runtime; it arrives with
the pinned model package, so this script runs wherever `pip install .` did.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from newsweave.clean import clean
from newsweave.ingest import load
from newsweave.model import Article
from newsweave.nlp import language
from newsweave.nlp.embed import model_path
from newsweave.nlp.minilm import load as load_numpy

ROOT = Path(__file__).resolve().parents[1]


def sentences(articles: list[Article]) -> list[str]:
    analyzed = language.analyze(clean(articles))
    return [s.text for a in analyzed for s in a.sentences]


def story_sets(data: Path, clusters: int) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    out["example"] = [sentences(list(load([ROOT / "examples" / "caldenport-metro"]).articles))]
    if (data / "seeds").is_dir():
        out["seeds"] = [sentences(list(load([data / "seeds"]).articles))]
    mds = data / "mds" / "multinews-dev.jsonl"
    if mds.is_file():
        stories = []
        for n, line in enumerate(mds.read_text(encoding="utf-8").splitlines()[:clusters]):
            docs = json.loads(line)["documents"]
            stories.append(sentences([Article(id=f"m{n}-{i}", text=d) for i, d in enumerate(docs) if d.strip()]))
        out[f"multinews-dev[:{clusters}]"] = stories
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--clusters", type=int, default=20)
    args = ap.parse_args()
    sets = story_sets(args.data, args.clusters)

    t = time.perf_counter()
    ours = load_numpy(model_path())
    ours_load = time.perf_counter() - t
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    t = time.perf_counter()
    from sentence_transformers import SentenceTransformer

    ref = SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)
    ref_load = time.perf_counter() - t

    table = Table(title="numpy MiniLM vs sentence-transformers (same weights)")
    for col in ("set", "sentences", "max 1-cos(same)", "max |Δ pair cos|", "numpy s", "torch s"):
        table.add_column(col, justify="right" if col != "set" else "left")
    worst = 0.0
    for name, stories in sets.items():
        gap_self = gap_pair = 0.0
        t_ours = t_ref = 0.0
        n = 0
        for texts in stories:
            if not texts:
                continue
            n += len(texts)
            t = time.perf_counter()
            a = ours.encode(texts)
            t_ours += time.perf_counter() - t
            t = time.perf_counter()
            b = np.asarray(ref.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False))
            t_ref += time.perf_counter() - t
            gap_self = max(gap_self, float(np.max(1.0 - np.sum(a * b, axis=1))))
            gap_pair = max(gap_pair, float(np.max(np.abs(a @ a.T - b @ b.T))))
        worst = max(worst, gap_pair)
        table.add_row(name, f"{n:,}", f"{gap_self:.2e}", f"{gap_pair:.2e}", f"{t_ours:.2f}", f"{t_ref:.2f}")
    console = Console()
    console.print(table)
    console.print(f"load: numpy {ours_load:.2f} s, sentence-transformers {ref_load:.2f} s (torch import included)")
    console.print(f"largest pairwise cosine gap: {worst:.2e} (issue 12 asks for <= 1e-3)")


if __name__ == "__main__":
    main()
