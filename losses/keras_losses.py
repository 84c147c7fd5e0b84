"""Keras ``Loss`` classes that wrap the functions in :mod:`losses.core`.

What the pages draw is exactly what a model trains on::

    from losses import TverskyLoss
    model.compile(optimizer="adam", loss=TverskyLoss(alpha=0.3, beta=0.7))

Every class stores its parameters in ``get_config`` and is registered as
serializable under the package name ``seglosses``, so a model compiled with it
saves to ``.keras`` and loads back (import ``losses`` before loading).
"""

from __future__ import annotations

from . import core
from ._tf import keras

_PACKAGE = "seglosses"


class _SegLoss(keras.losses.Loss):
    """Base: one scalar per batch from a function of (y_true, y_pred, **params)."""

    _fn = None
    _defaults: dict = {}

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None, **params):
        unknown = set(params) - set(self._defaults)
        if unknown:
            raise ValueError(
                f"{type(self).__name__} got unknown parameter(s) {sorted(unknown)}; "
                f"it takes {sorted(self._defaults)}."
            )
        self.params = {**self._defaults, **params}
        # Check the values now, so a typo fails at compile time, not mid-training.
        # The probe has a batch axis so that per_image=True is accepted too.
        type(self)._fn([[0.0, 1.0]], [[0.5, 0.5]], **self.params)
        super().__init__(name=name or self._default_name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return type(self)._fn(y_true, y_pred, **self.params)

    def get_config(self):
        return {**super().get_config(), **self.params}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _make(class_name, fn, defaults, doc):
    cls = type(
        class_name,
        (_SegLoss,),
        {
            "_fn": staticmethod(fn),
            "_defaults": dict(defaults),
            "_default_name": fn.__name__ + "_loss",
            "__doc__": doc,
            "__module__": __name__,
        },
    )
    return keras.saving.register_keras_serializable(package=_PACKAGE)(cls)


FocalLoss = _make(
    "FocalLoss",
    core.focal,
    {"alpha": 0.8, "gamma": 2.0, "class_balanced": False, "per_image": False},
    "Focal loss as a Keras loss; see :func:`losses.focal`.",
)
DiceLoss = _make(
    "DiceLoss",
    core.dice,
    {"smooth": 1e-6, "per_image": False},
    "Dice loss as a Keras loss; see :func:`losses.dice`.",
)
BCEDiceLoss = _make(
    "BCEDiceLoss",
    core.bce_dice,
    {"smooth": 1e-6, "per_image": False},
    "BCE + Dice loss as a Keras loss; see :func:`losses.bce_dice`.",
)
IoULoss = _make(
    "IoULoss",
    core.iou,
    {"smooth": 1e-6, "per_image": False},
    "Jaccard / IoU loss as a Keras loss; see :func:`losses.iou`.",
)
TverskyLoss = _make(
    "TverskyLoss",
    core.tversky,
    {"alpha": 0.5, "beta": 0.5, "smooth": 1e-6, "per_image": False},
    "Tversky loss as a Keras loss (alpha weighs FP, beta FN); see :func:`losses.tversky`.",
)
FocalTverskyLoss = _make(
    "FocalTverskyLoss",
    core.focal_tversky,
    {"alpha": 0.5, "beta": 0.5, "gamma": 1.0, "smooth": 1e-6, "per_image": False},
    "Focal Tversky loss as a Keras loss; see :func:`losses.focal_tversky`.",
)
ComboLoss = _make(
    "ComboLoss",
    core.combo,
    {"alpha": 0.5, "ce_ratio": 0.5, "smooth": 1e-6, "per_image": False},
    "Combo loss as a Keras loss; see :func:`losses.combo`.",
)
BCELoss = _make(
    "BCELoss",
    core.bce,
    {"per_image": False},
    "Binary cross-entropy with the same clipping as the other losses.",
)

KERAS_CLASSES = {
    "bce": BCELoss,
    "focal": FocalLoss,
    "dice": DiceLoss,
    "bce_dice": BCEDiceLoss,
    "iou": IoULoss,
    "tversky": TverskyLoss,
    "focal_tversky": FocalTverskyLoss,
    "combo": ComboLoss,
}


def make_loss(key: str, **params):
    """The Keras loss object for a registry key and parameters."""
    try:
        cls = KERAS_CLASSES[key]
    except KeyError:
        raise ValueError(f"unknown loss {key!r}; choose one of {sorted(KERAS_CLASSES)}") from None
    return cls(**params)
