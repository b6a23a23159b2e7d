"""The brief pipeline: many reports of one story in, one attributed account out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave import clean as clean_stage
from newsweave import ingest, summarize
from newsweave.analysis import analyze as analyze_story
from newsweave.analysis import coherence
from newsweave.analysis.event import ANTICIPATING_HEADLINE
from newsweave.analysis.event import stance as event_stance
from newsweave.analysis.support import features, idf, supporters
from newsweave.model import (
    AnalyzedArticle,
    Article,
    Brief,
    CleanedArticle,
    Note,
    Progress,
    Resolved,
    Sentence,
    Skipped,
    SourceInfo,
    StoryText,
    SummarySentence,
)
from newsweave.nlp import language
from newsweave.nlp.embed import MAX_EMBEDDED_SENTENCES, Encoder, load_encoder
from newsweave.nlp.entities import entity_terms, resolve
from newsweave.summarize.base import DEFAULT_WORDS

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_WORDS", "ProgressFn", "brief"]


# Told where the brief is: `str(p)` is one line ("analysing language: 120,000/510,000 words").
# Called at every stage and, inside a long stage, after each part of its work (a batch of
# paragraphs, 1,024 sentences encoded, 2,000 claim units): a few times a second at most.
ProgressFn = Callable[[Progress], None]


def brief(
    inputs: Sequence[str | Path] | Sequence[Article],
    *,
    words: int = DEFAULT_WORDS,
    summarizer: str = "newsweave",
    meta: dict[str, dict[str, str]] | None = None,
    nlp: Language | None = None,
    encoder: Encoder | None = None,
    embeddings: bool = True,
    analysis: bool = True,
    on_skip: Callable[[Skipped], None] | None = None,
    on_note: Callable[[Note], None] | None = None,
    exclude: Sequence[str | Path] = (),
    progress: ProgressFn | None = None,
) -> Brief:
    """Build the brief of one story.

    Stages:
      1. ingest   files and folders (.txt/.md, .html, .jsonl) to Articles, bad files skipped
      2. clean    drop page furniture, credits, link lists, using the other reports as context
                  and warn when some reports share little with the others (not one story?)
      3. language sentences, content lemmas and entity mentions (spaCy)
      4. entities one canonical entity per real-world name across spellings and sources
      5. support  which sources carry the information of each sentence (words, entities, embeddings)
      6. select   the summarizer picks sentences under the word budget
      7. cite     order the sentences and cite every source that supports each
      8. analyse  claims (corroborated, single-source, disputed, superseded), quotes with
                  speakers, stance per source, the event, a timeline, per-source coverage
                  (skipped with `analysis=False`)
    """
    if words < 1:
        raise ValueError("the word budget must be at least 1")
    tell = progress or _silent
    skipped: list[Skipped] = []

    def skip(s: Skipped) -> None:
        skipped.append(s)
        if on_skip:
            on_skip(s)

    tell(Progress(stage="reading"))
    if inputs and all(isinstance(x, Article) for x in inputs):
        articles = tuple(x for x in inputs if isinstance(x, Article))
    else:
        loaded = ingest.load(
            [x for x in inputs if not isinstance(x, Article)],
            on_skip=skip,
            on_note=on_note,
            exclude=[Path(x) for x in exclude],
        )
        articles = loaded.articles
    if meta:
        articles = ingest.apply_meta(articles, meta)
    if not articles:
        raise ingest.IngestError("no articles given")

    tell(Progress(stage="reading", done=len(articles), total=len(articles), unit="reports"))
    story = prepare(articles, nlp=nlp, encoder=encoder, embeddings=embeddings, on_skip=skip, progress=tell)
    tell(Progress(stage="summarizing", done=len(story.text.features), unit="sentences"))
    chosen = summarize.get(summarizer).select(story.text, words)
    summary = cite(chosen, story.text)
    analyzed, cleaned, resolved = story.text.articles, story.cleaned, story.resolved
    title, title_source = headline(analyzed)
    found = None
    if analysis:
        found = analyze_story(story.text, resolved, title=title, progress=tell)
    removed = Counter(r.split(":", 1)[0] for c in cleaned for r in c.removed)
    return Brief(
        title=title,
        title_source=title_source,
        summary=summary,
        sources=tuple(_source_info(a) for a in analyzed),
        entities=resolved.entities,
        skipped=tuple(skipped),
        summarizer=summarizer,
        words=sum(len(s.text.split()) for s in summary),
        cleaning=dict(sorted(removed.items())),
        analysis=found,
        texts={a.id: tuple((s.id, s.text, s.start, s.end) for s in a.sentences) for a in analyzed},
        warnings=story.warnings,
    )


def _silent(_: Progress) -> None:
    return None


def _counts(tell: ProgressFn, stage: str, unit: str) -> Callable[[int, int], None]:
    """A stage's (done, total) reports as Progress records."""
    return lambda done, total: tell(Progress(stage=stage, done=done, total=total, unit=unit))


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedStory:
    """Everything before selection: shared by the brief and by `newsweave eval`, so every
    summarizer in a comparison sees the same cleaning, sentences and features."""

    cleaned: tuple[CleanedArticle, ...]
    resolved: Resolved
    text: StoryText
    warnings: tuple[str, ...] = ()  # what the brief must tell its reader (see `Brief.warnings`)


def prepare(
    articles: Sequence[Article],
    *,
    nlp: Language | None = None,
    encoder: Encoder | None = None,
    embeddings: bool = True,
    on_skip: Callable[[Skipped], None] | None = None,
    progress: ProgressFn | None = None,
) -> PreparedStory:
    """Stages 2-5 of `brief`: clean, language, entities, support features."""
    tell = progress or _silent
    tell(Progress(stage="cleaning", done=0, total=len(articles), unit="reports"))
    cleaned = []
    for c in clean_stage.clean(articles):
        if c.text.strip():
            cleaned.append(c)
        elif on_skip:
            on_skip(Skipped(path=c.article.path or c.id, reason="no story text left after cleaning"))
    if not cleaned:
        raise ingest.IngestError("no story text left after cleaning")
    warnings: list[str] = []
    odd = coherence.warning(coherence.odd_ones(cleaned), len(cleaned))
    if odd:
        warnings.append(odd)

    tell(Progress(stage="analysing language", done=0, unit="words"))
    analyzed = language.analyze(
        cleaned,
        nlp,
        progress=_counts(tell, "analysing language", "words"),
    )
    n_sentences = sum(len(a.sentences) for a in analyzed)
    tell(Progress(stage="merging entities", done=n_sentences, unit="sentences"))
    resolved = resolve(analyzed)
    if embeddings and n_sentences > MAX_EMBEDDED_SENTENCES:
        embeddings = False
        warnings.append(
            f"{n_sentences:,} sentences: above {MAX_EMBEDDED_SENTENCES:,}, sources were compared by words and "
            "names only (no sentence embeddings), to bound the time"
        )
    if embeddings and encoder is None:
        tell(Progress(stage="loading the embedding model"))
        encoder = load_encoder()
    tell(Progress(stage="comparing sources", done=0, total=n_sentences, unit="sentences"))
    feats = features(
        analyzed,
        entity_terms(analyzed, resolved),
        encoder if embeddings else None,
        progress=_counts(tell, "comparing sources", "sentences"),
    )
    text = StoryText(articles=analyzed, features=feats, weights=idf(feats))
    return PreparedStory(cleaned=tuple(cleaned), resolved=resolved, text=text, warnings=tuple(warnings))


def cite(chosen: Sequence[Sentence], story: StoryText) -> tuple[SummarySentence, ...]:
    """Stage 7: reading order, and every supporting source for each sentence."""
    order = [a.id for a in story.articles]
    support = {s.id: supporters(s.id, story.features, story.weights, order) for s in chosen}
    return tuple(
        SummarySentence(
            text=s.text,
            origin=s.id,
            sources=support[s.id].sources,
            evidence=support[s.id].evidence,
            single_source=len(story.articles) > 1 and len(support[s.id].sources) == 1,
        )
        for s in _reading_order(chosen, story.articles, {k: len(v.sources) for k, v in support.items()})
    )


def _reading_order(
    chosen: Sequence[Sentence], analyzed: Sequence[AnalyzedArticle], n_sources: dict[str, int]
) -> list[Sentence]:
    """Earlier in its report first (stories open with the news); at the same depth, what
    more sources report first, then earlier reports first."""
    length = {a.id: max(len(a.sentences), 1) for a in analyzed}
    rank = {a.id: i for i, a in enumerate(analyzed)}
    ordered = sorted(
        chosen,
        key=lambda s: (round(s.index / length[s.article_id], 1), -n_sources.get(s.id, 1), rank[s.article_id]),
    )
    # A sentence that continues the one before it in its report stays right after it
    # ("The union alleged ..." then "The company denied ...").
    by_pos = {(s.article_id, s.index): s for s in ordered}
    runs: list[list[Sentence]] = []
    for s in ordered:
        if (s.article_id, s.index - 1) in by_pos:
            continue
        run = [s]
        nxt = by_pos.get((s.article_id, s.index + 1))
        while nxt is not None:
            run.append(nxt)
            nxt = by_pos.get((nxt.article_id, nxt.index + 1))
        runs.append(run)
    return [s for run in _full_names_first(runs) for s in run]


def _full_names_first(runs: list[list[Sentence]]) -> list[list[Sentence]]:
    """A run of sentences that names a person in full ("Samir al-Haddad, the chief
    executive") comes before an earlier run that calls them by surname alone ("Haddad said"),
    so that a reader meets the name before the short form. Hand-written: an editorial rule of
    our own account."""
    persons = [[m.text for s in run for m in s.mentions if m.label == "PERSON"] for run in runs]
    order = list(range(len(runs)))  # positions in `runs`, in reading order
    # Each run moves once at most, and a moved run pulls no other before it: two runs that each
    # name the other's person in full would otherwise swap for ever.
    moved: set[int] = set()
    i = 0
    while i < len(order):
        if order[i] in moved:
            i += 1
            continue
        names = persons[order[i]]
        wanting = {n for n in names if " " not in n and not any(_surname_of(f, n) for f in names)}
        later = next(
            (
                j
                for j in range(i + 1, len(order))
                if order[j] not in moved and any(_surname_of(f, n) for f in persons[order[j]] for n in wanting)
            ),
            None,
        )
        if later is None:
            i += 1
            continue
        moved.add(order[later])
        order.insert(i, order.pop(later))  # then read the moved run's own short names in turn
    return [runs[k] for k in order]


def _surname_of(full: str, short: str) -> bool:
    """ "Samir al-Haddad" is the full name of "Haddad" (and of "al-Haddad")."""
    last = full.split()[-1] if " " in full else ""
    return bool(last) and (last == short or last.split("-")[-1] == short.split("-")[-1])


def headline(analyzed: Sequence[AnalyzedArticle]) -> tuple[str | None, str | None]:
    """The source headline that best names what the reports share (never an invented one),
    from a report of the event when one exists (`analysis.event.stance`); a caption or a
    fragment is no headline, and none is better than one."""
    titled = [a for a in analyzed if a.article.title and _real_headline(a.article.title)]
    reporting = [a for a in titled if event_stance(a).stance == "reports"]
    titled = reporting or titled
    if not titled:
        return None, None
    df: Counter[str] = Counter()
    for a in analyzed:
        df.update({t for s in a.sentences for t in s.terms})
    nlp_terms = {a.id: {w.lower().strip(".,:;'\"’") for w in (a.article.title or "").split()} for a in titled}

    def score(a: AnalyzedArticle) -> float:
        ws = nlp_terms[a.id]
        forward = ANTICIPATING_HEADLINE.search(a.article.title or "") is not None
        return float(sum(df.get(w, 0) for w in ws) / max(len(ws), 1) ** 0.5 * (0.5 if forward else 1.0))

    best = max(titled, key=score)
    return best.article.title, best.id


# A headline names something and says something of it: at least this many words.
MIN_HEADLINE_WORDS = 4


def _real_headline(title: str) -> bool:
    """Not a caption ("Jane Roe, 32, of Springfield"), player text or a short fragment."""
    from newsweave.summarize.readable import furniture

    return len(title.split()) >= MIN_HEADLINE_WORDS and not furniture(title)


def _source_info(a: AnalyzedArticle) -> SourceInfo:
    art = a.article
    return SourceInfo(
        id=art.id,
        outlet=art.outlet,
        title=art.title,
        published=art.published,
        url=art.url,
        author=art.author,
        words=len(a.cleaned.text.split()),
    )
