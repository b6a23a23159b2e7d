"""Boilerplate removal: keep the story, drop everything around it.

Two kinds of cue. In-document: page furniture (prompts, buttons, player residue,
bylines), photo credits, "Related" markers and the lists after them, and runs of
headline-like lines. Cross-document: short lines that recur in several reports
(site chrome shared by pages of one outlet) and headlines that share no content
word with the story the cluster is about.

Which rules run is a `Profile`: plain text runs them all; text trafilatura took from a
page runs the few that the dev pages, cross-validated, show to cut noise there and not
story (`newsweave eval extraction --removed`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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

# Every rule by the reason it writes beside a dropped line, and whether it asks if a line is
# on the story's topic (the story's vocabulary, computed only when such a rule runs).
_ASKS_VOCABULARY = {
    "related-marker": False,
    "related-list": True,
    "chrome": False,
    "credit": False,
    "title-repeat": False,
    "shared-chrome": False,
    "fragment": False,
    "headline-list": True,
    "headline": True,
    "unrelated-headline": True,
}
RULES = tuple(_ASKS_VOCABULARY)
_VOCAB_RULES = frozenset(r for r, asks in _ASKS_VOCABULARY.items() if asks)


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Which rules run, and their thresholds: plain text keeps every rule; HTML, whose
    chrome trafilatura has already cut away by the page's structure, runs fewer."""

    rules: frozenset[str] = frozenset(RULES)
    headline_run: int = HEADLINE_RUN
    max_fragment_words: int = MAX_FRAGMENT_WORDS


TEXT_PROFILE = Profile()
# Chosen on the dev pages of both extraction sets by forward selection, cross-validated by
# page (`newsweave eval extraction`, docs/evaluation.md): only the furniture rule (buttons,
# prompts, bylines, sign-offs, player residue) pays on text trafilatura took from HTML; the
# list, headline and fragment rules dropped more story than noise there (subheads, Q&A lines,
# product lists, tweets), every fold agreed.
HTML_PROFILE = Profile(rules=frozenset({"chrome"}))


def profile_for(article: Article) -> Profile:
    """The profile an article's source calls for."""
    return HTML_PROFILE if article.source_format == "html" else TEXT_PROFILE


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


def clean(articles: Sequence[Article], *, profile: Profile | None = None) -> tuple[CleanedArticle, ...]:
    """Clean every article of one story, using the others as context; each article by the
    profile of its source unless one profile is given."""
    profiles = [profile or profile_for(a) for a in articles]
    needs_vocab = any(p.rules & _VOCAB_RULES for p in profiles)
    vocab = story_vocabulary(articles) if needs_vocab else set()
    chrome = shared_chrome(articles) if len(articles) > 1 else set()
    return tuple(
        clean_article(a, vocab=vocab, chrome=chrome, profile=p) for a, p in zip(articles, profiles, strict=True)
    )


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


# Characters that show nothing and split a word for every later stage ("The \u200bFlight
# Crew" gave the entity "Crew", multinews-dev 85d436ff69fd): zero-width space, word joiner,
# byte-order mark, soft hyphen. The zero-width (non-)joiners stay: Persian and emoji need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


def clean_article(
    article: Article, *, vocab: set[str], chrome: set[str] | None = None, profile: Profile = TEXT_PROFILE
) -> CleanedArticle:
    raw = unwrap(_INVISIBLE.sub("", article.text))
    verdict: list[str | None] = [None] * len(raw)  # None = keep, else the reason it was dropped
    title = _norm(article.title) if article.title else None
    chrome = chrome or set()

    on = profile.rules
    for i, ln in enumerate(raw):
        s = ln.strip()
        if s:
            verdict[i] = _line_rule(s, on, title=title, chrome=chrome, max_fragment_words=profile.max_fragment_words)

    if "related-list" in profile.rules:
        _drop_after_markers(raw, verdict, vocab)
    if "headline-list" in profile.rules:
        _drop_headline_runs(raw, verdict, vocab, profile.headline_run)
    for i, ln in enumerate(raw):
        s = ln.strip()
        if not on & {"headline", "unrelated-headline"}:
            break
        if verdict[i] is None and s and lines.is_headline_like(s) and lines.is_title_case(s):
            reason = "headline" if content_words(s) & vocab else "unrelated-headline"
            verdict[i] = reason if reason in profile.rules else None

    kept: list[str] = []
    removed: list[str] = []
    for i, ln in enumerate(raw):
        if verdict[i] is None:
            s = ln.strip()
            if s and "credit" in on and lines.is_credit(s):
                s = _CREDIT_TAIL.sub("", s)
            kept.append(s)
        else:
            removed.append(f"{verdict[i]}: {ln.strip()}")
    text = re.sub(r"\n{2,}", "\n", "\n".join(kept)).strip()
    return CleanedArticle(article=article, text=text, removed=tuple(removed))


def _line_rule(
    s: str, on: frozenset[str], *, title: str | None, chrome: set[str], max_fragment_words: int
) -> str | None:
    """The first enabled one-line rule that drops this (stripped, non-empty) line, if any;
    rules that are off cost nothing (the credit pattern is the dearest)."""
    n_words = len(lines.words(s))
    if "related-marker" in on and lines.RELATED_MARKER.match(s):
        return "related-marker"
    if "chrome" in on and lines.is_chrome(s):
        return "chrome"
    if "credit" in on and n_words <= MAX_CAPTION_WORDS and lines.is_credit(s):
        return "credit"
    if "title-repeat" in on and title and _norm(s) == title:
        return "title-repeat"
    if "shared-chrome" in on and _norm(s) in chrome:
        return "shared-chrome"
    if "fragment" in on and n_words <= max_fragment_words and not lines.has_sentence_end(s):
        return "fragment"
    return None


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


def _drop_headline_runs(raw: list[str], verdict: list[str | None], vocab: set[str], min_run: int) -> None:
    """Runs of min_run+ headline-like lines (blank lines and dropped chrome do not break a run)."""
    run: list[int] = []

    def flush() -> None:
        if len(run) >= min_run:
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
