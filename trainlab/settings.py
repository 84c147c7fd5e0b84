"""The settings of one training run, checked without building a model.

Nothing here imports Keras or trains: a server can make and check a
:class:`TrainConfig` (and show why it cannot train) while the training itself
runs in another process (:mod:`trainlab.pool`).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import asdict, dataclass, replace

import numpy as np

from .data import check_settings

WIDTH_MIN, WIDTH_MAX = 2, 32


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
    import losses  # the loss's own checks; imported when a config is checked

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
