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

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from losses._tf import keras, tf
from teaching import registry

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
        loss: a key of ``losses.registry.ALL_SPECS`` ("bce", "dice", "focal", ...).
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


def validate(config: TrainConfig) -> None:
    """Raise ValueError with a plain message for any setting that cannot train."""
    if config.loss not in registry.ALL_SPECS:
        raise ValueError(
            f"unknown loss {config.loss!r}; choose one of {sorted(registry.ALL_SPECS)}."
        )
    spec = registry.ALL_SPECS[config.loss]
    allowed = {p.name for p in spec.params}
    unknown = set(config.param_dict) - allowed
    if unknown:
        raise ValueError(
            f"{spec.title} has no parameter(s) {sorted(unknown)}; it takes {sorted(allowed)}."
        )
    for p in spec.params:
        if p.name in config.param_dict:
            v = config.param_dict[p.name]
            if p.kind == "bool":
                if not isinstance(v, bool):
                    raise ValueError(f"{spec.title}: {p.name} must be True or False, got {v!r}.")
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
                raise ValueError(f"{spec.title}: {p.name} must be a number, got {v!r}.")
            if not math.isfinite(v) or not p.lo <= v <= p.hi:
                raise ValueError(
                    f"{spec.title}: {p.name} must be between {p.lo:g} and {p.hi:g}, got {v}."
                )
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

    @property
    def title(self) -> str:
        return describe_loss(self.config.loss, self.config.param_dict)


def describe_loss(key: str, params: dict | None = None) -> str:
    """A short label such as 'Focal (alpha=0.8, gamma=2)'."""
    spec = registry.get(key)
    params = params or {}
    shown = []
    for p in spec.params:
        if p.name == "smooth":
            continue
        value = params.get(p.name, p.blog)
        if p.kind == "bool":
            if value != p.blog:
                shown.append(f"{p.name}={value}")
            continue
        shown.append(f"{p.name}={value:g}")
    return spec.title + (f" ({', '.join(shown)})" if shown else "")


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
    from losses import make_loss

    params = {**registry.get(config.loss).defaults("blog"), **config.param_dict}
    return make_loss(config.loss, **params)


def make_optimizer(config: TrainConfig, steps_per_epoch: int):
    """The optimiser: plain Adam with the config's learning rate."""
    del steps_per_epoch  # a fixed step size; kept in the signature for schedules
    return keras.optimizers.Adam(config.learning_rate)


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
        loss: a Keras loss object to use instead of the registry's (for
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
    xv, yv, lv = task.val.images, task.val.masks, task.val.labels
    bs = config.batch_size
    steps = len(x) // bs  # whole batches only: one traced step shape
    model.compile(optimizer=make_optimizer(config, steps), loss=loss_obj)
    rng = np.random.default_rng([config.seed, 2])
    gal = gallery_indices(task)

    result = RunResult(config=config, gallery_index=gal, n_weights=count_weights(model))
    hist = result.history
    for key in ("epoch", "seconds", *METRICS):
        hist[key] = []

    def measure(epoch: int, train_loss: float, seconds: float) -> None:
        prob = np.asarray(model.predict_on_batch(xv))
        m = mask_metrics(yv, prob, lv)
        vl = [float(loss_obj(yv[i : i + bs], prob[i : i + bs])) for i in range(0, len(xv), bs)]
        m["val_loss"] = float(np.mean(vl))
        m["loss"] = train_loss
        hist["epoch"].append(epoch)
        hist["seconds"].append(seconds)
        for key in METRICS:
            hist[key].append(float(m[key]))
        result.final = m
        result.train_seconds += seconds
        result.seconds = time.perf_counter() - start
        result.gallery_pred = np.round(prob[gal, ..., 0] * 255).astype(np.uint8)
        if on_epoch is not None:
            on_epoch(result)

    measure(0, float("nan"), 0.0)
    try:
        for epoch in range(1, config.epochs + 1):
            t0 = time.perf_counter()
            perm = rng.permutation(len(x))
            losses_ = []
            for step in range(steps):
                if should_stop is not None and should_stop():
                    raise Stopped
                idx = np.sort(perm[step * bs : (step + 1) * bs])
                batch_loss = float(model.train_on_batch(x[idx], y[idx]))
                losses_.append(batch_loss)
                if on_batch is not None:
                    on_batch(epoch, step + 1, steps, batch_loss)
            dt = time.perf_counter() - t0
            measure(epoch, float(np.mean(losses_)), dt)
    except Stopped:
        result.stopped = True
    result.seconds = time.perf_counter() - start
    return result


# --------------------------------------------------------------------------
# what to notice
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


def _times(x: float) -> str:
    """A ratio such as '1.6 times' or '96 times'."""
    return f"{x:.0f} times" if x >= 10 else f"{x:.1f} times"


def _pct(x: float) -> str:
    """A share as a percentage, with a decimal when rounding would say 0 or 100."""
    text = f"{100 * x:.0f}"
    if (text == "100" and x < 1) or (text == "0" and x > 0):
        text = f"{100 * x:.1f}"
    return text + " %"


def summarize(runs: list[RunResult]) -> list[str]:
    """Sentences (Markdown) that read the measured numbers of one or two runs.

    Nothing here is decided in advance: which loss found more objects, and
    whether a model marked too much or too little, come from the counts of
    the validation set after the last epoch.
    """
    lines = []
    for run in runs:
        f = run.final
        name = f"**{run.title}**"
        true_px, pred_px = f["tp"] + f["fn"], f["tp"] + f["fp"]
        kind = behaviour(f)
        found = f"{_pct(f.get('objects_found', 0.0))} of the {f.get('n_objects', 0)} objects"
        if kind == "empty":
            if pred_px == 0:
                text = (
                    f"{name} marked no pixel as foreground, so it found none of the "
                    f"{f.get('n_objects', 0)} objects (Dice {f['dice']:.2f}). Calling every "
                    f"pixel background is already right for "
                    f"{_pct(1 - f['true_fraction'])} of the pixels, and this loss has not "
                    f"yet been pushed past that."
                )
            else:
                text = (
                    f"{name} marked only {pred_px} pixels where {true_px} are objects: "
                    f"it found {found} and missed nearly all foreground "
                    f"(recall {f['recall']:.2f}, Dice {f['dice']:.2f})."
                )
        elif kind == "over":
            text = (
                f"{name} over-segments: it marks {_times(pred_px / true_px)} as many "
                f"pixels as there are object pixels. Recall is {f['recall']:.2f} but "
                f"precision only {f['precision']:.2f}, so many marked pixels are "
                f"background (it found {found})."
            )
        elif kind == "under":
            text = (
                f"{name} under-segments: it marks only {_pct(pred_px / true_px)} of the "
                f"object area. What it marks is mostly right (precision "
                f"{f['precision']:.2f}), but it misses foreground (recall "
                f"{f['recall']:.2f}; it found {found})."
            )
        elif kind == "poor":
            text = (
                f"{name} marks about the right amount of foreground "
                f"({_times(pred_px / true_px)} the object area) but in the wrong "
                f"places: precision {f['precision']:.2f}, recall {f['recall']:.2f}, "
                f"Dice {f['dice']:.2f}; it found {found}."
            )
        else:
            text = (
                f"{name} is well balanced: precision {f['precision']:.2f} and recall "
                f"{f['recall']:.2f} are close, Dice {f['dice']:.2f}, and it found {found}."
            )
        if run.stopped:
            text += f" (Stopped after {run.epochs_done} of {run.config.epochs} epochs.)"
        lines.append(text)

    if len(runs) == 2:
        a, b = runs
        fa, fb = a.final, b.final
        oa, ob = fa.get("objects_found", 0.0), fb.get("objects_found", 0.0)
        if abs(oa - ob) >= 0.05:
            win, lose = (a, b) if oa > ob else (b, a)
            text = (
                f"On the small objects, **{win.title}** found "
                f"{_pct(win.final['objects_found'])} of them and **{lose.title}** "
                f"{_pct(lose.final['objects_found'])}."
            )
            wf = win.final
            w_true, w_pred = wf["tp"] + wf["fn"], wf["tp"] + wf["fp"]
            if w_true and w_pred >= 3 * w_true:
                text += (
                    f" That lead is cheap, though: it marks {_times(w_pred / w_true)} as many "
                    f"pixels as there are object pixels, so it covers objects by covering "
                    f"everything."
                )
            lines.append(text)
        else:
            lines.append(
                f"Both found about the same share of the objects ({_pct(oa)} and {_pct(ob)})."
            )
        da, db = fa["dice"], fb["dice"]
        if max(da, db) < 0.2:
            lines.append(
                f"Neither model segments the objects yet (validation Dice {da:.2f} and "
                f"{db:.2f}). More epochs or more images give the losses time to show "
                f"their difference."
            )
        elif abs(da - db) >= 0.05:
            win, lose = (a, b) if da > db else (b, a)
            lines.append(
                f"Validation Dice: {win.final['dice']:.2f} for **{win.title}** "
                f"against {lose.final['dice']:.2f} for **{lose.title}**."
            )
        else:
            lines.append(
                f"Their validation Dice is close ({da:.2f} and {db:.2f}): on this data and "
                f"with these epochs the two losses end up in a similar place."
            )
        same_start = replace(a.config, loss="bce", params=()) == replace(
            b.config, loss="bce", params=()
        )
        if same_start:
            lines.append(
                "Both models started from the same weights and saw the same images in the "
                "same order, so the loss is the only difference between them."
            )
    return lines
