"""The data that flows between pipeline stages.

Every record is frozen, slotted and keyword-only so that a stage can never mutate
what an earlier stage produced, and every piece of text keeps its provenance
(article id, char start, char end) so any output can be traced to its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vectors = NDArray[np.float32]  # unit-length sentence embeddings, one row per sentence

EntityType = Literal["PERSON", "PLACE", "ORG"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One report as read from disk, before cleaning."""

    id: str
    text: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    url: str | None = None
    author: str | None = None
    path: str | None = None  # where it was read from, for messages only
    # "html" when trafilatura extracted the text from a page (its chrome is already cut by the
    # page's structure, so cleaning runs fewer line rules); "text" for plain-text reports.
    source_format: str = "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An input that could not be used, and why: nothing is dropped silently."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A remark about an input that was used all the same (its encoding, replaced bytes):
    the user hears of it, unlike a `Skipped` input the file is not dropped."""

    path: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanedArticle:
    """An article with its story text only; `removed` keeps what cleaning dropped."""

    article: Article
    text: str
    removed: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One surface occurrence of a named entity in a sentence."""

    text: str  # surface form as written, possessive stripped
    label: str  # spaCy label (PERSON, GPE, ORG, ...)
    start: int  # char offsets in the cleaned article text
    end: int
    # What the name does in its clause, spaCy's dependency label read through coordination and
    # apposition ("Putin and Pezeshkian signed": both "nsubj"; "a University of Virginia
    # student": "compound"; "signed by Putin": "agent"); "" when no parse gave one.
    role: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence with provenance and the lexical features later stages compare."""

    id: str  # "<article id>:<index>"
    article_id: str
    index: int
    text: str
    start: int
    end: int
    terms: tuple[str, ...]  # content lemmas in order (lower-cased)
    mentions: tuple[Mention, ...] = ()
    paragraph_start: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """One real-world entity under its canonical name, with every variant seen."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    mentions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyzedArticle:
    """An article after the language stage."""

    cleaned: CleanedArticle
    sentences: tuple[Sentence, ...]

    @property
    def id(self) -> str:
        return self.cleaned.article.id

    @property
    def article(self) -> Article:
        return self.cleaned.article


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    """A summary sentence: the text of `origin`, cited to every source that supports it."""

    text: str
    origin: str  # sentence id the text was taken from
    sources: tuple[str, ...]  # article ids, the origin's article first
    evidence: tuple[str, ...] = ()  # sentence ids in other sources that carry the same information
    single_source: bool = False  # only its own source carries it, among several reports: shown as such


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceInfo:
    """What the output says about one input report."""

    id: str
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    words: int
    author: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    """The result of the brief pipeline for one story."""

    title: str | None
    title_source: str | None
    summary: tuple[SummarySentence, ...]
    sources: tuple[SourceInfo, ...]
    entities: tuple[Entity, ...]
    skipped: tuple[Skipped, ...] = ()
    summarizer: str = "newsweave"
    words: int = 0
    cleaning: dict[str, int] = field(default_factory=dict)
    analysis: Analysis | None = None  # claims, quotes, stance, event, timeline, coverage
    # each source's cleaned sentences as (sentence id, text, start, end), offsets into that
    # source's cleaned text: what every citation, claim, quote and timeline entry points into
    texts: dict[str, tuple[tuple[str, str, int, int], ...]] = field(default_factory=dict)
    # what a reader must know about this brief ("reports 'a', 'c' share little with the
    # others: is this one story?"), one line each
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    """How far a brief has come: a stage and, inside a long one, a count
    (`str()` gives "analysing language: 120,000/510,000 words")."""

    stage: str
    done: int | None = None
    total: int | None = None
    unit: str = ""

    def __str__(self) -> str:
        if self.done is None:
            return self.stage
        count = f"{self.done:,}" if self.total is None else f"{self.done:,}/{self.total:,}"
        return f"{self.stage}: {count} {self.unit}".rstrip()


# ---- nlp: Granularity, TimeExpr

Granularity = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpr:
    """A resolved temporal expression: `value` is YYYY-MM-DD, YYYY-MM or YYYY."""

    text: str
    start: int
    end: int
    value: str
    granularity: Granularity
    qualifier: str | None = None  # early / mid / late, as written
    relative: bool = False  # resolved from the publication date, not written in full


# ---- nlp: Resolved


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolved:
    entities: tuple[Entity, ...]
    by_mention: dict[tuple[str, int], str]  # (article id, mention start) -> entity id


# ---- analysis: SentenceFeatures


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceFeatures:
    sentence: Sentence
    units: frozenset[str]  # lemmas + "@entity-id"
    future: bool
    denial: bool
    allegation: bool = False
    vector: Vectors | None = None  # unit-length sentence embedding, when an encoder ran
    numbers: frozenset[str] = frozenset()  # "41,000", "2.1": a supporter must state them too


# ---- summarize: StoryText


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryText:
    """What a summarizer sees: analysed articles and their sentence features."""

    articles: tuple[AnalyzedArticle, ...]
    features: Mapping[str, SentenceFeatures]
    weights: Mapping[str, float]

    def sentences(self) -> list[Sentence]:
        return [s for a in self.articles for s in a.sentences]


# ---- analysis: Status, Modality, Claim

Status = Literal["corroborated", "single-source", "disputed", "superseded"]


Modality = Literal["report", "expectation", "allegation", "denial"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    id: str
    text: str
    status: Status
    modality: Modality
    sources: tuple[str, ...]  # every source that carries it, independent or not
    independent_sources: int
    evidence: tuple[str, ...]  # unit ids ("<sentence id>" or "<sentence id>.<clause>") per source
    contradicted_by: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()  # claims that say what became of this expectation, closest first
    resolved_by: tuple[str, ...] = ()  # the sources of those fulfilling reports (not every source of the claims)
    resolved_evidence: tuple[str, ...] = ()  # per source in resolved_by, its closest fulfilling unit id
    group: int = 0  # claims of one group speak of the same thing


def sentence_id(unit_id: str) -> str:
    """The sentence of a claim unit: "<article>:<index>" itself, or a clause "<article>:<index>.<k>"."""
    head, _, tail = unit_id.rpartition(":")
    return f"{head}:{tail.split('.')[0]}" if head else unit_id


# ---- analysis: QuoteOccurrence, Quote


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteOccurrence:
    article_id: str
    sentence: str  # sentence id
    start: int  # char offsets of the quoted words in the cleaned article text
    end: int
    speaker_id: str | None
    cue: str  # the pattern that named the speaker, for explanation


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    text: str
    speaker: str | None  # canonical entity name
    speaker_id: str | None
    sources: tuple[str, ...]
    occurrences: tuple[QuoteOccurrence, ...]
    partial: bool  # a fragment inside the writer's own sentence
    # PERSON when the speaker is a person, whatever type spaCy's labels gave the entity
    # ("Rachel Borch" tagged ORG, "Spokesperson Esmail Baghaei"); else the entity's type
    speaker_type: EntityType | None = None


# ---- analysis: Stance, SourceStance, Event

Stance = Literal["anticipates", "reports"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceStance:
    source: str
    stance: Stance
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    title: str | None
    date: str | None
    place: str | None
    participants: tuple[str, ...]
    sources: tuple[str, ...]  # the reports that state it happened


# ---- analysis: DatedSentence, TimelineEntry


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedSentence:
    id: str
    article_id: str
    published: date | None
    text: str
    approximate: bool = False  # `published` is only known to within days


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY
    granularity: Granularity
    text: str
    sources: tuple[str, ...]  # articles that mention this date, the entry's own first
    sentence: str  # sentence id the text was taken from
    mentions: int


# ---- analysis: SourceCoverage, Analysis


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceCoverage:
    source: str
    share: float  # of the story's main claims (carried by two or more sources), this one's part
    unique_claims: tuple[str, ...]  # claim ids only this source carries
    missing_claims: tuple[str, ...]  # main claim ids it leaves out
    stance: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    event: Event
    stances: tuple[SourceStance, ...]
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEntry, ...]
    coverage: tuple[SourceCoverage, ...]
    published: dict[str, str | None]  # publication date used per source (given or inferred)
    inferred_dates: tuple[str, ...]  # sources whose date was inferred from the other reports


# ---- stories: FEATURES_VERSION, ArticleFeatures

FEATURES_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFeatures:
    """What the clusterer needs to know about one article."""

    article_id: str
    content_hash: str  # sha1 of the cleaned text, whitespace- and case-folded
    day: int | None  # publication date as days since 1970-01-01
    terms: tuple[tuple[str, int], ...]  # term counts, title terms weighted
    entities: tuple[tuple[str, int], ...]  # entity keys ("person:putin", "gpe:tehran") with counts
    minhash: tuple[int, ...]  # datasketch MinHash values of word shingles (near-duplicates)
    words: int

    def to_json(self) -> dict[str, Any]:
        return {
            "v": FEATURES_VERSION,
            "article_id": self.article_id,
            "content_hash": self.content_hash,
            "day": self.day,
            "terms": [list(t) for t in self.terms],
            "entities": [list(e) for e in self.entities],
            "minhash": list(self.minhash),
            "words": self.words,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleFeatures:
        return cls(
            article_id=d["article_id"],
            content_hash=d["content_hash"],
            day=d["day"],
            terms=tuple((str(t), int(n)) for t, n in d["terms"]),
            entities=tuple((str(e), int(n)) for e, n in d["entities"]),
            minhash=tuple(int(h) for h in d["minhash"]),
            words=int(d["words"]),
        )


# ---- stories: Assignment


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    article_id: str
    story: int
    score: float  # similarity to the story it joined (1.0 for a copy, 0.0 for a new story)
    new: bool
    copy_of: str | None = None


# ---- stories: IngestReport


@dataclass(slots=True, kw_only=True)
class IngestReport:
    run: int
    added: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    new_stories: int = 0
    updated_stories: set[int] = field(default_factory=set)
    merges: int = 0
    splits: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "added": self.added,
            "duplicates": self.duplicates,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "new_stories": self.new_stories,
            "updated_stories": len(self.updated_stories),
            "merges": self.merges,
            "splits": self.splits,
        }


# ---- stories: the library's records (Story, StoryPage, StoryArticle, StoryChange, Run, StoredBrief)
# What `newsweave.stories` returns, what `--format json` prints and what the REST API serves:
# one `to_json()` per record, so the three surfaces cannot drift.


def _fields_json(record: Any, *, last: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every field of a record in declaration order, tuples as lists, the fields named in
    `last` (long texts) at the end: a field added to a record reaches the JSON with it."""
    names = [f.name for f in fields(record) if f.name not in last] + list(last)
    values = ((n, getattr(record, n)) for n in names)
    return {n: list(v) if isinstance(v, tuple) else v for n, v in values}


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """One story as stored: its row, without its articles (`story_articles`)."""

    id: int
    title: str | None  # the most common headline of its reports (copies left out)
    size: int  # reports, copies included
    copies: int
    outlets: int
    first_published: str | None
    last_published: str | None
    first_seen: str
    updated: str
    version: int  # goes up whenever its reports change: a brief of an older version is stale
    state: str  # open, closed, merged

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """One page of a story listing; `next` is the cursor of the page after it (None: the last)."""

    stories: tuple[Story, ...]
    next: str | None

    def to_json(self) -> dict[str, Any]:
        return {"stories": [s.to_json() for s in self.stories], "next": self.next}


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryArticle:
    """A report of a story as stored, with how it joined (`copy_of`: the earlier article it copies)."""

    id: int  # the store's id, unique across runs
    ext_id: str  # the id it was read with (file name, JSONL id)
    text: str
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    author: str | None
    path: str | None
    copy_of: int | None
    score: float  # similarity to the story when it joined (1.0 for a copy, 0.0 for a new story)
    run: int
    added: str

    def to_article(self) -> Article:
        """As the brief pipeline reads it: known by its store id."""
        return Article(
            id=str(self.id),
            text=self.text,
            outlet=self.outlet,
            title=self.title,
            published=self.published,
            url=self.url,
            author=self.author,
            path=self.path,
        )

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self, last=("text",))


# What happened to a story, seen from it: created or updated (reports joined it in a run),
# merged (it absorbed `other`), merged_into (it went into `other`), split (`other` split off
# from it), split_from (it split off from `other`).
ChangeKind = Literal["created", "updated", "merged", "merged_into", "split", "split_from"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChange:
    kind: ChangeKind
    story: int
    other: int | None
    articles: int  # reports that joined (created, updated) or moved (merges, splits)
    run: int
    at: str  # when (the first change of its kind in that run)

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One ingest run; `status` reads `interrupted` for a run whose process is gone."""

    id: int
    started: str
    finished: str | None
    status: str  # running, done, failed, interrupted
    added: int
    duplicates: int
    skipped: int
    message: str | None
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredBrief:
    """A story's rendered brief and what it was built from; `rebuilt` says it was built now
    rather than read from the store's cache."""

    story: int
    version: int  # the story version it was built from
    words: int
    format: str  # markdown, json, html
    newsweave: str  # the newsweave version that built it
    created: str
    content: str
    warnings: tuple[str, ...]
    rebuilt: bool

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self, last=("content",))


# What a text does with a claim (newsweave.analysis.stance): states it as fact, attributes it
# (reports it as someone's claim, or discusses it without taking it on), denies it (reports it
# as false, denied or refuted), or is unrelated to it. FNC-1's agree/discuss/disagree/unrelated.
StanceLabel = Literal["states", "attributes", "denies", "unrelated"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimStance:
    """The stance of one text toward one claim, with the sentences that decided it."""

    label: StanceLabel
    probabilities: dict[str, float]  # every label's probability, summing to 1
    evidence: tuple[tuple[int, int], ...]  # (char start, char end) of the deciding sentences of the text
    cues: tuple[str, ...]  # denial, debunking, attribution and negation words in the evidence
    model: str  # the model file's name and version ("stance-fnc1-v1")

    def to_json(self) -> dict[str, Any]:
        out = _fields_json(self)
        out["evidence"] = [list(span) for span in self.evidence]
        return out
