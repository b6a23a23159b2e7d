"""newsweave: many news reports of one story in, one account a reader can trust out."""

from newsweave.brief import DEFAULT_WORDS, brief
from newsweave.ingest import IngestError
from newsweave.model import Article, Brief, Entity, SourceInfo, SummarySentence

__version__ = "0.1.0"
__all__ = ["DEFAULT_WORDS", "Article", "Brief", "Entity", "IngestError", "SourceInfo", "SummarySentence", "brief"]
