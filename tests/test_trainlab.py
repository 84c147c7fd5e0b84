"""The training lab's generator, model, training loop, metrics and behaviour.

Runs are tiny (32 x 32 images, a few dozen of them, one to five epochs) so the
file stays well under a minute on two cores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from teaching import registry
from tests._runs import fake_run as _fake
from trainlab.data import make_split, make_task
from trainlab.model import build_unet, count_weights
from trainlab.train import (
    RunResult,
    TrainConfig,
    behaviour,
    make_loss_object,
    mask_metrics,
    train,
    validate,
)

ROOT = Path(__file__).resolve().parent.parent

# A small task that a few epochs can learn: 32 x 32 images, 3 % foreground.
SMALL = dict(
    n_train=96,
    n_val=32,
    image_size=32,
    fg_fraction=0.03,
    batch_size=8,
    width=8,
    learning_rate=0.005,
)
TINY = dict(n_train=16, n_val=8, image_size=32, fg_fraction=0.03, batch_size=16, width=4, epochs=1)


def _same_history(a: RunResult, b: RunResult) -> bool:
    keys = [k for k in a.history if k != "seconds"]
    return all(
        np.array_equal(np.asarray(a.history[k]), np.asarray(b.history[k]), equal_nan=True)
        for k in keys
    )


# --------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fg, size", [(0.005, 1.5), (0.005, 3.0), (0.01, 3.0), (0.02, 5.0), (0.05, 2.0), (0.05, 8.0)]
)
def test_generator_yields_the_asked_foreground_fraction(fg, size):
    split = make_split(128, fg_fraction=fg, object_size=size, seed=3)
    assert split.fg_fraction == pytest.approx(fg, rel=0.1)
    assert split.images.shape == (128, 64, 64, 1) and split.images.dtype == np.float32
    assert 0.0 <= split.images.min() and split.images.max() <= 1.0
    assert set(np.unique(split.masks)) <= {0.0, 1.0}
    # the labels mark exactly the mask
    assert np.array_equal(split.labels > 0, split.masks[..., 0] > 0)


def test_objects_are_small_and_brighter_than_their_surroundings():
    split = make_split(64, fg_fraction=0.01, object_size=3.0, seed=0)
    fg = split.images[split.masks > 0].mean()
    bg = split.images[split.masks == 0].mean()
    assert fg > bg + 0.15
    sizes = np.bincount(split.labels[0].ravel())[1:]
    assert sizes.size >= 1 and sizes[sizes > 0].max() < 0.05 * 64 * 64


def test_generator_is_deterministic_for_a_seed():
    a = make_task(n_train=32, n_val=16, seed=7)
    b = make_task(n_train=32, n_val=16, seed=7)
    c = make_task(n_train=32, n_val=16, seed=8)
    for x, y in ((a.train, b.train), (a.val, b.val)):
        assert np.array_equal(x.images, y.images)
        assert np.array_equal(x.masks, y.masks)
    assert not np.array_equal(a.train.images, c.train.images)
    # the validation set does not depend on the number of training images
    d = make_task(n_train=64, n_val=16, seed=7)
    assert np.array_equal(a.val.images, d.val.images)
    assert not np.array_equal(a.train.images[0], a.val.images[0])


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(fg_fraction=0.5), "fg_fraction"),
        (dict(fg_fraction=float("nan")), "fg_fraction"),
        (dict(object_size=20.0), "object_size"),
        (dict(image_size=50), "image_size"),
        (dict(seed=-1), "seed"),
        (dict(n_train=0), "at least 1"),
    ],
)
def test_generator_rejects_bad_settings_with_a_message(kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_task(**{"n_train": 8, "n_val": 8, **kwargs})


# --------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------
@pytest.mark.parametrize("width, lo, hi", [(4, 2_000, 10_000), (8, 10_000, 30_000)])
def test_unet_weight_count_is_in_range(width, lo, hi):
    model = build_unet(64, width=width, seed=0)
    assert lo <= count_weights(model) <= hi
    assert model.output_shape == (None, 64, 64, 1)


def test_unet_starts_from_the_same_weights_for_a_seed():
    a = build_unet(32, width=4, seed=1).get_weights()
    b = build_unet(32, width=4, seed=1).get_weights()
    c = build_unet(32, width=4, seed=2).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(np.array_equal(x, y) for x, y in zip(a, c, strict=True))


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------
def test_mask_metrics_by_hand():
    t = np.zeros((1, 4, 4))
    t[0, 0, :2] = 1  # object 1: two pixels
    t[0, 3, 3] = 1  # object 2: one pixel
    labels = np.zeros((1, 4, 4), np.int32)
    labels[0, 0, :2] = 1
    labels[0, 3, 3] = 2
    p = np.zeros((1, 4, 4))
    p[0, 0, 0] = 0.9  # TP (half of object 1: counts as found)
    p[0, 1, 1] = 0.6  # FP
    p[0, 3, 3] = 0.4  # below the threshold: FN
    m = mask_metrics(t, p, labels)
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 2)
    assert m["dice"] == pytest.approx(2 / 5)
    assert m["iou"] == pytest.approx(1 / 4)
    assert m["precision"] == pytest.approx(1 / 2)
    assert m["recall"] == pytest.approx(1 / 3)
    assert m["n_objects"] == 2 and m["objects_found"] == pytest.approx(0.5)


def test_mask_metrics_counts_objects_across_images_and_empty_predictions():
    labels = np.zeros((2, 3, 3), np.int32)
    labels[0, 0, 0] = 1
    labels[1, 2, 2] = 1  # image 2's object 1 is a different object from image 1's
    t = (labels > 0).astype(float)
    p = np.zeros_like(t)
    p[1, 2, 2] = 1.0
    m = mask_metrics(t, p, labels)
    assert m["n_objects"] == 2 and m["objects_found"] == pytest.approx(0.5)
    none = mask_metrics(t, np.zeros_like(t), labels)
    assert none["dice"] == 0.0 and none["precision"] == 0.0 and none["recall"] == 0.0
    assert none["pred_fraction"] == 0.0


# --------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------
def test_short_dice_training_beats_the_untrained_model():
    run = train(TrainConfig(loss="dice", epochs=5, seed=0, **SMALL))
    untrained = run.history["dice"][0]
    assert run.epochs_done == 5 and not run.stopped
    assert run.final["dice"] > untrained + 0.25
    assert run.final["dice"] > 0.35
    assert run.final["objects_found"] > 0.5


def test_two_runs_with_one_seed_give_the_same_metrics():
    cfg = TrainConfig(loss="focal", seed=5, **{**TINY, "epochs": 2, "n_train": 32})
    a, b = train(cfg), train(cfg)
    assert _same_history(a, b)
    assert np.array_equal(a.gallery_pred, b.gallery_pred)
    c = train(TrainConfig(**{**cfg.to_dict(), "seed": 6}))
    assert not _same_history(a, c)


@pytest.mark.parametrize("key", list(registry.ALL_SPECS))
def test_every_registry_loss_trains_one_epoch_with_finite_metrics(key):
    spec = registry.ALL_SPECS[key]
    cfg = TrainConfig(loss=key, params=spec.defaults("blog"), **TINY)
    run = train(cfg)
    assert run.epochs_done == 1
    for name, values in run.history.items():
        vals = np.asarray(values[1:], dtype=float)
        assert np.isfinite(vals).all(), (key, name, values)
    assert 0.0 <= run.final["dice"] <= 1.0


def test_the_model_is_compiled_with_the_registry_loss_object():
    from losses import TverskyLoss

    cfg = TrainConfig(loss="tversky", params={"alpha": 0.3, "beta": 0.7})
    loss = make_loss_object(cfg)
    assert isinstance(loss, TverskyLoss)
    assert loss.get_config()["alpha"] == 0.3 and loss.get_config()["beta"] == 0.7
    assert loss.get_config()["smooth"] == registry.get("tversky").param("smooth").blog


def test_stop_flag_ends_the_run_between_batches():
    calls = []

    def should_stop():
        calls.append(1)
        return len(calls) > 3  # let three batches run

    epochs_seen = []
    cfg = TrainConfig(loss="dice", **{**TINY, "n_train": 32, "batch_size": 16, "epochs": 5})
    run = train(cfg, should_stop=should_stop, on_epoch=lambda r: epochs_seen.append(r.epochs_done))
    assert run.stopped
    assert run.epochs_done == 1  # two batches per epoch: the second epoch did not finish
    assert epochs_seen == [0, 1]


def test_callbacks_see_every_epoch_and_batch():
    batches, epochs = [], []
    cfg = TrainConfig(loss="iou", **{**TINY, "n_train": 32, "epochs": 2})
    train(
        cfg,
        on_batch=lambda e, s, n, loss: batches.append((e, s, n, np.isfinite(loss))),
        on_epoch=lambda r: epochs.append(r.epochs_done),
    )
    assert batches == [(1, 1, 2, True), (1, 2, 2, True), (2, 1, 2, True), (2, 2, 2, True)]
    assert epochs == [0, 1, 2]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(loss="nope"), "unknown loss"),
        (dict(loss="focal", params={"gamma": -1.0}), "gamma must be"),
        (dict(loss="dice", params={"alpha": 0.5}), "no parameter"),
        (dict(n_train=16, batch_size=32), "larger than the training set"),
        (dict(epochs=0), "epochs"),
        (dict(learning_rate=0.0), "learning_rate"),
        (dict(width=1), "width"),
    ],
)
def test_bad_configs_are_rejected_with_a_message(kwargs, words):
    with pytest.raises(ValueError, match=words):
        validate(TrainConfig(**kwargs))


def test_configs_are_hashable_and_compare_by_value():
    a = TrainConfig(loss="focal", params={"gamma": 2.0, "alpha": 0.8})
    b = TrainConfig(loss="focal", params=(("alpha", 0.8), ("gamma", 2.0)))
    assert a == b and hash(a) == hash(b)
    assert a.to_dict()["params"] == {"alpha": 0.8, "gamma": 2.0}


# --------------------------------------------------------------------------
# the summary reads the numbers
# --------------------------------------------------------------------------
def test_behaviour_is_read_from_the_counts():
    assert behaviour(_fake("bce", 0, 0, 600, 0.0).final) == "empty"
    assert behaviour(_fake("dice", 550, 900, 50, 0.95).final) == "over"
    assert behaviour(_fake("dice", 250, 10, 350, 0.4).final) == "under"
    assert behaviour(_fake("dice", 500, 60, 100, 0.9).final) == "balanced"
    assert behaviour(_fake("dice", 200, 400, 400, 0.4).final) == "poor"


def test_settings_and_results_load_without_keras():
    """A server reads settings and results; only trainlab.train (a worker) builds models."""
    import subprocess
    import sys

    code = (
        "import sys, trainlab, trainlab.settings, trainlab.results, trainlab.pool\n"
        "trainlab.TrainConfig(loss='dice').to_dict()\n"
        "print(sorted(m for m in ('keras', 'tensorflow', 'trainlab.train', 'trainlab.model')"
        " if m in sys.modules))\n"
        "trainlab.build_unet  # the lazy names still work\n"
        "print('keras' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
