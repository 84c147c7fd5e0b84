"""Train the small U-Net on the synthetic task with one loss, and measure it.

The model is compiled with exactly the object a user's own script would pass
to ``model.compile``: ``losses.make_loss(key, **params)``. Training runs batch
by batch (``train_on_batch``) over a shuffle drawn from the run's seed, so the
caller can watch every batch, stop between two batches, and get the same
numbers again from the same settings::

    from trainlab.train import TrainConfig, train
    run = train(TrainConfig(loss="dice", epochs=15))
    run.final["dice"], run.final["recall"]

After every epoch the whole validation set is predicted and thresholded at
0.5; Dice, IoU, precision and recall are computed from the pooled pixel
counts, and "objects found" is the share of validation objects of which the
model marks at least half of the pixels. Epoch 0 is the untrained model.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import keras  # noqa: E402, I001
import numpy as np
import tensorflow as tf  # noqa: E402

import losses  # first: it imports TensorFlow quietly

from .data import Task, check_settings, make_task
from .model import WIDTH_MAX, WIDTH_MIN, build_unet, count_weights

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


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of one training run. Equal configs give equal runs.

    Attributes:
        loss: a key of ``losses.KERAS_CLASSES`` ("bce", "dice", "focal", ...).
        params: the loss's keyword arguments, as ``(name, value)`` pairs (a dict
            is accepted and converted); missing ones take the loss's defaults.
        n_train, n_val: number of training and validation images.
        fg_fraction: share of foreground pixels in the generated images.
        object_size: typical object radius in pixels.
        image_size: side of the square images.
        seed: seed of the data, the initial weights and the shuffling.
        epochs, batch_size, learning_rate: the optimisation (Adam).
        width: filters in the first level of the U-Net.
    """

    loss: str = "dice"
    params: tuple = ()
    n_train: int = 256
    n_val: int = 64
    fg_fraction: float = 0.01
    object_size: float = 3.0
    image_size: int = 64
    seed: int = 0
    epochs: int = 15
    batch_size: int = 32
    learning_rate: float = 0.01
    width: int = 4

    def __post_init__(self):
        params = self.params
        if isinstance(params, dict):
            params = params.items()
        object.__setattr__(self, "params", tuple(sorted((str(k), v) for k, v in params)))

    @property
    def param_dict(self) -> dict:
        return dict(self.params)

    def data_settings(self) -> dict:
        return dict(
            n_train=self.n_train,
            n_val=self.n_val,
            fg_fraction=self.fg_fraction,
            object_size=self.object_size,
            image_size=self.image_size,
            seed=self.seed,
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["params"] = dict(self.params)
        return d

    def with_loss(self, loss: str, params: dict | None = None) -> TrainConfig:
        return replace(self, loss=loss, params=tuple(sorted((params or {}).items())))


_NOT_LOSS_PARAMETERS = {"self", "name", "reduction", "dtype"}


def _check_loss(key: str, params: dict) -> None:
    """The loss and its parameters, checked by the losses package itself."""
    cls = losses.KERAS_CLASSES.get(key)
    if cls is None:
        raise ValueError(f"unknown loss {key!r}; choose one of {sorted(losses.KERAS_CLASSES)}.")
    signature = inspect.signature(cls).parameters.values()
    allowed = {p.name for p in signature if p.kind == p.POSITIONAL_OR_KEYWORD}
    allowed |= {p.name for p in signature if p.kind == p.KEYWORD_ONLY}
    allowed -= _NOT_LOSS_PARAMETERS
    takes_any = any(p.kind == p.VAR_KEYWORD for p in signature)
    unknown = set(params) - allowed
    if unknown and not takes_any:
        raise ValueError(
            f"{cls.__name__} has no parameter(s) {sorted(unknown)}; it takes {sorted(allowed)}."
        )
    losses.make_loss(key, **params)  # its own checks of the values


def validate(config: TrainConfig) -> None:
    """Raise ValueError with a plain message for any setting that cannot train."""
    _check_loss(config.loss, config.param_dict)
    check_settings(
        config.n_train,
        config.n_val,
        config.fg_fraction,
        config.object_size,
        config.image_size,
        config.seed,
    )
    if not isinstance(config.epochs, (int, np.integer)) or not 1 <= config.epochs <= 200:
        raise ValueError(f"epochs must be a whole number from 1 to 200, got {config.epochs!r}.")
    if not isinstance(config.batch_size, (int, np.integer)) or config.batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {config.batch_size!r}.")
    if config.batch_size > config.n_train:
        raise ValueError(
            f"batch_size ({config.batch_size}) is larger than the training set "
            f"({config.n_train} images); use more images or a smaller batch."
        )
    if not (math.isfinite(config.learning_rate) and 0 < config.learning_rate <= 1):
        raise ValueError(f"learning_rate must be in (0, 1], got {config.learning_rate}.")
    if not WIDTH_MIN <= config.width <= WIDTH_MAX:
        raise ValueError(f"width must be from {WIDTH_MIN} to {WIDTH_MAX}, got {config.width}.")


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


def gallery_indices(task: Task, k: int = GALLERY_SIZE) -> np.ndarray:
    """The first k validation images that contain an object (then any others)."""
    has = task.val.masks.reshape(len(task.val), -1).max(axis=1) > 0
    order = np.concatenate([np.flatnonzero(has), np.flatnonzero(~has)])
    return order[:k]


_DETERMINISM_ON = False


def enable_determinism() -> None:
    """Make TensorFlow ops deterministic (once per process)."""
    global _DETERMINISM_ON
    if not _DETERMINISM_ON:
        tf.config.experimental.enable_op_determinism()
        _DETERMINISM_ON = True


def make_loss_object(config: TrainConfig):
    """The Keras loss a user would pass to model.compile for this config."""
    return losses.make_loss(config.loss, **config.param_dict)


def make_optimizer(config: TrainConfig, steps_per_epoch: int):
    """The optimiser: plain Adam with the config's learning rate."""
    del steps_per_epoch  # a fixed step size; kept in the signature for schedules
    return keras.optimizers.Adam(config.learning_rate)


def _measure(model, task: Task, loss_obj, result: RunResult, epoch, train_loss, seconds) -> None:
    """Predict the whole validation set and append this epoch's metrics to ``result``."""
    xv, yv, lv = task.val.images, task.val.masks, task.val.labels
    bs = result.config.batch_size
    prob = np.asarray(model.predict_on_batch(xv))
    m = mask_metrics(yv, prob, lv)
    val = [float(loss_obj(yv[i : i + bs], prob[i : i + bs])) for i in range(0, len(xv), bs)]
    m["val_loss"] = float(np.mean(val))
    m["loss"] = train_loss
    hist = result.history
    hist["epoch"].append(epoch)
    hist["seconds"].append(seconds)
    for key in METRICS:
        hist[key].append(float(m[key]))
    result.final = m
    result.train_seconds += seconds
    result.gallery_pred = np.round(prob[result.gallery_index, ..., 0] * 255).astype(np.uint8)


class Stopped(Exception):
    """Raised inside :func:`train` when ``should_stop`` answers True."""


def train(
    config: TrainConfig,
    task: Task | None = None,
    *,
    loss=None,
    on_epoch: Callable[[RunResult], None] | None = None,
    on_batch: Callable[[int, int, int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RunResult:
    """Train a fresh U-Net with one loss and measure it on the validation set.

    Args:
        config: the settings (:class:`TrainConfig`); checked first.
        task: the data; made from ``config`` when omitted (pass one to share
            it between runs).
        loss: a Keras loss object to use instead of the config's (for
            benchmarks against ``keras.losses.BinaryCrossentropy``).
        on_epoch: called after each epoch (and once for the untrained model)
            with the :class:`RunResult` so far.
        on_batch: called after each batch with (epoch, step, steps_per_epoch,
            batch loss).
        should_stop: called between batches; when it returns True the run ends
            with the epochs completed so far and ``stopped=True``.

    Returns:
        A :class:`RunResult`.
    """
    start = time.perf_counter()
    validate(config)
    enable_determinism()
    keras.utils.set_random_seed(config.seed)
    if task is None:
        task = make_task(**config.data_settings())
    loss_obj = make_loss_object(config) if loss is None else loss

    model = build_unet(config.image_size, config.width, config.seed)
    x, y = task.train.images, task.train.masks
    bs = config.batch_size
    steps = len(x) // bs  # whole batches only: one traced step shape
    model.compile(optimizer=make_optimizer(config, steps), loss=loss_obj)
    rng = np.random.default_rng([config.seed, 2])
    gal = gallery_indices(task)

    result = RunResult(config=config, gallery_index=gal, n_weights=count_weights(model))
    for key in ("epoch", "seconds", *METRICS):
        result.history[key] = []

    def measure(epoch: int, train_loss: float, seconds: float) -> None:
        _measure(model, task, loss_obj, result, epoch, train_loss, seconds)
        result.seconds = time.perf_counter() - start
        if on_epoch is not None:
            on_epoch(result)

    measure(0, float("nan"), 0.0)
    try:
        for epoch in range(1, config.epochs + 1):
            t0 = time.perf_counter()
            perm = rng.permutation(len(x))
            batch_losses = []
            for step in range(steps):
                if should_stop is not None and should_stop():
                    raise Stopped
                idx = np.sort(perm[step * bs : (step + 1) * bs])
                batch_losses.append(float(model.train_on_batch(x[idx], y[idx])))
                if on_batch is not None:
                    on_batch(epoch, step + 1, steps, batch_losses[-1])
            measure(epoch, float(np.mean(batch_losses)), time.perf_counter() - t0)
    except Stopped:
        result.stopped = True
    result.seconds = time.perf_counter() - start
    return result


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
