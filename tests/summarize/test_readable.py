from __future__ import annotations

import pytest

from newsweave.summarize.readable import dangling, furniture, question, quote_fragment, readable


@pytest.mark.parametrize(
    "text",
    [
        "He said the treaty was not aimed at anyone.",
        '"It is a new chapter," she said.',
        "The minister said the signing had been planned for months.",
        "The company said it would appeal the fine.",
        "The deputy foreign minister declined to comment on the drones.",
    ],
)
def test_dangling_subjects_need_an_earlier_name(text: str) -> None:
    assert dangling(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kremlin spokesman Dmitry Peskov said the signing was long planned.",
        "Minister Lavrov said the treaty was not aimed at anyone.",
        "The treaty was signed in Moscow on Friday.",
        "The company's shares fell 4% after Halvorsen & Marr disclosed the fine.",
    ],
)
def test_named_subjects_stand_alone(text: str) -> None:
    assert not dangling(text)


@pytest.mark.parametrize(
    "text",
    [
        "To play this content JavaScript must be turned on in your browser settings.",
        "Vladimir Putin, right, and Masoud Pezeshkian shake hands (AP Photo/Alexander Zemlianichenko)",
        "Jane Roe, 32, of Springfield was charged on Tuesday with two counts of fraud.",
        "Sign up for our daily newsletter to get the latest headlines.",
        "[Q&A: The engineer who says the tunnel was never safe]",
        "Police released this video still from the robbery at the Harbour Street branch.",
        "This undated photo provided by the port authority shows the flooded tunnel.",
        "The tunnel reopened on Monday ï¿½ï¿½ ï¿½ 11% ï¿½",
    ],
)
def test_captions_and_player_text_are_furniture(text: str) -> None:
    assert furniture(text) and not readable(text)


def test_reported_photos_are_not_furniture() -> None:
    assert not furniture("The agency released photos of the damaged tunnel on Monday.")
    # "this ... still" is not a picture
    assert not furniture("But the tunnel is the first in this region still run by the city.")


def test_questions_state_nothing() -> None:
    assert question("What happened to the tunnel, and when will it reopen?")
    assert question("“Who signed off on this?”")
    assert not readable("Will the tunnel reopen before the winter?")
    assert not question('"Who signed off on this?" the mayor asked on Monday.')
    assert not question("The mayor asked who had signed off on the tunnel.")


@pytest.mark.parametrize(
    "text",
    [
        "We notified the agency immediately and shared every inspection record.",
        "“This pandemic has claimed too many lives and livelihoods already.",
        'It is the end of an era," the mayor said, "and the start',
        "“So I just went over to the wall of the reservoir.”",
    ],
)
def test_pieces_of_quotations_are_fragments(text: str) -> None:
    assert quote_fragment(text)


def test_whole_quotations_with_their_speaker_are_not_fragments() -> None:
    assert not quote_fragment('"We notified the agency immediately," the company said in a statement.')
    assert not quote_fragment("Halvorsen & Marr said it notified the agency immediately.")
