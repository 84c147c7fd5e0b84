"""The Keras classes: training, saving, configs; and agreement with Keras's own losses."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses._tf import keras
from teaching.keras_probe import keras_tversky_args, keras_tversky_convention

CLASSES = {
    "focal": (losses.FocalLoss, {"alpha": 0.25, "gamma": 2.0, "class_balanced": True}),
    "dice": (losses.DiceLoss, {"smooth": 1.0}),
    "bce_dice": (losses.BCEDiceLoss, {"smooth": 1e-4}),
    "iou": (losses.IoULoss, {"smooth": 1e-6}),
    "tversky": (losses.TverskyLoss, {"alpha": 0.3, "beta": 0.7, "smooth": 1e-6}),
    "focal_tversky": (
        losses.FocalTverskyLoss,
        {"alpha": 0.3, "beta": 0.7, "gamma": 0.75, "smooth": 1e-6, "per_image": True},
    ),
    "combo": (losses.ComboLoss, {"alpha": 0.6, "ce_ratio": 0.4, "smooth": 1e-6}),
}


def batch(seed=0, n=4):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 8, 8, 1)).astype(np.float32)
    y = (x > 0.6).astype(np.float32)
    return x, y


def tiny_model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 1))
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(inputs)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_train_save_and_load(key, tmp_path):
    cls, params = CLASSES[key]
    loss = cls(**params)
    model = tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss)
    x, y = batch()
    before = [w.copy() for w in model.get_weights()]
    value = model.train_on_batch(x, y)
    assert np.isfinite(value)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights(), strict=True))

    # the loss Keras reports is the public function on the same batch
    pred = model(x)
    expected = float(getattr(losses, key)(y, pred, **params))
    assert float(model.loss(y, pred)) == pytest.approx(expected, rel=1e-5, abs=1e-6)

    path = tmp_path / f"{key}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.loss) is cls
    assert loaded.loss.get_config() == loss.get_config()
    got = float(loaded.loss(y, loaded(x)))
    assert got == pytest.approx(float(model.loss(y, model(x))), rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_get_config_round_trips(key):
    cls, params = CLASSES[key]
    loss = cls(name="mine", **params)
    config = loss.get_config()
    for name, value in params.items():
        assert config[name] == value
    assert config["name"] == "mine"
    clone = cls.from_config(config)
    assert clone.get_config() == config
    again = keras.losses.deserialize(keras.losses.serialize(loss))
    assert type(again) is cls and again.get_config() == config
    x, y = batch(1)
    assert float(clone(y, x)) == pytest.approx(float(loss(y, x)), rel=1e-6)


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_unknown_parameter_raises(key):
    cls, _ = CLASSES[key]
    with pytest.raises(ValueError, match="unknown parameter"):
        cls(alpah=0.3)
    with pytest.raises(ValueError, match="unknown"):
        losses.make_loss("no_such_loss")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: losses.FocalLoss(gama=1.0), "'gama' (did you mean 'gamma'?)"),
        (lambda: losses.DiceLoss(smoth=1.0), "'smoth' (did you mean 'smooth'?)"),
        (lambda: losses.make_loss("combo", ce_ration=0.3), "did you mean 'ce_ratio'"),
        (lambda: losses.make_loss("tverski"), "did you mean 'tversky'"),
        (lambda: losses.FocalLoss(class_balanced="yes"), "class_balanced must be True or False"),
        (lambda: losses.DiceLoss(per_image=2), "per_image must be True or False"),
        (lambda: losses.TverskyLoss(alpha=[0.3, 0.7]), "alpha must be a single number"),
        (lambda: losses.ComboLoss(alpha=True), "alpha must be a single number"),
    ],
)
def test_construction_errors_say_what_to_pass(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)


def test_parameters_are_attributes_and_stored_as_plain_python():
    loss = losses.FocalLoss(alpha=np.float32(0.25), gamma=2, class_balanced=np.bool_(True))
    assert (loss.alpha, loss.gamma, loss.class_balanced) == (0.25, 2.0, True)
    assert type(loss.alpha) is float and type(loss.gamma) is float
    assert type(loss.class_balanced) is bool
    assert loss.get_config()["gamma"] == 2.0


@pytest.mark.parametrize(
    "cls, params, word",
    [
        (losses.FocalLoss, {"alpha": 1.5}, "alpha"),
        (losses.FocalLoss, {"gamma": -1.0}, "gamma"),
        (losses.DiceLoss, {"smooth": -1.0}, "smooth"),
        (losses.TverskyLoss, {"beta": -0.1}, "beta"),
        (losses.ComboLoss, {"ce_ratio": 2.0}, "ce_ratio"),
    ],
)
def test_bad_value_fails_at_construction(cls, params, word):
    with pytest.raises(ValueError, match=word):
        cls(**params)


def test_per_image_classes_construct_and_differ_from_pooled():
    x, y = batch(2)
    pooled = float(losses.DiceLoss()(y, x))
    each = float(losses.DiceLoss(per_image=True)(y, x))
    assert each == pytest.approx(float(losses.dice(y, x, per_image=True)), rel=1e-6)
    assert each != pytest.approx(pooled, rel=1e-4)


def test_make_loss_builds_each_class():
    for key, cls in losses.KERAS_CLASSES.items():
        assert isinstance(losses.make_loss(key), cls)
    assert losses.make_loss("tversky", alpha=0.2).get_config()["alpha"] == 0.2


# ------------------------------------------------------------------ agreement with Keras
def soft_batch(seed):
    rng = np.random.default_rng(seed)
    y = (rng.random((3, 6, 6, 1)) < 0.4).astype(np.float32)
    p = (0.05 + 0.9 * rng.random((3, 6, 6, 1))).astype(np.float32)
    return y, p


def test_dice_agrees_with_keras_on_non_empty_masks():
    # keras: 1 - 2 I / (sum t + sum p + 1e-7); ours with smooth = 0: 1 - 2 I / (sum t + sum p)
    for seed in range(3):
        y, p = soft_batch(seed)
        ours = float(losses.dice(y, p, smooth=0.0))
        theirs = float(keras.losses.Dice()(y, p))
        assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-6)
        assert float(keras.losses.dice(y, p)) == pytest.approx(ours, rel=1e-5, abs=1e-6)


def test_dice_of_two_empty_masks_keras_one_ours_zero():
    z = np.zeros((2, 4, 4, 1), np.float32)
    assert float(keras.losses.dice(z, z)) == pytest.approx(1.0)
    assert float(losses.dice(z, z)) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (0.8, 0.0), (0.5, 3.5)])
def test_focal_class_balanced_agrees_with_keras(alpha, gamma):
    # Keras: per-pixel focal BCE, mean over the last axis, then mean over the batch
    # ("sum_over_batch_size"); with equal last-axis sizes that is the mean over every pixel.
    keras_loss = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=alpha, gamma=gamma
    )
    for seed in range(3):
        y, p = soft_batch(seed)
        ours = float(losses.focal(y, p, alpha=alpha, gamma=gamma, class_balanced=True))
        assert ours == pytest.approx(float(keras_loss(y, p)), rel=1e-5, abs=1e-6)
        # and Keras's reduction is what we think it is
        per_row = keras.losses.binary_focal_crossentropy(
            y, p, apply_class_balancing=True, alpha=alpha, gamma=gamma
        )
        assert tuple(per_row.shape) == y.shape[:-1]
        assert float(np.mean(per_row)) == pytest.approx(ours, rel=1e-5, abs=1e-6)


def test_keras_tversky_convention_is_detected():
    convention = keras_tversky_convention()
    assert convention in ("paper", "swapped")
    # Work it out here independently: one TP, one FP, no FN, scored with alpha=1, beta=0.
    value = float(keras.losses.tversky(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]]), 1.0, 0.0))
    if convention == "paper":
        assert value == pytest.approx(0.5, abs=1e-5)
    else:
        assert value == pytest.approx(0.0, abs=1e-5)
    major, minor = (int(v) for v in keras.__version__.split(".")[:2])
    if (major, minor) <= (3, 15):
        # documented: Keras 3 up to 3.15 puts sum((1 - y_pred) * y_true) in its "fp"
        assert convention == "swapped", keras.__version__


@pytest.mark.parametrize("alpha, beta", [(0.5, 0.5), (0.3, 0.7), (0.9, 0.1)])
def test_tversky_agrees_with_keras_in_its_convention(alpha, beta):
    # keras: 1 - TP / (TP + a "fp" + b "fn" + 1e-7); ours with smooth = 0
    for seed in range(3):
        y, p = soft_batch(seed)
        ours = float(losses.tversky(y, p, alpha=alpha, beta=beta, smooth=0.0))
        kw = keras_tversky_args(alpha, beta)
        theirs = float(keras.losses.Tversky(**kw)(y, p))
        assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-6)
        if keras_tversky_convention() == "swapped":
            assert kw == {"alpha": beta, "beta": alpha}
            if alpha != beta:
                same_names = float(keras.losses.Tversky(alpha=alpha, beta=beta)(y, p))
                assert abs(same_names - ours) > 1e-3
        else:
            assert kw == {"alpha": alpha, "beta": beta}


def test_model_fit_graph_mode_uses_no_value_checks():
    # Inside the compiled train step the tensors are symbolic; a value check there would
    # either crash or force eager execution. fit() must run and give finite losses.
    model = tiny_model()
    model.compile(optimizer="adam", loss=losses.TverskyLoss(alpha=0.3, beta=0.7))
    x, y = batch(3, n=8)
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_channel_axis_of_one_side_only():
    # a (B, H, W) mask against a model's (B, H, W, 1) output
    x, y = batch(4)
    assert float(losses.DiceLoss()(y[..., 0], x)) == pytest.approx(
        float(losses.dice(y, x)), rel=1e-6
    )
