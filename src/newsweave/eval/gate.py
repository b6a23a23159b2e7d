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

from newsweave.eval.extraction_cv import evaluate as evaluate_extraction
from newsweave.eval.stance import GATE_BODIES
from newsweave.eval.stance import evaluate as evaluate_stance
from newsweave.eval.summaries import evaluate_summaries

SUMMARY_SETS = ("multinews-dev.jsonl", "allsides-dev.jsonl")
# newsweave's scorer is trained on these sets: the gate holds its cross-validated figure.
SUMMARY_FOLDS = 5
# The pipeline is deterministic; the tolerance only absorbs floating-point differences of
# torch/BLAS builds across machines (seen: none on one machine run twice).
DEFAULT_TOLERANCE = {"rouge": 0.3, "precision": 0.02, "f1": 0.5, "alignment": 1.0}
# `newsweave eval alignment` figures the gate holds (as percentages, tolerance "alignment").
ALIGNMENT_METRICS = (
    "support_f1",
    "support_precision",
    "contradiction_precision",
    "contradiction_recall",
    "expectation_links",
    "quote_recall",
    "speaker_accuracy",
)
# Stance (FNC-1 subset, cross-validated by body): the trees and folds are deterministic; the
# margin absorbs a few pairs flipped by the encoder's float rounding on another BLAS (one of
# the subset's 211 disagree pairs moves disagree F1 by about 0.004).
STANCE_TOLERANCE = {"fnc_score": 0.5, "stance_f1": 0.02}


def measure(data: Path, *, on_step: Callable[[str], None] | None = None) -> dict[str, Any]:
    """newsweave's dev scores: ROUGE and citation precision per summary set, extraction F1,
    stance on a fixed FNC-1 subset."""
    step = on_step or (lambda _s: None)
    out: dict[str, Any] = {"summaries": {}, "extraction": {}}
    for name in SUMMARY_SETS:
        path = data / "mds" / name
        if not path.is_file():
            continue
        step(f"summaries: {name}")
        r = evaluate_summaries(path, systems=("newsweave",), folds=SUMMARY_FOLDS)
        d = r.to_dict()
        out["summaries"][name] = {**d["systems"]["newsweave"], "citation_precision": d["attribution"]["precision"]}
    ext = data / "extraction"
    if (ext / "scrapinghub").is_dir() or (ext / "trafilatura").is_dir():
        step("extraction: shipped and cross-validated by page")
        report = evaluate_extraction(ext, baselines=False)
        for name, systems in report.scores.items():
            cv = systems.get("newsweave (cv)")
            out["extraction"][name] = {
                "f1": round(100 * systems["newsweave"].f1, 2),
                **({"cv_f1": round(100 * cv.f1, 2)} if cv else {}),
            }
    anchors = sorted((Path(__file__).resolve().parents[3] / "evals" / "alignment").glob("*.json"))
    if anchors and (data / "mds").is_dir() and (data / "seeds").is_dir():
        from newsweave.eval.alignment import evaluate

        step("alignment: annotated anchors")
        nw = evaluate(anchors, data)["systems"]["newsweave"]
        got = {
            "support_f1": nw["support"]["f1"],
            "support_precision": nw["support"]["precision"],
            "contradiction_precision": nw["contradiction"]["precision"],
            "contradiction_recall": nw["contradiction"]["recall"],
            "expectation_links": nw["expectation_links"],
            "quote_recall": nw["quote_recall"],
            "speaker_accuracy": nw["speaker_accuracy"],
        }
        out["alignment"] = {"anchors": {k: round(100 * got[k], 1) for k in ALIGNMENT_METRICS}}
    out.update(_clustering(data, step))
    fnc = data / "stance" / "fnc1"
    if (fnc / "train_stances.csv").is_file():
        step(f"stance: FNC-1, {GATE_BODIES} bodies")
        sc = evaluate_stance(fnc, bodies=GATE_BODIES)["systems"]["newsweave"]
        out["stance"] = {
            "fnc1": {"fnc_score": sc["fnc_score"], "macro_f1": sc["macro_f1"], "disagree_f1": sc["f1"]["disagree"]}
        }
    return out


def _clustering(data: Path, step: Callable[[str], None]) -> dict[str, Any]:
    """Online story clustering with the defaults on the two event pools (a few seconds; the
    baselines and the cross-validation are `newsweave eval clustering`'s): F1 %, precision 0-1."""
    from newsweave.eval.clustering import allsides_pool, multinews_pool, newsweave_labels, scores
    from newsweave.stories.cluster import ClusterParams
    from newsweave.stories.features import extract

    found: dict[str, Any] = {}
    for name, read in (("multinews-dev", multinews_pool), ("allsides-dev", allsides_pool)):
        path = data / "mds" / f"{name}.jsonl"
        if path.is_file():
            step(f"clustering: {name}")
            pool = read(path)
            sc = scores(newsweave_labels(extract(pool.articles), ClusterParams())[0], pool.labels)
            found[name] = {"f1": round(100 * sc["bcubed_f1"], 2), "precision": round(sc["bcubed_p"], 4)}
    return {"clustering": found} if found else {}


def compare(measured: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """One line per score that fell below its baseline beyond tolerance."""
    tol = {**DEFAULT_TOLERANCE, **baseline.get("tolerance", {})}
    failures = []
    for section in ("summaries", "extraction", "alignment", "clustering"):
        for name, floor in baseline.get(section, {}).items():
            got = measured.get(section, {}).get(name)
            if got is None:
                failures.append(f"{section}/{name}: not measured (data missing?)")
                continue
            for metric, minimum in floor.items():
                kind = (
                    "alignment"
                    if section == "alignment"
                    else "precision"
                    if "precision" in metric
                    else "f1"
                    if metric in ("f1", "cv_f1")
                    else "rouge"
                )
                value = got.get(metric)
                if value is None or value < minimum - tol[kind]:
                    failures.append(f"{section}/{name} {metric}: {value} < baseline {minimum} - {tol[kind]}")
    return failures + _stance_failures(measured, baseline)


def _stance_failures(measured: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """The stance section's lines: FNC score in points, the F1s as fractions."""
    tol = {**STANCE_TOLERANCE, **baseline.get("tolerance", {})}
    failures = []
    for name, floor in baseline.get("stance", {}).items():
        got = measured.get("stance", {}).get(name)
        if got is None:
            failures.append(f"stance/{name}: not measured (data missing?)")
            continue
        for metric, minimum in floor.items():
            t = tol["fnc_score" if metric == "fnc_score" else "stance_f1"]
            value = got.get(metric)
            if value is None or value < minimum - t:
                failures.append(f"stance/{name} {metric}: {value} < baseline {minimum} - {t}")
    return failures


def load_baseline(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def write_baseline(path: Path, measured: dict[str, Any], note: str) -> None:
    payload = {"note": note, "tolerance": {**DEFAULT_TOLERANCE, **STANCE_TOLERANCE}, **measured}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
