"""Plain-text and Markdown reports: headline, date line, byline and dateline out of the text."""

from __future__ import annotations

import re

from newsweave.clean import lines
from newsweave.model import Article
from newsweave.nlp.dates import parse_date_line

# How far into a plain-text file header material (tagline, date, headline, byline) may stand.
HEADER_LINES = 6
# Longest line still read as a headline (real headlines run 5-20 words; decks up to ~30).
MAX_HEADLINE_WORDS = 30
# Longest line before a date line still read as a masthead tagline rather than story.
MAX_TAGLINE_WORDS = 10

# A dateline opens the story: look for one in its first paragraphs only.
DATELINE_LINES = 3

_MD_HEADING = re.compile(r"^#{1,6}\s+")


def parse_text(text: str, *, article_id: str, path: str | None = None) -> Article:
    """Split a plain-text report into metadata and body; the body keeps paragraph breaks."""
    raw = [_MD_HEADING.sub("", ln).rstrip() for ln in text.split("\n")]
    title: str | None = None
    published: str | None = None
    author: str | None = None
    outlet: str | None = None
    drop: set[int] = set()

    nonempty = [i for i, ln in enumerate(raw) if ln.strip()][:HEADER_LINES]
    for pos, i in enumerate(nonempty):
        iso = parse_date_line(raw[i])
        if iso and published is None:
            published = iso
            drop.add(i)
            # A short punctuated line above the date is the site's tagline ("Your city. Your news.");
            # an unpunctuated one is the headline and is read below.
            for j in nonempty[:pos]:
                tagline = lines.has_sentence_end(raw[j]) or not _is_headline(raw[j].strip())
                if tagline and len(lines.words(raw[j])) <= MAX_TAGLINE_WORDS and j not in drop:
                    drop.add(j)
            continue
        if lines.BYLINE.match(raw[i].strip()) and author is None:
            author = re.sub(r"^(?:by|written by|reporting by|words by)\s+", "", raw[i].strip(), flags=re.I)
            drop.add(i)

    for i in nonempty:
        if i in drop:
            continue
        candidate = raw[i].strip()
        if _is_headline(candidate):
            title = candidate
            drop.add(i)
        break

    body_lines = [ln for i, ln in enumerate(raw) if i not in drop]
    body = "\n".join(body_lines).strip("\n")
    body, dateline_outlet = strip_dateline(body)
    outlet = outlet or dateline_outlet
    return Article(id=article_id, text=body, title=title, published=published, author=author, outlet=outlet, path=path)


def _is_headline(line: str) -> bool:
    if not lines.is_headline_like(line, MAX_HEADLINE_WORDS) or lines.is_credit(line) or lines.is_chrome(line):
        return False
    # Two sentences on one line ("... with Russia. Image: X") are a caption, not a headline.
    return not re.search(r"[a-z]{2}[.!?]\s+[A-Z]", line)


def strip_dateline(body: str) -> tuple[str, str | None]:
    """Remove a leading "(Outlet)-" or "CITY (Outlet) -" dateline; return the outlet it names."""
    out: list[str] = []
    outlet: str | None = None
    seen = 0
    for ln in body.split("\n"):
        if ln.strip():
            seen += 1
        if outlet is None and ln.strip() and seen <= DATELINE_LINES:
            m = lines.DATELINE.match(ln)
            if m and not parse_date_line(m.group("outlet")):
                outlet = m.group("outlet").strip()
                ln = ln[m.end() :]
        out.append(ln)
    return "\n".join(out), outlet
