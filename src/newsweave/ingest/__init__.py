"""Readers: files and folders of .txt/.md, .html and .jsonl to Articles.

One bad file never stops a run: it becomes a `Skipped` record with its reason and
the rest is read. Only a missing path, or nothing usable at all, is fatal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from newsweave.errors import IngestError
from newsweave.ingest.decode import (
    HEAD_BYTES,
    MAX_FILE_BYTES,
    OWN_OUTPUT_REASON,
    decode_text,
    read_bytes,
    written_by_newsweave,
)
from newsweave.ingest.feeds import FEED_SUFFIXES, fetch, is_url, looks_like_feed, read_feed
from newsweave.ingest.html import parse_html
from newsweave.ingest.jsonl import read_jsonl
from newsweave.ingest.meta import META_FIELDS, MetaError, apply_meta, load_meta, unmatched
from newsweave.ingest.text import parse_text
from newsweave.ingest.warc import is_warc, read_warc
from newsweave.model import Article, Note, Skipped

__all__ = [
    "META_FIELDS",
    "IngestError",
    "Ingested",
    "MetaError",
    "apply_meta",
    "discover",
    "is_url",
    "iter_source",
    "load",
    "load_meta",
    "read_source",
    "unmatched",
]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# Files found in folders that describe the folder rather than report news.
NOT_ARTICLES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE", "AUTHORS", "CONTRIBUTING"})
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingested:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[Note, ...] = ()  # inputs read all the same, with a remark (e.g. not UTF-8)


def discover(paths: Iterable[str | Path], *, exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Skipped]]:
    """Expand folders recursively (sorted, hidden files ignored); a missing path is fatal.

    Files in `exclude` (the run's own output file) are left out without a word: they are
    not inputs, and a second run must see exactly what the first saw."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    excluded = {_same_file_key(Path(x)) for x in exclude}
    for p in map(Path, (x for x in paths if not is_url(str(x)))):
        if not p.exists():
            raise IngestError(f"no such file or folder: {p}")
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if _same_file_key(f) in excluded:
                    continue
                if f.stem.upper() in NOT_ARTICLES:
                    skipped.append(Skipped(path=str(f), reason="not an article (project file)"))
                elif f.suffix.lower() in SUPPORTED or is_warc(f):
                    files.append(f)
                elif f.suffix.lower() == ".json" and _head_is_own_output(f):
                    skipped.append(Skipped(path=str(f), reason=OWN_OUTPUT_REASON))
                else:
                    skipped.append(Skipped(path=str(f), reason=f"unsupported file type '{f.suffix or f.name}'"))
        elif _same_file_key(p) not in excluded:
            files.append(p)
    return files, skipped


def _same_file_key(path: Path) -> Path:
    """One key per file however it is spelled (relative, via symlinks)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return path.absolute()


def _head_is_own_output(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return written_by_newsweave(fh.read(HEAD_BYTES))
    except OSError:
        return False


def load(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    exclude: Iterable[Path] = (),
    on_skip: Callable[[Skipped], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_note: Callable[[Note], None] | None = None,
) -> Ingested:
    """Read every article under `paths`; raises IngestError only when nothing usable remains.

    `exclude`: files never read (pass the output file); `on_note` hears of inputs read
    with a remark (an encoding other than UTF-8, bytes replaced), one Note per file."""
    paths = list(paths)
    files, skipped = discover(paths, exclude=exclude)
    notes: list[Note] = []

    def warn(s: Skipped) -> None:
        skipped.append(s)
        if on_skip:
            on_skip(s)

    def note(n: Note) -> None:
        notes.append(n)
        if on_note:
            on_note(n)

    for s in list(skipped):
        if on_skip:
            on_skip(s)
    articles: list[Article] = []
    urls = [str(x) for x in paths if is_url(str(x))]
    sources: list[str | Path] = [*urls, *files]
    for f in sources:
        if on_file:
            on_file(Path(f) if isinstance(f, str) else f)
        try:
            for article in iter_source(f, warn=warn, max_bytes=max_bytes, note=note):
                articles.append(article)  # one by one: a file failing part-way keeps what came before
        except IngestError as exc:
            warn(Skipped(path=str(f), reason=str(exc)))
    articles = _unique_ids(articles)
    if not articles:
        names = ", ".join(str(p) for p in paths)
        detail = f" ({len(skipped)} file(s) skipped)" if skipped else ""
        raise IngestError(f"no usable articles in {names}{detail}")
    return Ingested(articles=tuple(articles), skipped=tuple(skipped), notes=tuple(notes))


def read_source(
    source: str | Path,
    *,
    warn: Callable[[Skipped], None],
    max_bytes: int = MAX_FILE_BYTES,
    note: Callable[[Note], None] | None = None,
) -> list[Article]:
    """Articles of one file or feed URL (what one worker does with one unit of an archive);
    a bad file raises IngestError, bad records inside it go to `warn`."""
    return list(iter_source(source, warn=warn, max_bytes=max_bytes, note=note))


def iter_source(
    source: str | Path,
    *,
    warn: Callable[[Skipped], None],
    max_bytes: int = MAX_FILE_BYTES,
    note: Callable[[Note], None] | None = None,
) -> Iterator[Article]:
    """`read_source` one article at a time, as read: a huge JSONL or WARC is never held whole,
    so an ingest can commit its first batch before the file's end (errors surface on iteration)."""
    if is_url(str(source)):
        found: Iterable[Article] = read_feed(fetch(str(source)), source=str(source), warn=warn, note=note)
    else:
        found = _read_file(Path(source), max_bytes=max_bytes, warn=warn, note=note)
    for a in found:
        if a.text.strip():
            yield a
        else:
            warn(Skipped(path=a.path or str(source), reason="no article text"))


def _read_file(
    path: Path, *, max_bytes: int, warn: Callable[[Skipped], None], note: Callable[[Note], None] | None = None
) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, stem=path.stem, warn=warn)
        return
    if is_warc(path):
        yield from read_warc(path, warn=warn)
        return
    data = read_bytes(path, max_bytes)
    if written_by_newsweave(data):
        raise IngestError(OWN_OUTPUT_REASON)
    if suffix in FEED_SUFFIXES or looks_like_feed(data):
        yield from read_feed(data, source=str(path), warn=warn, note=note)
        return
    decoded = decode_text(data)
    text = decoded.text
    if not text.strip():
        raise IngestError("empty file")
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        article = parse_html(text, article_id=path.stem, path=str(path))
    else:
        article = parse_text(text, article_id=path.stem, path=str(path))
    if decoded.note and note:  # only for a file that is used: a skipped one has its reason
        note(Note(path=str(path), message=decoded.note))
    yield article


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _unique_ids(articles: list[Article]) -> list[Article]:
    """Ids are file stems; two files with one stem in different folders get -2, -3 ..."""
    seen: dict[str, int] = {}
    out: list[Article] = []
    for a in articles:
        n = seen.get(a.id, 0) + 1
        seen[a.id] = n
        out.append(a if n == 1 else replace(a, id=f"{a.id}-{n}"))
    return out
