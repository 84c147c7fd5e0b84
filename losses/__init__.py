"""Segmentation losses in TensorFlow: functions and Keras classes, and nothing else.

Copy this folder next to a training script; it needs only TensorFlow (Keras 3)
and numpy, and importing it changes no environment variable (it never picks a
device or a Keras backend for you).

Functions (scalar float32 tensors; ``y_true`` and ``y_pred`` of any shape in [0, 1])::

    bce, focal, dice, bce_dice, iou (= jaccard), tversky, focal_tversky, combo,
    unified_focal, soft_counts

Keras classes for ``model.compile(loss=...)``::

    BCELoss, FocalLoss, DiceLoss, BCEDiceLoss, IoULoss, TverskyLoss, FocalTverskyLoss,
    ComboLoss, UnifiedFocalLoss, and make_loss("tversky", alpha=0.3, beta=0.7)

Example:
    >>> import losses
    >>> round(float(losses.dice([1.0, 1.0, 0.0], [1.0, 0.0, 0.0])), 4)
    0.3333
"""

from __future__ import annotations

from .core import (
    bce,
    bce_dice,
    combo,
    dice,
    focal,
    focal_tversky,
    iou,
    jaccard,
    soft_counts,
    tversky,
    unified_focal,
)
from .keras_losses import (
    KERAS_CLASSES,
    BCEDiceLoss,
    BCELoss,
    ComboLoss,
    DiceLoss,
    FocalLoss,
    FocalTverskyLoss,
    IoULoss,
    TverskyLoss,
    UnifiedFocalLoss,
    make_loss,
)
from .validation import EPSILON

__all__ = [
    "EPSILON",
    "KERAS_CLASSES",
    "BCEDiceLoss",
    "BCELoss",
    "ComboLoss",
    "DiceLoss",
    "FocalLoss",
    "FocalTverskyLoss",
    "IoULoss",
    "TverskyLoss",
    "UnifiedFocalLoss",
    "bce",
    "bce_dice",
    "combo",
    "dice",
    "focal",
    "focal_tversky",
    "iou",
    "jaccard",
    "make_loss",
    "soft_counts",
    "tversky",
    "unified_focal",
]
