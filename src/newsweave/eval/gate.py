"""The evaluation gate: dev-set scores may not drop below the recorded baseline.

The baseline file (evals/baseline.json) holds the scores of the last accepted version;
CI re-measures them and fails when one falls by more than its tolerance. Raising the
baseline is `newsweave eval gate --update`; lowering it is an explicit, explained commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsweave.eval.extraction import eval_scrapinghub, eval_snippets, newsweave_extract
from newsweave.eval.summaries import evaluate_summaries

SUMMARY_SETS = ("multinews-dev.jsonl", "allsides-dev.jsonl")
# The pipeline is deterministic; the tolerance only absorbs floating-point differences of
# torch/BLAS builds across machines (seen: none on one machine run twice).
DEFAULT_TOLERANCE = {"rouge": 0.3, "precision": 0.02, "f1": 0.5}


def measure(data: Path, *, on_step: Callable[[str], None] | None = None) -> dict[str, Any]:
    """newsweave's dev scores: ROUGE and citation precision per summary set, extraction F1."""
    step = on_step or (lambda _s: None)
    out: dict[str, Any] = {"summaries": {}, "extraction": {}}
    for name in SUMMARY_SETS:
        path = data / "mds" / name
        if not path.is_file():
            continue
        step(f"summaries: {name}")
        r = evaluate_summaries(path, systems=("newsweave",))
        d = r.to_dict()
        out["summaries"][name] = {**d["systems"]["newsweave"], "citation_precision": d["attribution"]["precision"]}
    ext = data / "extraction"
    if (ext / "scrapinghub").is_dir():
        step("extraction: scrapinghub")
        sc = eval_scrapinghub(ext / "scrapinghub", {"newsweave": newsweave_extract})["newsweave"]
        out["extraction"]["scrapinghub"] = {"f1": round(100 * sc.f1, 2)}
    if (ext / "trafilatura").is_dir():
        step("extraction: trafilatura")
        sc = eval_snippets(ext / "trafilatura", {"newsweave": newsweave_extract})["newsweave"]
        out["extraction"]["trafilatura"] = {"f1": round(100 * sc.f1, 2)}
    return out


def compare(measured: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """One line per score that fell below its baseline beyond tolerance."""
    tol = {**DEFAULT_TOLERANCE, **baseline.get("tolerance", {})}
    failures = []
    for section in ("summaries", "extraction"):
        for name, floor in baseline.get(section, {}).items():
            got = measured.get(section, {}).get(name)
            if got is None:
                failures.append(f"{section}/{name}: not measured (data missing?)")
                continue
            for metric, minimum in floor.items():
                kind = "precision" if "precision" in metric else "f1" if metric == "f1" else "rouge"
                value = got.get(metric)
                if value is None or value < minimum - tol[kind]:
                    failures.append(f"{section}/{name} {metric}: {value} < baseline {minimum} - {tol[kind]}")
    return failures


def load_baseline(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def write_baseline(path: Path, measured: dict[str, Any], note: str) -> None:
    payload = {"note": note, "tolerance": DEFAULT_TOLERANCE, **measured}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
