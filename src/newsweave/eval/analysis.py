"""`newsweave eval analysis`: quotes, claim labels, stance, timeline and event against
expected values written by hand (evals/expected/*.json) for the bundled example and the
seed cluster.

Quotes: recall (expected quotes found), speaker precision (of the found ones that got a
speaker, the right one) and speaker recall (expected quotes found with the right speaker).
Claims: an expected claim is matched by a fragment of its text (and its sources when
given); the label must equal the expected status. Timeline: date precision against the
expected dates is not meaningful (a timeline may hold more), so recall is reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsweave.eval.alignment import same_person
from newsweave.model import Brief


def load_expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def score(brief: Brief, expected: dict[str, Any]) -> dict[str, Any]:
    a = brief.analysis
    if a is None:
        raise ValueError("the brief was built without analysis")
    out: dict[str, Any] = {}

    exp_q = expected.get("quotes", [])
    found = attributed = right = 0
    for q in exp_q:
        start = q["starts"].lower()
        hit = next((x for x in a.quotes if x.text.lower().lstrip("“\"'").startswith(start)), None)
        if hit is None:
            continue
        found += 1
        if hit.speaker:
            attributed += 1
            # canonical names may be a surname alone ("Baghaei" for "Esmaeil Baghaei"): the
            # same last name counts, as in `eval alignment`
            right += same_person(hit.speaker, q["speaker"])
    out["quotes"] = {
        "expected": len(exp_q),
        "found": found,
        "recall": _ratio(found, len(exp_q)),
        "speaker_precision": _ratio(right, attributed),
        "speaker_recall": _ratio(right, len(exp_q)),
    }

    exp_s = expected.get("stance", {})
    got_s = {s.source: s.stance for s in a.stances}
    out["stance"] = {
        "expected": len(exp_s),
        "accuracy": _ratio(sum(got_s.get(k) == v for k, v in exp_s.items()), len(exp_s)),
        "wrong": sorted(k for k, v in exp_s.items() if got_s.get(k) != v),
    }

    exp_c = expected.get("claims", [])
    correct = 0
    misses = []
    for c in exp_c:
        cands = [x for x in a.claims if c["contains"].lower() in x.text.lower()]
        if c.get("sources"):
            cands = [x for x in cands if set(c["sources"]) <= set(x.sources)]
        if any(x.status == c["status"] for x in cands):
            correct += 1
        else:
            misses.append(f"{c['contains']} → {', '.join(sorted({x.status for x in cands})) or 'not found'}")
    out["claims"] = {"expected": len(exp_c), "accuracy": _ratio(correct, len(exp_c)), "misses": misses}

    exp_t = set(expected.get("timeline", []))
    got_t = {t.date for t in a.timeline}
    out["timeline"] = {
        "expected": len(exp_t),
        "recall": _ratio(len(exp_t & got_t), len(exp_t)),
        "entries": len(got_t),
        "missing": sorted(exp_t - got_t),
    }
    ev = expected.get("event", {})
    checks = []
    if "date" in ev:
        checks.append(a.event.date == ev["date"])
    if "place" in ev:
        checks.append(a.event.place == ev["place"])
    if "participants" in ev:
        checks.append(set(ev["participants"]) <= set(a.event.participants))
    out["event"] = {"checks": len(checks), "accuracy": _ratio(sum(checks), len(checks))}
    return out


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 1.0
