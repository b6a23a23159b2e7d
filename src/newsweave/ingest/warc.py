"""WARC archives (warcio): every HTML response record is one page, parsed like an .html file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from newsweave.errors import IngestError
from newsweave.ingest.decode import MAX_FILE_BYTES, decode
from newsweave.ingest.html import parse_html
from newsweave.model import Article, Skipped

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, *, warn: Callable[[Skipped], None], max_record: int = MAX_FILE_BYTES) -> Iterator[Article]:
    """Pages of one archive; a broken record ends the file with a warning, keeping what came before."""
    from warcio.archiveiterator import ArchiveIterator  # here, not at import: only archives need it
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    n = pages = 0
    with handle:
        try:
            for record in ArchiveIterator(handle):
                n += 1
                if n == 1 and record.format == "arc" and not path.name.lower().endswith((".arc", ".arc.gz")):
                    raise IngestError("not a readable WARC archive (no WARC header)")
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode() or ""
                if "html" not in ctype or not status.startswith("2"):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{n}"
                body = record.content_stream().read(max_record + 1)
                if len(body) > max_record:
                    warn(Skipped(path=where, reason="record too large"))
                    continue
                try:
                    article = parse_html(decode(body), article_id=f"{path.stem.split('.')[0]}-{n}", path=where, url=uri)
                except IngestError as exc:
                    warn(Skipped(path=where, reason=str(exc)))
                    continue
                pages += 1
                yield article
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, KeyError) as exc:
            # warcio raises AttributeError/KeyError on records with missing headers.
            if pages == 0 and n <= 1:
                raise IngestError(f"not a readable WARC archive ({exc})") from None
            warn(Skipped(path=f"{path}#{n + 1}", reason=f"broken WARC record, rest of file skipped ({exc})"))
            return
    if n == 0:
        raise IngestError("not a readable WARC archive (no records)")
