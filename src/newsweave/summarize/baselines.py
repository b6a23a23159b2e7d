"""Baselines behind the same contract: Lead, Random, a MiniLM centroid with MMR, and sumy's
LexRank and TextRank.

sumy gets our sentences and a plain word tokenizer, so every system in a comparison
sees the same sentence split and needs no NLTK data download.
"""

from __future__ import annotations

import random
import re
from typing import Any

from newsweave.model import Sentence, StoryText
from newsweave.summarize.base import eligible, fill_budget

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


class _Tokenizer:
    """The two methods sumy's document model calls; sentences are already split."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return (text,)


class Lead:
    """First sentences of each article, round-robin across articles."""

    name = "lead"

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        queues = [[s for s in a.sentences if eligible(s)] for a in story.articles]
        ranked: list[Sentence] = []
        depth = 0
        while any(depth < len(q) for q in queues):
            ranked.extend(q[depth] for q in queues if depth < len(q))
            depth += 1
        return fill_budget(ranked, budget)


class Random:
    """Uniformly random sentences (seeded: the same input gives the same output)."""

    name = "random"

    def __init__(self, seed: int = 13) -> None:
        self.seed = seed

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        pool = [s for s in story.sentences() if eligible(s)]
        random.Random(self.seed).shuffle(pool)
        return fill_budget(pool, budget)


# MMR's trade-off between closeness to the story and novelty: 0.7, the value most often
# used since Carbonell & Goldstein (1998); not tuned on our dev sets.
MMR_LAMBDA = 0.7


class Centroid:
    """The embedding baseline a user would pick today: sentences close to the centroid of the
    story's MiniLM sentence embeddings (the same vectors newsweave compares sources with),
    chosen by maximal marginal relevance so that the next one is close to the story and far
    from those already chosen."""

    name = "centroid"

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        import numpy as np

        pool = [s for s in story.sentences() if eligible(s)]
        vecs = [story.features[s.id].vector for s in pool]
        if not pool or any(v is None for v in vecs):
            return Lead().select(story, budget)  # no embeddings (--no-embeddings): nothing to compare
        m = np.stack([v for v in vecs if v is not None]).astype(np.float64)
        c = m.mean(axis=0)
        c /= max(float(np.linalg.norm(c)), 1e-12)
        relevance = m @ c
        chosen: list[int] = []
        used = 0
        left = set(range(len(pool)))
        while left:
            fits = [i for i in sorted(left) if used + len(pool[i].text.split()) <= budget]
            if not fits:
                break
            near = (m[fits] @ m[chosen].T).max(axis=1) if chosen else np.zeros(len(fits))
            mmr = MMR_LAMBDA * relevance[fits] - (1 - MMR_LAMBDA) * near
            best = fits[int(np.argmax(mmr))]
            chosen.append(best)
            left.discard(best)
            used += len(pool[best].text.split())
        return [pool[i] for i in chosen] or fill_budget(pool, budget)


class _Sumy:
    name = "sumy"

    def _summarizer(self) -> Any:
        raise NotImplementedError

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph
        from sumy.models.dom import Sentence as SumySentence

        pool = [s for s in story.sentences() if eligible(s)]
        if not pool:
            return []
        tok = _Tokenizer()
        doc = ObjectDocumentModel([Paragraph([SumySentence(s.text, tok) for s in pool])])
        summarizer = self._summarizer()
        ratings = _ratings(summarizer, doc)
        # sumy keys ratings by sentence text; equal texts share a rating, which is fine for ranking.
        order = sorted(range(len(pool)), key=lambda i: -ratings.get(pool[i].text.strip(), 0.0))
        return fill_budget([pool[i] for i in order], budget)


def _ratings(summarizer: Any, doc: Any) -> dict[str, float]:
    captured: dict[str, float] = {}

    def capture(sentences: Any, count: Any, rating: Any, *args: Any, **kwargs: Any) -> tuple[()]:
        for s in sentences:
            captured[str(s)] = float(rating[s] if isinstance(rating, dict) else rating(s, *args, **kwargs))
        return ()

    summarizer._get_best_sentences = capture  # sumy only exposes top-k in document order
    summarizer(doc, 1)
    return captured


def _stemmed(cls: Any) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    s = cls(Stemmer("english"))
    s.stop_words = get_stop_words("english")
    return s


class LexRank(_Sumy):
    name = "lexrank"

    def _summarizer(self) -> Any:
        from sumy.summarizers.lex_rank import LexRankSummarizer

        return _stemmed(LexRankSummarizer)


class TextRank(_Sumy):
    name = "textrank"

    def _summarizer(self) -> Any:
        from sumy.summarizers.text_rank import TextRankSummarizer

        return _stemmed(TextRankSummarizer)
