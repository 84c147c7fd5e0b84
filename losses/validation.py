"""Input checks shared by every loss and analysis helper.

Misuse is caught at the door with a message that says what was wrong and what
to pass instead. Values are only inspected for concrete inputs (numpy arrays,
lists, eager tensors); inside a traced Keras training step the tensors are
symbolic, so only their static shapes are checked and nothing slows training.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from ._tf import tf

EPSILON = 1e-7  # every log clips its argument to [EPSILON, 1 - EPSILON]

_NUMERIC_KINDS = "biuf"  # bool, signed int, unsigned int, float


def _describe(name: str, x) -> str:
    shape = tuple(getattr(x, "shape", ()))
    return f"{name} (shape {shape})"


def _as_tensor(name: str, x):
    """Turn x into a float32 tensor, rejecting what cannot be a mask."""
    if x is None:
        raise ValueError(f"{name} is None; pass an array of probabilities in [0, 1].")
    if isinstance(x, (tf.Tensor, tf.Variable)) or tf.is_tensor(x):
        dtype = tf.as_dtype(x.dtype)
        if not (dtype.is_floating or dtype.is_integer or dtype.is_bool):
            raise ValueError(
                f"{name} has dtype {dtype.name}; pass a float, integer or boolean "
                "array of probabilities in [0, 1]."
            )
        return tf.cast(x, tf.float32)
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and other oddities
        raise ValueError(
            f"{name} could not be read as an array ({exc}); pass a numpy array or "
            "tensor of one shape."
        ) from None
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise ValueError(
            f"{name} has dtype {arr.dtype}; pass a float, integer or boolean array "
            "of probabilities in [0, 1]."
        )
    return tf.convert_to_tensor(arr.astype(np.float32, copy=False))


def _is_concrete(x) -> bool:
    return not tf.is_tensor(x) or hasattr(x, "numpy")


def _check_values(name: str, x, *, is_target: bool) -> None:
    arr = x.numpy() if hasattr(x, "numpy") else np.asarray(x)
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "infinite"
        raise ValueError(f"{name} contains {bad} values; pass finite probabilities in [0, 1].")
    lo, hi = float(arr.min()), float(arr.max())
    if lo < 0.0 or hi > 1.0:
        hint = (
            "If it is an 8-bit mask (0..255), divide it by 255."
            if is_target
            else "If these are logits, apply a sigmoid first (tf.sigmoid or "
            "keras.activations.sigmoid)."
        )
        raise ValueError(
            f"{name} has values in [{lo:.4g}, {hi:.4g}] but must hold probabilities "
            f"in [0, 1]. {hint}"
        )


def check_pair(y_true, y_pred):
    """Validate a (y_true, y_pred) pair and return two float32 tensors.

    Both must have the same shape (any rank, at least one element). As a
    convenience for Keras models, a trailing axis of size 1 on one side only
    (for instance (B, H, W) against (B, H, W, 1)) is dropped.
    """
    t = _as_tensor("y_true", y_true)
    p = _as_tensor("y_pred", y_pred)
    ts, ps = t.shape, p.shape
    if ts.rank is not None and ps.rank is not None and ts.rank != ps.rank:
        if ts.rank == ps.rank + 1 and ts[-1] == 1:
            t = tf.squeeze(t, axis=-1)
        elif ps.rank == ts.rank + 1 and ps[-1] == 1:
            p = tf.squeeze(p, axis=-1)
        ts, ps = t.shape, p.shape
    if not ts.is_compatible_with(ps):
        raise ValueError(
            f"y_true has shape {tuple(ts)} but y_pred has shape {tuple(ps)}; pass two "
            "arrays of the same shape, for example both (H, W) or both "
            "(batch, H, W, 1)."
        )
    if ts.num_elements() == 0 or ps.num_elements() == 0:
        raise ValueError(
            "y_true and y_pred are empty (no pixels); pass masks with at least one element."
        )
    if _is_concrete(t) and _is_concrete(p):
        _check_values("y_true", t, is_target=True)
        _check_values("y_pred", p, is_target=False)
    return t, p


def check_param(name: str, value, lo: float, hi: float | None = None):
    """Check a hyper-parameter and return it (as a float when it is a scalar).

    Python and numpy scalars (including 0-d arrays) are range-checked and
    returned as floats. 1-D arrays and tensors of values are what the batched
    analysis helpers pass; their concrete values are range-checked too.
    """
    rng = f"in [{lo}, {hi}]" if hi is not None else f">= {lo}"
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got a bool.")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (Real, np.number)):
        v = float(value)
        if math.isnan(v) or v < lo or (hi is not None and v > hi):
            raise ValueError(f"{name} must be {rng}, got {value}.")
        return v
    if tf.is_tensor(value) or isinstance(value, np.ndarray):
        if _is_concrete(value):
            arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=float)
            if arr.size and (
                np.isnan(arr).any() or arr.min() < lo or (hi is not None and arr.max() > hi)
            ):
                raise ValueError(f"every {name} value must be {rng}.")
        return value
    raise ValueError(f"{name} must be a number, got {type(value).__name__}.")
