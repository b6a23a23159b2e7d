"""The brief as Markdown: headline, cited summary, sources, main entities."""

from __future__ import annotations

import re

from newsweave.model import Brief

# Entities shown in the Markdown brief: the ones most sources name.
MAX_ENTITIES = 12
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def esc(text: str) -> str:
    """Escape Markdown and inline-HTML syntax in source text: it is data, not markup."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def to_markdown(brief: Brief) -> str:
    num = {s.id: i for i, s in enumerate(brief.sources, start=1)}

    def cite(ids: tuple[str, ...]) -> str:
        return "".join(f"[{n}]" for n in sorted(num[a] for a in ids if a in num))

    out: list[str] = []
    title = brief.title or f"Brief of {len(brief.sources)} report{'s' if len(brief.sources) != 1 else ''}"
    out.append(f"# {esc(title)}")
    dates = sorted(s.published for s in brief.sources if s.published)
    span = f" · {dates[0]}" + (f" to {dates[-1]}" if dates[-1] != dates[0] else "") if dates else ""
    headline_cite = f" · headline from [{num[brief.title_source]}]" if brief.title_source in num else ""
    out.append(f"*{len(brief.sources)} sources{span}{headline_cite}*")
    out.append("")
    if brief.summary:
        out.append(" ".join(f"{esc(s.text)} {cite(s.sources)}" for s in brief.summary))
    else:
        out.append("*No sentence fits the word budget.*")
    out.append("")
    out.append("## Sources")
    out.append("")
    for s in brief.sources:
        parts = [f"**{esc(s.outlet)}**" if s.outlet else code(s.id)]
        if s.title:
            parts.append(f"“{esc(s.title)}”")
        if s.published:
            parts.append(s.published)
        if s.url:
            parts.append(f"<{s.url}>" if re.match(r"^https?://[^\s<>]+$", s.url) else esc(s.url))
        extra = f" ({code(s.id)})" if s.outlet else ""
        out.append(f"{num[s.id]}. " + " — ".join(parts) + f"{extra} · {s.words} words")
    if brief.entities:
        out.append("")
        out.append("## Main entities")
        out.append("")
        for e in brief.entities[:MAX_ENTITIES]:
            others = [a for a in e.aliases if a != e.name]
            also = f" — also {', '.join(esc(a) for a in others)}" if others else ""
            out.append(f"- **{esc(e.name)}** ({e.type.lower()}){also} {cite(e.sources)}")
    if brief.skipped:
        out.append("")
        out.append("## Skipped inputs")
        out.append("")
        out.extend(f"- {esc(s.path)}: {esc(s.reason)}" for s in brief.skipped)
    return "\n".join(out) + "\n"
