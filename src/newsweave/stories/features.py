"""Per-article features for story clustering: the part of stream work that parallelizes.

Everything here depends on one article only, so it can run on any Dask worker and be
stored; clustering (`newsweave.stories.cluster`) then needs no model and no raw text.
Entities come from capitalized word runs of the lead by default (no model; spaCy's NER on
request), each article on its own: no gazetteer learned from the stream, so a feature never
depends on which articles came before or on which worker computed it.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash

from newsweave.clean import clean
from newsweave.lexicon import HONORIFICS, MONTH_NAMES, STOP_WORDS, WEEKDAY_NAMES
from newsweave.model import Article, ArticleFeatures
from newsweave.nlp.entities import name_tokens

# The lead carries the entities that name a story; NER on the whole text costs 3-5x more
# and mostly adds entities of background paragraphs. Names are read from the same lead
# (on the whole text: WikiRef220 77.90 against 77.07, Multi-News and AllSides unchanged,
# for twice the cost: benchmarks/tune_entities.py).
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


# Terms are word prefixes of this length (a truncation stemmer, as in analysis.claim_stance:
# "payrolls"/"payroll", "restores"/"restoring"/"restored" meet): AllSides dev B-cubed F1 +0.8 over
# whole words (5 and 6 letters tried, and 7 and 8; `newsweave eval clustering --grid`).
STEM_LETTERS = 5
# Figures are terms, and entities too ("num:136000"), beside names.
NUMBER_TERMS = True
NUMBER_ENTITIES = True
# Figures name an event as sharply as names do: this month's jobs report ("136,000 jobs", "3.5%")
# against last month's, which share every word. Thousands separators dropped; one-digit numbers
# (list items, "2 weeks") say little.
_NUMBER = re.compile(r"(?<![\w.,/-])\d[\d,]*(?:\.\d+)?(?![\w/-])")


def numbers(text: str) -> Iterator[str]:
    for m in _NUMBER.finditer(text):
        n = m.group().replace(",", "").rstrip(".")
        if len(n) > 1:
            yield n


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_terms(text: str) -> Iterator[str]:
    return _content(words(text))


def _content(tokens: Iterable[str]) -> Iterator[str]:
    for w in tokens:
        w = w.removesuffix("'s")
        if len(w) > 2 and w not in STOP_WORDS:
            yield w[:STEM_LETTERS] if STEM_LETTERS else w


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
    if len(tokens) <= SHINGLE:
        return [" ".join(tokens).encode("utf-8")]
    # the windows of SHINGLE tokens: the shifted copies stop with the shortest
    grams = {" ".join(g) for g in zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)}
    return [g.encode("utf-8") for g in grams]


def _sha1_32(shingles: Iterable[bytes]) -> list[int]:
    """datasketch's default hash (`sha1_hash32`: the first 4 bytes of SHA-1, little-endian) of
    every shingle in one comprehension: the same values, without a Python call per shingle."""
    sha1, unpack = hashlib.sha1, _U32.unpack_from
    return [unpack(sha1(g).digest())[0] for g in shingles]


_U32 = struct.Struct("<I")


def minhash(tokens: Sequence[str]) -> tuple[int, ...]:
    return minhashes([tokens])[0]


def minhashes(token_lists: Sequence[Sequence[str]]) -> list[tuple[int, ...]]:
    """MinHash values of each token list (datasketch's `MinHash.bulk`: the permutations are set
    up once for all, not once per article; the values are those of one MinHash per article)."""
    sketches = MinHash.bulk(
        (_sha1_32(_shingles(toks)) for toks in token_lists),
        num_perm=MINHASH_PERM,
        seed=1,
        scheme=MINHASH_SCHEME,
        hashfunc=int,  # the values are hashed already (`_sha1_32`)
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


# A capitalized word: an upper-case letter of any script first, then letters, digits, inner
# apostrophes and hyphens, or an initialism with its dots ("U.S."). Names are runs of such
# words one space apart.
_CAP_WORD = re.compile(r"(?<![\w'’.-])(?:(?:[^\W\d_a-z]\.){2,}|[^\W\d_a-z](?:[\w'’-]*[^\W_])?)")
_RUN_GAP = frozenset(" \u00a0")
# What may stand between a sentence's start and its first word: opening quotes and brackets.
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;•|—–]|\n)[\s\"'“‘(\[]*$")
# Capitalized words that are not names: stop words (capitalized when they open a sentence or
# a title: "The", "But") and the calendar ("Monday", "January").
NOT_NAMES = frozenset({*STOP_WORDS, *WEEKDAY_NAMES, *(m for names in MONTH_NAMES for m in names)})


def name_runs(text: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Runs of capitalized words ("Russian President Vladimir Putin"), each with whether it is one
    word opening a sentence (so possibly an ordinary word capitalized by its place: "Officials").
    A word of `NOT_NAMES` or any punctuation ends a run."""
    run: list[str] = []
    initial = False
    end = -1
    for m in _CAP_WORD.finditer(text):
        word = m.group()
        spaced = m.start() == end + 1 and text[end] in _RUN_GAP
        if run and not (spaced or _after_honorific(text, run, end, m.start())):
            yield tuple(run), initial and len(run) == 1
            run = []
        if word.lower() in NOT_NAMES:
            if run:
                yield tuple(run), initial and len(run) == 1
            run = []
            continue
        if not run:
            initial = _OPENS_SENTENCE.search(text, max(0, m.start() - 8), m.start()) is not None
        run.append(word)
        end = m.end()
    if run:
        yield tuple(run), initial and len(run) == 1


def _after_honorific(text: str, run: list[str], end: int, start: int) -> bool:
    """ "Mr. Putin": the dot of an honorific does not end the name it opens."""
    return run[-1].lower() in HONORIFICS and text[end:start] in {". ", ".\u00a0"}


def name_key(tokens: Sequence[str]) -> str | None:
    """The key of a capitalized run: its folded name without titles, possessives and particles
    ("President Putin's" -> "name:putin"), like `entity_key` but of one kind."""
    toks = name_tokens(" ".join(tokens))
    key = " ".join(toks)
    return f"name:{key}" if len(key) > 1 else None


def name_counts(title: str, text: str) -> Counter[str]:
    """Names of an article's title and lead as capitalized word runs, counted; no model.

    A run counts when it is not one word opening a sentence, and then with every mention,
    sentence-initial ones included ("Putin said ..." after "President Putin")."""
    mentions = [(name_key(toks), initial) for toks, initial in name_runs(f"{title}\n{text[:NER_CHARS]}")]
    named = {key for key, initial in mentions if key and not initial}
    return Counter(key for key, _ in mentions if key in named)


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


# Entity signals `extract` can use. "names" (the default since issue 12, item 6): capitalized
# word runs, no model, 0.2 ms an article; B-cubed F1 on the dev pools Multi-News 85.94,
# AllSides 80.60, WikiRef220 77.07 against 85.94 / 79.68 / 72.49 with "ner" (spaCy's NER over
# the lead, 25 ms an article): benchmarks/tune_entities.py.
ENTITY_SIGNALS = ("names", "ner")
ENTITY_SIGNAL = "names"


def extract(
    articles: Sequence[Article],
    *,
    nlp: Any | None = None,
    entities: bool = True,
    n_process: int = 1,
    signal: str = ENTITY_SIGNAL,
) -> list[ArticleFeatures]:
    """Features of each article, cleaned on its own (no story context exists yet).

    `signal` names the entities' source (`ENTITY_SIGNALS`); `nlp` and `n_process` serve "ner"."""
    if signal not in ENTITY_SIGNALS:
        raise ValueError(f"unknown entity signal {signal!r} (known: {', '.join(ENTITY_SIGNALS)})")
    texts = [clean([a])[0].text or a.text for a in articles]
    ents: list[Counter[str]]
    if not entities:
        ents = [Counter() for _ in articles]
    elif signal == "names":
        ents = [name_counts(a.title or "", t) for a, t in zip(articles, texts, strict=True)]
    else:
        ents = entity_counts([lead(a, t) for a, t in zip(articles, texts, strict=True)], nlp, n_process=n_process)
    if NUMBER_ENTITIES:
        for a, t, ec in zip(articles, texts, ents, strict=True):
            ec.update(f"num:{n}" for n in numbers(f"{a.title or ''}\n{t[:NER_CHARS]}"))
    toks = [words(t) for t in texts]
    sketches = minhashes(toks)
    out: list[ArticleFeatures] = []
    for a, text, words_, ec, sketch in zip(articles, texts, toks, ents, sketches, strict=True):
        terms = Counter(_content(words_))
        if NUMBER_TERMS:
            terms.update(numbers(text))
        for t in content_terms(a.title or ""):
            terms[t] += TITLE_WEIGHT
        if NUMBER_TERMS:
            for t in numbers(a.title or ""):
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
    "ENTITY_SIGNAL",
    "ENTITY_SIGNALS",
    "NOT_NAMES",
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
    "name_counts",
    "name_key",
    "name_runs",
]
