"""The brief as Markdown: headline, cited summary, sources, main entities."""

from __future__ import annotations

import re
from collections.abc import Callable

from newsweave.model import Brief, sentence_id
from newsweave.render.json import generator

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
    for w in brief.warnings:
        out.append(f"> **Warning:** {esc(w)}")
        out.append("")
    if brief.summary:
        out.append(
            " ".join(
                f"{esc(s.text)} {cite(s.sources)}{' *(single source)*' if s.single_source else ''}"
                for s in brief.summary
            )
        )
    else:
        out.append("*No sentence fits the word budget.*")
    if brief.analysis is not None:
        out.extend(_analysis(brief, cite))
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
        if brief.analysis is not None:
            st = next((x for x in brief.analysis.stances if x.source == s.id), None)
            if st:
                extra += f" · {st.stance}"
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
    out.append("")
    out.append(f"<!-- generator: {generator()} -->")  # invisible when shown; ingest skips such files
    return "\n".join(out) + "\n"


# Claims listed per Markdown section; the JSON has them all.
MAX_LISTED = 8
SIDE_LABELS = {"denial": "denies", "allegation": "alleges", "report": "states as fact", "expectation": "expects"}


def _analysis(brief: Brief, cite: Callable[[tuple[str, ...]], str]) -> list[str]:
    a = brief.analysis
    assert a is not None
    out: list[str] = []
    ev = a.event
    facts = [f"**When:** {ev.date}" if ev.date else "", f"**Where:** {esc(ev.place)}" if ev.place else ""]
    if ev.participants:
        facts.append("**Who:** " + ", ".join(esc(p) for p in ev.participants))
    facts = [f for f in facts if f]
    if facts:
        out += ["", " · ".join(facts) + (f" {cite(ev.sources)}" if ev.sources else "")]
    disputed = [c for c in a.claims if c.status == "disputed"]
    if disputed:
        out += ["", "## Disputed", ""]
        seen: set[int] = set()
        for c in disputed:
            if c.group in seen:
                continue
            seen.add(c.group)
            sides = [x for x in disputed if x.group == c.group]
            for x in sides:
                label = {"denial": "denies", "allegation": "alleges", "report": "states as fact"}.get(
                    x.modality, x.modality
                )
                out.append(f"- *{label}:* {esc(x.text)} {cite(x.sources)}")
            out.append("")
        out.pop()
    overtaken = [c for c in a.claims if c.status == "superseded"]
    if overtaken:
        out += ["", "## Expected, then reported", ""]
        texts = {sid: text for sents in brief.texts.values() for sid, text, _, _ in sents}
        for c in overtaken[:MAX_LISTED]:
            # what became of it: the closest fulfilling sentence, cited by every source that fulfils it
            first = texts.get(sentence_id(c.resolved_evidence[0])) if c.resolved_evidence else None
            then = f" → {esc(first)} {cite(c.resolved_by)}" if first else ""
            out.append(f"- {esc(c.text)} {cite(c.sources)}{then}")
    if a.quotes:
        out += ["", "## Quotes", ""]
        for q in sorted(a.quotes, key=lambda q: (q.speaker is None, -len(q.sources))):
            who = esc(q.speaker) if q.speaker else "*unattributed*"
            out.append(f"- **{who}:** “{esc(q.text)}” {cite(q.sources)}")
    if a.timeline:
        out += ["", "## Timeline", ""]
        out += [f"- **{t.date}** — {esc(t.text)} {cite(t.sources)}" for t in a.timeline]
    if a.coverage:
        out += ["", "## Coverage by source", ""]
        out += ["| source | stance | main claims carried | only here | leaves out |", "|---|---|---:|---:|---:|"]
        for cov in a.coverage:
            out.append(
                f"| {cite((cov.source,))} | {cov.stance} | {round(100 * cov.share)}% | {len(cov.unique_claims)} | "
                f"{len(cov.missing_claims)} |"
            )
        main = [x for x in a.claims if len(x.sources) >= 2]
        out.append("")
        out.append(
            f"*Main claims are the {len(main)} claims two or more sources carry; `--format json` lists them all.*"
        )
    return out
