"""Boosted regression trees exported as node arrays and walked in numpy, so that a brief runs
the shipped models (the stance model, the sentence ranker) without importing scikit-learn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree as node arrays (leaves have feature -1, value 0 at inner nodes)."""

    feature: npt.NDArray[np.int64]
    threshold: F64
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    missing_left: npt.NDArray[np.bool_]
    value: F64

    @classmethod
    def from_json(cls, t: Mapping[str, Any]) -> Tree:
        return cls(
            feature=np.asarray(t["feature"], dtype=np.int64),
            threshold=np.asarray(t["threshold"], dtype=np.float64),
            left=np.asarray(t["left"], dtype=np.int64),
            right=np.asarray(t["right"], dtype=np.int64),
            missing_left=np.asarray(t["missing_left"], dtype=bool),
            value=np.asarray(t["value"], dtype=np.float64),
        )

    def predict(self, x: F64) -> F64:
        """Leaf value of each row of x: every row walks down at once, one level a step."""
        node = np.zeros(len(x), dtype=np.int64)
        rows = np.arange(len(x))
        while True:
            inner = self.feature[node] >= 0
            if not inner.any():
                out: F64 = self.value[node]
                return out
            v = x[rows, np.where(inner, self.feature[node], 0)]
            go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
