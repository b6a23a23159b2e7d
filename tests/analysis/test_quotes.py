from __future__ import annotations

from newsweave.model import Article
from tests.conftest import needs_seeds


def test_example_quotes_and_speakers(example_brief) -> None:  # type: ignore[no-untyped-def]
    quotes = example_brief.analysis.quotes
    by_start = {q.text.split()[0] + " " + q.text.split()[1]: q for q in quotes}
    assert by_start["This line"].speaker == "Yury Marchenko"  # "...," Marchenko said.
    assert by_start["Today Caldenport"].speaker == "Ingrid Solberg"  # "...," Ms. Solberg told the crowd.
    assert by_start["We warned"].speaker == "Petra Lind"  # "...," she said. (named in the sentence before)
    assert by_start["false and"].speaker == "Samir al-Haddad"  # called the claims "..." (partial quote)
    assert by_start["false and"].partial and not by_start["We warned"].partial
    for q in quotes:
        assert q.sources and all(o.article_id in q.sources for o in q.occurrences)


@needs_seeds
def test_seed_quotes_resolve_pronouns_and_merge_across_sources(seed_brief) -> None:  # type: ignore[no-untyped-def]
    def quote(start: str):  # type: ignore[no-untyped-def]
        hits = [q for q in seed_brief.analysis.quotes if q.text.startswith(start)]
        assert len(hits) == 1, start
        return hits[0]

    chaos = quote("They come from another side")
    assert chaos.speaker == "Masoud Pezeshkian"  # "...," he stated / he declared
    assert len(chaos.sources) == 2  # one quote, carried by two outlets
    assert quote("An agreement on Comprehensive").speaker == "Sergei Lavrov"  # said Lavrov (spelled Sergey there)
    assert quote("For the United States").speaker == "Keith Kellogg"
    assert quote("We do consider our relations").speaker == "Masoud Pezeshkian"
    # scare quotes and titles are not quotes
    assert not any(q.text.startswith(("weaker", "Axis of Upheaval")) for q in seed_brief.analysis.quotes)


def test_colon_and_curly_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsweave import brief

    text = (
        "Harbour master Elin Dahl spoke to reporters on the quay on Tuesday morning.\n"
        "Dahl said: “The breakwater held and every ship is safe in port tonight.”\n"
        "Port director Jonas Berg was more cautious about the days ahead.\n"
        "“We will inspect the cranes before cargo moves again,” he added."
    )
    b = brief([Article(id="port", text=text, title="Vessmark port reopens")], nlp=nlp, embeddings=False)
    got = {q.text[:12]: q.speaker for q in b.analysis.quotes}
    assert got == {"The breakwat": "Elin Dahl", "We will insp": "Jonas Berg"}


def test_alias_scan_finds_what_a_regex_alternation_finds() -> None:
    import random
    import re

    from newsweave.analysis.quotes import _alias_matches

    aliases = [
        "Sergei Lavrov",
        "Lavrov",
        "Mr. Putin",
        "Putin",
        "Bashar al-Assad",
        "Assad",
        "Dahl",
        "Elin Dahl",
        "Ömer Çelik",
    ]
    owner = {a: a for a in aliases}
    by_head: dict[str, list[str]] = {}
    for a in sorted(owner, key=len, reverse=True):
        by_head.setdefault(a[:4], []).append(a)
    regex = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True)) + r")\b")
    pieces = [
        *aliases,
        " ",
        " ",
        ", ",
        ".",
        "Lavrovs",
        "xPutin",
        "_Dahl",
        "Putin_",
        "-",
        "’s",
        "said",
        "\n",
        "Dahlia",
        "9",
    ]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert list(_alias_matches(text, by_head)) == [(m.start(), m.group(0)) for m in regex.finditer(text)], text
