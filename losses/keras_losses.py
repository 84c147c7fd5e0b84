r"""Keras ``Loss`` classes around the functions in :mod:`losses.core`.

Each class is a thin shell: its ``__init__`` names the loss's parameters with
their defaults, checks them at once, and ``call`` hands them to the function of
the same name. What a page of the app draws is therefore exactly what a model
trains on:

>>> import keras
>>> from losses import TverskyLoss
>>> inputs = keras.Input((8, 8, 1))
>>> outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(inputs)
>>> model = keras.Model(inputs, outputs)
>>> model.compile(optimizer="adam", loss=TverskyLoss(alpha=0.3, beta=0.7))

Every class stores its parameters in ``get_config`` and is registered as
serializable under the package name ``seglosses``, so a model compiled with it
saves to ``.keras`` and loads back with ``keras.models.load_model`` (import
``losses`` first, so that the classes are registered).

A note on Keras's ``reduction`` and ``sample_weight``: these losses already
return one number for the whole batch (or the mean over its images with
``per_image=True``), so every reduction returns that number unchanged. Keras
would multiply that single number by per-sample weights, which has no useful
meaning here; do not pass ``sample_weight`` to these losses.
"""

from __future__ import annotations

import difflib
import inspect
from numbers import Real

import numpy as np

from . import core
from ._tf import keras

__all__ = [
    "BCELoss",
    "FocalLoss",
    "DiceLoss",
    "BCEDiceLoss",
    "IoULoss",
    "TverskyLoss",
    "FocalTverskyLoss",
    "ComboLoss",
    "UnifiedFocalLoss",
    "KERAS_CLASSES",
    "make_loss",
]

_PACKAGE = "seglosses"
_KERAS_ARGS = ("name", "reduction", "dtype")


def _serializable(cls):
    return keras.saving.register_keras_serializable(package=_PACKAGE)(cls)


class _SegLoss(keras.losses.Loss):
    """What every loss class shares: checks at construction, ``call`` and ``get_config``.

    A subclass sets ``_fn`` (the function in :mod:`losses.core`) and writes an
    ``__init__`` whose parameters are the function's keyword arguments plus
    ``name``, ``reduction`` and ``dtype``; it passes the loss's own parameters
    on as a dict. They become attributes (``loss.alpha``), and ``call`` and
    ``get_config`` read them back from there.

    Checks happen when the object is built, so a mistake fails at
    ``model.compile`` and not in the middle of training: a misspelt keyword
    (checked in ``__new__``, before Python's own "unexpected keyword" error,
    to name the closest valid one), a value out of range (the function itself
    is run once on a two-pixel probe and raises its own message), a switch
    that is not True or False, and a parameter that is not a single number.
    """

    _fn = None
    _defaults: dict = {}
    _param_names: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        signature = inspect.signature(cls.__init__).parameters.values()
        cls._defaults = {
            p.name: p.default for p in signature if p.name != "self" and p.name not in _KERAS_ARGS
        }
        cls._param_names = tuple(cls._defaults)

    def __new__(cls, *args, **kwargs):
        allowed = cls._param_names + _KERAS_ARGS
        unknown = [k for k in kwargs if k not in allowed]
        if unknown:
            hints = []
            for k in unknown:
                close = difflib.get_close_matches(k, allowed, n=1)
                hints.append(f"{k!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise ValueError(
                f"{cls.__name__} got unknown parameter(s) {', '.join(hints)}; "
                f"it takes {', '.join(allowed)}."
            )
        return super().__new__(cls)

    def __init__(self, params: dict, *, name, reduction, dtype):
        try:
            params = {k: self._stored(k, v) for k, v in params.items()}
            self._fn([[0.0, 1.0]], [[0.5, 0.5]], **params)  # range checks (and a batch axis)
        except ValueError as exc:
            raise ValueError(f"{type(self).__name__}: {exc}") from None
        for key, value in params.items():
            setattr(self, key, value)
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def _stored(self, key, value):
        """One parameter as it is kept: a bool for a switch, a float for a number."""
        if isinstance(self._defaults[key], bool):
            if isinstance(value, (bool, np.bool_)) or (isinstance(value, Real) and value in (0, 1)):
                return bool(value)
            raise ValueError(f"{key} must be True or False, got {value!r}.")
        if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
            raise ValueError(f"{key} must be a single number, got {value!r}.")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a single number, got {value!r}.") from None

    @property
    def params(self) -> dict:
        """The loss's own parameters (without name, reduction and dtype), as a new dict."""
        return {k: getattr(self, k) for k in self._param_names}

    def call(self, y_true, y_pred):
        return self._fn(y_true, y_pred, **self.params)

    def get_config(self):
        return {**super().get_config(), **self.params}


@_serializable
class BCELoss(_SegLoss):
    r"""Binary cross-entropy, with the same clipped logs as every loss here.

    Formula (mean over every pixel ``i`` of the batch; ``p`` clipped to
    ``[1e-7, 1 - 1e-7]`` inside the logs)::

        loss = -mean(t_i * log(p_i) + (1 - t_i) * log(1 - p_i))

    A certain and wrong pixel costs ``-ln(1e-7)`` = 16.118 on either class.

    Args:
        per_image: ``False`` (the default) averages every pixel of the batch;
            ``True`` averages each image (axis 0) first. For BCE both give the
            same number.
        name: name of the loss instance. Defaults to ``"bce_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``
            (``keras.backend.floatx()``).

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.BCELoss()(y_true, y_pred)), 4)
    0.3112
    """

    _fn = staticmethod(core.bce)

    def __init__(
        self,
        per_image=False,
        name="bce_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__({"per_image": per_image}, name=name, reduction=reduction, dtype=dtype)


@_serializable
class FocalLoss(_SegLoss):
    r"""Focal loss (Lin et al. 2017): cross-entropy with the easy pixels turned down.

    Formula (mean over every pixel; ``p_t`` is the probability given to the
    true class, ``p`` clipped to ``[1e-7, 1 - 1e-7]``)::

        loss = mean(w * (1 - p_t) ** gamma * bce)
        w    = alpha                                      if class_balanced is False
        w    = alpha * t + (1 - alpha) * (1 - t)          if class_balanced is True

    Args:
        alpha: class weight in ``[0, 1]``. With ``class_balanced=False`` (the
            reference blog's form) it multiplies every pixel alike, so it only
            rescales the loss. With ``class_balanced=True`` (the paper's form)
            foreground pixels get ``alpha`` and background pixels
            ``1 - alpha``; the paper uses 0.25. Defaults to 0.8.
        gamma: focusing exponent ``>= 0``. 0 is (weighted) BCE; larger values
            silence pixels that are already right. Defaults to 2.0 (the
            paper's value).
        class_balanced: choose the paper's per-class ``alpha``. Defaults to
            ``False``.
        per_image: average each image (axis 0) first instead of the whole
            batch; the same number for this pixel-wise loss. Defaults to
            ``False``.
        name: name of the loss instance. Defaults to ``"focal_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.FocalLoss()(y_true, y_pred)), 4)
    0.068
    >>> paper = losses.FocalLoss(alpha=0.25, gamma=2.0, class_balanced=True)
    >>> round(float(paper(y_true, y_pred)), 4)
    0.0224
    """

    _fn = staticmethod(core.focal)

    def __init__(
        self,
        alpha=0.8,
        gamma=2.0,
        class_balanced=False,
        per_image=False,
        name="focal_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {
                "alpha": alpha,
                "gamma": gamma,
                "class_balanced": class_balanced,
                "per_image": per_image,
            },
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class DiceLoss(_SegLoss):
    r"""Dice loss: one minus the soft Dice coefficient of the whole batch.

    Formula (sums over every pixel; soft counts TP = sum(t p),
    FP = sum((1 - t) p), FN = sum(t (1 - p)))::

        loss = 1 - (2 * TP + smooth) / (sum(t) + sum(p) + smooth)

    Args:
        smooth: ``s >= 0`` added above and below the fraction line. It keeps
            an empty prediction of an empty mask at loss 0 (a perfect answer)
            and the gradient finite; large values (1 or more) soften the loss
            on small objects. Defaults to 1e-6.
        per_image: ``False`` (the default) pools the whole batch into one Dice
            coefficient, so large objects weigh most; ``True`` computes Dice
            for each image (axis 0) and averages them.
        name: name of the loss instance. Defaults to ``"dice_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.DiceLoss()(y_true, y_pred)), 4)  # (FP + FN) / (2 TP + FP + FN)
    0.2571
    """

    _fn = staticmethod(core.dice)

    def __init__(
        self,
        smooth=1e-6,
        per_image=False,
        name="dice_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {"smooth": smooth, "per_image": per_image},
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class BCEDiceLoss(_SegLoss):
    r"""Binary cross-entropy plus Dice loss, added with equal weight.

    Formula::

        loss = bce + 1 - (2 * TP + smooth) / (sum(t) + sum(p) + smooth)

    The cross-entropy gives every pixel a smooth gradient, the Dice term
    scores the overlap of the whole region.

    Args:
        smooth: ``s >= 0`` of the Dice term (see :class:`DiceLoss`). Defaults
            to 1e-6.
        per_image: ``True`` computes the Dice term per image (axis 0) and
            averages; ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"bce_dice_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.BCEDiceLoss()(y_true, y_pred)), 4)  # 0.3112 + 0.2571
    0.5683
    """

    _fn = staticmethod(core.bce_dice)

    def __init__(
        self,
        smooth=1e-6,
        per_image=False,
        name="bce_dice_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {"smooth": smooth, "per_image": per_image},
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class IoULoss(_SegLoss):
    r"""Jaccard (IoU) loss: one minus the soft intersection over union.

    Formula::

        loss = 1 - (TP + smooth) / (sum(t) + sum(p) - TP + smooth)

    Stricter than Dice on a partial overlap (IoU = Dice / (2 - Dice)).

    Args:
        smooth: ``s >= 0`` added above and below the fraction line (see
            :class:`DiceLoss`). Defaults to 1e-6.
        per_image: ``True`` computes IoU per image (axis 0) and averages;
            ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"iou_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.IoULoss()(y_true, y_pred)), 4)  # (FP + FN) / (TP + FP + FN)
    0.4091
    """

    _fn = staticmethod(core.iou)

    def __init__(
        self,
        smooth=1e-6,
        per_image=False,
        name="iou_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {"smooth": smooth, "per_image": per_image},
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class TverskyLoss(_SegLoss):
    r"""Tversky loss (Salehi et al. 2017): Dice with separate prices for FP and FN.

    Formula::

        loss = 1 - (TP + smooth) / (TP + alpha * FP + beta * FN + smooth)

    ``alpha = beta = 0.5`` is the Dice loss and ``alpha = beta = 1`` the IoU
    loss. Careful when comparing: ``keras.losses.Tversky`` up to Keras 3.15
    puts ``alpha`` on the false negatives.

    Args:
        alpha: weight ``>= 0`` of the false positives (foreground predicted on
            background). Defaults to 0.5; the paper uses 0.3.
        beta: weight ``>= 0`` of the false negatives (missed foreground); raise
            it to punish under-segmentation. Defaults to 0.5; the paper uses
            0.7.
        smooth: ``s >= 0`` added above and below the fraction line. Defaults
            to 1e-6.
        per_image: ``True`` computes the loss per image (axis 0) and averages;
            ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"tversky_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]  # TP 1.3, FP 0.2, FN 0.7
    >>> round(float(losses.TverskyLoss(alpha=0.3, beta=0.7)(y_true, y_pred)), 4)
    0.2973
    """

    _fn = staticmethod(core.tversky)

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        smooth=1e-6,
        per_image=False,
        name="tversky_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {"alpha": alpha, "beta": beta, "smooth": smooth, "per_image": per_image},
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class FocalTverskyLoss(_SegLoss):
    r"""Focal Tversky loss (Abraham and Khan 2019): the Tversky loss raised to gamma.

    Formula::

        loss = (1 - (TP + smooth) / (TP + alpha * FP + beta * FN + smooth)) ** gamma

    This is the reference blog's exponent. The paper writes ``1 / gamma`` and
    uses gamma = 4/3, which is ``gamma=0.75`` here.

    Args:
        alpha: weight ``>= 0`` of the false positives. Defaults to 0.5; the
            paper uses 0.3.
        beta: weight ``>= 0`` of the false negatives. Defaults to 0.5; the
            paper uses 0.7.
        gamma: exponent ``>= 0``. Below 1 the loss stays steep when the overlap
            is already good; 1 is the Tversky loss. Defaults to 1.0.
        smooth: ``s >= 0`` added above and below the fraction line. Defaults
            to 1e-6.
        per_image: ``True`` computes the loss per image (axis 0) and averages;
            ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"focal_tversky_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> loss = losses.FocalTverskyLoss(alpha=0.3, beta=0.7, gamma=0.75)
    >>> round(float(loss(y_true, y_pred)), 4)  # 0.2973 ** 0.75
    0.4026
    """

    _fn = staticmethod(core.focal_tversky)

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        gamma=1.0,
        smooth=1e-6,
        per_image=False,
        name="focal_tversky_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {
                "alpha": alpha,
                "beta": beta,
                "gamma": gamma,
                "smooth": smooth,
                "per_image": per_image,
            },
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class ComboLoss(_SegLoss):
    r"""Combo loss (Taghanaki et al. 2019): weighted cross-entropy minus the Dice coefficient.

    Formula (``p`` clipped to ``[1e-7, 1 - 1e-7]`` inside the logs)::

        wCE  = -mean(alpha * t * log(p) + (1 - alpha) * (1 - t) * log(1 - p))
        DSC  = (2 * TP + smooth) / (sum(t) + sum(p) + smooth)
        loss = ce_ratio * wCE - (1 - ce_ratio) * DSC

    The value can be negative: a perfect prediction scores ``-(1 - ce_ratio)``.

    Args:
        alpha: weight in ``[0, 1]`` of the foreground pixels in the
            cross-entropy (background pixels get ``1 - alpha``); above 0.5 a
            missed foreground pixel costs more than a false alarm. Defaults to
            0.5.
        ce_ratio: share in ``[0, 1]`` of the cross-entropy; 1 is pure weighted
            cross-entropy, 0 pure (negative) Dice coefficient. Defaults to 0.5.
        smooth: ``s >= 0`` of the Dice coefficient. Defaults to 1e-6.
        per_image: ``True`` computes the Dice term per image (axis 0) and
            averages; ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"combo_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]
    >>> round(float(losses.ComboLoss(alpha=0.6, ce_ratio=0.5)(y_true, y_pred)), 4)
    -0.2836
    """

    _fn = staticmethod(core.combo)

    def __init__(
        self,
        alpha=0.5,
        ce_ratio=0.5,
        smooth=1e-6,
        per_image=False,
        name="combo_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {"alpha": alpha, "ce_ratio": ce_ratio, "smooth": smooth, "per_image": per_image},
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


@_serializable
class UnifiedFocalLoss(_SegLoss):
    r"""Unified Focal loss (Yeung et al. 2022): the cross-entropy and Dice families in one loss.

    Formula (binary: the foreground ``p`` and the background ``1 - p`` are the two
    classes; ``p`` clipped to ``[1e-7, 1 - 1e-7]`` inside logs and powers)::

        CE   = mean(delta * t * (1 - p) ** g_s * -log(p)
                    + (1 - delta) * (1 - t) * p ** gamma * -log(1 - p))
        mTI_fg = (TP + smooth) / (TP + delta * FN + (1 - delta) * FP + smooth)
        mTI_bg = (TN + smooth) / (TN + delta * FP + (1 - delta) * FN + smooth)
        loss = lambda_ * CE
               + (1 - lambda_) * ((1 - mTI_fg) ** (1 - gamma) + (1 - mTI_bg) ** (1 - g_s))

    ``g_s`` is ``gamma`` in the symmetric form and 0 in the asymmetric one, which
    suppresses only the background's cross-entropy and enhances only the foreground's
    region term.

    Args:
        lambda_: weight in ``[0, 1]`` of the cross-entropy part (the paper's lambda);
            ``1 - lambda_`` goes to the region part. Defaults to 0.5, the paper's value.
        delta: weight in ``[0, 1]`` of the foreground in the cross-entropy and of each
            class's false negatives in its Tversky index; above 0.5 missed foreground
            costs more than false alarms. Defaults to 0.6, the paper's value.
        gamma: focal parameter in ``[0, 1]``: (1 - p_t) ** gamma in the cross-entropy,
            exponent 1 - gamma on the region terms; 0 switches both off. Defaults to
            0.5, the paper's value.
        symmetric: ``False`` (the default) is the asymmetric form the paper recommends
            for imbalanced data; ``True`` treats both classes alike.
        smooth: ``s >= 0`` added above and below each Tversky index. Defaults to 1e-6.
        per_image: ``True`` computes the loss per image (axis 0) and averages;
            ``False`` (the default) pools the batch.
        name: name of the loss instance. Defaults to ``"unified_focal_loss"``.
        reduction: Keras's reduction, ``"sum_over_batch_size"`` by default. The
            loss is already one number per batch, which every reduction keeps.
        dtype: dtype Keras casts ``y_true`` and ``y_pred`` to before the call;
            the loss itself computes in float32. Defaults to ``None``.

    Example:

    >>> import losses
    >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
    >>> y_pred = [[0.9, 0.4, 0.2, 0.0]]  # TP 1.3, FP 0.2, FN 0.7, TN 1.8
    >>> round(float(losses.UnifiedFocalLoss()(y_true, y_pred)), 4)
    0.436
    >>> exact_focal = losses.UnifiedFocalLoss(lambda_=1.0, delta=0.25, symmetric=True)
    >>> focal = losses.FocalLoss(alpha=0.25, gamma=0.5, class_balanced=True)
    >>> abs(float(exact_focal(y_true, y_pred)) - float(focal(y_true, y_pred))) < 1e-7
    True
    """

    _fn = staticmethod(core.unified_focal)

    def __init__(
        self,
        lambda_=0.5,
        delta=0.6,
        gamma=0.5,
        symmetric=False,
        smooth=1e-6,
        per_image=False,
        name="unified_focal_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(
            {
                "lambda_": lambda_,
                "delta": delta,
                "gamma": gamma,
                "symmetric": symmetric,
                "smooth": smooth,
                "per_image": per_image,
            },
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


#: Registry key -> Keras class (the keys of :data:`teaching.registry.ALL_KEYS`).
KERAS_CLASSES = {
    "bce": BCELoss,
    "focal": FocalLoss,
    "dice": DiceLoss,
    "bce_dice": BCEDiceLoss,
    "iou": IoULoss,
    "tversky": TverskyLoss,
    "focal_tversky": FocalTverskyLoss,
    "combo": ComboLoss,
    "unified_focal": UnifiedFocalLoss,
}


def make_loss(key: str, **params):
    """The Keras loss object for a key of :data:`KERAS_CLASSES` and its parameters.

    Args:
        key: "bce", "focal", "dice", "bce_dice", "iou", "tversky",
            "focal_tversky", "combo" or "unified_focal".
        **params: keyword arguments of the class (see its docstring).

    Raises:
        ValueError: for an unknown key, an unknown parameter name or a value
            out of range, with a message that says what is accepted.

    Example:
        >>> import losses
        >>> losses.make_loss("tversky", alpha=0.3, beta=0.7).get_config()["beta"]
        0.7
    """
    try:
        cls = KERAS_CLASSES[key]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(key), KERAS_CLASSES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"unknown loss {key!r}{hint}; choose one of {', '.join(map(repr, KERAS_CLASSES))}."
        ) from None
    return cls(**params)
