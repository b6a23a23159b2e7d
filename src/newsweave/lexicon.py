"""Word lists and cue patterns that stages build their matchers from, each list once.

Every list says where it came from. A stage imports the list it needs from here and builds
its own matcher (a set test, a regex), so two stages never disagree about what a word means.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop list (spacy/lang/en/stop_words.py), read without importing spaCy.

    Importing `spacy.lang.en.stop_words` runs `spacy/__init__`, which loads thinc (and torch
    where installed): seconds of start-up for a set of 326 words that every light path
    (cleaning, clustering features) needs. The file is plain Python defining one set, so it
    is executed on its own; the words stay spaCy's, pinned with the spaCy version.
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise RuntimeError("spaCy is not installed")
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
    scope: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), scope)
    words = scope["STOP_WORDS"]
    assert isinstance(words, set)
    return frozenset(str(w) for w in words)


STOP_WORDS: frozenset[str] = _spacy_stop_words()

# Function words of news prose that spaCy's stop list lacks; they say nothing about topic
# (seen in the seeds' and the example's recurring lines).
NEWS_FUNCTION_WORDS = frozenset(
    ["amid", "amidst", "says", "said", "according", "also", "year", "years", "week", "today", "new"]
)
