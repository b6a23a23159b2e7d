"""Writers: Markdown, JSON (with a versioned JSON Schema), self-contained HTML."""

from newsweave.render.json import SCHEMA_VERSION, schema, to_dict, to_json
from newsweave.render.markdown import to_markdown

FORMATS = ("markdown", "json", "html")

__all__ = ["FORMATS", "SCHEMA_VERSION", "render", "schema", "to_dict", "to_json", "to_markdown"]


def render(brief: object, fmt: str) -> str:
    from newsweave.model import Brief

    assert isinstance(brief, Brief)
    if fmt == "json":
        return to_json(brief)
    if fmt == "markdown":
        return to_markdown(brief)
    if fmt == "html":
        from newsweave.render.html import to_html

        return to_html(brief)
    raise ValueError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")
