"""The torch-free encoder: the same vectors as sentence-transformers, and a cache that changes none."""

from __future__ import annotations

import numpy as np
import pytest

from newsweave.nlp.embed import CachedEncoder, load_encoder, model_path
from newsweave.nlp.minilm import load

SENTENCES = [
    "Russian President Vladimir Putin and his Iranian counterpart Masoud Pezeshkian signed the treaty on Friday.",
    "The agreement does not include a mutual defence clause, unlike Russia's pact with North Korea.",
    "Iran has denied supplying drones to Russia for use in Ukraine.",
    "Caldenport opened its Harbour Line metro on Saturday.",
    "“It is a new chapter,” he said.",
    "",  # an empty string is one [CLS] [SEP] pair, as in sentence-transformers
    "Teheran " * 300,  # longer than the model's 256 tokens: truncated as sentence-transformers does
]


class Counting:
    """The real encoder, counting the texts it is asked for."""

    def __init__(self) -> None:
        self.inner = load(model_path())
        self.seen: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_vectors_are_unit_length_and_paraphrases_are_close() -> None:
    v = load(model_path()).encode(SENTENCES[:4])
    assert v.shape == (4, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    para = load(model_path()).encode(["Putin and Pezeshkian signed the pact in Moscow on Friday."])[0]
    assert float(v[0] @ para) > float(v[3] @ para) + 0.3


def test_the_same_vectors_as_sentence_transformers() -> None:
    st = pytest.importorskip("sentence_transformers", reason="sentence-transformers is not installed")
    ref = st.SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)
    expected = ref.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    got = load(model_path()).encode(SENTENCES)
    assert np.abs(got - expected).max() < 1e-5
    assert np.abs(got @ got.T - expected @ expected.T).max() < 1e-5


def test_the_cache_returns_what_the_model_gives_and_encodes_each_sentence_once() -> None:
    inner = Counting()
    cached = CachedEncoder(inner, size=3)
    first = cached.encode(SENTENCES[:3] + SENTENCES[:1])
    assert inner.seen == SENTENCES[:3]  # the repeated sentence is encoded once
    assert np.array_equal(first[0], first[3])
    assert np.array_equal(first[:3], inner.inner.encode(SENTENCES[:3]))
    again = cached.encode(SENTENCES[1:3])
    assert inner.seen == SENTENCES[:3] and np.array_equal(again, first[1:3])
    cached.encode(SENTENCES[3:5])  # over the bound: the least recently used go
    inner.seen.clear()
    cached.encode(SENTENCES[:1])
    assert inner.seen == SENTENCES[:1]
    assert cached.encode([]).shape == (0, 384)


def test_load_encoder_is_loaded_once() -> None:
    assert load_encoder() is load_encoder()
