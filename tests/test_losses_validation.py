"""Misuse is caught at the door with a message that says what was wrong and what to pass."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses._tf import tf
from tests import _ref

GOOD_T = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)
GOOD_P = np.array([[0.8, 0.1], [0.6, 0.3]], np.float32)
ALL = _ref.KEYS


def raises(fn, *args, words=(), **kwargs):
    with pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    message = str(info.value).lower()
    for word in words:
        assert word.lower() in message, (word, message)
    return message


@pytest.mark.parametrize("key", ALL)
def test_mismatched_shapes(key):
    fn = getattr(losses, key)
    raises(fn, GOOD_T, GOOD_P.reshape(-1), words=("shape", "(2, 2)", "(4,)", "same shape"))
    raises(fn, np.zeros((2, 3)), np.zeros((3, 2)), words=("shape", "same shape"))
    raises(fn, np.zeros((1, 4)), np.zeros((2, 4)), words=("same shape",))  # no silent broadcast


@pytest.mark.parametrize("key", ALL)
def test_8bit_mask_is_explained(key):
    msg = raises(getattr(losses, key), GOOD_T * 255, GOOD_P, words=("y_true", "[0, 1]", "255"))
    assert "probabilit" in msg


@pytest.mark.parametrize("key", ALL)
def test_logits_are_explained(key):
    logits = np.array([[2.3, -1.2], [0.4, -3.0]], np.float32)
    raises(getattr(losses, key), GOOD_T, logits, words=("y_pred", "[0, 1]", "sigmoid"))


def test_slightly_out_of_range_values_rejected():
    raises(losses.dice, GOOD_T, GOOD_P + 0.5, words=("y_pred", "1.3"))
    raises(losses.dice, -GOOD_T, GOOD_P, words=("y_true", "-1"))


@pytest.mark.parametrize(
    "bad, word", [(np.nan, "nan"), (np.inf, "infinite"), (-np.inf, "infinite")]
)
@pytest.mark.parametrize("side", ["y_true", "y_pred"])
def test_nan_and_inf(bad, word, side):
    t, p = GOOD_T.copy(), GOOD_P.copy()
    (t if side == "y_true" else p)[0, 1] = bad
    for key in ("dice", "focal", "combo"):
        raises(getattr(losses, key), t, p, words=(side, word, "finite"))
    raises(losses.tversky, tf.constant(t), tf.constant(p), words=(side, word))


@pytest.mark.parametrize("key", ALL)
def test_empty_arrays(key):
    raises(getattr(losses, key), np.zeros((0,)), np.zeros((0,)), words=("empty", "at least one"))
    raises(getattr(losses, key), np.zeros((2, 0)), np.zeros((2, 0)), words=("empty",))


@pytest.mark.parametrize(
    "bad, word",
    [
        (np.array([["a", "b"], ["c", "d"]]), "dtype"),
        (np.array([[1, 0], [1, 0]], dtype=object), "object"),
        (GOOD_T.astype(np.complex64), "complex"),
        (tf.constant([["a", "b"], ["c", "d"]]), "string"),
        (tf.constant(GOOD_T, dtype=tf.complex64), "complex"),
        ("a mask", "dtype"),
    ],
    ids=["str-array", "object", "complex", "str-tensor", "complex-tensor", "str"],
)
def test_bad_dtypes(bad, word):
    for side in ("y_true", "y_pred"):
        args = (bad, GOOD_P) if side == "y_true" else (GOOD_T, bad)
        raises(losses.dice, *args, words=(side, word, "float, integer or boolean"))


def test_none():
    raises(losses.iou, None, GOOD_P, words=("y_true", "none", "pass an array"))
    raises(losses.iou, GOOD_T, None, words=("y_pred", "none", "pass an array"))


def test_ragged_list():
    raises(losses.dice, [[1.0, 0.0], [1.0]], [[0.5, 0.5], [0.5]], words=("y_true", "array"))


@pytest.mark.parametrize(
    "key, params, words",
    [
        ("focal", {"alpha": 1.5}, ("alpha", "[0.0, 1.0]", "1.5")),
        ("focal", {"alpha": -0.1}, ("alpha", "[0.0, 1.0]")),
        ("focal", {"gamma": -1}, ("gamma", ">= 0", "-1")),
        ("focal", {"gamma": float("nan")}, ("gamma",)),
        ("dice", {"smooth": -1}, ("smooth", ">= 0", "-1")),
        ("bce_dice", {"smooth": -1e-3}, ("smooth",)),
        ("iou", {"smooth": -1}, ("smooth",)),
        ("tversky", {"alpha": -0.5}, ("alpha", ">= 0")),
        ("tversky", {"beta": -0.5}, ("beta", ">= 0")),
        ("focal_tversky", {"gamma": -1}, ("gamma", ">= 0")),
        ("focal_tversky", {"smooth": -1}, ("smooth",)),
        ("combo", {"alpha": 1.5}, ("alpha", "[0.0, 1.0]")),
        ("combo", {"ce_ratio": -0.2}, ("ce_ratio", "[0.0, 1.0]")),
        ("dice", {"smooth": "1e-6"}, ("smooth", "number", "str")),
        ("tversky", {"alpha": True}, ("alpha", "number", "bool")),
        ("focal", {"alpha": None}, ("alpha", "number")),
    ],
)
def test_parameter_out_of_range(key, params, words):
    raises(getattr(losses, key), GOOD_T, GOOD_P, words=words, **params)


def test_unknown_keyword_is_a_type_error():
    # plain functions: Python itself rejects a misspelt parameter name
    with pytest.raises(TypeError):
        losses.tversky(GOOD_T, GOOD_P, alpah=0.3)


def test_good_inputs_pass_as_every_container():
    for t, p in [
        (GOOD_T, GOOD_P),
        (GOOD_T.tolist(), GOOD_P.tolist()),
        (tf.constant(GOOD_T), tf.constant(GOOD_P)),
        (tf.Variable(GOOD_T), tf.Variable(GOOD_P)),
        (GOOD_T.astype(bool), GOOD_P.astype(np.float64)),
        (GOOD_T.astype(np.int64), GOOD_P.astype(np.float16)),
    ]:
        for key in ALL:
            assert np.isfinite(float(getattr(losses, key)(t, p)))
