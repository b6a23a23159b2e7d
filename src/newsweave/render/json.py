"""The brief as JSON, following schemas/brief.schema.json."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsweave.model import Brief

SCHEMA_VERSION = "1.5"  # 1.2: the "generator" key; 1.3: "warnings"; 1.4: sources[].sentences, disputes;
# 1.5: summary[].single_source


def generator() -> str:
    """The mark every output carries, so that newsweave never reads its own brief as a source."""
    from newsweave import __version__

    return f"newsweave {__version__}"


def to_dict(brief: Brief) -> dict[str, Any]:
    out = _base(brief)
    a = brief.analysis
    if a is None:
        return out
    stances = {s.source: s for s in a.stances}
    for src in out["sources"]:
        st = stances.get(src["id"])
        if st:
            src["stance"] = st.stance
            src["stance_cues"] = list(st.cues)
        src["published_inferred"] = src["id"] in a.inferred_dates
    out["event"] = {
        "title": a.event.title,
        "date": a.event.date,
        "place": a.event.place,
        "participants": list(a.event.participants),
        "sources": list(a.event.sources),
    }
    out["claims"] = [
        {
            "id": c.id,
            "text": c.text,
            "status": c.status,
            "modality": c.modality,
            "sources": list(c.sources),
            "independent_sources": c.independent_sources,
            "evidence": list(c.evidence),
            "contradicted_by": list(c.contradicted_by),
            "superseded_by": list(c.superseded_by),
            "resolved_by": list(c.resolved_by),
            "resolved_evidence": list(c.resolved_evidence),
            "group": c.group,
        }
        for c in a.claims
    ]
    out["quotes"] = [
        {
            "text": q.text,
            "speaker": q.speaker,
            "speaker_id": q.speaker_id,
            "sources": list(q.sources),
            "partial": q.partial,
            "occurrences": [
                {"source": o.article_id, "sentence": o.sentence, "start": o.start, "end": o.end, "cue": o.cue}
                for o in q.occurrences
            ],
        }
        for q in a.quotes
    ]
    out["timeline"] = [
        {
            "date": t.date,
            "granularity": t.granularity,
            "text": t.text,
            "sources": list(t.sources),
            "sentence": t.sentence,
            "mentions": t.mentions,
        }
        for t in a.timeline
    ]
    out["coverage"] = [
        {
            "source": c.source,
            "share": c.share,
            "unique_claims": list(c.unique_claims),
            "missing_claims": list(c.missing_claims),
            "stance": c.stance,
        }
        for c in a.coverage
    ]
    return out


def _base(brief: Brief) -> dict[str, Any]:
    return {
        "generator": generator(),  # first key: found in a file's first bytes (ingest.decode)
        "schema_version": SCHEMA_VERSION,
        "title": brief.title,
        "title_source": brief.title_source,
        "summarizer": brief.summarizer,
        "words": brief.words,
        "summary": [
            {
                "text": s.text,
                "sources": list(s.sources),
                "origin": s.origin,
                "evidence": list(s.evidence),
                "single_source": s.single_source,
            }
            for s in brief.summary
        ],
        "sources": [
            {
                "id": s.id,
                "outlet": s.outlet,
                "title": s.title,
                "published": s.published,
                "url": s.url,
                "author": s.author,
                "words": s.words,
                "sentences": [
                    {"id": sid, "text": text, "start": start, "end": end}
                    for sid, text, start, end in brief.texts.get(s.id, ())
                ],
            }
            for s in brief.sources
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "sources": list(e.sources),
                "mentions": e.mentions,
            }
            for e in brief.entities
        ],
        "warnings": list(brief.warnings),
        "skipped": [{"path": s.path, "reason": s.reason} for s in brief.skipped],
        "cleaning": {"removed_lines": dict(brief.cleaning)},
    }


def to_json(brief: Brief) -> str:
    return json.dumps(to_dict(brief), ensure_ascii=False, indent=2) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema that every `--format json` output validates against."""
    text = resources.files("newsweave.render").joinpath("schemas/brief.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
