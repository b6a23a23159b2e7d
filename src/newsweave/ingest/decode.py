"""Bytes to text: size limits, binary detection and encoding repair."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from newsweave.ingest.errors import IngestError

# A single news report is at most a few hundred KB even as raw HTML; 20 MB leaves room
# for inlined images and scripts while refusing logs, dumps and archives passed by mistake.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.02


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise IngestError(f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or whatever charset_normalizer finds."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise IngestError("binary file (not text)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            if best is None:
                raise IngestError("binary file or unknown text encoding") from None
            text = str(best)
    if text:
        control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
        if control / min(len(text), 20000) > MAX_CONTROL_SHARE:
            raise IngestError("binary file (not text)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    return decode(read_bytes(path, max_bytes))
