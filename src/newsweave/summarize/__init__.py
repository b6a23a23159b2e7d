"""Summarizers behind one contract, chosen by name: NAMES is the list every surface reads
(the CLI's --summarizer, `newsweave eval summaries`, brief()).

The registry names where each summarizer lives instead of importing it, so that reading the
names (for --help or a usage check) costs nothing and a summarizer's module, with what it
imports, loads only when that summarizer is asked for.
"""

from __future__ import annotations

import importlib

from newsweave.extras import require
from newsweave.model import StoryText
from newsweave.summarize.base import Summarizer, fill_budget

# name -> (module, class, modules it needs beyond the core install: see newsweave.extras)
_SPECS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "newsweave": ("newsweave.summarize.learned", "Learned", ()),
    "lexrank": ("newsweave.summarize.baselines", "LexRank", ("sumy",)),
    "textrank": ("newsweave.summarize.baselines", "TextRank", ("sumy",)),
    "centroid": ("newsweave.summarize.baselines", "Centroid", ()),
    "lead": ("newsweave.summarize.baselines", "Lead", ()),
    "random": ("newsweave.summarize.baselines", "Random", ()),
}
NAMES: tuple[str, ...] = tuple(_SPECS)
REQUIRES: dict[str, tuple[str, ...]] = {name: spec[2] for name, spec in _SPECS.items()}

__all__ = ["NAMES", "REQUIRES", "StoryText", "Summarizer", "check", "fill_budget", "get"]


def check(name: str) -> None:
    """KeyError for an unknown name, MissingExtra when its optional package is not installed."""
    if name not in _SPECS:
        raise KeyError(f"unknown summarizer '{name}' (known: {', '.join(sorted(NAMES))})")
    require(f"the '{name}' summarizer", REQUIRES[name])


def get(name: str) -> Summarizer:
    """The summarizer registered under `name`; KeyError lists the known names."""
    check(name)
    module, cls, _ = _SPECS[name]
    factory = getattr(importlib.import_module(module), cls)
    summarizer: Summarizer = factory()
    return summarizer
