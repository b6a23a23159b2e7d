"""What the pages show of a brief, read from its JSON (schema 1.5): pure functions.

The pages and the API read the same stored JSON brief, so what a page shows is what
`GET /api/v1/stories/{id}/brief` serves. These functions only regroup it (claims by id,
quotes by speaker, citations as links); they add no statement of their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from newsweave.model import sentence_id

Brief = dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """The line a story gets in the list, from its brief."""

    anticipate: int  # sources that anticipate the event (stance "anticipates")
    report: int  # sources that report it as done
    disputes: int  # claims the sources dispute
    lead: str | None  # the brief's first summary sentence
    lead_sources: tuple[str, ...] = ()  # the sources it cites

    def to_json(self) -> dict[str, Any]:
        return {
            "anticipate": self.anticipate,
            "report": self.report,
            "disputes": self.disputes,
            "lead": self.lead,
            "lead_sources": list(self.lead_sources),
        }


def digest(brief: Brief) -> Digest:
    stances = [s.get("stance") for s in brief.get("sources", [])]
    summary = brief.get("summary", [])
    return Digest(
        anticipate=stances.count("anticipates"),
        report=stances.count("reports"),
        disputes=sum(1 for c in brief.get("claims", []) if c.get("status") == "disputed"),
        lead=summary[0]["text"] if summary else None,
        lead_sources=tuple(summary[0].get("sources", ())) if summary else (),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Cite:
    """One citation: the source, its outlet and the sentence cited."""

    source: str
    outlet: str
    sentence: str  # sentence id "<source>:<index>"


def article_of(unit: str) -> str:
    """The source id of a sentence or clause id ("12:3.1" -> "12")."""
    return unit.rpartition(":")[0] or unit


class View:
    """A brief regrouped for a page: lookups the templates need, nothing added."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.sources: dict[str, dict[str, Any]] = {s["id"]: s for s in brief.get("sources", [])}
        self.claims: dict[str, dict[str, Any]] = {c["id"]: c for c in brief.get("claims", [])}
        self.digest = digest(brief)

    def outlet(self, source: str) -> str:
        s = self.sources.get(source) or {}
        return str(s.get("outlet") or s.get("title") or f"report {source}")

    def cite(self, unit: str) -> Cite:
        source = article_of(unit)
        return Cite(source=source, outlet=self.outlet(source), sentence=sentence_id(unit))

    def cites(self, units: list[str]) -> list[Cite]:
        """Citations of evidence units, one per sentence (two clauses of one sentence cite it once)."""
        seen: set[str] = set()
        out: list[Cite] = []
        for unit in units:
            c = self.cite(unit)
            if c.sentence not in seen:
                seen.add(c.sentence)
                out.append(c)
        return out

    def summary(self) -> list[tuple[str, list[Cite]]]:
        return [(s["text"], self.cites([s["origin"], *s.get("evidence", [])])) for s in self.brief.get("summary", [])]

    def disputes(self) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each disputed claim with the claims that contradict it (both sides, each cited)."""
        out = []
        for c in self.brief.get("claims", []):
            if c.get("status") == "disputed":
                others = [self.claims[o] for o in c.get("contradicted_by", []) if o in self.claims]
                out.append((c, others))
        return out

    def expectations(self) -> list[tuple[dict[str, Any], list[dict[str, Any]], list[Cite]]]:
        """Each expectation, the claims that say what became of it, and the reports that resolved it."""
        out = []
        for c in self.brief.get("claims", []):
            if c.get("modality") == "expectation":
                after = [self.claims[o] for o in c.get("superseded_by", []) if o in self.claims]
                out.append((c, after, self.cites(list(c.get("resolved_evidence", [])))))
        return out

    def quotes_by_speaker(self) -> list[tuple[str, list[dict[str, Any]]]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for q in self.brief.get("quotes", []):
            groups[q.get("speaker") or "Unattributed"].append(q)
        return sorted(groups.items(), key=lambda kv: (kv[0] == "Unattributed", -len(kv[1]), kv[0]))

    def claim_text(self, claim_id: str) -> str:
        return str(self.claims.get(claim_id, {}).get("text", claim_id))


def segments(text: str, sentences: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    """A cleaned report cut into (sentence id, text) pieces, gaps as (None, text), by the
    sentence offsets of the brief; sentences whose offsets do not match the text are left
    unmarked rather than mislabelled."""
    out: list[tuple[str | None, str]] = []
    at = 0
    for s in sorted(sentences, key=lambda s: int(s["start"])):
        start, end = int(s["start"]), int(s["end"])
        if start < at or text[start:end] != s["text"]:
            continue
        if start > at:
            out.append((None, text[at:start]))
        out.append((str(s["id"]), text[start:end]))
        at = end
    if at < len(text):
        out.append((None, text[at:]))
    return out
