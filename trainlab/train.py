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

import time
from collections.abc import Callable

import keras  # noqa: E402, I001
import numpy as np
import tensorflow as tf  # noqa: E402

import losses  # first: it imports TensorFlow quietly

from .data import Task, make_task
from .model import build_unet, count_weights
from .results import GALLERY_SIZE, METRICS, THRESHOLD, RunResult, behaviour, mask_metrics
from .settings import TrainConfig, validate

__all__ = [
    "GALLERY_SIZE",
    "METRICS",
    "THRESHOLD",
    "RunResult",
    "Stopped",
    "TrainConfig",
    "behaviour",
    "mask_metrics",
    "train",
    "validate",
]


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
