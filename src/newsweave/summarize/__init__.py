"""Summarizers behind one contract, chosen by name from REGISTRY."""

from newsweave.extras import require
from newsweave.model import StoryText
from newsweave.summarize import baselines, coverage  # noqa: F401  (register themselves)
from newsweave.summarize.base import REGISTRY, REQUIRES, Summarizer, fill_budget

__all__ = ["REGISTRY", "REQUIRES", "StoryText", "Summarizer", "check", "fill_budget", "get"]


def check(name: str) -> None:
    """KeyError for an unknown name, MissingExtra when its optional package is not installed."""
    if name not in REGISTRY:
        raise KeyError(f"unknown summarizer '{name}' (known: {', '.join(sorted(REGISTRY))})")
    require(f"the '{name}' summarizer", REQUIRES.get(name, ()))


def get(name: str) -> Summarizer:
    """The summarizer registered under `name`; KeyError lists the known names."""
    check(name)
    return REGISTRY[name]()
