"""The contract every summarizer meets (the registry is `newsweave.summarize.NAMES`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from newsweave.model import Sentence, StoryText

# The summary's word budget by default: 150 words reads in under a minute and holds the
# who/what/when/where of a story.
DEFAULT_WORDS = 150
# Sentences shorter than this are fragments (captions, "Iran denied it."), longer ones
# are run-ons that eat the budget; the window holds >95% of sentences in news prose.
MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 60


class Summarizer(Protocol):
    name: str

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        """The sentences of a summary of at most `budget` words, in any order."""
        ...


def words(text: str) -> int:
    return len(text.split())


def eligible(s: Sentence) -> bool:
    n = words(s.text)
    return MIN_SENTENCE_WORDS <= n <= MAX_SENTENCE_WORDS


def fill_budget(ranked: Sequence[Sentence], budget: int) -> list[Sentence]:
    """Take sentences in rank order while they fit the word budget (never split one)."""
    chosen: list[Sentence] = []
    used = 0
    for s in ranked:
        n = words(s.text)
        if used + n <= budget:
            chosen.append(s)
            used += n
        if budget - used < MIN_SENTENCE_WORDS:
            break
    if not chosen and ranked:
        chosen.append(ranked[0])  # a budget smaller than every sentence still yields one
    return chosen
