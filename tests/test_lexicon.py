"""The lexicon: every word list once, in lexicon.py, and the stages' matchers built from it."""

from __future__ import annotations

import ast
import re
from itertools import combinations
from pathlib import Path

import pytest

import newsweave
from newsweave import lexicon
from newsweave.analysis import claims, event, quotes, support
from newsweave.clean import lines
from newsweave.nlp import dates
from newsweave.summarize import coverage

PACKAGE = Path(newsweave.__file__).parent
# A list this long shares this much of itself with another only when one was copied from the
# other: two stages tuning the same words apart, which the lexicon exists to prevent.
MIN_WORDS = 3
MAX_SHARED = 0.8
# Where word lists live: the lexicon and the stages that build matchers from words. The other
# folders (render, stories, web, eval) hold names of formats, tables and datasets, not words.
STAGES = ("lexicon.py", "nlp/", "clean/", "analysis/", "summarize/", "ingest/")


def _words(node: ast.expr) -> list[str] | None:
    """The strings of a literal collection of strings (with *-spliced literal tuples), else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple"):
        return _words(node.args[0]) if len(node.args) == 1 and not node.keywords else None
    if not isinstance(node, (ast.Set, ast.Tuple, ast.List)):
        return None
    out: list[str] = []
    for elt in node.elts:
        if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
            out.append(elt.value)
        elif isinstance(elt, ast.Starred) and (inner := _words(elt.value)) is not None:
            out.extend(inner)
        else:
            return None  # built from other names: derived, not a list of its own
    return out


def word_lists() -> dict[str, frozenset[str]]:
    """Every module-level literal collection of lower-case words in the package, by module:NAME.

    Upper-case strings are label schemes (spaCy's "PERSON", "GPE"), not words."""
    found: dict[str, frozenset[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if not str(path.relative_to(PACKAGE)).startswith(STAGES):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for stmt in tree.body:
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            else:
                continue
            words = _words(value)
            if not words or not any(any(c.islower() for c in w) for w in words):
                continue
            for t in targets:
                if isinstance(t, ast.Name):
                    found[f"{path.relative_to(PACKAGE)}:{t.id}"] = frozenset(words)
    return found


def test_the_walk_sees_the_lexicon() -> None:
    found = word_lists()
    assert found["lexicon.py:HONORIFICS"] == frozenset(lexicon.HONORIFICS)
    assert found["lexicon.py:SAYING"] == frozenset(lexicon.SAYING)
    assert "lexicon.py:SPEECH_VERBS" not in found  # built from SAYING: derived, not its own list
    assert not any(name.startswith(("nlp/entities.py:", "analysis/quotes.py:")) for name in found)


def test_no_word_list_is_defined_twice() -> None:
    """No two literal word lists are equal, or one mostly the other, unless both stand in
    lexicon.py (where one is built from the other)."""
    found = word_lists()
    clashes = []
    for (a, wa), (b, wb) in combinations(found.items(), 2):
        if a.startswith("lexicon.py:") and b.startswith("lexicon.py:"):
            if wa == wb:
                clashes.append(f"{a} == {b}")
            continue
        small = min(len(wa), len(wb))
        if small >= MIN_WORDS and len(wa & wb) / small >= MAX_SHARED:
            clashes.append(f"{a} ~ {b}: {sorted(wa & wb)}")
    assert not clashes


def test_stage_modules_define_no_word_lists_the_lexicon_has() -> None:
    """No word of a lexicon list is spelled again as a stage's own list."""
    found = word_lists()
    lex = {k: v for k, v in found.items() if k.startswith("lexicon.py:")}
    for name, words in found.items():
        if name.startswith("lexicon.py:") or len(words) < MIN_WORDS:
            continue
        for lname, lwords in lex.items():
            assert len(words & lwords) / len(words) < MAX_SHARED, (name, lname)


def test_alternation_is_escaped_longest_first_and_stable() -> None:
    assert lexicon.alternation(["say", "says", "according to", "won't"]) == r"according\ to|won't|says|say"
    assert lexicon.alternation(["b", "a", "a"]) == "a|b"
    assert re.fullmatch(lexicon.alternation(["u.s"]), "u.s") and not re.fullmatch(lexicon.alternation(["u.s"]), "uxs")


def test_calendar() -> None:
    assert [names[0] for names in lexicon.MONTH_NAMES][0::11] == ["january", "december"]
    assert lexicon.MONTH_ABBREVIATIONS == (
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    )
    assert dates.MONTHS["sept"] == 9 and dates.WEEKDAYS["monday"] == 0
    assert set(lexicon.MONTH_ABBREVIATIONS) <= lexicon.ABBREVIATIONS


def test_titles_and_abbreviations_share_their_words() -> None:
    assert set(lexicon.HONORIFICS) <= lexicon.TITLE_WORDS
    assert set(lexicon.RANK_ABBREVIATIONS) <= lexicon.TITLE_WORDS & lexicon.ABBREVIATIONS
    assert lexicon.SENTENCE_FINAL_ABBREVIATIONS <= lexicon.ABBREVIATIONS
    assert set(lexicon.COMPANY_SUFFIXES) <= lexicon.ORG_DESCRIPTORS & lexicon.SENTENCE_FINAL_ABBREVIATIONS
    assert set(lexicon.OFFICES) <= set(lexicon.SPEAKER_TITLES)
    assert "mr." in lexicon.HONORIFIC_TOKENS and "sir." not in lexicon.HONORIFIC_TOKENS


def test_the_two_place_lists_differ_only_where_they_did() -> None:
    """Kept apart on purpose: merging them would relabel names (nlp/language.py reads the
    token after a name, nlp/entities.py a canonical name's last word)."""
    shared = set(lexicon.PLACE_NOUNS)
    assert lexicon.PLACE_NOUNS_AFTER - shared == {"port", "region"}
    assert lexicon.PLACE_LAST_WORDS - shared == {
        "line",
        "road",
        "river",
        "valley",
        "island",
        "islands",
        "lake",
        "bay",
        "strait",
    }


def test_speech_lists_grow_from_one_core() -> None:
    core = set(lexicon.SAYING)
    for words in (
        lexicon.SPEECH_VERBS,
        lexicon.REPORTED_SPEECH,
        lexicon.SAID_BEFORE_DATE,
        lexicon.PRONOUN_SPEAKER_VERBS,
    ):
        assert core <= set(words)
    assert set(lexicon.SPEECH_VERBS) < set(lexicon.ATTRIBUTING_VERBS)
    assert set(lexicon.REPORTED_SPEECH) - set(lexicon.SPEECH_VERBS) == {"according to"}
    assert set(lexicon.PRONOUN_SPEAKER_VERBS) <= set(lexicon.SPEECH_VERBS)
    assert set(lexicon.SAID_BEFORE_DATE) - set(lexicon.SPEECH_VERBS) == {"reported", "confirmed"}


def test_future_lists_grow_from_one_core() -> None:
    core = set(lexicon.FUTURE)
    assert core <= set(lexicon.FUTURE_CUES) and core <= set(lexicon.LOOKING_AHEAD)
    assert set(lexicon.LOOKING_AHEAD) - set(lexicon.FUTURE_CUES) == {"scheduled", "next", "due to"}


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (quotes._SPEECH, lexicon.SPEECH_VERBS),
        (quotes._ATTRIB, lexicon.ATTRIBUTING_VERBS),
        (claims._REPORTED_SPEECH, lexicon.REPORTED_SPEECH),
        (support.FUTURE_CUES, lexicon.FUTURE_CUES),
        (support.DENIAL_CUES, lexicon.DENIALS),
        (support.ALLEGATION_CUES, lexicon.ALLEGATIONS),
        (event.ANTICIPATING_HEADLINE, lexicon.HEADLINE_FUTURE),
        (dates._AHEAD, lexicon.LOOKING_AHEAD),
    ],
)
def test_stage_matchers_are_built_from_the_lexicon(pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
    for w in words:
        m = pattern.search(f"Officials {w.upper()} it")
        assert m is not None and m.group(0).lower() == w, w


def test_realistic_cues() -> None:
    assert quotes._TITLE_SPEECH.match(" the deputy foreign minister said on Friday")
    assert quotes._PRONOUN_SPEECH.match(", she firmly insisted")
    assert not coverage.stands_alone('"We will not back down," he added.')
    assert not coverage.stands_alone("However, the union disagreed.")
    assert coverage.stands_alone("The union and the city reached a deal on Friday.")
    assert dates._SAID.search("is set to open Saturday, officials said on ")
    assert lines.is_credit("Photo credit: Reuters") and lines.is_credit("Image: AP")
    assert lines.is_title_case("Russia and Iran Forge a Pact Over the Caspian")
