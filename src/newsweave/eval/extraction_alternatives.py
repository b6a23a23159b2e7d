"""What the HTML says besides trafilatura's text, tried as rows of `newsweave eval extraction`.

Two second sources the issue asked about, scored on the same pages, not shipped:
  JSON-LD   the page's own `articleBody` (schema.org) in place of the extracted text where a
            page carries one
  readability  readability-lxml as a second opinion: where its text and newsweave's agree
            little (token F1 below a threshold chosen on the other folds), the longer one
They stay out of ingest: see docs/evaluation.md for the numbers and the reasons.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from newsweave.eval.extraction import Page, page_counts, set_scores, token_prf

# Thresholds the second opinion may be given on the training folds (token F1 of the two texts).
DISAGREEMENT = (0.3, 0.5, 0.7, 0.8)


def _bodies(obj: Any) -> Iterator[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "articleBody" and isinstance(v, str):
                yield v
            else:
                yield from _bodies(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _bodies(v)


def jsonld_body(html: str) -> str | None:
    """The longest schema.org `articleBody` in the page's JSON-LD scripts, if any."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml refuses empty or binary documents in several ways
        return None
    found: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            found += list(_bodies(json.loads(script.text_content(), strict=False)))
        except ValueError:
            continue
    found = [b for b in found if b.strip()]
    return max(found, key=len) if found else None


def with_jsonld(pages: Sequence[Page], ours: Sequence[str]) -> tuple[list[str], int]:
    """newsweave's text, replaced by the page's `articleBody` where it has one; and how many had one."""
    out, n = [], 0
    for page, text in zip(pages, ours, strict=True):
        body = jsonld_body(page.html)
        n += body is not None
        out.append(body if body is not None else text)
    return out, n


def _pick(ours: str, theirs: str, threshold: float) -> str:
    if token_prf(ours, theirs)[2] < threshold and len(theirs.split()) > len(ours.split()):
        return theirs
    return ours


def second_opinion(
    pages: Sequence[Page], ours: Sequence[str], theirs: Sequence[str], folds: Sequence[int]
) -> tuple[list[str], list[float]]:
    """Held-out texts with readability as a second opinion, its threshold chosen on the other folds."""
    k = max(folds) + 1
    texts = list(ours)
    chosen = []
    for f in range(k):
        train = [i for i, g in enumerate(folds) if g != f]

        def objective(t: float, train: list[int] = train) -> float:
            counts = [page_counts(pages[i], _pick(ours[i], theirs[i], t)) for i in train]
            scores = set_scores([pages[i] for i in train], counts)
            return sum(s.f1 for s in scores.values()) / max(len(scores), 1)

        best = max(DISAGREEMENT, key=objective)
        chosen.append(best)
        for i, g in enumerate(folds):
            if g == f:
                texts[i] = _pick(ours[i], theirs[i], best)
    return texts, chosen
