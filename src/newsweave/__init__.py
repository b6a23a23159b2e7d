"""newsweave: many news reports of one story in, one account a reader can trust out.

Importing the package loads no model: `brief` (spaCy, the encoder) and the stories library
are imported when first used, so `import newsweave` and `newsweave --version` stay instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsweave.errors import IngestError, NewsweaveError, StoreError
from newsweave.model import Article, Brief, Entity, SourceInfo, SummarySentence
from newsweave.summarize.base import DEFAULT_WORDS

if TYPE_CHECKING:
    from newsweave.analysis.claim_stance import stance
    from newsweave.pipeline import brief

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_WORDS",
    "Article",
    "Brief",
    "Entity",
    "IngestError",
    "NewsweaveError",
    "SourceInfo",
    "StoreError",
    "SummarySentence",
    "brief",
    "stance",
]


def __getattr__(name: str) -> Any:
    # PEP 562: the pipeline is imported on first use of `newsweave.brief`, not with the package.
    if name == "brief":
        from newsweave.pipeline import brief

        return brief
    if name == "stance":  # the stance model (numpy trees, the encoder) on first use too
        from newsweave.analysis.claim_stance import stance

        return stance
    raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
