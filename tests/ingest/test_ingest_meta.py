"""`--meta` files: what a user writes by hand, read strictly and every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.ingest import MetaError, apply_meta, load, load_meta, unmatched
from tests.conftest import EXAMPLE, EXAMPLE_META


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_bundled_meta_file() -> None:
    meta = load_meta(EXAMPLE_META)
    assert meta["ledger-opening"]["outlet"] == "The Northern Ledger"
    arts = {a.id: a for a in apply_meta(load([EXAMPLE]).articles, meta)}
    assert arts["courier-preview"].outlet == "Caldenport Courier"
    assert unmatched(meta, arts) == []


def test_header_case_spaces_and_aliases(tmp_path: Path) -> None:
    p = write(tmp_path, "m.csv", "ID , Source,Date,Headline\nledger-opening,Ledger,14 March 2026,The line opens\n")
    assert load_meta(p) == {
        "ledger-opening": {"outlet": "Ledger", "published": "2026-03-14", "title": "The line opens"}
    }


def test_every_problem_of_a_csv_is_listed(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "m.csv",
        "id,outlet,published,colour,url\n"
        "a,Courier,not-a-date,red,https://courier.example/a\n"
        ",Ledger,2026-03-14,,\n"
        "c,Wire,2026-02-30,,ftp://wire.example/c\n"
        "a,Courier,2026-03-12,,\n",
    )
    with pytest.raises(MetaError) as exc:
        load_meta(p)
    problems = exc.value.problems
    assert problems[0].endswith("unknown column 'colour' (known: id, outlet, title, published, url, author)")
    assert any(":2: published 'not-a-date' is not a date" in x for x in problems)
    assert any(":3: no article id" in x for x in problems)
    assert any(":4: published '2026-02-30' is not a date" in x for x in problems)
    assert any(":4: url 'ftp://wire.example/c' is not an http(s) address" in x for x in problems)
    assert any(":5: id 'a' appears twice" in x for x in problems)
    assert len(problems) == 6


def test_csv_without_id_column(tmp_path: Path) -> None:
    with pytest.raises(MetaError, match="CSV needs an 'id' column"):
        load_meta(write(tmp_path, "m.csv", "name,outlet\na,Courier\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["a", "b"]', "item 1: expected an object of fields, not text"),
        ('"just text"', "expected an object keyed by article id, or a list of objects"),
        ('{"a": "Courier"}', "'a': expected an object of fields, not text"),
        ('{"a": {"outlet": ["x"]}}', "'a': outlet must be text, not a list"),
        ('{"a": {"outlett": "Courier"}}', "'a': unknown field 'outlett'"),
        ('{"a": {"outlet": "Courier",}}', "invalid JSON"),
        ("{}", "no metadata records"),
    ],
)
def test_wrong_json_is_refused_with_its_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(MetaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_meta(write(tmp_path, "m.json", text))


def test_json_list_form(tmp_path: Path) -> None:
    p = write(tmp_path, "m.json", '[{"id": "a", "outlet": "Courier", "date": "2026-03-12T08:00:00Z"}]')
    assert load_meta(p) == {"a": {"outlet": "Courier", "published": "2026-03-12"}}


def test_many_problems_are_capped(tmp_path: Path) -> None:
    rows = "".join(f"r{i},bad-date-{i}\n" for i in range(50))
    with pytest.raises(MetaError) as exc:
        load_meta(write(tmp_path, "m.csv", "id,published\n" + rows))
    assert len(exc.value.problems) == 21 and exc.value.problems[-1] == "... and 30 more problem(s)"


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(MetaError, match="no such metadata file"):
        load_meta(tmp_path / "nope.csv")
    p = tmp_path / "m.csv"
    p.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(MetaError, match="binary"):
        load_meta(p)


def test_a_field_over_the_csv_limit_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    # found by `make fuzz`: the csv module refuses fields over 128 KB with _csv.Error
    p = write(tmp_path, "m.csv", 'id,title\na,"' + "x" * 200_000 + '"\n')
    with pytest.raises(MetaError, match="not a readable CSV"):
        load_meta(p)
