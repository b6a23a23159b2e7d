"""Bytes to text: size limits, binary detection, encodings we can trust, and our own output.

The order of trust (`decode_text`):
  1. a byte-order mark (UTF-8, UTF-32, UTF-16): the file says what it is;
  2. strict UTF-8: any other encoding producing valid UTF-8 by chance is vanishingly rare;
  3. the charset an HTML `<meta>` or XML declaration names, when the bytes decode under it;
  4. UTF-8 with a few bad bytes (replaced), when most non-ASCII characters are valid UTF-8;
  5. charset_normalizer, restricted to the code pages news is written in, then our
     Western-European preference (cp1252 over cp1250 and kin when its letters make sense).
Every result that is not clean UTF-8 carries a note for the user, never silence.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from newsweave.errors import IngestError

# A single news report is at most a few hundred KB even as raw HTML; 20 MB leaves room
# for inlined images and scripts while refusing logs, dumps and archives passed by mistake.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.02
# Bytes searched for a declared charset and for the generator mark of our own output.
HEAD_BYTES = 4096
# The detector reads this much: enough for any code page to show, and bounded time on 20 MB.
DETECT_BYTES = 256 * 1024

# Code pages news text is published in, and nothing else: charset_normalizer unrestricted
# reads French as cp1250 and Russian as cp932. Western European (cp1252, which Latin-1
# labels mean in practice), Central European, Cyrillic, Greek, Turkish, Baltic, Hebrew,
# Arabic, Japanese, Chinese and Korean.
NEWS_ENCODINGS = (
    "cp1252",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp932",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
)
# Single-byte Latin pages whose bytes cp1252 also decodes: where cp1252 is preferred.
LATIN_PAGES = frozenset({"cp1250", "iso8859_2", "cp1254", "cp1257", "iso8859_15", "latin_1"})

# Mostly-UTF-8 bytes: at least this many valid non-ASCII characters per invalid byte means a
# UTF-8 file with a few damaged bytes, not another code page. Legacy CJK text read as UTF-8
# gives ~1 accidental valid character per 5 invalid bytes, Latin-1 text ~0 (measured on
# Shift-JIS, GB18030, Big5, EUC-KR, cp1250 and Latin-1 news sentences).
MIXED_UTF8_VALID_PER_BAD = 4

# Letters of the languages written in Latin code pages; a word whose accented letters all
# belong to one of them "makes sense". Used only to choose between two Latin readings.
# Icelandic is left out on purpose: its ð, þ, ý are what Turkish ğ, ş, ı become in cp1252,
# and Turkish news is far more common than Icelandic.
ALPHABETS = tuple(
    frozenset(a)
    for a in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíóúñü",  # Spanish
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "áéíóúèëïöü",  # Dutch
        "æøåéó",  # Danish, Norwegian
        "åäöé",  # Swedish
        "åäöšž",  # Finnish
        "àçèéíïòóúü",  # Catalan
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "ąćęłńóśźż",  # Polish
        "áéíóöőúüű",  # Hungarian
        "ăâîșşțţ",  # Romanian
        "čćđšž",  # Croatian, Slovenian, Bosnian
        "çğıöşüâî",  # Turkish
        "äöõüšž",  # Estonian
        "āčēģīķļņšūž",  # Latvian
        "ąčęėįšųūž",  # Lithuanian
    )
)
# WHATWG Encoding Standard: browsers read these labels as windows-1252, and so do we.
_AS_CP1252 = frozenset({"latin_1", "ascii", "iso8859_1"})

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""", re.I)

# The marks render/ writes into every output (HTML meta, JSON key, Markdown comment);
# tests/render/test_render.py checks that each rendered format is recognised here.
_OWN_OUTPUT = re.compile(
    rb"""<meta\s[^>]{0,80}name=["']?generator["']?\s[^>]{0,80}content=["']?newsweave\b"""
    rb"""|<meta\s[^>]{0,80}content=["']?newsweave\b[^>]{0,80}name=["']?generator\b"""
    rb"""|"generator"\s*:\s*"newsweave\b"""
    rb"""|<!--\s*generator:\s*newsweave\b""",
    re.I,
)
OWN_OUTPUT_REASON = "written by newsweave; not a source"
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape kept aside
_NON_ASCII = re.compile("[^\x00-\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text with the encoding it was read in and, when the user should know, why."""

    text: str
    encoding: str  # Python codec name: utf-8, cp1252, shift_jis ...
    note: str | None = None  # set whenever the text is not clean UTF-8


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


def written_by_newsweave(data: bytes) -> bool:
    """True when the bytes carry the generator mark of a brief newsweave rendered."""
    return bool(_OWN_OUTPUT.search(data[:HEAD_BYTES]) or _OWN_OUTPUT.search(data[-HEAD_BYTES:]))


def decode(data: bytes) -> str:
    """The text of `data` (see `decode_text`), without the note."""
    return decode_text(data).text


def decode_text(data: bytes) -> Decoded:
    """Decode by the order of trust in the module docstring; binary data raises IngestError."""
    decoded = _decode(data)
    text = decoded.text
    if text:
        control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
        if control / min(len(text), 20000) > MAX_CONTROL_SHARE:
            raise IngestError("binary file (not text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, encoding=decoded.encoding, note=decoded.note)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    return decode(read_bytes(path, max_bytes))


def _decode(data: bytes) -> Decoded:
    bom = _by_bom(data)
    if bom is not None:
        return bom
    if b"\x00" in data[:8192]:
        raise IngestError("binary file (not text)")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(data[:HEAD_BYTES])
    if declared and declared != "utf-8":
        try:
            return Decoded(text=data.decode(declared), encoding=declared, note=f"not UTF-8, read as {declared}")
        except (UnicodeDecodeError, LookupError):  # LookupError: a bytes-to-bytes codec ("hex")
            pass  # a wrong declaration: detect as if there were none
    good, bad = _utf8_damage(data)
    if good >= MIXED_UTF8_VALID_PER_BAD * bad or declared == "utf-8":
        return Decoded(
            text=data.decode("utf-8", errors="replace"),
            encoding="utf-8",
            note=f"not valid UTF-8, {bad} bad byte{'s' if bad != 1 else ''} replaced",
        )
    encoding = _detect(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # the detector read a prefix; a later byte does not fit
        text = data.decode(encoding, errors="replace")
    return Decoded(text=text, encoding=encoding, note=f"not UTF-8, read as {encoding}")


def _by_bom(data: bytes) -> Decoded | None:
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            name = codec.replace("-sig", "")
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
                return Decoded(text=text, encoding=name, note=f"not valid {name.upper()}, bad bytes replaced")
            return Decoded(text=text, encoding=name, note=None if name == "utf-8" else f"not UTF-8, read as {name}")
    return None


def _declared(head: bytes) -> str | None:
    """The codec an HTML meta or XML declaration names, if Python knows it."""
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = {"utf-8-sig": "utf-8", "iso8859-1": "latin_1", "us-ascii": "ascii"}.get(name, name).replace("-", "_")
    if name == "utf_8":
        return "utf-8"
    if name.startswith(("utf_16", "utf_32")):
        return None  # declared in ASCII bytes, so not true (the WHATWG rule reads it as UTF-8)
    return "cp1252" if name in _AS_CP1252 else name


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid bytes) when `data` is read as UTF-8."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(text))
    return len(_NON_ASCII.findall(text)) - bad, bad


def _detect(data: bytes) -> str:
    sample = data[:DETECT_BYTES]
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    matches = list(from_bytes(sample, cp_isolation=list(NEWS_ENCODINGS)))
    if not matches:
        raise IngestError("binary file or unknown text encoding")
    best = matches[0]
    encoding: str = best.encoding
    if encoding not in LATIN_PAGES:
        return encoding
    # Our policy, not the detector's: in Western news cp1252 is by far the likeliest Latin
    # page, and cp1250 & co. decode the same bytes to other letters ("très" -> "trčs").
    # cp1252 wins unless the other reading has more words that make sense. (The detector's
    # coherence score is no tie-breaker: on short or markup-heavy text it is noise.)
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        return encoding
    other = str(best)
    if western == other:
        return "cp1252"
    return "cp1252" if _plausible_share(western) >= _plausible_share(other) else encoding


def _plausible_share(text: str) -> float:
    """Share of words with accented letters whose accents all belong to one language."""
    total = ok = 0
    for token in text.split():
        word = _strip_punctuation(token)
        accented = {ch for ch in word.lower() if ord(ch) > 127}
        if not accented:
            continue
        total += 1
        letters = {ch for ch in accented if ch.isalpha()}
        inner_punct = {ch for ch in accented - letters if unicodedata.category(ch).startswith("P")}
        if letters | inner_punct == accented and any(letters <= a for a in ALPHABETS):
            ok += 1
    return ok / total if total else 1.0


def _strip_punctuation(token: str) -> str:
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] in "PS":
        end -= 1
    return token[start:end]
