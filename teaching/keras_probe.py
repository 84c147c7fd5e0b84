"""How the installed Keras's own segmentation losses relate to ours.

Keras 3 ships ``keras.losses.Tversky``. In releases up to 3.15 its ``fp``
term is ``sum((1 - y_pred) * y_true)``, which is the *false negatives* of
Salehi et al. (2017), and its ``fn`` term is the false positives. So Keras's
``alpha`` weighs missed foreground and ``beta`` weighs false alarms: the
opposite of the paper and of :func:`losses.tversky`. A later release may fix
it, so the convention is measured on the installed Keras rather than assumed
from its version number.
"""

from __future__ import annotations

import functools

import numpy as np

from losses._tf import keras

__all__ = ["keras_tversky_convention", "keras_tversky_args"]

PAPER = "paper"
SWAPPED = "swapped"


@functools.lru_cache(maxsize=1)
def keras_tversky_convention() -> str:
    """Which of FP and FN the installed ``keras.losses.tversky`` weighs with alpha.

    The probe is a prediction with one true positive, one false positive and
    no false negative, scored with ``alpha=1, beta=0``. The paper's definition
    (alpha weighs FP) gives 1 - 1 / (1 + 1) = 0.5; a Keras that swapped FP
    and FN sees no "fp" at all and gives about 0.

    Returns:
        ``"paper"`` when Keras's alpha weighs false positives, as in Salehi et
        al. 2017 and :func:`losses.tversky`; ``"swapped"`` when it weighs false
        negatives (Keras 3 up to 3.15).

    Example:
        >>> keras_tversky_convention() in ("paper", "swapped")
        True
    """
    y_true = np.array([[1.0, 0.0]], dtype=np.float32)
    y_pred = np.array([[1.0, 1.0]], dtype=np.float32)
    value = float(np.asarray(keras.losses.tversky(y_true, y_pred, alpha=1.0, beta=0.0)))
    return PAPER if value > 0.25 else SWAPPED


def keras_tversky_args(alpha: float, beta: float) -> dict[str, float]:
    """The ``alpha``/``beta`` to give ``keras.losses.Tversky`` to mean ours.

    ``alpha`` weighs false positives and ``beta`` false negatives, as in
    :func:`losses.tversky`; on a Keras with the swapped convention the two
    are exchanged so the Keras loss punishes the same errors.

    Example:
        >>> args = keras_tversky_args(0.3, 0.7)
        >>> args == ({"alpha": 0.7, "beta": 0.3} if keras_tversky_convention() == "swapped"
        ...          else {"alpha": 0.3, "beta": 0.7})
        True
    """
    if keras_tversky_convention() == SWAPPED:
        return {"alpha": float(beta), "beta": float(alpha)}
    return {"alpha": float(alpha), "beta": float(beta)}
