"""Segmentation losses in TensorFlow, for teaching and for training.

Functions (scalar float32 tensors; inputs of any shape in [0, 1])::

    bce, focal, dice, bce_dice, iou (= jaccard), tversky, focal_tversky, combo

Keras classes for ``model.compile(loss=...)``::

    FocalLoss, DiceLoss, BCEDiceLoss, IoULoss, TverskyLoss, FocalTverskyLoss, ComboLoss

The registry (``losses.registry``) describes every loss and its parameters and
imports no TensorFlow; everything else is loaded on first use, so importing
``losses`` to read the registry is instant.
"""

from __future__ import annotations

import importlib

from .registry import ALL_SPECS, LOSSES, LossSpec, Param, get  # noqa: F401

_LAZY = {
    # functions
    "bce": "core",
    "focal": "core",
    "dice": "core",
    "bce_dice": "core",
    "iou": "core",
    "jaccard": "core",
    "tversky": "core",
    "focal_tversky": "core",
    "combo": "core",
    "soft_counts": "core",
    # Keras classes
    "BCELoss": "keras_losses",
    "FocalLoss": "keras_losses",
    "DiceLoss": "keras_losses",
    "BCEDiceLoss": "keras_losses",
    "IoULoss": "keras_losses",
    "TverskyLoss": "keras_losses",
    "FocalTverskyLoss": "keras_losses",
    "ComboLoss": "keras_losses",
    "KERAS_CLASSES": "keras_losses",
    "make_loss": "keras_losses",
    # analysis helpers
    "loss_value": "analysis",
    "loss_values": "analysis",
    "pixel_loss_map": "analysis",
    "gradient_map": "analysis",
    "pixel_curve": "analysis",
    "confidence_curve": "analysis",
    "shift_curve": "analysis",
    "param_curve": "analysis",
    "param_grid": "analysis",
    "tversky_grid": "analysis",
    "error_attribution": "analysis",
    "rows_fn": "analysis",
}

__all__ = sorted(_LAZY) + ["ALL_SPECS", "LOSSES", "LossSpec", "Param", "get"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'losses' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
