"""Small array helpers shared by the teaching modules."""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import check_pair


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------
def vector(name: str, values, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """A non-empty 1-D float32 array of finite values inside [lo, hi]."""
    arr = np.asarray(values, dtype=np.float32).reshape(-1)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one value.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if (lo is not None and arr.min() < lo) or (hi is not None and arr.max() > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(
            f"{name} must lie in {rng}; got values in [{arr.min():.4g}, {arr.max():.4g}]."
        )
    return arr


def column(x):
    """A 1-D array as a (G, 1) float32 column that broadcasts against (1, N) pixels."""
    return tf.reshape(tf.constant(np.asarray(x, dtype=np.float32)), [-1, 1])


def pair(y_true, y_pred):
    """Validate a pair; return the validated tensors' shape and (1, N) rows."""
    t0, p0 = check_pair(y_true, y_pred)
    t, p = core.as_rows(t0, p0)
    return tuple(t0.shape.as_list()), t, p


def floats(d: dict) -> dict:
    return {k: float(v) for k, v in d.items()}


def counts_dict(tp, fp, fn) -> dict[str, float]:
    return {"TP": float(tp), "FP": float(fp), "FN": float(fn)}
