"""Optional parts of newsweave: which extra installs a module, and one line saying so.

`pip install .` gives the brief and the story store; Dask for `newsweave batch` comes with
`newsweave[dask]`, and the evaluation baselines (sumy's LexRank/TextRank, rouge-score,
readability-lxml, scikit-learn's clustering scores) with `newsweave[eval]`. A command
that needs one of them checks before any work, so a user learns what to install at
once, not from a traceback minutes later.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

from newsweave.errors import MissingExtra

# import name -> (distribution on PyPI, the extra of newsweave that installs it)
EXTRAS: dict[str, tuple[str, str]] = {
    "sumy": ("sumy", "eval"),
    "nltk": ("nltk", "eval"),
    "rouge_score": ("rouge-score", "eval"),
    "readability": ("readability-lxml", "eval"),
    "psutil": ("psutil", "eval"),
    "sklearn": ("scikit-learn", "eval"),
    "dask": ("dask", "dask"),
    "distributed": ("distributed", "dask"),
}


def missing(purpose: str, module: str) -> MissingExtra:
    """The error for `module` not installed, naming the extra that brings it."""
    dist, extra = EXTRAS.get(module, (module, "eval"))
    return MissingExtra(purpose, module, dist, extra)


def installed(module: str) -> bool:
    """Whether `module` can be imported, without importing it (find_spec reads no code)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(purpose: str, modules: Iterable[str]) -> None:
    """Raise MissingExtra for the first of `modules` that is not installed."""
    for m in modules:
        if not installed(m):
            raise missing(purpose, m)


def explain(exc: ModuleNotFoundError) -> str | None:
    """The one-line install hint for an import that failed mid-run, or None if it is no extra of ours."""
    root = (exc.name or "").split(".")[0]
    if root not in EXTRAS:
        return None
    return str(missing("this command", root))
