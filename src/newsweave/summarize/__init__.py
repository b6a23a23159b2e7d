"""Summarizers behind one contract, chosen by name from REGISTRY."""

from newsweave.summarize import baselines, coverage  # noqa: F401  (register themselves)
from newsweave.summarize.base import REGISTRY, StoryText, Summarizer, fill_budget

__all__ = ["REGISTRY", "StoryText", "Summarizer", "fill_budget", "get"]


def get(name: str) -> Summarizer:
    """The summarizer registered under `name`; KeyError lists the known names."""
    try:
        return REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown summarizer '{name}' (known: {', '.join(sorted(REGISTRY))})") from None
