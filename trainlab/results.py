"""What a training run measured: metrics of thresholded masks, the run's record, its behaviour.

Plain numpy: a finished run travels between processes and is read by pages
without importing Keras.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .settings import TrainConfig

THRESHOLD = 0.5
GALLERY_SIZE = 6
METRICS = (
    "loss",
    "val_loss",
    "dice",
    "iou",
    "precision",
    "recall",
    "objects_found",
    "pred_fraction",
)


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------
def mask_metrics(y_true, y_prob, labels=None, threshold: float = THRESHOLD) -> dict:
    """Pixel metrics of thresholded predictions, pooled over every image.

    Args:
        y_true: ground-truth masks (any shape), 1 on foreground.
        y_prob: predicted probabilities, same number of elements.
        labels: optional (n, H, W) object labels (0 background, k >= 1 object k
            of its image) for the share of objects found.
        threshold: a pixel is predicted foreground when its probability is >= threshold.

    Returns:
        A dict with tp, fp, fn, dice, iou, precision, recall, pred_fraction,
        true_fraction and (with labels) objects_found and n_objects. When the
        model predicts no foreground at all, precision is 0 (nothing it
        marked was right because it marked nothing) and recall is 0.
    """
    t = np.asarray(y_true).reshape(-1) > 0.5
    p = np.asarray(y_prob).reshape(-1) >= threshold
    tp = int(np.count_nonzero(t & p))
    fp = int(np.count_nonzero(~t & p))
    fn = int(np.count_nonzero(t & ~p))
    n = t.size
    out = {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "dice": 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 1.0,
        "iou": tp / (tp + fp + fn) if (tp + fp + fn) else 1.0,
        "precision": tp / (tp + fp) if (tp + fp) else 0.0,
        "recall": tp / (tp + fn) if (tp + fn) else 1.0,
        "pred_fraction": (tp + fp) / n,
        "true_fraction": (tp + fn) / n,
    }
    if labels is not None:
        lab = np.asarray(labels)
        k = lab.shape[0]
        per_image = lab.reshape(k, -1).astype(np.int64)
        # Number the objects of all images consecutively: image i's labels move up
        # by the number of labels used in the images before it.
        maxes = per_image.max(axis=1)
        offset = np.concatenate([[0], np.cumsum(maxes)[:-1]])
        ids = np.where(per_image > 0, per_image + offset[:, None], 0).reshape(-1)
        size = np.bincount(ids)
        hit = np.bincount(ids, weights=p.reshape(-1).astype(np.float64), minlength=size.size)
        present = size[1:] > 0
        n_obj = int(present.sum())
        found = int((hit[1:][present] >= 0.5 * size[1:][present]).sum())
        out["n_objects"] = n_obj
        out["objects_found"] = found / n_obj if n_obj else 1.0
    return out


# --------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------
@dataclass
class RunResult:
    """What one run measured. Plain numbers and numpy arrays (picklable, cacheable).

    Attributes:
        config: the settings.
        history: per-epoch lists keyed by "epoch", "loss" (mean training loss
            of the epoch; NaN for epoch 0), "val_loss", "dice", "iou",
            "precision", "recall", "objects_found", "pred_fraction", "seconds".
            Entry 0 is the untrained model.
        final: the metrics of the last completed epoch (:func:`mask_metrics`).
        gallery_index: indices of the validation images in the gallery.
        gallery_pred: their predicted probabilities after the last epoch,
            uint8 (k, H, W) in 0..255.
        n_weights: trainable scalars of the model.
        stopped: True when the run was stopped before its last epoch.
        seconds: wall time of the whole run (data, model, training).
        train_seconds: time spent in training steps only.
    """

    config: TrainConfig
    history: dict = field(default_factory=dict)
    final: dict = field(default_factory=dict)
    gallery_index: np.ndarray | None = None
    gallery_pred: np.ndarray | None = None
    n_weights: int = 0
    stopped: bool = False
    seconds: float = 0.0
    train_seconds: float = 0.0

    @property
    def epochs_done(self) -> int:
        return max(len(self.history.get("epoch", [])) - 1, 0)


# --------------------------------------------------------------------------
# reading a finished run
# --------------------------------------------------------------------------
def behaviour(final: dict) -> str:
    """Classify a finished run from its measured counts.

    Returns one of "empty" (predicts (almost) no foreground), "over" (marks
    clearly more pixels than the truth and loses precision), "under" (marks
    clearly fewer and loses recall), "poor" (about the right amount in the
    wrong places) or "balanced".
    """
    true_px = final["tp"] + final["fn"]
    pred_px = final["tp"] + final["fp"]
    if true_px == 0:
        return "balanced" if pred_px == 0 else "over"
    if pred_px <= 0.02 * true_px:
        return "empty"
    ratio = pred_px / true_px
    if ratio >= 1.25 and final["precision"] < final["recall"] - 0.1:
        return "over"
    if ratio <= 0.8 and final["recall"] < final["precision"] - 0.1:
        return "under"
    if final["dice"] < 0.5:
        return "poor"
    return "balanced"
