"""Per-article features for story clustering: the part of stream work that parallelizes.

Everything here depends on one article only, so it can run on any Dask worker and be
stored; clustering (`newsweave.stories.cluster`) then needs no model and no raw text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash

from newsweave.clean import clean
from newsweave.lexicon import STOP_WORDS
from newsweave.model import Article, ArticleFeatures
from newsweave.nlp.entities import name_tokens

# The lead carries the entities that name a story; NER on the whole text costs 3-5x more
# and mostly adds entities of background paragraphs.
NER_CHARS = 3000
# Leads per nlp.pipe batch: 16, 64 and 256 ran within 10% of each other on the bench_stream
# pool (NER only, 2-core machine); 64 keeps a batch's memory small.
NER_BATCH = 64
NER_LABELS = frozenset({"PERSON", "GPE", "LOC", "ORG", "FAC", "NORP", "EVENT", "PRODUCT"})
# Title words say what the story is about more than body words do.
TITLE_WEIGHT = 3
MINHASH_PERM = 64
MINHASH_SCHEME = "affine32"  # datasketch 2.0's default, named so stored values stay readable
SHINGLE = 4
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_terms(text: str) -> Iterator[str]:
    return _content(words(text))


def _content(tokens: Iterable[str]) -> Iterator[str]:
    for w in tokens:
        w = w.removesuffix("'s")
        if len(w) > 2 and w not in STOP_WORDS:
            yield w


def content_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def day_number(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal() - date(1970, 1, 1).toordinal()
    except ValueError:
        return None


def entity_key(label: str, surface: str) -> str | None:
    """People by surname (so "Vladimir Putin", "Mr. Putin" and "Putin's" meet), the rest by
    their folded name."""
    toks = name_tokens(surface)
    if not toks:
        return None
    kind = {"GPE": "place", "LOC": "place", "FAC": "place"}.get(label, label.lower())
    key = toks[-1] if label == "PERSON" else " ".join(toks)
    key = re.sub(r"^the ", "", key)
    return f"{kind}:{key}" if len(key) > 1 else None


def _shingles(tokens: Sequence[str]) -> list[bytes]:
    grams = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
    return [g.encode("utf-8") for g in grams]


def minhash(tokens: Sequence[str]) -> tuple[int, ...]:
    return minhashes([tokens])[0]


def minhashes(token_lists: Sequence[Sequence[str]]) -> list[tuple[int, ...]]:
    """MinHash values of each token list (datasketch's `MinHash.bulk`: the permutations are set
    up once for all, not once per article; the values are those of one MinHash per article)."""
    sketches = MinHash.bulk(
        (_shingles(toks) for toks in token_lists), num_perm=MINHASH_PERM, seed=1, scheme=MINHASH_SCHEME
    )
    return [tuple(m.hashvalues.tolist()) for m in sketches]


def as_minhash(values: Sequence[int]) -> LeanMinHash:
    """Stored values back into a sketch (LeanMinHash: no permutation set-up, 60x faster)."""
    return LeanMinHash(seed=1, scheme=MINHASH_SCHEME, hashvalues=np.asarray(values, dtype=np.uint64))


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """MinHash estimate of the Jaccard similarity of two shingle sets."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def lead(article: Article, text: str) -> str:
    """What NER reads of an article: its title and the first NER_CHARS of its cleaned text."""
    return f"{article.title or ''}\n{text[:NER_CHARS]}"


def entity_counts(
    leads: Sequence[str], nlp: Any | None = None, *, batch_size: int = NER_BATCH, n_process: int = 1
) -> list[Counter[str]]:
    """Entity keys of each lead, counted, from one batched `nlp.pipe` run of the NER alone.

    `nlp` defaults to the model loaded with NER only (`load_model(NER_ONLY)`); a fuller
    pipeline may be given and runs with every other component disabled: en_core_web_sm's NER
    has its own embedding layer, so its entities are the same either way."""
    if nlp is None:
        from newsweave.nlp.language import NER_ONLY, load_model

        nlp = load_model(NER_ONLY)
    out: list[Counter[str]] = []
    with nlp.select_pipes(disable=[name for name in nlp.pipe_names if name != "ner"]):
        for doc in nlp.pipe(leads, batch_size=batch_size, n_process=n_process):
            counts: Counter[str] = Counter()
            for ent in doc.ents:
                if ent.label_ in NER_LABELS:
                    key = entity_key(ent.label_, ent.text)
                    if key:
                        counts[key] += 1
            out.append(counts)
    return out


def extract(
    articles: Sequence[Article], *, nlp: Any | None = None, entities: bool = True, n_process: int = 1
) -> list[ArticleFeatures]:
    """Features of each article, cleaned on its own (no story context exists yet)."""
    texts = [clean([a])[0].text or a.text for a in articles]
    if entities:
        ents = entity_counts([lead(a, t) for a, t in zip(articles, texts, strict=True)], nlp, n_process=n_process)
    else:
        ents = [Counter() for _ in articles]
    toks = [words(t) for t in texts]
    sketches = minhashes(toks)
    out: list[ArticleFeatures] = []
    for a, text, words_, ec, sketch in zip(articles, texts, toks, ents, sketches, strict=True):
        terms = Counter(_content(words_))
        for t in content_terms(a.title or ""):
            terms[t] += TITLE_WEIGHT
        out.append(
            ArticleFeatures(
                article_id=a.id,
                content_hash=content_hash(text),
                day=day_number(a.published),
                terms=tuple(sorted(terms.items())),
                entities=tuple(sorted(ec.items())),
                minhash=sketch,
                words=len(words_),
            )
        )
    return out


def chunks(items: Sequence[Article], size: int) -> Iterable[Sequence[Article]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


__all__ = [
    "ArticleFeatures",
    "chunks",
    "content_hash",
    "day_number",
    "entity_counts",
    "entity_key",
    "extract",
    "jaccard",
    "lead",
    "minhashes",
]
