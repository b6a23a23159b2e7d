"""The data that flows between pipeline stages.

Every record is frozen, slotted and keyword-only so that a stage can never mutate
what an earlier stage produced, and every piece of text keeps its provenance
(article id, char start, char end) so any output can be traced to its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsweave.analysis import Analysis
from typing import Literal

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
    # each source's cleaned sentences as (sentence id, text): what citations point into
    texts: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
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
