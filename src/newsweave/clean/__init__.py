"""Boilerplate removal: keep the story, drop everything around it.

Two kinds of cue. In-document: page furniture (prompts, buttons, player residue,
bylines), photo credits, "Related" markers and the lists after them, and runs of
headline-like lines. Cross-document: short lines that recur in several reports
(site chrome shared by pages of one outlet) and headlines that share no content
word with the story the cluster is about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newsweave.clean import lines
from newsweave.lexicon import CREDIT_WORDS, NEWS_FUNCTION_WORDS, STOP_WORDS, WRAP_TAIL_WORDS, alternation
from newsweave.model import Article, CleanedArticle

# A run of this many headline-like lines in a row is a list of links, not prose.
# (Seen in the seeds' "Related Articles" block and in the example pages; a story's own
# subheads stand alone between paragraphs.)
HEADLINE_RUN = 3
# Lines this short without sentence punctuation carry no story ("Close", "Watch live").
MAX_FRAGMENT_WORDS = 3
# A line repeated across reports is shared chrome only when it is short and unpunctuated:
# syndicated copies legitimately repeat whole story sentences.
MAX_SHARED_CHROME_WORDS = 12
# Longest line dropped whole for a photo credit; in longer lines only the credit is cut.
MAX_CAPTION_WORDS = 40

# Link-list items are one line; story paragraphs that look alike still name the story.
MAX_LIST_ITEM_WORDS = 30
MIN_ON_TOPIC_WORDS = 2

_CREDIT_TAIL = re.compile(rf"\s*(?:{alternation(CREDIT_WORDS)})s?\s*:\s*[^.]*$", re.I)


def content_words(text: str) -> set[str]:
    return {
        lw
        for w in lines.words(text)
        if len(w) >= 4 and w.isalpha() and (lw := w.lower()) not in STOP_WORDS and lw not in NEWS_FUNCTION_WORDS
    }


def story_vocabulary(articles: Sequence[Article]) -> set[str]:
    """Words the story is about: in two or more reports (or twice in a lone report)."""
    if len(articles) == 1:
        counts: Counter[str] = Counter()
        for ln in articles[0].text.split("\n"):
            counts.update(content_words(ln))
        return {w for w, n in counts.items() if n >= 2}
    df: Counter[str] = Counter()
    for a in articles:
        df.update(content_words(a.text + "\n" + (a.title or "")))
    return {w for w, n in df.items() if n >= 2}


def shared_chrome(articles: Sequence[Article]) -> set[str]:
    """Short unpunctuated lines that occur in more than one report."""
    df: Counter[str] = Counter()
    for a in articles:
        df.update(
            {
                _norm(ln)
                for ln in a.text.split("\n")
                if ln.strip() and not lines.has_sentence_end(ln) and len(lines.words(ln)) <= MAX_SHARED_CHROME_WORDS
            }
        )
    return {ln for ln, n in df.items() if n >= 2}


def _norm(line: str) -> str:
    return " ".join(line.lower().split())


def clean(articles: Sequence[Article]) -> tuple[CleanedArticle, ...]:
    """Clean every article of one story, using the others as context."""
    vocab = story_vocabulary(articles)
    chrome = shared_chrome(articles) if len(articles) > 1 else set()
    return tuple(clean_article(a, vocab=vocab, chrome=chrome) for a in articles)


# Words a hard-wrapped line ends on ("... who in 2008, won the" / "Africa Movie Academy
# Award ..."): a headline never ends on them. Seen in the scrapinghub extraction pages.
_WRAP_TAIL = re.compile(rf"(?:,|\b(?:{alternation(WRAP_TAIL_WORDS)}))$", re.I)


def unwrap(text: str) -> list[str]:
    """Lines of a hard-wrapped paragraph joined back: a line that stops mid-sentence and
    ends on a function word or comma, or is followed by a lower-case start, continues."""
    out: list[str] = []
    for ln in text.split("\n"):
        s = ln.strip()
        prev = out[-1].rstrip() if out else ""
        joinable = prev and s and not lines.has_sentence_end(prev)
        if joinable and (_WRAP_TAIL.search(prev) or (s[0].islower() and s[0].isalpha())):
            out[-1] = f"{prev} {s}"
        else:
            out.append(ln)
    return out


def clean_article(article: Article, *, vocab: set[str], chrome: set[str] | None = None) -> CleanedArticle:
    raw = unwrap(article.text)
    verdict: list[str | None] = [None] * len(raw)  # None = keep, else the reason it was dropped
    title = _norm(article.title) if article.title else None
    chrome = chrome or set()

    for i, ln in enumerate(raw):
        s = ln.strip()
        if not s:
            continue
        n_words = len(lines.words(s))
        if lines.RELATED_MARKER.match(s):
            verdict[i] = "related-marker"
        elif lines.is_chrome(s):
            verdict[i] = "chrome"
        elif lines.is_credit(s) and n_words <= MAX_CAPTION_WORDS:
            verdict[i] = "credit"
        elif title and _norm(s) == title:
            verdict[i] = "title-repeat"
        elif _norm(s) in chrome:
            verdict[i] = "shared-chrome"
        elif not lines.has_sentence_end(s) and n_words <= MAX_FRAGMENT_WORDS:
            verdict[i] = "fragment"

    _drop_after_markers(raw, verdict, vocab)
    _drop_headline_runs(raw, verdict, vocab)
    for i, ln in enumerate(raw):
        s = ln.strip()
        if verdict[i] is None and s and lines.is_headline_like(s) and lines.is_title_case(s):
            verdict[i] = "headline" if content_words(s) & vocab else "unrelated-headline"

    kept: list[str] = []
    removed: list[str] = []
    for i, ln in enumerate(raw):
        if verdict[i] is None:
            s = ln.strip()
            if s and lines.is_credit(s):
                s = _CREDIT_TAIL.sub("", s)
            kept.append(s)
        else:
            removed.append(f"{verdict[i]}: {ln.strip()}")
    text = re.sub(r"\n{2,}", "\n", "\n".join(kept)).strip()
    return CleanedArticle(article=article, text=text, removed=tuple(removed))


def _listish(line: str, vocab: set[str]) -> bool:
    """A link-list item: headline-like, bulleted, or one short sentence off the story's topic.

    The last case catches list headlines that happen to end in "U.S." or "Inc.".
    """
    if lines.LIST_MARKER.match(line) and not lines.has_sentence_end(line):
        return True
    if lines.is_headline_like(line):
        return True
    short = len(lines.words(line)) <= MAX_LIST_ITEM_WORDS and not re.search(r"[a-z]{2}[.!?]\s+[A-Z]", line)
    return short and len(content_words(line) & vocab) < MIN_ON_TOPIC_WORDS


def _story_bullet(line: str, vocab: set[str]) -> bool:
    """A bulleted point of the story itself ("- Pick products that serve several purposes"):
    a sentence-like bullet on the story's topic, not a linked headline."""
    return bool(
        lines.LIST_MARKER.match(line)
        and not lines.is_title_case(line)
        and len(content_words(line) & vocab) >= MIN_ON_TOPIC_WORDS
    )


def _drop_after_markers(raw: list[str], verdict: list[str | None], vocab: set[str]) -> None:
    """After "Related:"/"Read more", drop the list that follows up to the next prose paragraph."""
    in_list = False
    for i, ln in enumerate(raw):
        s = ln.strip()
        if verdict[i] == "related-marker":
            in_list = True
            continue
        if not in_list or not s:
            continue
        if verdict[i] is not None or _listish(s, vocab) or lines.LIST_MARKER.match(s):
            verdict[i] = verdict[i] or "related-list"
        else:
            in_list = False


def _drop_headline_runs(raw: list[str], verdict: list[str | None], vocab: set[str]) -> None:
    """Runs of HEADLINE_RUN+ headline-like lines (blank lines and dropped chrome do not break a run)."""
    run: list[int] = []

    def flush() -> None:
        if len(run) >= HEADLINE_RUN:
            for j in run:
                verdict[j] = verdict[j] or "headline-list"
        run.clear()

    for i, ln in enumerate(raw):
        s = ln.strip()
        if not s:
            continue
        if verdict[i] is None and _listish(s, vocab) and not _story_bullet(s, vocab):
            run.append(i)
        elif verdict[i] is not None:
            continue
        else:
            flush()
    flush()
