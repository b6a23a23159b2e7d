"""The brief as JSON, following schemas/brief.schema.json."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsweave.model import Brief

SCHEMA_VERSION = "1.0"


def to_dict(brief: Brief) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "title": brief.title,
        "title_source": brief.title_source,
        "summarizer": brief.summarizer,
        "words": brief.words,
        "summary": [
            {"text": s.text, "sources": list(s.sources), "origin": s.origin, "evidence": list(s.evidence)}
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
