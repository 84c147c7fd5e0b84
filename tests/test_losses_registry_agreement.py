"""The registry and the ``losses`` package name the same parameters with the same defaults.

:mod:`teaching.registry` is where each loss's parameters are written once
(``blog`` is the value the app starts at); the functions and the Keras classes
must agree with it name for name, in order, default for default.
"""

from __future__ import annotations

import inspect

import pytest

import losses
from teaching.registry import ALL_KEYS, ALL_SPECS

FUNCTION_EXTRA_FRONT = ("y_true", "y_pred")
FUNCTION_EXTRA_BACK = ("per_image",)
CLASS_EXTRA_BACK = ("per_image", "name", "reduction", "dtype")
KERAS_DEFAULTS = {"per_image": False, "reduction": "sum_over_batch_size", "dtype": None}


def registry_names(spec):
    return tuple(p.name for p in spec.params)


def defaults_of(signature):
    return {
        name: p.default
        for name, p in signature.parameters.items()
        if p.default is not inspect.Parameter.empty
    }


@pytest.mark.parametrize("key", ALL_KEYS)
def test_function_signature_is_the_registry(key):
    spec = ALL_SPECS[key]
    fn = getattr(losses, spec.function)
    assert spec.function in losses.__all__
    sig = inspect.signature(fn)
    assert tuple(sig.parameters) == (
        FUNCTION_EXTRA_FRONT + registry_names(spec) + FUNCTION_EXTRA_BACK
    )
    for name in FUNCTION_EXTRA_FRONT:
        assert sig.parameters[name].default is inspect.Parameter.empty, name
    defaults = defaults_of(sig)
    assert defaults.pop("per_image") is False
    assert defaults == spec.defaults("blog")
    for p in spec.params:
        # a switch defaults to a bool, a number to a float (never a bool)
        assert isinstance(defaults[p.name], bool) == (p.kind == "bool"), p.name


@pytest.mark.parametrize("key", ALL_KEYS)
def test_keras_class_signature_is_the_registry(key):
    spec = ALL_SPECS[key]
    cls = losses.KERAS_CLASSES[key]
    assert spec.keras_class == cls.__name__
    assert getattr(losses, spec.keras_class) is cls and spec.keras_class in losses.__all__
    assert issubclass(cls, losses.keras_losses.keras.losses.Loss)
    # inspect.signature of the class is what help() and IDEs show
    for sig in (inspect.signature(cls), inspect.signature(cls.__init__)):
        names = tuple(n for n in sig.parameters if n != "self")
        assert names == registry_names(spec) + CLASS_EXTRA_BACK
        defaults = defaults_of(sig)
        assert defaults.pop("name") == f"{spec.function}_loss"
        for name, value in KERAS_DEFAULTS.items():
            assert defaults.pop(name) == value, name
        assert defaults == spec.defaults("blog")


def test_keras_classes_are_keyed_like_the_registry():
    assert tuple(losses.KERAS_CLASSES) == ALL_KEYS
    assert {cls.__name__ for cls in losses.KERAS_CLASSES.values()} == {
        ALL_SPECS[k].keras_class for k in ALL_KEYS
    }


@pytest.mark.parametrize("key", ALL_KEYS)
def test_default_config_carries_the_blog_values_and_the_function_defaults(key):
    spec = ALL_SPECS[key]
    config = losses.KERAS_CLASSES[key]().get_config()
    for name, value in spec.defaults("blog").items():
        assert config[name] == value and type(config[name]) is type(value), name
    # every default of the function, per_image included, is what the class stores
    fn_defaults = defaults_of(inspect.signature(getattr(losses, spec.function)))
    for name, value in fn_defaults.items():
        assert config[name] == value, name
    assert set(config) == set(fn_defaults) | {"name", "reduction"}
    assert config["name"] == f"{spec.function}_loss"
    assert config["reduction"] == "sum_over_batch_size"


@pytest.mark.parametrize("key", ALL_KEYS)
def test_paper_values_round_trip_through_make_loss(key):
    spec = ALL_SPECS[key]
    paper = spec.defaults("paper")
    loss = losses.make_loss(key, **paper)
    config = loss.get_config()
    for name, value in paper.items():
        assert config[name] == value, name
    assert loss.params == {**paper, "per_image": False}
