"""The baselines in their strongest honest form: sumy ranks its own systems, the centroid
baseline reads the same MiniLM vectors newsweave does."""

from __future__ import annotations

import pytest

from newsweave.summarize import get
from newsweave.summarize.base import eligible, words
from newsweave.summarize.baselines import _ratings, _stemmed, _Tokenizer
from tests.summarize.test_summarize import _story


@pytest.fixture(scope="module")
def example_story(example_analyzed):  # type: ignore[no-untyped-def]
    return _story(example_analyzed)


@pytest.mark.parametrize("name", ["lexrank", "textrank"])
def test_sumy_systems_are_ranked_by_sumy_itself(example_story, name: str) -> None:  # type: ignore[no-untyped-def]
    """Our ranking's top k is the set sumy's own summarizer returns for k sentences."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    cls = LexRankSummarizer if name == "lexrank" else TextRankSummarizer
    pool = [s for s in example_story.sentences() if eligible(s)]
    tok = _Tokenizer()

    def doc() -> object:
        return ObjectDocumentModel([Paragraph([SumySentence(s.text, tok) for s in pool])])

    ratings = _ratings(_stemmed(cls), doc())
    ours = sorted(pool, key=lambda s: -ratings[s.text.strip()])
    for k in (1, 3, 5):
        theirs = {str(s) for s in _stemmed(cls)(doc(), k)}
        assert {s.text for s in ours[:k]} == theirs


def test_centroid_takes_central_sentences_without_repeating_itself(example_story) -> None:  # type: ignore[no-untyped-def]
    chosen = get("centroid").select(example_story, 120)
    assert 90 <= sum(words(s.text) for s in chosen) <= 120
    vecs = [example_story.features[s.id].vector for s in chosen]
    assert all(v is not None for v in vecs)
    sims = [float(a @ b) for i, a in enumerate(vecs) for b in vecs[i + 1 :] if a is not None and b is not None]
    assert max(sims) < 0.95  # MMR keeps near-copies out
