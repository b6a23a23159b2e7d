"""The contract every summarizer meets, and the registry CLI, API and eval read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from newsweave.model import Sentence, StoryText

# Sentences shorter than this are fragments (captions, "Iran denied it."), longer ones
# are run-ons that eat the budget; the window holds >95% of sentences in news prose.
MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 60


class Summarizer(Protocol):
    name: str

    def select(self, story: StoryText, budget: int) -> list[Sentence]:
        """The sentences of a summary of at most `budget` words, in any order."""
        ...


REGISTRY: dict[str, Callable[[], Summarizer]] = {}
# Modules a summarizer needs beyond the core install (see newsweave.extras).
REQUIRES: dict[str, tuple[str, ...]] = {}


def register(
    name: str, *, requires: tuple[str, ...] = ()
) -> Callable[[Callable[[], Summarizer]], Callable[[], Summarizer]]:
    def deco(factory: Callable[[], Summarizer]) -> Callable[[], Summarizer]:
        REGISTRY[name] = factory
        REQUIRES[name] = requires
        return factory

    return deco


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
