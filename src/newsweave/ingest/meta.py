"""Per-article metadata given by the user (`--meta FILE`): CSV or JSON, validated whole.

A metadata file is a user's correction of what the reports say about themselves, so a
mistake in it must not pass silently: every problem (an unknown column, a date that is
no date, a row without id, a file of the wrong shape) is reported, one line each, before
any work starts. Ids that match no article are known only after reading; `unmatched`
lets the caller warn about them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from newsweave.errors import IngestError
from newsweave.ingest.decode import decode, read_bytes
from newsweave.ingest.jsonl import ALIASES, normalize_date
from newsweave.model import Article

META_FIELDS = ("outlet", "title", "published", "url", "author")
# Column or key names accepted for each field: the JSONL aliases, matched case-insensitively.
_NAMES: dict[str, str] = {alias: name for name in ("id", *META_FIELDS) for alias in ALIASES[name]}
# Problems listed before "... and N more": a wrong file can have thousands.
MAX_PROBLEMS = 20

Meta = dict[str, dict[str, str]]


class MetaError(IngestError):
    """A metadata file with problems; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(f"... and {len(problems) - MAX_PROBLEMS} more problem(s)")
        super().__init__("\n".join(self.problems))


def load_meta(path: str | Path) -> Meta:
    """Metadata per article id from a CSV (`id` + any of META_FIELDS) or JSON (an object keyed by
    id, or a list of objects with `id`); MetaError lists every problem."""
    p = Path(path)
    if not p.is_file():
        raise MetaError([f"no such metadata file: {p}"])
    try:
        text = decode(read_bytes(p))
    except IngestError as exc:
        raise MetaError([f"{p}: {exc}"]) from None
    problems: list[str] = []
    if p.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        records = _json_records(p, text)
    else:
        records = _csv_records(p, text, problems)
    return _validate(p, records, problems)


def _json_records(p: Path, text: str) -> list[tuple[str, object, object]]:
    """(where, id, fields) for each record of a JSON metadata file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetaError([f"{p}:{exc.lineno}: invalid JSON: {exc.msg}"]) from None
    if isinstance(data, dict):
        return [(f"{p}: {k!r}", k, v) for k, v in data.items()]
    if isinstance(data, list):
        return [_list_item(p, i, v) for i, v in enumerate(data, start=1)]
    kind = _kind(data)
    raise MetaError([f"{p}: expected an object keyed by article id, or a list of objects with an 'id', not {kind}"])


def _list_item(p: Path, i: int, v: object) -> tuple[str, object, object]:
    if not isinstance(v, dict):
        return f"{p}: item {i}", None, v
    key = next((k for k in v if _NAMES.get(str(k).strip().lower()) == "id"), None)
    return f"{p}: item {i}", v.get(key) if key else None, {k: x for k, x in v.items() if k != key}


def _csv_records(p: Path, text: str, problems: list[str]) -> list[tuple[str, object, object]]:
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:  # a field over the csv module's 128 KB limit: no metadata table
        raise MetaError([f"{p}: not a readable CSV ({exc})"]) from None
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise MetaError([f"{p}: empty metadata file"])
    header = [c.strip() for c in rows[0]]
    names = [_NAMES.get(c.lower()) for c in header]
    problems += [
        f"{p}: unknown column '{c}' (known: id, {', '.join(META_FIELDS)})"
        for c, n in zip(header, names, strict=True)
        if n is None and c
    ]
    if "id" not in names:
        raise MetaError([*problems, f"{p}: CSV needs an 'id' column (found: {', '.join(header) or 'none'})"])
    out: list[tuple[str, object, object]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            problems.append(f"{p}:{lineno}: {len(row)} values for {len(header)} columns")
            continue
        fields = {n: v for n, v in zip(names, row, strict=False) if n}
        out.append((f"{p}:{lineno}", fields.pop("id", ""), fields))
    return out


def _validate(p: Path, records: list[tuple[str, object, object]], problems: list[str]) -> Meta:
    meta: Meta = {}
    for where, raw_id, fields in records:
        if not isinstance(fields, dict):
            problems.append(f"{where}: expected an object of fields, not {_kind(fields)}")
            continue
        aid = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
        if not aid:
            problems.append(f"{where}: no article id")
            continue
        if aid in meta:
            problems.append(f"{where}: id '{aid}' appears twice")
            continue
        entry: dict[str, str] = {}
        for key, value in fields.items():
            name = key if key in META_FIELDS else _NAMES.get(str(key).strip().lower())
            if name is None or name == "id":
                problems.append(f"{where}: unknown field '{key}' (known: {', '.join(META_FIELDS)})")
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if not isinstance(value, str | int | float):
                problems.append(f"{where}: {name} must be text, not {_kind(value)}")
                continue
            v = str(value).strip()
            if name == "published":
                iso = normalize_date(v)
                if iso is None or not _valid_iso(iso):
                    problems.append(f"{where}: published '{v}' is not a date (use YYYY-MM-DD)")
                    continue
                v = iso
            elif name == "url" and not v.lower().startswith(("http://", "https://")):
                problems.append(f"{where}: url '{v}' is not an http(s) address")
                continue
            entry[name] = v
        meta[aid] = entry
    if problems:
        raise MetaError(problems)
    if not meta:
        raise MetaError([f"{p}: no metadata records"])
    return meta


def _valid_iso(iso: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(iso[:10])
    except ValueError:
        return False
    return True


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(type(value), type(value).__name__)


def apply_meta(articles: Iterable[Article], meta: Mapping[str, Mapping[str, str]]) -> tuple[Article, ...]:
    """Metadata given by the user wins over what was read from the files."""
    out = []
    for a in articles:
        m = meta.get(a.id, {})
        if "published" in m:
            m = {**m, "published": normalize_date(m["published"]) or m["published"]}
        out.append(replace(a, **m) if m else a)
    return tuple(out)


def unmatched(meta: Mapping[str, object], ids: Iterable[str]) -> list[str]:
    """Metadata ids that name no article read (a typo, or a report that was skipped)."""
    seen = set(ids)
    return sorted(k for k in meta if k not in seen)
