"""The brief regrouped for the pages: citations, disputes, expectations, quotes, segments."""

from __future__ import annotations

from typing import Any

from newsweave.web.digest import View, article_of, digest, segments

BRIEF: dict[str, Any] = {
    "summary": [{"text": "It opened.", "sources": ["1", "2"], "origin": "1:0", "evidence": ["2:0.1", "2:0.2"]}],
    "sources": [
        {"id": "1", "outlet": "Courier", "stance": "anticipates"},
        {"id": "2", "outlet": None, "title": "Wire story", "stance": "reports"},
        {"id": "3", "outlet": "Ledger", "stance": "reports"},
    ],
    "claims": [
        {
            "id": "c1",
            "text": "Inspections were skipped.",
            "status": "disputed",
            "modality": "allegation",
            "sources": ["1"],
            "evidence": ["1:2"],
            "contradicted_by": ["c2", "gone"],
        },
        {
            "id": "c2",
            "text": "Inspections were done.",
            "status": "disputed",
            "modality": "denial",
            "sources": ["3"],
            "evidence": ["3:1"],
            "contradicted_by": ["c1"],
        },
        {
            "id": "c3",
            "text": "It will open Saturday.",
            "status": "superseded",
            "modality": "expectation",
            "sources": ["1"],
            "evidence": ["1:0"],
            "superseded_by": ["c4"],
            "resolved_evidence": ["2:0"],
        },
        {
            "id": "c4",
            "text": "It opened Saturday.",
            "status": "corroborated",
            "modality": "report",
            "sources": ["2", "3"],
            "evidence": ["2:0", "3:0"],
        },
    ],
    "quotes": [
        {"text": "A", "speaker": None, "occurrences": [{"sentence": "1:3"}]},
        {"text": "B", "speaker": "Ada Lind", "occurrences": [{"sentence": "2:1"}]},
        {"text": "C", "speaker": "Ada Lind", "occurrences": [{"sentence": "3:2"}]},
        {"text": "D", "speaker": "Bo Ek", "occurrences": [{"sentence": "3:3"}]},
    ],
}


def test_the_list_line() -> None:
    d = digest(BRIEF)
    assert (d.anticipate, d.report, d.disputes, d.lead, d.lead_sources) == (1, 2, 2, "It opened.", ("1", "2"))
    assert digest({}).lead is None and digest({}).disputes == 0


def test_citations_one_per_sentence_with_the_outlet() -> None:
    v = View(BRIEF)
    [(text, cites)] = v.summary()
    assert text == "It opened." and [(c.source, c.sentence, c.outlet) for c in cites] == [
        ("1", "1:0", "Courier"),
        ("2", "2:0", "Wire story"),  # two clauses of one sentence: one citation; no outlet: the title
    ]
    assert article_of("12:3.1") == "12" and v.outlet("9") == "report 9"


def test_disputes_expectations_and_quotes() -> None:
    v = View(BRIEF)
    disputes = v.disputes()
    assert [(c["id"], [o["id"] for o in others]) for c, others in disputes] == [("c1", ["c2"]), ("c2", ["c1"])]
    [(c, after, resolved)] = v.expectations()
    assert c["id"] == "c3" and [a["id"] for a in after] == ["c4"] and [r.sentence for r in resolved] == ["2:0"]
    assert [(s, [q["text"] for q in qs]) for s, qs in v.quotes_by_speaker()] == [
        ("Ada Lind", ["B", "C"]),
        ("Bo Ek", ["D"]),
        ("Unattributed", ["A"]),
    ]


def test_segments_mark_only_sentences_whose_offsets_match() -> None:
    text = "First one. Second one.\nThird."
    sentences = [
        {"id": "1:0", "text": "First one.", "start": 0, "end": 10},
        {"id": "1:1", "text": "Not here.", "start": 11, "end": 22},  # offsets that do not match: left unmarked
        {"id": "1:2", "text": "Third.", "start": 23, "end": 29},
    ]
    pieces = segments(text, sentences)
    assert "".join(t for _, t in pieces) == text
    assert [sid for sid, _ in pieces if sid] == ["1:0", "1:2"]
