"""Readers for evaluation sets written by others (never copied into the repo)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsweave.errors import DatasetError
from newsweave.model import Article


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryCluster:
    """Reports of one story and the human reference summaries written for them."""

    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]


def read_mds(path: str | Path, *, limit: int | None = None) -> Iterator[SummaryCluster]:
    """Multi-document summarization JSONL: Multi-News (`documents`: [str]) or AllSides
    (`documents`: [{title, text}]), with `summaries`: [str]."""
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"no such dataset file: {p}")
    n = 0
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                cid = str(rec.get("id", lineno))
                docs = rec["documents"]
                refs = rec["summaries"]
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise DatasetError(f"{p}:{lineno}: not a multi-document summarization record ({exc})") from None
            articles = []
            for j, doc in enumerate(docs):
                if isinstance(doc, dict):
                    text, title = str(doc.get("text") or ""), doc.get("title")
                else:
                    text, title = str(doc), None
                if text.strip():
                    articles.append(Article(id=f"d{j}", text=text, title=title or None))
            references = tuple(_reference(r) for r in (refs if isinstance(refs, list) else [refs]) if str(r).strip())
            if not articles or not references:
                continue
            yield SummaryCluster(id=cid, articles=tuple(articles), references=references)
            n += 1
            if limit is not None and n >= limit:
                return


def _reference(text: object) -> str:
    # Multi-News references open with an en dash ("– Unnamed officials say ...")
    return str(text).strip().lstrip("–—- ").strip()
