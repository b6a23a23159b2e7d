"""The brief and its analysis as one self-contained HTML page.

Jinja2 with autoescaping on: every string from a source (text, titles, outlet names,
URLs) is escaped, so hostile markup in an input shows as text and never runs. No script,
no external request (a Content-Security-Policy of default-src 'none' enforces it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from newsweave.model import Brief, sentence_id

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def anchor(sentence_id: str) -> str:
    return "s-" + _ID_UNSAFE.sub("_", sentence_id)


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("newsweave.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(brief: Brief) -> str:
    from newsweave import __version__

    num = {s.id: i for i, s in enumerate(brief.sources, start=1)}
    stances = {s.source: s.stance for s in brief.analysis.stances} if brief.analysis else {}
    srcs = [
        {
            "n": num[s.id],
            "id": s.id,
            "label": s.outlet or s.id,
            "title": s.title,
            "published": s.published,
            "url": s.url,
            "words": s.words,
            "stance": stances.get(s.id),
            "sentences": [(anchor(sid), text) for sid, text, _, _ in brief.texts.get(s.id, ())],
        }
        for s in brief.sources
    ]
    by_n = {s["id"]: s for s in srcs}
    first_sentence = {s.id: (brief.texts.get(s.id) or (("", "", 0, 0),))[0][0] for s in brief.sources}

    def links(sources: Sequence[str], evidence: Sequence[str]) -> list[tuple[dict[str, Any], str]]:
        """(source, anchor) per cited source: the evidence sentence in it, else its opening."""
        ev: dict[str, str] = {}
        for e in evidence:
            aid, _, idx = e.rpartition(":")
            ev.setdefault(aid, f"{aid}:{idx.split('.')[0]}")  # a clause links to its sentence
        out = []
        for sid in sorted(sources, key=lambda x: num.get(x, 10**6)):
            if sid in by_n:
                out.append((by_n[sid], anchor(ev.get(sid) or first_sentence[sid])))
        return out

    def cite(ids: Sequence[str]) -> str:  # used only for ids in the header line
        return " ".join(f"[{num[i]}]" for i in ids if i in num)

    summary = [
        {"text": s.text, "links": links(s.sources, (s.origin, *s.evidence)), "single_source": s.single_source}
        for s in brief.summary
    ]
    ctx: dict[str, Any] = {
        "title": brief.title or f"Brief of {len(brief.sources)} reports",
        "title_source": brief.title_source,
        "sources": srcs,
        "summary": summary,
        "warnings": list(brief.warnings),
        "version": __version__,
        "span": _span(brief),
        "cite": cite,
    }
    a = brief.analysis
    if a is not None:

        def claim(c: Any) -> dict[str, Any]:
            label = {"denial": "denies", "allegation": "alleges", "report": "states as fact"}.get(
                c.modality, c.modality
            )
            return {"text": c.text, "modality": c.modality, "label": label, "links": links(c.sources, c.evidence)}

        groups: dict[int, list[dict[str, Any]]] = {}
        for c in a.claims:
            if c.status == "disputed":
                groups.setdefault(c.group, []).append(claim(c))
        superseded = []
        texts = {sid: text for sents in brief.texts.values() for sid, text, _, _ in sents}
        for c in a.claims:
            if c.status == "superseded":
                item = claim(c)
                # the closest fulfilling sentence, cited by every source that fulfils it
                first = sentence_id(c.resolved_evidence[0]) if c.resolved_evidence else None
                item["then"] = (
                    {"text": texts[first], "links": links(c.resolved_by, c.resolved_evidence)}
                    if first in texts
                    else None
                )
                superseded.append(item)
        ctx.update(
            event=a.event,
            disputes=list(groups.values()),
            superseded=superseded,
            quotes=[
                {"text": q.text, "speaker": q.speaker, "links": links(q.sources, [o.sentence for o in q.occurrences])}
                for q in a.quotes
            ],
            timeline=[{"date": t.date, "text": t.text, "links": links(t.sources, [t.sentence])} for t in a.timeline],
            coverage=[
                {
                    "n": num[c.source],
                    "label": by_n[c.source]["label"],
                    "stance": c.stance,
                    "share": round(100 * c.share),
                    "unique": len(c.unique_claims),
                    "missing": len(c.missing_claims),
                }
                for c in a.coverage
            ],
        )
        ctx["event"] = a.event
    return _env().get_template("report.html.j2").render(**ctx)


def _span(brief: Brief) -> str:
    dates = sorted(s.published for s in brief.sources if s.published)
    if not dates:
        return ""
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
