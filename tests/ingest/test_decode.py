"""Decoding you can trust: each encoding news is published in, read right and named aloud."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsweave.ingest import load
from newsweave.ingest.decode import decode_text
from newsweave.model import Note
from tests.conftest import EXAMPLE, ROOT

FRENCH = "Le maire de Lyon a dit lundi que la réunion était très longue et que les élèves étaient déçus."


def test_latin1_is_read_as_cp1252_not_cp1250() -> None:
    got = decode_text(FRENCH.encode("latin-1"))
    assert got.text == FRENCH and "trčs" not in got.text
    assert got.encoding == "cp1252" and got.note == "not UTF-8, read as cp1252"
    short = decode_text("Il était très content.".encode("latin-1"))
    assert short.text == "Il était très content."


def test_cp1252_curly_quotes_and_euro() -> None:
    text = "The mayor called the “new law” a ‘disaster’ costing €5 million — for cafés, bars and hotels."
    got = decode_text(text.encode("cp1252"))
    assert got.text == text and got.encoding == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    text = "Bonjour: la réunion était très longue, 東京 too."
    data = text.encode(codec)
    if codec.endswith(("-le", "-be")):
        data = ("\ufeff" + text).encode(codec)
    got = decode_text(data)
    assert got.text == text
    assert got.encoding.startswith(codec[:6]) and got.note is not None and "not UTF-8" in got.note


@pytest.mark.parametrize(
    ("text", "codec", "named"),
    [
        ("東京都は月曜日、新しい防災計画を発表した。知事は記者会見で説明した。", "shift_jis", "cp932"),
        ("北京市政府周一宣布了新的交通计划，市长在新闻发布会上表示。", "gb18030", "gb18030"),
        ("台北市政府週一宣布新的交通計畫，市長在記者會上表示。", "big5", "big5"),
        ("서울시는 월요일 새로운 교통 계획을 발표했다고 시장이 기자회견에서 밝혔다.", "euc_kr", "cp949"),
        ("Мэр Москвы заявил в понедельник, что новый план транспорта будет принят.", "koi8_r", "koi8_r"),
        ("Мэр Москвы заявил в понедельник, что новый план транспорта будет принят.", "cp1251", "cp1251"),
        ("Příští týden se v Praze sejdou ministři zahraničí, řekl mluvčí úřadu vlády.", "cp1250", "cp1250"),
        ("Belediye başkanı pazartesi günü yeni ulaşım planının kabul edileceğini söyledi.", "cp1254", "cp1254"),
        ("Ο δήμαρχος της Αθήνας δήλωσε τη Δευτέρα ότι το νέο σχέδιο θα εγκριθεί.", "cp1253", "cp1253"),
    ],
)
def test_legacy_code_pages_of_news(text: str, codec: str, named: str) -> None:
    """Shift-JIS and the others; the cp1252 preference does not swallow real Czech or Turkish."""
    got = decode_text(text.encode(codec))
    assert got.text == text
    assert got.encoding == named and got.note == f"not UTF-8, read as {named}"


def test_mixed_bytes_stay_utf8_with_the_bad_bytes_replaced() -> None:
    good = "Le maire a dit que la réunion était très longue. « C’est fini », a-t-il ajouté. "
    data = good.encode("utf-8") * 3 + b"Caf\xe9 cr\xe8me \xff ferm\xe9."
    got = decode_text(data)
    assert got.encoding == "utf-8"
    assert got.text.startswith(good * 3)
    assert got.text.endswith("Caf\ufffd cr\ufffdme \ufffd ferm\ufffd.")
    assert got.note == "not valid UTF-8, 4 bad bytes replaced"


def test_clean_utf8_has_no_note() -> None:
    assert decode_text(FRENCH.encode()).note is None
    assert decode_text(b"\xef\xbb\xbf" + FRENCH.encode()) == decode_text(FRENCH.encode())


def test_declared_charset_wins_when_it_decodes() -> None:
    page = '<html><head><meta charset="windows-1250"></head><body><p>Dobrý den, Příští týden.</p></body></html>'
    got = decode_text(page.encode("cp1250"))
    assert "Příští" in got.text and got.encoding == "cp1250"
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><p>Il était très content.</p>'
    assert "très" in decode_text(xml.encode("latin-1")).text  # Latin-1 labels read as cp1252 (WHATWG)
    # a declaration the bytes do not fit is ignored, and so is one that cannot be true
    wrong = '<meta charset="gb2312"><p>Il était très content. Très.</p>'.encode("latin-1")
    assert "très" in decode_text(wrong).text
    utf16 = '<meta charset="utf-16"><p>Il était très content.</p>'.encode("latin-1")
    assert "très" in decode_text(utf16).text


def test_load_notes_non_utf8_files_without_skipping_them(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(("Lyon council vote\n\n" + FRENCH).encode("latin-1"))
    (tmp_path / "new.txt").write_text("Lyon council vote\n\nThe council of Lyon voted on Monday.", encoding="utf-8")
    heard: list[Note] = []
    got = load([tmp_path], on_note=heard.append)
    assert {a.id for a in got.articles} == {"old", "new"} and not got.skipped
    assert heard == list(got.notes) == [Note(path=str(tmp_path / "old.txt"), message="not UTF-8, read as cp1252")]
    old = next(a for a in got.articles if a.id == "old")
    assert "très longue" in old.text


def test_cli_names_the_encoding_on_stderr(latin1_run: subprocess.CompletedProcess[str]) -> None:
    assert "old.txt: not UTF-8, read as cp1252" in latin1_run.stderr


def test_cli_keeps_latin1_text_intact(latin1_run: subprocess.CompletedProcess[str]) -> None:
    """The reported failure, end to end in a real process: "très" came out as "trčs"."""
    assert latin1_run.returncode == 0, latin1_run.stderr
    assert "très longue" in latin1_run.stdout and "trčs" not in latin1_run.stdout


@pytest.fixture(scope="module")
def latin1_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    folder = tmp_path_factory.mktemp("latin1") / "story"
    shutil.copytree(EXAMPLE, folder)
    report = (
        "Harbour Line opening draws a French delegation\n\n"
        "CALDENPORT - The Harbour Line opened on Saturday and a delegation from Lyon rode the first train. "
        "« La réunion était très longue, mais le métro est très beau », said Élodie Marchand, "
        "the deputy mayor of Lyon, after the ride.\n"
    )
    (folder / "old.txt").write_bytes(report.encode("latin-1"))
    # HTML keeps every source sentence, so the decoded report is in the output whole
    return subprocess.run(
        [sys.executable, "-m", "newsweave", "brief", str(folder), "-f", "html"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
    )
