"""Quotes: the spans inside quotation marks and who said them, on the example, the seeds
and invented reports for each pattern of attribution (our own people, outlets and firms)."""

from __future__ import annotations

import json

import pytest

from newsweave.analysis.quotes import extract
from newsweave.model import Article, Quote, Resolved
from tests.conftest import ROOT, needs_seeds


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


# Every invented report opens and ends so, as a report does (the cleaning drops a run of short lines).
INTRO = (
    "Ferry crews in Vessmark stayed ashore on Monday as the strike over pay entered its third day. Islanders "
    "queued at the terminal for the few private boats still running, and the regional council called an "
    "emergency meeting for Wednesday.\n"
)
OUTRO = (
    "\nThe regional council will meet on Wednesday to discuss emergency sailings to the outer islands, and "
    "a mediator from the capital has been asked to join the talks before the weekend."
)


def _quotes(nlp, *texts: str) -> dict[str, Quote]:  # type: ignore[no-untyped-def]
    """Our quotes of invented reports, by their first four words."""
    from newsweave.pipeline import prepare

    arts = [Article(id=f"r{i}", text=INTRO + t + OUTRO, title="Ferry strike in Vessmark") for i, t in enumerate(texts)]
    story = prepare(arts, nlp=nlp, embeddings=False)
    return {" ".join(q.text.split()[:4]): q for q in extract(story.text.articles, story.resolved)}


def test_spans_are_exactly_the_quoted_words(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Ferry workers in Vessmark walked out on Monday after talks with the operator broke down.\n"
        'Union leader Marit Halvorsen said the crews "have run out of patience with the company." '
        "The operator, Lindqvist Shipping, said sailings would resume on Thursday.\n"
        "“We offered a fair deal and they turned it down,” said Tomas Eklund, the company’s chief executive. "
        "“The ‘final offer’ is still on the table,” he said.\n"
        "“Nobody wants to strand the islanders for a week,” Halvorsen said.",
    )
    assert set(got) == {
        "have run out of",
        "We offered a fair",
        "The ‘final offer’ is",
        "Nobody wants to strand",
    }
    assert got["The ‘final offer’ is"].text == "The ‘final offer’ is still on the table"  # single inside double
    for q in got.values():  # never the writer's words between two quotes
        assert "said" not in q.text and "Lindqvist" not in q.text


def test_a_quote_over_two_paragraphs_and_a_split_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Harbour master Elin Dahl addressed the crews at the quay on Tuesday morning.\n"
        "“We have kept the harbour open through three storms this winter and we will keep it open now. "
        "Every ship that needs a berth will get one.\n"
        "“But the crews must be paid for the nights they work,” Dahl said.\n"
        "“The ferries will sail,” she said, “as soon as the strike is over.”",
    )
    first, second = got["We have kept the"], got["But the crews must"]
    assert first.text.endswith("will get one.") and second.speaker == first.speaker == "Elin Dahl"
    assert got["The ferries will sail"].speaker == got["as soon as the"].speaker == "Elin Dahl"


def test_scare_quotes_and_titles_are_not_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "The operator called the walkout “illegal” and said the union's demands were “unrealistic.”\n"
        "In the evening union members watched a screening of “The Long Crossing” at the ferry terminal, where "
        'the talks were broadcast live on "Radio Kestrel Morning Show" and the union said it wanted "a fair wage."',
    )
    assert got == {}


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("“The crews will not sail until we have a deal,” Marit Halvorsen said.", "Marit Halvorsen"),
        ("“The crews will not sail until we have a deal,” said Marit Halvorsen.", "Marit Halvorsen"),
        (
            "“The crews will not sail until we have a deal,” Marit Halvorsen, a spokeswoman for the "
            "Vessmark Seafarers Union, said in a statement.",
            "Marit Halvorsen",
        ),
        (
            "The crews will not sail until there is a deal, according to Marit Halvorsen, who leads the union. "
            "“We will not sail until we have a deal,” according to Marit Halvorsen.",
            "Marit Halvorsen",
        ),
        (
            "“The crews will not sail until we have a deal,” Marit Halvorsen told the Brenmoor Gazette.",
            "Marit Halvorsen",
        ),
        ("“The crews will not sail until we have a deal,” Marit Halvorsen wrote on Facebook.", "Marit Halvorsen"),
        ("“The crews will not sail until we have a deal,” Marit Halvorsen tweeted.", "Marit Halvorsen"),
        ("Marit Halvorsen explained: “The crews will not sail until we have a deal.”", "Marit Halvorsen"),
        ("Marit Halvorsen noted that “the crews will not sail until we have a deal.”", "Marit Halvorsen"),
    ],
)
def test_attribution_patterns(nlp, sentence: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(nlp, sentence)
    assert len(got) == 1, got
    (q,) = got.values()
    assert q.speaker == speaker and q.speaker_type == "PERSON", (q.speaker, q.occurrences[0].cue)


def test_an_organisation_speaks_in_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "In a statement, Lindqvist Shipping said: “Every sailing this week is cancelled and passengers "
        "will be refunded.”",
    )
    (q,) = got.values()
    assert q.speaker == "Lindqvist Shipping" and q.speaker_type == "ORG"


def test_speakers_from_the_sentences_around_and_pronouns(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Tomas Eklund, the chief executive of Lindqvist Shipping, defended the company on Tuesday.\n"
        "Eklund said the crews had been offered a raise of four percent. "
        "“No operator on this coast pays more than we do.”\n"
        "Union leader Marit Halvorsen met the crews at the terminal afterwards.\n"
        "“We will sit down with anyone who is serious,” she said. “We are not the ones who walked away.”\n"
        "Halvorsen said she would meet the mediator, Jonas Berg, on Friday. "
        "“Mr. Berg has settled harder disputes than this one,” she said.",
    )
    assert got["No operator on this"].speaker == "Tomas Eklund"  # the sentence before: "Eklund said ..."
    assert got["We will sit down"].speaker == "Marit Halvorsen"  # "she": the person the report speaks of
    assert got["We are not the"].speaker == "Marit Halvorsen"  # the same speaker goes on
    assert got["Mr. Berg has settled"].speaker == "Marit Halvorsen"  # not Berg, only named in her sentence
    inquest = _quotes(
        nlp,
        "Speaking at the inquest on Thursday, Detective Jonas Berg, the leader of the rescue team, said Tomas "
        "Eklund had been using a map on his phone when he fell.\n"
        "He said: “The image on a phone is small and not as detailed as a proper map, and there is no easy way "
        "up that ridge in the dark.”",
    )
    assert inquest["The image on a"].speaker == "Jonas Berg"  # "said Tomas Eklund had been": Eklund is spoken of


def test_speaker_named_in_the_sentence_before_or_after(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Elin Dahl, the harbour master, spent the night on the quay with the crews of the stranded ferries "
        "and on Tuesday morning said:\n"
        "“Every berth in the harbour is taken and no ship will leave before the storm has passed, whatever "
        "the operator says about its timetable for the week.”\n"
        "The operator had hoped to sail on Wednesday. “The ferries will stay in port until Thursday at the "
        "earliest, and the crews will be paid for every day they wait.” Dahl said so on Tuesday.",
    )
    assert got["Every berth in the"].speaker == "Elin Dahl"  # "X said:" closing the paragraph before
    assert got["The ferries will stay"].speaker == "Elin Dahl"  # a bare "X said." after the quote


def test_titles_resolve_only_to_the_one_person_with_that_role(nlp) -> None:  # type: ignore[no-untyped-def]
    one = _quotes(
        nlp,
        "Transport Minister Ingrid Vale visited the terminal on Wednesday.\n"
        "“The islands cannot be cut off for another week,” the minister said.",
    )
    assert one["The islands cannot be"].speaker == "Ingrid Vale"
    two = _quotes(
        nlp,
        "Transport Minister Ingrid Vale and Fisheries Minister Karl Moen visited the terminal on Wednesday.\n"
        "“The islands cannot be cut off for another week,” the minister said.",
    )
    assert two["The islands cannot be"].speaker is None


def test_the_person_in_an_appositive_speaks_not_the_organisation(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "“Passengers with tickets for this week will get their money back,” Sara Lund, a spokeswoman for "
        "Lindqvist Shipping, said in a statement.\n"
        "“We regret the disruption,” said Olav Brekke of the Vessmark Harbour Authority.",
    )
    assert got["Passengers with tickets for"].speaker == "Sara Lund"
    assert got["We regret the disruption"].speaker == "Olav Brekke"


def test_no_recoverable_speaker_stays_unattributed(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Tomas Eklund, the chief executive of Lindqvist Shipping, spoke to reporters on Monday about the "
        "cancelled sailings.\n"
        "A spokesman for the Vessmark Seafarers Union said the crews would meet again on Friday to vote on the "
        "company's offer. “We are ready to talk whenever the company is,” he said.\n"
        "At the terminal the mood among the strikers was grim. “The crews have families to feed,” a dock worker "
        "told the Brenmoor Gazette. “Nobody here wants a long strike.”",
    )
    assert {k: q.speaker for k, q in got.items()} == {
        # "he" is the union's spokesman: the union speaks, never Eklund
        "We are ready to": "Vessmark Seafarers Union",
        "The crews have families": None,
        "Nobody here wants a": None,
    }


def test_an_unnamed_spokesperson_quotes_the_organisation_named_with_them(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Nordvik Ferries cancelled its Friday sailings after the storm damaged two ferries, and chief "
        "executive Mats Dahl apologised to passengers.\n"
        "“Every ticket will be refunded in full within a week,” a Nordvik Ferries spokeswoman said.\n"
        "A spokesman for Brenmoor Harbour Authority said before the meeting that the quay would reopen.\n"
        "“The crane was inspected on Thursday and is safe to use,” the spokesman said.\n"
        "Mr Dahl's pay was cut last year.",
    )
    assert got["Every ticket will be"].speaker == "Nordvik Ferries"
    # "the spokesman" is the one the report last named with an organisation, not Mr Dahl
    assert got["The crane was inspected"].speaker == "Brenmoor Harbour Authority"


def test_a_rank_abbreviation_does_not_end_the_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Police cleared the square before dawn on Monday.\n"
        "“Right now, we have no plans to go into the camp,” Oldmere Police Cmdr. Petra Novak said.",
    )
    assert got["Right now, we have"].speaker == "Petra Novak"


def test_a_quote_the_writer_completes_before_the_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _quotes(
        nlp,
        "Vessmark Biolabs said on Monday its vaccine was more than 90% effective in a trial.\n"
        "“Hopefully now we can move on and get this vaccine out there and stop” the outbreak, said Hanne "
        "Berg, the company’s head of research.",
    )
    assert got["Hopefully now we can"].speaker == "Hanne Berg"


@needs_seeds
def test_the_seeds_keep_their_expected_quotes(seed_brief) -> None:  # type: ignore[no-untyped-def]
    """Every quote evals/expected/seeds.json lists, with its speaker (the same last name: the
    canonical name is the entity stage's, "Baghaei" for Esmaeil Baghaei)."""
    expected = json.loads((ROOT / "evals" / "expected" / "seeds.json").read_text("utf-8"))["quotes"]
    quotes = seed_brief.analysis.quotes
    for want in expected:
        hits = [q for q in quotes if q.text.lower().startswith(want["starts"].lower())]
        assert hits, want["starts"]
        assert hits[0].speaker and hits[0].speaker.split()[-1] == want["speaker"].split()[-1], want


def test_empty_duplicated_and_hostile_input(nlp) -> None:  # type: ignore[no-untyped-def]
    assert extract((), Resolved(entities=(), by_mention={})) == ()
    report = "“The crews will not sail until we have a deal,” Marit Halvorsen said on Monday outside the terminal."
    twice = _quotes(nlp, report, report)
    (q,) = twice.values()
    assert q.sources == ("r0", "r1") and len(q.occurrences) == 2 and q.speaker == "Marit Halvorsen"
    hostile = _quotes(
        nlp,
        'The new ferry is 4\'8" wider than the old one and the "the "double" quotes" and “ stray ” marks '
        'and a lone " mark and ”backwards“ ones never became anything but noise, said the operator on Friday.\n'
        + "“" * 40
        + " ”" * 40,
    )
    for q in hostile.values():
        assert "said the operator" not in q.text
